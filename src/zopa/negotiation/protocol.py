"""The Stacked Alternating Offers Protocol (SAOP), with bilateral alternating offers as its
two-party case, played as GENIUS plays it.

Aydoğan, Festen, Hindriks & Jonker, "Alternating offers protocols for multilateral
negotiation", in *Modern Approaches to Agent-based Complex Automated Negotiation*, Springer
2017; GENIUS 10.4 ``StackedAlternatingOffersProtocol`` and ``DiscreteTimeline`` (the semantics
below were read from those sources); Rubinstein, "Perfect equilibrium in a bargaining model",
*Econometrica* 50(1), 1982, for the bilateral protocol.

The rules, as :func:`negotiate` applies them:

1. Parties sit in a fixed order and act in turn; a round gives each party one turn.
2. The first turn of the session may only make an offer (or end the negotiation). Every later
   turn may accept the offer on the table, make a new offer (which replaces it), or end the
   negotiation. Every party hears every action.
3. An offer is agreed when the ``n − 1`` parties after its proposer accept it in a row; any
   counter-offer restarts the count. An end by anyone closes the session without agreement.
4. Time is normalised to ``[0, 1]``. With a deadline of ``R`` rounds, time in round ``r``
   (1-based) is ``r / (R + 1)`` for every turn of the round (GENIUS ``DiscreteTimeline``: the
   clock never reaches 1 inside the session; the ``(R + 1)``-th round is started and dropped,
   so a session that runs out ends at time 1). With a deadline in seconds, time is the elapsed
   wall-clock fraction; with both, the larger of the two.
5. A party that breaks the rules (an offer outside the outcome space, an accept with nothing on
   the table, an exception) ends the session without agreement, and the result says who and why.

A party gets ``U(ω)`` (and ``U(ω)·d^t`` discounted) for an agreement ``ω`` reached at time
``t``, and its reservation value ``rv`` (``rv·d^t``) otherwise (GENIUS 10.4 ``CsvLogger``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError
from zopa.model.problem import BargainingProblem
from zopa.model.space import OutcomeSpace
from zopa.negotiation.ranking import Ranking, rank_outcomes

if TYPE_CHECKING:
    from zopa.model.preferences import Utility

__all__ = [
    "Accept",
    "Action",
    "Deadline",
    "EndNegotiation",
    "Event",
    "Offer",
    "PartyView",
    "Turn",
]

FloatArray = npt.NDArray[np.float64]
Outcome = tuple[int, ...]


# ---------------------------------------------------------------------------------- actions
@dataclass(frozen=True, slots=True)
class Offer:
    """Propose ``outcome`` (option codes, one per issue); it replaces the offer on the table."""

    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Accept:
    """Accept the offer on the table."""


@dataclass(frozen=True, slots=True)
class EndNegotiation:
    """Walk away: the session ends without agreement for everyone."""


Action = Offer | Accept | EndNegotiation

ActionKind = Literal["offer", "accept", "end"]


def kind_of(action: Action) -> ActionKind:
    if isinstance(action, Offer):
        return "offer"
    if isinstance(action, Accept):
        return "accept"
    return "end"


# ---------------------------------------------------------------------------------- time
@dataclass(frozen=True, kw_only=True)
class Deadline:
    """When a session stops: after ``rounds`` full rounds and/or ``seconds`` of wall-clock time.

    Attributes:
        rounds: number of rounds (``R``), or ``None`` for no round limit.
        seconds: time limit in seconds, or ``None`` for none. At least one must be set.

    Examples:
        >>> d = Deadline(rounds=3)
        >>> [d.time(r) for r in (1, 2, 3)]
        [0.25, 0.5, 0.75]
    """

    rounds: int | None = 100
    seconds: float | None = None

    def __post_init__(self) -> None:
        if self.rounds is None and self.seconds is None:
            raise ArgumentError("deadline: expected rounds or seconds, got neither")
        if self.rounds is not None and (
            isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 1
        ):
            raise ArgumentError(f"rounds: expected an integer >= 1, got {self.rounds!r}")
        if self.seconds is not None and (
            isinstance(self.seconds, bool)
            or not isinstance(self.seconds, (int, float))
            or not self.seconds > 0
            or self.seconds == float("inf")
        ):
            raise ArgumentError(f"seconds: expected a number > 0, got {self.seconds!r}")

    def time(self, round_: int, elapsed: float = 0.0) -> float:
        """Normalised time of a turn in round ``round_`` (1-based) after ``elapsed`` seconds."""
        t = 0.0
        if self.rounds is not None:
            t = round_ / (self.rounds + 1)
        if self.seconds is not None:
            t = max(t, min(1.0, elapsed / self.seconds))
        return t

    def to_dict(self) -> dict[str, Any]:
        return {"rounds": self.rounds, "seconds": self.seconds}


# ---------------------------------------------------------------------------------- views
@dataclass(frozen=True, slots=True)
class Turn:
    """What a party knows when it is its turn to act.

    Attributes:
        round: the round, from 1.
        time: normalised time in ``[0, 1]`` (module docstring, rule 4).
        offer: the offer on the table (option codes), or ``None`` on the first turn.
        proposer: seat of the party that made it, or ``None``.
        can_accept: whether Accept is allowed (there is an offer on the table).
    """

    round: int
    time: float
    offer: Outcome | None
    proposer: int | None

    @property
    def can_accept(self) -> bool:
        return self.offer is not None


@dataclass(frozen=True, slots=True)
class Event:
    """One action as every party hears it: who (seat), when, and what."""

    party: int
    round: int
    time: float
    action: Action


@dataclass(frozen=True, eq=False)
class PartyView:
    """What one party may know of a negotiation: its own preferences, the outcome space and the
    protocol — never another party's preferences.

    Attributes:
        seat: the party's position in the turn order (0 opens).
        name: its name.
        n_parties: number of parties at the table.
        space: the outcome space.
        utility_function: its own preferences.
        reservation: its reservation value (what it gets without agreement).
        discount: its discount factor ``d`` (utility ``U·d^t``; 1 for none).
        deadline: the session's deadline.

    With a utility cap (:func:`~zopa.negotiation.session.negotiate`, ``cap``) every utility the
    party sees is ``min(U, cap)``, as GENIUS's ``AdditiveUtilitySpace.getUtility`` returns it.
    """

    seat: int
    name: str
    n_parties: int
    space: OutcomeSpace
    utility_function: Utility
    reservation: float
    discount: float
    deadline: Deadline
    _problem: BargainingProblem = field(repr=False)
    _arena: Any = field(repr=False, default=None)
    _cap: float | None = field(repr=False, default=None)

    @cached_property
    def _lists(self) -> tuple[list[float], ...] | None:
        rows = self._problem.party_rows(self.seat)
        return None if rows is None else tuple(row.tolist() for row in rows)

    def utility(self, outcome: Sequence[int] | npt.ArrayLike) -> float:
        """Own undiscounted utility of one outcome (option codes), capped where GENIUS caps.

        Additive utilities are summed in issue order from 0.0, as
        :meth:`~zopa.model.problem.BargainingProblem.utilities` sums them, so both give the
        same number to the last bit.
        """
        lists = self._lists
        if lists is not None and isinstance(outcome, tuple) and len(outcome) == len(lists):
            total = 0.0
            for row, c in zip(lists, outcome, strict=True):
                total += row[c]
            return total if self._cap is None else min(total, self._cap)
        u = float(self._problem.utilities(np.asarray(outcome, dtype=np.int64))[self.seat])
        return u if self._cap is None else min(u, self._cap)

    def utilities(self, outcomes: npt.ArrayLike) -> FloatArray:
        """Own undiscounted utility of each row of ``outcomes`` (option codes)."""
        rows = self._problem.party_rows(self.seat)
        codes = np.asarray(outcomes)
        if rows is not None and codes.ndim == 2 and codes.shape[1] == len(rows):
            codes = self._problem.space.check_codes(codes)
            out = np.zeros(codes.shape[0])
            for k, row in enumerate(rows):
                out += row[codes[:, k]]
            return out if self._cap is None else np.minimum(out, self._cap)
        u = np.asarray(self._problem.utilities(outcomes)[:, self.seat], dtype=float)
        return u if self._cap is None else np.minimum(u, self._cap)

    def discounted(self, utility: float, time: float) -> float:
        """``utility · d^time``."""
        return float(utility * self.discount**time)

    @property
    def ranking(self) -> Ranking:
        """Own outcomes sorted best first, GENIUS's order (built once per scenario and party)."""
        if self._arena is not None:
            ranking: Ranking = self._arena.ranking(self.seat)
            return ranking
        return rank_outcomes(self._problem, self.seat, cap=self._cap)
