"""Analysis engines: pure functions over the arrays a :class:`~zopa.model.Scenario` hands out.

One module per concept: ``frontier`` (exact Pareto frontiers), ``solutions`` (Nash,
Kalai–Smorodinsky, egalitarian, utilitarian, GENIUS conventions), ``zone`` (zone of possible
agreement), ``linkage`` (package versus issue by issue, agendas), ``chips`` (bargaining chips and
logrolls), ``leverage`` (walk-away curves and threats), ``robustness`` (seeded draws around the
judgements) and ``analyze`` (all of them, as one result).
"""

from zopa.analysis.analyze import Analysis, analyze
from zopa.analysis.chips import Chips, bargaining_chips
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
from zopa.analysis.leverage import LeverageResult, leverage
from zopa.analysis.linkage import AgendaResult, LinkageResult, agendas, linkage, settle
from zopa.analysis.robustness import RobustnessResult, robustness
from zopa.analysis.solutions import CONCEPTS, Solution, select, solve, solve_all
from zopa.analysis.zone import Zone, zone_of_agreement

__all__ = [
    "CONCEPTS",
    "IR_TOLERANCE",
    "AgendaResult",
    "Analysis",
    "Chips",
    "Frontier",
    "LeverageResult",
    "LinkageResult",
    "RobustnessResult",
    "Solution",
    "UtilityFunction",
    "Zone",
    "agendas",
    "analyze",
    "bargaining_chips",
    "is_dominated",
    "leverage",
    "linkage",
    "nondominated_mask",
    "pareto_frontier",
    "pareto_frontier_enumerated",
    "robustness",
    "scenario_frontier",
    "select",
    "settle",
    "solve",
    "solve_all",
    "zone_of_agreement",
]
