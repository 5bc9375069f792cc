"""Robustness: how often do the conclusions hold when the judgements behind them move?

Every number in a scenario is a judgement. Each draw perturbs them (seeded):

- each party's weights from a Dirichlet distribution centred on the stated weights, with
  concentration ``concentration`` (larger = closer to the stated weights; the mean is exactly the
  stated weights, and the total weight is kept);
- every option value plus uniform noise in ``[-value_noise, value_noise]``, clipped to [0, 1];
- stated reservation values plus uniform noise in ``[-reservation_noise, reservation_noise]``,
  clipped to [0, 1]; reservation values that are the utility of the disagreement outcome are
  recomputed under the drawn preferences.

For every draw zopa settles the package and each issue alone (the same solution concept) and records
each party's utility of both, so that "linking all issues helps Mexico in 94% of 2,000 draws" is a
count, with the distribution of the gain beside it. Utilities of every outcome are computed for all
draws at once (one vectorised pass per issue) when the outcome space is small enough; larger spaces
use the exact frontier per draw. The idea of reporting how often a conclusion survives perturbed
inputs is a Monte Carlo sensitivity analysis (Saltelli et al. 2008, *Global Sensitivity Analysis:
The Primer*, Wiley).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.analysis._pandas import data_frame
from zopa.analysis._results import ArrayRecord
from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    as_problem,
    frontier_of,
    pareto_frontier,
)
from zopa.analysis.solutions import Concept, check_concept, settle, settle_columns
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.preferences import AdditiveUtility
from zopa.model.problem import BargainingProblem, reservation_values
from zopa.model.random import generator
from zopa.model.scenario import Scenario, Spread

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["ENUMERATION_LIMIT", "Robustness", "check_robustness", "check_spread"]

FloatArray = npt.NDArray[np.float64]

#: Largest outcome space whose utilities are tabulated for all draws at once.
ENUMERATION_LIMIT = 200_000

#: Utility entries held in memory at once for a block of draws.
_BUDGET = 1 << 23

#: A party "gains" from linkage when its package utility beats the separate one by more than this.
GAIN_TOLERANCE = 1e-9


@dataclass(frozen=True, eq=False)
class Robustness(ArrayRecord):
    """Per draw: each party's utility of the package and of the issue-by-issue settlements.

    Attributes:
        package: array ``(draws, parties)``.
        separate: array ``(draws, parties)``.
        agreement: array ``(draws,)``: whether the package talks succeed.
    """

    concept: str
    parties: tuple[str, ...]
    draws: int
    seed: int | None
    concentration: float
    value_noise: float
    reservation_noise: float
    package: FloatArray
    separate: FloatArray
    agreement: npt.NDArray[np.bool_]

    @property
    def gain(self) -> FloatArray:
        """Each party's gain from linkage in each draw, ``(draws, parties)``."""
        return self.package - self.separate

    def share_helped(self) -> FloatArray:
        """Per party, the share of draws in which linking all issues helps it."""
        return np.asarray((self.gain > GAIN_TOLERANCE).mean(axis=0), dtype=float)

    def share_hurt(self) -> FloatArray:
        """Per party, the share of draws in which linking all issues hurts it."""
        return np.asarray((self.gain < -GAIN_TOLERANCE).mean(axis=0), dtype=float)

    def to_dict(self, *, include_draws: bool = False) -> dict[str, Any]:
        q = np.quantile(self.gain, [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        out: dict[str, Any] = {
            "concept": self.concept,
            "draws": self.draws,
            "seed": self.seed,
            "spread": {
                "concentration": self.concentration,
                "value_noise": self.value_noise,
                "reservation_noise": self.reservation_noise,
            },
            "agreement_share": float(self.agreement.mean()),
            "linkage": {
                party: {
                    "helped_share": float(self.share_helped()[j]),
                    "hurt_share": float(self.share_hurt()[j]),
                    "gain_mean": float(self.gain[:, j].mean()),
                    "gain_quantiles": dict(
                        zip(["5%", "25%", "50%", "75%", "95%"], map(float, q[:, j]), strict=True)
                    ),
                }
                for j, party in enumerate(self.parties)
            },
        }
        if include_draws:
            out["gain_draws"] = {p: self.gain[:, j].tolist() for j, p in enumerate(self.parties)}
        return out

    def to_frame(self) -> pd.DataFrame:
        """One row per draw (needs pandas).

        Columns have two levels: ``("package", party)``, ``("separate", party)`` and
        ``("gain", party)`` for each party's utility of the package, of the issue-by-issue
        settlements and their difference, and ``("agreement", "")`` for whether the package talks
        succeed; ``frame["gain"]`` is the gains as a frame of their own.
        """
        columns: dict[Hashable, Any] = {}
        for measure, values in (
            ("package", self.package),
            ("separate", self.separate),
            ("gain", self.gain),
        ):
            columns.update({(measure, p): values[:, j] for j, p in enumerate(self.parties)})
        columns[("agreement", "")] = self.agreement
        return data_frame(columns, index_name="draw")


def _draw_tables(
    prob: BargainingProblem,
    rng: np.random.Generator,
    draws: int,
    spread: Spread,
) -> list[FloatArray]:
    """Per issue, an array ``(draws, parties, options)`` of perturbed weight × value."""
    utilities = [u for u in prob.utility_functions if isinstance(u, AdditiveUtility)]
    if len(utilities) != prob.n_parties:
        raise ScenarioError("robustness analysis needs additive preferences")
    weights = np.asarray([u.weights for u in utilities], dtype=float)  # (P, m)
    p, m = weights.shape
    drawn_w = np.zeros((draws, p, m))
    exact = math.isinf(spread.concentration)  # weights as stated, nothing drawn
    if exact:
        drawn_w[:] = weights
    for j in range(0 if exact else p):
        total = weights[j].sum()
        if total <= 0:
            continue
        alpha = spread.concentration * weights[j] / total
        positive = alpha > 0
        if positive.sum() == 1:
            drawn_w[:, j, positive] = total
        else:
            drawn_w[:, j][:, positive] = rng.dirichlet(alpha[positive], size=draws) * total
    tables = []
    noise = spread.value_noise
    for k in range(m):
        values = np.stack([np.asarray(u.values[k], dtype=float) for u in utilities])
        noisy = values[None] + rng.uniform(-noise, noise, size=(draws, *values.shape))
        tables.append(drawn_w[:, :, k, None] * np.clip(noisy, 0.0, 1.0))
    return tables


def _bound(
    concept: Concept,
    u0: FloatArray,
    r: FloatArray,
    powers: FloatArray | None,
    tables: list[FloatArray],
) -> Callable[[int, FloatArray], npt.NDArray[np.bool_]] | None:
    """A branch-and-bound test that keeps every outcome the concept could pick, given an
    incumbent outcome with utilities ``u0`` (the previous draw's deal).

    The Nash, egalitarian and utilitarian objectives ``f`` never fall when a utility rises, so
    every outcome tied with the best (within :data:`~zopa.analysis.solutions.TIE_TOLERANCE`)
    scores at least ``f(u0) - margin``, with ``margin`` far above the tie tolerance and rounding,
    and that set is closed upwards: settling on the frontier part that passes gives exactly the
    deal of the full frontier. The tests, each an upper bound over completions of a prefix:

    - Nash: ``f = Σ α_p log(u_p − r_p)`` is concave, so ``f(u) ≥ f(u0) − margin`` implies
      ``λ·u ≥ λ·u0 − margin`` with ``λ = ∇f(u0) = α / (u0 − r)`` (the tangent half-space); a
      prefix passes when ``λ·prefix`` plus the most ``λ·t`` the remaining issues can add reaches
      that, and every party can still gain strictly.
    - egalitarian: every party must be able to reach ``r_p + f(u0) − margin``.
    - utilitarian: the prefix's sum plus the largest sum each remaining issue can add.

    ``None`` (no pruning) for the other concepts, or when ``u0`` is not individually rational
    (with strictly positive Nash gains) under this draw.
    """
    if not (u0 >= r - IR_TOLERANCE).all():
        return None
    m = len(tables)
    g0 = u0 - r
    scale = 1.0 + float(sum(np.abs(t).max() for t in tables)) + float(np.abs(r).max())
    slack = 64.0 * (m + 2) * float(np.finfo(float).eps) * scale

    def remaining(weights: FloatArray) -> FloatArray:
        """``out[k]``: the most ``weights · t`` the issues after ``k`` can add."""
        best = np.asarray([float((weights @ t).max()) for t in tables])
        out = np.zeros(m)
        for k in range(m - 2, -1, -1):
            out[k] = out[k + 1] + best[k + 1]
        return out

    if concept == "nash":
        alpha = np.full(u0.shape[0], 1.0 / u0.shape[0]) if powers is None else powers / powers.sum()
        active = alpha > 0
        if not (g0[active] > 0).all():
            return None
        lam = np.where(active, alpha / np.where(active, g0, 1.0), 0.0)
        f0 = float(np.log(g0[active]) @ alpha[active])
        target = float(lam @ u0) - 1e-9 * max(1.0, abs(f0)) - slack * float(lam.sum())
        rest_lam = remaining(lam)
        most = np.stack([t.max(axis=1) for t in tables])
        rest = np.zeros_like(most)
        rest[:-1] = np.cumsum(most[::-1], axis=0)[::-1][1:]

        def keep_nash(k: int, partial: FloatArray) -> npt.NDArray[np.bool_]:
            can_gain = (partial[:, active] + rest[k, active] + slack > r[active]).all(axis=1)
            return np.asarray(can_gain & (partial @ lam + rest_lam[k] >= target), dtype=bool)

        return keep_nash
    if concept == "egalitarian":
        f0 = float(g0.min())
        floor = r + f0 - 1e-9 * max(1.0, abs(f0)) - slack
        most = np.stack([t.max(axis=1) for t in tables])
        rest = np.zeros_like(most)
        rest[:-1] = np.cumsum(most[::-1], axis=0)[::-1][1:]
        return lambda k, partial: np.asarray((partial + rest[k] >= floor).all(axis=1), dtype=bool)
    if concept == "utilitarian":
        f0 = float(u0.sum())
        target = f0 - 1e-9 * max(1.0, abs(f0)) - slack * u0.shape[0]
        rest_sum = remaining(np.ones(u0.shape[0]))
        return lambda k, partial: np.asarray(
            partial.sum(axis=1) + rest_sum[k] >= target, dtype=bool
        )
    return None


def _spread(
    problem: Scenario | BargainingProblem,
    spread: Spread | None,
    concentration: float | None,
    value_noise: float | None,
    reservation_noise: float | None,
) -> Spread:
    base = (
        spread
        if spread is not None
        else (problem.spread if isinstance(problem, Scenario) else Spread())
    )
    return base.override(
        concentration=concentration, value_noise=value_noise, reservation_noise=reservation_noise
    )


def check_spread(
    problem: Scenario | BargainingProblem,
    concentration: float | None = None,
    value_noise: float | None = None,
    reservation_noise: float | None = None,
    spread: Spread | None = None,
) -> Spread:
    """The spread :func:`check_robustness` would use, validated by :class:`~zopa.model.Spread`
    (raises :class:`ArgumentError` naming the field)."""
    return _spread(problem, spread, concentration, value_noise, reservation_noise)


def check_robustness(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    draws: int = 2000,
    seed: int | np.random.Generator | None = 0,
    spread: Spread | None = None,
    concentration: float | None = None,
    value_noise: float | None = None,
    reservation_noise: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    frontier: Frontier | None = None,
) -> Robustness:
    """Redo the package-versus-issue-by-issue comparison under ``draws`` perturbed preferences.

    Same ``seed``, same result (one :class:`numpy.random.Generator` drives every draw, in a fixed
    order). The spread defaults to the scenario's own (:attr:`zopa.model.Scenario.spread`, or
    :class:`zopa.model.Spread` for a bare problem); ``concentration``, ``value_noise`` and
    ``reservation_noise`` override single fields, validated by :class:`~zopa.model.Spread`.

    Each draw's package and each issue alone are settled exactly as
    :func:`~zopa.analysis.linkage.compare_linkage` settles them (on the frontier, by
    :func:`~zopa.analysis.solutions.settle_candidates` over all the draws at once (in blocks) when the
    outcome space has at most :data:`ENUMERATION_LIMIT` outcomes, else by the exact frontier of
    each draw), so with no noise every draw reproduces the linkage result. ``frontier``: the
    problem's full Pareto frontier when the caller has it (it seeds the large-space path).
    """
    check_concept(concept)
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ArgumentError(f"draws: expected an integer >= 1, got {draws!r}")
    sp = _spread(problem, spread, concentration, value_noise, reservation_noise)
    prob = as_problem(problem)
    if prob.n_parties < 2:
        raise ScenarioError(f"robustness analysis needs at least two parties, got {prob.n_parties}")
    if not prob.complete_disagreement:
        raise ScenarioError("robustness of linkage needs a disagreement option on every issue")
    draws = int(draws)
    rng = generator(seed)
    tables = _draw_tables(prob, rng, draws, sp)
    p, m = prob.n_parties, prob.n_issues
    d = np.asarray(prob.disagreement, dtype=np.int64)
    at_d = [tables[k][:, :, d[k]] for k in range(m)]  # each (D, P)
    derived = np.zeros((draws, p))
    for k in range(m):  # summed from 0.0 in issue order, as utilities are
        derived += at_d[k]
    stated = np.asarray([np.nan if x is None else x for x in prob.stated], dtype=float)
    noise = rng.uniform(-sp.reservation_noise, sp.reservation_noise, size=(draws, p))
    r = reservation_values(np.clip(stated + noise, 0.0, 1.0), derived)
    powers = prob.powers

    package = np.empty((draws, p))
    separate = np.zeros((draws, p))
    agreement = np.empty(draws, dtype=bool)
    small = prob.space.cardinality <= ENUMERATION_LIMIT
    codes = prob.space.enumerate() if small else None
    # Large spaces: each draw's exact frontier, pruned by branch and bound against the previous
    # draw's deal (see _bound); the first draw starts from the stated problem's deal.
    incumbent = (
        None
        if small
        else settle(
            frontier_of(prob) if frontier is None else frontier,
            prob.reservation,
            concept,
            powers=powers,
        ).outcome
    )
    n = 1 if codes is None else codes.shape[0]
    block = max(1, min(1024, _BUDGET // max(1, n * p)))
    for start in range(0, draws, block):
        stop = min(draws, start + block)
        rb = r[start:stop]
        rows = np.arange(stop - start)
        if codes is not None:
            # each party's utility of every outcome for this block of draws, (block, N) per
            # party, summed from 0.0 in issue order as utilities are
            cols = []
            for j in range(p):
                col = np.zeros((stop - start, codes.shape[0]))
                for k in range(m):
                    col += tables[k][start:stop, j][:, codes[:, k]]
                cols.append(col)
            chosen = settle_columns(concept, cols, rb, powers=powers)
            ok = chosen >= 0
            agreement[start:stop] = ok
            at = np.maximum(chosen, 0)
            for j in range(p):
                package[start:stop, j] = np.where(ok, cols[j][rows, at], rb[:, j])
        else:
            for i in range(start, stop):
                drawn = [t[i] for t in tables]
                bound = None
                if incumbent is not None:
                    u0 = np.zeros(p)
                    for t, code in zip(drawn, incumbent, strict=True):
                        u0 += t[:, code]
                    bound = _bound(concept, u0, r[i], powers, drawn)
                front = pareto_frontier(drawn, reservation=r[i], bound=bound)
                sol = settle(front, r[i], concept, powers=powers)
                if bound is not None and not sol.agreement:
                    # the incumbent was individually rational, so this cannot happen; guard
                    # against rounding all the same with the unpruned frontier
                    front = pareto_frontier(drawn, reservation=r[i])
                    sol = settle(front, r[i], concept, powers=powers)
                agreement[i] = sol.agreement
                package[i] = sol.utilities
                if sol.outcome is not None:
                    incumbent = sol.outcome
        combined = np.tile(d, (stop - start, 1))
        for k in range(m):
            # issue k alone: its options, every other issue at disagreement (issue order sums)
            cols = []
            for j in range(p):
                col = np.zeros((stop - start, prob.space.sizes[k]))
                for other in range(m):
                    col += (
                        tables[k][start:stop, j] if other == k else at_d[other][start:stop, j, None]
                    )
                cols.append(col)
            c = settle_columns(concept, cols, rb, powers=powers)
            combined[:, k] = np.where(c >= 0, c, d[k])
        for k in range(m):
            separate[start:stop] += tables[k][start:stop][rows, :, combined[:, k]]
        if progress is not None:
            progress(stop, draws)
    for arr in (package, separate, agreement):
        arr.setflags(write=False)
    return Robustness(
        concept=concept,
        parties=prob.parties,
        draws=draws,
        seed=seed if isinstance(seed, int) else None,
        concentration=sp.concentration,
        value_noise=sp.value_noise,
        reservation_noise=sp.reservation_noise,
        package=package,
        separate=separate,
        agreement=agreement,
    )
