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

:class:`TimeDependentOffering` is GENIUS's BOA bidding strategy ``TimeDependent_Offering``
(``negotiator.boaframework.offeringstrategy.other``), to combine with any acceptance condition in
a :class:`~zopa.negotiation.boa.BOAAgent`:

1. ``P_max`` is its best utility, ``P_min`` the larger of its worst utility and its reservation
   value (GENIUS's ``TimeDependentAgent``; ``reservation=False`` gives the BOA component's
   default, the worst utility); both can be given.
2. At time ``t`` (the protocol's time itself, without the party's shift by one round) it aims at
   ``target(t) = P_min + (P_max − P_min)·(1 − F(t))``, ``F(t) = k + (1 − k)·t^(1/e)``.
3. It bids GENIUS's ``getBidNearUtility(target)``. With an opponent model it bids instead, among
   the outcomes worth between ``target`` and ``target + window`` to itself, the one the model
   rates best for the opponent (the first in ranking order on ties; the bid near the target
   when there is none) -- zopa's opponent-model strategy, not GENIUS's.

With ``AC_next(1, 0)`` and ``k = 0`` this is GENIUS's ``TimeDependentAgent`` as section 5.1 of
the negotiation reference describes it (the registered ``time-dependent``; not checked against
GENIUS's runs). Against the GENIUS party above it differs in two places: the party aims one
round behind (``t − 1/(R+1)``, so its round ``r + 1`` bid is the component's round ``r`` bid when
``P_min = 0`` and ``P_max = 1``), and the party accepts only when its bid is worth strictly less
than the offer, while ``AC_next`` accepts on ``≥``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from zopa.model.errors import ArgumentError
from zopa.negotiation._params import check_flag, check_number
from zopa.negotiation.boa import Bidder, BiddingStrategy, History
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.opponent import OpponentModel
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn

__all__ = ["TimeDependentOffering", "TimeDependentParty", "genius_target", "target"]


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
        }.get(float(self.e), f"time-dependent-party(e={self.e!r})")

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
        return Offer(self.ranking.outcome(row))

    def observe(self, event: Event) -> None:
        if isinstance(event.action, Offer):
            self.last_received = event.action.outcome


def target(t: float, e: float, k: float, p_min: float, p_max: float) -> float:
    """``P_min + (P_max − P_min)·(1 − F(t))``, ``F(t) = k + (1 − k)·t^(1/e)`` (``F = k`` for e = 0).

    Examples:
        >>> target(0.25, 1.0, 0.0, 0.0, 1.0), target(0.25, 0.5, 0.0, 0.5, 1.0), target(0.5, 0.0, 0.5, 0.0, 1.0)
        (0.75, 0.96875, 0.5)
    """
    f = k + (1.0 - k) * _f(e, t)
    return p_min + (p_max - p_min) * (1.0 - f)


@dataclass(frozen=True)
class TimeDependentOffering(BiddingStrategy):
    """GENIUS's BOA ``TimeDependent_Offering`` (module docstring) as a bidding strategy.

    Attributes:
        e: concession exponent (0.2 Boulware, 1 linear, 2 Conceder, 0 hardliner).
        k: initial concession ``F(0)``, in ``[0, 1]``.
        p_min: the utility it concedes to at the deadline (default: module docstring, step 1).
        p_max: the utility it starts from (default: its best utility).
        reservation: whether the default ``P_min`` is at least the reservation value.
        window: width of the utility band the opponent model chooses in (used with a model).
    """

    spec_name: ClassVar[str] = "time-dependent"
    e: float = 1.0
    k: float = 0.0
    p_min: float | None = None
    p_max: float | None = None
    reservation: bool = True
    window: float = 0.01

    def __post_init__(self) -> None:
        check_number("e", self.e, 0.0, math.inf)
        check_number("k", self.k, 0.0, 1.0)
        if self.p_min is not None:
            check_number("p_min", self.p_min, -math.inf, math.inf)
        if self.p_max is not None:
            check_number("p_max", self.p_max, -math.inf, math.inf)
        check_flag("reservation", self.reservation)
        check_number("window", self.window, 0.0, math.inf)

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        return _TimeDependentBidder(self, view)


class _TimeDependentBidder(Bidder):
    def __init__(self, params: TimeDependentOffering, view: PartyView) -> None:
        self.params = params
        self.ranking = ranking = view.ranking
        floor = max(ranking.worst, view.reservation) if params.reservation else ranking.worst
        self.p_max = ranking.best if params.p_max is None else float(params.p_max)
        self.p_min = floor if params.p_min is None else float(params.p_min)

    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> tuple[int, ...]:
        p = self.params
        aim = target(turn.time, p.e, p.k, self.p_min, self.p_max)
        ranking = self.ranking
        row = ranking.near(aim)
        if model is not None and history.received:
            first = ranking.at_least(math.nextafter(aim + p.window, math.inf))
            last = ranking.at_least(aim)
            if last > first:
                rated = model.utility(ranking.codes[first:last])
                row = first + int(np.argmax(rated))
        return ranking.outcome(row)
