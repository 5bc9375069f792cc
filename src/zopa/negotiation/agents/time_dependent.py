"""Time-dependent tactics: concede on a fixed schedule of time (Faratin, Sierra & Jennings 1998).

P. Faratin, C. Sierra, N. R. Jennings, "Negotiation decision functions for autonomous agents",
*Robotics and Autonomous Systems* 24(3–4):159–182, 1998. In utility space the tactic aims at

    target(t) = P_min + (P_max − P_min) · (1 − F(t)),   F(t) = k + (1 − k) · t^(1/e)

with ``e < 1`` Boulware (holds out, concedes near the deadline), ``e = 1`` linear, ``e > 1``
Conceder, and ``e = 0`` a hardliner (``F = k``).

:class:`TimeDependentParty` is GENIUS's ``AbstractTimeDependentNegotiationParty`` (the parties
``BoulwareNegotiationParty``, e = 0.2, and ``ConcederNegotiationParty``, e = 2), step by step as
GENIUS 10.4 plays it (section 7 of the negotiation reference):

1. The party ranks every outcome by its own utility (:mod:`zopa.negotiation.ranking`).
2. With a deadline of ``R`` rounds, in round ``r`` its time is ``t = r / (R + 1)`` and it aims at
   ``target = 1 − f(t − 1/(R + 1))``, ``f(x) = x^(1/e)`` (``f = 0`` for ``e = 0``): 1.0 in round
   1. With a deadline in seconds it uses the elapsed fraction ``t`` itself.
3. Its next bid is GENIUS's ``getBidNearUtility(target)``
   (:meth:`~zopa.negotiation.ranking.Ranking.near`).
4. It accepts when an offer is on the table and its next bid is worth strictly less to it than
   the last offer another party made (worth 0 before any offer), both discounted to the turn's
   time (``U·d^t``; the same as undiscounted but for rounding); otherwise it offers the bid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa.model.errors import ArgumentError
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn

__all__ = ["TimeDependentParty", "genius_target"]


def genius_target(e: float, round_: int, rounds: int) -> float:
    """GENIUS's target utility in round ``round_`` of ``rounds`` (step 2 of the module docstring).

    Examples:
        >>> [round(genius_target(2.0, r, 3), 4) for r in (1, 2, 3)]
        [1.0, 0.5, 0.2929]
    """
    x = round_ / (rounds + 1) - 1 / (rounds + 1)
    return 1.0 - _f(e, x)


def _f(e: float, x: float) -> float:
    if e == 0:
        return 0.0
    return float(max(x, 0.0) ** (1.0 / e))


@dataclass(frozen=True)
class TimeDependentParty(Negotiator):
    """GENIUS's time-dependent party (module docstring) with concession exponent ``e``.

    Attributes:
        e: concession exponent: 0.2 Boulware, 1 linear, 2 Conceder, 0 hardliner.
    """

    e: float = 1.0

    def __post_init__(self) -> None:
        if isinstance(self.e, bool) or not isinstance(self.e, (int, float)) or not self.e >= 0:
            raise ArgumentError(f"e: expected a number >= 0, got {self.e!r}")

    @property
    def name(self) -> str:
        return self.label or {
            0.2: "boulware",
            1.0: "linear",
            2.0: "conceder",
            0.0: "hardliner",
        }.get(float(self.e), f"time-dependent(e={self.e:g})")

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _TimeDependentMind(self.e, view)


class _TimeDependentMind(Mind):
    def __init__(self, e: float, view: PartyView) -> None:
        self.e = e
        self.view = view
        self.ranking = view.ranking
        self.rounds = view.deadline.rounds
        self.last_received: tuple[int, ...] | None = None

    def target(self, turn: Turn) -> float:
        if self.view.deadline.seconds is None and self.rounds is not None:
            return genius_target(self.e, turn.round, self.rounds)
        return 1.0 - _f(self.e, turn.time)

    def act(self, turn: Turn) -> Action:
        row = self.ranking.near(self.target(turn))
        mine = float(self.ranking.utilities[row])
        if turn.can_accept:
            theirs = 0.0 if self.last_received is None else self.view.utility(self.last_received)
            # both discounted at the turn's time (GENIUS); with d = 1 this is U < U exactly
            if self.view.discounted(mine, turn.time) < self.view.discounted(theirs, turn.time):
                return Accept()
        return Offer(tuple(int(c) for c in self.ranking.codes[row]))

    def observe(self, event: Event) -> None:
        if isinstance(event.action, Offer):
            self.last_received = event.action.outcome
