"""Bargaining chips and logrolls: textbook cases checked by hand, and properties."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings

from strategies import scenarios
from zopa.analysis.chips import (
    Chips,
    bargaining_chips,
    chips_from_tables,
)
from zopa.analysis.linkage import compare_linkage, issue_by_issue
from zopa.model import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Issue,
    Party,
    Scenario,
    ScenarioError,
)
from zopa.model.errors import ArgumentError

PROPERTY = settings(max_examples=100, deadline=None)


def two_party(
    issues: list[Issue],
    weights: tuple[tuple[float, ...], tuple[float, ...]],
    values: tuple[tuple[tuple[float, ...], ...], tuple[tuple[float, ...], ...]],
) -> Scenario:
    parties = tuple(
        Party(name, AdditiveUtility(weights=w, values=v))
        for name, w, v in zip(("A", "B"), weights, values, strict=True)
    )
    return Scenario(name="textbook", issues=tuple(issues), parties=parties)


def textbook(options: int = 2, *, common: bool = False) -> Scenario:
    """A cares 3:1 about X over Y, B 1:3; on X and Y what A likes B dislikes (linear values).
    With ``common``, a third issue Z that both want settled the same way."""
    names = [f"o{k}" for k in range(options)]
    up = tuple(k / (options - 1) for k in range(options))
    down = tuple(1.0 - v for v in up)
    issues = [Issue.discrete("X", names), Issue.discrete("Y", names)]
    wa, wb = (0.75, 0.25), (0.25, 0.75)
    va, vb = (up, up), (down, down)
    if common:
        issues.append(Issue.discrete("Z", ["good", "bad"]))
        wa, wb = (0.6, 0.2, 0.2), (0.2, 0.6, 0.2)
        va, vb = (up, up, (1.0, 0.0)), (down, down, (1.0, 0.0))
    return two_party(issues, (wa, wb), (va, vb))


def froman_cohen() -> Scenario:
    """Two opposed issues, each with a "split" option and a "none" option that holds if talks
    fail; A cares 3:1 about X over Y, B 1:3 (the logroll of Froman & Cohen 1970)."""
    opts = ["a-wins", "split", "b-wins", "none"]
    a_vals = (1.0, 0.5, 0.0, 0.0)
    b_vals = (0.0, 0.5, 1.0, 0.0)
    issues = [
        Issue.discrete("X", opts, disagreement="none"),
        Issue.discrete("Y", opts, disagreement="none"),
    ]
    return two_party(issues, ((0.75, 0.25), (0.25, 0.75)), ((a_vals, a_vals), (b_vals, b_vals)))


# ---------------------------------------------------------------------------------- textbook
def test_textbook_logroll() -> None:
    chips = bargaining_chips(froman_cohen())
    assert chips.baseline
    assert [t.relation for t in chips.issues] == ["opposed", "opposed"]
    # Alone (the other issue at "none"), each issue settles on "split" under Nash:
    # X: A 0.75/2, B 0.25/2; Y: A 0.25/2, B 0.75/2.
    assert [t.settled for t in chips.issues] == [1, 1]
    assert chips.issues[0].settlement == (0.375, 0.125)
    assert chips.issues[1].settlement == (0.125, 0.375)
    assert len(chips.logrolls) == 1
    roll = chips.logrolls[0]
    assert roll.issues == (0, 1) and roll.names == ("X", "Y")  # A wins X, B wins Y
    assert roll.options == (0, 2)
    assert roll.ratios == (3.0, 1 / 3)
    assert roll.baseline == (0.5, 0.5)
    assert roll.outcome == (0.75, 0.75)
    assert roll.gains == (0.25, 0.25) and roll.joint_gain == 0.5 and roll.mutual


@pytest.mark.parametrize("options", [2, 3, 5])
def test_without_disagreement_options_the_baseline_is_undefined(options: int) -> None:
    chips = bargaining_chips(textbook(options))
    assert not chips.baseline
    assert [t.correlation for t in chips.issues] == [-1.0, -1.0]
    assert all(t.settled is None and t.settlement is None for t in chips.issues)
    [roll] = chips.logrolls
    assert roll.issues == (0, 1) and roll.outcome == (0.75, 0.75)
    assert roll.baseline is None and roll.gains is None and roll.joint_gain is None
    assert not roll.mutual
    json.dumps(chips.to_dict(), allow_nan=False)


def test_chips_use_the_one_issue_by_issue_baseline() -> None:
    s = froman_cohen()
    sep = issue_by_issue(s)
    link = compare_linkage(s)
    chips = bargaining_chips(s)
    assert [t.settled for t in chips.issues] == list(sep.outcome)
    assert [s_.outcome for s_ in link.per_issue] == [s_.outcome for s_ in sep.per_issue]
    assert link.separate.outcome == sep.outcome


def test_textbook_exchange_rates_and_chips() -> None:
    chips = bargaining_chips(textbook())
    x, y = chips.issues
    assert x.importance == (0.75, 0.25) and y.importance == (0.25, 0.75)
    assert x.share == (0.75, 0.25) and y.share == (0.25, 0.75)
    assert x.rate == pytest.approx(1 / 3) and x.reverse_rate == 3.0
    assert y.rate == 3.0 and y.reverse_rate == pytest.approx(1 / 3)
    # Conceding Y costs A 0.25 and is worth 0.75 to B: Y is A's chip; X is B's.
    assert (y.concession_cost, y.concession_value) == (0.25, 0.75)
    assert (x.concession_cost, x.concession_value) == (0.75, 0.25)
    assert chips.chips_i == (1, 0) and chips.chips_j == (0, 1)
    assert chips.to_dict()["chips"] == {"A": ["Y", "X"], "B": ["X", "Y"]}


def test_exchange_rates_by_hand_with_partial_value_ranges() -> None:
    issues = [Issue.discrete("X", ["a", "b", "c"]), Issue.discrete("Y", ["a", "b"])]
    scenario = two_party(
        issues,
        ((0.6, 0.4), (0.2, 0.8)),
        (((0.2, 0.5, 0.8), (1.0, 0.0)), ((1.0, 0.5, 0.0), (0.25, 0.75))),
    )
    x, y = bargaining_chips(scenario).issues
    # I_AX = 0.6·(0.8 − 0.2) = 0.36, I_BX = 0.2·1 = 0.2; I_AY = 0.4·1 = 0.4, I_BY = 0.8·0.5 = 0.4.
    assert x.importance == pytest.approx((0.36, 0.2))
    assert y.importance == pytest.approx((0.4, 0.4))
    assert x.rate == pytest.approx(0.2 / 0.36) and y.rate == pytest.approx(1.0)
    assert x.share == pytest.approx((0.36 / 0.76, 0.2 / 0.6))
    # I_AX / I_AY = 0.9 > I_BX / I_BY = 0.5: A wins X, B wins Y.
    [roll] = bargaining_chips(scenario).logrolls
    assert roll.issues == (0, 1)
    assert roll.ratios == pytest.approx((0.9, 0.5))


def test_common_interest_issue_is_not_a_chip() -> None:
    chips = bargaining_chips(textbook(common=True))
    z = chips.issues[2]
    assert z.relation == "common" and not z.opposed and z.correlation == 1.0
    assert z.best == (0, 0) and z.concession_cost == 0.0 and z.concession_value == 0.0
    assert 2 not in chips.chips_i and 2 not in chips.chips_j
    assert all(2 not in roll.issues for roll in chips.logrolls)
    assert [roll.issues for roll in chips.logrolls] == [(0, 1)]


def test_indifferent_party_makes_an_issue_independent() -> None:
    issues = [Issue.discrete("X", ["a", "b"]), Issue.discrete("Y", ["a", "b"])]
    scenario = two_party(
        issues, ((1.0, 0.0), (0.5, 0.5)), (((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0)))
    )
    chips = bargaining_chips(scenario)
    y = chips.issues[1]
    assert y.relation == "independent" and y.correlation is None
    assert y.importance == (0.0, 0.5) and y.rate == math.inf and y.reverse_rate == 0.0
    assert chips.chips_i == (0,) and chips.logrolls == ()
    assert y.to_dict()["rate"] == "inf"
    json.dumps(chips.to_dict(), allow_nan=False)


def test_spearman_with_ties() -> None:
    # Mid-ranks (1.5, 1.5, 3) and (3, 1.5, 1.5): ρ = −0.75 / 1.5 = −0.5.
    scenario = two_party(
        [Issue.discrete("X", ["a", "b", "c"])],
        ((1.0,), (1.0,)),
        (((0.0, 0.0, 1.0),), ((1.0, 0.0, 0.0),)),
    )
    [x] = bargaining_chips(scenario).issues
    assert x.correlation == pytest.approx(-0.5) and x.opposed
    # A's best is c (2); B's best is a (0).
    assert x.best == (2, 0)


def test_best_option_ties_favour_the_other_party() -> None:
    scenario = two_party(
        [Issue.discrete("X", ["a", "b", "c"])],
        ((1.0,), (1.0,)),
        (((1.0, 1.0, 0.0),), ((0.0, 0.5, 1.0),)),
    )
    [x] = bargaining_chips(scenario).issues
    assert x.best == (1, 2)  # A is indifferent between a and b; B prefers b
    assert x.concession_cost == 1.0 and x.concession_value == 0.5


# ---------------------------------------------------------------------------------- settlement
def test_disagreement_option_is_the_issue_by_issue_baseline() -> None:
    # Y alone (X at its disagreement option b): B can give A nothing on Y that A does not lose
    # elsewhere, so Y's own talks keep Y at its disagreement option, A's best.
    issues = [
        Issue.discrete("X", ["a", "b"], disagreement="b"),
        Issue.discrete("Y", ["a", "b"], disagreement="a"),
    ]
    scenario = two_party(
        issues, ((0.75, 0.25), (0.25, 0.75)), (((1.0, 0.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0)))
    )
    # Disagreement (X=b, Y=a): A 0.25, B 0.25. Alone, X can only move to a, which B refuses;
    # Y can only move to b, which A refuses: both stay, and the baseline is the disagreement.
    chips = bargaining_chips(scenario)
    assert [t.settled for t in chips.issues] == [1, 0]
    [roll] = chips.logrolls
    assert roll.issues == (0, 1)
    assert roll.baseline == (0.25, 0.25)
    assert roll.outcome == (0.75, 0.75)
    assert roll.gains == (0.5, 0.5) and roll.joint_gain == 1.0 and roll.mutual


# ---------------------------------------------------------------------------------- properties
@PROPERTY
@given(scenarios(min_parties=2, max_parties=3, max_issues=5))
def test_definitions_hold(scenario: Scenario) -> None:
    chips = bargaining_chips(scenario, 1, 0)
    tables = scenario.value_tables()
    opposed = {t.issue for t in chips.issues if t.opposed}
    assert set(chips.chips_i) == set(chips.chips_j) == opposed
    for trade in chips.issues:
        row_i, row_j = tables[trade.issue][1], tables[trade.issue][0]
        assert trade.importance == (np.ptp(row_i), np.ptp(row_j))
        assert trade.concession_cost >= 0 and trade.concession_value >= 0
    rates = [chips.issues[k].rate for k in chips.chips_i]
    assert rates == sorted(rates, reverse=True)
    pairs = set()
    for roll in chips.logrolls:
        won_i, won_j = roll.issues
        assert won_i in opposed and won_j in opposed and won_i != won_j
        assert roll.ratios[0] > roll.ratios[1]
        if chips.baseline:
            assert roll.gains is not None and roll.joint_gain is not None
            assert math.isclose(roll.joint_gain, sum(roll.gains), abs_tol=1e-12)
        else:
            assert roll.gains is None and roll.joint_gain is None
        pairs.add(frozenset(roll.issues))
    assert len(pairs) == len(chips.logrolls)  # at most one direction per pair
    gains = [roll.joint_gain or 0.0 for roll in chips.logrolls]
    assert gains == sorted(gains, reverse=True)
    json.dumps(chips.to_dict(), allow_nan=False)


@PROPERTY
@given(scenarios(min_parties=2, max_parties=2, max_issues=4))
def test_swapping_parties_mirrors_the_result(scenario: Scenario) -> None:
    ab, ba = bargaining_chips(scenario, 0, 1), bargaining_chips(scenario, 1, 0)
    assert ab.chips_i == ba.chips_j and ab.chips_j == ba.chips_i
    for x, y in zip(ab.issues, ba.issues, strict=True):
        assert x.relation == y.relation and x.importance == y.importance[::-1]
        assert (x.settlement is None) == (y.settlement is None)
        if x.settlement is not None and y.settlement is not None:
            assert x.settlement == pytest.approx(y.settlement[::-1])
    assert {r.issues for r in ab.logrolls} == {r.issues[::-1] for r in ba.logrolls}


# ---------------------------------------------------------------------------------- faces
def test_parties_by_name_and_errors() -> None:
    scenario = textbook()
    chips = bargaining_chips(scenario, "B", "A")
    assert isinstance(chips, Chips) and chips.indices == (1, 0)
    assert chips.parties == ("B", "A")
    with pytest.raises(ValueError, match="two different parties"):
        bargaining_chips(scenario, 0, 0)
    with pytest.raises(ValueError, match="party index"):
        chips_from_tables(scenario.value_tables(), 0, 2)
    with pytest.raises(ArgumentError, match=r"party: expected one of \['A', 'B'\], got \"C\""):
        bargaining_chips(scenario, "C")
    rect = HyperRectangleUtility(
        rectangles=(HyperRectangle(utility=1.0, bounds=()),), max_utility=1.0
    )
    odd = Scenario(
        name="odd",
        issues=scenario.issues,
        parties=(scenario.parties[0], Party("R", rect)),
    )
    with pytest.raises(ScenarioError, match="non-additive"):
        bargaining_chips(odd)


def test_to_dict_names_everything() -> None:
    data = json.loads(json.dumps(bargaining_chips(textbook(common=True)).to_dict()))
    assert data["parties"] == ["A", "B"]
    assert [i["issue"] for i in data["issues"]] == ["X", "Y", "Z"]
    assert data["logrolls"][0]["i_wins"] == "X" and data["logrolls"][0]["j_wins"] == "Y"
    assert data["baseline"] is False and data["logrolls"][0]["joint_gain"] is None
    data = json.loads(json.dumps(bargaining_chips(froman_cohen()).to_dict()))
    assert data["baseline"] is True and data["logrolls"][0]["joint_gain"] == pytest.approx(0.5)
