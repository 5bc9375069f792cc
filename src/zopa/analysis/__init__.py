"""Analysis engines: pure functions over a :class:`~zopa.model.problem.BargainingProblem`.

Every engine takes a :class:`~zopa.model.Scenario` or its bargaining problem
(``scenario.problem()``, built once) and returns a frozen result with ``to_dict()``. One module per
concept:

- ``frontier``: exact Pareto frontiers (:func:`frontier_of`, :func:`pareto_frontier`), and a
  published frontier held against the exact one (:func:`check_frontier`);
- ``boxes``: the exact frontier of hyper-rectangle (ANAC 2014) utilities (:func:`box_frontier`,
  SciPy's HiGHS from the ``exact`` extra, imported only when needed);
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

from zopa.analysis.boxes import box_frontier
from zopa.analysis.chips import Chips, IssueTrade, Logroll, bargaining_chips
from zopa.analysis.frontier import (
    IR_TOLERANCE,
    Frontier,
    FrontierCheck,
    check_frontier,
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
    "FrontierCheck",
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
    "box_frontier",
    "check_frontier",
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
