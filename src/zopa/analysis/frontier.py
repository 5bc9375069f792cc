"""The Pareto frontier of a negotiation: the outcomes no other outcome makes everyone like as much
and someone like more.

Definitions used throughout (all comparisons exact, on ``float64`` as computed):

- a utility vector ``a`` *dominates* ``b`` when ``a[p] >= b[p]`` for every party ``p`` and
  ``a != b``;
- the *Pareto frontier* of a set of outcomes is the set of **distinct** utility vectors that no
  outcome's vector dominates, each with **one** representative outcome (see :class:`Frontier`).

Two engines, one result type:

- :func:`pareto_frontier` builds the exact frontier of an *additive* problem without enumerating
  the outcome space, by dynamic programming over issues: the frontier of a Minkowski sum of sets is
  contained in the Minkowski sum of their frontiers, so the partial utility sums of the first ``k``
  issues can be pruned to their own frontier after every issue. This is the multi-objective
  knapsack construction of Klamroth & Wiecek (2000), "Dynamic programming approaches to the
  multiple criteria knapsack problem", *Naval Research Logistics* 47(1): 57-76, with every issue a
  stage whose options are the items that may be chosen. A space of ``10**50`` outcomes takes well
  under a second when the intermediate frontiers stay small (bilateral problems).
- :func:`pareto_frontier_enumerated` enumerates the outcome space in chunks for preferences that are
  not additive, keeping a running frontier, and refuses spaces beyond a size guard.

:func:`frontier_of` picks the right one for a :class:`~zopa.model.Scenario` or its
:class:`~zopa.model.problem.BargainingProblem`, and hands two-party hyper-rectangle problems too
large to enumerate to the exact engine of :mod:`zopa.analysis.boxes`.
:func:`nondominated_mask` is the non-dominated filter both engines use (the maxima of a set of
vectors, Kung, Luccio & Preparata 1975, "On finding the maxima of a set of vectors", *Journal of the
ACM* 22(4): 469-476): a sort and a sweep for two parties, a sort and a sweep over a staircase for
three, a sort by sum and block-wise vectorised dominance checks for more.

Floating point: utilities are summed issue by issue in the scenario's issue order, starting from
0.0, exactly as :meth:`zopa.model.Scenario.utilities` does, so the vectors returned here are
bit-for-bit the ones the scenario computes for the returned outcomes, and dominance needs no
tolerance. Rounding is monotone, so pruning a dominated partial sum never loses a frontier vector.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.analysis._pandas import data_frame
from zopa.model.errors import ArgumentError, SpaceTooLargeError
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario
from zopa.model.space import OutcomeSpace

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ENUMERATION_FASTER",
    "IR_TOLERANCE",
    "Frontier",
    "FrontierCheck",
    "UtilityFunction",
    "as_problem",
    "check_frontier",
    "exact_beyond_enumeration",
    "frontier_of",
    "is_dominated",
    "nondominated_mask",
    "pareto_frontier",
    "pareto_frontier_enumerated",
    "rational_part",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: A utility function over outcomes: integer option codes ``(n, issues)`` to utilities
#: ``(n, parties)`` (e.g. :meth:`zopa.model.Scenario.utilities`).
UtilityFunction = Callable[[IntArray], npt.ArrayLike]

#: Up to this many outcomes, enumerating a non-additive space is faster than the exact engine
#: of :mod:`zopa.analysis.boxes` (one mixed-integer programme per frontier point).
ENUMERATION_FASTER = 100_000

#: An outcome is individually rational when every party's utility is at least its reservation
#: value minus this tolerance.
IR_TOLERANCE = 1e-12

#: Largest number of pairwise comparisons (per party) held in memory at once by the filters.
_BUDGET = 1 << 22
#: Above this many points, the filters first drop what the best :data:`_SEEDS` sums dominate.
_PREFILTER = 4096
_SEEDS = 32
#: The three-party sweep's first block of rows, its largest, and how many rows it aims to
#: compare pairwise in a block.
_STAIR_FIRST = 64
_STAIR_MAX = 4096
_STAIR_TESTED = 128
#: Rows per block, and kept rows per chunk, in the filter for four or more parties; above
#: :data:`_RANKS_ABOVE` rows it compares ranks rather than values.
_BLOCK = 256
_RANKS_ABOVE = 128


@dataclass(frozen=True, eq=False)
class Frontier:
    """A Pareto frontier: distinct non-dominated utility vectors, one outcome for each.

    Attributes:
        utilities: array ``(n, parties)`` of distinct, mutually non-dominated utility vectors,
            sorted lexicographically from the highest: by party 0's utility, highest first, ties
            broken by party 1's, and so on. With two parties that is party 0 strictly decreasing
            and party 1 strictly increasing.
        outcomes: array ``(n, issues)`` of integer option codes; row ``i`` is an outcome whose
            utility vector is ``utilities[i]``. Where several outcomes share a vector, the one with
            the lexicographically smallest codes is chosen (the first in
            :meth:`zopa.model.Scenario.enumerate` order). For :func:`pareto_frontier` this holds
            among the outcomes whose partial sums survive pruning, which is all of them whenever the
            partial sums are exact (e.g. values and weights on a binary grid such as quarters); in
            rare cases where rounding makes a dominated partial sum catch up, a different outcome
            with exactly the same utility vector may be returned. For
            :func:`zopa.analysis.boxes.box_frontier` (hyper-rectangle spaces too large to
            enumerate) it is the outcome the solver found, made of each option class's smallest
            code: same vectors as brute force, not necessarily the same outcomes.

    Both arrays are read-only.
    """

    utilities: FloatArray
    outcomes: IntArray

    def __len__(self) -> int:
        return int(self.utilities.shape[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frontier):
            return NotImplemented
        return bool(
            np.array_equal(self.utilities, other.utilities)
            and np.array_equal(self.outcomes, other.outcomes)
        )

    @property
    def n_parties(self) -> int:
        """Number of parties (columns of :attr:`utilities`)."""
        return int(self.utilities.shape[1])

    def to_dict(self) -> dict[str, Any]:
        """Plain lists, ready for JSON: ``{"utilities": [[...]], "outcomes": [[...]]}``."""
        return {"utilities": self.utilities.tolist(), "outcomes": self.outcomes.tolist()}

    def to_frame(self, scenario: Scenario | None = None) -> pd.DataFrame:
        """One row per frontier point, in frontier order (needs pandas).

        Columns have two levels: ``("utility", party)`` for each party's utility and
        ``("outcome", issue)`` for the point's option on each issue. With ``scenario`` (the one
        the frontier was computed for), parties and issues are named and options are option
        names; without it, parties and issues are numbered and options are codes.
        ``frame["utility"]`` is then the utilities as a frame of their own.

        Examples:
            >>> f = pareto_frontier([np.array([[1.0, 0.5, 0.0], [0.0, 0.5, 1.0]])])
            >>> f.to_frame()["utility"].to_numpy().tolist()
            [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
        """
        parties: Sequence[Hashable] = range(self.n_parties)
        issues: Sequence[Hashable] = range(self.outcomes.shape[1])
        options: list[Any] = [self.outcomes[:, k] for k in range(len(issues))]
        if scenario is not None:
            if (scenario.n_parties, scenario.n_issues) != (self.n_parties, len(issues)):
                raise ArgumentError(
                    f"expected a scenario with {self.n_parties} parties and {len(issues)} issues, "
                    f'got "{scenario.name}" with {scenario.n_parties} and {scenario.n_issues}'
                )
            parties = [p.name for p in scenario.parties]
            issues = [i.name for i in scenario.issues]
            options = [
                np.asarray(issue.options, dtype=object)[self.outcomes[:, k]]
                for k, issue in enumerate(scenario.issues)
            ]
        columns: dict[Hashable, Any] = {
            ("utility", p): self.utilities[:, j] for j, p in enumerate(parties)
        }
        columns.update({("outcome", i): options[k] for k, i in enumerate(issues)})
        return data_frame(columns, index_name="point")


# ---------------------------------------------------------------------------------- filters
def nondominated_mask(points: npt.ArrayLike) -> BoolArray:
    """Which rows of ``points`` are on the Pareto frontier of the rows.

    Args:
        points: array ``(n, parties)`` of finite utility vectors.

    Returns:
        Boolean mask of length ``n``: ``True`` for exactly one row per distinct non-dominated
        vector, the first such row (lowest index). Comparisons are exact.

    Two parties: sort by ``(u0, u1)`` descending (stable, so equal rows keep their order) and keep
    each row whose ``u1`` is strictly above every earlier row's, ``O(n log n)``. Three parties: sort
    lexicographically descending and sweep, testing each row by binary search against the 2-d
    staircase of the ``(u1, u2)`` pairs kept so far (Kung, Luccio & Preparata 1975).
    More parties: sort by the sum of utilities descending, so that any row dominating another comes
    before it, drop repeated rows, then test blocks of rows against the frontier found so far and
    against each other with vectorised comparisons, ``O(n·h·parties)`` at worst; the strong rows
    found first dismiss most dominated rows early (Chomicki, Godfrey, Gryz & Liang 2003). Above a
    few thousand rows, the rows that the best few by sum of utilities dominate are dropped first, so
    that mostly dominated sets (chunks of an enumerated outcome space) are sorted only in part.
    """
    pts = _points(points, "points")
    return _nondominated(pts)


def is_dominated(points: npt.ArrayLike, frontier: Frontier | npt.ArrayLike) -> BoolArray:
    """Whether each row of ``points`` is dominated by some row of ``frontier``.

    Args:
        points: array ``(n, parties)`` (or one vector ``(parties,)``) of utility vectors.
        frontier: a :class:`Frontier`, or any array ``(h, parties)`` of utility vectors.

    Returns:
        Boolean mask of length ``n`` (a vector lying *on* the frontier is not dominated by it).
    """
    pts = _points(np.atleast_2d(np.asarray(points, dtype=float)), "points")
    ref = frontier.utilities if isinstance(frontier, Frontier) else frontier
    front = _points(np.atleast_2d(np.asarray(ref, dtype=float)), "frontier")
    if front.shape[1] != pts.shape[1]:
        raise ArgumentError(
            f"expected points with {front.shape[1]} columns (one per party), got {pts.shape[1]}"
        )
    return _dominated_pairwise(pts, front)


def _dominated_pairwise(pts: FloatArray, front: FloatArray) -> BoolArray:
    out = np.zeros(pts.shape[0], dtype=bool)
    if front.shape[0] == 0 or pts.shape[0] == 0:
        return out
    step = max(1, _BUDGET // front.shape[0])
    for start in range(0, pts.shape[0], step):
        x = pts[start : start + step]
        ge = np.ones((x.shape[0], front.shape[0]), dtype=bool)
        gt = np.zeros_like(ge)
        for p in range(pts.shape[1]):
            ge &= front[None, :, p] >= x[:, None, p]
            gt |= front[None, :, p] > x[:, None, p]
        out[start : start + step] = (ge & gt).any(axis=1)
    return out


def as_floats(x: Any, what: str) -> FloatArray:
    """``x`` as a float array, or :class:`ArgumentError` naming ``what`` (shared by the engines)."""
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise ArgumentError(f"{what}: expected numbers, got {type(x).__name__}") from None


def _points(points: npt.ArrayLike, what: str) -> FloatArray:
    pts = as_floats(points, what)
    if pts.ndim != 2:
        raise ArgumentError(f"expected {what} as a 2-d array (n, parties), got shape {pts.shape}")
    if not np.isfinite(pts).all():
        raise ArgumentError(f"expected finite {what}, got NaN or infinite values")
    return pts


def _nondominated(pts: FloatArray, *, prefilter: bool = True) -> BoolArray:
    n, parties = pts.shape
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    if parties == 0:
        mask[0] = True
        return mask
    if parties == 1:
        mask[int(np.argmax(pts[:, 0]))] = True
        return mask
    # Adding 0.0 turns -0.0 into +0.0 so that equal numbers compare and sort as equal everywhere.
    pts = pts + 0.0
    if prefilter and n > _PREFILTER:
        # Drop, in O(n log k), the points that a few strong points (the best sums) dominate, then
        # sort only the survivors. Equal rows share their fate, so the first one still wins.
        seeds = pts[np.argpartition(-pts.sum(axis=1), _SEEDS)[:_SEEDS]]
        seeds = seeds[_sorted_filter(seeds, np.zeros(_SEEDS, dtype=bool))]
        alive = np.flatnonzero(~_dominated(pts, seeds))
        mask[alive[_sorted_filter(pts[alive], np.zeros(alive.shape[0], dtype=bool))]] = True
        return mask
    return _sorted_filter(pts, mask)


def _sorted_filter(pts: FloatArray, mask: BoolArray) -> BoolArray:
    """Set ``mask`` on the first row of each distinct non-dominated row (at least 2 parties)."""
    n, parties = pts.shape
    if n == 0:
        return mask
    # In this stable order a row can only be dominated by an earlier one, and equal rows are
    # adjacent and keep their order, so the first of each run has the lowest index.
    order, ties = _descending(pts, by_sum=parties > 3)
    if parties == 2:
        u1 = pts[order, 1]
        keep = np.empty(n, dtype=bool)
        keep[0] = True
        keep[1:] = u1[1:] > np.maximum.accumulate(u1)[:-1]
        mask[order[keep]] = True
        return mask
    srt = pts[order]
    sweep = _staircase if parties == 3 else _nondominated_blocks
    if ties:
        first = np.ones(n, dtype=bool)
        first[1:] = (srt[1:] != srt[:-1]).any(axis=1)
        distinct = np.flatnonzero(first)
        kept = distinct[sweep(srt[distinct])]
    else:  # no two rows share the leading key, so no two rows are equal
        kept = sweep(srt)
    mask[order[kept]] = True
    return mask


def _descending(pts: FloatArray, *, by_sum: bool = False) -> tuple[IntArray, bool]:
    """A stable order of the rows in which every row comes after the rows that dominate it.

    Lexicographically descending; or, with ``by_sum``, by the sum of the row descending, ties
    broken lexicographically descending (a row that dominates another has a sum at least as high,
    rounding being monotone, and is lexicographically higher). Rows equal in every column keep
    their order. Also says whether two rows share the leading key (``u0``, or the sum): when none
    do, no two rows are equal.

    The leading key is sorted with NumPy's fastest sort; that order is the only one wherever the
    key is unique, and the runs of equal keys are then sorted by the remaining columns and by
    position, which makes the whole order stable.
    """
    n, parties = pts.shape
    key = pts[:, 0].copy()
    if by_sum:
        for p in range(1, parties):  # column by column: the same additions for every row
            key += pts[:, p]
    order = np.argsort(-key)
    lead = key[order]
    tied = lead[1:] == lead[:-1]
    if not tied.any():
        return order, False
    in_run = np.zeros(n, dtype=bool)
    in_run[1:] = tied
    in_run[:-1] |= tied
    at = np.flatnonzero(in_run)
    rows = order[at]
    run = np.cumsum(np.concatenate(([True], ~tied[at[1:] - 1])))  # which run each row is in
    rest = range(0 if by_sum else 1, parties)
    keys = (rows, *(-pts[rows, p] for p in reversed(rest)), run)
    order[at] = rows[np.lexsort(keys)]
    return order, True


def _staircase(x: FloatArray) -> IntArray:
    """Rows of ``x`` (3 columns, distinct, sorted lexicographically descending) that no earlier
    row dominates, in order.

    An earlier row has ``u0`` at least as high, so it dominates a later one exactly when it is at
    least as high in ``(u1, u2)`` as well. The rows kept so far are summarised by a staircase of
    their ``(u1, u2)`` pairs, sorted by ``u1`` ascending and each with a ``u2`` above that of every
    pair after it: the highest ``u2`` among the kept rows with ``u1 >= a`` is then the ``u2`` of
    the first pair with ``u1 >= a``, found by binary search. Rows are swept in blocks: each block
    is tested against the staircase (``O(log h)`` a row), the rows left against the earlier rows
    of the block (pairwise), and the survivors are merged into the staircase. This is the
    three-dimensional sweep of Kung, Luccio & Preparata (1975) with a block of rows per step; the
    block grows while the staircase rejects most rows, so that few are compared pairwise.
    """
    n = x.shape[0]
    x1, x2 = x[:, 1], x[:, 2]
    s1 = np.empty(0)
    s2 = np.full(1, -np.inf)  # the staircase's u2, with a sentinel below every row at the end
    kept: list[IntArray] = []
    start, size = 0, _STAIR_FIRST
    while start < n:
        b1, b2 = x1[start : start + size], x2[start : start + size]
        rows = np.flatnonzero(s2[s1.searchsorted(b1)] < b2)
        tested = rows.shape[0]
        if tested > 1:
            a1, a2 = b1[rows], b2[rows]
            ge = a1 >= a1[:, None]  # ge[i, k]: row k is at least as high as row i in (u1, u2)
            ge &= a2 >= a2[:, None]
            ge &= np.tri(tested, tested, -1, dtype=bool)  # and comes before it
            rows = rows[~ge.any(axis=1)]
        if rows.shape[0]:
            kept.append(rows + start)
            c1 = np.concatenate((s1, b1[rows]))
            c2 = np.concatenate((s2[:-1], b2[rows]))
            by = c1.argsort(kind="stable")
            c1, c2 = c1[by], c2[by]
            # A pair stays when its u2 is above that of every pair after it; a pair that goes
            # has one after it at least as high in both, which answers the same queries.
            stays = np.empty(c2.shape[0], dtype=bool)
            stays[-1] = True
            stays[:-1] = c2[:-1] > np.maximum.accumulate(c2[::-1])[::-1][1:]
            s1 = c1[stays]
            s2 = np.concatenate((c2[stays], [-np.inf]))
        start += size
        size = min(_STAIR_MAX, max(_STAIR_FIRST, size * _STAIR_TESTED // max(tested, 1)))
    return np.concatenate(kept) if kept else np.zeros(0, dtype=np.int64)


def _dominated(pts: FloatArray, front: FloatArray) -> BoolArray:
    """Whether each row of ``pts`` is dominated by a row of ``front`` (mutually non-dominated)."""
    if pts.shape[1] == 2 and front.shape[0]:
        # Sorted by u0 descending, a frontier has u1 increasing: of the rows with u0 >= x0, the
        # last has the largest u1, and it dominates x unless it equals x.
        order = np.argsort(-front[:, 0])
        f0, f1 = front[order, 0], front[order, 1]
        j = np.searchsorted(-f0, -pts[:, 0], side="right")
        found = j > 0
        best = np.maximum(j - 1, 0)
        b0, b1 = f0[best], f1[best]
        dominated: BoolArray = found & (b1 >= pts[:, 1]) & ((b0 > pts[:, 0]) | (b1 > pts[:, 1]))
        return dominated
    return _dominated_pairwise(pts, front)


def _nondominated_blocks(x: FloatArray) -> IntArray:
    """Rows of ``x`` (distinct, each after the rows that dominate it; see :func:`_descending`)
    that no earlier row dominates, in order.

    Blocks of rows are tested against the rows kept so far, a chunk of them at a time, dropping
    the rows found dominated before the next chunk, and then against each other. In order of
    decreasing sum the first rows kept are strong ones that dominate many of the later rows, which
    therefore drop out after few comparisons; the rows kept are compared with every row kept
    before them (the block-nested-loops scheme with presorting of Chomicki, Godfrey, Gryz & Liang
    2003, "Skyline with presorting", ICDE, with vectorised blocks). Above a few hundred rows the
    comparisons are made on each column's ranks, small integers that order exactly as the values
    do and compare several times faster.
    """
    n, parties = x.shape
    if n <= _RANKS_ABOVE:  # one block: the rows against each other
        ge = x[:, 0] >= x[:, 0, None]
        for p in range(1, parties):
            ge &= x[:, p] >= x[:, p, None]
        ge.flat[:: n + 1] = False  # each row is >= itself
        return np.flatnonzero(~ge.any(axis=1))
    xt = _ranks(x)  # columns contiguous, so that comparisons run over whole rows
    found = np.empty((parties, n), dtype=xt.dtype)
    kept: list[IntArray] = []
    n_found = 0
    for start in range(0, n, _BLOCK):
        index = np.arange(start, min(n, start + _BLOCK))
        for lo in range(0, n_found, _BLOCK):
            ref = found[:, lo : min(n_found, lo + _BLOCK)]
            rows = xt[:, index]
            ge = ref[0] >= rows[0][:, None]
            for p in range(1, parties):
                ge &= ref[p] >= rows[p][:, None]
            index = index[~ge.any(axis=1)]
            if index.shape[0] == 0:
                break
        if index.shape[0] > 1:
            rows = xt[:, index]
            ge = rows[0] >= rows[0][:, None]
            for p in range(1, parties):
                ge &= rows[p] >= rows[p][:, None]
            # Each row is >= itself, and only an earlier row can be >= another without being equal.
            ge.flat[:: index.shape[0] + 1] = False
            index = index[~ge.any(axis=1)]
        found[:, n_found : n_found + index.shape[0]] = xt[:, index]
        n_found += index.shape[0]
        kept.append(index)
    return np.concatenate(kept)


def _ranks(x: FloatArray) -> npt.NDArray[np.signedinteger[Any]]:
    """Each column's dense ranks, as an array ``(parties, n)``: equal values share a rank and
    ``x[i, p] >= x[j, p]`` exactly when ``rank[p, i] >= rank[p, j]``."""
    n = x.shape[0]
    order = np.argsort(x, axis=0)
    srt = np.take_along_axis(x, order, axis=0)
    step = np.zeros(x.shape, dtype=np.int32)
    step[1:] = srt[1:] != srt[:-1]
    dense = np.cumsum(step, axis=0, dtype=np.int32)
    ranks = np.empty_like(dense)
    np.put_along_axis(ranks, order, dense, axis=0)
    return np.ascontiguousarray(
        ranks.T, dtype=np.int16 if n <= np.iinfo(np.int16).max else np.int32
    )


# ---------------------------------------------------------------------------------- additive
def pareto_frontier(
    tables: Sequence[npt.ArrayLike],
    *,
    reservation: npt.ArrayLike | None = None,
    bound: Callable[[int, FloatArray], BoolArray] | None = None,
) -> Frontier:
    """The exact Pareto frontier of an additive problem, without enumerating its outcomes.

    Utilities are additive: ``U_p(o) = Σ_k tables[k][p, o_k]`` (summed from 0.0 in issue order).
    Issues are processed one at a time; after each, the partial sums are cut back to their own
    Pareto frontier (Klamroth & Wiecek 2000, dynamic programming for the multiple criteria knapsack
    problem), keeping per issue a back-pointer to the parent partial sum and the option chosen, from
    which each frontier vector's option codes are recovered. The cost is driven by the sizes of the
    intermediate frontiers, not by the size of the outcome space.

    Args:
        tables: per issue, an array ``(parties, options)`` of weighted values, as returned by
            :meth:`zopa.model.Scenario.value_tables`. Any number of parties.
        reservation: optional reservation value per party. When given, only individually rational
            outcomes count (every party at least its reservation value, within
            :data:`IR_TOLERANCE`), and partial sums that cannot reach every reservation value even
            with each party's best remaining options are dropped early.
        bound: optional branch and bound (Land & Doig 1960, "An automatic method of solving
            discrete programming problems", *Econometrica* 28(3): 497-520): called as
            ``bound(k, partial)`` with the partial sums ``(n, parties)`` of issues ``0..k``, it
            returns which may still complete to an outcome worth keeping. It must keep every
            prefix of every such outcome (an optimistic test), and the set of outcomes worth
            keeping must be closed upwards (an outcome dominating a kept one is kept); the result
            is then exactly the part of the frontier made of outcomes worth keeping.

    Returns:
        A :class:`Frontier` (possibly empty when ``reservation`` excludes every outcome).

    Raises:
        ValueError: no issue, tables of different party counts, non-finite values, or a
            reservation of the wrong shape.

    Examples:
        Two parties dividing one issue of three options:

        >>> f = pareto_frontier([np.array([[1.0, 0.5, 0.0], [0.0, 0.5, 1.0]])])
        >>> f.utilities.tolist(), f.outcomes.ravel().tolist()
        ([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]], [0, 1, 2])
    """
    arrays = check_tables(tables)
    parties = arrays[0].shape[0]
    floor = None if reservation is None else check_reservation(reservation, parties) - IR_TOLERANCE
    # rest[k]: the most each party can still add with the issues after k (for the IR bound).
    most = np.stack([t.max(axis=1) for t in arrays])
    rest = np.zeros_like(most)
    rest[:-1] = np.cumsum(most[::-1], axis=0)[::-1][1:]
    # Slack for rounding: the computed bound may fall short of a reachable sum by a few ulps.
    scale = max(1.0, float(sum(np.abs(t).max(initial=0.0) for t in arrays)))
    slack = 4.0 * (len(arrays) + 1) * float(np.finfo(float).eps) * scale

    # Partial sums are kept in lexicographic order of their option codes: candidate
    # ``parent * options + option`` then enumerates the next stage in that order too, so the
    # filter's "first of equal rows" is the lexicographically smallest prefix.
    current = np.zeros((1, parties))
    stages: list[IntArray] = []
    # Partial sums that cannot reach every reservation value are dropped before the filter, or,
    # with two parties once that drops few of them, after it (fewer rows to test than the filter
    # saves). Both keep the same rows: a row that dominates one that can reach them can too (the
    # test is monotone), and equal rows fare alike.
    screen_first = True
    for k, table in enumerate(arrays):
        width = table.shape[1]
        candidates = (current[:, None, :] + table.T[None, :, :]).reshape(
            current.shape[0] * width, parties
        )
        index: IntArray | None = None
        screened = False
        if floor is not None and screen_first:
            screened = True
            reachable = ((candidates + rest[k]) >= floor - slack).all(axis=1)
            dropped = reachable.shape[0] - int(np.count_nonzero(reachable))
            screen_first = parties > 2 or 4 * dropped >= reachable.shape[0]
            if dropped:
                index = np.flatnonzero(reachable)
                candidates = candidates[index]
        if bound is not None:
            hopeful = np.flatnonzero(np.asarray(bound(k, candidates), dtype=bool))
            if hopeful.shape[0] < candidates.shape[0]:
                index = hopeful if index is None else index[hopeful]
                candidates = candidates[hopeful]
        keep = np.flatnonzero(_nondominated(candidates, prefilter=False))  # crowded: no screening
        current = candidates[keep]
        if index is not None:
            keep = index[keep]
        if floor is not None and not screened:
            reachable = ((current + rest[k]) >= floor - slack).all(axis=1)
            dropped = reachable.shape[0] - int(np.count_nonzero(reachable))
            screen_first = 4 * dropped >= reachable.shape[0]
            if dropped:
                current, keep = current[reachable], keep[reachable]
        stages.append(keep)
        if current.shape[0] == 0:
            break

    if floor is not None and current.shape[0]:
        rational = (current >= floor).all(axis=1)
        current, stages[-1] = current[rational], stages[-1][rational]
    outcomes = np.zeros((current.shape[0], len(arrays)), dtype=np.int64)
    if current.shape[0]:
        rows = np.arange(current.shape[0])
        for k in reversed(range(len(arrays))):
            chosen = stages[k][rows]
            width = arrays[k].shape[1]
            outcomes[:, k] = chosen % width
            rows = chosen // width
    return _frontier(current, outcomes)


def check_tables(tables: Sequence[npt.ArrayLike]) -> list[FloatArray]:
    """Per-issue value tables as float arrays ``(parties, options)``, checked (shared by the
    engines that take tables)."""
    if isinstance(tables, (str, bytes)) or not isinstance(tables, Sequence | np.ndarray):
        raise ArgumentError(
            f"tables: expected one (parties, options) array per issue, got {type(tables).__name__}"
        )
    arrays = [as_floats(t, f"tables[{k}]") for k, t in enumerate(tables)]
    if not arrays:
        raise ArgumentError("expected at least one issue's value table, got none")
    parties = arrays[0].shape[0] if arrays[0].ndim == 2 else -1
    for k, t in enumerate(arrays):
        if t.ndim != 2 or t.shape[0] != parties:
            raise ArgumentError(
                f"expected tables[{k}] of shape (parties, options) with "
                f"{max(parties, 0)} parties like tables[0], got shape {t.shape}"
            )
        if t.shape[1] == 0:
            raise ArgumentError(f"expected at least one option in tables[{k}], got none")
        if not np.isfinite(t).all():
            raise ArgumentError(f"expected finite values in tables[{k}], got NaN or infinite ones")
    return arrays


def check_reservation(reservation: npt.ArrayLike, parties: int) -> FloatArray:
    """A reservation vector of one finite value per party, checked."""
    res = as_floats(reservation, "reservation")
    if res.shape != (parties,):
        raise ArgumentError(
            f"expected one reservation value per party ({parties}), got {res.shape}"
        )
    if not np.isfinite(res).all():
        raise ArgumentError("expected finite reservation values, got NaN or infinite ones")
    return res


def _frontier(utilities: FloatArray, outcomes: IntArray) -> Frontier:
    """A :class:`Frontier` from non-dominated rows, sorted lexicographically descending."""
    if utilities.shape[0] > 1 and utilities.shape[1]:
        cols = tuple(-utilities[:, p] for p in reversed(range(utilities.shape[1])))
        order = np.lexsort(cols)
        utilities, outcomes = utilities[order], outcomes[order]
    utilities = np.ascontiguousarray(utilities, dtype=np.float64)
    outcomes = np.ascontiguousarray(outcomes, dtype=np.int64)
    utilities.setflags(write=False)
    outcomes.setflags(write=False)
    return Frontier(utilities=utilities, outcomes=outcomes)


# ---------------------------------------------------------------------------------- enumeration
def pareto_frontier_enumerated(
    source: Scenario | BargainingProblem | UtilityFunction,
    sizes: Sequence[int] | None = None,
    *,
    reservation: npt.ArrayLike | None = None,
    limit: int = 10_000_000,
    chunk: int = 1_000_000,
) -> Frontier:
    """The Pareto frontier by enumerating every outcome, for preferences of any form.

    Outcomes are visited in chunks of ``chunk`` (in :meth:`zopa.model.Scenario.enumerate` order,
    last issue fastest), their utilities computed in one vectorised call per chunk, and a running
    frontier is kept with :func:`nondominated_mask`. Memory stays at one chunk plus the frontier;
    time grows with the outcome space, hence the guard.

    Args:
        source: a scenario (its :meth:`~zopa.model.Scenario.utilities` is used), or a utility
            function mapping codes ``(n, issues)`` to utilities ``(n, parties)``.
        sizes: number of options per issue; required with a function, not allowed with a scenario.
        reservation: optional reservation value per party; only individually rational outcomes
            count (within :data:`IR_TOLERANCE`).
        limit: largest outcome space enumerated.
        chunk: outcomes per utility call.

    Raises:
        SpaceTooLargeError: the outcome space has more than ``limit`` outcomes.
        ValueError: inconsistent arguments or utilities that are not finite.
    """
    if isinstance(source, (Scenario, BargainingProblem)):
        if sizes is not None:
            raise ArgumentError("sizes: expected none with a scenario (it has its own issues)")
        space = source.space
        utility: UtilityFunction = source.utilities
    else:
        if sizes is None:
            raise ArgumentError("sizes: expected options per issue with a utility function")
        space = OutcomeSpace.of_sizes(sizes)
        utility = source
    space.check_limit(limit)
    chunks = space.chunks(chunk=chunk)
    shape = space.sizes

    floor = None
    best_u: FloatArray | None = None
    best_codes = np.zeros((0, len(shape)), dtype=np.int64)
    for codes in chunks:
        values = np.asarray(utility(codes), dtype=float)
        if values.ndim != 2 or values.shape[0] != codes.shape[0]:
            raise ArgumentError(
                f"expected utilities of shape ({codes.shape[0]}, parties), got {values.shape}"
            )
        if not np.isfinite(values).all():
            raise ArgumentError("expected finite utilities, got NaN or infinite values")
        if best_u is None:
            best_u = np.zeros((0, values.shape[1]))
            if reservation is not None:
                floor = check_reservation(reservation, values.shape[1]) - IR_TOLERANCE
        if floor is not None:
            rational = (values >= floor).all(axis=1)
            values, codes = values[rational], codes[rational]
        pool_u = np.concatenate([best_u, values])
        pool_codes = np.concatenate([best_codes, codes])
        keep = _nondominated(pool_u)  # earlier rows win ties: enumeration order is kept
        best_u, best_codes = pool_u[keep], pool_codes[keep]
    if best_u is None:  # unreachable for a non-empty space; keeps the types honest
        best_u = np.zeros((0, 0))
    return _frontier(best_u, best_codes)


# ---------------------------------------------------------------------------------- problems
def as_problem(problem: Scenario | BargainingProblem) -> BargainingProblem:
    """The bargaining problem of a scenario (built once and cached by the scenario), or the
    problem itself: every engine accepts either and works on the problem."""
    if isinstance(problem, BargainingProblem):
        return problem
    if isinstance(problem, Scenario):
        return problem.problem()
    raise ArgumentError(f"expected a Scenario or a BargainingProblem, got {type(problem).__name__}")


def frontier_of(
    problem: Scenario | BargainingProblem,
    *,
    individually_rational: bool = False,
    limit: int = 10_000_000,
) -> Frontier:
    """The Pareto frontier of a negotiation, over its parties' utilities.

    Additive preferences: :func:`pareto_frontier` (exact, no enumeration). Otherwise (some party
    has hyper-rectangle utilities): :func:`pareto_frontier_enumerated` for spaces of at most
    :data:`ENUMERATION_FASTER` outcomes, where visiting every outcome is the faster path; for larger
    ones, :func:`zopa.analysis.boxes.box_frontier` (exact, no enumeration of outcomes) when its
    option classes leave few combinations (any number of parties) or between two parties (with the
    ``exact`` extra); else enumeration under the size guard ``limit``.

    Args:
        problem: a scenario or its :class:`~zopa.model.problem.BargainingProblem`.
        individually_rational: keep only outcomes every party prefers, within
            :data:`IR_TOLERANCE`, to its reservation value. The same as the full frontier with
            the other rows left out; engines compute the full one once and filter.
        limit: largest outcome space enumerated for non-additive preferences that the exact
            engine cannot take (more than two parties, or SciPy missing).

    Raises:
        SpaceTooLargeError: enumeration is the only way and the space has more than ``limit``
            outcomes (the message says how to install the extra when that would help).
    """
    prob = as_problem(problem)
    check_limit(limit)
    reservation = prob.reservation if individually_rational else None
    if prob.is_additive:
        return pareto_frontier(prob.tables, reservation=reservation)
    size = prob.space.cardinality
    if size > ENUMERATION_FASTER:
        from zopa.analysis.boxes import INSTALL, box_frontier, has_solver, needs_solver

        solver = needs_solver(prob)
        if not solver or (prob.n_parties == 2 and has_solver()):
            front: Frontier = box_frontier(prob, individually_rational=individually_rational)
            return front
        if size > limit and prob.n_parties == 2:
            raise SpaceTooLargeError(
                f"the outcome space has {size:,} outcomes, more than the limit of {limit:,}; its "
                f"exact frontier needs the exact extra (SciPy's HiGHS solver): {INSTALL}"
            )
    return pareto_frontier_enumerated(
        prob.utilities, prob.space.sizes, reservation=reservation, limit=limit
    )


def exact_beyond_enumeration(problem: Scenario | BargainingProblem) -> bool:
    """Whether :func:`frontier_of` computes the frontier of ``problem`` without enumerating it
    at any size: additive preferences, or two parties with SciPy installed (the ``exact`` extra) or
    few enough combinations of option classes to visit (:func:`zopa.analysis.boxes.needs_solver`)."""
    prob = as_problem(problem)
    if prob.is_additive:
        return True
    from zopa.analysis.boxes import has_solver, needs_solver

    return not needs_solver(prob) or (prob.n_parties == 2 and has_solver())


def check_limit(limit: Any) -> None:
    """Refuse a ``limit`` that is not an integer >= 0 (:class:`ArgumentError`)."""
    if isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 0:
        raise ArgumentError(f"limit: expected an integer >= 0, got {limit!r}")


# ---------------------------------------------------------------------------------- references
@dataclass(frozen=True)
class FrontierCheck:
    """A published frontier (such as GENIUS's ``pareto.xml``) held against the exact one.

    Points are compared at the precision the reference was stored in (GENIUS writes Java
    ``float`` values): a reference point is *on* the exact frontier when it equals, rounded to
    that precision, an exact point in every party; *dominated* when, at that precision, some exact
    point is at least as good for every party and better for one. A reference point that is
    neither would lie beyond the exact frontier: a different evaluation, or a wrong frontier.

    Attributes:
        source: where the reference came from (a file name, for messages).
        size: number of reference points.
        on_frontier: how many of them are exact frontier points.
        dominated: how many an exact point dominates.
        unexplained: how many are neither (0 when both evaluate utilities alike).
        missing: how many exact frontier points the reference lacks.
        largest_gap: over the dominated reference points, the most an exact point dominating one
            gives some party beyond it (0 when none is dominated).
        largest_joint_gap: the same for every party at once: the largest, over dominated
            reference points and the exact points dominating them, of the smallest gain.
    """

    source: str
    size: int
    on_frontier: int
    dominated: int
    unexplained: int
    missing: int
    largest_gap: float
    largest_joint_gap: float

    @property
    def exact(self) -> bool:
        """Whether the reference is the exact frontier (every point on it, none missing)."""
        return self.on_frontier == self.size and self.missing == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "size": self.size,
            "on_frontier": self.on_frontier,
            "dominated": self.dominated,
            "unexplained": self.unexplained,
            "missing": self.missing,
            "largest_gap": self.largest_gap,
            "largest_joint_gap": self.largest_joint_gap,
            "exact": self.exact,
        }


def check_frontier(
    reference: npt.ArrayLike,
    frontier: Frontier,
    *,
    source: str = "reference",
    precision: type[np.floating[Any]] = np.float32,
) -> FrontierCheck:
    """Hold a published frontier against the exact ``frontier`` (see :class:`FrontierCheck`).

    Args:
        reference: array ``(n, parties)`` of the published utility vectors.
        frontier: the exact frontier of the same scenario and parties.
        source: a name for the reference (kept in the result).
        precision: the floating type the reference was stored in (``numpy.float32`` for GENIUS's
            files; ``numpy.float64`` compares exactly).

    Examples:
        >>> exact = pareto_frontier([np.array([[1.0, 0.5, 0.0], [0.0, 0.5, 1.0]])])
        >>> check = check_frontier([[1.0, 0.0], [0.25, 0.25]], exact)
        >>> check.on_frontier, check.dominated, check.missing, check.largest_gap
        (1, 1, 2, 0.25)
    """
    ref = _points(np.atleast_2d(as_floats(reference, "reference")), "reference")
    if ref.shape[0] and ref.shape[1] != frontier.n_parties:
        raise ArgumentError(
            f"reference: expected {frontier.n_parties} utilities per point (one per party), "
            f"got {ref.shape[1]}"
        )
    exact = frontier.utilities
    r = ref.astype(precision)
    f = exact.astype(precision)
    same: BoolArray = np.all(r[:, None, :] == f[None, :, :], axis=2)
    at_least: BoolArray = np.all(f[None, :, :] >= r[:, None, :], axis=2)
    better: BoolArray = at_least & np.any(f[None, :, :] > r[:, None, :], axis=2)
    on = same.any(axis=1)
    dominated = better.any(axis=1)
    gain = exact[None, :, :] - ref[:, None, :]
    most = np.where(better, gain.max(axis=2), -np.inf)
    joint = np.where(better, gain.min(axis=2), -np.inf)
    return FrontierCheck(
        source=source,
        size=int(ref.shape[0]),
        on_frontier=int(on.sum()),
        dominated=int(dominated.sum()),
        unexplained=int((~on & ~dominated).sum()),
        missing=int((~same.any(axis=0)).sum()),
        largest_gap=float(max(0.0, most.max(initial=0.0))),
        largest_joint_gap=float(max(0.0, joint.max(initial=0.0))),
    )


def rational_part(frontier: Frontier, reservation: npt.ArrayLike) -> Frontier:
    """The rows of ``frontier`` every party prefers, within :data:`IR_TOLERANCE`, to its
    reservation value: the individually rational frontier, without recomputing anything."""
    res = check_reservation(reservation, frontier.n_parties)
    keep = (frontier.utilities >= res - IR_TOLERANCE).all(axis=1)
    if keep.all():
        return frontier
    return _frontier(frontier.utilities[keep], frontier.outcomes[keep])
