"""The GENIUS semantics of SAOP with time-dependent parties, one test (or a few) per step of
section 7 of the negotiation reference, on hand-built and real GENIUS scenarios."""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from zopa.io import load_scenario
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.negotiation import (
    Accept,
    Arena,
    Deadline,
    EndNegotiation,
    Event,
    Mind,
    Negotiator,
    Offer,
    PartyView,
    Ranking,
    Turn,
    genius_nash_point,
    negotiate,
    rank_outcomes,
)
from zopa.negotiation.agents import TimeDependentParty, agent
from zopa.negotiation.agents.time_dependent import genius_target
from zopa.negotiation.ranking import java_string_hash

DOMAINS = Path(__file__).parents[1] / "data" / "domains"


def genius(name: str) -> Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the cap warning of the reader
        return load_scenario(DOMAINS / name)


# ---------------------------------------------------------------- an independent oracle
def _i32(x: int) -> int:
    x &= 0xFFFFFFFF
    return x - (1 << 32) if x >= 1 << 31 else x


def _dh(x: float) -> int:
    bits = struct.unpack(">q", struct.pack(">d", x))[0] & 0xFFFFFFFFFFFFFFFF
    return _i32(bits ^ (bits >> 32))


def bid_details_hash(labels: list[str], u: float, kinds: list[str]) -> int:
    """``BidDetails.hashCode`` of a bid (time −1) written out from the reference."""
    h_bid = 0
    for label, kind in zip(labels, kinds, strict=True):
        h_bid = _i32(h_bid + (0 if kind == "integer" else java_string_hash(label)))
    return _i32(31 * _i32(31 * _i32(31 * 1 + h_bid) + _dh(u)) + _dh(-1.0))


def genius_sorted(s: Scenario, party: int, cap: float | None = None) -> list[tuple[int, ...]]:
    """Every bid, first issue fastest, sorted stably by (−U, hash): the reference's step 2."""
    p = s.problem()
    sizes = s.sizes
    bids = []
    for index in range(int(np.prod(sizes))):
        codes, rest = [], index
        for n in sizes:
            codes.append(rest % n)
            rest //= n
        bids.append(tuple(codes))
    kinds = [i.kind for i in s.issues]

    def key(b: tuple[int, ...]) -> tuple[float, int]:
        u = float(p.utilities(np.asarray(b))[party])
        u = u if cap is None else min(u, cap)
        labels = [s.issues[k].options[c] for k, c in enumerate(b)]
        return (-u, bid_details_hash(labels, u, kinds))

    return sorted(bids, key=key)


# ---------------------------------------------------------------- scripted parties
@dataclass(frozen=True)
class Script(Negotiator):
    """Plays a fixed list of actions, one per turn ("offer:k" / "accept" / "end")."""

    moves: tuple[str, ...] = ()

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _ScriptMind(list(self.moves), view.space.n_issues)


class _ScriptMind(Mind):
    def __init__(self, moves: list[str], n: int) -> None:
        self.moves, self.n = moves, n

    def act(self, turn: Turn) -> Offer | Accept | EndNegotiation:
        move = self.moves.pop(0) if self.moves else "end"
        if move == "accept":
            return Accept()
        if move == "end":
            return EndNegotiation()
        return Offer((int(move.split(":")[1]),) * self.n)


def one_issue(
    *columns: tuple[float, ...], rv: tuple[float, ...] = (), d: tuple[float, ...] = ()
) -> Scenario:
    n = len(columns[0])
    issue = Issue.discrete("deal", [f"o{k}" for k in range(n)])
    parties = tuple(
        Party(
            name,
            AdditiveUtility((1.0,), (col,)),
            reservation=rv[j] if rv else None,
            discount=d[j] if d else 1.0,
        )
        for j, (name, col) in enumerate(zip("ABCD", columns, strict=False))
    )
    return Scenario("hand", (issue,), parties)


# ============================================================ step 1: utility (and the cap)
def test_step1_additive_utility_as_genius_computes_it() -> None:
    # Laptop buyer: evaluations / issue max, weights as written (they sum to 1.0000518).
    s = genius("anac2011-Laptop")
    w = (0.4452125771655631, 0.37808251708013424, 0.1767567099260568)
    codes = [s.issues[k].options.index(v) for k, v in enumerate(("Macintosh", "80 Gb", "23'' LCD"))]
    expected = w[0] * 20 / 30 + w[1] * 20 / 30 + w[2] * 20 / 30
    assert s.problem().utilities(np.asarray(codes))[0] == pytest.approx(expected, abs=1e-15)


def test_step1_genius_caps_additive_utilities_at_one() -> None:
    s = genius("anac2011-Laptop")
    best = np.asarray(
        [s.issues[k].options.index(v) for k, v in enumerate(("HP", "60 Gb", "19'' LCD"))]
    )
    assert s.problem().utilities(best)[0] == pytest.approx(1.0000518041717541)
    arena = Arena(s.problem(), cap=1.0)
    assert arena.utilities(best)[0] == 1.0
    view = arena.view(0, Deadline())
    assert view.utility(best) == 1.0 and view.ranking.best == 1.0
    assert view.utilities(s.space.enumerate()).max() == 1.0
    # the frontier the measures use is capped too
    assert arena.frontier.utilities.max() == 1.0
    assert Arena(s.problem()).frontier.utilities.max() > 1.0


def test_step1_cap_changes_the_bids_where_outcomes_tie_at_one() -> None:
    # JapanTrip: party 1's weights sum to 1.1, six outcomes are worth more than 1. GENIUS ranks
    # them as six ties at 1, in hash order, and its round-1 bid is the bisection's row among them.
    s = genius("anac2016-JapanTrip-SYAgent")
    p = s.problem()
    u = p.utilities(s.space.enumerate())[:, 0]
    assert (u > 1).sum() == 6
    k = int((u >= 1).sum())  # and some worth exactly 1
    capped = rank_outcomes(p, 0, cap=1.0)
    assert capped.utilities[:k].tolist() == [1.0] * k and capped.utilities[k] < 1.0
    assert [tuple(c) for c in capped.codes] == genius_sorted(s, 0, cap=1.0)
    uncapped = rank_outcomes(p, 0)
    assert uncapped.best == pytest.approx(1.1)
    row = capped.near(1.0)
    assert row == capped.search(1.0) and 0 <= row < k
    r = negotiate(s, [agent("boulware")] * 3, deadline=Deadline(rounds=10), cap=1.0)
    assert r.trace[0].outcome == tuple(int(c) for c in capped.codes[row])
    assert r.trace[0].utilities is not None and r.trace[0].utilities[0] == 1.0
    plain = negotiate(s, [agent("boulware")] * 3, deadline=Deadline(rounds=10))
    # uncapped, "near 1" is one of the outcomes worth exactly 1, not a capped one
    assert plain.trace[0].outcome == tuple(int(c) for c in uncapped.codes[uncapped.near(1.0)])
    assert plain.trace[0].outcome != r.trace[0].outcome


def test_cap_is_checked_and_bound_to_the_arena() -> None:
    from zopa.model.errors import ArgumentError

    arena = Arena.of(one_issue((1.0, 0.0), (0.0, 1.0)), cap=1.0)
    assert Arena.of(arena) is arena and Arena.of(arena, cap=1.0) is arena
    with pytest.raises(ArgumentError, match="cap"):
        Arena.of(arena, cap=2.0)
    with pytest.raises(ArgumentError, match="cap"):
        Arena(arena.problem, cap=float("nan"))


# ============================================================ step 2: the sorted outcome space
@pytest.mark.parametrize(
    "name", ["anac2011-Laptop", "anac2010-ItexvsCypress", "anac2011-Car", "genius-IntegerDomain"]
)
def test_step2_ranking_is_genius_order(name: str) -> None:
    s = genius(name)
    for party in range(s.n_parties):
        r = rank_outcomes(s.problem(), party)
        assert [tuple(c) for c in r.codes] == genius_sorted(s, party)


def test_step2_ties_by_hash_of_the_labels() -> None:
    # all three bids worth 0.5: the order is BidDetails.hashCode ascending, not enumeration
    labels = ["zeta", "alpha", "mid"]
    s = one_issue((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
    s = Scenario("h", (Issue.discrete("deal", labels),), s.parties)
    keys = [bid_details_hash([x], 0.5, ["discrete"]) for x in labels]
    assert len(set(keys)) == 3
    r = rank_outcomes(s.problem(), 0)
    assert [int(c[0]) for c in r.codes] == sorted(range(3), key=keys.__getitem__)


def test_step2_equal_hashes_keep_enumeration_order_first_issue_fastest() -> None:
    # "Aa" and "BB" share Java's String.hashCode (2112); integer values all hash 0
    assert java_string_hash("Aa") == java_string_hash("BB") == 2112
    flat = AdditiveUtility((0.5, 0.5), ((0.0, 0.0), (0.0, 0.0)))
    s = Scenario(
        "h",
        (Issue.discrete("x", ["Aa", "BB"]), Issue.discrete("y", ["Aa", "BB"])),
        (Party("A", flat), Party("B", flat)),
    )
    # bid hashes: (Aa,Aa)=(BB,Aa)=... all 4224: stable, GENIUS enumeration (x fastest)
    assert [tuple(c) for c in rank_outcomes(s.problem(), 0).codes] == [
        (0, 0),
        (1, 0),
        (0, 1),
        (1, 1),
    ]
    ints = Scenario(
        "i",
        (Issue.integer("x", 0, 2), Issue.integer("y", 5, 6)),
        (Party("A", flat3()), Party("B", flat3())),
    )
    assert [tuple(c) for c in rank_outcomes(ints.problem(), 0).codes] == [
        (0, 0),
        (1, 0),
        (2, 0),
        (0, 1),
        (1, 1),
        (2, 1),
    ]


def flat3() -> AdditiveUtility:
    return AdditiveUtility((0.5, 0.5), ((0.2, 0.2, 0.2), (0.0, 0.0)))


# ============================================================ step 3: time and target
def test_step3_discrete_timeline_and_target_one_in_round_one() -> None:
    d = Deadline(rounds=9)
    assert [d.time(r) for r in (1, 5, 9)] == [0.1, 0.5, 0.9]
    for e in (0.0, 0.2, 1.0, 2.0):
        assert genius_target(e, 1, 9) == 1.0
    # target = 1 − ((r − 1)/(R + 1))^(1/e)
    assert genius_target(1.0, 5, 9) == pytest.approx(1 - 0.4)
    assert genius_target(2.0, 5, 9) == pytest.approx(1 - 0.4**0.5)
    assert genius_target(0.2, 10, 9) == pytest.approx(1 - 0.9**5)
    s = genius("anac2010-ItexvsCypress")
    r = negotiate(s, [agent("boulware"), agent("conceder")], deadline=Deadline(rounds=9))
    assert all(step.time == step.round / 10 for step in r.trace)
    arena = Arena(s.problem())
    for seat in (0, 1):  # round 1: each party bids its best outcome (target 1)
        assert r.trace[seat].outcome == tuple(int(c) for c in arena.ranking(seat).codes[0])


# ============================================================ step 4: getBidNearUtility
def test_step4_bisection_returns_the_row_it_hits_in_a_block_of_ties() -> None:
    r = Ranking(np.zeros((6, 1), dtype=np.int64), np.array([1.0, 0.5, 0.5, 0.5, 0.5, 0.0]))
    # mid = (0 + 5) // 2 = 2 is worth exactly 0.5: returned at once (not the block's first, 1)
    assert r.search(0.5) == 2 and r.near(0.5) == 2
    # between values the search ends on the last row above the target
    r2 = Ranking(np.zeros((5, 1), dtype=np.int64), np.array([1.0, 0.6, 0.6, 0.6, 0.0]))
    assert r2.search(0.55) == 3 and r2.near(0.55) == 3
    # a tie in distance keeps the higher row; below everything, the last row
    r3 = Ranking(np.zeros((3, 1), dtype=np.int64), np.array([1.0, 0.5, 0.0]))
    assert r3.near(0.75) == 0 and r3.near(-1.0) == 2 and r3.near(2.0) == 0


def test_step4_near_is_a_nearest_row_on_real_rankings() -> None:
    s = genius("anac2011-Car")
    r = rank_outcomes(s.problem(), 0)
    for target in np.linspace(0, 1, 41):
        row = r.near(float(target))
        assert abs(r.utilities[row] - target) == np.abs(r.utilities - target).min()


# ============================================================ step 5: the accept rule
def test_step5_strict_accept_against_the_last_offer_of_any_other_party() -> None:
    # three parties; C (e = 1, R = 3) aims at 0.75 in round 2 and bids o1 (0.7 for C)
    s = one_issue((1.0, 0.7, 0.5, 0.0), (0.0, 0.5, 0.7, 1.0), (0.0, 0.7, 0.7, 1.0))
    arena = Arena(s.problem())
    deadline = Deadline(rounds=3)
    c = TimeDependentParty(e=1.0).start(arena.view(2, deadline), np.random.default_rng(0))
    t2 = deadline.time(2)
    # A offers o1 (0.7 for C), B accepts: the last received offer is A's, worth 0.7 = C's bid:
    # not strictly better, so C offers.
    c.observe(Event(0, 2, t2, Offer((1,))))
    c.observe(Event(1, 2, t2, Accept()))
    assert c.act(Turn(2, t2, (1,), 0)) == Offer((1,))
    # A offers o3 (1.0 for C), B offers o2 (0.7): the last received is B's o2, not A's o3
    c2 = TimeDependentParty(e=1.0).start(arena.view(2, deadline), np.random.default_rng(0))
    c2.observe(Event(0, 2, t2, Offer((3,))))
    c2.observe(Event(1, 2, t2, Offer((2,))))
    assert c2.act(Turn(2, t2, (2,), 1)) == Offer((1,))
    # B offers o3: worth 1 > 0.7, C accepts
    c2.observe(Event(1, 2, t2, Offer((3,))))
    assert c2.act(Turn(2, t2, (3,), 1)) == Accept()


def test_step5_accepts_compare_discounted_utilities() -> None:
    # with d < 1 both sides are discounted by the same d^t: the decision is the same
    s = one_issue((1.0, 0.6, 0.0), (0.0, 0.6, 1.0), d=(0.5, 0.5))
    und = one_issue((1.0, 0.6, 0.0), (0.0, 0.6, 1.0))
    a = negotiate(s, [agent("linear"), agent("conceder")], deadline=Deadline(rounds=6))
    b = negotiate(und, [agent("linear"), agent("conceder")], deadline=Deadline(rounds=6))
    assert [(x.party, x.action, x.outcome) for x in a.trace] == [
        (x.party, x.action, x.outcome) for x in b.trace
    ]
    assert a.discounted == tuple(u * 0.5**a.time for u in a.utilities)


# ============================================================ step 6: SAOP agreement, deadline
def test_step6_agreement_needs_all_n_minus_one_others_in_a_row() -> None:
    s = one_issue((1.0, 0.0), (0.0, 1.0), (0.5, 0.5))
    # A offers o0, B accepts, C counter-offers o1: the count restarts; A and B accept o1.
    r = negotiate(
        s,
        [Script(("offer:0", "accept")), Script(("accept", "accept")), Script(("offer:1",))],
        deadline=Deadline(rounds=5),
    )
    assert [(x.round, x.party, x.action, x.outcome) for x in r.trace] == [
        (1, 0, "offer", (0,)),
        (1, 1, "accept", (0,)),
        (1, 2, "offer", (1,)),
        (2, 0, "accept", (1,)),
        (2, 1, "accept", (1,)),
    ]
    assert r.agreement and r.outcome == (1,) and r.ended_by == "B" and r.rounds == 2
    assert r.time == pytest.approx(2 / 6)
    # two accepts after the proposer make an agreement among three at once
    r2 = negotiate(
        s,
        [Script(("offer:1",)), Script(("accept",)), Script(("accept",))],
        deadline=Deadline(rounds=5),
    )
    assert r2.agreement and r2.rounds == 1 and r2.ended_by == "C" and len(r2.trace) == 3


def test_step6_end_negotiation_and_the_dropped_deadline_round() -> None:
    s = one_issue((1.0, 0.0), (0.0, 1.0), rv=(0.25, 0.5), d=(0.5, 0.8))
    ended = negotiate(s, [Script(("offer:0",)), Script(("end",))], deadline=Deadline(rounds=4))
    assert ended.reason == "end" and ended.ended_by == "B" and not ended.agreement
    assert ended.utilities == (0.25, 0.5) and ended.time == pytest.approx(0.2)
    assert ended.discounted == pytest.approx((0.25 * 0.5**0.2, 0.5 * 0.8**0.2))
    out = negotiate(s, [agent("hardliner"), agent("hardliner")], deadline=Deadline(rounds=4))
    assert out.reason == "deadline" and out.rounds == 4 and len(out.trace) == 8
    assert max(x.time for x in out.trace) == 0.8 and out.time == 1.0
    assert out.discounted == (0.25 * 0.5, 0.5 * 0.8)


# ============================================================ step 7: the analysis
def test_step7_genius_nash_has_no_ir_filter_and_keeps_the_first_maximum() -> None:
    front = [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    # rv (0.6, 0.6): (0.5, 0.5) is irrational for both, yet (−.1)(−.1) is the largest product
    assert genius_nash_point(front, [0.6, 0.6]).tolist() == [0.5, 0.5]
    # equal products: the first row
    assert genius_nash_point([[0.8, 0.2], [0.2, 0.8]], [0.0, 0.0]).tolist() == [0.8, 0.2]


def genius_analysis(
    s: Scenario, agreement: tuple[int, ...] | None, t: float, cap: float | None = None
) -> tuple[float, float, float]:
    """GENIUS's logged MultilateralAnalysis written out from its description: the first 100,000
    bids (first issue fastest), each party's utility discounted to the end time t, the agreement
    point 0 without agreement, the frontier by brute force sorted by party 0 ascending, the Nash
    point the first maximum of Π(u − rv), social welfare Σ discounted (0 without agreement)."""
    p = s.problem()
    sizes = s.sizes
    bids = []
    for index in range(min(int(np.prod(sizes)), 100_000)):
        codes, rest = [], index
        for n in sizes:
            codes.append(rest % n)
            rest //= n
        bids.append(codes)
    u = p.utilities(np.asarray(bids))
    if cap is not None:
        u = np.minimum(u, cap)
    d = p.discounts**t
    u = u * d
    keep = [
        i for i in range(len(u)) if not ((u >= u[i]).all(axis=1) & (u > u[i]).any(axis=1)).any()
    ]
    front = np.unique(u[keep], axis=0)
    front = front[np.argsort(front[:, 0], kind="stable")]
    if agreement is None:
        point = np.zeros(p.n_parties)
    else:
        a = p.utilities(np.asarray(agreement))
        point = (a if cap is None else np.minimum(a, cap)) * d
    products = np.prod(front - p.reservation, axis=1)
    nash = front[int(np.argmax(products))]
    welfare = 0.0 if agreement is None else float(point.sum())
    return (
        float(np.sqrt(((front - point) ** 2).sum(axis=1)).min()),
        float(np.linalg.norm(nash - point)),
        welfare,
    )


@pytest.mark.parametrize(
    ("name", "cap"),
    [
        ("anac2011-Laptop", 1.0),
        ("anac2011-Laptop", None),
        ("anac2016-triangularFight-Atlas3", None),
        ("anac2012-FiftyFiftyA", None),
        ("anac2010-ItexvsCypress", None),
    ],
)
def test_step7_distances_and_welfare_as_genius_logs_them(name: str, cap: float | None) -> None:
    s = genius(name)
    n = s.n_parties
    for agents in ([agent("boulware")] * n, [agent("conceder")] * n, [agent("hardliner")] * n):
        r = negotiate(s, agents, deadline=Deadline(rounds=20), cap=cap)
        to_front, to_nash, welfare = genius_analysis(s, r.outcome, r.time, cap)
        assert r.distance_to_pareto == pytest.approx(to_front, abs=1e-12)
        assert r.distance_to_nash == pytest.approx(to_nash, abs=1e-12)
        assert r.social_welfare == pytest.approx(welfare, abs=1e-12)
        rv = s.problem().reservation
        u = np.asarray(r.utilities)
        expected = u if r.agreement else rv
        assert r.utilities == pytest.approx(tuple(expected))
        assert r.discounted == pytest.approx(tuple(expected * s.problem().discounts ** r.time))


def test_step7_discounting_moves_the_measures() -> None:
    # Laptop (d = 0.424): an agreement at time t is measured among points discounted to t
    s = genius("anac2011-Laptop")
    r = negotiate(s, [agent("conceder"), agent("conceder")], deadline=Deadline(rounds=20))
    assert r.agreement and 0 < r.time < 1
    arena = Arena(s.problem())
    undiscounted = arena.genius_measures(r.utilities, 0.0)
    assert r.distance_to_nash != pytest.approx(undiscounted[1])
    assert r.social_welfare == pytest.approx(sum(r.discounted))


def test_step7_only_the_first_100000_bids_are_analysed() -> None:
    # 1000 x 101 x 2 = 202,000 bids: GENIUS's analysis sees z = 0 and y < 100 only
    a = AdditiveUtility(
        (0.5, 0.25, 0.25), (tuple(np.linspace(0, 1, 1000)), (0.0,) * 101, (0.0, 1.0))
    )
    b = AdditiveUtility(
        (0.5, 0.25, 0.25), (tuple(np.linspace(1, 0, 1000)), (0.0,) * 101, (0.0, 1.0))
    )
    s = Scenario(
        "big",
        (Issue.integer("x", 0, 999), Issue.integer("y", 0, 100), Issue.integer("z", 0, 1)),
        (Party("A", a), Party("B", b)),
    )
    arena = Arena(s.problem())
    analysed = arena.analysed_frontier
    assert analysed.max() == pytest.approx(0.5)  # z = 1 (worth 0.25 more to both) is not seen
    assert arena.frontier.utilities.max() == pytest.approx(0.75)
    assert analysed[:, 0].tolist() == sorted(analysed[:, 0].tolist())


def test_step7_no_agreement_is_measured_from_zero() -> None:
    # triangularFight: rv 0.3 each, d = 0.1. The parties get rv (and rv·d^1 discounted), but
    # GENIUS's analysis puts a failed session at 0 for everyone, with social welfare 0.
    s = genius("anac2016-triangularFight-Atlas3")
    r = negotiate(s, [agent("hardliner")] * 3, deadline=Deadline(rounds=5))
    assert not r.agreement and r.utilities == (0.3, 0.3, 0.3) and r.time == 1.0
    assert r.discounted == pytest.approx((0.03, 0.03, 0.03))
    assert r.social_welfare == 0.0
    front = Arena(s.problem()).analysed_frontier * 0.1
    assert r.distance_to_pareto == pytest.approx(float(np.linalg.norm(front, axis=1).min()))
    nash = genius_nash_point(front, [0.3, 0.3, 0.3])
    assert r.distance_to_nash == pytest.approx(float(np.linalg.norm(nash)))


def test_step7_first_maximum_in_geniuss_frontier_order() -> None:
    # GENIUS sorts its frontier by party 0 ascending: of the tied (0.7, 0.4) and (0.4, 0.7) the
    # Nash point is (0.4, 0.7)
    s = one_issue((1.0, 0.7, 0.4, 0.0), (0.0, 0.4, 0.7, 1.0))
    arena = Arena(s.problem())
    assert arena.analysed_frontier.tolist() == [[0.0, 1.0], [0.4, 0.7], [0.7, 0.4], [1.0, 0.0]]
    r = negotiate(s, [Script(("offer:1",)), Script(("accept",))], deadline=Deadline(rounds=3))
    assert r.outcome == (1,) and r.distance_to_nash == pytest.approx(np.hypot(0.3, 0.3))
