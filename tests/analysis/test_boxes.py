"""The exact frontier of hyper-rectangle utilities (issue 12): brute force as the oracle on small
spaces, GENIUS's own pareto.xml on the two shared ANAC 2014 domains, and generated 30- and 40-issue
spaces checked point by point."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from bruteforce import brute_frontier
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import box_scenarios
from zopa.analysis.boxes import box_frontier
from zopa.analysis.frontier import check_frontier, frontier_of, is_dominated, nondominated_mask
from zopa.analysis.solutions import solve_all
from zopa.io import load_scenario
from zopa.io.genius import read_pareto_file
from zopa.model import Scenario
from zopa.model.errors import ArgumentError, SpaceTooLargeError, ZopaError
from zopa.model.generate import random_box_scenario

ANAC2014 = ["anac2014-10issues", "anac2014-10issuesDiscountedwithRV"]


def evaluates_to_itself(scenario: Scenario, front: object) -> None:
    """Every point's outcome evaluates to exactly the point's utilities."""
    utilities = front.utilities  # type: ignore[attr-defined]
    outcomes = front.outcomes  # type: ignore[attr-defined]
    assert np.array_equal(scenario.utilities(outcomes).reshape(utilities.shape), utilities)


# ---------------------------------------------------------------------------------- brute force
@settings(max_examples=150, deadline=None)
@given(box_scenarios())
def test_equals_brute_force(scenario: Scenario) -> None:
    expected, _ = brute_frontier(scenario)
    for visited in (0, 10**6):  # the programmes, and the enumeration of option classes
        front = box_frontier(scenario, enumeration_limit=visited)
        assert np.array_equal(front.utilities, expected)
        evaluates_to_itself(scenario, front)


@settings(max_examples=80, deadline=None)
@given(box_scenarios(), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
def test_individually_rational_equals_brute_force(scenario: Scenario, floor: float) -> None:
    s = scenario.with_parties([p.name for p in scenario.parties])
    reservation = np.array([floor, 1.0 - floor])
    codes = s.enumerate()
    u = s.utilities(codes)
    rational = (u >= reservation - 1e-12).all(axis=1)
    keep = nondominated_mask(u[rational]) if rational.any() else np.zeros(0, dtype=bool)
    expected = u[rational][keep]
    expected = expected[np.lexsort((-expected[:, 1], -expected[:, 0]))]
    for visited in (0, 10**6):
        front = box_frontier(s, reservation=reservation, enumeration_limit=visited)
        assert np.array_equal(front.utilities, expected.reshape(-1, 2))
        evaluates_to_itself(s, front)


def divided(scenario: Scenario, divisor: float) -> Scenario:
    """Every box value and cap divided by ``divisor`` (the same utilities, off the decimal grid)."""
    from dataclasses import replace

    parties = tuple(
        replace(
            p,
            utility=replace(
                p.utility,
                rectangles=tuple(
                    replace(r, utility=r.utility / divisor)
                    for r in p.utility.rectangles  # type: ignore[union-attr]
                ),
                max_utility=p.utility.max_utility / divisor,  # type: ignore[union-attr]
            ),
        )
        for p in scenario.parties
    )
    return replace(scenario, parties=parties)


def matches_within_rounding(front: object, expected: np.ndarray, atol: float = 1e-9) -> None:
    """Off the grid, the frontier equals brute force up to rounding: every point found is within
    ``atol`` of a brute-force point, and every brute-force point is matched or beaten, to within
    ``atol``, by a point found. (A point count cannot be compared: floating-point sums in a
    different order split one exact vector into two that only rounding keeps non-dominated,
    e.g. ``(1, 0.7499999999999999)`` and ``(2/3, 0.75)``, and the programmes, like the module
    docstring says, see no difference below their step.)"""
    found = np.asarray(front.utilities)  # type: ignore[attr-defined]
    assert found.shape[0] >= 1 or expected.shape[0] == 0
    gap = np.abs(found[:, None, :] - expected[None, :, :]).max(axis=2)
    assert (gap.min(axis=1, initial=np.inf) <= atol).all(), (found, expected)
    covered = (found[None, :, :] >= expected[:, None, :] - atol).all(axis=2).any(axis=1)
    assert covered.all(), (found, expected)


@settings(max_examples=60, deadline=None)
@given(box_scenarios(mixed=False), st.sampled_from([3.0, 7.0, 1e300]))
def test_off_the_grid(scenario: Scenario, divisor: float) -> None:
    """Box values off every decimal grid (thirds, sevenths, or scaled far out): the programmes
    use the tolerance step, and every point still matches brute force to within rounding."""
    s = divided(scenario, divisor)
    expected, _ = brute_frontier(s)
    front = box_frontier(s, enumeration_limit=0)
    evaluates_to_itself(s, front)
    matches_within_rounding(front, expected)


def test_off_the_grid_floor_clears_the_solver_tolerance() -> None:
    """Regression (Hypothesis, seed 6): party 1 left with one box of value -1/3 once a box on an
    issue of one option became a constant. With sums scaled to a largest coefficient of 1, the
    step above its first point was 1e-6, HiGHS's MIP feasibility tolerance, and the second
    programme stopped with "Solve error"; the step is now one unit of the scaled sums."""
    from zopa.model import HyperRectangle, HyperRectangleUtility, Issue, Party

    issues = (Issue.integer("i0", 0, 0), Issue.integer("i1", 0, 0), Issue.integer("i2", 0, 1))
    a = HyperRectangleUtility((HyperRectangle(1.0, ((2, 1.0, 1.0),)),), max_utility=2.0)
    b = HyperRectangleUtility(
        (
            HyperRectangle(2.0, ()),
            HyperRectangle(-2.0, ((0, 0.0, 0.0),)),
            HyperRectangle(-1.0, ((2, 1.0, 1.0),)),
        ),
        max_utility=2.0,
    )
    for divisor in (3.0, 7.0, 1e300):
        s = divided(Scenario("boxes", issues, (Party("p0", a), Party("p1", b))), divisor)
        expected, _ = brute_frontier(s)
        front = box_frontier(s, enumeration_limit=0)
        evaluates_to_itself(s, front)
        assert front.utilities.shape == expected.shape  # no rounding twins here
        np.testing.assert_allclose(front.utilities, expected, rtol=0, atol=1e-9)


def test_off_the_grid_rounding_twins() -> None:
    """Regression (Hypothesis): party 1's sum is the same constant 1.5 * (1/3) on both options of
    i0, but summed in float in another order on i0=1 it is one ulp lower, so brute force keeps
    ``(2/3, 0.75)`` beside ``(1, 0.7499999999999999)``; exactly, the first is dominated. The
    programmes find the one exact frontier point, which covers both."""
    from zopa.model import HyperRectangle, HyperRectangleUtility, Issue, Party

    issues = (Issue.integer("i0", 0, 1), Issue.integer("i1", 0, 0))
    everywhere, off = HyperRectangle(1.0, ()), HyperRectangle(-1.0, ((0, 0.0, 0.0),))
    a = HyperRectangleUtility(
        (everywhere, everywhere, everywhere, off, everywhere, off), max_utility=3.0
    )
    inside = ((0, 1.0, 1.0), (1, 0.0, 0.0))
    b = HyperRectangleUtility(
        (
            HyperRectangle(1.0, inside, 2.0),
            HyperRectangle(1.0, (), 0.5),
            HyperRectangle(1.0, (), 1.0),
            HyperRectangle(-2.0, inside, 1.0),
        ),
        max_utility=2.0,
    )
    s = divided(Scenario("boxes", issues, (Party("p0", a), Party("p1", b))), 3.0)
    expected, _ = brute_frontier(s)
    front = box_frontier(s, enumeration_limit=0)
    evaluates_to_itself(s, front)
    matches_within_rounding(front, expected)
    assert nondominated_mask(front.utilities).all()


def test_ties_keep_one_point_per_vector() -> None:
    from zopa.model import HyperRectangle, HyperRectangleUtility, Issue, Party

    issues = tuple(Issue.integer(f"i{k}", 0, 3) for k in range(3))
    same = HyperRectangleUtility((HyperRectangle(1.0, ((0, 0.0, 1.0),)),), max_utility=1.0)
    s = Scenario("ties", issues, (Party("a", same), Party("b", same)))
    front = box_frontier(s, enumeration_limit=0)
    assert front.utilities.tolist() == [[1.0, 1.0]]
    evaluates_to_itself(s, front)


# ---------------------------------------------------------------------------------- GENIUS
@pytest.mark.parametrize("folder", ANAC2014)
def test_agrees_with_genius_pareto_file(domains: Path, folder: str) -> None:
    """GENIUS's file is the exact frontier on both shared 10-issue domains, point for point at
    the float32 precision it stores."""
    s = load_scenario(domains / folder)
    front = frontier_of(s)  # the option classes leave 1,152 combinations: enumerated
    solved = box_frontier(s, enumeration_limit=0)  # and by the programmes
    assert np.array_equal(solved.utilities, front.utilities)
    for f in (front, solved):
        evaluates_to_itself(s, f)
        check = check_frontier(read_pareto_file(domains / folder / "pareto.xml"), f)
        assert check.exact, check
        assert (check.dominated, check.unexplained, check.largest_gap) == (0, 0, 0.0)
        assert len(f) == check.size


@pytest.mark.parametrize("folder", ANAC2014)
def test_solutions_settle_on_the_exact_frontier(domains: Path, folder: str) -> None:
    s = load_scenario(domains / folder)
    front = frontier_of(s)
    for name, solution in solve_all(
        s, ("nash", "kalai_smorodinsky", "egalitarian"), frontier=front
    ).items():
        assert solution.outcome is not None, name
        assert tuple(s.utilities(np.asarray(solution.outcome))) == solution.utilities


# ---------------------------------------------------------------------------------- generated
@pytest.mark.parametrize(("issues", "seed"), [(30, 1), (40, 2)])
def test_generated_large_spaces(issues: int, seed: int) -> None:
    """30 and 40 issues (10**30, 10**40 outcomes): points mutually non-dominated, each outcome
    evaluating to its point, and no sampled outcome beyond the frontier."""
    s = random_box_scenario(issues, boxes=15, seed=seed, excludes=0.2)
    front = box_frontier(s, enumeration_limit=0)
    assert len(front) >= 1
    evaluates_to_itself(s, front)
    assert nondominated_mask(front.utilities).all()
    sample = s.utilities(s.space.sample(20_000, seed=seed))
    on = (sample[:, None, :] == front.utilities[None, :, :]).all(axis=2).any(axis=1)
    assert (is_dominated(sample, front) | on).all()


def test_generator_is_seeded() -> None:
    a = random_box_scenario(30, boxes=60, seed=7)
    assert a == random_box_scenario(30, boxes=60, seed=7)
    assert a != random_box_scenario(30, boxes=60, seed=8)
    assert a.n_outcomes == 10**30
    with pytest.raises(ArgumentError, match="max_bounds"):
        random_box_scenario(3, max_bounds=0)


# ---------------------------------------------------------------------------------- refusals
def test_more_parties_where_the_classes_are_few() -> None:
    s = random_box_scenario(3, boxes=3, parties=3, seed=1)
    expected, _ = brute_frontier(s)
    assert np.array_equal(box_frontier(s).utilities, expected)
    with pytest.raises(ArgumentError, match="expected two parties, got 3"):
        box_frontier(s, enumeration_limit=0)
    big = random_box_scenario(12, boxes=4, parties=3, seed=1)  # 10**12 outcomes, few classes
    front = frontier_of(big)
    evaluates_to_itself(big, front)
    sample = big.utilities(big.space.sample(20_000, seed=1))
    on = (sample[:, None, :] == front.utilities[None, :, :]).all(axis=2).any(axis=1)
    assert (is_dominated(sample, front) | on).all()
    with pytest.raises(ArgumentError, match="time_limit"):
        box_frontier(random_box_scenario(3, boxes=2, seed=1), time_limit=0)


def test_without_scipy_one_line_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    monkeypatch.setitem(sys.modules, "scipy", None)
    s = random_box_scenario(30, boxes=60, seed=1)
    with pytest.raises(ZopaError, match=r"pip install 'zopa\[exact\]'") as caught:
        box_frontier(s)
    assert "\n" not in str(caught.value)
    with pytest.raises(SpaceTooLargeError, match=r"exact extra.*pip install 'zopa\[exact\]'"):
        frontier_of(s)
    small = random_box_scenario(10, boxes=5, seed=1)  # few classes: no solver needed
    assert len(frontier_of(small)) >= 1
