"""Analysis engines: pure functions over a :class:`~zopa.model.problem.BargainingProblem`.

Every engine takes a :class:`~zopa.model.Scenario` or its bargaining problem
(``scenario.problem()``, built once) and returns a frozen result with ``to_dict()``. One module per
concept:

- ``frontier``: exact Pareto frontiers (:func:`frontier_of`, :func:`pareto_frontier`);
- ``solutions``: Nash, Kalai–Smorodinsky, egalitarian, utilitarian and GENIUS conventions, and
  :func:`settle`, the one way every engine settles a concept on a frontier;
- ``zone``: the zone of possible agreement;
- ``linkage``: package versus issue by issue (:func:`issue_by_issue` is the one baseline) and
  agendas;
- ``chips``: bargaining chips and logrolls;
- ``leverage``: walk-away curves and threats;
- ``robustness``: seeded draws around the judgements;
- ``run``: :func:`analyze`, all of them as one :class:`Analysis`.
"""

from zopa.analysis.chips import Chips, IssueTrade, Logroll, bargaining_chips
from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    frontier_of,
    is_dominated,
    nondominated_mask,
    pareto_frontier,
    pareto_frontier_enumerated,
)
from zopa.analysis.leverage import Leverage, Threat, measure_leverage
from zopa.analysis.linkage import (
    Agendas,
    IssueByIssue,
    Linkage,
    compare_agendas,
    compare_linkage,
    issue_by_issue,
)
from zopa.analysis.robustness import Robustness, check_robustness
from zopa.analysis.run import Analysis, analyze
from zopa.analysis.solutions import CONCEPTS, Solution, settle, solve, solve_all
from zopa.analysis.zone import Zone, zone_of_agreement

__all__ = [
    "CONCEPTS",
    "IR_TOLERANCE",
    "Agendas",
    "Analysis",
    "Chips",
    "Frontier",
    "IssueByIssue",
    "IssueTrade",
    "Leverage",
    "Linkage",
    "Logroll",
    "Robustness",
    "Solution",
    "Threat",
    "Zone",
    "analyze",
    "bargaining_chips",
    "check_robustness",
    "compare_agendas",
    "compare_linkage",
    "frontier_of",
    "is_dominated",
    "issue_by_issue",
    "measure_leverage",
    "nondominated_mask",
    "pareto_frontier",
    "pareto_frontier_enumerated",
    "settle",
    "solve",
    "solve_all",
    "zone_of_agreement",
]
