"""The outcome space as a picture needs it: every outcome (or a labelled sample) in utility space,
and where a given outcome — what actually happened — lands relative to the frontier and the
solutions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.analysis._results import ArrayRecord
from zopa.analysis.frontier import IR_TOLERANCE, Frontier, is_dominated
from zopa.analysis.solutions import Solution
from zopa.model.scenario import Scenario

__all__ = ["OutcomeSample", "Placement", "outcome_sample", "place_outcome"]

#: Default largest number of outcomes shown; beyond it a seeded uniform sample is drawn.
DEFAULT_LIMIT = 5000


@dataclass(frozen=True, eq=False)
class OutcomeSample(ArrayRecord):
    """Outcomes and their utilities, all of them or a uniform sample.

    Attributes:
        outcomes: option codes ``(n, issues)``.
        utilities: ``(n, parties)``.
        sampled: whether these are a sample (then ``total`` is the size of the whole space).
        total: size of the outcome space.
        seed: seed of the sample (``None`` when every outcome is shown).
    """

    outcomes: npt.NDArray[np.int64]
    utilities: npt.NDArray[np.float64]
    sampled: bool
    total: int
    seed: int | None

    def __len__(self) -> int:
        return int(self.outcomes.shape[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "shown": len(self),
            "total": self.total,
            "sampled": self.sampled,
            "seed": self.seed,
        }


def outcome_sample(
    scenario: Scenario, *, limit: int = DEFAULT_LIMIT, seed: int | None = 0
) -> OutcomeSample:
    """Every outcome when there are at most ``limit``, else ``limit`` drawn uniformly (seeded,
    with replacement, so that any space size works)."""
    total = scenario.n_outcomes
    if total <= limit:
        codes = scenario.enumerate()
        return OutcomeSample(codes, scenario.utilities(codes), False, total, None)
    codes = scenario.space.sample(limit, seed=seed)
    return OutcomeSample(codes, scenario.utilities(codes), True, total, seed)


@dataclass(frozen=True)
class Placement:
    """Where one outcome lands.

    Attributes:
        outcome: option codes.
        utilities: each party's utility of it.
        rational: whether every party gets at least its reservation value.
        efficient: whether no outcome dominates it (it lies on the Pareto frontier).
        distance_to_frontier: Euclidean distance in utility space to the nearest frontier point.
        distance_to: distance to each solution's point, by concept.
        dominating: how many frontier points dominate it.
    """

    outcome: tuple[int, ...]
    utilities: tuple[float, ...]
    rational: bool
    efficient: bool
    distance_to_frontier: float
    distance_to: dict[str, float]
    dominating: int

    def to_dict(self, scenario: Scenario | None = None) -> dict[str, Any]:
        names = None if scenario is None else [p.name for p in scenario.parties]
        return {
            "outcome": list(self.outcome) if scenario is None else scenario.describe(self.outcome),
            "utilities": list(self.utilities)
            if names is None
            else dict(zip(names, self.utilities, strict=True)),
            "rational": self.rational,
            "efficient": self.efficient,
            "distance_to_frontier": self.distance_to_frontier,
            "distance_to": dict(self.distance_to),
            "dominating_frontier_points": self.dominating,
        }


def place_outcome(
    scenario: Scenario,
    outcome: npt.ArrayLike,
    frontier: Frontier,
    solutions: Mapping[str, Solution],
    *,
    reservation: npt.ArrayLike | None = None,
) -> Placement:
    """Place ``outcome`` relative to the (full) Pareto ``frontier`` and the ``solutions``."""
    codes = np.asarray(outcome, dtype=np.int64)
    u = scenario.utilities(codes)
    r = scenario.reservation_values() if reservation is None else np.asarray(reservation, float)
    f = frontier.utilities
    dom = (f >= u).all(axis=1) & (f > u).any(axis=1)
    efficient = not bool(is_dominated(u[None, :], frontier)[0])
    distance = float(np.sqrt(((f - u) ** 2).sum(axis=1)).min()) if len(frontier) else float("nan")
    return Placement(
        outcome=tuple(int(c) for c in codes),
        utilities=tuple(float(x) for x in u),
        rational=bool((u >= r - IR_TOLERANCE).all()),
        efficient=efficient,
        distance_to_frontier=distance,
        distance_to={
            name: float(np.sqrt(((np.asarray(sol.utilities) - u) ** 2).sum()))
            for name, sol in solutions.items()
            if sol.agreement
        },
        dominating=int(dom.sum()),
    )
