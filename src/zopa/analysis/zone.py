"""The zone of possible agreement (ZOPA): the outcomes every party prefers to walking away.

An outcome is *individually rational* when every party's utility is at least its reservation value
(within :data:`~zopa.analysis.frontier.IR_TOLERANCE`); the zone of possible agreement is the set of
such outcomes (Raiffa 1982, *The Art and Science of Negotiation*, ch. 4; Fisher & Ury 1981,
*Getting to Yes*, on the BATNA). :func:`zone_of_agreement` reports

- whether the zone exists: exactly, from the individually rational Pareto frontier, which is
  non-empty exactly when some outcome is individually rational (if an outcome is individually
  rational, so is every outcome that dominates it);
- that frontier;
- how many outcomes the zone holds, and what share of the outcome space that is: counted exactly
  where possible, else estimated by seeded Monte Carlo sampling with a 95% Wilson interval, and
  labelled by :attr:`Zone.method`.

Counting without enumeration (additive preferences). Utilities are sums over issues, so the
distribution of the partial utility vectors after the first ``k`` issues determines the count: a
dynamic programme over issues keeps each distinct partial-sum vector with its multiplicity (the
number of option prefixes reaching it), merges equal vectors, and after every issue

- drops a vector that cannot reach every reservation value even with each party's best remaining
  options (its completions count 0), and
- settles at once a vector that reaches every reservation value even with each party's *worst*
  remaining options (its completions all count: multiplicity × product of the remaining issues'
  sizes).

Only vectors near the boundary of the zone survive, which keeps the state count small for most
scenarios; the programme gives up (and the count is sampled) when it exceeds ``max_states``. Both
pruning tests keep a rounding margin, and the final test is exactly the one
:meth:`zopa.model.Scenario.utilities` implies: partial sums are accumulated from 0.0 in issue order,
as the scenario sums utilities, so the exact count equals the count by enumeration bit for bit.

Counting is the #P-hard counting version of a multi-dimensional knapsack problem in general, so no
method is fast for every input; the state cap bounds the time spent before falling back.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.analysis._results import ArrayRecord
from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    as_problem,
    check_reservation,
    check_tables,
    exact_beyond_enumeration,
    frontier_of,
    pareto_frontier,
    pareto_frontier_enumerated,
    rational_part,
)
from zopa.model.errors import ArgumentError, NoAgreementWarning
from zopa.model.problem import BargainingProblem
from zopa.model.random import generator
from zopa.model.scenario import Scenario
from zopa.model.space import OutcomeSpace

__all__ = [
    "DEFAULT_EXACT_LIMIT",
    "DEFAULT_MAX_STATES",
    "DEFAULT_SAMPLES",
    "Zone",
    "ZoneMethod",
    "count_individually_rational",
    "wilson_interval",
    "zone_from_tables",
    "zone_of_agreement",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Seed = int | np.random.Generator | None

#: How the count was obtained: the dynamic programme over issues (additive preferences), a full
#: enumeration of the outcome space, or uniform random sampling (an estimate).
ZoneMethod = Literal["exact-dp", "enumeration", "sampled"]

#: Default number of outcomes sampled when the count cannot be exact.
DEFAULT_SAMPLES = 200_000

#: Largest outcome space enumerated for non-additive preferences.
DEFAULT_EXACT_LIMIT = 1_000_000

#: Largest number of distinct partial-sum vectors the counting programme keeps after an issue.
DEFAULT_MAX_STATES = 200_000

#: Confidence level of the reported intervals.
CONFIDENCE = 0.95

#: Candidate rows held in memory at once (counting programme, sampling, enumeration).
_BUDGET = 1 << 19


@dataclass(frozen=True, eq=False)
class Zone(ArrayRecord):
    """The zone of possible agreement of a negotiation.

    Attributes:
        exists: whether some outcome gives every party at least its reservation value (within
            :data:`~zopa.analysis.frontier.IR_TOLERANCE`).
        exists_exact: whether :attr:`exists` is certain. It is, except when :attr:`frontier` is
            ``None``: there ``exists`` is ``True`` only when a sampled outcome was individually
            rational (certain), and ``False`` means that none of the samples was.
        frontier: the Pareto frontier of the individually rational outcomes (empty when there is
            no zone), or ``None`` when it could not be computed (non-additive preferences over a
            space too large to enumerate, beyond the exact engine of :mod:`zopa.analysis.boxes`).
        count: number of individually rational outcomes: an exact ``int`` when :attr:`exact`, else
            a ``float`` estimate (share of the samples × :attr:`n_outcomes`).
        share: ``count / n_outcomes``.
        exact: whether ``count`` and ``share`` are exact.
        method: ``"exact-dp"`` (counted without enumeration, additive preferences),
            ``"enumeration"`` (every outcome visited) or ``"sampled"`` (estimated).
        samples: number of outcomes sampled (0 for exact counts).
        count_ci: 95% Wilson confidence interval of the count, for estimates only.
        share_ci: 95% Wilson confidence interval of the share, for estimates only.
        n_outcomes: size of the outcome space.
        reservation: the reservation value used for each party.
    """

    exists: bool
    exists_exact: bool
    frontier: Frontier | None
    count: int | float
    share: float
    exact: bool
    method: ZoneMethod
    samples: int
    count_ci: tuple[float, float] | None
    share_ci: tuple[float, float] | None
    n_outcomes: int
    reservation: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dictionary (the count stays an exact ``int`` when it is exact)."""
        return {
            "exists": self.exists,
            "exists_exact": self.exists_exact,
            "method": self.method,
            "exact": self.exact,
            "count": self.count,
            "share": self.share,
            "count_ci": None if self.count_ci is None else list(self.count_ci),
            "share_ci": None if self.share_ci is None else list(self.share_ci),
            "samples": self.samples,
            "n_outcomes": self.n_outcomes,
            "reservation": list(self.reservation),
            "frontier": None if self.frontier is None else self.frontier.to_dict(),
        }


# ---------------------------------------------------------------------------------- faces
def zone_of_agreement(
    problem: Scenario | BargainingProblem,
    *,
    reservation: npt.ArrayLike | None = None,
    seed: Seed = None,
    samples: int = DEFAULT_SAMPLES,
    exact_limit: int = DEFAULT_EXACT_LIMIT,
    max_states: int = DEFAULT_MAX_STATES,
    frontier: Frontier | None = None,
) -> Zone:
    """The zone of possible agreement of a negotiation.

    Additive preferences: existence and frontier are exact (:func:`zone_from_tables`); the count is
    exact unless the counting programme exceeds ``max_states``, in which case it is sampled.
    Other preferences: every outcome is enumerated when there are at most ``exact_limit`` of them
    (one pass gives the count and the frontier); beyond that the count is sampled, and existence
    and the frontier are exact where the frontier can be computed without enumeration (two parties
    with hyper-rectangle utilities, :mod:`zopa.analysis.boxes`), else existence is sampled too and
    no frontier is given.

    Args:
        problem: a scenario or its bargaining problem.
        reservation: reservation value per party; by default the problem's.
        seed: seed or generator for the sampling (used only when the count is estimated).
        samples: number of outcomes sampled for an estimate.
        exact_limit: largest outcome space enumerated for non-additive preferences.
        max_states: state cap of the counting programme.
        frontier: the problem's full Pareto frontier when the caller has it; the zone's frontier
            is then its individually rational part, not recomputed.

    Warns:
        NoAgreementWarning: there is no zone of agreement (or, when sampled, none was found).
    """
    prob = as_problem(problem)
    res = (
        prob.reservation if reservation is None else check_reservation(reservation, prob.n_parties)
    )
    _check_samples(samples)
    ir = None if frontier is None else rational_part(frontier, res)
    if prob.is_additive:
        zone = _zone_additive(prob.tables, res, seed, samples, max_states, ir)
    else:
        zone = _zone_general(prob, res, seed, samples, exact_limit, ir)
    _warn_if_empty(zone)
    return zone


def zone_from_tables(
    tables: Sequence[npt.ArrayLike],
    reservation: npt.ArrayLike,
    *,
    seed: Seed = None,
    samples: int = DEFAULT_SAMPLES,
    max_states: int = DEFAULT_MAX_STATES,
) -> Zone:
    """The zone of possible agreement of an additive problem given as value tables.

    Args:
        tables: per issue, an array ``(parties, options)`` of weighted values
            (:meth:`zopa.model.Scenario.value_tables`); ``U_p(o) = Σ_k tables[k][p, o_k]``.
        reservation: reservation value per party.
        seed: seed or generator, used only if the count has to be sampled.
        samples: number of outcomes sampled for an estimate.
        max_states: state cap of the counting programme (:func:`count_individually_rational`).

    Warns:
        NoAgreementWarning: there is no zone of agreement.

    Examples:
        Two parties, two issues of two options each, both reservation values 0.5:

        >>> t = np.array([[1.0, 0.0], [0.0, 1.0]]) / 2
        >>> zone = zone_from_tables([t, t[::-1]], [0.5, 0.5])
        >>> zone.exists, zone.count, zone.share, zone.method
        (True, 2, 0.5, 'exact-dp')
    """
    arrays = check_tables(tables)
    res = check_reservation(reservation, arrays[0].shape[0])
    _check_samples(samples)
    zone = _zone_additive(arrays, res, seed, samples, max_states, None)
    _warn_if_empty(zone)
    return zone


# ---------------------------------------------------------------------------------- counting
def count_individually_rational(
    tables: Sequence[npt.ArrayLike],
    reservation: npt.ArrayLike,
    *,
    max_states: int = DEFAULT_MAX_STATES,
) -> int | None:
    """The exact number of individually rational outcomes of an additive problem.

    Dynamic programming over issues on the multiset of partial utility vectors (see the module
    docstring); no outcome is enumerated.

    Args:
        tables: per issue, an array ``(parties, options)`` of weighted values.
        reservation: reservation value per party; an outcome counts when every party's utility
            (summed from 0.0 in issue order) is at least its reservation value minus
            :data:`~zopa.analysis.frontier.IR_TOLERANCE`.
        max_states: give up when more distinct partial-sum vectors than this stay undecided after
            an issue.

    Returns:
        The count as an exact ``int``, or ``None`` when the programme gave up.

    Examples:
        >>> t = np.array([[1.0, 0.5, 0.0], [0.0, 0.5, 1.0]])
        >>> count_individually_rational([t, t], [1.0, 1.0])
        3
    """
    if max_states < 1:
        raise ArgumentError(f"max_states: expected an integer >= 1, got {max_states}")
    arrays = check_tables(tables)
    parties = arrays[0].shape[0]
    floor = check_reservation(reservation, parties) - IR_TOLERANCE
    sizes = [int(t.shape[1]) for t in arrays]
    total_outcomes = math.prod(sizes)
    if parties == 0:
        return total_outcomes
    m = len(arrays)
    # low[k], high[k]: the least and the most each party can add with issues k, k+1, ..., m-1.
    low = np.zeros((m + 1, parties))
    high = np.zeros((m + 1, parties))
    low[:m] = np.cumsum(np.stack([t.min(axis=1) for t in arrays])[::-1], axis=0)[::-1]
    high[:m] = np.cumsum(np.stack([t.max(axis=1) for t in arrays])[::-1], axis=0)[::-1]
    # remaining[k]: number of completions of a prefix of k issues.
    remaining = [math.prod(sizes[k:]) for k in range(m + 1)]
    # Rounding margin for the two pruning tests: a bound and the sum it bounds, both computed in
    # floating point, differ by far less than this.
    scale = max(
        1.0,
        float(sum(np.abs(t).max(initial=0.0) for t in arrays)),
        float(np.abs(floor).max(initial=0.0)),
    )
    margin = 16.0 * (m + 1) * float(np.finfo(float).eps) * scale
    # Multiplicities are int64 while every count fits, Python ints otherwise.
    dtype: type[Any] = np.int64 if total_outcomes < 2**62 else object

    def classify(
        states: FloatArray, mult: npt.NDArray[Any], k: int
    ) -> tuple[npt.NDArray[np.bool_], int]:
        """Count the states settled after ``k`` issues; return (undecided mask, count)."""
        if k == m:
            ok = (states >= floor).all(axis=1)
            return np.zeros_like(ok), int(mult[ok].sum())
        dead = (states + high[k] < floor - margin).any(axis=1)
        sure = (states + low[k] >= floor + margin).all(axis=1)
        counted = int(mult[sure].sum()) * remaining[k] if sure.any() else 0
        return ~(dead | sure), counted

    states = np.zeros((1, parties))
    mult = np.ones(1, dtype=dtype)
    undecided, count = classify(states, mult, 0)
    states, mult = states[undecided], mult[undecided]
    for k, table in enumerate(arrays):
        if states.shape[0] == 0:
            break
        options = table.T  # (options, parties)
        block = max(1, _BUDGET // states.shape[0])
        pieces: list[tuple[FloatArray, npt.NDArray[Any]]] = []
        held = 0
        for start in range(0, options.shape[0], block):
            opts = options[start : start + block]
            cand = (states[:, None, :] + opts[None, :, :]).reshape(-1, parties)
            cand_mult = np.repeat(mult, opts.shape[0])
            undecided, counted = classify(cand, cand_mult, k + 1)
            count += counted
            piece = _merge(cand[undecided], cand_mult[undecided])
            pieces.append(piece)
            held += piece[0].shape[0]
            if held > 4 * max_states:
                pieces = [_merge(*_concat(pieces))]
                held = pieces[0][0].shape[0]
                if held > max_states:
                    return None
        states, mult = _merge(*_concat(pieces))
        if states.shape[0] > max_states:
            return None
    return count


def _concat(
    pieces: list[tuple[FloatArray, npt.NDArray[Any]]],
) -> tuple[FloatArray, npt.NDArray[Any]]:
    return np.concatenate([p[0] for p in pieces]), np.concatenate([p[1] for p in pieces])


def _merge(states: FloatArray, mult: npt.NDArray[Any]) -> tuple[FloatArray, npt.NDArray[Any]]:
    """Equal rows merged into one, their multiplicities added (rows come back sorted)."""
    if states.shape[0] <= 1:
        return states, mult
    order = np.lexsort(states.T[::-1])
    rows = states[order]
    starts = np.flatnonzero(np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)]))
    return rows[starts], np.add.reduceat(mult[order], starts)


# ---------------------------------------------------------------------------------- sampling
def wilson_interval(
    successes: int, trials: int, *, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson 1927, "Probable inference, the law
    of succession, and statistical inference", *JASA* 22(158): 209-212).

    Examples:
        >>> lo, hi = wilson_interval(0, 100)
        >>> lo, round(hi, 4)
        (0.0, 0.037)
    """
    if trials < 1:
        raise ArgumentError(f"expected at least one trial, got {trials}")
    if not 0 <= successes <= trials:
        raise ArgumentError(f"expected successes in 0..{trials}, got {successes}")
    if not 0.0 < confidence < 1.0:
        raise ArgumentError(f"expected a confidence level in (0, 1), got {confidence}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2.0)
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * math.sqrt(p * (1.0 - p) / trials + z2n / (4.0 * trials))
    lo = 0.0 if successes == 0 else max(0.0, centre - half)
    hi = 1.0 if successes == trials else min(1.0, centre + half)
    return lo, hi


def _sample_hits(
    utility: Callable[[IntArray], FloatArray],
    sizes: Sequence[int],
    floor: FloatArray,
    samples: int,
    rng: np.random.Generator,
) -> int:
    """How many of ``samples`` outcomes drawn uniformly (with replacement) are rational."""
    hits = 0
    space = OutcomeSpace.of_sizes(sizes)
    step = max(1, _BUDGET // max(len(sizes), 1))
    for start in range(0, samples, step):
        codes = space.sample(min(step, samples - start), seed=rng)
        hits += int((utility(codes) >= floor).all(axis=1).sum())
    return hits


def _sampled_zone(
    utility: Callable[[IntArray], FloatArray],
    sizes: Sequence[int],
    res: FloatArray,
    seed: Seed,
    samples: int,
    frontier: Frontier | None,
) -> Zone:
    rng = generator(seed)
    hits = _sample_hits(utility, sizes, res - IR_TOLERANCE, samples, rng)
    n_outcomes = math.prod(sizes)
    lo, hi = wilson_interval(hits, samples)
    share = hits / samples
    exists = len(frontier) > 0 if frontier is not None else hits > 0
    return Zone(
        exists=exists,
        exists_exact=frontier is not None or hits > 0,
        frontier=frontier,
        count=share * n_outcomes,
        share=share,
        exact=False,
        method="sampled",
        samples=samples,
        count_ci=(lo * n_outcomes, hi * n_outcomes),
        share_ci=(lo, hi),
        n_outcomes=n_outcomes,
        reservation=tuple(float(r) for r in res),
    )


# ---------------------------------------------------------------------------------- engines
def _zone_additive(
    tables: Sequence[npt.ArrayLike],
    res: FloatArray,
    seed: Seed,
    samples: int,
    max_states: int,
    frontier: Frontier | None,
) -> Zone:
    arrays = check_tables(tables)
    sizes = [int(t.shape[1]) for t in arrays]
    n_outcomes = math.prod(sizes)
    if frontier is None:
        frontier = pareto_frontier(arrays, reservation=res)
    count: int | None = 0
    if len(frontier):
        count = count_individually_rational(arrays, res, max_states=max_states)
    if count is None:

        def utility(codes: IntArray) -> FloatArray:
            out = np.zeros((codes.shape[0], res.shape[0]))
            for k, t in enumerate(arrays):
                out += t[:, codes[:, k]].T
            return out

        return _sampled_zone(utility, sizes, res, seed, samples, frontier)
    return _exact_zone(frontier, count, n_outcomes, res, "exact-dp")


def _zone_general(
    scenario: BargainingProblem,
    res: FloatArray,
    seed: Seed,
    samples: int,
    exact_limit: int,
    frontier: Frontier | None,
) -> Zone:
    n_outcomes = scenario.space.cardinality
    floor = res - IR_TOLERANCE
    if n_outcomes > exact_limit:
        if frontier is None and exact_beyond_enumeration(scenario):
            frontier = rational_part(frontier_of(scenario), res)
        return _sampled_zone(scenario.utilities, scenario.space.sizes, res, seed, samples, frontier)

    # One pass: the frontier engine enumerates, and the counter sees every chunk on the way.
    hits = 0

    def counting(codes: IntArray) -> FloatArray:
        nonlocal hits
        values = np.asarray(scenario.utilities(codes), dtype=float)
        hits += int((values >= floor).all(axis=1).sum())
        return values

    frontier = pareto_frontier_enumerated(
        counting,
        scenario.space.sizes,
        reservation=res,
        limit=max(exact_limit, n_outcomes),
        chunk=_BUDGET,
    )
    return _exact_zone(frontier, hits, n_outcomes, res, "enumeration")


def _exact_zone(
    frontier: Frontier, count: int, n_outcomes: int, res: FloatArray, method: ZoneMethod
) -> Zone:
    return Zone(
        exists=count > 0,
        exists_exact=True,
        frontier=frontier,
        count=count,
        share=count / n_outcomes,
        exact=True,
        method=method,
        samples=0,
        count_ci=None,
        share_ci=None,
        n_outcomes=n_outcomes,
        reservation=tuple(float(r) for r in res),
    )


# ---------------------------------------------------------------------------------- helpers
def _warn_if_empty(zone: Zone) -> None:
    if zone.exists:
        return
    if zone.exists_exact:
        message = (
            "there is no zone of agreement: no outcome gives every party its reservation value "
            f"{list(zone.reservation)}"
        )
    else:
        message = (
            f"no zone of agreement found: none of {zone.samples:,} sampled outcomes gives every "
            f"party its reservation value {list(zone.reservation)} (the space of "
            f"{zone.n_outcomes:,} outcomes is too large to enumerate)"
        )
    warnings.warn(message, NoAgreementWarning, stacklevel=3)


def _check_samples(samples: int) -> None:
    if samples < 1:
        raise ArgumentError(f"samples: expected an integer >= 1, got {samples}")
