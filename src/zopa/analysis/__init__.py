"""Analysis engines: pure functions over the arrays a :class:`~zopa.model.Scenario` hands out."""

from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    UtilityFunction,
    is_dominated,
    nondominated_mask,
    pareto_frontier,
    pareto_frontier_enumerated,
    scenario_frontier,
)

__all__ = [
    "IR_TOLERANCE",
    "Frontier",
    "UtilityFunction",
    "is_dominated",
    "nondominated_mask",
    "pareto_frontier",
    "pareto_frontier_enumerated",
    "scenario_frontier",
]
