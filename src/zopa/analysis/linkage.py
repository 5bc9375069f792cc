"""Issue linkage: package versus issue by issue, and every agenda.

Definitions follow ``reference/linkage.md``: a solution concept S maps a feasible set F and the
disagreement point r (reservation values) to an outcome; only individually rational outcomes are
eligible, and with none there is no agreement (everyone gets r).

- **Package**: S over the whole outcome space.
- **Agenda** A: issues off the agenda are held at their disagreement option; S over the rest.
- **Issue by issue**: each issue settled alone (all others at their disagreement option), the
  settlements combined. With additive utilities they do not interact, so this is the natural
  "no linkage" baseline.
- **Value of linkage** for a party: its utility of the package minus that of the issue-by-issue
  combination.

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
from zopa.analysis.frontier import nondominated_mask, pareto_frontier
from zopa.analysis.solutions import select
from zopa.model.errors import ScenarioError
from zopa.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_ALL_AGENDAS",
    "AgendaResult",
    "LinkageResult",
    "Settlement",
    "agendas",
    "linkage",
    "settle",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest number of issues for which every agenda (2^m of them) is evaluated.
MAX_ALL_AGENDAS = 16


@dataclass(frozen=True)
class Settlement:
    """The deal S(F, r) on one feasible set: the outcome (option codes) and each party's utility.

    ``outcome`` is ``None`` when no outcome is individually rational (no agreement); the
    utilities are then the reservation values.
    """

    outcome: tuple[int, ...] | None
    utilities: tuple[float, ...]

    @property
    def agreement(self) -> bool:
        return self.outcome is not None


def settle(
    tables: Sequence[FloatArray],
    reservation: FloatArray,
    concept: str = "nash",
    *,
    powers: FloatArray | None = None,
) -> Settlement:
    """S(F, r) for an additive problem given as per-issue value tables.

    The chosen outcome lies on the individually rational Pareto frontier (computed exactly, without
    enumeration, by :func:`zopa.analysis.frontier.pareto_frontier`); every concept here picks a
    Pareto-optimal outcome, so selecting on the frontier is exact.
    """
    r = np.asarray(reservation, dtype=float)
    front = pareto_frontier(tables, reservation=r)
    if len(front) == 0:
        return Settlement(None, tuple(float(x) for x in r))
    i = select(concept, front.utilities, r, powers=powers)  # type: ignore[arg-type]
    if i is None:
        return Settlement(None, tuple(float(x) for x in r))
    return Settlement(
        tuple(int(c) for c in front.outcomes[i]), tuple(float(x) for x in front.utilities[i])
    )


def _restricted(
    tables: Sequence[FloatArray], on: Sequence[bool], d: Sequence[int | None]
) -> list[FloatArray]:
    """Tables with every issue off the agenda cut down to its disagreement option."""
    return [
        t if on_k else t[:, [int(d_k or 0)]] for t, on_k, d_k in zip(tables, on, d, strict=True)
    ]


def _expand(
    outcome: tuple[int, ...] | None, on: Sequence[bool], d: Sequence[int | None]
) -> tuple[int, ...] | None:
    if outcome is None:
        return None
    return tuple(c if on_k else int(d_k or 0) for c, on_k, d_k in zip(outcome, on, d, strict=True))


def _setup(
    scenario: Scenario, reservation: npt.ArrayLike | None
) -> tuple[list[FloatArray], FloatArray]:
    if not scenario.is_additive:
        raise ScenarioError("linkage analysis needs additive preferences")
    if scenario.n_parties < 2:
        raise ScenarioError(
            f"linkage analysis needs at least two parties, got {scenario.n_parties}"
        )
    r = (
        scenario.reservation_values()
        if reservation is None
        else np.asarray(reservation, dtype=float)
    )
    return scenario.value_tables(), r


def _names(
    scenario: Scenario,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    return (
        tuple(p.name for p in scenario.parties),
        tuple(i.name for i in scenario.issues),
        tuple(i.options for i in scenario.issues),
    )


def _outcome_dict(
    outcome: Sequence[int] | None, issues: Sequence[str], options: Sequence[Sequence[str]]
) -> dict[str, str] | None:
    if outcome is None:
        return None
    return {name: opts[c] for name, opts, c in zip(issues, options, outcome, strict=True)}


def _powers(scenario: Scenario, concept: str) -> FloatArray | None:
    if concept != "nash":
        return None
    given = [p.power for p in scenario.parties]
    if all(x is None for x in given):
        return None
    return np.asarray([1.0 if x is None else x for x in given], dtype=float)


# ------------------------------------------------------------------------------ package vs separate
@dataclass(frozen=True)
class LinkageResult:
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
    package: Settlement
    per_issue: tuple[Settlement, ...]
    separate: Settlement
    gain: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "reservation": dict(zip(self.parties, self.reservation, strict=True)),
            "package": self._settlement(self.package),
            "separate": self._settlement(self.separate),
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

    def _settlement(self, s: Settlement) -> dict[str, Any]:
        return {
            "agreement": s.agreement,
            "outcome": _outcome_dict(s.outcome, self.issues, self.options),
            "utilities": dict(zip(self.parties, s.utilities, strict=True)),
        }


def linkage(
    scenario: Scenario,
    concept: str = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
) -> LinkageResult:
    """Compare settling everything as one package with settling each issue alone.

    Settling an issue alone holds every other issue at its disagreement option, so every issue needs
    one; a :class:`ScenarioError` names the issues that lack it.
    """
    tables, r = _setup(scenario, reservation)
    d = scenario.disagreement
    missing = [i.name for i in scenario.issues if i.disagreement is None]
    if missing:
        raise ScenarioError(
            "issue-by-issue talks need a disagreement option on every issue; missing on "
            + ", ".join(missing)
        )
    powers = _powers(scenario, concept)
    package = settle(tables, r, concept, powers=powers)
    per_issue = []
    combined: list[int] = []
    for k in range(scenario.n_issues):
        on = [j == k for j in range(scenario.n_issues)]
        s = settle(_restricted(tables, on, d), r, concept, powers=powers)
        full = _expand(s.outcome, on, d)
        per_issue.append(Settlement(full, s.utilities))
        combined.append(int(d[k]) if full is None else full[k])  # type: ignore[arg-type]
    sep_u = scenario.utilities(np.asarray(combined, dtype=np.int64))
    separate = Settlement(tuple(combined), tuple(float(x) for x in sep_u))
    parties, issues, options = _names(scenario)
    return LinkageResult(
        concept=concept,
        parties=parties,
        issues=issues,
        options=options,
        reservation=tuple(float(x) for x in r),
        package=package,
        per_issue=tuple(per_issue),
        separate=separate,
        gain=tuple(a - b for a, b in zip(package.utilities, separate.utilities, strict=True)),
    )


# ------------------------------------------------------------------------------------- agendas
@dataclass(frozen=True, eq=False)
class AgendaResult:
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
                issue: dict(zip(self.parties, map(float, self.added_last[k]), strict=True))
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


def agendas(
    scenario: Scenario,
    concept: str = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
    only: Sequence[Sequence[str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> AgendaResult:
    """Evaluate every agenda (up to :data:`MAX_ALL_AGENDAS` issues) or the agendas in ``only``.

    Issues without a disagreement option cannot be left off, so they are on every agenda.

    Args:
        scenario: an additive scenario with at least two parties.
        concept: the solution concept (``nash``, ``kalai_smorodinsky``, ``egalitarian``,
            ``utilitarian``).
        reservation: the disagreement point (default: the scenario's reservation values).
        only: agendas to evaluate, each a list of issue names (required beyond 16 issues).
        progress: called as ``progress(done, total)`` after each agenda.
    """
    tables, r = _setup(scenario, reservation)
    m = scenario.n_issues
    d = scenario.disagreement
    fixed = np.asarray([x is None for x in d])
    if only is None:
        free = int((~fixed).sum())
        if free > MAX_ALL_AGENDAS:
            raise ScenarioError(
                f"{free} issues can be left off the agenda, giving 2^{free} agendas; more than "
                f"2^{MAX_ALL_AGENDAS} — pass a list of agendas instead"
            )
        free_idx = np.flatnonzero(~fixed)
        bits = (np.arange(1 << free)[:, None] >> np.arange(free)[None, :]) & 1
        members = np.tile(fixed, (1 << free, 1))
        members[:, free_idx] = bits.astype(bool)
    else:
        members = np.zeros((len(only), m), dtype=bool)
        for a, names in enumerate(only):
            for name in names:
                members[a, scenario.issues.index(scenario.issue(name))] = True
        members |= fixed
    powers = _powers(scenario, concept)
    n = members.shape[0]
    if only is None:
        utilities, outcomes = _sweep(tables, r, d, fixed, concept, powers, progress)
    else:
        utilities = np.empty((n, scenario.n_parties))
        outcomes = np.full((n, m), -1, dtype=np.int64)
        for a in range(n):
            on = members[a].tolist()
            s = settle(_restricted(tables, on, d), r, concept, powers=powers)
            utilities[a] = s.utilities
            full = _expand(s.outcome, on, d)
            if full is not None:
                outcomes[a] = full
            if progress is not None:
                progress(a + 1, n)
    sizes = members.sum(axis=1)
    best = tuple(
        int(np.lexsort((np.arange(n), sizes, -np.round(utilities[:, j], 12)))[0])
        for j in range(scenario.n_parties)
    )
    index = {row.tobytes(): a for a, row in enumerate(members)}
    added_last = np.full((m, scenario.n_parties), np.nan)
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
    parties, issues, options = _names(scenario)
    return AgendaResult(
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
    concept: str,
    powers: FloatArray | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[FloatArray, IntArray]:
    """Every agenda at once, agenda ``a`` being bit ``b`` of ``a`` for the ``b``-th issue that can
    be left off (the order of :func:`agendas`).

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
        i = select(concept, u, r, powers=powers)  # type: ignore[arg-type]
        if i is None:
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
