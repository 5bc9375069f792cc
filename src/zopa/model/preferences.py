"""Parties and their preferences.

Additive preferences (Keeney & Raiffa 1976, *Decisions with Multiple Objectives*):
``U(o) = Σ_k weight_k × value_k(o_k)`` with every value in ``[0, 1]``. Weights are used exactly as
stored; the native file format normalises a party's weights to sum to 1 unless it says
``normalize: false`` (see ``docs/scenario-format.md``), and imported GENIUS profiles keep their
weights as written so that utilities match GENIUS exactly.

Non-additive preferences: the hyper-rectangle utility functions of ANAC 2014 (Ito, Klein & Hattori
2008, "A multi-issue negotiation protocol among agents with nonlinear utility functions",
*Multiagent and Grid Systems* 4(1)): ``U(o) = min(1, Σ_{r ∋ o} utility_r × weight_r / max_utility)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ScenarioError
from zopa.model.issue import Issue, check_length

__all__ = [
    "MAX_WEIGHT",
    "AdditiveUtility",
    "HyperRectangle",
    "HyperRectangleUtility",
    "Party",
    "ValueFunction",
]

FunctionKind = Literal["increasing", "decreasing", "peak"]

#: Largest weight an additive utility may hold as used (after any normalisation). Weights are
#: normally at most 1; this bound keeps every utility, sum and Nash product of a few parties'
#: utilities far from the float range, where results would silently become infinite or 0.
MAX_WEIGHT = 1e6


@dataclass(frozen=True)
class ValueFunction:
    """A value function over a numeric issue's scale.

    - ``increasing``: ``(x - low) / (high - low)``;
    - ``decreasing``: ``(high - x) / (high - low)``;
    - ``peak``: single-peaked, ``max(0, 1 - |x - at| / width)``: 1 at ``at``, 0 at ``width`` away.

    ``low`` and ``high`` are the smallest and largest scale points of the issue's options
    (:attr:`zopa.model.Issue.scale_points`).
    """

    kind: FunctionKind
    at: float | None = None
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind == "peak":
            if self.at is None or self.width is None:
                raise ScenarioError("expected 'at' and 'width' for a peak function")
            if not self.width > 0:
                raise ScenarioError(f"expected a width > 0, got {self.width}", path="width")

    def evaluate(self, points: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Values in [0, 1] at the given scale points."""
        x = np.asarray(points, dtype=float)
        if self.kind == "peak":
            assert self.at is not None and self.width is not None
            return np.clip(1.0 - np.abs(x - self.at) / self.width, 0.0, 1.0)
        low, high = float(x.min()), float(x.max())
        if high == low:
            return np.ones_like(x)
        rising = (x - low) / (high - low)
        return rising if self.kind == "increasing" else 1.0 - rising


@dataclass(frozen=True)
class AdditiveUtility:
    """``U(o) = Σ_k weights[k] × values[k][o_k]``, aligned with the scenario's issues.

    Attributes:
        weights: one non-negative weight per issue, as used (no further normalisation).
        values: per issue, one value in [0, 1] per option.
        functions: per issue, the value function the values came from (``None`` for a table);
            kept so that a native file writes back as it was written.
    """

    weights: tuple[float, ...]
    values: tuple[tuple[float, ...], ...]
    functions: tuple[ValueFunction | None, ...] = ()

    def __post_init__(self) -> None:
        if len(self.weights) != len(self.values):
            raise ScenarioError(
                f"expected one value table per weight, got {len(self.values)} for "
                f"{len(self.weights)} weights"
            )
        for k, w in enumerate(self.weights):
            if not (math.isfinite(w) and w >= 0):
                raise ScenarioError(f"expected a number >= 0, got {w}", path=f"weights[{k}]")
        if not math.isfinite(sum(self.weights)) or max(self.weights, default=0.0) > MAX_WEIGHT:
            raise ScenarioError(
                f"expected weights of at most {MAX_WEIGHT:g} (utilities are compared, multiplied "
                f"and summed), got {max(self.weights):g}",
                path="weights",
            )
        for k, vs in enumerate(self.values):
            for j, v in enumerate(vs):
                if not (math.isfinite(v) and 0.0 <= v <= 1.0):
                    raise ScenarioError(
                        f"expected a number in [0, 1], got {v}", path=f"values[{k}][{j}]"
                    )
        if self.functions and len(self.functions) != len(self.weights):
            raise ScenarioError("expected one function entry per issue")

    def tables(self) -> list[npt.NDArray[np.float64]]:
        """Per issue, ``weight × value`` for every option."""
        return [
            w * np.asarray(v, dtype=float) for w, v in zip(self.weights, self.values, strict=True)
        ]

    def evaluate(
        self, outcomes: npt.NDArray[np.int64], issues: Sequence[Issue]
    ) -> npt.NDArray[np.float64]:
        """Utility of each row of ``outcomes`` (shape ``(n, issues)``, integer option codes)."""
        total = np.zeros(outcomes.shape[0], dtype=float)
        for k, table in enumerate(self.tables()):
            total += table[outcomes[:, k]]
        return total


@dataclass(frozen=True)
class HyperRectangle:
    """One constraint of a hyper-rectangle utility: where it holds, it adds ``utility × weight``.

    ``bounds`` lists ``(issue code, low, high)``: the rectangle contains an outcome when every
    listed issue's scale point lies in ``[low, high]``. A rectangle with no bounds contains every
    outcome.
    """

    utility: float
    bounds: tuple[tuple[int, float, float], ...]
    weight: float = 1.0

    def __post_init__(self) -> None:
        for name in ("utility", "weight"):
            if not math.isfinite(getattr(self, name)):
                raise ScenarioError(
                    f"expected a finite number, got {getattr(self, name)}", path=name
                )
        for i, (_, low, high) in enumerate(self.bounds):
            if not (math.isfinite(low) and math.isfinite(high) and low <= high):
                raise ScenarioError(
                    f"expected finite bounds with low <= high, got [{low}, {high}]",
                    path=f"bounds[{i}]",
                )


@dataclass(frozen=True)
class HyperRectangleUtility:
    """``U(o) = min(1, ufun_weight × Σ_{r ∋ o} utility_r × weight_r / max_utility)`` (GENIUS
    ``NonlinearUtilitySpace``, used in ANAC 2014; Ito, Klein & Hattori 2008)."""

    rectangles: tuple[HyperRectangle, ...]
    max_utility: float
    ufun_weight: float = 1.0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.max_utility) and self.max_utility > 0):
            raise ScenarioError(f"expected max_utility > 0, got {self.max_utility}")

    def evaluate(
        self, outcomes: npt.NDArray[np.int64], issues: Sequence[Issue]
    ) -> npt.NDArray[np.float64]:
        """Utility of each row of ``outcomes`` (integer option codes), exactly as GENIUS does."""
        points = [issue.scale_points for issue in issues]
        total = np.zeros(outcomes.shape[0], dtype=float)
        for rect in self.rectangles:
            inside = np.ones(outcomes.shape[0], dtype=bool)
            for k, low, high in rect.bounds:
                x = points[k][outcomes[:, k]]
                inside &= (x >= low) & (x <= high)
            total[inside] += rect.utility * rect.weight
        return np.minimum(1.0, self.ufun_weight * total / self.max_utility)


Utility = AdditiveUtility | HyperRectangleUtility


@dataclass(frozen=True)
class Party:
    """A party at the table.

    Attributes:
        name: unique party name.
        utility: additive or hyper-rectangle preferences over the scenario's issues.
        reservation: utility of walking away; ``None`` means "the utility of the all-disagreement
            outcome, or 0 if some issue has no disagreement option" (see
            :meth:`zopa.Scenario.reservation_values`).
        discount: per-round discount factor in (0, 1] (GENIUS convention; 1 means none).
        power: bargaining power for the asymmetric Nash solution, or ``None``.
        description: free text.
    """

    name: str
    utility: Utility
    reservation: float | None = None
    discount: float = 1.0
    power: float | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise ScenarioError("expected a non-empty party name", path="name")
        check_length(self.name, "party name", "name")
        if self.reservation is not None and not (
            math.isfinite(self.reservation) and 0.0 <= self.reservation <= 1.0
        ):
            raise ScenarioError(
                f"expected a number in [0, 1], got {self.reservation}", path="reservation"
            )
        if not (math.isfinite(self.discount) and 0.0 < self.discount <= 1.0):
            raise ScenarioError(
                f"expected a number in (0, 1], got {self.discount}", path="discount"
            )
        if self.power is not None and not (math.isfinite(self.power) and self.power > 0):
            raise ScenarioError(f"expected a number > 0, got {self.power}", path="power")

    @property
    def is_additive(self) -> bool:
        """Whether the preferences are additive over issues."""
        return isinstance(self.utility, AdditiveUtility)
