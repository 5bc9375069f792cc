"""The negotiator interface: a frozen parameter record that starts one mind per negotiation.

An agent is two things (the split of scikit-learn estimators and of Axelrod's players):

- a :class:`Negotiator`, a frozen dataclass whose fields are its parameters and nothing else
  (no logic in ``__init__``), so it can be compared, written to a file, rebuilt, pickled and
  sent to another process;
- a :class:`Mind`, the mutable state of one negotiation (what it has seen, its opponent model),
  made by :meth:`Negotiator.start` from the party's :class:`~zopa.negotiation.protocol.PartyView`
  and a seeded generator, and thrown away when the session ends.

A mind sees its own preferences, the outcome space, the protocol state (:class:`Turn`) and every
action (:meth:`Mind.observe`) — never another party's preferences. To write an agent::

    @dataclass(frozen=True)
    class Stubborn(Negotiator):
        floor: float = 0.8

        def start(self, view, rng):
            return StubbornMind(self, view)

    class StubbornMind(Mind):
        def __init__(self, agent, view):
            self.agent, self.view = agent, view
            self.best = tuple(int(c) for c in view.ranking.codes[0])

        def act(self, turn):
            if turn.offer is not None and self.view.utility(turn.offer) >= self.agent.floor:
                return Accept()
            return Offer(self.best)

:func:`zopa.testing.check_negotiator` checks that an agent keeps the rules.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np

from zopa.negotiation.protocol import Action, Event, PartyView, Turn

__all__ = ["Mind", "Negotiator"]


class Mind(ABC):
    """One party's strategy during one negotiation."""

    @abstractmethod
    def act(self, turn: Turn) -> Action:
        """The party's action on its turn."""

    def observe(self, event: Event) -> None:  # noqa: B027 - optional hook
        """Hear another party's action (called for every action but the party's own)."""


class Negotiator(ABC):
    """A negotiating agent's parameters; subclasses are frozen dataclasses."""

    #: Name used in traces, tables and ``--agents`` (defaults to the class name).
    label: str = ""

    @abstractmethod
    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        """A fresh mind for one negotiation, seeing ``view``, drawing randomness from ``rng``."""

    @property
    def name(self) -> str:
        return self.label or type(self).__name__

    def params(self) -> dict[str, Any]:
        """The parameters (the dataclass fields), to rebuild the agent: ``type(a)(**a.params())``."""
        if not is_dataclass(self):
            return {}
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}
