"""Bargaining solutions: the outcome each classic solution concept picks.

The core is a set of *point selectors*: plain functions over a candidate set of utility vectors
``u`` (array ``(n, parties)``, typically the Pareto frontier from :mod:`zopa.analysis.frontier`)
and a disagreement point ``d`` (array ``(parties,)``, each party's reservation value). Each returns
the index of the chosen row, or ``None`` when no row is individually rational (``u[i, p] >= d[p]``
for every party, within :data:`~zopa.analysis.frontier.IR_TOLERANCE` = 1e-12): then there is no
agreement and everyone gets ``d``.

- :func:`nash_index`: maximise ``Σ_p α_p log(u_p − d_p)`` (Nash 1950; asymmetric powers ``α`` as in
  Binmore, Rubinstein & Wolinsky 1986, e.g. from discount factors via
  :func:`powers_from_discounts`).
- :func:`kalai_smorodinsky_index`: maximise ``min_p (u_p − d_p) / (ideal_p − d_p)`` (Kalai &
  Smorodinsky 1975, discrete analogue).
- :func:`egalitarian_index`: maximise ``min_p (u_p − d_p)`` (Kalai 1977, equal weights).
- :func:`utilitarian_index`: maximise ``Σ_p u_p`` (Harsanyi 1955).
- :func:`genius_kalai_index`: minimise ``max_p u_p − min_p u_p``, the "kalai" point of the ANL 2023
  organisers' ``specials.json`` files (GENIUS-family tooling, Lin et al. 2014).

On a finite candidate set the continuous solutions' axioms do not pin down a unique point; these
selectors are their standard discrete analogues, and the results are points of the candidate set.

**Ties.** Rows whose objective is within ``1e-12 × max(1, |best|)`` of the best are tied (so that
rounding noise cannot decide); among tied rows the one with the highest utilitarian sum wins (same
tolerance), then the lowest index. Breaking ties by the sum makes the Nash, Kalai–Smorodinsky,
egalitarian and utilitarian selectors return a row that no individually rational row dominates.

**GENIUS / ANL conventions**, checked against the organisers' generator
(``utils/create_domains.py`` of ``brenting/ANL-2023-example-agent``) and reproduced to 1e-12 on the
four ``anl2023-domain0*`` folders in the repository's ``tests/data/domains/``:

- ``pareto_front``: the distinct non-dominated utility vectors of all outcomes, with disagreement
  ignored (:func:`zopa.analysis.frontier.pareto_frontier` without a reservation);
- ``nash``: the frontier point with the largest product ``u_A × u_B``, i.e. :func:`nash_index` with
  ``d = 0`` (the ANL 2023 profiles have no reservation bid);
- ``social_welfare``: the frontier point with the largest ``u_A + u_B`` (:func:`utilitarian_index`
  with ``d = 0``);
- ``kalai``: the frontier point with the smallest ``|u_A − u_B|`` (:func:`genius_kalai_index`);
  note that it ignores the disagreement point and each party's best utility, so it is the
  Kalai–Smorodinsky point only when both are normalised (``d = 0``, ideal ``(1, 1)``);
- ``opposition``: the Euclidean distance from ``(1, 1)`` to that ``kalai`` point
  (:func:`opposition` with ``convention="anl"``), **not** GENIUS's distance to the *nearest*
  outcome (``convention="genius"``, which is smaller on three of the four domains);
- ``distribution``: the mean over **all** outcomes of the Euclidean distance to the nearest frontier
  point (:func:`distribution`).

**One settlement path.** :func:`settle` applies a concept to a frontier computed once; every engine
that needs "the deal" (solutions, zone, linkage, agendas, leverage, robustness, analyze) goes
through it. The individually rational frontier for any reservation vector is the full frontier
with the other rows left out (whatever dominates an individually rational outcome is individually
rational too), so one frontier serves every walk-away value and threat. :func:`settle_candidates`
and :func:`settle_columns` are its vectorised form for batches of small candidate sets (robustness
draws, issues settled alone, agendas): they return the row :func:`settle` would pick on each set's
frontier, and take a shortcut only where it provably picks the same row (see
:func:`settle_candidates`). The selectors all run one vectorised core over a batch of candidate
sets, so a single problem and 2,000 draws share the same code.

The scenario face is :func:`solve` / :func:`solve_all`: they compute the frontier once (or take it)
and return :class:`Solution` records.

References:
    - J. Nash (1950), "The bargaining problem", *Econometrica* 18(2): 155–162.
    - E. Kalai & M. Smorodinsky (1975), "Other solutions to Nash's bargaining problem",
      *Econometrica* 43(3): 513–518.
    - E. Kalai (1977), "Proportional solutions to bargaining situations: interpersonal utility
      comparisons", *Econometrica* 45(7): 1623–1630.
    - J. C. Harsanyi (1955), "Cardinal welfare, individualistic ethics, and interpersonal
      comparisons of utility", *Journal of Political Economy* 63(4): 309–321.
    - A. Rubinstein (1982), "Perfect equilibrium in a bargaining model", *Econometrica* 50(1):
      97–109.
    - K. Binmore, A. Rubinstein & A. Wolinsky (1986), "The Nash bargaining solution in economic
      modelling", *RAND Journal of Economics* 17(2): 176–188.
    - R. Lin, S. Kraus, T. Baarslag, D. Tykhonov, K. Hindriks & C. M. Jonker (2014), "Genius: an
      integrated environment for supporting the design of generic automated negotiators",
      *Computational Intelligence* 30(1): 48–70.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

import numpy as np
import numpy.typing as npt

from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    _frontier,
    as_floats,
    as_problem,
    frontier_of,
    nondominated_mask,
)
from zopa.model.errors import ArgumentError, NoAgreementWarning
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario

__all__ = [
    "CONCEPTS",
    "TIE_TOLERANCE",
    "Concept",
    "NoAgreementWarning",
    "Solution",
    "check_concept",
    "distance_to",
    "distance_to_frontier",
    "distribution",
    "egalitarian_index",
    "frontier_of_points",
    "genius_kalai_index",
    "individually_rational",
    "kalai_smorodinsky_index",
    "nash_index",
    "opposition",
    "powers_from_discounts",
    "select",
    "settle",
    "settle_candidates",
    "settle_columns",
    "solve",
    "solve_all",
    "utilitarian_index",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: The solution concepts :func:`solve` knows.
Concept = Literal["nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "genius_kalai"]
CONCEPTS: tuple[Concept, ...] = get_args(Concept)

#: Relative tolerance under which two objective values (or two utilitarian sums) count as tied.
TIE_TOLERANCE = 1e-12

#: Largest number of pairwise distances held in memory at once by :func:`distribution`.
_BUDGET = 1 << 22


# ---------------------------------------------------------------------------------- validation
def _utilities(u: npt.ArrayLike, what: str = "utilities") -> FloatArray:
    arr = as_floats(u, what)
    if arr.ndim != 2 or arr.shape[1] == 0:
        raise ArgumentError(f"expected {what} as a 2-d array (n, parties), got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ArgumentError(f"expected finite {what}, got NaN or infinite values")
    return arr


def _point(p: npt.ArrayLike, parties: int, what: str) -> FloatArray:
    arr = as_floats(p, what)
    if arr.shape != (parties,):
        raise ArgumentError(
            f"expected {what} of shape ({parties},) (one per party), got {arr.shape}"
        )
    if not np.isfinite(arr).all():
        raise ArgumentError(f"expected a finite {what}, got NaN or infinite values")
    return arr


def _problem(u: npt.ArrayLike, d: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    arr = _utilities(u)
    return arr, _point(d, arr.shape[1], "disagreement point")


def _powers(powers: npt.ArrayLike | None, parties: int) -> FloatArray:
    if powers is None:
        return np.full(parties, 1.0 / parties)
    alpha = _point(powers, parties, "powers")
    if (alpha < 0).any() or not alpha.sum() > 0:
        raise ArgumentError(f"expected powers >= 0 with a positive sum, got {alpha.tolist()}")
    return np.asarray(alpha / alpha.sum(), dtype=float)


# ---------------------------------------------------------------------------------- selection
def individually_rational(u: npt.ArrayLike, d: npt.ArrayLike) -> BoolArray:
    """Which rows of ``u`` give every party at least its disagreement utility.

    Args:
        u: utility vectors ``(n, parties)``.
        d: disagreement point ``(parties,)``.

    Returns:
        Boolean mask of length ``n``: ``u[i, p] >= d[p] - IR_TOLERANCE`` for every party ``p``
        (the tolerance :mod:`zopa.analysis.frontier` uses too).
    """
    arr, dis = _problem(u, d)
    return np.asarray((arr >= dis - IR_TOLERANCE).all(axis=1), dtype=bool)


# The selectors below share one vectorised core, :func:`_choose`: it works on a batch of candidate
# sets at once, given per party as ``cols[p]`` of shape ``(batch, n)`` (party-major, so every
# operation runs on contiguous rows), with one disagreement point per set, so that the robustness
# draws and the single-problem calls run the very same code.


def _tie_pick(
    objective: FloatArray, sums: FloatArray, eligible: BoolArray
) -> tuple[IntArray, BoolArray]:
    """Per batch row, the eligible column maximising ``objective``; ties (within
    :data:`TIE_TOLERANCE`, relative) by the highest ``sums`` (same tolerance), then the lowest
    column. ``-1`` where no column is eligible. Also returns the mask of columns still tied after
    both stages."""
    obj = np.where(eligible, objective, -np.inf)
    best = obj.max(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        tied = eligible & (obj >= best - TIE_TOLERANCE * np.maximum(1.0, np.abs(best)))
        s = np.where(tied, sums, -np.inf)
        top = s.max(axis=1, keepdims=True)
        tied &= s >= top - TIE_TOLERANCE * np.maximum(1.0, np.abs(top))
    out: IntArray = np.argmax(tied, axis=1).astype(np.int64)
    out[~tied.any(axis=1)] = -1
    return out, tied


def _choose(
    concept: str,
    cols: Sequence[FloatArray],
    d: FloatArray | None,
    powers: FloatArray | None = None,
) -> tuple[IntArray, BoolArray]:
    """Core of every selector: ``cols[p]`` ``(B, n)`` is party p's utility of each candidate,
    ``d`` ``(B, P)`` the disagreement points (``None`` only for ``genius_kalai``: every row
    eligible). Returns the chosen column per batch row (``-1``: none individually rational), the
    mask of columns left tied after both tie stages (used to prove a fast path exact, see
    :func:`settle_candidates`)."""
    parties = len(cols)
    batch, n = cols[0].shape
    sums = np.zeros((batch, n))
    for c in cols:  # summed in party order, as u.sum(axis=1) does for one row
        sums += c
    if d is None:
        gains = list(cols)
        rational: BoolArray = np.ones((batch, n), dtype=bool)
    else:
        gains = [c - d[:, p, None] for p, c in enumerate(cols)]
        rational = np.ones((batch, n), dtype=bool)
        for p, c in enumerate(cols):  # the frontier's own test: u >= r - IR_TOLERANCE
            rational &= c >= d[:, p, None] - IR_TOLERANCE
    eligible = rational
    if concept == "nash":
        alpha = _powers(powers, parties)
        active = [p for p in range(parties) if alpha[p] > 0]
        positive = rational.copy()
        logs = np.zeros((batch, n))
        for p in active:
            g = gains[p]
            up = g > 0
            positive &= up
            logs += alpha[p] * np.log(np.where(up, g, 1.0))
        some = positive.any(axis=1, keepdims=True)
        objective = np.where(some, logs, sums)
        eligible = np.where(some, positive, rational)
    elif concept == "kalai_smorodinsky":
        objective = np.full((batch, n), np.inf)
        for g in gains:
            span = np.where(rational, g, -np.inf).max(axis=1, keepdims=True)
            live = span > IR_TOLERANCE
            objective = np.minimum(objective, np.where(live, g / np.where(live, span, 1.0), np.inf))
        objective = np.where(np.isinf(objective), 0.0, objective)
    elif concept == "egalitarian":
        objective = np.minimum.reduce(gains) if parties > 1 else gains[0]
    elif concept == "utilitarian":
        objective = sums
    elif concept == "genius_kalai":
        hi = np.maximum.reduce(list(cols))
        lo = np.minimum.reduce(list(cols))
        objective = -(hi - lo)
    else:
        raise ArgumentError(f"concept: expected one of {list(CONCEPTS)}, got {concept!r}")
    return _tie_pick(objective, sums, eligible)


def _columns(u: FloatArray) -> list[FloatArray]:
    """Per party, a contiguous ``(B, n)`` array from candidates ``(B, n, P)``."""
    return [np.ascontiguousarray(u[:, :, p]) for p in range(u.shape[2])]


def _one(concept: str, u: npt.ArrayLike, d: npt.ArrayLike | None, powers: Any = None) -> int | None:
    arr = _utilities(u)
    dis = None if d is None else _point(d, arr.shape[1], "disagreement point")
    alpha = None if powers is None else _powers(powers, arr.shape[1])
    if arr.shape[0] == 0:
        return None
    chosen, _ = _choose(concept, _columns(arr[None]), None if dis is None else dis[None], alpha)
    return None if chosen[0] < 0 else int(chosen[0])


def nash_index(
    u: npt.ArrayLike, d: npt.ArrayLike, powers: npt.ArrayLike | None = None
) -> int | None:
    """The (asymmetric) Nash bargaining solution over a finite set of utility vectors.

    Maximises the Nash product ``Π_p (u_p − d_p)^α_p``, computed as ``Σ_p α_p log(u_p − d_p)``,
    over the individually rational rows in which every party with a positive power gains strictly
    (Nash 1950; with unequal powers, the generalised solution that Binmore, Rubinstein & Wolinsky
    1986 derive as the limit of alternating-offers bargaining).

    A party with power 0 is only held to individual rationality: the solution then maximises the
    other parties' product subject to it (the limit of :func:`powers_from_discounts` when the other
    parties are infinitely patient). If rows are individually rational but none gives every
    powered party a strictly positive gain, the Nash product is 0 on all of them and does not
    discriminate; the utilitarian row among them is returned instead (ties as in the module doc).

    Args:
        u: candidate utility vectors ``(n, parties)``.
        d: disagreement point ``(parties,)``.
        powers: bargaining power per party (``>= 0``, positive sum; normalised to sum 1); ``None``
            for the symmetric solution.

    Returns:
        Index of the chosen row, or ``None`` when no row is individually rational.

    Examples:
        >>> nash_index([[1.0, 0.0], [0.6, 0.6], [0.2, 0.9]], [0.0, 0.0])
        1
        >>> nash_index([[1.0, 0.0], [0.6, 0.6], [0.2, 0.9]], [0.0, 0.0], powers=[1, 4])
        2
    """
    return _one("nash", u, d, powers)


def kalai_smorodinsky_index(u: npt.ArrayLike, d: npt.ArrayLike) -> int | None:
    """The Kalai–Smorodinsky solution over a finite set of utility vectors.

    The ideal point is each party's best utility over the individually rational rows; the chosen
    row maximises ``min_p (u_p − d_p) / (ideal_p − d_p)``, the largest fraction of the way from the
    disagreement point to the ideal point that every party gets: the discrete analogue of Kalai &
    Smorodinsky (1975), whose solution is where the segment from ``d`` to the ideal point meets the
    frontier. A party that cannot gain at all (``ideal_p − d_p <= IR_TOLERANCE``) is left out of
    the minimum; if no party can gain, the objective is constant and the tie rule decides.

    Args:
        u: candidate utility vectors ``(n, parties)``.
        d: disagreement point ``(parties,)``.

    Returns:
        Index of the chosen row, or ``None`` when no row is individually rational.

    Examples:
        >>> kalai_smorodinsky_index([[1.0, 0.0], [0.5, 0.5], [0.3, 0.6]], [0.0, 0.0])
        1
    """
    return _one("kalai_smorodinsky", u, d)


def egalitarian_index(u: npt.ArrayLike, d: npt.ArrayLike) -> int | None:
    """The egalitarian solution: the row maximising the smallest gain ``min_p (u_p − d_p)``.

    Kalai's (1977) proportional solution with equal weights: equal gains over the disagreement
    point, as far out as possible. Unlike the Nash and Kalai–Smorodinsky solutions it compares
    utilities across parties, so it is not invariant to rescaling one party's utilities.

    Args:
        u: candidate utility vectors ``(n, parties)``.
        d: disagreement point ``(parties,)``.

    Returns:
        Index of the chosen row, or ``None`` when no row is individually rational.
    """
    return _one("egalitarian", u, d)


def utilitarian_index(u: npt.ArrayLike, d: npt.ArrayLike) -> int | None:
    """The utilitarian solution: the individually rational row with the largest sum of utilities.

    Harsanyi's (1955) social welfare function, unweighted. With ``d = 0`` it is the
    "social_welfare" point of the ANL 2023 ``specials.json`` files.

    Args:
        u: candidate utility vectors ``(n, parties)``.
        d: disagreement point ``(parties,)``.

    Returns:
        Index of the chosen row (ties: lowest index), or ``None`` when no row is individually
        rational.
    """
    return _one("utilitarian", u, d)


def genius_kalai_index(u: npt.ArrayLike, d: npt.ArrayLike | None = None) -> int | None:
    """The GENIUS-style "Kalai" point: the row whose utilities are closest to equal.

    Minimises ``max_p u_p − min_p u_p`` (``|u_A − u_B|`` for two parties), as the ANL 2023
    organisers' ``specials.json`` files define "kalai" (GENIUS-family tooling, Lin et al. 2014).
    It is the Kalai–Smorodinsky point only for normalised problems (``d = 0``, best utility 1 for
    everyone); :func:`kalai_smorodinsky_index` is the general one. Pass the Pareto frontier as
    ``u``: over all outcomes the smallest difference is usually a poor, dominated outcome.

    Args:
        u: candidate utility vectors ``(n, parties)``, normally the Pareto frontier.
        d: optional disagreement point; when given, only individually rational rows are eligible.

    Returns:
        Index of the chosen row (ties: highest sum, then lowest index), or ``None`` when ``u`` is
        empty or no row is individually rational.
    """
    return _one("genius_kalai", u, d)


def select(
    concept: Concept,
    u: npt.ArrayLike,
    d: npt.ArrayLike,
    *,
    powers: npt.ArrayLike | None = None,
) -> int | None:
    """The row of ``u`` that ``concept`` (one of :data:`CONCEPTS`) picks against ``d``.

    ``powers`` applies to ``"nash"`` only; ``"genius_kalai"`` is restricted to the individually
    rational rows of ``u``. Pass a frontier as ``u`` (see :func:`settle`): on other candidate sets
    ``genius_kalai`` can pick a dominated row.
    """
    check_concept(concept)
    return _one(concept, u, d, powers if concept == "nash" else None)


def check_concept(concept: Any) -> Concept:
    """``concept`` if it is one of :data:`CONCEPTS`, else :class:`ArgumentError`."""
    if concept not in CONCEPTS:
        raise ArgumentError(f"concept: expected one of {', '.join(CONCEPTS)}, got {concept!r}")
    return concept  # type: ignore[no-any-return]


def powers_from_discounts(discounts: npt.ArrayLike) -> FloatArray:
    """Bargaining powers from per-round discount factors, normalised to sum 1.

    In alternating-offers bargaining with discount factors ``δ_p = exp(−r_p Δ)`` per round of
    length ``Δ``, the subgame-perfect agreement tends, as ``Δ → 0``, to the asymmetric Nash solution
    with powers ``α_p ∝ 1 / r_p`` (Binmore, Rubinstein & Wolinsky 1986, after Rubinstein 1982), so
    ``α_p ∝ 1 / (−log δ_p)``: the more patient party gets more. For more than two parties this is
    the usual generalisation, not a theorem.

    ``δ_p = 1`` (no discounting) is infinitely patient. If every party has ``δ = 1`` the powers are
    equal (the symmetric solution). If only some do, they share all the power equally and the
    others get power 0 (the limit of the formula as their ``δ → 1``): :func:`nash_index` then only
    holds the impatient parties to individual rationality.

    Args:
        discounts: one discount factor per party, in ``(0, 1]``.

    Returns:
        Powers ``(parties,)``, non-negative, summing to 1.

    Examples:
        >>> powers_from_discounts([0.9, 0.9]).tolist()
        [0.5, 0.5]
        >>> [round(a, 4) for a in powers_from_discounts([0.81, 0.9]).tolist()]
        [0.3333, 0.6667]
    """
    delta = np.asarray(discounts, dtype=float)
    if delta.ndim != 1 or delta.size == 0:
        raise ArgumentError(f"expected one discount factor per party, got shape {delta.shape}")
    if not (np.isfinite(delta).all() and (delta > 0).all() and (delta <= 1).all()):
        raise ArgumentError(f"expected discount factors in (0, 1], got {delta.tolist()}")
    patient = delta >= 1.0
    alpha = patient.astype(float) if patient.any() else 1.0 / -np.log(delta)
    return np.asarray(alpha / alpha.sum(), dtype=float)


# ---------------------------------------------------------------------------------- geometry
def distance_to(point: npt.ArrayLike, other: npt.ArrayLike) -> float:
    """Euclidean distance between two utility vectors of the same length."""
    a = np.asarray(point, dtype=float)
    b = np.asarray(other, dtype=float)
    if a.ndim != 1 or a.shape != b.shape:
        raise ArgumentError(f"expected two vectors of the same length, got {a.shape} and {b.shape}")
    return float(np.sqrt(((a - b) ** 2).sum()))


def distance_to_frontier(point: npt.ArrayLike, frontier_u: npt.ArrayLike | Frontier) -> float:
    """Euclidean distance from a utility vector to the nearest point of a frontier.

    Args:
        point: utility vector ``(parties,)``.
        frontier_u: frontier utilities ``(h, parties)`` or a :class:`Frontier` (non-empty).
    """
    front = _utilities(_unwrap(frontier_u), "frontier utilities")
    p = _point(point, front.shape[1], "point")
    if front.shape[0] == 0:
        raise ArgumentError("expected a non-empty frontier")
    return float(np.sqrt(((front - p) ** 2).sum(axis=1)).min())


def distribution(u_all: npt.ArrayLike, frontier_u: npt.ArrayLike | Frontier) -> float:
    """Mean Euclidean distance from each outcome to the nearest frontier point.

    The ANL 2023 organisers' "distribution" of a domain: how far, on average, an outcome is from
    efficient (0 when every outcome is Pareto-optimal). Pass the utilities of **all** outcomes
    (e.g. ``scenario.utilities(scenario.enumerate())``) and the frontier.
    """
    pts = _utilities(u_all)
    front = _utilities(_unwrap(frontier_u), "frontier utilities")
    if front.shape[1] != pts.shape[1]:
        raise ArgumentError(
            f"expected a frontier with {pts.shape[1]} columns (one per party), got {front.shape[1]}"
        )
    if pts.shape[0] == 0 or front.shape[0] == 0:
        raise ArgumentError("expected at least one outcome and a non-empty frontier")
    total = 0.0
    step = max(1, _BUDGET // front.shape[0])
    for start in range(0, pts.shape[0], step):
        x = pts[start : start + step]
        sq = ((x[:, None, :] - front[None, :, :]) ** 2).sum(axis=2)
        total += float(np.sqrt(sq.min(axis=1)).sum())
    return total / int(pts.shape[0])


def opposition(
    u: npt.ArrayLike | Frontier,
    ideal: npt.ArrayLike | None = None,
    *,
    convention: Literal["genius", "anl"] = "genius",
) -> float:
    """How opposed the parties are: the distance from complete satisfaction to what is possible.

    - ``convention="genius"``: the Euclidean distance from ``ideal`` to the nearest row of ``u``
      (the opposition measure used with GENIUS domains, Lin et al. 2014; we have not checked it
      against the GENIUS sources). Pass all outcomes or the frontier: when
      ``ideal`` is at least every utility the nearest row is on the frontier, so both give the
      same number.
    - ``convention="anl"``: the Euclidean distance from ``ideal`` to the
      :func:`genius_kalai_index` row of ``u``, which must be the frontier. This is what the ANL
      2023 organisers' ``specials.json`` files store as ``opposition`` (it is at least the GENIUS
      number, and larger whenever the equal-utility point is not the nearest one).

    Args:
        u: utility vectors ``(n, parties)`` or a :class:`Frontier` (non-empty).
        ideal: the point of complete satisfaction; default ``(1, ..., 1)``.
        convention: ``"genius"`` or ``"anl"``.
    """
    arr = _utilities(_unwrap(u))
    if arr.shape[0] == 0:
        raise ArgumentError("expected at least one utility vector")
    top = np.ones(arr.shape[1]) if ideal is None else _point(ideal, arr.shape[1], "ideal point")
    if convention == "genius":
        return float(np.sqrt(((arr - top) ** 2).sum(axis=1)).min())
    if convention == "anl":
        index = genius_kalai_index(arr)
        assert index is not None  # arr is not empty
        return distance_to(arr[index], top)
    raise ArgumentError(f'expected convention "genius" or "anl", got {convention!r}')


def _unwrap(u: npt.ArrayLike | Frontier) -> npt.ArrayLike:
    return u.utilities if isinstance(u, Frontier) else u


# ---------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Solution:
    """The outcome a solution concept picks on one feasible set.

    Attributes:
        concept: the solution concept, one of :data:`CONCEPTS`.
        outcome: option code per issue, or ``None`` when there is no agreement.
        utilities: each party's utility of the outcome; the reservation values when there is no
            agreement.
        agreement: whether some individually rational outcome exists (and so was chosen).
    """

    concept: str
    outcome: tuple[int, ...] | None
    utilities: tuple[float, ...]
    agreement: bool

    def to_dict(self, scenario: Scenario | None = None) -> dict[str, Any]:
        """A JSON-ready record.

        With a scenario, the outcome is ``{issue: option name}`` and the utilities are
        ``{party: utility}``; without one, both are lists (option codes, utilities in party order).
        """
        outcome: dict[str, str] | list[int] | None
        utilities: dict[str, float] | list[float]
        if scenario is None:
            outcome = None if self.outcome is None else list(self.outcome)
            utilities = list(self.utilities)
        else:
            outcome = None if self.outcome is None else scenario.describe(self.outcome)
            utilities = {
                party.name: u for party, u in zip(scenario.parties, self.utilities, strict=True)
            }
        return {
            "concept": self.concept,
            "agreement": self.agreement,
            "outcome": outcome,
            "utilities": utilities,
        }


def settle(
    frontier: Frontier,
    reservation: npt.ArrayLike,
    concept: Concept = "nash",
    *,
    powers: npt.ArrayLike | None = None,
) -> Solution:
    """Solve one concept on a frontier already computed: **the** settlement path of zopa.

    Every engine that needs "the deal" (solutions, zone, linkage, agendas, leverage, robustness,
    analyze) computes a frontier once and settles on it here (or, for batches of small candidate
    sets, through :func:`settle_candidates`, which returns the same rows). Rows of ``frontier``
    that are not individually rational for ``reservation`` are ignored; when none is left the
    result is "no agreement" with the reservation values as utilities. The individually rational
    frontier for any reservation vector is the full frontier with those rows left out (an outcome
    dominating an individually rational one is individually rational too), so one frontier serves
    every reservation vector.
    """
    check_concept(concept)
    if not isinstance(frontier, Frontier):
        raise ArgumentError(f"frontier: expected a Frontier, got {type(frontier).__name__}")
    res = _point(reservation, frontier.n_parties, "reservation")
    alpha = None if powers is None or concept != "nash" else _powers(powers, frontier.n_parties)
    index = None
    if len(frontier):
        chosen, _ = _choose(concept, _columns(frontier.utilities[None]), res[None], alpha)
        index = None if chosen[0] < 0 else int(chosen[0])
    if index is None:
        return Solution(concept, None, tuple(float(x) for x in res), False)
    return Solution(
        concept=concept,
        outcome=tuple(int(c) for c in frontier.outcomes[index]),
        utilities=tuple(float(x) for x in frontier.utilities[index]),
        agreement=True,
    )


def settle_candidates(
    concept: Concept,
    u: npt.ArrayLike,
    reservation: npt.ArrayLike,
    *,
    powers: npt.ArrayLike | None = None,
) -> IntArray:
    """:func:`settle` on the frontier of each of a batch of candidate sets, vectorised.

    Args:
        u: ``(batch, n, parties)``: each batch row is a candidate set (e.g. every outcome of a
            small space, or one issue's options with the others fixed) in enumeration order.
        reservation: ``(batch, parties)``.

    Returns:
        Per batch row, the index (into its ``n`` candidates) of the outcome that :func:`settle`
        picks on that set's Pareto frontier, whose representative of a utility vector is the
        first candidate with it (as :func:`zopa.analysis.frontier.nondominated_mask` keeps);
        ``-1`` for no agreement.

    Exactness of the fast path: every concept but ``genius_kalai`` maximises an objective that
    cannot fall when a utility rises, and its tie rule prefers higher sums, so the selection over
    all candidates attains the frontier's best objective and best sum. When the rows left tied
    share one utility vector and no candidate dominates it, the frontier selection picks exactly
    that vector. Otherwise (and always for ``genius_kalai``) the frontier of the candidate set is
    computed and :func:`settle`'s selection runs on it.
    """
    check_concept(concept)
    arr = np.asarray(u, dtype=float)
    if arr.ndim != 3:
        raise ArgumentError(f"u: expected shape (batch, n, parties), got {arr.shape}")
    batch, n, parties = arr.shape
    res = np.asarray(reservation, dtype=float).reshape(batch, parties)
    alpha = None if powers is None or concept != "nash" else _powers(powers, parties)
    out = np.full(batch, -1, dtype=np.int64)
    if n == 0 or batch == 0:
        return out
    return settle_columns(concept, _columns(arr), res, powers=alpha)


def settle_columns(
    concept: Concept,
    cols: Sequence[FloatArray],
    reservation: npt.ArrayLike,
    *,
    powers: npt.ArrayLike | None = None,
) -> IntArray:
    """:func:`settle_candidates` with the candidates given party by party: ``cols[p]`` of shape
    ``(batch, n)`` is party p's utility of each candidate (the layout robustness builds)."""
    check_concept(concept)
    batch, n = cols[0].shape
    res = np.asarray(reservation, dtype=float).reshape(batch, len(cols))
    alpha = None if powers is None or concept != "nash" else _powers(powers, len(cols))
    out = np.full(batch, -1, dtype=np.int64)
    exact = np.ones(batch, dtype=bool)
    if concept != "genius_kalai":
        chosen, tied = _choose(concept, cols, res, alpha)
        has = chosen >= 0
        at = np.maximum(chosen, 0)[:, None]
        same = np.ones((batch, n), dtype=bool)
        ge = np.ones((batch, n), dtype=bool)
        for c in cols:
            pick = np.take_along_axis(c, at, axis=1)
            same &= c == pick
            ge &= c >= pick
        single = ~np.any(tied & ~same, axis=1)
        dominated = np.any(ge & ~same, axis=1)  # >= everywhere and not equal: dominates
        fast = ~has | (single & ~dominated)
        out[fast] = chosen[fast]
        exact = ~fast
    for b in np.flatnonzero(exact):
        front = frontier_of_points(np.stack([c[b] for c in cols], axis=1))
        index = settle(front, res[b], concept, powers=alpha).outcome
        if index is not None:
            out[b] = index[0]
    return out


def frontier_of_points(points: npt.ArrayLike) -> Frontier:
    """The frontier of a finite candidate set, as a :class:`Frontier` whose "outcome" of each point
    is its row index in ``points`` (one column), sorted as every frontier is."""
    pts = _utilities(points)
    rows = np.flatnonzero(nondominated_mask(pts)).astype(np.int64)
    return _frontier(pts[rows], rows[:, None])


def solve(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
    powers: npt.ArrayLike | None = None,
    limit: int = 10_000_000,
) -> Solution:
    """The outcome of a negotiation that a bargaining solution concept picks.

    Computes the Pareto frontier once (exactly, without enumeration, for additive preferences; by
    enumeration under the guard ``limit`` otherwise) and settles on it (:func:`settle`).

    Args:
        problem: a scenario or its :class:`~zopa.model.problem.BargainingProblem`.
        concept: one of :data:`CONCEPTS`.
        reservation: disagreement utility per party; default the problem's reservation values.
        powers: bargaining powers for ``"nash"``; default each party's ``power`` (1 where unset,
            so the symmetric solution when none is set). Powers from discount factors:
            ``powers_from_discounts([p.discount for p in scenario.parties])``.
        limit: largest outcome space enumerated for non-additive preferences.

    Warns:
        NoAgreementWarning: no outcome is individually rational.

    Examples:
        >>> import zopa
        >>> issue = zopa.Issue.integer("share", 0, 10)
        >>> a = zopa.Party("a", zopa.AdditiveUtility((1.0,), ([i / 10 for i in range(11)],)))
        >>> b = zopa.Party("b", zopa.AdditiveUtility((1.0,), ([1 - i / 10 for i in range(11)],)))
        >>> pie = zopa.Scenario("pie", (issue,), (a, b))
        >>> deal = solve(pie)
        >>> deal.to_dict(pie)["outcome"], deal.utilities
        ({'share': '5'}, (0.5, 0.5))
    """
    return solve_all(problem, (concept,), reservation=reservation, powers=powers, limit=limit)[
        concept
    ]


def solve_all(
    problem: Scenario | BargainingProblem,
    concepts: Sequence[Concept] = CONCEPTS,
    *,
    reservation: npt.ArrayLike | None = None,
    powers: npt.ArrayLike | None = None,
    limit: int = 10_000_000,
    frontier: Frontier | None = None,
) -> dict[str, Solution]:
    """Several solution concepts at once on one frontier (computed here unless given).

    Arguments as for :func:`solve`; ``frontier`` is the problem's full Pareto frontier when the
    caller has it already. Returns ``{concept: Solution}`` in the order of ``concepts``.
    """
    prob = as_problem(problem)
    for concept in concepts:
        check_concept(concept)
    res = (
        prob.reservation
        if reservation is None
        else _point(reservation, prob.n_parties, "reservation")
    )
    alpha = prob.powers if powers is None else _powers(powers, prob.n_parties)
    front = frontier_of(prob, limit=limit) if frontier is None else frontier
    out: dict[str, Solution] = {c: settle(front, res, c, powers=alpha) for c in concepts}
    if concepts and not any(s.agreement for s in out.values()):
        warnings.warn(
            f"no outcome gives every party its reservation value "
            f"{[round(float(r), 6) for r in res]}: no agreement",
            NoAgreementWarning,
            stacklevel=3,
        )
    return out
