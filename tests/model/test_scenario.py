"""The scenario model: stakeholders per issue, observed points, the spread, one meaning of
"position"."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zopa.model import (
    AdditiveUtility,
    ArgumentError,
    Issue,
    ObservedOutcome,
    Party,
    Scenario,
    ScenarioError,
    Spread,
    Stakeholder,
    random_scenario,
)

TARIFF = Issue.integer("tariff", 0, 25)
QUOTA = Issue.discrete("quota", ["none", "low", "high"], scale=[0, 40, 100])
TOPIC = Issue.discrete("topic", ["a", "b"])
ISSUES = (TARIFF, QUOTA, TOPIC)
PARTY = Party("P", AdditiveUtility((1.0, 0.0, 0.0), (tuple([0.5] * 26), (0, 0.5, 1), (0, 1))))


def make(*stakeholders: Stakeholder, observed: ObservedOutcome | None = None) -> Scenario:
    return Scenario("s", ISSUES, (PARTY,), stakeholders=stakeholders, observed=observed)


def lobby(**changes: object) -> Stakeholder:
    fields: dict[str, object] = {
        "name": "lobby",
        "capability": (3.0, 1.0, 0.0),
        "positions": (5.0, 40.0, None),
        "salience": (0.8, 0.5, 0.0),
    }
    return Stakeholder(**(fields | changes))  # type: ignore[arg-type]


def test_stakeholder_arrays_are_stakeholders_by_issues_and_read_only() -> None:
    other = Stakeholder("union", (2.0, 2.0, 2.0), (None, 100.0, 1.0), (0.0, 0.9, 0.1))
    s = make(lobby(), other)
    positions = s.stakeholder_positions()
    np.testing.assert_array_equal(positions, [[5.0, 40.0, np.nan], [np.nan, 100.0, 1.0]])
    np.testing.assert_array_equal(s.stakeholder_salience(), [[0.8, 0.5, 0.0], [0.0, 0.9, 0.1]])
    np.testing.assert_array_equal(s.stakeholder_capability(), [[3.0, 1.0, 0.0], [2.0, 2.0, 2.0]])
    for array in (positions, s.stakeholder_salience(), s.stakeholder_capability()):
        assert array.dtype == np.float64 and not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 1.0


def test_no_stakeholders_gives_empty_arrays() -> None:
    s = make()
    assert s.stakeholder_positions().shape == (0, 3)
    assert s.stakeholder_capability().shape == (0, 3)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"capability": 3.0},
            "capability: expected a tuple of capabilities, one per issue, got float 3.0",
        ),
        ({"capability": (3.0, -1.0, 0.0)}, "capability[1]: expected a number >= 0, got -1.0"),
        ({"capability": (3.0, math.nan, 0.0)}, "capability[1]: expected a number >= 0, got nan"),
        ({"salience": (0.8, 1.5, 0.0)}, "salience[1]: expected a number in [0, 1], got 1.5"),
        ({"positions": (math.inf, None, None)}, "positions[0]: expected a finite number, got inf"),
    ],
)
def test_stakeholder_validates_its_numbers(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        lobby(**changes)
    assert str(info.value) == message


def test_scenario_checks_the_stakeholder_lengths_and_scales() -> None:
    with pytest.raises(ScenarioError) as info:
        make(lobby(capability=(3.0, 1.0)))
    assert str(info.value) == (
        "stakeholders[0]: expected 3 capabilities, positions and saliences (one per issue), "
        "got 2, 3 and 3"
    )
    with pytest.raises(ScenarioError) as info:
        make(lobby(positions=(30.0, 40.0, None)))
    assert str(info.value) == (
        "stakeholders[0].positions.tariff: expected a position on the issue's scale [0, 25], got 30"
    )


def test_observed_points_are_checked_against_the_scale() -> None:
    ok = make(observed=ObservedOutcome((None, 1, None), points=(12.5, 40.0, None)))
    assert ok.observed is not None and ok.observed.points == (12.5, 40.0, None)
    assert ok.to_dict()["observed"]["points"] == {"tariff": 12.5, "quota": 40.0}
    assert ok.to_dict()["observed"]["outcome"] == {"quota": "low"}
    with pytest.raises(ScenarioError) as info:
        make(observed=ObservedOutcome((None, None, None), points=(None, 101.0, None)))
    assert str(info.value) == (
        "observed.points.quota: expected a point on the issue's scale [0, 100], got 101"
    )
    with pytest.raises(ScenarioError, match="expected 3 observed points"):
        make(observed=ObservedOutcome((None, None, None), points=(1.0,)))
    # no points at all is allowed (an outcome given by options only)
    assert make(observed=ObservedOutcome((0, 0, 0))).to_dict()["observed"]["points"] == {}


def test_scale_points_are_the_option_scale_and_read_only() -> None:
    assert QUOTA.scale_points.tolist() == [0.0, 40.0, 100.0]
    assert TOPIC.scale_points.tolist() == [0.0, 1.0]  # no scale: the option's place
    assert TARIFF.scale_range == (0.0, 25.0)
    assert not QUOTA.scale_points.flags.writeable
    assert not hasattr(QUOTA, "positions")  # "position" means a stakeholder's, only
    assert QUOTA.option_at(40) == 1 and QUOTA.option_at(41) is None and TOPIC.option_at(0) is None
    assert QUOTA.check_point(40) == 40.0
    with pytest.raises(ScenarioError, match=r"expected a point on the issue's scale \[0, 100\]"):
        QUOTA.check_point(-1)


def test_spread_override_is_validated_and_names_the_argument() -> None:
    base = Spread(concentration=5)
    assert base.override(value_noise=0.1) == Spread(concentration=5, value_noise=0.1)
    assert base.override() is base
    with pytest.raises(ArgumentError) as info:
        base.override(value_noise=2.0)
    assert str(info.value) == "value_noise: expected a number in [0, 1], got 2.0"
    with pytest.raises(ArgumentError, match=r"^concentration: expected a number > 0, got 0$"):
        base.override(concentration=0)
    with pytest.raises(ScenarioError, match="reservation_noise: expected a number in"):
        Spread(reservation_noise=-0.1)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"issues": 0, "options": 2}, "issues: expected an integer >= 1, got 0"),
        ({"issues": 2, "options": 0}, "options: expected an integer >= 1, got 0"),
        (
            {"issues": 2, "options": 2, "parties": 27},
            "parties: expected an integer in 1..26, got 27",
        ),
        (
            {"issues": 2, "options": 2, "disagreement": 2},
            "disagreement: expected an option code in 0..1, got 2",
        ),
    ],
)
def test_random_scenario_arguments(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ArgumentError) as info:
        random_scenario(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_bad_outcome_batches_and_chunks_are_argument_errors() -> None:
    s = make()
    with pytest.raises(ArgumentError, match=r"^outcomes: expected codes of shape \(n, 3\)"):
        s.utilities([[0, 0]])
    with pytest.raises(ArgumentError, match=r"^chunk: expected an integer >= 1, got 0$"):
        next(s.iter_outcomes(chunk=0))
