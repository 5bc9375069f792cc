"""Bargaining chips and logrolls between two parties.

Definitions follow ``reference/linkage.md``; for two parties ``i`` and ``j`` with additive utilities
``u_i(o) = Σ_k t_ik(o_k)``, where ``t_ik = w_ik · v_ik`` is issue ``k``'s row of
:meth:`zopa.model.Scenario.value_tables`:

- **Importance** of issue ``k`` to ``i``: ``I_ik = w_ik · (max v_ik − min v_ik)``, the range of
  ``t_ik``; its **share** is ``I_ik / Σ_l I_il``.
- **Relation**: issue ``k`` is *opposed* when Spearman's rank correlation ρ of ``t_ik`` and
  ``t_jk`` over the options (Pearson correlation of mid-ranks, so ties are allowed) is negative,
  *common* (a common interest) when it is positive, and *independent* when it is zero or undefined
  (a row is constant: one party does not care). Spearman's ρ rather than Kendall's τ: both agree
  on the sign for the two-option issues of the textbook cases, and ρ weighs big reversals more.
- **Exchange rate** ``e_k(i→j) = I_jk / I_ik``: what a unit of utility ``i`` concedes on ``k`` is
  worth to ``j`` (``inf`` when ``I_ik = 0 < I_jk``, ``nan`` when both are 0).
- **Concession**: ``i``'s best option on ``k`` (ties broken in favour of ``j``, then by the lowest
  code) and ``j``'s best (ties in favour of ``i``); conceding ``k`` moves it from ``i``'s best to
  ``j``'s best, which costs ``i`` ``t_ik(best_i) − t_ik(best_j)`` and is worth
  ``t_jk(best_j) − t_jk(best_i)`` to ``j``. On a fully opposed issue these are ``I_ik`` and ``I_jk``.
- **Bargaining chips** of ``i``: its opposed issues, sorted by ``e_k(i→j)``, highest first (cheap
  for ``i`` to give, valuable for ``j`` to get); ties by issue order. Likewise for ``j`` with
  ``e_k(j→i)``.
- **Logroll** (Froman & Cohen 1970, "Compromise and logroll: comparing the efficiency of two
  bargaining processes", *Behavioral Science* 15(2): 180-183; Raiffa 1982, *The Art and Science of
  Negotiation*; Tollison & Willett 1979, *International Organization* 33(4): 425-449): an ordered
  pair of opposed issues ``(k, l)`` with ``I_ik / I_il > I_jk / I_jl`` (tested as
  ``I_ik · I_jl > I_jk · I_il``): ``i`` wins ``k`` (gets its best option there) and ``j`` wins ``l``.

**Issue-by-issue settlement** (the baseline a logroll is measured against) is the one of
:func:`zopa.analysis.linkage.issue_by_issue`, the baseline linkage, robustness and the report use
too: each issue settled alone by the same solution concept (Nash 1950 by default) over its
options, every other issue at its disagreement option, against the parties' reservation values.
It needs a disagreement option on every issue; without one the baseline, the settlements and the
logrolls' gains are undefined (``None``), while importances, exchange rates, chips and which pairs
of issues are logrolls are still given.

A logroll's gain for each party is its utility from ``k`` and ``l`` under the logroll (``i``'s best
option on ``k``, ``j``'s best on ``l``) minus its utility from ``k`` and ``l`` settled issue by
issue; the joint gain is the sum of the two. The ratio condition does not by itself make both gains
positive (it compares importances, not settlements); :attr:`Logroll.mutual` says whether they are.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.analysis._pandas import data_frame
from zopa.analysis.frontier import as_problem
from zopa.analysis.linkage import IssueByIssue, issue_by_issue
from zopa.analysis.solutions import Concept, check_concept
from zopa.model.errors import ArgumentError
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Chips",
    "IssueTrade",
    "Logroll",
    "Relation",
    "bargaining_chips",
    "chips_from_tables",
]

FloatArray = npt.NDArray[np.float64]

#: How two parties' preferences over an issue's options relate (sign of Spearman's ρ).
Relation = Literal["opposed", "common", "independent"]

#: Correlations within this of zero count as zero; ratio and product comparisons use it relatively.
_TOL = 1e-12


@dataclass(frozen=True)
class IssueTrade:
    """One issue seen from two parties ``i`` and ``j`` (see the module docstring).

    Attributes:
        issue: issue index.
        name: issue name.
        importance: ``(I_i, I_j)``, each party's importance of the issue.
        share: each party's importance as a share of its total importance over all issues.
        correlation: Spearman's ρ between the two parties' values over the options, or ``None``
            when a row is constant.
        relation: ``"opposed"`` (ρ < 0), ``"common"`` (ρ > 0) or ``"independent"``.
        rate: exchange rate ``e(i→j) = I_j / I_i`` (``inf`` or ``nan`` when ``I_i = 0``).
        reverse_rate: ``e(j→i) = I_i / I_j``.
        best: ``(best option of i, best option of j)`` as option codes.
        concession_cost: what conceding the issue (moving it from ``i``'s best to ``j``'s best)
            costs ``i``.
        concession_value: what that concession is worth to ``j``.
        settled: the option the issue settles on alone (issue-by-issue baseline), ``None`` when
            the baseline is undefined.
        settlement: ``(u_i, u_j)`` from this issue at that option, or ``None``.
    """

    issue: int
    name: str
    importance: tuple[float, float]
    share: tuple[float, float]
    correlation: float | None
    relation: Relation
    rate: float
    reverse_rate: float
    best: tuple[int, int]
    concession_cost: float
    concession_value: float
    settled: int | None
    settlement: tuple[float, float] | None

    @property
    def opposed(self) -> bool:
        """Whether what is better for one party is worse for the other (ρ < 0)."""
        return self.relation == "opposed"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; an infinite rate is the string ``"inf"``, an undefined one ``None``."""
        return {
            "issue": self.name,
            "importance": list(self.importance),
            "share": list(self.share),
            "correlation": self.correlation,
            "relation": self.relation,
            "opposed": self.opposed,
            "rate": _json_number(self.rate),
            "reverse_rate": _json_number(self.reverse_rate),
            "best": list(self.best),
            "concession_cost": self.concession_cost,
            "concession_value": self.concession_value,
            "settled": self.settled,
            "settlement": None if self.settlement is None else list(self.settlement),
        }


@dataclass(frozen=True)
class Logroll:
    """Party ``i`` wins issue ``issues[0]``, party ``j`` wins issue ``issues[1]``.

    Attributes:
        issues: ``(k, l)`` issue indices: ``i`` wins ``k``, ``j`` wins ``l``.
        names: the two issues' names.
        options: ``(i's best option on k, j's best option on l)``, the logroll's options.
        ratios: ``(I_ik / I_il, I_jk / I_jl)``; a logroll has the first above the second.
        outcome: each party's utility from ``k`` and ``l`` under the logroll.
        baseline: each party's utility from ``k`` and ``l`` settled issue by issue (``None``
            when that baseline is undefined).
        gains: ``outcome − baseline`` for ``i`` and ``j`` (``None`` without a baseline).
        joint_gain: the sum of the two gains (``None`` without a baseline).
    """

    issues: tuple[int, int]
    names: tuple[str, str]
    options: tuple[int, int]
    ratios: tuple[float, float]
    outcome: tuple[float, float]
    baseline: tuple[float, float] | None
    gains: tuple[float, float] | None
    joint_gain: float | None

    @property
    def mutual(self) -> bool:
        """Whether both parties gain (strictly) over the issue-by-issue settlement."""
        return self.gains is not None and self.gains[0] > _TOL and self.gains[1] > _TOL

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; an infinite ratio is the string ``"inf"``."""
        return {
            "i_wins": self.names[0],
            "j_wins": self.names[1],
            "options": list(self.options),
            "ratios": [_json_number(r) for r in self.ratios],
            "baseline": None if self.baseline is None else list(self.baseline),
            "outcome": list(self.outcome),
            "gains": None if self.gains is None else list(self.gains),
            "joint_gain": self.joint_gain,
            "mutual": self.mutual,
        }


@dataclass(frozen=True)
class Chips:
    """Bargaining chips and logrolls between parties ``i`` and ``j``.

    Attributes:
        parties: ``(i, j)``, the two parties' names.
        indices: their positions among the problem's parties.
        issues: one :class:`IssueTrade` per issue, in issue order.
        chips_i: ``i``'s bargaining chips, opposed issue indices by ``e(i→j)``, highest first.
        chips_j: ``j``'s, by ``e(j→i)``, highest first.
        logrolls: every logroll, largest joint gain first (ties, and every logroll when the
            baseline is undefined, by issue indices).
        baseline: whether the issue-by-issue baseline is defined (every issue has a disagreement
            option), so that settlements and gains are given.
    """

    parties: tuple[str, str]
    indices: tuple[int, int]
    issues: tuple[IssueTrade, ...]
    chips_i: tuple[int, ...]
    chips_j: tuple[int, ...]
    logrolls: tuple[Logroll, ...]
    baseline: bool = True

    @property
    def mutual_logrolls(self) -> tuple[Logroll, ...]:
        """The logrolls that leave both parties better off than issue by issue."""
        return tuple(lr for lr in self.logrolls if lr.mutual)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, issues referred to by name."""
        names = [t.name for t in self.issues]
        return {
            "parties": list(self.parties),
            "baseline": self.baseline,
            "issues": [t.to_dict() for t in self.issues],
            "chips": {
                self.parties[0]: [names[k] for k in self.chips_i],
                self.parties[1]: [names[k] for k in self.chips_j],
            },
            "logrolls": [lr.to_dict() for lr in self.logrolls],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per issue, indexed by issue name (needs pandas).

        Columns with one value per party are ``(measure, party)`` — ``importance``, ``share``,
        ``best`` (the party's best option code) and ``settlement`` (its utility from the issue
        settled alone, NaN without a baseline) — and the others ``(measure, "")``:
        ``correlation`` (Spearman's ρ, NaN when undefined), ``relation``, ``opposed``, ``rate``
        (``e(i→j)``), ``reverse_rate`` (``e(j→i)``), ``concession_cost`` (to ``i``) and
        ``concession_value`` (to ``j``).
        """
        t = self.issues
        columns: dict[Hashable, Any] = {}
        for measure in ("importance", "share", "best"):
            for side, party in enumerate(self.parties):
                columns[(measure, party)] = [getattr(x, measure)[side] for x in t]
        for side, party in enumerate(self.parties):
            columns[("settlement", party)] = [
                np.nan if x.settlement is None else x.settlement[side] for x in t
            ]
        columns[("correlation", "")] = [
            np.nan if x.correlation is None else x.correlation for x in t
        ]
        for measure in ("relation", "opposed", "rate", "reverse_rate"):
            columns[(measure, "")] = [getattr(x, measure) for x in t]
        columns[("concession_cost", "")] = [x.concession_cost for x in t]
        columns[("concession_value", "")] = [x.concession_value for x in t]
        return data_frame(columns, index_name="issue", index=[x.name for x in t])


# ---------------------------------------------------------------------------------- faces
def bargaining_chips(
    problem: Scenario | BargainingProblem,
    i: int | str = 0,
    j: int | str = 1,
    *,
    concept: Concept = "nash",
    baseline: IssueByIssue | None = None,
) -> Chips:
    """Bargaining chips and logrolls between two parties of an additive negotiation.

    Args:
        problem: a scenario or its bargaining problem (every party's preferences additive).
        i, j: the two parties, by index or name.
        concept: the solution concept of the issue-by-issue baseline.
        baseline: that baseline, when the caller has it already
            (:func:`zopa.analysis.linkage.issue_by_issue`).

    Raises:
        ScenarioError: a party is unknown or has non-additive preferences.
        ArgumentError: ``i`` and ``j`` are the same party, or an index is out of range.
    """
    check_concept(concept)
    prob = as_problem(problem)
    for name, x in (("i", i), ("j", j)):
        if isinstance(x, bool) or not isinstance(x, (int, str, np.integer)):
            raise ArgumentError(f"{name}: expected a party name or index, got {x!r}")
    a = prob.party_index(i) if isinstance(i, str) else int(i)
    b = prob.party_index(j) if isinstance(j, str) else int(j)
    _check_parties(a, b, prob.n_parties)
    if baseline is None and prob.complete_disagreement:
        baseline = issue_by_issue(prob, concept)
    return chips_from_tables(
        prob.tables,
        a,
        b,
        settled=None if baseline is None else baseline.outcome,
        issue_names=prob.space.names,
        party_names=(prob.parties[a], prob.parties[b]),
    )


def chips_from_tables(
    tables: Sequence[npt.ArrayLike],
    i: int = 0,
    j: int = 1,
    *,
    settled: Sequence[int | None] | None = None,
    issue_names: Sequence[str] | None = None,
    party_names: tuple[str, str] | None = None,
) -> Chips:
    """Bargaining chips and logrolls from value tables (see the module docstring).

    Args:
        tables: per issue, an array ``(parties, options)`` of weighted values
            (:attr:`zopa.model.problem.BargainingProblem.tables`).
        i, j: the two parties' row indices.
        settled: per issue, the option its issue-by-issue settlement picks (``None`` for the
            whole argument when the baseline is undefined; ``None`` for one issue whose own talks
            failed is not allowed: pass the disagreement option, where it stays).
        issue_names: names for the report (default ``"0", "1", ...``).
        party_names: names for the report (default ``("i", "j")`` as numbers).

    Examples:
        Party 0 cares 3:1 about issue X over Y, party 1 1:3; each issue has two opposed options,
        and alone X settles on option 1 (party 1's best) and Y on option 0 (party 0's best):

        >>> x = np.array([[0.75, 0.0], [0.0, 0.25]])
        >>> y = np.array([[0.25, 0.0], [0.0, 0.75]])
        >>> chips = chips_from_tables([x, y], settled=[1, 0], issue_names=["X", "Y"])
        >>> chips.chips_i, chips.chips_j
        ((1, 0), (0, 1))
        >>> roll = chips.logrolls[0]
        >>> roll.names, roll.gains, roll.joint_gain
        (('X', 'Y'), (0.5, 0.5), 1.0)
    """
    arrays = [np.asarray(t, dtype=float) for t in tables]
    if not arrays:
        raise ArgumentError("tables: expected at least one issue's value table, got none")
    for k, t in enumerate(arrays):
        if t.ndim != 2 or t.shape[0] != arrays[0].shape[0] or t.shape[1] == 0:
            raise ArgumentError(
                f"tables[{k}]: expected shape (parties, options>0) like tables[0], "
                f"got shape {t.shape}"
            )
        if not np.isfinite(t).all():
            raise ArgumentError(f"tables[{k}]: expected finite values, got NaN or infinite ones")
    _check_parties(i, j, arrays[0].shape[0])
    m = len(arrays)
    names = [str(k) for k in range(m)] if issue_names is None else list(issue_names)
    if len(names) != m or (settled is not None and len(settled) != m):
        raise ArgumentError(f"expected one settled option and one name per issue ({m})")
    who = (str(i), str(j)) if party_names is None else party_names

    rows = [(t[i], t[j]) for t in arrays]
    importance = [(_range(x), _range(y)) for x, y in rows]
    total_i = sum(a for a, _ in importance)
    total_j = sum(b for _, b in importance)
    trades = []
    for k, ((x, y), (imp_i, imp_j)) in enumerate(zip(rows, importance, strict=True)):
        rho = _spearman(x, y)
        relation: Relation = (
            "independent"
            if rho is None or abs(rho) <= _TOL
            else ("opposed" if rho < 0 else "common")
        )
        best_i = _best(x, y)
        best_j = _best(y, x)
        o = None if settled is None else settled[k]
        if settled is not None and (o is None or not 0 <= o < x.shape[0]):
            raise ArgumentError(f"settled[{k}]: expected an option code in 0..{x.shape[0] - 1}")
        trades.append(
            IssueTrade(
                issue=k,
                name=names[k],
                importance=(imp_i, imp_j),
                share=(_share(imp_i, total_i), _share(imp_j, total_j)),
                correlation=rho,
                relation=relation,
                rate=_ratio(imp_j, imp_i),
                reverse_rate=_ratio(imp_i, imp_j),
                best=(best_i, best_j),
                concession_cost=float(x[best_i] - x[best_j]),
                concession_value=float(y[best_j] - y[best_i]),
                settled=o,
                settlement=None if o is None else (float(x[o]), float(y[o])),
            )
        )

    opposed = [t for t in trades if t.opposed]
    chips_i = tuple(t.issue for t in sorted(opposed, key=lambda t: (-t.rate, t.issue)))
    chips_j = tuple(t.issue for t in sorted(opposed, key=lambda t: (-t.reverse_rate, t.issue)))
    logrolls = []
    for a in opposed:
        for b in opposed:
            if a.issue == b.issue:
                continue
            lhs = a.importance[0] * b.importance[1]  # I_ik · I_jl
            rhs = a.importance[1] * b.importance[0]  # I_jk · I_il
            if lhs - rhs > _TOL * max(lhs, rhs):
                logrolls.append(_logroll(a, b, rows))
    logrolls.sort(key=lambda lr: (-(lr.joint_gain or 0.0), lr.issues))
    return Chips(
        parties=who,
        indices=(i, j),
        issues=tuple(trades),
        chips_i=chips_i,
        chips_j=chips_j,
        logrolls=tuple(logrolls),
        baseline=settled is not None,
    )


# ---------------------------------------------------------------------------------- helpers
def _logroll(a: IssueTrade, b: IssueTrade, rows: list[tuple[FloatArray, FloatArray]]) -> Logroll:
    (xk, yk), (xl, yl) = rows[a.issue], rows[b.issue]
    win_i, win_j = a.best[0], b.best[1]
    outcome = (float(xk[win_i] + xl[win_j]), float(yk[win_i] + yl[win_j]))
    baseline = gains = joint = None
    if a.settlement is not None and b.settlement is not None:
        baseline = (a.settlement[0] + b.settlement[0], a.settlement[1] + b.settlement[1])
        gains = (outcome[0] - baseline[0], outcome[1] - baseline[1])
        joint = gains[0] + gains[1]
    return Logroll(
        issues=(a.issue, b.issue),
        names=(a.name, b.name),
        options=(win_i, win_j),
        ratios=(_ratio(a.importance[0], b.importance[0]), _ratio(a.importance[1], b.importance[1])),
        outcome=outcome,
        baseline=baseline,
        gains=gains,
        joint_gain=joint,
    )


def _best(own: FloatArray, other: FloatArray) -> int:
    """The option ``own`` likes best; ties go to the one ``other`` likes best, then lowest code."""
    top = np.flatnonzero(own == own.max())
    return int(top[np.argmax(other[top])])


def _range(row: FloatArray) -> float:
    return float(row.max() - row.min())


def _ranks(row: FloatArray) -> FloatArray:
    """Mid-ranks (ties share the mean of their positions)."""
    _, inverse, counts = np.unique(row, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    mid = ends - (counts - 1) / 2.0
    return np.asarray(mid[inverse.ravel()], dtype=float)


def _spearman(x: FloatArray, y: FloatArray) -> float | None:
    """Spearman's rank correlation, or ``None`` when a row is constant."""
    if x.shape[0] < 2 or _range(x) == 0.0 or _range(y) == 0.0:
        return None
    rx = _ranks(x) - (x.shape[0] + 1) / 2.0
    ry = _ranks(y) - (y.shape[0] + 1) / 2.0
    return float(np.dot(rx, ry) / math.sqrt(float(np.dot(rx, rx)) * float(np.dot(ry, ry))))


def _ratio(a: float, b: float) -> float:
    if b > 0:
        return a / b
    return math.inf if a > 0 else math.nan


def _share(part: float, total: float) -> float:
    return part / total if total > 0 else 0.0


def _json_number(x: float) -> float | str | None:
    if math.isnan(x):
        return None
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _check_parties(i: int, j: int, parties: int) -> None:
    for p in (i, j):
        if not 0 <= p < parties:
            raise ArgumentError(f"expected a party index in 0..{parties - 1}, got {p}")
    if i == j:
        raise ArgumentError(f"expected two different parties, got {i} twice")
