"""The scenario: issues, parties, stakeholders, what happened, and where it came from.

A :class:`Scenario` is immutable and validated on construction. Engines read it as arrays:
:meth:`Scenario.value_tables` (per issue, a ``parties × options`` array of weighted values),
:meth:`Scenario.reservation_values`, :meth:`Scenario.utilities` for any batch of outcomes given as
integer option codes (shape ``(n, issues)``). Forecasting models read the stakeholders as
``stakeholders × issues`` arrays: :meth:`Scenario.stakeholder_positions` (NaN where a stakeholder
takes no position), :meth:`Scenario.stakeholder_salience` and
:meth:`Scenario.stakeholder_capability`.

One word, one meaning: an issue's *scale* holds the number of each option
(:attr:`Issue.scale_points`); a stakeholder's *position* is a point on that scale.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError, ScenarioError, check_unique, show_names
from zopa.model.issue import Issue, check_length
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.problem import BargainingProblem
from zopa.model.space import OutcomeSpace

__all__ = ["ObservedOutcome", "Scenario", "Source", "Spread", "Stakeholder", "Strategy"]

Outcomes = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Source:
    """A document the scenario draws on."""

    title: str
    url: str = ""
    date: str = ""
    publisher: str = ""


@dataclass(frozen=True)
class Stakeholder:
    """Anyone who pulls on the outcome, at the table or not.

    The three per-issue tuples are the actor × issue inputs of the spatial forecasting models: a
    position on the issue's scale, the salience of the issue, and the capability brought
    to bear on it (Bueno de Mesquita 1994, "Political forecasting: an expected utility method";
    Stokman & Van Oosten 1994, "The exchange of voting positions", both in *European Community
    Decision Making*, Yale University Press). Capability is per issue because influence depends on the
    issue's decision rule: a member state's voting weight differs between issues decided by
    qualified majority and by unanimity (Thomson, Stokman, Achen & König 2006, *The European Union
    Decides*, Cambridge University Press). Each tuple has one entry per issue of the scenario, in
    its order (:class:`Scenario` checks the length); :meth:`Scenario.stakeholder_positions`,
    :meth:`Scenario.stakeholder_salience` and :meth:`Scenario.stakeholder_capability` give them as
    ``stakeholders × issues`` arrays.

    Attributes:
        name: unique stakeholder name.
        capability: per issue, the stakeholder's influence on it, a number >= 0 (only ratios
            between stakeholders matter). A native file may give one number for every issue.
        positions: per issue, the stakeholder's position: a point on the issue's scale
            (:attr:`Issue.scale_points`), or ``None`` where it takes none.
        salience: per issue, how much the issue matters to it, in [0, 1] (0 where it takes no
            position).
        party: name of the party this stakeholder is, if it sits at the table.
        description: free text.
    """

    name: str
    capability: tuple[float, ...]
    positions: tuple[float | None, ...]
    salience: tuple[float, ...]
    party: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ScenarioError("expected a non-empty stakeholder name", path="name")
        check_length(self.name, "stakeholder name", "name")
        if not isinstance(self.capability, tuple):
            raise ScenarioError(
                "expected a tuple of capabilities, one per issue, got "
                f"{type(self.capability).__name__} {self.capability!r}",
                path="capability",
            )
        for k, c in enumerate(self.capability):
            if not (_is_number(c) and math.isfinite(c) and c >= 0):
                raise ScenarioError(f"expected a number >= 0, got {c}", path=f"capability[{k}]")
        for k, x in enumerate(self.positions):
            if x is not None and not (_is_number(x) and math.isfinite(x)):
                raise ScenarioError(f"expected a finite number, got {x}", path=f"positions[{k}]")
        for k, s in enumerate(self.salience):
            if not (_is_number(s) and math.isfinite(s) and 0 <= s <= 1):
                raise ScenarioError(f"expected a number in [0, 1], got {s}", path=f"salience[{k}]")

    def stances(self, issues: Sequence[Issue]) -> dict[str, tuple[float, float]]:
        """``{issue name: (position, salience)}`` for the issues the stakeholder takes a position
        on, in the order of ``issues`` (the scenario's)."""
        return {
            issue.name: (x, s)
            for issue, x, s in zip(issues, self.positions, self.salience, strict=True)
            if x is not None
        }


@dataclass(frozen=True)
class Spread:
    """How far the robustness analysis moves the scenario's judgements in each draw.

    This class is the one place a spread is validated: the native reader, the CLI flags and the
    engines all build (or :meth:`override`) one.

    Attributes:
        concentration: of the Dirichlet distribution around each party's weights (larger is
            tighter; the mean is the stated weights), > 0; ``math.inf`` keeps the weights as
            stated.
        value_noise: half-width of the uniform noise added to every option value, in [0, 1].
        reservation_noise: half-width of the uniform noise added to stated reservation values, in
            [0, 1].
    """

    concentration: float = 50.0
    value_noise: float = 0.05
    reservation_noise: float = 0.05

    def __post_init__(self) -> None:
        c = self.concentration
        if not (_is_number(c) and c > 0):  # NaN fails too; inf means "weights as stated"
            raise ScenarioError(f"expected a number > 0, got {c}", path="concentration")
        for name in ("value_noise", "reservation_noise"):
            x = getattr(self, name)
            if not (_is_number(x) and math.isfinite(x) and 0 <= x <= 1):
                raise ScenarioError(f"expected a number in [0, 1], got {x}", path=name)

    def override(
        self,
        *,
        concentration: float | None = None,
        value_noise: float | None = None,
        reservation_noise: float | None = None,
    ) -> Spread:
        """This spread with every value that is not ``None`` replaced, validated.

        Raises:
            ArgumentError: a value is out of range; the message names the argument, e.g.
                ``value_noise: expected a number in [0, 1], got 2``.

        Examples:
            >>> Spread().override(value_noise=0.1)
            Spread(concentration=50.0, value_noise=0.1, reservation_noise=0.05)
        """
        given = {
            "concentration": concentration,
            "value_noise": value_noise,
            "reservation_noise": reservation_noise,
        }
        changes = {k: v for k, v in given.items() if v is not None}
        if not changes:
            return self
        try:
            return replace(self, **changes)
        except ScenarioError as exc:
            raise ArgumentError(f"{exc.path}: {exc.detail}") from None


@dataclass(frozen=True)
class ObservedOutcome:
    """What actually happened, for back-testing.

    Decision data records an outcome either as an option of the issue or as a point on the issue's
    scale (the DEU data set codes every outcome as a point on a 0–100 scale; Thomson et al. 2006,
    *The European Union Decides*), so each issue may have either or both.

    Attributes:
        outcome: per issue, the code of the option that was agreed, or ``None`` where unknown (or
            where the outcome lies between options).
        points: per issue, the outcome's point on the issue's scale (:attr:`Issue.scale_points`),
            or ``None`` where unknown; empty when no points are given. The native reader fills in
            an option's scale number where only the option is given.
        source, date, description: where the record comes from.
    """

    outcome: tuple[int | None, ...]
    points: tuple[float | None, ...] = ()
    source: str = ""
    date: str = ""
    description: str = ""


@dataclass(frozen=True)
class Strategy:
    """The strategy a scenario says one party follows, in the analyst's words.

    zopa's report sets its findings against it ("what this means"); the engines do not read it.
    Names are checked against the scenario by :class:`Scenario`.

    Attributes:
        party: the party whose strategy it is (a party at the table).
        agenda: ``"all"`` (every issue on the table: the broadest agenda) or the names of the
            issues the party wants on the table, in the scenario's issue order or any order.
        chips: names of issues the party means to concede (its bargaining chips); each must be on
            its agenda.
        text: one sentence stating the strategy, in the analyst's words.

    Examples:
        >>> Strategy("Mexico", chips=("heroin",)).agenda
        'all'
    """

    party: str
    agenda: str | tuple[str, ...] = "all"
    chips: tuple[str, ...] = ()
    text: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.party, str) or not self.party:
            raise ScenarioError("expected a non-empty party name", path="party")
        if isinstance(self.agenda, str):
            if self.agenda != "all":
                raise ScenarioError(
                    f'expected "all" or a list of issue names, got "{self.agenda}"',
                    path="agenda",
                )
        elif not isinstance(self.agenda, tuple):
            raise ScenarioError(
                f'expected "all" or a tuple of issue names, got {type(self.agenda).__name__}',
                path="agenda",
            )
        elif not self.agenda:
            raise ScenarioError(
                "expected at least one issue on the agenda, got none", path="agenda"
            )
        else:
            check_unique(list(self.agenda), "agenda", "issue", field="")
        if not isinstance(self.chips, tuple):
            raise ScenarioError(
                f"expected a tuple of issue names, got {type(self.chips).__name__}", path="chips"
            )
        check_unique(list(self.chips), "chips", "issue", field="")
        if not isinstance(self.text, str):
            raise ScenarioError(f"expected text, got {type(self.text).__name__}", path="text")

    @property
    def broadest(self) -> bool:
        """Whether the agenda is ``"all"``."""
        return self.agenda == "all"

    def agenda_issues(self, issues: Sequence[Issue]) -> tuple[str, ...]:
        """The names of the issues on the agenda, in the order of ``issues`` (the scenario's)."""
        if isinstance(self.agenda, str):
            return tuple(i.name for i in issues)
        return tuple(i.name for i in issues if i.name in self.agenda)


def _is_number(x: object) -> bool:
    return isinstance(x, int | float | np.integer | np.floating) and not isinstance(x, bool)


@dataclass(frozen=True)
class Scenario:
    """A multi-issue negotiation.

    Attributes:
        name: short identifier (a bundled scenario's name, or a file stem).
        issues: the issues, in order; outcomes are tuples of option codes in this order.
        parties: the parties at the table, each with preferences over all issues.
        stakeholders: everyone who pulls on the outcome (used by forecasting models).
        observed: the outcome that actually happened, if known.
        spread: how far robustness draws move the judgements (defaults when not given).
        strategy: the strategy the scenario says one party follows, if it states one (the
            report's "what this means" paragraph sets the findings against it).
        title, description, date, sources: metadata.
    """

    name: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    stakeholders: tuple[Stakeholder, ...] = ()
    observed: ObservedOutcome | None = None
    spread: Spread = Spread()
    strategy: Strategy | None = None
    title: str = ""
    description: str = ""
    date: str = ""
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not self.issues:
            raise ScenarioError("expected at least one issue, got none", path="issues")
        check_length(self.name, "scenario name", "name")
        check_unique([i.name for i in self.issues], "issues", "issue")
        check_unique([p.name for p in self.parties], "parties", "party")
        check_unique([s.name for s in self.stakeholders], "stakeholders", "stakeholder")
        m = len(self.issues)
        for j, party in enumerate(self.parties):
            where = f"parties[{j}]"
            u = party.utility
            if isinstance(u, AdditiveUtility):
                if len(u.weights) != m:
                    raise ScenarioError(
                        f"expected {m} weights (one per issue), got {len(u.weights)}",
                        path=f"{where}.weights",
                    )
                for issue, vs in zip(self.issues, u.values, strict=True):
                    if len(vs) != issue.size:
                        raise ScenarioError(
                            f"expected {issue.size} values (one per option), got {len(vs)}",
                            path=f"{where}.values.{issue.name}",
                        )
            else:
                for r, rect in enumerate(u.rectangles):
                    for k, _, _ in rect.bounds:
                        if not 0 <= k < m:
                            raise ScenarioError(
                                f"expected an issue code in 0..{m - 1}, got {k}",
                                path=f"{where}.utility.rectangles[{r}]",
                            )
        party_names = {p.name for p in self.parties}
        for j, sh in enumerate(self.stakeholders):
            where = f"stakeholders[{j}]"
            lengths = (len(sh.capability), len(sh.positions), len(sh.salience))
            if lengths != (m, m, m):
                raise ScenarioError(
                    f"expected {m} capabilities, positions and saliences (one per issue), got "
                    f"{lengths[0]}, {lengths[1]} and {lengths[2]}",
                    path=where,
                )
            if sh.party is not None and sh.party not in party_names:
                raise ScenarioError(
                    f'expected the name of a party, got "{sh.party}"', path=f"{where}.party"
                )
            for issue, pos in zip(self.issues, sh.positions, strict=True):
                if pos is not None:
                    _check_on_scale(issue, pos, f"{where}.positions.{issue.name}", "a position")
        if self.observed is not None:
            seen = self.observed
            if len(seen.outcome) != m:
                raise ScenarioError(
                    f"expected {m} observed options (one per issue), got {len(seen.outcome)}",
                    path="observed.outcome",
                )
            if len(seen.points) not in (0, m):
                raise ScenarioError(
                    f"expected {m} observed points (one per issue) or none, got {len(seen.points)}",
                    path="observed.points",
                )
            for issue, code in zip(self.issues, seen.outcome, strict=True):
                if code is not None and not 0 <= code < issue.size:
                    raise ScenarioError(
                        f"expected an option code in 0..{issue.size - 1}, got {code}",
                        path=f"observed.outcome.{issue.name}",
                    )
            for issue, point in zip(self.issues, seen.points, strict=False):
                if point is not None:
                    _check_on_scale(issue, point, f"observed.points.{issue.name}", "a point")
        if self.strategy is not None:
            self._check_strategy(self.strategy)

    def _check_strategy(self, st: Strategy) -> None:
        parties = [p.name for p in self.parties]
        if st.party not in parties:
            raise ScenarioError(
                f'expected one of the parties {show_names(parties)}, got "{st.party}"',
                path="strategy.party",
            )
        issues = [i.name for i in self.issues]
        lists = [("chips", st.chips)]
        if isinstance(st.agenda, tuple):
            lists.insert(0, ("agenda", st.agenda))
        for field, names in lists:
            for k, name in enumerate(names):
                if name not in issues:
                    raise ScenarioError(
                        f'expected one of the issues {show_names(issues)}, got "{name}"',
                        path=f"strategy.{field}[{k}]",
                    )
        if isinstance(st.agenda, tuple):
            for k, name in enumerate(st.chips):
                if name not in st.agenda:
                    raise ScenarioError(
                        f'a chip must be on the agenda; "{name}" is not',
                        path=f"strategy.chips[{k}]",
                    )

    # ------------------------------------------------------------------ sizes and lookups
    @property
    def n_issues(self) -> int:
        return len(self.issues)

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of options of each issue."""
        return tuple(issue.size for issue in self.issues)

    @property
    def n_outcomes(self) -> int:
        """Size of the outcome space, as an exact integer."""
        return self.space.cardinality

    @property
    def is_additive(self) -> bool:
        """Whether every party's preferences are additive."""
        return all(p.is_additive for p in self.parties)

    def issue(self, name: str) -> Issue:
        """The issue called ``name``."""
        for issue in self.issues:
            if issue.name == name:
                return issue
        raise ScenarioError(
            f'expected one of the issues {show_names(i.name for i in self.issues)}, got "{name}"',
        )

    def party_index(self, name: str) -> int:
        """Position of the party called ``name``."""
        for j, party in enumerate(self.parties):
            if party.name == name:
                return j
        raise ScenarioError(
            f'expected one of the parties {show_names(p.name for p in self.parties)}, got "{name}"',
        )

    # ------------------------------------------------------------------ arrays for engines
    @property
    def disagreement(self) -> tuple[int | None, ...]:
        """Disagreement option code per issue (``None`` where an issue has none)."""
        return tuple(issue.disagreement for issue in self.issues)

    @property
    def disagreement_outcome(self) -> Outcomes | None:
        """The all-disagreement outcome as codes, or ``None`` if some issue has no disagreement."""
        return self._problem.disagreement_outcome

    @cached_property
    def space(self) -> OutcomeSpace:
        """The outcome space of the scenario's issues (enumeration, sampling, encode/decode)."""
        return OutcomeSpace(self.issues)

    @cached_property
    def _problem(self) -> BargainingProblem:
        return BargainingProblem.from_scenario(self)

    def problem(self, parties: Sequence[str] | None = None) -> BargainingProblem:
        """The bargaining problem between the named parties (default: all), built once.

        Engines read this: value tables, reservation values, disagreement options and powers as
        read-only arrays (see :class:`zopa.model.problem.BargainingProblem`).
        """
        if parties is None:
            return self._problem
        return BargainingProblem.from_scenario(self, parties)

    def value_tables(self) -> list[npt.NDArray[np.float64]]:
        """Per issue, a read-only array ``(parties, options)`` of ``weight × value``.

        Additive utilities are sums of one entry per issue. Raises if a party is not additive.
        """
        return list(self._problem.tables)

    def weights(self) -> npt.NDArray[np.float64]:
        """Array ``(parties, issues)`` of additive weights."""
        rows = []
        for party in self.parties:
            if not isinstance(party.utility, AdditiveUtility):
                raise ScenarioError(f'party "{party.name}" has non-additive preferences')
            rows.append(party.utility.weights)
        return np.asarray(rows, dtype=float).reshape(self.n_parties, self.n_issues)

    def utilities(self, outcomes: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Utility of every party for each outcome (see
        :meth:`zopa.model.problem.BargainingProblem.utilities`).

        Args:
            outcomes: integer option codes, shape ``(n, issues)`` (or one outcome of shape
                ``(issues,)``).

        Returns:
            Array ``(n, parties)`` (or ``(parties,)`` for a single outcome).
        """
        return self._problem.utilities(outcomes)

    def reservation_values(self) -> npt.NDArray[np.float64]:
        """Each party's reservation value.

        A party's stated ``reservation`` wins; otherwise it is the party's utility of the
        all-disagreement outcome, or 0 when some issue has no disagreement option.
        """
        return np.array(self._problem.reservation)

    def enumerate(self, *, limit: int = 10_000_000) -> Outcomes:
        """Every outcome as codes, shape ``(n_outcomes, issues)``, in GENIUS order (last issue
        fastest). Raises :class:`SpaceTooLargeError` beyond ``limit`` outcomes."""
        return self.space.enumerate(limit=limit)

    def iter_outcomes(self, *, chunk: int = 1_000_000) -> Iterator[Outcomes]:
        """All outcomes in chunks of at most ``chunk`` rows (same order as :meth:`enumerate`)."""
        return self.space.chunks(chunk=chunk)

    # ------------------------------------------------------------------ stakeholder arrays
    def stakeholder_positions(self) -> npt.NDArray[np.float64]:
        """Array ``(stakeholders, issues)`` of positions on each issue's scale, NaN where a
        stakeholder takes none (read-only; rows in :attr:`stakeholders` order).

        Examples:
            >>> tariff = Issue.integer("tariff", 0, 25)
            >>> quota = Issue.discrete("quota", ["none", "low", "high"], scale=[0, 40, 100])
            >>> lobby = Stakeholder("lobby", (3.0, 1.0), positions=(5.0, None), salience=(0.8, 0))
            >>> s = Scenario("trade", (tariff, quota), (), stakeholders=(lobby,))
            >>> s.stakeholder_positions(), s.stakeholder_capability()
            (array([[ 5., nan]]), array([[3., 1.]]))
        """
        return self._stakeholder_arrays[0]

    def stakeholder_salience(self) -> npt.NDArray[np.float64]:
        """Array ``(stakeholders, issues)`` of saliences in [0, 1], 0 where a stakeholder takes no
        position (read-only)."""
        return self._stakeholder_arrays[1]

    def stakeholder_capability(self) -> npt.NDArray[np.float64]:
        """Array ``(stakeholders, issues)`` of each stakeholder's capability on each issue
        (read-only)."""
        return self._stakeholder_arrays[2]

    @cached_property
    def _stakeholder_arrays(self) -> tuple[npt.NDArray[np.float64], ...]:
        shape = (len(self.stakeholders), self.n_issues)
        positions = np.asarray(
            [[np.nan if x is None else x for x in sh.positions] for sh in self.stakeholders],
            dtype=float,
        ).reshape(shape)
        salience = np.asarray([sh.salience for sh in self.stakeholders], dtype=float)
        capability = np.asarray([sh.capability for sh in self.stakeholders], dtype=float)
        arrays = (positions, salience.reshape(shape), capability.reshape(shape))
        for a in arrays:
            a.setflags(write=False)
        return arrays

    # ------------------------------------------------------------------ outcomes by name
    def outcome(self, options: Mapping[str, str | float]) -> Outcomes:
        """Codes of an outcome given as ``{issue name: option}`` (every issue must be named)."""
        return self.space.encode(options)

    def describe(self, outcome: Sequence[int] | npt.NDArray[np.int64]) -> dict[str, str]:
        """``{issue name: option name}`` of an outcome given as codes."""
        return self.space.decode(outcome)

    # ------------------------------------------------------------------ summary
    def to_dict(self) -> dict[str, Any]:
        """A stable, JSON-ready summary (what ``zopa show --json`` prints).

        Not the native file format (see :func:`zopa.io.native.scenario_to_dict`); keys are
        documented in ``docs/cli.md``.
        """
        reservations = self.reservation_values()
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "date": self.date,
            "outcomes": self.n_outcomes,
            "additive": self.is_additive,
            "issues": [
                {
                    "name": i.name,
                    "kind": i.kind,
                    "options": list(i.options),
                    "scale": None if i.scale is None else list(i.scale),
                    "disagreement": i.disagreement_option,
                    "description": i.description,
                }
                for i in self.issues
            ],
            "parties": [
                {
                    "name": p.name,
                    "additive": p.is_additive,
                    "weights": (
                        dict(zip([i.name for i in self.issues], p.utility.weights, strict=True))
                        if isinstance(p.utility, AdditiveUtility)
                        else None
                    ),
                    "reservation_value": float(reservations[j]),
                    "reservation_stated": p.reservation is not None,
                    "discount": p.discount,
                    "power": p.power,
                }
                for j, p in enumerate(self.parties)
            ],
            "stakeholders": [
                {
                    "name": s.name,
                    "party": s.party,
                    "capability": {
                        i.name: c for i, c in zip(self.issues, s.capability, strict=True)
                    },
                    "positions": {k: x for k, (x, _) in s.stances(self.issues).items()},
                    "salience": {k: v for k, (_, v) in s.stances(self.issues).items()},
                }
                for s in self.stakeholders
            ],
            "observed": None
            if self.observed is None
            else {
                "outcome": {
                    i.name: i.options[c]
                    for i, c in zip(self.issues, self.observed.outcome, strict=True)
                    if c is not None
                },
                "points": {
                    i.name: x
                    for i, x in zip(self.issues, self.observed.points, strict=False)
                    if x is not None
                },
                "source": self.observed.source,
                "date": self.observed.date,
                "description": self.observed.description,
            },
            "sources": [vars(src).copy() for src in self.sources],
        }

    # ------------------------------------------------------------------ variants
    def with_parties(self, names: Sequence[str]) -> Scenario:
        """The same scenario with only the named parties at the table, in that order (a
        strategy of a party left out is dropped)."""
        chosen = tuple(self.parties[self.party_index(n)] for n in names)
        strategy = self.strategy
        if strategy is not None and strategy.party not in names:
            strategy = None
        return replace(self, parties=chosen, strategy=strategy)


def _check_on_scale(issue: Issue, x: float, path: str, what: str) -> None:
    try:
        issue.check_point(x, what)
    except ScenarioError as exc:
        raise exc.within(path) from None
