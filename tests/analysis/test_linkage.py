"""Package versus issue by issue, agendas, leverage and robustness."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import scenarios
from zopa.analysis.frontier import frontier_of, is_dominated, pareto_frontier
from zopa.analysis.leverage import measure_leverage
from zopa.analysis.linkage import compare_agendas, compare_linkage
from zopa.analysis.robustness import Robustness, check_robustness
from zopa.analysis.solutions import settle
from zopa.io import load_scenario
from zopa.model import AdditiveUtility, Issue, Party, Scenario, ScenarioError
from zopa.model.errors import ArgumentError


def logroll() -> Scenario:
    """Two opposed issues; A cares 3:1 about X, B 1:3; 'none' is the disagreement option."""
    opts = ["a-wins", "split", "b-wins", "none"]
    a_vals = (1.0, 0.5, 0.0, 0.0)
    b_vals = (0.0, 0.5, 1.0, 0.0)
    issues = (
        Issue.discrete("X", opts, disagreement="none"),
        Issue.discrete("Y", opts, disagreement="none"),
    )
    a = Party("A", AdditiveUtility((0.75, 0.25), (a_vals, a_vals)))
    b = Party("B", AdditiveUtility((0.25, 0.75), (b_vals, b_vals)))
    return Scenario("logroll", issues, (a, b))


def test_logroll_by_hand() -> None:
    result = compare_linkage(logroll())
    # Alone, each issue splits: X gives (0.375, 0.125), Y gives (0.125, 0.375).
    assert result.per_issue[0].utilities == pytest.approx((0.375, 0.125))
    assert result.per_issue[1].utilities == pytest.approx((0.125, 0.375))
    assert result.separate.outcome == (1, 1)
    assert result.separate.utilities == pytest.approx((0.5, 0.5))
    # Together, A wins X and B wins Y: the logroll.
    assert result.package.outcome == (0, 2)
    assert result.package.utilities == pytest.approx((0.75, 0.75))
    assert result.gain == pytest.approx((0.25, 0.25))
    data = result.to_dict()
    assert data["package"]["outcome"] == {"X": "a-wins", "Y": "b-wins"}
    assert data["per_issue"]["X"]["option"] == "split"


def test_logroll_agendas_by_hand() -> None:
    result = compare_agendas(logroll())
    assert len(result) == 4
    by_members = {tuple(row): result.utilities[i] for i, row in enumerate(result.members.tolist())}
    assert by_members[(False, False)] == pytest.approx((0.0, 0.0))
    assert by_members[(True, False)] == pytest.approx((0.375, 0.125))
    assert by_members[(True, True)] == pytest.approx((0.75, 0.75))
    # Shapley values of the issues for A: X 0.5, Y 0.25 (they add up to A's gain, 0.75).
    assert result.shapley is not None
    assert result.shapley[:, 0] == pytest.approx([0.5, 0.25])
    assert result.added_last[:, 0] == pytest.approx([0.625, 0.375])
    assert result.agenda_names(result.best[0]) == ["X", "Y"]


def with_disagreement(s: Scenario) -> Scenario:
    issues = tuple(
        i if i.disagreement is not None else replace(i, disagreement=0) for i in s.issues
    )
    return replace(s, issues=issues)


@settings(max_examples=40, deadline=None)
@given(
    scenarios(max_parties=3, max_issues=4, max_options=4), st.sampled_from(["nash", "egalitarian"])
)
def test_agendas_agree_with_linkage_and_shapley_is_efficient(s: Scenario, concept: str) -> None:
    s = with_disagreement(s)
    link = compare_linkage(s, concept)
    ag = compare_agendas(s, concept)
    full = int(np.flatnonzero(ag.members.all(axis=1))[0])
    np.testing.assert_allclose(ag.utilities[full], link.package.utilities, atol=1e-12)
    for k in range(s.n_issues):
        only_k = np.zeros(s.n_issues, dtype=bool)
        only_k[k] = True
        row = int(np.flatnonzero((ag.members == only_k).all(axis=1))[0])
        np.testing.assert_allclose(ag.utilities[row], link.per_issue[k].utilities, atol=1e-12)
    assert ag.shapley is not None
    empty = int(np.flatnonzero(ag.members.sum(axis=1) == ag.members.all(axis=0).sum())[0])
    np.testing.assert_allclose(
        ag.shapley.sum(axis=0), ag.utilities[full] - ag.utilities[empty], atol=1e-9
    )
    # the separate settlement is what each party gets from the combined single-issue deals
    np.testing.assert_allclose(
        s.utilities(np.asarray(link.separate.outcome)), link.separate.utilities, atol=1e-12
    )


def test_issue_without_disagreement_is_refused_for_issue_by_issue() -> None:
    s = logroll()
    s = replace(s, issues=(replace(s.issues[0], disagreement=None), s.issues[1]))
    with pytest.raises(ScenarioError, match="missing on X"):
        compare_linkage(s)
    # but agendas keep it on every agenda
    result = compare_agendas(s)
    assert len(result) == 2
    assert result.members[:, 0].all()


def pie(n: int = 101) -> Scenario:
    shares = np.linspace(0, 1, n)
    issue = Issue.discrete("pie", [f"{x:.2f}" for x in shares])
    a = Party("A", AdditiveUtility((1.0,), (tuple(shares),)))
    b = Party("B", AdditiveUtility((1.0,), (tuple(1 - shares),)))
    return Scenario("pie", (issue,), (a, b))


def test_walkaway_curve_is_monotone_on_the_pie() -> None:
    result = measure_leverage(pie(), grid=np.linspace(0, 0.9, 10))
    own = result.walkaway[0, :, 0]
    assert (np.diff(own) >= -1e-12).all()
    # Nash on the pie with d = (x, 0): A gets (1 + x) / 2
    np.testing.assert_allclose(own, (1 + np.linspace(0, 0.9, 10)) / 2, atol=0.006)
    assert result.slope(0) == pytest.approx(0.5, abs=0.02)


def test_threat_that_raises_my_walkaway_helps_me() -> None:
    result = measure_leverage(logroll())
    threat = next(t for t in result.threats if t.issue == "X" and t.option == "a-wins")
    assert threat.reservation == pytest.approx((0.75, 0.0))
    assert threat.change[0] >= 0
    best = result.best_threat(0)
    assert best is not None and best.change[0] >= threat.change[0]
    assert result.to_dict()["threats"][0]["fallback"] in {"a-wins", "split", "b-wins"}


def test_settle_without_zopa_is_no_agreement() -> None:
    s = logroll()
    deal = settle(pareto_frontier(s.value_tables()), np.asarray([0.9, 0.9]))
    assert not deal.agreement
    assert deal.utilities == (0.9, 0.9)


def test_robustness_without_noise_reproduces_linkage() -> None:
    s = load_scenario("mexico-us-2017")
    link = compare_linkage(s)
    rob = check_robustness(
        s, draws=3, seed=1, concentration=1e12, value_noise=0, reservation_noise=0
    )
    np.testing.assert_allclose(rob.package, np.tile(link.package.utilities, (3, 1)), atol=1e-6)
    np.testing.assert_allclose(rob.separate, np.tile(link.separate.utilities, (3, 1)), atol=1e-6)


def test_robustness_is_seeded() -> None:
    s = logroll()
    a = check_robustness(s, draws=50, seed=7)
    b = check_robustness(s, draws=50, seed=7)
    c = check_robustness(s, draws=50, seed=8)
    np.testing.assert_array_equal(a.gain, b.gain)
    assert not np.array_equal(a.gain, c.gain)
    shares = a.share_helped()
    assert ((shares >= 0) & (shares <= 1)).all()
    data = a.to_dict()
    assert set(data["linkage"]) == {"A", "B"}
    assert data["linkage"]["A"]["helped_share"] == pytest.approx(float(shares[0]))


def test_robustness_large_space_uses_frontier_path() -> None:
    opts = [str(i) for i in range(10)]
    rng = np.random.default_rng(0)
    issues = tuple(Issue.discrete(f"i{k}", opts, disagreement="0") for k in range(6))
    parties = tuple(
        Party(
            n,
            AdditiveUtility(
                tuple(np.full(6, 1 / 6)), tuple(tuple(rng.random(10)) for _ in range(6))
            ),
        )
        for n in "AB"
    )
    s = Scenario("big", issues, parties)
    assert s.n_outcomes == 10**6
    rob = check_robustness(
        s, draws=2, seed=0, concentration=1e12, value_noise=0, reservation_noise=0
    )
    link = compare_linkage(s)
    np.testing.assert_allclose(rob.package[0], link.package.utilities, atol=1e-6)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"draws": 0}, "draws: expected an integer >= 1, got 0"),
        ({"draws": -1}, "draws: expected an integer >= 1"),
        ({"draws": 2.5}, "draws: expected an integer"),
        ({"concentration": 0.0}, "concentration: expected a number > 0"),
        ({"value_noise": 5.0}, r"value_noise: expected a number in \[0, 1\]"),
        ({"value_noise": float("nan")}, "value_noise"),
        ({"reservation_noise": -0.1}, "reservation_noise"),
        ({"concept": "median"}, "concept: expected one of"),
    ],
)
def test_bad_robustness_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        check_robustness(logroll(), **kwargs)  # type: ignore[arg-type]


CONCEPTS = ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "genius_kalai"]


def without_noise(s: Scenario, concept: str, draws: int = 2) -> object:
    return check_robustness(
        s,
        concept,  # type: ignore[arg-type]
        draws=draws,
        seed=3,
        concentration=float("inf"),
        value_noise=0.0,
        reservation_noise=0.0,
    )


@settings(max_examples=60, deadline=None)
@given(
    scenarios(max_parties=3, max_issues=4, max_options=4),
    st.sampled_from(CONCEPTS),
)
def test_robustness_without_noise_equals_linkage_for_every_concept(
    s: Scenario, concept: str
) -> None:
    """With no noise at all, every draw is the scenario itself: the same settlements, exactly."""
    s = with_disagreement(s)
    link = compare_linkage(s, concept)  # type: ignore[arg-type]
    rob = without_noise(s, concept)
    assert isinstance(rob, Robustness)
    for i in range(rob.draws):
        assert tuple(rob.package[i]) == link.package.utilities
        assert tuple(rob.separate[i]) == link.separate.utilities
        assert bool(rob.agreement[i]) == link.package.agreement


@pytest.mark.parametrize("concept", CONCEPTS)
def test_flagship_robustness_without_noise_equals_linkage(concept: str) -> None:
    s = load_scenario("mexico-us-2017")
    link = compare_linkage(s, concept)  # type: ignore[arg-type]
    rob = without_noise(s, concept, draws=3)
    assert isinstance(rob, Robustness)
    np.testing.assert_array_equal(rob.package, np.tile(link.package.utilities, (3, 1)))
    np.testing.assert_array_equal(rob.separate, np.tile(link.separate.utilities, (3, 1)))
    # the package is on the frontier (the genius_kalai copy used to return a dominated one)
    front = frontier_of(s)
    assert not is_dominated(rob.package[:1], front).any()


@settings(max_examples=60, deadline=None)
@given(
    scenarios(max_parties=3, max_issues=4, max_options=4),
    st.sampled_from(CONCEPTS),
)
def test_every_leverage_settlement_is_the_filtered_frontier_solution(
    s: Scenario, concept: str
) -> None:
    """Each walk-away point and threat equals solving afresh on the frontier computed for the
    changed reservation values."""
    prob = s.problem()
    lev = measure_leverage(prob, concept, grid=[0.0, 0.3, 0.6])  # type: ignore[arg-type]

    def fresh(r: np.ndarray) -> tuple[float, ...]:
        front = pareto_frontier(prob.tables, reservation=r)
        return settle(front, r, concept, powers=prob.powers).utilities  # type: ignore[arg-type]

    for j in range(prob.n_parties):
        for g, x in enumerate(lev.grid):
            r = np.array(prob.reservation)
            r[j] = x
            assert tuple(lev.walkaway[j, g]) == fresh(r)
    for t in lev.threats:
        assert t.utilities == fresh(np.asarray(t.reservation))
