"""Issues and their options."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ScenarioError, check_unique, show_names

__all__ = [
    "DEFAULT_REAL_STEPS",
    "MAX_NAME_LENGTH",
    "MAX_OPTIONS",
    "Issue",
    "IssueKind",
    "check_length",
    "format_number",
]

IssueKind = Literal["discrete", "integer", "real"]

#: Number of options a ``real`` interval is discretised into when no ``steps`` are given
#: (both end points included, so the grid spacing is a tenth of the interval).
DEFAULT_REAL_STEPS = 11

#: Largest number of options an issue may have (named, an integer range or a real discretisation).
MAX_OPTIONS = 1_000_000

#: Longest name (of a scenario, issue, option, party or stakeholder), in characters. Names are
#: shown in tables, charts and file names; a longer one is refused rather than drawn for minutes.
MAX_NAME_LENGTH = 1_000


def check_length(name: str, what: str, path: str) -> None:
    """Refuse a name longer than :data:`MAX_NAME_LENGTH` characters."""
    if len(name) > MAX_NAME_LENGTH:
        raise ScenarioError(
            f"expected a {what} of at most {MAX_NAME_LENGTH:,} characters, got {len(name):,}",
            path=path,
        )


def format_number(x: float) -> str:
    """The shortest decimal text that reads back as ``x`` (``3`` for 3.0, ``0.1`` for 0.1)."""
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return repr(float(x))


@dataclass(frozen=True)
class Issue:
    """One issue on the table, with its ordered options.

    Build one with :meth:`discrete`, :meth:`integer` or :meth:`real`. Options are identified by
    name; engines see them as integer codes ``0 .. size-1`` in the order given here.

    Attributes:
        name: unique issue name.
        options: option names, in order.
        scale: the number of each option on the issue's scale (for spatial models), or ``None``
            when no option has one. Integer and real issues always have one: the number.
            :attr:`scale_points` gives the numbers engines use (``0, 1, 2, ...`` without a scale).
        kind: ``"discrete"`` (named options), ``"integer"`` (every integer of a range) or
            ``"real"`` (an interval discretised into ``steps`` evenly spaced options).
        bounds: ``(low, high)`` of an integer or real issue.
        disagreement: code of the option that holds on this issue if talks fail, or ``None``.
        description: free text.
    """

    name: str
    options: tuple[str, ...]
    scale: tuple[float, ...] | None = None
    kind: IssueKind = "discrete"
    bounds: tuple[float, float] | None = None
    disagreement: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ScenarioError("expected a non-empty issue name", path="name")
        check_length(self.name, "issue name", "name")
        for i, option in enumerate(self.options):
            if len(option) > MAX_NAME_LENGTH:
                check_length(option, "option name", f"options[{i}]")
        if not self.options:
            raise ScenarioError("expected at least one option, got an empty list", path="options")
        if len(self.options) > MAX_OPTIONS:
            raise ScenarioError(
                f"expected at most {MAX_OPTIONS:,} options, got {len(self.options):,}",
                path="options",
            )
        check_unique(self.options, "options", "option", field="")
        if self.scale is not None:
            if len(self.scale) != len(self.options):
                raise ScenarioError(
                    f"expected {len(self.options)} scale points, got {len(self.scale)}",
                    path="scale",
                )
            for i, x in enumerate(self.scale):
                if not math.isfinite(x):
                    raise ScenarioError(f"expected a finite number, got {x}", path=f"options[{i}]")
        if self.disagreement is not None and not 0 <= self.disagreement < len(self.options):
            raise ScenarioError(
                f"expected an option code in 0..{len(self.options) - 1}, got {self.disagreement}",
                path="disagreement",
            )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def discrete(
        cls,
        name: str,
        options: Sequence[str],
        *,
        scale: Sequence[float] | None = None,
        disagreement: str | None = None,
        description: str = "",
    ) -> Issue:
        """An issue with named options (optionally placed on a numeric scale)."""
        opts = tuple(options)
        code = None
        if disagreement is not None:
            if disagreement not in opts:
                raise ScenarioError(
                    f'expected one of the options {show_names(opts)}, got "{disagreement}"',
                    path="disagreement",
                )
            code = opts.index(disagreement)
        return cls(
            name=name,
            options=opts,
            scale=None if scale is None else tuple(float(x) for x in scale),
            kind="discrete",
            disagreement=code,
            description=description,
        )

    @classmethod
    def integer(
        cls,
        name: str,
        low: int,
        high: int,
        *,
        disagreement: int | None = None,
        description: str = "",
    ) -> Issue:
        """An issue whose options are the integers ``low, low+1, ..., high``."""
        if high < low:
            raise ScenarioError(f"expected high >= low, got low={low}, high={high}", path="integer")
        if high - low + 1 > MAX_OPTIONS:
            raise ScenarioError(
                f"expected at most {MAX_OPTIONS:,} integers, got {high - low + 1:,}",
                path="integer",
            )
        values = range(int(low), int(high) + 1)
        code = None
        if disagreement is not None:
            if not low <= disagreement <= high:
                raise ScenarioError(
                    f"expected an integer in {low}..{high}, got {disagreement}", path="disagreement"
                )
            code = int(disagreement) - int(low)
        return cls(
            name=name,
            options=tuple(str(v) for v in values),
            scale=tuple(float(v) for v in values),
            kind="integer",
            bounds=(float(low), float(high)),
            disagreement=code,
            description=description,
        )

    @classmethod
    def real(
        cls,
        name: str,
        low: float,
        high: float,
        *,
        steps: int = DEFAULT_REAL_STEPS,
        disagreement: float | None = None,
        description: str = "",
    ) -> Issue:
        """An interval ``[low, high]`` discretised into ``steps`` evenly spaced options.

        Engines need a discrete outcome space; the grid includes both end points. A disagreement
        value is snapped to the nearest grid point.
        """
        if not high > low:
            raise ScenarioError(f"expected high > low, got low={low}, high={high}", path="real")
        if not 2 <= steps <= MAX_OPTIONS:
            raise ScenarioError(
                f"expected 2..{MAX_OPTIONS:,} steps, got {steps}", path="real.steps"
            )
        grid = np.linspace(float(low), float(high), int(steps))
        labels = tuple(format_number(round(float(x), 12)) for x in grid)
        if len(set(labels)) != len(labels):
            labels = tuple(repr(float(x)) for x in grid)
        code = None
        if disagreement is not None:
            if not low <= disagreement <= high:
                raise ScenarioError(
                    f"expected a number in [{low}, {high}], got {disagreement}", path="disagreement"
                )
            code = int(np.argmin(np.abs(grid - disagreement)))
        return cls(
            name=name,
            options=labels,
            scale=tuple(float(x) for x in grid),
            kind="real",
            bounds=(float(low), float(high)),
            disagreement=code,
            description=description,
        )

    # ------------------------------------------------------------------ queries
    @property
    def size(self) -> int:
        """Number of options."""
        return len(self.options)

    @property
    def steps(self) -> int:
        """Number of grid points of a real issue (its number of options)."""
        return len(self.options)

    @property
    def scale_points(self) -> npt.NDArray[np.float64]:
        """The number of each option on the issue's scale (``0, 1, 2, ...`` without a scale).

        A stakeholder's *position* is a point on this scale (see :class:`zopa.model.Stakeholder`).
        The array is read-only.
        """
        return self._scale_points

    @cached_property
    def _codes(self) -> dict[str, int]:
        return {option: code for code, option in enumerate(self.options)}

    @cached_property
    def _scale_points(self) -> npt.NDArray[np.float64]:
        points = (
            np.arange(self.size, dtype=float)
            if self.scale is None
            else np.asarray(self.scale, dtype=float)
        )
        points.setflags(write=False)
        return points

    @property
    def scale_range(self) -> tuple[float, float]:
        """``(lowest, highest)`` of :attr:`scale_points`."""
        points = self.scale_points
        return float(points.min()), float(points.max())

    def check_point(self, x: float, what: str = "a point") -> float:
        """``x`` as a float if it lies in :attr:`scale_range`; a :class:`ScenarioError` saying
        ``expected WHAT on the issue's scale [low, high], got x`` otherwise."""
        lo, hi = self.scale_range
        if not (math.isfinite(x) and lo <= x <= hi):
            raise ScenarioError(
                f"expected {what} on the issue's scale [{lo:g}, {hi:g}], got {format_number(x)}"
            )
        return float(x)

    @property
    def disagreement_option(self) -> str | None:
        """Name of the disagreement option, or ``None``."""
        return None if self.disagreement is None else self.options[self.disagreement]

    def code(self, option: str | float) -> int:
        """Code of an option given by name (or, for numeric issues, by its number)."""
        if isinstance(option, str):
            found = self._codes.get(option)
            if found is not None:
                return found
        elif self.scale is not None and self.kind != "discrete":
            hit = self.option_at(float(option))
            if hit is not None:
                return hit
        raise ScenarioError(
            f'expected one of the options of issue "{self.name}" {show_names(self.options)}, '
            f'got "{option}"'
        )

    def option_at(self, point: float) -> int | None:
        """Code of the first option whose scale number is ``point`` (within 1e-9), or ``None``
        (always ``None`` for an issue without a scale)."""
        if self.scale is None:
            return None
        hits = np.flatnonzero(np.isclose(self.scale_points, point, rtol=0, atol=1e-9))
        return int(hits[0]) if hits.size else None
