"""The zone of possible agreement: exact counting against brute force, sampling, warnings."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import GRID, hyper_rectangle_scenarios, scenarios
from zopa.analysis import zone as zone_module
from zopa.analysis.frontier import IR_TOLERANCE, exact_beyond_enumeration, frontier_of
from zopa.analysis.zone import (
    Zone,
    count_individually_rational,
    wilson_interval,
    zone_from_tables,
    zone_of_agreement,
)
from zopa.model import AdditiveUtility, Issue, Party, Scenario

PROPERTY = settings(max_examples=100, deadline=None)


def brute_count(scenario: Scenario, reservation: np.ndarray | None = None) -> int:
    """Individually rational outcomes, by enumerating every outcome."""
    res = scenario.reservation_values() if reservation is None else reservation
    utilities = scenario.utilities(scenario.enumerate())
    return int((utilities >= res - IR_TOLERANCE).all(axis=1).sum())


def quiet_zone(scenario: Scenario, **kwargs: object) -> tuple[Zone, list[warnings.WarningMessage]]:
    """The zone and the warnings raised while computing it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        zone = zone_of_agreement(scenario, **kwargs)  # type: ignore[arg-type]
    return zone, caught


def opposed(issues: int, options: int, seed: int, parties: int = 3) -> Scenario:
    """A seeded scenario with values on the grid, for the medium-sized cases."""
    rng = np.random.default_rng(seed)
    drawn = tuple(Issue.discrete(f"i{k}", [f"o{j}" for j in range(options)]) for k in range(issues))
    members = []
    for p in range(parties):
        values = rng.choice(GRID, size=(issues, options))
        utility = AdditiveUtility(
            weights=(1.0 / issues,) * issues, values=tuple(tuple(r) for r in values.tolist())
        )
        members.append(Party(f"p{p}", utility, reservation=0.45))
    return Scenario(name="medium", issues=drawn, parties=tuple(members))


# ---------------------------------------------------------------------------------- exactness
@PROPERTY
@given(scenarios(min_parties=2, max_parties=4, max_issues=4))
def test_exact_count_equals_enumeration(scenario: Scenario) -> None:
    zone, caught = quiet_zone(scenario)
    expected = brute_count(scenario)
    assert zone.exact and zone.method == "exact-dp"
    assert zone.count == expected and isinstance(zone.count, int)
    assert zone.share == expected / scenario.n_outcomes
    assert zone.exists == (expected > 0) and zone.exists_exact
    assert zone.frontier is not None and (len(zone.frontier) > 0) == zone.exists
    assert bool(caught) == (not zone.exists)


@PROPERTY
@given(
    scenarios(min_parties=2, max_parties=4, max_issues=4, exact=True),
    st.lists(st.sampled_from(GRID), min_size=4, max_size=4),
)
def test_exact_count_with_drawn_reservations(scenario: Scenario, levels: list[float]) -> None:
    # Reservation values at grid fractions of what each party can get at most, so that ties
    # between a utility and a reservation value are common.
    tables = scenario.value_tables()
    most = sum(t.max(axis=1) for t in tables)
    reservation = np.asarray(levels[: scenario.n_parties]) * most
    zone, _ = quiet_zone(scenario, reservation=reservation)
    expected = brute_count(scenario, reservation)
    assert zone.count == expected
    assert zone.exists == (expected > 0)
    assert zone.reservation == tuple(reservation.tolist())


@PROPERTY
@given(scenarios(min_parties=2, max_parties=3, max_issues=4), st.integers(1, 8))
def test_small_state_cap_is_exact_or_gives_up(scenario: Scenario, cap: int) -> None:
    tables = scenario.value_tables()
    count = count_individually_rational(tables, scenario.reservation_values(), max_states=cap)
    assert count is None or count == brute_count(scenario)


@PROPERTY
@given(scenarios(min_parties=2, max_parties=3, max_issues=4), st.integers(1, 6))
def test_count_in_small_blocks(scenario: Scenario, cap: int) -> None:
    # A tiny memory budget splits every issue's options into blocks merged as they come.
    tables = scenario.value_tables()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zone_module, "_BUDGET", 2)
        count = count_individually_rational(tables, scenario.reservation_values())
        capped = count_individually_rational(tables, scenario.reservation_values(), max_states=cap)
    assert count == brute_count(scenario)
    assert capped is None or capped == count


@settings(max_examples=40, deadline=None)
@given(hyper_rectangle_scenarios())
def test_non_additive_enumeration_is_exact(scenario: Scenario) -> None:
    zone, caught = quiet_zone(scenario)
    expected = brute_count(scenario)
    assert zone.method == "enumeration" and zone.exact and zone.samples == 0
    assert zone.count == expected and zone.exists == (expected > 0)
    assert zone.frontier == frontier_of(scenario, individually_rational=True)
    assert bool(caught) == (not zone.exists)


def test_count_beyond_int64_is_exact() -> None:
    # 70 two-option issues, party 0 scores 1 for option 0, party 1 for option 1: an outcome is
    # rational for reservations (35, 35) exactly when it picks option 0 on 35 issues.
    table = np.array([[1.0, 0.0], [0.0, 1.0]])
    count = count_individually_rational([table] * 70, [35.0, 35.0])
    assert count == math.comb(70, 35)
    zone = zone_from_tables([table] * 70, [35.0, 35.0])
    assert zone.count == math.comb(70, 35) and zone.n_outcomes == 2**70
    assert json.loads(json.dumps(zone.to_dict()))["count"] == math.comb(70, 35)


def test_everything_rational_is_counted_at_once() -> None:
    table = np.array([[0.5, 1.0], [1.0, 0.5]])
    assert count_individually_rational([table] * 200, [0.0, 0.0], max_states=1) == 2**200


# ---------------------------------------------------------------------------------- sampling
def test_estimate_interval_contains_exact_share() -> None:
    scenario = opposed(issues=6, options=5, seed=3)
    exact = zone_of_agreement(scenario)
    assert exact.exact and 0 < exact.share < 1
    estimate = zone_of_agreement(scenario, seed=7, samples=20_000, max_states=1)
    assert estimate.method == "sampled" and not estimate.exact and estimate.samples == 20_000
    assert estimate.share_ci is not None and estimate.count_ci is not None
    assert estimate.share_ci[0] <= exact.share <= estimate.share_ci[1]
    assert estimate.count_ci[0] <= exact.count <= estimate.count_ci[1]
    assert isinstance(estimate.count, float)
    assert estimate.count == pytest.approx(estimate.share * scenario.n_outcomes)
    # Existence and the frontier stay exact for additive preferences.
    assert estimate.exists and estimate.exists_exact and estimate.frontier == exact.frontier


def test_same_seed_same_estimate() -> None:
    scenario = opposed(issues=6, options=5, seed=3)
    first = zone_of_agreement(scenario, seed=11, samples=5_000, max_states=1)
    second = zone_of_agreement(scenario, seed=11, samples=5_000, max_states=1)
    third = zone_of_agreement(scenario, seed=np.random.default_rng(11), samples=5_000, max_states=1)
    assert first.to_dict() == second.to_dict() == third.to_dict()
    other = zone_of_agreement(scenario, seed=12, samples=5_000, max_states=1)
    assert other.count != first.count


@settings(max_examples=20, deadline=None)
@given(hyper_rectangle_scenarios(max_issues=3))
def test_non_additive_sampled_beyond_exact_limit(scenario: Scenario) -> None:
    zone, caught = quiet_zone(scenario, seed=5, samples=2_000, exact_limit=0)
    expected = brute_count(scenario)
    assert zone.method == "sampled"
    assert zone.share_ci is not None
    if exact_beyond_enumeration(scenario):  # boxes.py: the frontier, and existence, are exact
        assert zone.frontier is not None and zone.exists_exact
        assert zone.exists == (expected > 0)
        brute = frontier_of(scenario, individually_rational=True)  # enumerated: a small space
        assert np.array_equal(zone.frontier.utilities, brute.utilities)
        return
    assert zone.frontier is None
    if zone.exists:  # a rational sample is a certain witness
        assert expected > 0 and zone.exists_exact
    else:
        assert not zone.exists_exact and caught
        assert "sampled" in str(caught[0].message)
    if expected == 0:
        assert zone.count == 0.0 and not zone.exists


def test_wilson_interval_reference_values() -> None:
    lo, hi = wilson_interval(50, 100)
    assert (round(lo, 4), round(hi, 4)) == (0.4038, 0.5962)
    assert wilson_interval(0, 10)[0] == 0.0 and wilson_interval(10, 10)[1] == 1.0
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)


# ---------------------------------------------------------------------------------- no zone
def test_no_zone_warns() -> None:
    issue = Issue.discrete("split", ["a", "b", "c"])
    parties = (
        Party("A", AdditiveUtility(weights=(1.0,), values=((1.0, 0.5, 0.0),)), reservation=0.6),
        Party("B", AdditiveUtility(weights=(1.0,), values=((0.0, 0.5, 1.0),)), reservation=0.6),
    )
    scenario = Scenario(name="no-zone", issues=(issue,), parties=parties)
    with pytest.warns(UserWarning, match="no zone of agreement"):
        zone = zone_of_agreement(scenario)
    assert not zone.exists and zone.exists_exact and zone.count == 0 and zone.share == 0.0
    assert zone.frontier is not None and len(zone.frontier) == 0
    with pytest.warns(UserWarning, match="no zone of agreement"):
        zone_from_tables(scenario.value_tables(), [0.6, 0.6])
    # At 0.5 each, the middle option is exactly on both reservation values.
    assert zone_of_agreement(scenario, reservation=[0.5, 0.5]).count == 1


# ---------------------------------------------------------------------------------- result
def test_to_dict_is_json_ready() -> None:
    zone = zone_of_agreement(opposed(issues=3, options=3, seed=1))
    data = json.loads(json.dumps(zone.to_dict(), allow_nan=False))
    assert data["method"] == "exact-dp" and data["exact"] is True
    assert data["count_ci"] is None and data["samples"] == 0
    assert data["frontier"]["outcomes"] == zone.frontier.outcomes.tolist()  # type: ignore[union-attr]
    sampled = zone_of_agreement(opposed(issues=3, options=3, seed=1), seed=0, max_states=1)
    data = json.loads(json.dumps(sampled.to_dict(), allow_nan=False))
    assert data["method"] == "sampled" and len(data["share_ci"]) == 2


def test_bad_arguments() -> None:
    scenario = opposed(issues=2, options=2, seed=0)
    with pytest.raises(ValueError, match="one reservation value per party"):
        zone_of_agreement(scenario, reservation=[0.5])
    with pytest.raises(ValueError, match="samples"):
        zone_of_agreement(scenario, samples=0)
    with pytest.raises(ValueError, match="max_states"):
        count_individually_rational(scenario.value_tables(), [0, 0, 0], max_states=0)
    with pytest.raises(ValueError, match="at least one issue"):
        zone_from_tables([], [])
