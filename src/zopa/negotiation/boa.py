"""The BOA decomposition: an agent is a **B**idding strategy, an optional **O**pponent model and an
**A**cceptance condition, each a small frozen record that can be combined with any other.

T. Baarslag, K. Hindriks, M. Hendrikx, A. Dirkzwager, C. Jonker, "Decoupling negotiating agents
to explore the space of negotiation strategies", in *Novel Insights in Agent-based Complex
Automated Negotiation*, Studies in Computational Intelligence 535, Springer 2014; GENIUS 10.4
``negotiator.boaframework`` (section 5.10 of the negotiation reference).

:class:`BOAAgent` is a :class:`~zopa.negotiation.negotiator.Negotiator` whose mind, on each turn:

1. asks the bidding strategy for the bid it would make now (``y`` is its own utility), given the
   :class:`History` of offers sent and received and the opponent model's estimate (if any);
2. if an offer is on the table (``x`` its own utility), asks the acceptance condition
   (:mod:`zopa.negotiation.acceptance`) whether to accept it, with ``y``, ``x`` and ``x_prev``
   (its previous bid);
3. accepts, or offers the bid and records it.

Every offer another party makes is recorded in the history (with its own utility) and given to
the opponent model before the agent's next turn. GENIUS's BOA agent runs the same steps in its
``chooseAction``.

The component protocols, for writing your own (each is a frozen dataclass whose fields are its
parameters; ``start`` makes the per-negotiation part, thrown away after the session):

- :class:`BiddingStrategy` ``.start(view, rng) -> Bidder``; a :class:`Bidder` has
  ``bid(turn, history, model) -> outcome`` (a tuple of option codes; ``model`` is the trained
  opponent model or ``None``);
- :class:`~zopa.negotiation.acceptance.AcceptanceCondition` ``.accepts(decision) -> bool``
  (``.start(view, rng)`` returns itself unless overridden);
- :class:`OpponentModelling` ``.start(view, rng)`` returns a
  :class:`~zopa.negotiation.opponent.OpponentModel` (``update(bid)``, ``utility(codes)``, the
  estimated utility to the others); :class:`Frequency` and :class:`Bayesian` wrap the two models
  of :mod:`zopa.negotiation.opponent`.

A bidding strategy with a model may use it to choose among bids of about the same utility to
itself (the "opponent-model strategy" of the paper); without one it must still work.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError
from zopa.negotiation._params import check_number
from zopa.negotiation.acceptance import AcceptanceCondition, Acceptor, ACNext, Decision
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.opponent import BayesianModel, FrequencyModel, OpponentModel
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn
from zopa.negotiation.spec import Specified, show_spec

__all__ = [
    "MODELS",
    "BOAAgent",
    "Bayesian",
    "Bid",
    "Bidder",
    "BiddingStrategy",
    "Frequency",
    "History",
    "OpponentModelling",
]

FloatArray = npt.NDArray[np.float64]
Outcome = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Bid:
    """One offer in a :class:`History`: when, by whom, what, and its utility to the agent."""

    round: int
    time: float
    party: int
    outcome: Outcome
    utility: float


@dataclass(eq=False)
class History:
    """The offers of one negotiation as one agent saw them (its components read it; only the
    agent's mind appends to it).

    Attributes:
        received: every offer another party made, in order.
        sent: every offer this agent made, in order.
    """

    received: list[Bid] = field(default_factory=list)
    sent: list[Bid] = field(default_factory=list)


# ----------------------------------------------------------------------------- components
class OpponentModelling(Specified, ABC):
    """An opponent model as a BOA component: a frozen record of the model's parameters whose
    :meth:`start` makes the :class:`~zopa.negotiation.opponent.OpponentModel` one negotiation
    trains."""

    @abstractmethod
    def start(self, view: PartyView, rng: np.random.Generator) -> OpponentModel:
        """A fresh, untrained model for one negotiation."""


class Bidder(ABC):
    """A bidding strategy during one negotiation."""

    @abstractmethod
    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> Outcome:
        """The outcome the agent would offer on this turn."""


class BiddingStrategy(Specified, ABC):
    """A bidding strategy's parameters (subclasses are frozen dataclasses)."""

    @abstractmethod
    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        """A fresh bidder for one negotiation."""


# ----------------------------------------------------------------------------- opponent models
@dataclass(frozen=True)
class Frequency(OpponentModelling):
    """HardHeaded's frequency model (:class:`zopa.negotiation.opponent.FrequencyModel`).

    Attributes:
        learning: the learning coefficient ``l`` (weights move by ``l / n`` per unchanged issue).
    """

    spec_name: ClassVar[str] = "frequency"
    learning: float = 0.2

    def __post_init__(self) -> None:
        check_number("learning", self.learning, 0.0, 1.0, open_low=True, open_high=True)

    def start(self, view: PartyView, rng: np.random.Generator) -> OpponentModel:
        return FrequencyModel(view.space.sizes, learning=self.learning)


@dataclass(frozen=True)
class Bayesian(OpponentModelling):
    """The scalable Bayesian model of Hindriks & Tykhonov 2008
    (:class:`zopa.negotiation.opponent.BayesianModel`).

    Attributes:
        step: the opponent's assumed concession per new bid.
        sigma: the spread of the likelihood.
    """

    spec_name: ClassVar[str] = "bayesian"
    step: float = 0.035
    sigma: float = 0.25

    def __post_init__(self) -> None:
        check_number("step", self.step, 0.0, 1.0, open_low=True, open_high=True)
        check_number("sigma", self.sigma, 0.0, math.inf, open_low=True)

    def start(self, view: PartyView, rng: np.random.Generator) -> OpponentModel:
        return BayesianModel(view.space.sizes, step=self.step, sigma=self.sigma)


#: Opponent models by name (for ``boa(model=...)``).
MODELS: dict[str, type[OpponentModelling]] = {"frequency": Frequency, "bayesian": Bayesian}


# ----------------------------------------------------------------------------- the agent
@dataclass(frozen=True)
class BOAAgent(Negotiator):
    """An agent composed of a bidding strategy, an acceptance condition and an optional opponent
    model (module docstring).

    Its name is the bidding strategy's spec when it accepts with the default ``AC_next`` and has
    no model (``time-dependent(e=0.5)``), else ``boa(bidding=..., acceptance=..., model=...)``;
    either way :func:`zopa.negotiation.agents.agent` reads the name back into an equal agent.

    Attributes:
        bidding: what to offer.
        acceptance: when to accept (default ``AC_next(1, 0)``).
        model: the opponent model, or ``None``.
    """

    bidding: BiddingStrategy
    acceptance: AcceptanceCondition = field(default_factory=ACNext)
    model: OpponentModelling | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.bidding, BiddingStrategy):
            raise ArgumentError(
                f"bidding: expected a BiddingStrategy, got {type(self.bidding).__name__}"
            )
        if not isinstance(self.acceptance, AcceptanceCondition):
            raise ArgumentError(
                f"acceptance: expected an AcceptanceCondition, got {type(self.acceptance).__name__}"
            )
        if self.model is not None and not isinstance(self.model, OpponentModelling):
            raise ArgumentError(
                f"model: expected an OpponentModelling or None, got {type(self.model).__name__}"
            )

    @property
    def name(self) -> str:
        if self.label:
            return self.label
        if self.acceptance == ACNext() and self.model is None:
            return self.bidding.spec
        args: dict[str, Specified] = {"bidding": self.bidding}
        if self.acceptance != ACNext():
            args["acceptance"] = self.acceptance
        if self.model is not None:
            args["model"] = self.model
        return show_spec("boa", args)

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        # One stream per component, so adding a model does not change the bids' random draws.
        b, a, m = rng.spawn(3)
        return _BOAMind(
            view,
            self.bidding.start(view, b),
            self.acceptance.start(view, a),
            None if self.model is None else self.model.start(view, m),
        )


class _BOAMind(Mind):
    def __init__(
        self, view: PartyView, bidder: Bidder, acceptor: Acceptor, model: OpponentModel | None
    ) -> None:
        self.view = view
        self.bidder = bidder
        self.acceptor = acceptor
        self.model = model
        self.history = History()

    def act(self, turn: Turn) -> Action:
        bid = self.bidder.bid(turn, self.history, self.model)
        if type(bid) is not tuple:
            bid = tuple(int(c) for c in bid)
        y = self.view.utility(bid)
        if turn.offer is not None:
            sent = self.history.sent
            decision = Decision(
                time=turn.time,
                x=self.view.utility(turn.offer),
                y=y,
                x_prev=sent[-1].utility if sent else None,
                history=self.history,
                view=self.view,
            )
            if self.acceptor.accepts(decision):
                return Accept()
        self.history.sent.append(Bid(turn.round, turn.time, self.view.seat, bid, y))
        return Offer(bid)

    def observe(self, event: Event) -> None:
        action = event.action
        if isinstance(action, Offer):
            outcome = action.outcome
            self.history.received.append(
                Bid(event.round, event.time, event.party, outcome, self.view.utility(outcome))
            )
            if self.model is not None:
                self.model.update(outcome)
