"""Atlas3 (ANAC 2015): the final-phase game and the threshold by hand, each rule played on a toy,
the conformance check, and 3-party sessions against GENIUS's time-dependent parties on the
ANAC 2015 and 2016 domains."""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Sequence
from functools import cache

import numpy as np
import pytest

from conftest import DOMAINS
from zopa.io import load_scenario
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import (
    Accept,
    Arena,
    Deadline,
    EndNegotiation,
    Event,
    Mind,
    Offer,
    PartyView,
    Turn,
    negotiate,
)
from zopa.negotiation.agents import AGENTS, Atlas3, agent
from zopa.negotiation.agents.atlas3 import FinalPhaseGame, atlas3_threshold, local_search
from zopa.testing import check_negotiator

# ------------------------------------------------------------------------------- toys


def line(values: Sequence[float], *, reservation: float = 0.0, discount: float = 1.0) -> Scenario:
    """One issue; Atlas3 (seat 1) values option k at values[k]; the opponent the reverse."""
    issue = Issue.discrete("deal", [f"o{k}" for k in range(len(values))])
    a = Party(
        "A",
        AdditiveUtility((1.0,), (tuple(values),)),
        reservation=reservation,
        discount=discount,
    )
    b = Party("B", AdditiveUtility((1.0,), (tuple(reversed(values)),)))
    return Scenario("line", (issue,), (b, a))


def grid() -> Scenario:
    """Two issues, equal weights; A (seat 1) values x at (1, .5, 0) and y at (1, .6, 0)."""
    x = Issue.discrete("x", ["x0", "x1", "x2"])
    y = Issue.discrete("y", ["y0", "y1", "y2"])
    a = Party("A", AdditiveUtility((0.5, 0.5), ((1.0, 0.5, 0.0), (1.0, 0.6, 0.0))))
    b = Party("B", AdditiveUtility((0.5, 0.5), ((0.0, 0.5, 1.0), (0.0, 0.4, 1.0))))
    return Scenario("grid", (x, y), (b, a))


def view_of(s: Scenario, rounds: int = 100) -> PartyView:
    return Arena.of(s).view(1, Deadline(rounds=rounds))


def mind_of(s: Scenario, rounds: int = 100, seed: int = 0) -> Mind:
    return Atlas3().start(view_of(s, rounds), np.random.default_rng(seed))


def hear(mind: Mind, outcome: tuple[int, ...], round_: int, rounds: int = 100) -> Turn:
    """The opponent (seat 0) offers ``outcome`` in ``round_``; the turn this gives seat 1."""
    t = round_ / (rounds + 1)
    mind.observe(Event(0, round_, t, Offer(outcome)))
    return Turn(round=round_, time=t, offer=outcome, proposer=0)


# ------------------------------------------------------------------------------- registry


def test_registered_name_builds_the_agent() -> None:
    a = agent("atlas3")
    assert "atlas3" in AGENTS and a == Atlas3() and a.name == "atlas3"
    assert type(a)(**a.params()) == a
    assert pickle.loads(pickle.dumps(a)) == a
    assert agent("atlas3(final_rounds=5)") == Atlas3(final_rounds=5)


@pytest.mark.parametrize(
    ("params", "field"),
    [({"pf": 1.5}, "pf"), ({"tf": -1.0}, "tf"), ({"final_rounds": -1}, "final_rounds")],
)
def test_bad_parameters_are_refused(params: dict[str, float], field: str) -> None:
    with pytest.raises(ArgumentError, match=field):
        Atlas3(**params)  # type: ignore[arg-type]


def test_atlas3_conforms() -> None:
    check_negotiator(Atlas3())


# ------------------------------------------------------------------------------- the game


def test_final_phase_game_by_hand_with_discount() -> None:
    # rv = 0.2, d = 0.8, C = 0.6 ≥ rv: A11 = 0.16, A12 = 0.8, A21 = 0.48,
    # A22 = 0.5·0.48 + 0.5·0.8 = 0.64; q = 1/(1 − (0.16 − 0.48)/(0.8 − 0.64)) = 1/3;
    # E = 0.48/3 + 0.64·2/3 = 0.586667.
    g = FinalPhaseGame.of(0.2, 0.8, 0.6)
    assert (g.a11, g.a12, g.a21, g.a22) == pytest.approx((0.16, 0.8, 0.48, 0.64))
    assert g.q == pytest.approx(1 / 3)
    assert g.expected == pytest.approx(0.48 / 3 + 0.64 * 2 / 3)
    assert g.to_dict()["expected"] == pytest.approx(0.5866667, abs=1e-7)
    # t = 0.5: target = E/d^t = 0.586667/0.894427 = 0.655913 > 1 − t/d = 0.375.
    assert atlas3_threshold(0.5, 0.2, 0.8, 0.6) == pytest.approx(0.586667 / math.sqrt(0.8), 1e-5)
    # t = 0.1: 1 − t/d = 0.875 > target = 0.586667/0.8^0.1 = 0.599905.
    assert g.expected / 0.8**0.1 == pytest.approx(0.599905, abs=1e-6)
    assert atlas3_threshold(0.1, 0.2, 0.8, 0.6) == pytest.approx(0.875)


def test_final_phase_game_by_hand_without_discount() -> None:
    # rv = 0.2, d = 1, C = 0.6: A11 = 0.2, A12 = 1, A21 = 0.6, A22 = 0.8; q = 1/(1 + 0.4/0.2) = 1/3;
    # E = 0.2 + 0.8·2/3 = 0.733333 = target; threshold = target + (1 − target)(1 − t).
    g = FinalPhaseGame.of(0.2, 1.0, 0.6)
    assert (g.a11, g.a12, g.a21, g.a22) == pytest.approx((0.2, 1.0, 0.6, 0.8))
    assert g.q == pytest.approx(1 / 3) and g.expected == pytest.approx(2.2 / 3)
    for t, want in [(0.0, 1.0), (0.5, 2.2 / 3 + (0.8 / 3) * 0.5), (1.0, 2.2 / 3)]:
        assert atlas3_threshold(t, 0.2, 1.0, 0.6) == pytest.approx(want)
    assert atlas3_threshold(0.5, 0.2, 1.0, 0.6) == pytest.approx(0.8666667, abs=1e-7)


def test_concession_probability_edge_cases() -> None:
    # C < rv: A21 = rv·d = A11, so q = 1 and E = A21 = rv·d.
    g = FinalPhaseGame.of(0.5, 0.9, 0.3)
    assert g.a21 == pytest.approx(0.45) and g.q == 1.0 and g.expected == pytest.approx(0.45)
    # C = 1, d = 1: A12 = A21 = A22, q undefined, taken as 1.
    g = FinalPhaseGame.of(0.2, 1.0, 1.0)
    assert g.q == 1.0 and g.expected == 1.0
    # A q outside [0, 1] (not reachable from of(); a hand-made game) is taken as 1.
    assert FinalPhaseGame(0.9, 0.5, 0.1, 0.3).q == 1.0


# ------------------------------------------------------------------------------- the mind


def test_acceptance_follows_the_threshold_of_the_best_offer_heard() -> None:
    s = line([1.0, 0.9, 0.6, 0.2, 0.0], reservation=0.2)
    m = mind_of(s)
    turn = hear(m, (2,), 50)  # worth 0.6; C = 0.6
    assert isinstance(m.act(turn), Offer)
    turn = hear(m, (1,), 60)  # worth 0.9 < threshold(C = 0.9) = E + (1 − E)(1 − t)
    assert atlas3_threshold(turn.time, 0.2, 1.0, 0.9) > 0.9
    assert isinstance(m.act(turn), Offer)
    assert isinstance(m.act(hear(m, (0,), 61)), Accept)  # worth 1 ≥ any threshold


def test_ends_when_the_discounted_reservation_reaches_the_threshold() -> None:
    # rv = 0.9, d = 0.9, the offer worth 0.2 < rv, so q = 1 and E = rv·d = 0.81.
    # t = 0.1: threshold = max(1 − 0.1/0.9, 0.81/0.9^0.1) = 0.888889 ≤ rv·d^t = 0.890571: end.
    # t = 0.05: threshold = 0.944444 > rv·d^t = 0.895272: bid on.
    s = line([1.0, 0.9, 0.6, 0.2, 0.0], reservation=0.9, discount=0.9)
    assert atlas3_threshold(0.1, 0.9, 0.9, 0.2) == pytest.approx(1 - 0.1 / 0.9)
    m = Atlas3().start(view_of(s, rounds=19), np.random.default_rng(0))
    assert isinstance(m.act(hear(m, (3,), 1, rounds=19)), Offer)  # t = 0.05
    assert isinstance(m.act(hear(m, (3,), 2, rounds=19)), EndNegotiation)  # t = 0.1


def test_first_bid_is_the_best_outcome() -> None:
    m = mind_of(grid())
    assert m.act(Turn(round=1, time=1 / 101, offer=None, proposer=None)) == Offer((0, 0))


def test_local_search_concedes_least_from_the_others_bid() -> None:
    view = view_of(grid())
    rng = np.random.default_rng(0)
    # From (x2, y2), worth 0: the single changes worth (0.5, 0.25, 0.5, 0.3); at 0.45 two reach
    # it, equal, and the first (x0, y2) is taken.
    assert local_search(view, (2, 2), 0.45, rng) == (0, 2)
    # At 0.7 none reaches it: climb to a best change, (x0, y2) or (x2, y0) (a draw), then take the
    # least valuable change that reaches 0.7: (x0, y1) worth 0.8 or (x1, y0) worth 0.75.
    seen = {local_search(view, (2, 2), 0.7, np.random.default_rng(k)) for k in range(12)}
    assert seen == {(0, 1), (1, 0)}
    # Nothing reaches 1.01: the climb stops at the best outcome.
    assert local_search(view, (2, 2), 1.01, rng) == (0, 0)
    # Already above the threshold: the bid itself.
    assert local_search(view, (1, 1), 0.5, rng) == (1, 1)


def test_bids_of_the_local_search_keep_above_the_threshold() -> None:
    s = grid()
    view = view_of(s)
    m = mind_of(s)
    for r in range(1, 98, 6):  # rounds 98 to 100 are near the deadline (final_rounds = 3)
        turn = hear(m, (2, 2), r)
        action = m.act(turn)
        assert isinstance(action, Offer)
        threshold = atlas3_threshold(turn.time, view.reservation, view.discount, 0.0)
        assert view.utility(action.outcome) >= threshold


def test_reoffers_the_bids_the_others_accepted_near_the_deadline() -> None:
    # Deadline of 10 rounds, final_rounds = 3: the last three rounds (8, 9, 10) are "near".
    s = line([1.0, 0.9, 0.6, 0.2, 0.0], reservation=0.3)
    m = mind_of(s, rounds=10)
    for r, bid in [(1, (2,)), (2, (1,)), (3, (3,))]:
        assert isinstance(m.act(hear(m, bid, r, rounds=10)), Offer)
    far = m.act(hear(m, (3,), 7, rounds=10))
    assert isinstance(far, Offer) and far.outcome == (0,)  # local search: only (0,) clears it
    # Near: the opponent's bids worth at least rv = 0.3, best first, and round again.
    plays = [m.act(hear(m, (3,), r, rounds=10)) for r in (8, 9, 10)]
    assert plays == [Offer((1,)), Offer((2,)), Offer((1,))]


def test_multilateral_compromise_uses_bids_accepted_by_all_others() -> None:
    # Three parties; Atlas3 at seat 0 hears seat 1 offer (x1, y1) and seat 2 accept it.
    x = Issue.discrete("x", ["x0", "x1", "x2"])
    y = Issue.discrete("y", ["y0", "y1", "y2"])
    u = AdditiveUtility((0.5, 0.5), ((1.0, 0.5, 0.0), (1.0, 0.6, 0.0)))
    v = AdditiveUtility((0.5, 0.5), ((0.0, 0.5, 1.0), (0.0, 0.4, 1.0)))
    s = Scenario("three", (x, y), (Party("A", u), Party("B", v), Party("C", v)))
    m = Atlas3().start(Arena.of(s).view(0, Deadline(rounds=100)), np.random.default_rng(0))
    assert m.compromise() == 0.0  # type: ignore[attr-defined]
    m.observe(Event(1, 1, 0.01, Offer((2, 2))))  # worth 0 to A
    m.observe(Event(2, 1, 0.01, Offer((1, 1))))  # worth 0.55
    # Max of products: M_1·M_2 = 0·0.55; no bid has been endorsed by both.
    assert m.compromise() == 0.0  # type: ignore[attr-defined]
    m.observe(Event(1, 2, 0.02, Accept()))  # B accepts C's (x1, y1): both endorse it
    assert m.compromise() == pytest.approx(0.55)  # type: ignore[attr-defined]
    m.observe(Event(2, 2, 0.02, Offer((0, 2))))  # worth 0.5 to A, endorsed by C only
    # M_B = 0.55, M_C = 0.55: the product 0.3025 < the bid both endorsed, 0.55.
    assert m.compromise() == pytest.approx(0.55)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- sessions

FOLDERS = [
    "anac2015-new_sporthal",
    "anac2015-vacation",
    "anac2016-JapanTrip-SYAgent",
    "anac2016-triangularFight-Atlas3",
]


@cache
def arena(folder: str) -> Arena:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GENIUS's utility cap
        return Arena.of(load_scenario(DOMAINS / folder))


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("seat", [0, 1, 2])
def test_three_party_sessions_against_genius_parties(folder: str, seat: int) -> None:
    a = arena(folder)
    assert a.problem.n_parties == 3
    sizes = a.problem.space.sizes
    for others in (("boulware", "conceder"), ("linear", "linear")):
        names = list(others)
        names.insert(seat, "atlas3")
        r = negotiate(a, [agent(x) for x in names], deadline=Deadline(rounds=180), seed=7)
        assert r.reason in ("agreement", "end"), (names, r.reason, r.detail)
        if r.reason == "end":  # only Atlas3 walks away here: its reservation beats its threshold
            assert r.ended_by == a.problem.parties[seat]
        for step in r.trace:
            if step.outcome is not None:
                assert all(0 <= c < n for c, n in zip(step.outcome, sizes, strict=True))
        again = negotiate(a, [agent(x) for x in names], deadline=Deadline(rounds=180), seed=7)
        assert again == r
        assert pickle.loads(pickle.dumps(r)) == r


@pytest.mark.parametrize("folder", FOLDERS)
def test_atlas3_against_itself_ends_cleanly(folder: str) -> None:
    # Without discount its threshold stays above C, so on New_sporthal and Vacation three
    # Atlas3 reach the deadline; on triangularFight (d = 0.1) they agree, on JapanTrip
    # (rv = 0.9) they walk away.
    r = negotiate(arena(folder), [Atlas3()] * 3, deadline=Deadline(rounds=180), seed=1)
    assert r.reason in ("agreement", "end", "deadline"), r.detail
    if folder == "anac2016-triangularFight-Atlas3":
        assert r.reason == "agreement"


def test_bilateral_without_discount_accepts_only_its_best() -> None:
    # C counts the offer on the table, and E > C unless q = 1: offers worth less than 1 are refused.
    s = line([1.0, 0.99, 0.9, 0.6, 0.2, 0.0], reservation=0.1)
    m = mind_of(s)
    for r, bid in [(10, (3,)), (50, (2,)), (99, (1,))]:
        assert isinstance(m.act(hear(m, bid, r)), Offer)
    assert isinstance(m.act(hear(m, (0,), 100)), Accept)
