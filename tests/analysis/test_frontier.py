"""The Pareto frontier: exact additive construction, enumeration, the filters, and the result."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from bruteforce import brute_dominated_by, brute_frontier, brute_nondominated
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from strategies import GRID, hyper_rectangle_scenarios, scenarios
from zopa.analysis import (
    IR_TOLERANCE,
    Frontier,
    frontier_of,
    is_dominated,
    nondominated_mask,
    pareto_frontier,
    pareto_frontier_enumerated,
)
from zopa.model import AdditiveUtility, Issue, Party, Scenario, SpaceTooLargeError, random_scenario

PROPERTY = settings(max_examples=100, deadline=None)


def bilateral(issues: int, options: int, seed: int) -> Scenario:
    """A random two-party additive scenario (seeded), values uniform in [0, 1]."""
    return random_scenario(issues, options, seed=seed, reservation=0.6)


def check_frontier(scenario: Scenario, frontier: Frontier) -> None:
    """Properties every frontier has, whatever its size."""
    u = frontier.utilities
    assert u.shape == (len(frontier), scenario.n_parties)
    assert frontier.outcomes.shape == (len(frontier), scenario.n_issues)
    assert frontier.outcomes.dtype == np.int64
    assert (frontier.outcomes >= 0).all()
    assert (frontier.outcomes < np.asarray(scenario.sizes)).all()
    # each outcome has exactly the utilities reported
    np.testing.assert_array_equal(scenario.utilities(frontier.outcomes), u)
    # distinct and mutually non-dominated
    assert len({tuple(row) for row in u.tolist()}) == len(frontier)
    assert not is_dominated(u, u).any()
    # sorted lexicographically, highest first
    rows = [tuple(-x for x in row) for row in u.tolist()]
    assert rows == sorted(rows)


# ------------------------------------------------------------------ against brute force
@PROPERTY
@given(scenarios())
def test_frontier_equals_brute_force(scenario: Scenario) -> None:
    frontier = frontier_of(scenario)
    expected, _ = brute_frontier(scenario)
    np.testing.assert_array_equal(frontier.utilities, expected)
    check_frontier(scenario, frontier)


@PROPERTY
@given(scenarios(exact=True))
def test_representative_is_lexicographically_smallest_outcome(scenario: Scenario) -> None:
    # With exact partial sums the documented choice of outcome holds without exception.
    frontier = frontier_of(scenario)
    expected_u, expected_codes = brute_frontier(scenario)
    np.testing.assert_array_equal(frontier.utilities, expected_u)
    np.testing.assert_array_equal(frontier.outcomes, expected_codes)


@PROPERTY
@given(scenarios())
def test_every_outcome_is_dominated_by_or_on_the_frontier(scenario: Scenario) -> None:
    frontier = frontier_of(scenario)
    everything = scenario.utilities(scenario.enumerate())
    on = (everything[:, None, :] == frontier.utilities[None, :, :]).all(axis=2).any(axis=1)
    assert (on | is_dominated(everything, frontier)).all()
    assert not is_dominated(frontier.utilities, everything).any()


@PROPERTY
@given(scenarios())
def test_individually_rational_frontier_equals_brute_force(scenario: Scenario) -> None:
    frontier = frontier_of(scenario, individually_rational=True)
    expected, _ = brute_frontier(scenario, individually_rational=True)
    np.testing.assert_array_equal(frontier.utilities, expected)
    check_frontier(scenario, frontier)
    assert (frontier.utilities >= scenario.reservation_values() - IR_TOLERANCE).all()


@PROPERTY
@given(scenarios())
def test_individually_rational_frontier_is_the_rational_part_of_the_frontier(
    scenario: Scenario,
) -> None:
    full = frontier_of(scenario)
    rational = (full.utilities >= scenario.reservation_values() - IR_TOLERANCE).all(axis=1)
    assert frontier_of(scenario, individually_rational=True) == Frontier(
        utilities=full.utilities[rational], outcomes=full.outcomes[rational]
    )


@PROPERTY
@given(scenarios(), st.booleans())
def test_enumeration_equals_additive_method(scenario: Scenario, rational: bool) -> None:
    reservation = scenario.reservation_values() if rational else None
    exact = pareto_frontier(scenario.value_tables(), reservation=reservation)
    enumerated = pareto_frontier_enumerated(scenario, reservation=reservation, chunk=17)
    np.testing.assert_array_equal(enumerated.utilities, exact.utilities)
    check_frontier(scenario, enumerated)


@PROPERTY
@given(scenarios(max_issues=4, max_options=4, exact=True), st.integers(1, 50))
def test_enumeration_does_not_depend_on_chunks(scenario: Scenario, chunk: int) -> None:
    whole = pareto_frontier_enumerated(scenario)
    assert pareto_frontier_enumerated(scenario, chunk=chunk) == whole
    assert pareto_frontier_enumerated(scenario.utilities, scenario.sizes, chunk=chunk) == whole
    assert whole == frontier_of(scenario)


@PROPERTY
@given(hyper_rectangle_scenarios(), st.booleans())
def test_non_additive_frontier_equals_brute_force(scenario: Scenario, rational: bool) -> None:
    frontier = frontier_of(scenario, individually_rational=rational)
    expected_u, expected_codes = brute_frontier(scenario, individually_rational=rational)
    np.testing.assert_array_equal(frontier.utilities, expected_u)
    np.testing.assert_array_equal(frontier.outcomes, expected_codes)


# ------------------------------------------------------------------ the filters
grid_points = hnp.arrays(
    np.float64,
    st.tuples(st.integers(0, 60), st.integers(0, 4)),
    elements=st.sampled_from((-1.0, *GRID)),
)


@PROPERTY
@given(grid_points)
def test_nondominated_mask_equals_brute_force(points: np.ndarray) -> None:
    np.testing.assert_array_equal(nondominated_mask(points), brute_nondominated(points))


@PROPERTY
@given(grid_points, st.integers(0, 20), st.data())
def test_is_dominated_equals_brute_force(
    points: np.ndarray, n_ref: int, data: st.DataObject
) -> None:
    ref = data.draw(
        hnp.arrays(np.float64, (n_ref, points.shape[1]), elements=st.sampled_from(GRID))
    )
    np.testing.assert_array_equal(is_dominated(points, ref), brute_dominated_by(points, ref))


def test_nondominated_mask_keeps_the_first_of_equal_rows() -> None:
    points = [[0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.5, 0.25, 0.0]]
    assert nondominated_mask(points).tolist() == [True, True, False, False]
    assert nondominated_mask([[0.0, 0.0], [-0.0, 0.0]]).tolist() == [True, False]


def test_filters_refuse_bad_points() -> None:
    with pytest.raises(ValueError, match="2-d array"):
        nondominated_mask([1.0, 2.0])
    with pytest.raises(ValueError, match="finite"):
        nondominated_mask([[1.0, np.nan]])
    with pytest.raises(ValueError, match="2 columns"):
        is_dominated([[1.0, 2.0, 3.0]], [[1.0, 2.0]])


# ------------------------------------------------------------------ hand-checkable
def test_split_the_pie_every_division_is_efficient() -> None:
    pie = Issue.discrete("share of A", [f"{10 * j}%" for j in range(11)])
    share = tuple(j / 10 for j in range(11))
    a = Party("A", AdditiveUtility(weights=(1.0,), values=(share,)))
    b = Party("B", AdditiveUtility(weights=(1.0,), values=(tuple(1 - s for s in share),)))
    frontier = frontier_of(Scenario(name="pie", issues=(pie,), parties=(a, b)))
    assert len(frontier) == 11
    assert frontier.outcomes.ravel().tolist() == list(range(10, -1, -1))
    assert frontier.utilities[:, 0].tolist() == [share[j] for j in range(10, -1, -1)]


def logroll() -> Scenario:
    """A cares more about X, B about Y; each issue: A wins, split, B wins (Raiffa 1982)."""
    options = ["A wins", "split", "B wins"]
    issues = (Issue.discrete("X", options), Issue.discrete("Y", options))
    a_values = (1.0, 0.5, 0.0)
    b_values = (0.0, 0.5, 1.0)
    a = Party("A", AdditiveUtility(weights=(0.75, 0.25), values=(a_values, a_values)))
    b = Party("B", AdditiveUtility(weights=(0.25, 0.75), values=(b_values, b_values)))
    return Scenario(name="logroll", issues=issues, parties=(a, b))


def test_logroll_frontier() -> None:
    frontier = frontier_of(logroll())
    # Splitting both issues gives (0.5, 0.5); the logroll (A wins X, B wins Y) gives (0.75, 0.75).
    assert frontier.utilities.tolist() == [
        [1.0, 0.0],
        [0.875, 0.375],
        [0.75, 0.75],
        [0.375, 0.875],
        [0.0, 1.0],
    ]
    assert frontier.outcomes.tolist() == [[0, 0], [0, 1], [0, 2], [1, 2], [2, 2]]
    assert is_dominated([0.5, 0.5], frontier).tolist() == [True]


def test_logroll_individually_rational_frontier_is_the_logroll() -> None:
    frontier = pareto_frontier(logroll().value_tables(), reservation=[0.5, 0.5])
    assert frontier.utilities.tolist() == [[0.75, 0.75]]
    assert frontier.outcomes.tolist() == [[0, 2]]


def test_no_individually_rational_outcome_gives_an_empty_frontier() -> None:
    frontier = pareto_frontier(logroll().value_tables(), reservation=[0.9, 0.9])
    assert len(frontier) == 0
    assert frontier.utilities.shape == (0, 2)
    assert frontier.outcomes.shape == (0, 2)


def test_one_party_and_many_parties() -> None:
    one = pareto_frontier([[[0.2, 0.7, 0.7]], [[0.5, 0.1]]])
    assert one.utilities.tolist() == [[1.2]]
    assert one.outcomes.tolist() == [[1, 0]]
    none = pareto_frontier([np.zeros((0, 3)), np.zeros((0, 2))])
    assert none.utilities.shape == (1, 0)
    assert none.outcomes.tolist() == [[0, 0]]


def test_pareto_frontier_refuses_bad_tables() -> None:
    with pytest.raises(ValueError, match="at least one issue"):
        pareto_frontier([])
    with pytest.raises(ValueError, match=r"tables\[1\]"):
        pareto_frontier([np.ones((2, 3)), np.ones((3, 3))])
    with pytest.raises(ValueError, match="finite"):
        pareto_frontier([np.array([[np.inf, 0.0], [0.0, 1.0]])])
    with pytest.raises(ValueError, match="reservation"):
        pareto_frontier([np.ones((2, 3))], reservation=[0.5])


# ------------------------------------------------------------------ enumeration guard
def test_enumeration_refuses_large_spaces() -> None:
    scenario = Scenario(
        name="big",
        issues=(Issue.integer("x", 0, 9), Issue.integer("y", 0, 9)),
        parties=(),
    )
    with pytest.raises(SpaceTooLargeError, match="has 100 outcomes, more than the limit of 99;"):
        pareto_frontier_enumerated(scenario, limit=99)
    with pytest.raises(SpaceTooLargeError, match="limit of 10"):
        pareto_frontier_enumerated(lambda codes: codes * 1.0, [4, 4], limit=10)


@settings(max_examples=20, deadline=None)
@given(hyper_rectangle_scenarios())
def test_scenario_frontier_guards_non_additive_scenarios(scenario: Scenario) -> None:
    with pytest.raises(SpaceTooLargeError):
        frontier_of(scenario, limit=scenario.n_outcomes - 1)


def test_enumeration_arguments() -> None:
    scenario = logroll()
    with pytest.raises(ValueError, match="sizes: expected none with a scenario"):
        pareto_frontier_enumerated(scenario, [3, 3])
    with pytest.raises(ValueError, match="sizes: expected options per issue"):
        pareto_frontier_enumerated(scenario.utilities)
    with pytest.raises(ValueError, match="chunk"):
        pareto_frontier_enumerated(scenario, chunk=0)
    with pytest.raises(ValueError, match="shape"):
        pareto_frontier_enumerated(lambda codes: np.zeros(len(codes)), [2])


# ------------------------------------------------------------------ the result
def test_frontier_result_object() -> None:
    frontier = frontier_of(logroll())
    assert frontier.n_parties == 2
    assert frontier.to_dict() == {
        "utilities": frontier.utilities.tolist(),
        "outcomes": frontier.outcomes.tolist(),
    }
    assert pickle.loads(pickle.dumps(frontier)) == frontier
    assert frontier != pareto_frontier(logroll().value_tables(), reservation=[0.5, 0.5])
    with pytest.raises(ValueError, match="read-only"):
        frontier.utilities[0, 0] = 2.0


# ------------------------------------------------------------------ large spaces
@pytest.mark.parametrize(("issues", "seed"), [(30, 1), (50, 2)])
def test_large_bilateral_scenarios(issues: int, seed: int) -> None:
    scenario = bilateral(issues, 10, seed)
    frontier = frontier_of(scenario)
    check_frontier(scenario, frontier)
    u = frontier.utilities
    assert (np.diff(u[:, 0]) < 0).all() and (np.diff(u[:, 1]) > 0).all()
    # a sample of outcomes: none dominates the frontier, each is dominated by it or on it
    rng = np.random.default_rng(seed)
    sample = rng.integers(0, 10, size=(20_000, issues))
    # include the frontier's own outcomes with one issue changed
    near = np.array(frontier.outcomes[rng.integers(0, len(frontier), 5_000)])
    near[np.arange(len(near)), rng.integers(0, issues, len(near))] = rng.integers(0, 10, len(near))
    points = scenario.utilities(np.concatenate([sample, near]))
    assert not is_dominated(u, points).any()
    vectors = set(map(tuple, u.tolist()))
    on = np.array([row in vectors for row in map(tuple, points.tolist())])
    assert (on | is_dominated(points, frontier)).all()
    # the individually rational frontier is its rational part
    rational = frontier_of(scenario, individually_rational=True)
    keep = (u >= scenario.reservation_values() - IR_TOLERANCE).all(axis=1)
    assert 0 < len(rational) < len(frontier)
    assert rational == Frontier(utilities=u[keep], outcomes=frontier.outcomes[keep])


@pytest.mark.parametrize("parties", [2, 3, 4])
@pytest.mark.parametrize("grid", [True, False])
def test_nondominated_mask_on_many_points(parties: int, grid: bool) -> None:
    # Enough points for the filter's pre-screening by a few strong points to kick in.
    rng = np.random.default_rng(parties)
    points = rng.choice(GRID, size=(6_000, parties)) if grid else rng.random((6_000, parties))
    points[-100:] = points[:100]  # repeated rows
    np.testing.assert_array_equal(nondominated_mask(points), brute_nondominated(points))


@settings(max_examples=10, deadline=None)
@given(
    scenarios(
        min_parties=3, max_parties=3, min_issues=8, max_issues=8, min_options=3, max_options=3
    )
)
def test_frontier_of_a_larger_space_equals_brute_force(scenario: Scenario) -> None:
    expected, _ = brute_frontier(scenario)
    np.testing.assert_array_equal(frontier_of(scenario).utilities, expected)
    np.testing.assert_array_equal(pareto_frontier_enumerated(scenario).utilities, expected)


# ------------------------------------------------------------------ three, four, five parties
def grid_scenario(issues: int, options: int, parties: int, seed: int) -> Scenario:
    """A seeded additive scenario on a binary grid: weights multiples of 1/8, values multiples of
    1/4, so that every partial sum is exact and equal utilities and equal vectors are common."""
    rng = np.random.default_rng(seed)
    drawn = tuple(Issue.discrete(f"i{k}", [f"o{j}" for j in range(options)]) for k in range(issues))
    seated = []
    for p in range(parties):
        weights = tuple(float(w) for w in rng.integers(0, 5, issues) / 8)
        table = rng.integers(0, 5, (issues, options)) / 4
        utility = AdditiveUtility(weights=weights, values=tuple(map(tuple, table.tolist())))
        seated.append(Party(f"p{p}", utility, reservation=0.25 * issues / 8))
    return Scenario(name="grid", issues=drawn, parties=tuple(seated))


@pytest.mark.parametrize(
    ("issues", "options", "parties"), [(6, 4, 3), (4, 9, 3), (6, 4, 4), (6, 4, 5), (4, 6, 5)]
)
@pytest.mark.parametrize("seed", [0, 1])
def test_many_party_frontier_and_representatives_equal_brute_force(
    issues: int, options: int, parties: int, seed: int
) -> None:
    # Thousands of outcomes, so that the filters' sweeps run over several blocks, with ties.
    scenario = grid_scenario(issues, options, parties, seed)
    for rational in (False, True):
        frontier = frontier_of(scenario, individually_rational=rational)
        expected_u, expected_codes = brute_frontier(scenario, individually_rational=rational)
        np.testing.assert_array_equal(frontier.utilities, expected_u)
        np.testing.assert_array_equal(frontier.outcomes, expected_codes)
        reservation = scenario.reservation_values() if rational else None
        assert pareto_frontier_enumerated(scenario, reservation=reservation) == frontier
    check_frontier(scenario, frontier)


@pytest.mark.parametrize("parties", [3, 4, 5])
def test_many_party_random_frontier_equals_brute_force(parties: int) -> None:
    scenario = random_scenario(5, 5, parties=parties, seed=parties)
    frontier = frontier_of(scenario)
    expected, _ = brute_frontier(scenario)
    np.testing.assert_array_equal(frontier.utilities, expected)
    check_frontier(scenario, frontier)


@settings(max_examples=30, deadline=None)
@given(scenarios(min_parties=3, max_parties=5, min_issues=3, max_issues=5, exact=True))
def test_many_party_representatives_are_lexicographically_smallest(scenario: Scenario) -> None:
    frontier = frontier_of(scenario)
    expected_u, expected_codes = brute_frontier(scenario)
    np.testing.assert_array_equal(frontier.utilities, expected_u)
    np.testing.assert_array_equal(frontier.outcomes, expected_codes)


@pytest.mark.parametrize("parties", [3, 4, 5, 6])
@pytest.mark.parametrize("kind", ["grid", "continuous", "simplex"])
def test_nondominated_mask_on_thousands_of_points(parties: int, kind: str) -> None:
    # Below the pre-screening threshold, so the sweeps see every row: several blocks of each.
    rng = np.random.default_rng(parties)
    if kind == "grid":
        points = rng.choice((-0.0, *GRID), size=(3_000, parties))
    elif kind == "continuous":
        points = rng.random((3_000, parties))
    else:  # on a simplex, so mutually non-dominated, apart from some moved below it
        points = rng.multinomial(12, np.full(parties, 1 / parties), size=3_000).astype(float)
        points[::7] -= 0.5
    points[-300:] = points[:300]  # repeated rows
    np.testing.assert_array_equal(nondominated_mask(points), brute_nondominated(points))


@pytest.mark.parametrize(("issues", "parties"), [(20, 2), (6, 3), (4, 5)])
def test_reservation_screening_keeps_the_rational_part_of_the_frontier(
    issues: int, parties: int
) -> None:
    # Whether partial sums are screened against the reservation values before or after each
    # filter (it depends on how many the screen drops), the rows kept are the same.
    scenario = random_scenario(issues, 8, parties=parties, seed=issues)
    tables = scenario.value_tables()
    full = pareto_frontier(tables)
    for level in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8):
        reservation = np.full(parties, level)
        keep = (full.utilities >= reservation - IR_TOLERANCE).all(axis=1)
        expected = Frontier(utilities=full.utilities[keep], outcomes=full.outcomes[keep])
        assert pareto_frontier(tables, reservation=reservation) == expected


@pytest.mark.parametrize("n", [300, 40_000])
def test_ranks_order_exactly_as_the_values(n: int) -> None:
    # The filter for four or more parties compares ranks; beyond 32,767 rows they are int32.
    from zopa.analysis.frontier import _ranks

    rng = np.random.default_rng(n)
    x = np.round(rng.random((n, 4)), 3) + 0.0  # many ties
    ranks = _ranks(x)
    assert ranks.shape == (4, n)
    assert ranks.dtype == (np.int16 if n < 2**15 else np.int32)
    i, j = rng.integers(0, n, (2, 5_000))
    np.testing.assert_array_equal(ranks[:, i] >= ranks[:, j], (x[i] >= x[j]).T)
    np.testing.assert_array_equal(ranks[:, i] == ranks[:, j], (x[i] == x[j]).T)
