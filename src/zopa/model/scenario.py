"""The scenario: issues, parties, stakeholders, what happened, and where it came from.

A :class:`Scenario` is immutable and validated on construction. Engines read it as arrays:
:meth:`Scenario.value_tables` (per issue, a ``parties × options`` array of weighted values),
:meth:`Scenario.reservation_values`, :meth:`Scenario.utilities` for any batch of outcomes given as
integer option codes (shape ``(n, issues)``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ScenarioError
from zopa.model.issue import Issue
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.problem import BargainingProblem
from zopa.model.space import OutcomeSpace

__all__ = ["ObservedOutcome", "Scenario", "Source", "Spread", "Stakeholder"]

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

    Attributes:
        name: unique stakeholder name.
        capability: clout, a non-negative number (only ratios between stakeholders matter).
        positions: per issue, the stakeholder's preferred position on the issue's scale, or ``None``
            where it takes none.
        salience: per issue, how much the issue matters to it, in [0, 1].
        party: name of the party this stakeholder is, if it sits at the table.
    """

    name: str
    capability: float
    positions: tuple[float | None, ...]
    salience: tuple[float, ...]
    party: str | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ScenarioError("expected a non-empty stakeholder name", path="name")
        if not (math.isfinite(self.capability) and self.capability >= 0):
            raise ScenarioError(f"expected a number >= 0, got {self.capability}", path="capability")
        for k, s in enumerate(self.salience):
            if not (math.isfinite(s) and 0 <= s <= 1):
                raise ScenarioError(f"expected a number in [0, 1], got {s}", path=f"salience[{k}]")


@dataclass(frozen=True)
class Spread:
    """How far the robustness analysis moves the scenario's judgements in each draw.

    Attributes:
        concentration: of the Dirichlet distribution around each party's weights (larger is
            tighter; the mean is the stated weights); ``math.inf`` keeps the weights as stated.
        value_noise: half-width of the uniform noise added to every option value.
        reservation_noise: half-width of the uniform noise added to stated reservation values.
    """

    concentration: float = 50.0
    value_noise: float = 0.05
    reservation_noise: float = 0.05

    def __post_init__(self) -> None:
        if not self.concentration > 0:  # NaN fails too; inf means "weights as stated"
            raise ScenarioError(
                f"expected a number > 0, got {self.concentration}", path="concentration"
            )
        for name in ("value_noise", "reservation_noise"):
            x = getattr(self, name)
            if not (math.isfinite(x) and 0 <= x <= 1):
                raise ScenarioError(f"expected a number in [0, 1], got {x}", path=name)


@dataclass(frozen=True)
class ObservedOutcome:
    """What actually happened, for back-testing: an option code per issue (``None`` if unknown)."""

    outcome: tuple[int | None, ...]
    source: str = ""
    date: str = ""
    description: str = ""


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
        title, description, date, sources: metadata.
    """

    name: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    stakeholders: tuple[Stakeholder, ...] = ()
    observed: ObservedOutcome | None = None
    spread: Spread = Spread()
    title: str = ""
    description: str = ""
    date: str = ""
    sources: tuple[Source, ...] = ()

    def __post_init__(self) -> None:
        if not self.issues:
            raise ScenarioError("expected at least one issue, got none", path="issues")
        _unique([i.name for i in self.issues], "issues", "issue")
        _unique([p.name for p in self.parties], "parties", "party")
        _unique([s.name for s in self.stakeholders], "stakeholders", "stakeholder")
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
            if len(sh.positions) != m or len(sh.salience) != m:
                raise ScenarioError(f"expected {m} positions and saliences", path=where)
            if sh.party is not None and sh.party not in party_names:
                raise ScenarioError(
                    f'expected the name of a party, got "{sh.party}"', path=f"{where}.party"
                )
            for issue, pos in zip(self.issues, sh.positions, strict=True):
                if pos is None:
                    continue
                lo, hi = float(issue.positions.min()), float(issue.positions.max())
                if not (math.isfinite(pos) and lo <= pos <= hi):
                    raise ScenarioError(
                        f"expected a position on the issue's scale [{lo:g}, {hi:g}], got {pos}",
                        path=f"{where}.positions.{issue.name}",
                    )
        if self.observed is not None:
            if len(self.observed.outcome) != m:
                raise ScenarioError(f"expected {m} observed options", path="observed.outcome")
            for issue, code in zip(self.issues, self.observed.outcome, strict=True):
                if code is not None and not 0 <= code < issue.size:
                    raise ScenarioError(
                        f"expected an option code in 0..{issue.size - 1}, got {code}",
                        path=f"observed.outcome.{issue.name}",
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
            f'expected one of the issues {[i.name for i in self.issues]}, got "{name}"'
        )

    def party_index(self, name: str) -> int:
        """Position of the party called ``name``."""
        for j, party in enumerate(self.parties):
            if party.name == name:
                return j
        raise ScenarioError(
            f'expected one of the parties {[p.name for p in self.parties]}, got "{name}"'
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
                    "capability": s.capability,
                    "positions": {
                        i.name: pos
                        for i, pos in zip(self.issues, s.positions, strict=True)
                        if pos is not None
                    },
                    "salience": {
                        i.name: sal
                        for i, sal, pos in zip(self.issues, s.salience, s.positions, strict=True)
                        if pos is not None
                    },
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
                "source": self.observed.source,
                "date": self.observed.date,
                "description": self.observed.description,
            },
            "sources": [vars(src).copy() for src in self.sources],
        }

    # ------------------------------------------------------------------ variants
    def with_parties(self, names: Sequence[str]) -> Scenario:
        """The same scenario with only the named parties at the table, in that order."""
        chosen = tuple(self.parties[self.party_index(n)] for n in names)
        return replace(self, parties=chosen)


def _unique(names: Sequence[str], where: str, what: str) -> None:
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ScenarioError(
                f'duplicate {what} name "{name}" (also {where}[{seen[name]}])', path=f"{where}[{i}]"
            )
        seen[name] = i
