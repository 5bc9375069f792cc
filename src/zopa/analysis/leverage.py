"""Leverage: how the deal moves with each side's walk-away and with threats.

- **Walk-away curves**: each party's utility of the deal as one party's reservation value moves
  over a grid, the others held at theirs. A better alternative to a negotiated agreement (Fisher &
  Ury 1981, *Getting to Yes*) shifts the disagreement point, and with it every bargaining solution
  (Nash 1950; Binmore, Rubinstein & Wolinsky 1986, "The Nash bargaining solution in economic
  modelling", *RAND Journal of Economics* 17(2): 176–188).
- **Threats**: changing what holds on one issue if talks fail (the US scrapping NAFTA, or not;
  Mexico relaxing migration enforcement) changes the reservation values of the parties whose
  reservation is their utility of the disagreement outcome, and so the deal (Sebenius 1983,
  "Negotiation arithmetic", *International Organization* 37(2): 281–316).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.analysis._pandas import data_frame
from zopa.analysis._results import ArrayRecord
from zopa.analysis.frontier import Frontier, as_floats, as_problem, frontier_of
from zopa.analysis.solutions import Concept, Solution, check_concept, settle
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Leverage", "Threat", "measure_leverage"]

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Threat:
    """The deal when issue ``issue`` falls back to ``option`` (instead of its disagreement option)
    if talks fail."""

    issue: str
    option: str
    reservation: tuple[float, ...]
    utilities: tuple[float, ...]
    change: tuple[float, ...]
    agreement: bool


@dataclass(frozen=True, eq=False)
class Leverage(ArrayRecord):
    """Walk-away curves and threats for one solution concept.

    Attributes:
        grid: reservation values tried (for every party).
        walkaway: array ``(parties, grid, parties)``: ``walkaway[j, g, i]`` is party i's utility
            of the deal when party j's reservation value is ``grid[g]``.
        baseline: each party's utility of the deal at the scenario's reservation values.
        threats: one entry per issue and alternative fallback option.
    """

    concept: str
    parties: tuple[str, ...]
    reservation: tuple[float, ...]
    baseline: tuple[float, ...]
    grid: FloatArray
    walkaway: FloatArray
    threats: tuple[Threat, ...]

    def slope(self, j: int) -> float:
        """Average change of party j's own deal utility per unit of its reservation value, over the
        part of the grid where talks still succeed."""
        own = self.walkaway[j, :, j]
        ok = own > self.grid + 1e-12
        if ok.sum() < 2:
            return 0.0
        g = self.grid[ok]
        return float(np.polyfit(g, own[ok], 1)[0])

    def best_threat(self, j: int) -> Threat | None:
        """The threat that raises party j's utility the most (``None`` if none helps)."""
        helpful = [t for t in self.threats if t.change[j] > 1e-9]
        return max(helpful, key=lambda t: t.change[j]) if helpful else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "concept": self.concept,
            "reservation": dict(zip(self.parties, self.reservation, strict=True)),
            "baseline": dict(zip(self.parties, self.baseline, strict=True)),
            "walkaway": {
                "grid": self.grid.tolist(),
                "curves": {
                    moved: {
                        party: self.walkaway[j, :, i].tolist()
                        for i, party in enumerate(self.parties)
                    }
                    for j, moved in enumerate(self.parties)
                },
                "slope": {p: self.slope(j) for j, p in enumerate(self.parties)},
            },
            "threats": [
                {
                    "issue": t.issue,
                    "fallback": t.option,
                    "agreement": t.agreement,
                    "reservation": dict(zip(self.parties, t.reservation, strict=True)),
                    "utilities": dict(zip(self.parties, t.utilities, strict=True)),
                    "change": dict(zip(self.parties, t.change, strict=True)),
                }
                for t in self.threats
            ],
        }

    def to_frame(self) -> pd.DataFrame:
        """The walk-away curves in long format, one row per (moved party, grid value, party)
        (needs pandas).

        Columns: ``moved`` (the party whose reservation value is set), ``reservation`` (the value
        it is set to), ``party`` and ``utility`` (that party's utility of the deal), so that
        ``frame.pivot_table(index="reservation", columns=["moved", "party"], values="utility")``
        is the curves side by side.
        """
        p, g = len(self.parties), len(self.grid)
        names = np.asarray(self.parties, dtype=object)
        columns: dict[Hashable, Any] = {
            "moved": np.repeat(names, g * p),
            "reservation": np.tile(np.repeat(self.grid, p), p),
            "party": np.tile(names, p * g),
            "utility": self.walkaway.reshape(-1),
        }
        return data_frame(columns)


def measure_leverage(
    problem: Scenario | BargainingProblem,
    concept: Concept = "nash",
    *,
    reservation: npt.ArrayLike | None = None,
    grid: Sequence[float] | None = None,
    frontier: Frontier | None = None,
    limit: int = 10_000_000,
) -> Leverage:
    """Walk-away curves over ``grid`` (default 0, 0.05, ..., 1) and every single-issue threat.

    Every settlement is :func:`~zopa.analysis.solutions.settle` on the problem's one Pareto
    frontier (``frontier``, computed here unless given) with the changed reservation values: the
    individually rational frontier for any reservation vector is that frontier with the other rows
    left out, so no frontier is recomputed. A threat changes the reservation values only of
    parties whose reservation is their utility of the disagreement outcome; stated reservation
    values (and an explicit ``reservation``) stay.
    """
    check_concept(concept)
    prob = as_problem(problem)
    if prob.n_parties < 2:
        raise ScenarioError(f"leverage analysis needs at least two parties, got {prob.n_parties}")
    if reservation is not None:
        prob = prob.with_reservation(reservation)
    if grid is None:
        g = np.linspace(0.0, 1.0, 21)
    else:
        g = np.array(as_floats(grid, "grid"))
        if g.ndim != 1 or not np.isfinite(g).all():
            raise ArgumentError("grid: expected a list of finite reservation values")
    front = frontier_of(prob, limit=limit) if frontier is None else frontier
    r = prob.reservation

    def deal(res: npt.ArrayLike) -> Solution:
        return settle(front, res, concept, powers=prob.powers)

    base = deal(r)
    p = prob.n_parties
    curves = np.empty((p, len(g), p))
    for j in range(p):
        for gi, x in enumerate(g):
            rr = np.array(r)
            rr[j] = x
            curves[j, gi] = deal(rr).utilities
    curves.setflags(write=False)
    g.setflags(write=False)
    threats: list[Threat] = []
    for k, issue in enumerate(prob.space.issues):
        current = prob.disagreement[k]
        if current is None:
            continue
        for code, option in enumerate(issue.options):
            if code == current:
                continue
            r2 = prob.with_disagreement(k, code).reservation
            s = deal(r2)
            threats.append(
                Threat(
                    issue=issue.name,
                    option=option,
                    reservation=tuple(float(x) for x in r2),
                    utilities=s.utilities,
                    change=tuple(a - b for a, b in zip(s.utilities, base.utilities, strict=True)),
                    agreement=s.agreement,
                )
            )
    return Leverage(
        concept=concept,
        parties=prob.parties,
        reservation=tuple(float(x) for x in r),
        baseline=base.utilities,
        grid=g,
        walkaway=curves,
        threats=tuple(threats),
    )
