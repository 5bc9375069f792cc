"""Hypothesis strategies for zopa's domain: issues, parties and whole scenarios.

Values are drawn mostly from a coarse grid (:data:`GRID`) and weights from small integers, so equal
utilities, equal utility vectors and weakly dominated outcomes, the cases that break careless
Pareto code, come up in most examples.
"""

from __future__ import annotations

from hypothesis import strategies as st

from zopa.model import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Issue,
    Party,
    Scenario,
)

__all__ = [
    "GRID",
    "box_scenarios",
    "hyper_rectangle_scenarios",
    "issues",
    "scenarios",
    "values",
]

#: The value grid most draws come from.
GRID = (0.0, 0.25, 0.5, 0.75, 1.0)


def values(*, exact: bool = False) -> st.SearchStrategy[float]:
    """Option values in [0, 1]: usually on :data:`GRID`; with ``exact`` always on it."""
    grid = st.sampled_from(GRID)
    if exact:
        return grid
    return st.one_of(grid, grid, grid, st.floats(0.0, 1.0, allow_nan=False, allow_infinity=False))


@st.composite
def issues(
    draw: st.DrawFn, *, name: str = "issue", min_options: int = 1, max_options: int = 5
) -> Issue:
    """A discrete issue with ``min_options..max_options`` options and sometimes a disagreement."""
    size = draw(st.integers(min_options, max_options))
    options = [f"{name}-{j}" for j in range(size)]
    disagreement = draw(st.none() | st.sampled_from(options))
    return Issue.discrete(name, options, disagreement=disagreement)


@st.composite
def scenarios(
    draw: st.DrawFn,
    *,
    min_parties: int = 2,
    max_parties: int = 4,
    min_issues: int = 1,
    max_issues: int = 5,
    min_options: int = 1,
    max_options: int = 5,
    exact: bool = False,
) -> Scenario:
    """An additive scenario.

    Weights are small integers normalised to sum to 1 (all equal if every integer drawn is 0);
    values come from :func:`values`; a party is sometimes the mirror image (``1 - v``) or a copy of
    party 0, making pure conflict and common interest; reservation values are sometimes given.

    With ``exact``, weights are multiples of 1/8 (not normalised) and values multiples of 1/4, so
    every utility and every partial sum is exact in binary floating point.
    """
    n_issues = draw(st.integers(min_issues, max_issues))
    drawn_issues = tuple(
        draw(issues(name=f"i{k}", min_options=min_options, max_options=max_options))
        for k in range(n_issues)
    )
    sizes = [issue.size for issue in drawn_issues]
    n_parties = draw(st.integers(min_parties, max_parties))
    parties: list[Party] = []
    first_values: tuple[tuple[float, ...], ...] = ()
    for p in range(n_parties):
        raw = draw(st.lists(st.integers(0, 4), min_size=n_issues, max_size=n_issues))
        if exact:
            weights = tuple(r / 8 for r in raw)
        else:
            total = sum(raw)
            weights = tuple(r / total for r in raw) if total else (1 / n_issues,) * n_issues
        kind = draw(st.sampled_from(["own", "own", "own", "mirror", "copy"])) if p else "own"
        if kind == "mirror":
            table = tuple(tuple(1.0 - v for v in vs) for vs in first_values)
        elif kind == "copy":
            table = first_values
        else:
            table = tuple(
                tuple(draw(st.lists(values(exact=exact), min_size=size, max_size=size)))
                for size in sizes
            )
        if p == 0:
            first_values = table
        reservation = draw(st.none() | values(exact=exact))
        parties.append(
            Party(f"p{p}", AdditiveUtility(weights=weights, values=table), reservation=reservation)
        )
    return Scenario(name="drawn", issues=drawn_issues, parties=tuple(parties))


@st.composite
def hyper_rectangle_scenarios(
    draw: st.DrawFn,
    *,
    min_parties: int = 2,
    max_parties: int = 3,
    max_issues: int = 4,
    max_options: int = 4,
    max_rectangles: int = 4,
) -> Scenario:
    """A scenario whose parties have non-additive hyper-rectangle utilities (ANAC 2014 style)."""
    n_issues = draw(st.integers(1, max_issues))
    drawn_issues = tuple(
        draw(issues(name=f"i{k}", max_options=max_options)) for k in range(n_issues)
    )
    parties: list[Party] = []
    for p in range(draw(st.integers(min_parties, max_parties))):
        rectangles = []
        for _ in range(draw(st.integers(1, max_rectangles))):
            bounds = []
            for k in sorted(draw(st.sets(st.integers(0, n_issues - 1), max_size=n_issues))):
                size = drawn_issues[k].size
                low = draw(st.integers(0, size - 1))
                high = draw(st.integers(low, size - 1))
                bounds.append((k, float(low), float(high)))
            utility = float(draw(st.integers(1, 4)))
            rectangles.append(HyperRectangle(utility=utility, bounds=tuple(bounds)))
        utility_fn = HyperRectangleUtility(rectangles=tuple(rectangles), max_utility=8.0)
        reservation = draw(st.none() | values())
        parties.append(Party(f"p{p}", utility_fn, reservation=reservation))
    return Scenario(name="drawn", issues=drawn_issues, parties=tuple(parties))


@st.composite
def box_parties(draw: st.DrawFn, name: str, drawn_issues: tuple[Issue, ...]) -> Party:
    """A party with hyper-rectangle utilities as GENIUS files hold them: integer values (some
    negative), weights 1/2, 1 or 2, ``EXCLUDES`` boxes (an everywhere box plus the box with the
    opposite value, as the reader stores one), boxes with no bound, a cap ``max_utility`` that
    usually binds and a ``ufun_weight`` of 1/2 or 1. All sums are exact in binary floating point,
    and ties are frequent."""
    rectangles: list[HyperRectangle] = []
    for _ in range(draw(st.integers(1, 5))):
        bounds = []
        for k in sorted(draw(st.sets(st.integers(0, len(drawn_issues) - 1), max_size=3))):
            size = drawn_issues[k].size
            low = draw(st.integers(0, size - 1))
            high = draw(st.integers(low, size - 1))
            bounds.append((k, float(low), float(high)))
        value = float(draw(st.sampled_from([1, 1, 2, 3, 4, 6, -1, -2])))
        weight = draw(st.sampled_from([1.0, 1.0, 0.5, 2.0]))
        if bounds and draw(st.integers(0, 4)) == 0:  # EXCLUDES
            rectangles.append(HyperRectangle(value, (), weight))
            rectangles.append(HyperRectangle(-value, tuple(bounds), weight))
        else:
            rectangles.append(HyperRectangle(value, tuple(bounds), weight))
    max_utility = float(draw(st.sampled_from([2, 3, 4, 6, 8])))
    ufun_weight = draw(st.sampled_from([1.0, 1.0, 0.5]))
    reservation = draw(st.none() | values(exact=True))
    utility = HyperRectangleUtility(tuple(rectangles), max_utility, ufun_weight)
    return Party(name, utility, reservation=reservation)


@st.composite
def box_scenarios(
    draw: st.DrawFn, *, max_issues: int = 4, max_options: int = 5, mixed: bool = True
) -> Scenario:
    """Two parties over small integer issues, each with hyper-rectangle utilities
    (:func:`box_parties`) or, with ``mixed``, sometimes additive ones on the exact grid (values
    multiples of 1/4, weights of 1/8), so that the exact frontier engine of
    :mod:`zopa.analysis.boxes` can be held against brute force exactly."""
    n_issues = draw(st.integers(1, max_issues))
    drawn_issues = tuple(
        Issue.integer(f"i{k}", 0, draw(st.integers(0, max_options - 1))) for k in range(n_issues)
    )
    parties = []
    for p in range(2):
        if mixed and draw(st.integers(0, 3)) == 0:
            weights = tuple(draw(st.integers(0, 4)) / 8 for _ in range(n_issues))
            table = tuple(
                tuple(draw(st.lists(values(exact=True), min_size=i.size, max_size=i.size)))
                for i in drawn_issues
            )
            parties.append(Party(f"p{p}", AdditiveUtility(weights=weights, values=table)))
        else:
            parties.append(draw(box_parties(f"p{p}", drawn_issues)))
    return Scenario(name="boxes", issues=drawn_issues, parties=tuple(parties))
