"""Each party's outcomes sorted by its own utility, as GENIUS's ``SortedOutcomeSpace`` sorts them.

Time-dependent and most ANAC agents bid "the outcome whose utility is nearest a target". GENIUS
answers that from a list of every bid sorted by the party's own undiscounted utility, highest
first (``genius.core.boaframework.SortedOutcomeSpace``), searched by a bisection with a quirk of
its own (:meth:`Ranking.near`). A :class:`Ranking` is that list, built once per party and
scenario and shared by every negotiation played on it.

GENIUS's order, read from its sources (``BidIterator``, ``BidDetailsSorterUtility``,
``BidDetails.hashCode``, ``Bid.hashCode``, ``ValueDiscrete.hashCode``, ``ValueInteger.hashCode``):

1. Bids are enumerated with the *first* issue changing fastest (``BidIterator``).
2. They are sorted by utility, highest first; ties by ``BidDetails.hashCode()`` ascending, a
   32-bit signed integer ``31·(31·(31 + h_bid) + h(u)) + h(−1.0)`` (``h`` of a double is
   ``bits ^ (bits >>> 32)``; the outcome space stores time −1). ``h_bid`` is the 32-bit sum of
   the values' hash codes: a discrete value's is its label's Java ``String.hashCode``, an
   integer value's is 0. A real value has no hash code of its own in GENIUS (identity hash, so
   its ties are not reproducible); zopa uses the enumeration order for those.
3. Java's sort is stable, so bids with equal utility and equal hash keep enumeration order.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError, SpaceTooLargeError
from zopa.model.issue import Issue
from zopa.model.problem import BargainingProblem
from zopa.model.space import OutcomeSpace

__all__ = ["Outcomes", "Ranking", "enumerate_outcomes", "java_string_hash", "rank_outcomes"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _int32(x: int) -> int:
    """``x`` wrapped to a Java ``int``."""
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


def java_string_hash(s: str) -> int:
    """Java's ``String.hashCode`` (UTF-16 code units, 32-bit wrap-around).

    Examples:
        >>> java_string_hash("hello"), java_string_hash("")
        (99162322, 0)
    """
    h = 0
    data = s.encode("utf-16-be")
    for k in range(0, len(data), 2):
        h = (31 * h + int.from_bytes(data[k : k + 2], "big")) & 0xFFFFFFFF
    return _int32(h)


def _double_hashes(u: FloatArray) -> IntArray:
    """:func:`_double_hash` of every element, vectorised (the same numbers)."""
    bits = np.ascontiguousarray(u, dtype=np.float64).view(np.uint64)
    folded = ((bits ^ (bits >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).astype(np.int64)
    return np.where(folded >= 1 << 31, folded - (1 << 32), folded).astype(np.int64)


def _double_hash(x: float) -> int:
    bits = struct.unpack(">q", struct.pack(">d", x))[0] & 0xFFFFFFFFFFFFFFFF
    return _int32(bits ^ (bits >> 32))


def _value_hashes(issue: Issue) -> list[int] | None:
    """Java hash code of each of the issue's values, or ``None`` where GENIUS has none."""
    if issue.kind == "integer":
        return [0] * issue.size
    if issue.kind == "real":
        return None
    return [java_string_hash(label) for label in issue.options]


@dataclass(frozen=True, eq=False)
class Ranking:
    """One party's outcomes, best first, in GENIUS's order.

    Attributes:
        codes: array ``(n, issues)`` of option codes, best outcome first (read-only).
        utilities: the party's undiscounted utility of each row, non-increasing (read-only).
    """

    codes: IntArray
    utilities: FloatArray

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    @property
    def best(self) -> float:
        return float(self.utilities[0])

    @property
    def worst(self) -> float:
        return float(self.utilities[-1])

    @cached_property
    def _ascending(self) -> FloatArray:
        return self.utilities[::-1].copy()

    @cached_property
    def _list(self) -> list[float]:
        return list(self.utilities.tolist())

    @cached_property
    def _outcomes(self) -> dict[int, tuple[int, ...]]:
        return {}

    def outcome(self, row: int) -> tuple[int, ...]:
        """Row ``row`` as an outcome tuple (cached: agents offer the same rows again and again)."""
        cache = self._outcomes
        o = cache.get(row)
        if o is None:
            o = cache[row] = tuple(self.codes[row].tolist())
        return o

    def search(self, target: float) -> int:
        """GENIUS's ``SortedOutcomeSpace.searchIndexWith``: a bisection on the descending list
        that stops as soon as its midpoint repeats (so it may stop one row off the nearest)."""
        u = self._list
        low, high = 0, len(u) - 1
        middle, last = -1, 0
        while last != middle:
            last = middle
            middle = (low + high) // 2
            x = u[middle]
            if x == target:
                return middle
            if x < target:
                high = middle
            if x > target:
                low = middle
        return middle

    def near(self, target: float) -> int:
        """Row of the outcome GENIUS bids for ``target`` (``getIndexOfBidNearUtility``).

        GENIUS compares the bisection's row with its neighbours, but its code lets the check of
        the next row overwrite the choice of the previous one, so the result is the next row if
        it is strictly closer than the best of the two others, else the bisection's row.

        Examples:
            >>> r = Ranking(np.zeros((4, 1), dtype=np.int64), np.array([1.0, 0.8, 0.5, 0.1]))
            >>> [r.near(x) for x in (1.0, 0.85, 0.7, 0.0)]
            [0, 1, 1, 3]
        """
        u = self._list
        i = self.search(target)
        closest = abs(u[i] - target)
        if i > 0 and abs(u[i - 1] - target) < closest:
            closest = abs(u[i - 1] - target)
        if i + 1 < len(u) and abs(u[i + 1] - target) < closest:
            return i + 1
        return i

    def near_many(self, targets: npt.ArrayLike) -> IntArray:
        """:meth:`near` for every target at once: the same rows, vectorised.

        The bisection of :meth:`search` only ever compares the target with rows of a
        non-increasing list, so its path depends on the target only through ``G``, the number
        of rows worth more than the target, and ``E``, the number worth exactly as much: it
        visits a row ``m`` and goes down the list if ``m < G``, stops if ``G <= m < G + E`` and
        goes up if ``m >= G + E``. ``G`` and ``E`` of every target come from two sorted
        searches; the bisection then runs once per distinct ``(G, E)`` on integers, and the
        comparison with the neighbouring rows on each target's own value.

        Examples:
            >>> r = Ranking(np.zeros((4, 1), dtype=np.int64), np.array([1.0, 0.8, 0.5, 0.1]))
            >>> r.near_many([[1.0, 0.85], [0.7, 0.0]]).tolist()
            [[0, 1], [1, 3]]
        """
        t = np.asarray(targets, dtype=float)
        flat = t.ravel()
        u = self.utilities
        n = len(u)
        if n == 0:
            if flat.size:
                raise ArgumentError("ranking: expected at least one outcome, got none")
            return np.zeros(t.shape, dtype=np.int64)
        below = np.searchsorted(self._ascending, flat, side="left")
        upto = np.searchsorted(self._ascending, flat, side="right")
        greater = n - upto
        equal = upto - below
        keys, first, which = np.unique(
            2 * greater + (equal > 0), return_index=True, return_inverse=True
        )
        g = keys // 2
        i = _bisection(n, g, g + equal[first])[which.reshape(-1)]
        # A NaN target compares false with every row: the bisection stops at its first midpoint.
        i = np.where(np.isnan(flat), (n - 1) // 2, i)
        closest = np.abs(u[i] - flat)
        before = np.abs(u[np.maximum(i - 1, 0)] - flat)
        closest = np.where((i > 0) & (before < closest), before, closest)
        after = np.abs(u[np.minimum(i + 1, n - 1)] - flat)
        rows = np.where((i + 1 < n) & (after < closest), i + 1, i)
        return rows.reshape(t.shape)

    def at_least(self, u: float) -> int:
        """Number of outcomes worth at least ``u`` (they are rows ``0 .. k-1``)."""
        return int(len(self) - np.searchsorted(self._ascending, u, side="left"))


def _bisection(n: int, greater: IntArray, upto: IntArray) -> IntArray:
    """Where :meth:`Ranking.search` stops on a list of ``n`` rows for targets that ``greater``
    rows exceed and ``upto − greater`` rows equal (the same steps, on integers)."""
    low = np.zeros(greater.size, dtype=np.int64)
    high = np.full(greater.size, n - 1, dtype=np.int64)
    middle = np.full(greater.size, -1, dtype=np.int64)
    live = np.arange(greater.size)
    while live.size:
        m = (low[live] + high[live]) // 2
        above = m < greater[live]  # the row is worth more than the target: go down the list
        under = m >= upto[live]  # worth less: go up
        done = ~(above | under) | (middle[live] == m)
        middle[live] = m
        high[live] = np.where(under, m, high[live])
        low[live] = np.where(above, m, low[live])
        live = live[~done]
    return middle


def rank_outcomes(
    problem: BargainingProblem,
    party: int,
    *,
    limit: int = 10_000_000,
    cap: float | None = None,
    outcomes: Outcomes | None = None,
) -> Ranking:
    """Every outcome of ``problem`` sorted for ``party`` as GENIUS sorts it (module docstring).

    Args:
        problem: the bargaining problem.
        party: the party's index.
        limit: largest outcome space enumerated.
        cap: rank ``min(U, cap)`` instead of ``U`` (GENIUS's additive utility spaces return
            ``min(U, 1)``; :func:`zopa.negotiation.session.negotiate`, ``cap``).
        outcomes: the space's :func:`enumerate_outcomes`, when several parties are ranked
            (what does not depend on the party is then computed once).

    Raises:
        SpaceTooLargeError: the space has more than ``limit`` outcomes.
    """
    if not 0 <= party < problem.n_parties:
        raise ArgumentError(f"party: expected an index below {problem.n_parties}, got {party}")
    every = enumerate_outcomes(problem.space, limit=limit) if outcomes is None else outcomes
    codes = every.codes
    u = _own_utilities(problem, party, codes)
    if cap is not None:
        u = np.minimum(u, cap)
    if every.bid_hash is not None:
        uh = _double_hashes(u)
        key = _wrap(31 * _wrap(31 * _wrap(31 + every.bid_hash) + uh) + _double_hash(-1.0))
    else:
        key = np.zeros(len(codes), dtype=np.int64)
    order = np.lexsort((every.genius_order, key, -u))
    sorted_codes = np.ascontiguousarray(codes[order])
    sorted_u = np.ascontiguousarray(u[order])
    sorted_codes.setflags(write=False)
    sorted_u.setflags(write=False)
    return Ranking(sorted_codes, sorted_u)


@dataclass(frozen=True, eq=False)
class Outcomes:
    """Every outcome of a space with what GENIUS's order needs of it, whoever ranks them.

    Attributes:
        codes: every outcome (:meth:`~zopa.model.space.OutcomeSpace.enumerate` order).
        genius_order: each row's position in GENIUS's enumeration (first issue fastest).
        bid_hash: each row's ``Bid.hashCode()``, or ``None`` when a real issue has none.
    """

    codes: IntArray
    genius_order: IntArray
    bid_hash: IntArray | None


def enumerate_outcomes(space: OutcomeSpace, *, limit: int = 10_000_000) -> Outcomes:
    """The party-independent half of :func:`rank_outcomes`, computed once per space.

    Raises:
        SpaceTooLargeError: the space has more than ``limit`` outcomes.
    """
    if space.cardinality > limit:
        raise SpaceTooLargeError(
            f"the outcome space has {space.cardinality:,} outcomes; ranking them for the "
            f"agents (GENIUS's sorted outcome space) handles at most {limit:,}"
        )
    codes = space.enumerate(limit=limit)  # last issue fastest
    genius_order = np.zeros(len(codes), dtype=np.int64)
    stride = 1
    for k, size in enumerate(space.sizes):
        genius_order += codes[:, k] * stride
        stride *= size
    hashes = [_value_hashes(issue) for issue in space.issues]
    bid: IntArray | None = None
    if all(h is not None for h in hashes):
        bid = np.zeros(len(codes), dtype=np.int64)
        for k, h in enumerate(hashes):
            assert h is not None
            bid += np.asarray(h, dtype=np.int64)[codes[:, k]]
        bid = _wrap(bid)
    return Outcomes(codes, genius_order, bid)


def _own_utilities(problem: BargainingProblem, party: int, codes: IntArray) -> FloatArray:
    """Party ``party``'s column of ``problem.utilities(codes)``, without the other columns
    (summed the same way, so the same numbers)."""
    if not len(codes):
        return np.zeros(0)
    rows = problem.party_rows(party)
    if rows is None:
        return np.asarray(
            problem.utility_functions[party].evaluate(codes, problem.space.issues), dtype=float
        )
    out = np.zeros(len(codes))
    for k, row in enumerate(rows):
        out += row[codes[:, k]]
    return out


def _wrap(x: IntArray) -> IntArray:
    """Wrap int64 values to Java ``int`` (values stay small enough not to overflow int64)."""
    x = np.asarray(x, dtype=np.int64) & 0xFFFFFFFF
    return np.where(x >= 1 << 31, x - (1 << 32), x).astype(np.int64)
