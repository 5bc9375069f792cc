"""Issue linkage: package versus issue by issue, and every agenda.

Definitions follow ``reference/linkage.md``: a solution concept S maps a feasible set F and the
disagreement point r (reservation values) to an outcome; only individually rational outcomes are
eligible, and with none there is no agreement (everyone gets r). Every settlement here is
:func:`zopa.analysis.solutions.settle` on a frontier (or :func:`~zopa.analysis.solutions.
settle_candidates`, its vectorised form on small candidate sets), so every engine agrees.

- **Package**: S over the whole outcome space.
- **Agenda** A: issues off the agenda are held at their disagreement option; S over the rest.
- **Issue by issue** (:func:`issue_by_issue`, the one baseline of linkage, chips, logrolls,
  robustness and the report): issue k is settled alone, o*_k = the k-th option of S(F_k, r) with
  F_k the outcomes whose other issues are at their disagreement options, over the issue's options
  as they are (no mixtures); an issue whose own talks fail stays at its disagreement option. The
  settlements combine into o^sep. With additive utilities they do not interact, so this is the
  natural "no linkage" baseline. It needs a disagreement option on every issue: without one, F_k
  is not defined.
- **Value of linkage** for a party: u(S(F, r)) − u(o^sep).

The arguments for linkage are Tollison & Willett (1979), "An economic theory of mutually
advantageous issue linkages in international negotiations", *International Organization* 33(4):
425–449, and Sebenius (1983), "Negotiation arithmetic: adding and subtracting issues and parties",
*International Organization* 37(2): 281–316. Each issue's share of a party's gain from the full
agenda is its Shapley value (Shapley 1953, "A value for n-person games", in *Contributions to the
Theory of Games II*, Annals of Mathematics Studies 28: 307–317) in the game that gives each agenda
the party's gain over its reservation value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.analysis._pandas import data_frame
from zopa.analysis._results import ArrayRecord
from zopa.analysis.frontier import (
    Frontier,
    as_problem,
    frontier_of,
    nondominated_mask,
    pareto_frontier,
)
from zopa.analysis.solutions import (
    Concept,
    Solution,
    check_concept,
    settle,
    settle_candidates,
    settle_columns,
)
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_ALL_AGENDAS",
    "Agendas",
    "IssueByIssue",
    "Linkage",
    "compare_agendas",
    "compare_linkage",
    "issue_by_issue",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest number of issues for which every agenda (2^m of them) is evaluated.
MAX_ALL_AGENDAS = 16


def _problem_for_linkage(
    problem: Scenario | BargainingProblem, reservation: npt.ArrayLike | None, what: str
) -> BargainingProblem:
    prob = as_problem(problem)
    if prob.n_parties < 2:
        raise ScenarioError(f"{what} needs at least two parties, got {prob.n_parties}")
    if reservation is not None:
        prob = prob.with_reservation(reservation)
    return prob


def _names(
    prob: BargainingProblem,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    return prob.parties, prob.space.names, tuple(i.options for i in prob.space.issues)


def _outcome_dict(
    outcome: Sequence[int] | None, issues: Sequence[str], options: Sequence[Sequence[str]]
) -> dict[str, str] | None:
    if outcome is None:
        return None
    return {name: opts[c] for name, opts, c in zip(issues, options, outcome, strict=True)}


def _finite(x: float) -> float | None:
    """A JSON-safe number: ``None`` for NaN (a quantity that was not evaluated)."""
    return None if np.isnan(x) else float(x)


def _solution_dict(
    s: Solution, parties: Sequence[str], issues: Sequence[str], options: Sequence[Sequence[str]]
) -> dict[str, Any]:
    return {
        "agreement": s.agreement,
        "outcome": _outcome_dict(s.outcome, issues, options),
        "utilities": dict(zip(parties, s.utilities, strict=True)),
    }


# ------------------------------------------------------------------------------ issue by issue
@dataclass(frozen=True)
class IssueByIssue:
    """Each issue settled alone, and the settlements combined (the "no linkage" baseline).

    Attributes:
        concept: the solution concept.
        per_issue: for issue k, the deal on F_k (issue k free, the others at their disagreement
            options): a full outcome and each party's utility of it (the reservation values where
            the issue's own talks fail).
        outcome: o^sep, issue k at its own settlement (its disagreement option where that failed).
        utilities: each party's utility of o^sep.
    """

    concept: str
    per_issue: tuple[Solution, ...]
    outcome: tuple[int, ...]
    utilities: tuple[float, ...]

    @property
    def options(self) -> tuple[int | None, ...]:
        """Per issue, the option its own talks settle on (``None`` where they fail)."""
        return tuple(
            None if s.outcome is None else s.outcome[k] for k, s in enumerate(self.per_issue)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "outcome": list(self.outcome),
            "utilities": list(self.utilities),
            "per_issue": [s.to_dict() for s in self.per_issue],
        }


def _alone_codes(prob: BargainingProblem, k: int) -> IntArray:
    """The outcomes of F_k in option order: issue k free, every other issue at disagreement."""
    d = np.asarray(prob.disagreement, dtype=np.int64)
    codes = np.tile(d, (prob.space.sizes[k], 1))
    codes[:, k] = np.arange(prob.space.sizes[k])
    return codes


def issue_by_issue(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
) -> IssueByIssue:
    """Settle every issue alone and combine the settlements (see the module docstring).

    Raises:
        ScenarioError: fewer than two parties, or an issue without a disagreement option.
    """
    check_concept(concept)
    prob = _problem_for_linkage(problem, reservation, "issue-by-issue talks")
    missing = [
        i.name for i, d in zip(prob.space.issues, prob.disagreement, strict=True) if d is None
    ]
    if missing:
        raise ScenarioError(
            "issue-by-issue talks need a disagreement option on every issue; missing on "
            + ", ".join(missing)
        )
    r = prob.reservation
    per_issue = []
    combined = list(prob.disagreement)
    for k in range(prob.n_issues):
        codes = _alone_codes(prob, k)
        u = prob.utilities(codes)
        i = int(settle_candidates(concept, u[None], r[None], powers=prob.powers)[0])
        if i < 0:
            per_issue.append(Solution(concept, None, tuple(float(x) for x in r), False))
        else:
            combined[k] = i
            per_issue.append(
                Solution(concept, tuple(int(c) for c in codes[i]), tuple(map(float, u[i])), True)
            )
    outcome = tuple(int(c) for c in combined)  # type: ignore[arg-type]
    u_sep = prob.utilities(np.asarray(outcome, dtype=np.int64))
    return IssueByIssue(concept, tuple(per_issue), outcome, tuple(float(x) for x in u_sep))


# ------------------------------------------------------------------------------ package vs separate
@dataclass(frozen=True)
class Linkage:
    """Package versus issue by issue, for one solution concept.

    Attributes:
        package: the deal when every issue is negotiated together.
        per_issue: for each issue, the deal on that issue alone (others at disagreement).
        separate: the issue-by-issue outcome (each issue's own settlement combined) and each
            party's utility of it; issues whose own talks fail stay at their disagreement option.
        gain: each party's utility of the package minus that of the separate settlements.
    """

    concept: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    reservation: tuple[float, ...]
    package: Solution
    per_issue: tuple[Solution, ...]
    separate: Solution
    gain: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "reservation": dict(zip(self.parties, self.reservation, strict=True)),
            "package": _solution_dict(self.package, self.parties, self.issues, self.options),
            "separate": _solution_dict(self.separate, self.parties, self.issues, self.options),
            "per_issue": {
                issue: {
                    "agreement": s.agreement,
                    "option": None if s.outcome is None else opts[s.outcome[k]],
                    "utilities": dict(zip(self.parties, s.utilities, strict=True)),
                }
                for k, (issue, opts, s) in enumerate(
                    zip(self.issues, self.options, self.per_issue, strict=True)
                )
            },
            "gain": dict(zip(self.parties, self.gain, strict=True)),
        }


def compare_linkage(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
    frontier: Frontier | None = None,
    baseline: IssueByIssue | None = None,
    limit: int = 10_000_000,
) -> Linkage:
    """Compare settling everything as one package with settling each issue alone.

    Args:
        problem: a scenario or its bargaining problem (at least two parties, a disagreement
            option on every issue).
        concept: the solution concept.
        reservation: the disagreement point (default: the problem's reservation values).
        frontier: the problem's full Pareto frontier, when the caller has it already.
        baseline: the problem's :func:`issue_by_issue` settlement, when the caller has it.
        limit: largest outcome space enumerated for non-additive preferences.
    """
    check_concept(concept)
    prob = _problem_for_linkage(problem, reservation, "linkage analysis")
    sep = issue_by_issue(prob, concept) if baseline is None else baseline
    front = frontier_of(prob, limit=limit) if frontier is None else frontier
    package = settle(front, prob.reservation, concept, powers=prob.powers)
    separate = Solution(concept, sep.outcome, sep.utilities, True)
    parties, issues, options = _names(prob)
    return Linkage(
        concept=concept,
        parties=parties,
        issues=issues,
        options=options,
        reservation=tuple(float(x) for x in prob.reservation),
        package=package,
        per_issue=sep.per_issue,
        separate=separate,
        gain=tuple(a - b for a, b in zip(package.utilities, separate.utilities, strict=True)),
    )


# ------------------------------------------------------------------------------------- agendas
@dataclass(frozen=True, eq=False)
class Agendas(ArrayRecord):
    """Every agenda (or a given list): the deal and each party's utility.

    Attributes:
        members: array ``(agendas, issues)`` of booleans: which issues are on each agenda.
        utilities: array ``(agendas, parties)``: each party's utility of the deal on that agenda
            (its reservation value where talks on that agenda fail).
        outcomes: array ``(agendas, issues)`` of option codes (off-agenda issues at their
            disagreement option), ``-1`` throughout where there is no agreement.
        best: for each party, the index of its best agenda (ties: the fewest issues, then the
            first).
        added_last: array ``(issues, parties)``: utility of the full agenda minus that of the full
            agenda without the issue (only when both were evaluated, else NaN).
        shapley: array ``(issues, parties)``: each issue's Shapley value in the game that gives an
            agenda the party's gain over its reservation value (only when every agenda was
            evaluated, else ``None``). The values of one party add up to its utility of the full
            agenda minus that of the smallest one (nothing negotiable on the table).
    """

    concept: str
    parties: tuple[str, ...]
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    reservation: tuple[float, ...]
    members: npt.NDArray[np.bool_]
    utilities: FloatArray
    outcomes: IntArray
    best: tuple[int, ...]
    added_last: FloatArray
    shapley: FloatArray | None

    def __len__(self) -> int:
        return int(self.members.shape[0])

    def agenda_names(self, i: int) -> list[str]:
        """The issues on agenda ``i``."""
        return [name for name, on in zip(self.issues, self.members[i], strict=True) if on]

    def to_dict(self, *, limit: int | None = 256) -> dict[str, Any]:
        """JSON-ready summary; the per-agenda table is cut to ``limit`` rows (best first by total
        utility) unless ``limit`` is ``None``."""
        order = np.argsort(-self.utilities.sum(axis=1), kind="stable")
        if limit is not None:
            order = order[:limit]
        return {
            "concept": self.concept,
            "count": len(self),
            "best": {
                party: {
                    "issues": self.agenda_names(b),
                    "utility": float(self.utilities[b, j]),
                    "outcome": self._outcome(b),
                }
                for j, (party, b) in enumerate(zip(self.parties, self.best, strict=True))
            },
            "added_last": {
                issue: dict(zip(self.parties, map(_finite, self.added_last[k]), strict=True))
                for k, issue in enumerate(self.issues)
            },
            "shapley": None
            if self.shapley is None
            else {
                issue: dict(zip(self.parties, map(float, self.shapley[k]), strict=True))
                for k, issue in enumerate(self.issues)
            },
            "agendas": [
                {
                    "issues": self.agenda_names(int(i)),
                    "agreement": bool(self.outcomes[i, 0] >= 0),
                    "utilities": dict(
                        zip(self.parties, map(float, self.utilities[i]), strict=True)
                    ),
                }
                for i in order
            ],
        }

    def _outcome(self, i: int) -> dict[str, str] | None:
        if self.outcomes[i, 0] < 0:
            return None
        return _outcome_dict([int(c) for c in self.outcomes[i]], self.issues, self.options)

    def to_frame(self) -> pd.DataFrame:
        """One row per agenda, in evaluation order (needs pandas).

        Columns have two levels: ``("on_agenda", issue)`` (booleans: which issues are on the
        agenda), ``("utility", party)`` (each party's utility of the deal on that agenda, its
        reservation value where talks fail) and ``("agreement", "")``, so that
        ``frame["utility"]`` and ``frame["agreement"]`` select them.
        """
        columns: dict[Hashable, Any] = {
            ("on_agenda", issue): self.members[:, k] for k, issue in enumerate(self.issues)
        }
        columns.update(
            {("utility", party): self.utilities[:, j] for j, party in enumerate(self.parties)}
        )
        columns[("agreement", "")] = self.outcomes[:, 0] >= 0
        return data_frame(columns, index_name="agenda")


def compare_agendas(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
    only: Sequence[Sequence[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Agendas:
    """Evaluate every agenda (up to :data:`MAX_ALL_AGENDAS` issues) or the agendas in ``only``.

    Issues without a disagreement option cannot be left off, so they are on every agenda. Each
    agenda's deal is :func:`~zopa.analysis.solutions.settle` on that agenda's frontier.

    Args:
        problem: an additive scenario or bargaining problem with at least two parties.
        concept: one of :data:`~zopa.analysis.solutions.CONCEPTS`.
        reservation: the disagreement point (default: the problem's reservation values).
        only: agendas to evaluate, each a list of issue names (required beyond 16 issues).
        progress: called as ``progress(done, total)`` after each agenda.
    """
    check_concept(concept)
    prob = _problem_for_linkage(problem, reservation, "agenda analysis")
    tables, r, d = prob.tables, prob.reservation, prob.disagreement
    m = prob.n_issues
    names = prob.space.names
    fixed = np.asarray([x is None for x in d])
    if only is None:
        free = int((~fixed).sum())
        if free > MAX_ALL_AGENDAS:
            raise ScenarioError(
                f"{free} issues can be left off the agenda, giving 2^{free} agendas; more than "
                f"2^{MAX_ALL_AGENDAS} — pass a list of agendas instead (--agendas FILE)"
            )
        free_idx = np.flatnonzero(~fixed)
        bits = (np.arange(1 << free)[:, None] >> np.arange(free)[None, :]) & 1
        members = np.tile(fixed, (1 << free, 1))
        members[:, free_idx] = bits.astype(bool)
    else:
        if isinstance(only, str):
            raise ArgumentError("only: expected a list of agendas (lists of issue names)")
        members = np.zeros((len(only), m), dtype=bool)
        for a, agenda in enumerate(only):
            if isinstance(agenda, str) or not isinstance(agenda, Sequence):
                raise ArgumentError(f"only[{a}]: expected a list of issue names, got {agenda!r}")
            for name in agenda:
                if name not in names:
                    raise ScenarioError(f'expected one of the issues {list(names)}, got "{name}"')
                members[a, names.index(name)] = True
        members |= fixed
    n = members.shape[0]
    if only is None:
        utilities, outcomes = _sweep(tables, r, d, fixed, concept, prob.powers, progress)
    else:
        utilities = np.empty((n, prob.n_parties))
        outcomes = np.full((n, m), -1, dtype=np.int64)
        for a in range(n):
            on = members[a]
            cut = [
                t if on_k else t[:, [int(d_k or 0)]]
                for t, on_k, d_k in zip(tables, on, d, strict=True)
            ]
            sol = settle(pareto_frontier(cut), r, concept, powers=prob.powers)
            utilities[a] = sol.utilities
            if sol.outcome is not None:
                outcomes[a] = [
                    c if on_k else int(d_k or 0)
                    for c, on_k, d_k in zip(sol.outcome, on, d, strict=True)
                ]
            if progress is not None:
                progress(a + 1, n)
    sizes = members.sum(axis=1)
    best = tuple(
        int(np.lexsort((np.arange(n), sizes, -np.round(utilities[:, j], 12)))[0])
        for j in range(prob.n_parties)
    )
    index = {row.tobytes(): a for a, row in enumerate(members)}
    added_last = np.full((m, prob.n_parties), np.nan)
    full_row = index.get(np.ones(m, dtype=bool).tobytes())
    if full_row is not None:
        for k in range(m):
            without = np.ones(m, dtype=bool)
            without[k] = False
            row = index.get(without.tobytes())
            if row is not None:
                added_last[k] = utilities[full_row] - utilities[row]
            elif fixed[k]:
                added_last[k] = 0.0
    shapley = _shapley(members, utilities - r, index) if only is None else None
    parties, issues, options = _names(prob)
    for arr in (members, utilities, outcomes, added_last, shapley):
        if arr is not None:
            arr.setflags(write=False)
    return Agendas(
        concept=concept,
        parties=parties,
        issues=issues,
        options=options,
        reservation=tuple(float(x) for x in r),
        members=members,
        utilities=utilities,
        outcomes=outcomes,
        best=best,
        added_last=added_last,
        shapley=shapley,
    )


def _sweep(
    tables: Sequence[FloatArray],
    r: FloatArray,
    d: Sequence[int | None],
    fixed: npt.NDArray[np.bool_],
    concept: Concept,
    powers: FloatArray | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[FloatArray, IntArray]:
    """Every agenda at once, agenda ``a`` being bit ``b`` of ``a`` for the ``b``-th issue that can
    be left off (the order of :func:`compare_agendas`).

    The Pareto frontier of agenda ``a`` is that of ``a`` without its highest issue, extended by that
    issue's options and filtered again; issues off the agenda add a constant (their disagreement
    option's values). So each agenda costs one extension step rather than one per issue on it, and
    back-pointers through the parent agendas recover each chosen outcome's options.
    """
    m = len(tables)
    parties = tables[0].shape[0]
    always = np.flatnonzero(fixed)
    free = [int(k) for k in np.flatnonzero(~fixed)]
    if always.size:
        base = pareto_frontier([tables[int(k)] for k in always])
        base_points, base_codes = base.utilities, base.outcomes
    else:
        base_points, base_codes = np.zeros((1, parties)), np.zeros((1, 0), dtype=np.int64)
    dcol = (
        np.stack([tables[k][:, int(d[k] or 0)] for k in free]) if free else np.zeros((0, parties))
    )
    n = 1 << len(free)
    points: list[FloatArray] = [base_points]
    parent: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    option: list[IntArray] = [np.zeros(0, dtype=np.int64)]
    const = np.empty((n, parties))
    const[0] = dcol.sum(axis=0)
    utilities = np.empty((n, parties))
    outcomes = np.full((n, m), -1, dtype=np.int64)
    default = np.asarray([-1 if x is None else x for x in d], dtype=np.int64)
    for a in range(n):
        if a:
            b = a.bit_length() - 1
            prev = a ^ (1 << b)
            table = tables[free[b]]
            width = table.shape[1]
            cand = (points[prev][:, None, :] + table.T[None, :, :]).reshape(-1, parties)
            keep = np.flatnonzero(nondominated_mask(cand))
            points.append(cand[keep])
            parent.append(keep // width)
            option.append(keep % width)
            const[a] = const[prev] - dcol[b]
        u = points[a] + const[a]
        # Settle on agenda a's frontier (the one settlement path, in its vectorised form: the
        # points are that frontier, unsorted; settle_columns sorts them only to break a tie).
        i = int(
            settle_columns(concept, [u[None, :, p] for p in range(parties)], r, powers=powers)[0]
        )
        if i < 0:
            utilities[a] = r
        else:
            utilities[a] = u[i]
            codes = default.copy()
            cur, j = a, int(i)
            while cur:
                b = cur.bit_length() - 1
                codes[free[b]] = option[cur][j]
                j = int(parent[cur][j])
                cur ^= 1 << b
            codes[always] = base_codes[j]
            outcomes[a] = codes
        if progress is not None:
            progress(a + 1, n)
    return utilities, outcomes


def _shapley(
    members: npt.NDArray[np.bool_], value: FloatArray, index: dict[bytes, int]
) -> FloatArray:
    """Shapley value of each issue (player) in the game ``value[agenda]`` (issues that are always
    on the agenda get 0, and the empty agenda is the one with only those)."""
    m = members.shape[1]
    always = members.all(axis=0)
    players = np.flatnonzero(~always)
    p = len(players)
    out = np.zeros((m, value.shape[1]))
    sizes = members[:, players].sum(axis=1)
    weights = np.asarray(
        [math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)]
    )
    for k in players:
        without = ~members[:, k]
        for a in np.flatnonzero(without):
            row = members[a].copy()
            row[k] = True
            b = index[row.tobytes()]
            out[k] += weights[sizes[a]] * (value[b] - value[a])
    return out
