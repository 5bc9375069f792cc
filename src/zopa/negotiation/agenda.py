"""Agendas in play: the same agents negotiate the whole package at once, issue by issue, or group
by group in a given order.

This is zopa's issue-by-issue baseline (:mod:`zopa.analysis.linkage`, ``docs/theory/linkage.md``)
played out by strategies instead of settled by a solution concept. An agenda is a list of groups
of issues, negotiated one after the other, each settled or failed before the next starts:

- **package**: one group holding every issue, the ordinary negotiation of
  :func:`~zopa.negotiation.session.negotiate` (a failure gives every party its reservation value);
- **issue by issue**: one group per issue, in the scenario's issue order or a given one;
- **a user agenda**: any list of disjoint groups; issues in no group are never negotiated and
  stay at their disagreement options.

In the sub-negotiation on a group:

1. the outcome space is the group's issues;
2. each party's utility of a sub-outcome is its full utility with the issues settled so far at
   their agreed options and every issue not yet settled (later groups, failed groups, issues off
   the agenda) at its disagreement option. With additive preferences that is the party's own
   tables on the group's issues plus a constant from the fixed issues, which
   :func:`sub_problem` folds into the first issue's table, so the sub-problem is an ordinary
   :class:`~zopa.model.problem.BargainingProblem` built with ``build()``;
3. its reservation value is its utility with the group at its disagreement options (what it
   keeps if this sub-negotiation fails; a stated reservation value of the whole negotiation does
   not enter, as in the linkage baseline's F_k);
4. a failed group falls back to its disagreement options and the next group starts.

The deadline (rounds and/or seconds) applies to each sub-negotiation afresh, so each one starts
at time 0 and discounting restarts; ``split=True`` shares it among the groups instead. Agents get a
fresh mind (:meth:`~zopa.negotiation.negotiator.Negotiator.start`) for every group, with its own
seed derived from ``seed``. The final outcome of a play of several groups is always a complete
outcome (fallbacks included), worth each party's full utility, and is measured (distance to the
Pareto frontier and to GENIUS's Nash point, social welfare) on the whole problem, undiscounted.

Without a disagreement option on every issue, a sub-negotiation's utilities and fallback are not
defined, so only the package can be played.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.analysis.frontier import as_problem
from zopa.model.errors import ArgumentError
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.problem import BargainingProblem
from zopa.model.random import generator
from zopa.model.scenario import Scenario
from zopa.model.space import OutcomeSpace
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.protocol import Deadline
from zopa.negotiation.result import Negotiation
from zopa.negotiation.session import Arena, negotiate

__all__ = [
    "AgendaPlay",
    "PlayComparison",
    "agenda_groups",
    "compare_play",
    "play_agenda",
    "sub_problem",
]

FloatArray = npt.NDArray[np.float64]


def agenda_groups(
    problem: Scenario | BargainingProblem, agenda: str | Sequence[Sequence[str]] = "package"
) -> tuple[tuple[str, ...], ...]:
    """The groups of issue names an agenda stands for.

    Args:
        problem: the scenario or its bargaining problem.
        agenda: ``"package"``, ``"issue-by-issue"``, or a list of groups of issue names (each
            issue at most once).

    Examples:
        >>> from zopa.io import load_scenario
        >>> s = load_scenario("mexico-us-2017")
        >>> agenda_groups(s, [["nafta", "wall"], ["migrants"]])
        (('nafta', 'wall'), ('migrants',))
        >>> len(agenda_groups(s, "issue-by-issue")), len(agenda_groups(s, "package")[0])
        (7, 7)
    """
    names = as_problem(problem).space.names
    if agenda == "package":
        return (tuple(names),)
    if agenda == "issue-by-issue":
        return tuple((n,) for n in names)
    if isinstance(agenda, str) or not isinstance(agenda, Sequence):
        raise ArgumentError(
            f'agenda: expected "package", "issue-by-issue" or a list of groups of issue names, '
            f"got {agenda!r}"
        )
    seen: set[str] = set()
    groups = []
    for g, group in enumerate(agenda):
        if isinstance(group, str) or not isinstance(group, Sequence) or not group:
            raise ArgumentError(
                f"agenda[{g}]: expected a non-empty list of issue names, got {group!r}"
            )
        for name in group:
            if name not in names:
                raise ArgumentError(
                    f"agenda[{g}]: expected issue names ({', '.join(names)}), got {name!r}"
                )
            if name in seen:
                raise ArgumentError(f'agenda[{g}]: issue "{name}" is already in an earlier group')
            seen.add(name)
        groups.append(tuple(group))
    if not groups:
        raise ArgumentError("agenda: expected at least one group of issues, got none")
    return tuple(groups)


def sub_problem(
    problem: BargainingProblem, group: Sequence[int], fixed: Sequence[int | None]
) -> BargainingProblem:
    """The bargaining problem of the sub-negotiation on ``group`` (issue indices), with every
    other issue ``k`` held at option ``fixed[k]`` (module docstring, steps 1–3).

    Examples:
        >>> from zopa.io import load_scenario
        >>> p = load_scenario("mexico-us-2017").problem()
        >>> sub = sub_problem(p, [2], p.disagreement)
        >>> sub.space.names, sub.space.sizes
        (('wall',), (3,))
        >>> codes = np.asarray(p.disagreement)
        >>> codes[2] = 1
        >>> bool(np.allclose(sub.utilities([1]), p.utilities(codes)))
        True
    """
    if not problem.is_additive:
        raise ArgumentError(
            "agendas in play need additive preferences (a sub-negotiation holds the other "
            "issues fixed, which only additive utilities do cleanly)"
        )
    group = [int(k) for k in group]
    space = problem.space
    issues = tuple(space.issues[k] for k in group)
    parties = []
    for j, name in enumerate(problem.parties):
        tables = [np.asarray(problem.tables[k][j], dtype=float) for k in range(space.n_issues)]
        offset = 0.0
        for k in range(space.n_issues):
            if k not in group:
                code = fixed[k]
                if code is None:
                    raise ArgumentError(f"fixed[{k}]: expected an option code, got None")
                offset += float(tables[k][code])
        rows = [tables[k].copy() for k in group]
        rows[0] = rows[0] + offset
        weights, values = [], []
        for row in rows:
            w = float(row.max())
            weights.append(w)
            values.append(
                tuple(float(x) for x in (row / w if w > 0 else np.zeros_like(row)).clip(0, 1))
            )
        parties.append(
            Party(
                name,
                AdditiveUtility(tuple(weights), tuple(values)),
                discount=float(problem.discounts[j]),
                power=None if problem.powers is None else float(problem.powers[j]),
            )
        )
    disagreement = tuple(problem.disagreement[k] for k in group)
    sub_space = OutcomeSpace(issues)
    base = BargainingProblem.build(sub_space, parties, disagreement=disagreement)
    if all(d is not None for d in disagreement):
        # step 3: the utility with the group at its disagreement options
        reservation = base.utilities(np.asarray(disagreement, dtype=np.int64))
        return base.with_reservation(reservation)
    return base


@dataclass(frozen=True)
class AgendaPlay:
    """A negotiation played along an agenda (module docstring).

    Attributes:
        agenda: the groups of issue names, in the order played.
        groups: the :class:`~zopa.negotiation.result.Negotiation` of each group (its issues,
            trace and utilities are those of the sub-negotiation).
        settled: per group, whether it was agreed.
        outcome: the final outcome as option codes of every issue (fallbacks included), or
            ``None`` when a package negotiation failed.
        options: the final outcome as ``{issue: option}``, or ``None``.
        utilities: each party's utility of the final outcome (party order; the reservation
            values when a package negotiation failed).
        rounds: rounds played over all groups.
        distance_to_pareto: distance of the final outcome to the Pareto frontier of the whole
            problem: for the package the negotiation's own (GENIUS's measures at its end time),
            for several groups GENIUS's measures of the final outcome undiscounted
            (:meth:`~zopa.negotiation.session.Arena.genius_measures` at time 0), since the
            groups end at different times.
        distance_to_nash: distance to the whole problem's GENIUS Nash point, measured alike.
        social_welfare: the sum of the utilities, measured alike (0 for a failed package).
    """

    parties: tuple[str, ...]
    agents: tuple[str, ...]
    agenda: tuple[tuple[str, ...], ...]
    groups: tuple[Negotiation, ...]
    settled: tuple[bool, ...]
    outcome: tuple[int, ...] | None
    options: dict[str, str] | None
    utilities: tuple[float, ...]
    rounds: int
    distance_to_pareto: float | None
    distance_to_nash: float | None
    social_welfare: float

    @property
    def agreement(self) -> bool:
        """Whether every group was agreed."""
        return all(self.settled)

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """JSON-ready fields; ``trace=False`` leaves the groups' traces out."""
        return {
            "parties": list(self.parties),
            "agents": list(self.agents),
            "agenda": [list(g) for g in self.agenda],
            "agreement": self.agreement,
            "settled": list(self.settled),
            "outcome": self.options,
            "outcome_codes": None if self.outcome is None else list(self.outcome),
            "utilities": list(self.utilities),
            "rounds": self.rounds,
            "distance_to_pareto": self.distance_to_pareto,
            "distance_to_nash": self.distance_to_nash,
            "social_welfare": self.social_welfare,
            "groups": [
                {"issues": list(issues), **n.to_dict(trace=trace)}
                for issues, n in zip(self.agenda, self.groups, strict=True)
            ],
        }


def play_agenda(
    problem: Scenario | BargainingProblem | Arena,
    agents: Sequence[Negotiator],
    agenda: str | Sequence[Sequence[str]] = "package",
    *,
    deadline: Deadline | None = None,
    seed: Any = 0,
    trace: bool = True,
    cap: float | None = None,
    split: bool = False,
) -> AgendaPlay:
    """Play a negotiation along ``agenda`` (module docstring).

    Args:
        problem: the scenario, its problem, or an :class:`~zopa.negotiation.session.Arena`.
        agents: one negotiator per party, in party order; the same agents play every group.
        agenda: ``"package"``, ``"issue-by-issue"`` or a list of groups of issue names.
        deadline: the deadline of each sub-negotiation (default 100 rounds).
        seed: seeds the play; group ``g`` gets the ``g``-th seed drawn from it.
        trace: keep every action of every group.
        cap: the utility cap of :func:`~zopa.negotiation.session.negotiate`.
        split: share the deadline among the groups (each gets ``rounds // groups`` rounds, at
            least 1, and ``seconds / groups``) instead of giving each group all of it.

    Raises:
        ArgumentError: a bad agenda, or several groups on a problem without a disagreement
            option on every issue.

    Examples:
        >>> from zopa.io import load_scenario
        >>> from zopa.negotiation.agents import agent
        >>> s = load_scenario("mexico-us-2017")
        >>> r = play_agenda(s, [agent("boulware"), agent("conceder")], "issue-by-issue")
        >>> len(r.groups), r.agreement
        (7, True)
    """
    arena = Arena.of(problem, cap=cap)
    p = arena.problem
    groups = agenda_groups(p, agenda)
    names = p.space.names
    root = generator(seed) if not isinstance(seed, np.random.Generator) else seed
    seeds = [int(x) for x in root.integers(2**63, size=len(groups))]
    agents = list(agents)
    if len(groups) == 1 and set(groups[0]) == set(names):  # the package
        n = negotiate(arena, agents, deadline=deadline, seed=seeds[0], trace=trace)
        return AgendaPlay(
            parties=p.parties,
            agents=n.agents,
            agenda=(tuple(names),),
            groups=(n,),
            settled=(n.agreement,),
            outcome=n.outcome,
            options=n.options,
            utilities=n.utilities,
            rounds=n.rounds,
            distance_to_pareto=n.distance_to_pareto,
            distance_to_nash=n.distance_to_nash,
            social_welfare=n.social_welfare,
        )
    missing = [i.name for i, d in zip(p.space.issues, p.disagreement, strict=True) if d is None]
    if missing:
        raise ArgumentError(
            "agenda: playing issues in groups needs a disagreement option on every issue (the "
            f"fallback of a failed group), and {', '.join(missing)} "
            f"{'has' if len(missing) == 1 else 'have'} none"
        )
    fixed: list[int] = [int(d) for d in p.disagreement if d is not None]
    if split:
        whole = Deadline() if deadline is None else deadline
        deadline = Deadline(
            rounds=None if whole.rounds is None else max(1, whole.rounds // len(groups)),
            seconds=None if whole.seconds is None else whole.seconds / len(groups),
        )
    results = []
    settled = []
    for g, group in enumerate(groups):
        idx = [names.index(n) for n in group]
        sub = sub_problem(p, idx, fixed)
        n = negotiate(sub, agents, deadline=deadline, seed=seeds[g], trace=trace, cap=arena.cap)
        results.append(n)
        settled.append(n.agreement)
        if n.agreement and n.outcome is not None:
            for k, code in zip(idx, n.outcome, strict=True):
                fixed[k] = code
    outcome = tuple(fixed)
    u = arena.utilities(np.asarray(outcome, dtype=np.int64))
    # measured as GENIUS measures an agreement, undiscounted: the groups end at different times
    to_front, to_nash, welfare = arena.genius_measures(u, 0.0)
    return AgendaPlay(
        parties=p.parties,
        agents=tuple(a.name for a in agents),
        agenda=groups,
        groups=tuple(results),
        settled=tuple(settled),
        outcome=outcome,
        options=p.space.decode(np.asarray(outcome)),
        utilities=tuple(float(x) for x in u),
        rounds=sum(n.rounds for n in results),
        distance_to_pareto=to_front,
        distance_to_nash=to_nash,
        social_welfare=welfare,
    )


@dataclass(frozen=True)
class PlayComparison:
    """The same agents playing the package and issue by issue, side by side.

    Attributes:
        package: the package play.
        issue_by_issue: the issue-by-issue play.
        gain: per party (party order), its utility in the package minus issue by issue: what
            linking the issues is worth to it when these strategies play it out.
    """

    parties: tuple[str, ...]
    package: AgendaPlay
    issue_by_issue: AgendaPlay
    gain: tuple[float, ...]

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "package": self.package.to_dict(trace=trace),
            "issue_by_issue": self.issue_by_issue.to_dict(trace=trace),
            "gain": list(self.gain),
        }


def compare_play(
    problem: Scenario | BargainingProblem | Arena,
    agents: Sequence[Negotiator],
    *,
    order: Sequence[str] | None = None,
    deadline: Deadline | None = None,
    seed: Any = 0,
    trace: bool = True,
    cap: float | None = None,
) -> PlayComparison:
    """Play the package and issue by issue (in the issue order, or ``order``) with the same
    agents, deadline and seed: does linking help the party that asks for it?

    Examples:
        >>> from zopa.io import load_scenario
        >>> from zopa.negotiation.agents import agent
        >>> c = compare_play(load_scenario("mexico-us-2017"), [agent("conceder"), agent("boulware")])
        >>> [round(u, 3) for u in c.package.utilities + c.issue_by_issue.utilities]
        [0.302, 0.952, 0.25, 0.85]
        >>> [round(g, 3) for g in c.gain]
        [0.052, 0.102]
    """
    arena = Arena.of(problem, cap=cap)
    p = arena.problem
    if order is None:
        ibi: str | list[list[str]] = "issue-by-issue"
    else:
        order = list(order)
        if sorted(order) != sorted(p.space.names):
            raise ArgumentError(
                f"order: expected every issue once ({', '.join(p.space.names)}), got {order}"
            )
        ibi = [[n] for n in order]
    package = play_agenda(arena, agents, "package", deadline=deadline, seed=seed, trace=trace)
    separate = play_agenda(arena, agents, ibi, deadline=deadline, seed=seed, trace=trace)
    gain = tuple(float(a - b) for a, b in zip(package.utilities, separate.utilities, strict=True))
    return PlayComparison(p.parties, package, separate, gain)
