"""The full analysis of a scenario, in one result: what ``zopa analyze`` prints and reports render.

:func:`analyze` runs the engines of this package in turn — frontier, bargaining solutions, zone of
agreement, linkage (package versus issue by issue), agendas, chips and logrolls, leverage and
robustness — and returns an :class:`Analysis` whose :meth:`~Analysis.to_dict` is the documented JSON
of ``zopa analyze --json`` (see ``docs/cli.md``) less its ``"headline"``, which the CLI adds from
:func:`zopa.report.prose.headline`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy.typing as npt

from zopa.analysis._results import ArrayRecord
from zopa.analysis.chips import Chips, bargaining_chips
from zopa.analysis.frontier import (
    Frontier,
    FrontierCheck,
    as_floats,
    check_frontier,
    check_limit,
    frontier_of,
)
from zopa.analysis.leverage import Leverage, measure_leverage
from zopa.analysis.linkage import (
    MAX_ALL_AGENDAS,
    Agendas,
    Linkage,
    compare_agendas,
    compare_linkage,
    issue_by_issue,
)
from zopa.analysis.robustness import Robustness, check_robustness, check_spread
from zopa.analysis.solutions import Concept, Solution, check_concept, solve_all
from zopa.analysis.space import OutcomeSample, Placement, outcome_sample, place_outcome
from zopa.analysis.zone import Zone, zone_of_agreement
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.random import generator
from zopa.model.scenario import Scenario

__all__ = ["SOLUTION_CONCEPTS", "Analysis", "analyze"]

#: The solutions reported, in order (the GENIUS "Kalai" convention last).
SOLUTION_CONCEPTS: tuple[Concept, ...] = (
    "nash",
    "kalai_smorodinsky",
    "egalitarian",
    "utilitarian",
    "genius_kalai",
)

#: Frontier points listed in the JSON (the full frontier can be very long).
FRONTIER_JSON_LIMIT = 2000

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, eq=False)
class Analysis(ArrayRecord):
    """Everything :func:`analyze` found about one scenario."""

    scenario: Scenario
    concept: str
    frontier: Frontier
    solutions: dict[str, Solution]
    zone: Zone
    linkage: Linkage | None
    agendas: Agendas | None
    chips: Chips | None
    leverage: Leverage | None
    robustness: Robustness | None
    notes: tuple[str, ...] = ()
    outcomes: OutcomeSample | None = None
    observed: Placement | None = None
    reference: FrontierCheck | None = None

    @property
    def parties(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.scenario.parties)

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON of ``zopa analyze --json``, less its ``"headline"``."""
        s = self.scenario
        front = self.frontier
        shown = min(len(front), FRONTIER_JSON_LIMIT)
        return {
            "scenario": s.name,
            "parties": list(self.parties),
            "concept": self.concept,
            "notes": list(self.notes),
            "frontier": {
                "size": len(front),
                "truncated": shown < len(front),
                "points": [
                    {
                        "utilities": dict(
                            zip(self.parties, map(float, front.utilities[i]), strict=True)
                        ),
                        "outcome": s.describe(front.outcomes[i]),
                    }
                    for i in range(shown)
                ],
            },
            "solutions": {name: sol.to_dict(s) for name, sol in self.solutions.items()},
            "zopa": _zone_dict(self.zone, s),
            "linkage": None if self.linkage is None else self.linkage.to_dict(),
            "agendas": None if self.agendas is None else self.agendas.to_dict(),
            "chips": None if self.chips is None else self.chips.to_dict(),
            "leverage": None if self.leverage is None else self.leverage.to_dict(),
            "robustness": None if self.robustness is None else self.robustness.to_dict(),
            "outcome_space": None if self.outcomes is None else self.outcomes.to_dict(),
            "observed": None if self.observed is None else self.observed.to_dict(s),
            "reference_frontier": None if self.reference is None else self.reference.to_dict(),
        }


def _zone_dict(zone: Zone, s: Scenario) -> dict[str, Any]:
    data = zone.to_dict()
    if zone.frontier is not None:
        data["frontier"] = {"size": len(zone.frontier)}
    data["reservation"] = dict(zip([p.name for p in s.parties], zone.reservation, strict=True))
    return data


def reference_note(check: FrontierCheck, exact_size: int) -> str:
    """One sentence on a published frontier held against the exact one (of ``exact_size``)."""
    if check.exact:
        return f"{check.source} is the exact Pareto frontier ({check.size} points)"
    text = (
        f"{check.source} is not the exact Pareto frontier: of its {check.size} points "
        f"{check.on_frontier} are on it and {check.dominated} dominated (by up to "
        f"{check.largest_gap:.3f} for one party, {check.largest_joint_gap:.3f} for both at once)"
    )
    if check.unexplained:
        text += f", {check.unexplained} lie beyond it (another evaluation)"
    return text + f", and it lacks {check.missing} of the {exact_size} exact points"


def analyze(
    scenario: Scenario,
    *,
    parties: Sequence[str] | None = None,
    concept: Concept = "nash",
    agenda_list: Sequence[Sequence[str]] | None = None,
    draws: int = 2000,
    seed: int | None = 0,
    concentration: float | None = None,
    value_noise: float | None = None,
    reservation_noise: float | None = None,
    progress: Progress | None = None,
    limit: int = 10_000_000,
    robustness: bool = True,
    leverage: bool = True,
    agendas: bool = True,
    reference: npt.ArrayLike | None = None,
    reference_source: str = "reference",
) -> Analysis:
    """Run every analysis engine on ``scenario``.

    The scenario is turned into one :class:`~zopa.model.problem.BargainingProblem` and its Pareto
    frontier is computed once; the solutions, the zone, linkage, leverage and the outcome-space
    placement all settle on that one frontier (:func:`zopa.analysis.solutions.settle`).

    Args:
        parties: the parties to analyse (default: all); chips and logrolls use the first two.
        concept: the solution concept for linkage, agendas, leverage and robustness.
        agenda_list: agendas to evaluate (lists of issue names); default every agenda when there
            are at most 16 issues that can be left off, else none.
        draws: robustness draws (0 to skip).
        seed: seed of the robustness draws and of any sampled estimate.
        concentration, value_noise, reservation_noise: the robustness spread; each defaults to
            the scenario's own (its ``robustness`` block, else :class:`zopa.model.Spread`).
        progress: called as ``progress(stage, done, total)``: during the sweeps of
            ``"agendas"`` and ``"robustness"``, and as 0 then 1 of 1 around ``"frontier"`` (with
            the solutions and the zone) and ``"leverage"``.
        limit: largest outcome space enumerated for non-additive preferences (additive ones
            never need enumeration).
        robustness, leverage, agendas: ``False`` skips that part (the most expensive ones); its
            field of the result is then ``None``. ``robustness=False`` is ``draws=0``.
        reference: a frontier published with the scenario, ``(points, parties)`` (such as
            GENIUS's ``pareto.xml``, :func:`zopa.io.genius.read_pareto_file`), held against the
            exact one at float32 precision (:func:`~zopa.analysis.frontier.check_frontier`); the
            result's ``reference`` field (``None`` without one).
        reference_source: the reference's name (a file name) in that result.

    A scenario that states only reservation values (no issue names what holds on it if talks
    fail) defines one negotiation, the package: no issue can be settled alone or left off the
    table, so ``linkage``, ``agendas`` and ``robustness`` are ``None``, chips have no logroll gains
    and leverage has no threats; a note says so.
    """
    if not isinstance(scenario, Scenario):
        raise ArgumentError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
    check_concept(concept)
    generator(seed)  # a bad seed is reported before any work
    check_limit(limit)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ArgumentError(f"draws: expected an integer >= 0, got {draws!r}")
    for name, flag in (("robustness", robustness), ("leverage", leverage), ("agendas", agendas)):
        if not isinstance(flag, bool):
            raise ArgumentError(f"{name}: expected True or False, got {flag!r}")
    if not agendas and agenda_list is not None:
        raise ArgumentError("agenda_list: given with agendas=False, which skips agendas")
    if not robustness:
        draws = 0
    if parties is not None:
        if isinstance(parties, str):
            raise ArgumentError(
                f'parties: expected a list of party names, got the string "{parties}"'
            )
        scenario = scenario.with_parties(parties)
    if scenario.n_parties < 2:
        raise ScenarioError(f"analysis needs at least two parties, got {scenario.n_parties}")
    # Checked before any work, so that a bad spread is reported at once.
    if draws:
        check_spread(scenario, concentration, value_noise, reservation_noise)
    ref = None if reference is None else as_floats(reference, "reference")
    prob = scenario.problem()
    notes: list[str] = []

    def stage(name: str) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        return lambda done, total: progress(name, done, total)

    def step(name: str, done: int) -> None:  # a stage without a sweep of its own: 0/1, then 1/1
        if progress is not None:
            progress(name, done, 1)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        step("frontier", 0)
        frontier = frontier_of(prob, limit=limit)
        solutions = solve_all(prob, SOLUTION_CONCEPTS, frontier=frontier)
        zone = zone_of_agreement(prob, seed=seed, exact_limit=limit, frontier=frontier)
        step("frontier", 1)
    seen: set[str] = set()
    for w in caught:
        text = str(w.message)
        if text not in seen:
            seen.add(text)
            notes.append(text)
    check = None if ref is None else check_frontier(ref, frontier, source=reference_source)
    if check is not None:
        notes.append(reference_note(check, len(frontier)))
    cloud = outcome_sample(scenario, seed=seed)
    observed = None
    if scenario.observed is not None and None not in scenario.observed.outcome:
        codes = [int(c) for c in scenario.observed.outcome if c is not None]
        observed = place_outcome(scenario, codes, frontier, solutions)
    elif scenario.observed is not None:
        notes.append("the observed outcome leaves some issues open: it is not placed")

    missing = [i.name for i in scenario.issues if i.disagreement is None]
    complete = not missing
    baseline = issue_by_issue(prob, concept) if complete else None
    link = None
    if baseline is not None:
        link = compare_linkage(prob, concept, frontier=frontier, baseline=baseline)
    if len(missing) == scenario.n_issues:
        notes.append(
            "no issue has a disagreement option (the scenario states only reservation values): "
            "the package is the only negotiation defined, so there is no issue-by-issue "
            "comparison, no robustness of it, no agenda that leaves an issue off, no threat and "
            "no logroll gains"
        )
    elif missing:
        notes.append(
            f"the issues {', '.join(missing)} have no disagreement option: issue-by-issue talks "
            "are undefined, so there is no package-versus-issue comparison, no robustness of it "
            "and no logroll gains; agendas and threats use the other issues"
        )
    lev = None
    if leverage:
        step("leverage", 0)
        lev = measure_leverage(prob, concept, frontier=frontier)
        step("leverage", 1)
    if not prob.is_additive:
        notes.append(
            "preferences are not additive (hyper-rectangle utilities have no value per issue): "
            "agendas, chips and robustness need additive ones"
        )
        return Analysis(
            scenario, concept, frontier, solutions, zone, link, None, None, lev, None,
            tuple(notes), cloud, observed, check,
        )  # fmt: skip
    free = scenario.n_issues - len(missing)
    if not agendas or (free == 0 and agenda_list is None):
        ag = None  # skipped, or a single agenda: every issue must be on the table
    elif agenda_list is not None or free <= MAX_ALL_AGENDAS:
        ag = compare_agendas(prob, concept, only=agenda_list, progress=stage("agendas"))
    else:
        ag = None
        notes.append(f"{free} issues can be left off: pass a list of agendas to compare some")
    chips = bargaining_chips(prob, 0, 1, concept=concept, baseline=baseline)
    rob = None
    if draws > 0 and complete:
        rob = check_robustness(
            scenario,
            concept,
            draws=draws,
            seed=seed,
            concentration=concentration,
            value_noise=value_noise,
            reservation_noise=reservation_noise,
            progress=stage("robustness"),
            frontier=frontier,
        )
    return Analysis(
        scenario, concept, frontier, solutions, zone, link, ag, chips, lev, rob,
        tuple(notes), cloud, observed, check,
    )  # fmt: skip
