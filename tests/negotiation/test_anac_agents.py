"""The ANAC agents (HardHeaded, Agent K, Nice Tit-for-Tat): each formula checked by hand, each
rule played on a toy, and full negotiations against GENIUS's time-dependent parties on the
ANAC 2011 scenarios."""

from __future__ import annotations

import math
import pickle
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest

from conftest import DOMAINS
from zopa.io import load_scenario
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import (
    Accept,
    Action,
    Arena,
    Deadline,
    Event,
    Mind,
    Negotiator,
    Offer,
    PartyView,
    Turn,
    negotiate,
)
from zopa.negotiation.agents import AGENTS, AgentK, HardHeaded, NiceTitForTat, agent
from zopa.negotiation.agents.agent_k import (
    acceptance_probability,
    agent_k_target,
    estimated_maximum,
)
from zopa.negotiation.agents.hardheaded import concession_limit
from zopa.negotiation.agents.nice_tit_for_tat import nice_target

ANAC = ["hardheaded", "agent-k", "nice-tit-for-tat"]


@dataclass(frozen=True)
class Script(Negotiator):
    """Offers the given outcomes in turn (the last one again when they run out), never accepts."""

    offers: tuple[tuple[int, ...], ...] = ((0,),)

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _ScriptMind(self.offers)


class _ScriptMind(Mind):
    def __init__(self, offers: Sequence[tuple[int, ...]]) -> None:
        self.offers = list(offers)
        self.k = 0

    def act(self, turn: Turn) -> Action:
        o = self.offers[min(self.k, len(self.offers) - 1)]
        self.k += 1
        return Offer(o)


def toy() -> Scenario:
    """Two issues; A's utilities: (0,0) 1, (1,0) .988, (0,1) .984, (1,1) .972, (2,0) .4, (2,1) .384."""
    x = Issue.discrete("x", ["x0", "x1", "x2"])
    y = Issue.discrete("y", ["y0", "y1"])
    a = Party("A", AdditiveUtility((0.6, 0.4), ((1.0, 0.98, 0.0), (1.0, 0.96))))
    b = Party("B", AdditiveUtility((0.5, 0.5), ((0.0, 0.5, 1.0), (0.0, 1.0))))
    return Scenario("toy", (x, y), (b, a))  # B opens, A (seat 1) answers


def line(values: Sequence[float]) -> Scenario:
    """One issue; party A (seat 1) values option k at values[k]."""
    issue = Issue.discrete("deal", [f"o{k}" for k in range(len(values))])
    a = Party("A", AdditiveUtility((1.0,), (tuple(values),)))
    b = Party("B", AdditiveUtility((1.0,), (tuple(reversed(values)),)))
    return Scenario("line", (issue,), (b, a))


def view_of(s: Scenario, rounds: int = 100) -> PartyView:
    return Arena.of(s).view(1, Deadline(rounds=rounds))


def hear(mind: Mind, outcome: tuple[int, ...], round_: int, time: float) -> Turn:
    """The opponent (seat 0) offers ``outcome``; the turn this gives seat 1."""
    mind.observe(Event(0, round_, time, Offer(outcome)))
    return Turn(round=round_, time=time, offer=outcome, proposer=0)


# ------------------------------------------------------------------------------- registry


def test_registered_names_build_the_agents() -> None:
    assert agent("hardheaded") == HardHeaded()
    assert agent("agent-k") == AgentK()
    assert agent("nice-tit-for-tat") == NiceTitForTat()
    for name in ANAC:
        a = agent(name)
        assert name in AGENTS and a.name == name
        assert type(a)(**a.params()) == a
        assert pickle.loads(pickle.dumps(a)) == a


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: HardHeaded(candidates=0), "candidates"),
        (lambda: HardHeaded(minimum=1.5), "minimum"),
        (lambda: AgentK(tremor=-1.0), "tremor"),
        (lambda: AgentK(samples=0), "samples"),
        (lambda: NiceTitForTat(first_offers=0), "first_offers"),
        (lambda: NiceTitForTat(accept_after=2.0), "accept_after"),
    ],
)
def test_bad_parameters_are_refused(make: object, field: str) -> None:
    with pytest.raises(ArgumentError, match=field):
        make()  # type: ignore[operator]


# ------------------------------------------------------------------------------- HardHeaded


def test_concession_limit_in_each_discount_case() -> None:
    ka, lo = 0.05, 0.585  # e = 0.05: exponent 1/e = 20
    # d ≥ 0.9 (here none, d = 1): F = Ka + (1 − Ka)·t^20, p = min + (1 − F)·(max − min).
    f = ka + (1 - ka) * 0.5**20
    assert concession_limit(0.5) == pytest.approx(lo + (1 - f) * 0.415)
    assert concession_limit(0.5) == pytest.approx(0.9792496)
    # d = 0.95 ≥ 0.9, best 0.9: F = Ka + (1 − Ka)·(t/d)^20, p = min + (1 − F)·(0.9 − min).
    f = ka + (1 - ka) * (0.5 / 0.95) ** 20
    assert concession_limit(0.5, 0.95, best=0.9) == pytest.approx(lo + (1 - f) * (0.9 - lo))
    # d = 0.5, t = 0.25 ≤ d: e' = e/d = 0.1, min' = 0.585 + 0.415·0.5 = 0.7925,
    # F = 0.05 + 0.95·0.5^10 = 0.0509277, p = 0.7925 + 0.9490723·0.2075 = 0.9894325.
    assert concession_limit(0.25, 0.5) == pytest.approx(0.98943250, abs=1e-8)
    # d = 0.5, t = 0.75 > d: e' = 30, max' = 0.7925, F = 0.05 + 0.95·0.5^(1/30) = 0.9783018,
    # p = 0.585 + 0.0216982·0.2075 = 0.5895024.
    assert concession_limit(0.75, 0.5) == pytest.approx(0.5895024, abs=1e-7)
    assert concession_limit(0.75, 0.5) == pytest.approx(
        lo + (1 - (ka + (1 - ka) * 0.5 ** (1 / 30))) * (0.7925 - lo)
    )


def test_hardheaded_walk_model_choice_and_acceptance_by_hand() -> None:
    # R = 100, so p(t) stays 0.97925 (t^20 is negligible for t < 0.05).
    # r1: B offers (2,1) (.384 to A); A opens with its best (0,0).
    # r2: B offers (2,1) again. The model saw two bids: both issues unchanged, weights stay .5,
    #     counts x (1,1,2), y (1,2). The walk takes row 1 (.988) and every row within .01 of it
    #     above p: (1,0) .988 and (0,1) .984. The model rates (0,1) at .5·.5 + .5·1 = .75 and
    #     (1,0) at .5, so A offers (0,1) first ...
    # r3: ... and (1,0) next. Its lowest offer so far is .984.
    # r4: B offers (1,0), worth .988 > .984 to A: AC_HardHeaded accepts.
    s = toy()
    script = Script(((2, 1), (2, 1), (2, 1), (1, 0)))
    r = negotiate(s, [script, HardHeaded()], deadline=Deadline(rounds=100))
    assert [(st.round, st.party, st.action, st.outcome) for st in r.trace] == [
        (1, 0, "offer", (2, 1)),
        (1, 1, "offer", (0, 0)),
        (2, 0, "offer", (2, 1)),
        (2, 1, "offer", (0, 1)),
        (3, 0, "offer", (2, 1)),
        (3, 1, "offer", (1, 0)),
        (4, 0, "offer", (1, 0)),
        (4, 1, "accept", (1, 0)),
    ]
    assert r.agreement and r.utilities[1] == pytest.approx(0.988)


def test_hardheaded_reoffers_an_earlier_bid_when_the_next_row_is_below_the_limit() -> None:
    s = toy()
    script = Script(((2, 1),))
    r = negotiate(s, [script, HardHeaded()], deadline=Deadline(rounds=30), seed=3)
    mine = [st.outcome for st in r.trace if st.party == 1]
    assert mine[:3] == [(0, 0), (0, 1), (1, 0)]
    # In rounds 4..15 (t ≤ 15/31, p = 0.97925) the next row, (1,1) at .972, is below p: earlier
    # bids come back, drawn at random.
    assert len(set(mine[3:15])) > 1 and set(mine[3:15]) <= {(0, 0), (0, 1), (1, 0)}
    # Near the deadline p falls below .972 and the walk goes on.
    assert (1, 1) in mine[15:]
    assert r.reason == "deadline"


def test_hardheaded_offers_the_opponents_best_when_it_beats_the_queue() -> None:
    mind = HardHeaded().start(view_of(toy()), np.random.default_rng(0))
    assert mind.act(hear(mind, (0, 1), 1, 0.01)) == Offer((0, 0))  # .984 < its best bid
    # Late, p(.97) = 0.7649: the walk collects (1,0), (0,1) [model: (0,1) first] ...
    assert mind.act(hear(mind, (2, 1), 2, 0.97)) == Offer((0, 1))
    assert mind.act(hear(mind, (2, 1), 3, 0.975)) == Offer((1, 0))
    # ... then (1,1) alone (.972). The opponent's best, (0,1) at .984, beats it: offered first,
    # and again while it beats the queue's head.
    assert mind.act(hear(mind, (2, 1), 4, 0.98)) == Offer((0, 1))
    assert mind.act(hear(mind, (2, 1), 5, 0.985)) == Offer((0, 1))
    # An offer worth more than its lowest offer (.984) is accepted.
    assert mind.act(hear(mind, (1, 0), 6, 0.99)) == Accept()


# ------------------------------------------------------------------------------- Agent K


def test_agent_k_target_on_given_statistics() -> None:
    # μ = .5, σ² = .01: d = √.12 = .3464102, E_max = .5 + .5·d = .6732051; τ = 2:
    # α = 1 + 2 + 5 − 2 = 6.
    emax, d = estimated_maximum(0.5, 0.01)
    assert d == pytest.approx(math.sqrt(0.12)) and emax == pytest.approx(0.6732051)
    tau, mu = 2.0, 0.5
    alpha = 1 + tau + 10 * mu - 2 * tau * mu
    assert alpha == 6.0
    # t = .5: pre = 1 − .5^6·(1 − .6732051) = .9948938; ratio = min(2, .4464102/.0051062) = 2;
    # target = 2·.9948938 − 1 = .9897876; r = .3165825, m = 400 − 300·.125 = 362.5,
    # f = min(1/r², m) = 9.977747, target − r·f/m = .9897876 − .0087138 = .9810739.
    pre = 1 - 0.5**6 * (1 - emax)
    target = 2 * pre - 1
    r = target - emax
    assert agent_k_target(0.5, 0.5, 0.01, alpha) == pytest.approx(target - r * (1 / r**2) / 362.5)
    assert agent_k_target(0.5, 0.5, 0.01, alpha) == pytest.approx(0.9810739, abs=1e-7)
    # t = .87: t^6 = .4336, ratio 2, target = .7166, r = .0434 < 1/√m: f = m, the pull is the
    # whole gap and the target is E_max.
    assert agent_k_target(0.87, 0.5, 0.01, alpha) == pytest.approx(emax)
    # t = .95: ratio = .4464102/(.7350919·.3267949) = 1.8583, target = .5536 ≤ E_max: E_max.
    assert agent_k_target(0.95, 0.5, 0.01, alpha) == pytest.approx(emax)


def test_agent_k_acceptance_probability() -> None:
    # p = t^α/5 + (x − E_max) + (x − target), 0 below 0.1.
    assert acceptance_probability(0.5, 0.9, 0.7, 0.85, 6.0) == pytest.approx(
        0.5**6 / 5 + 0.2 + 0.05
    )
    assert acceptance_probability(0.5, 0.72, 0.7, 0.75, 6.0) == 0.0  # p = .0031 + .02 − .03


def test_agent_k_running_statistics_and_reoffer() -> None:
    mind = AgentK().start(view_of(line([1.0, 0.9, 0.5, 0.0])), np.random.default_rng(5))
    assert mind.act(Turn(1, 0.01, None, None)) == Offer((0,))  # no offer heard yet: its best
    mind.observe(Event(0, 1, 0.01, Offer((0,))))  # worth 1.0
    turn = hear(mind, (1,), 2, 0.5)  # worth 0.9
    assert mind.mean == pytest.approx(0.95)  # type: ignore[attr-defined]
    assert mind.variance == pytest.approx(0.0025)  # type: ignore[attr-defined]
    # E_max = .95 + .05·√.03 = .9587; any target is below 1, so the bid worth 1.0 that the
    # opponent offered is offered back; the table's .9 has p < .1 and is refused.
    assert mind.act(turn) == Offer((0,))


def test_agent_k_samples_and_lowers_its_target() -> None:
    mind = AgentK().start(view_of(line([1.0, 0.9, 0.5, 0.0])), np.random.default_rng(0))
    assert mind.bid(0.95) == (0,)  # type: ignore[attr-defined]
    # A target of 1.025 fails three blocks of 500 draws (1.025, 1.015, 1.005) before 0.995.
    assert mind.bid(1.025) == (0,)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------- Nice TFT


def test_nice_target_cases() -> None:
    # Concession .2 of a gap .4 to Nash (.6): factor .5, target 1 − .5·.4 = .8.
    assert nice_target(0.6, 0.2, 0.4, 0.5) == pytest.approx(0.8)
    # Concession beyond the gap: factor 1, target = Nash.
    assert nice_target(0.6, 0.2, 0.9, 0.5) == pytest.approx(0.6)
    # Opponent opened above our Nash estimate: no positive ratio, factor 0, target 1.
    assert nice_target(0.6, 0.7, 0.8, 0.5) == 1.0
    # Time bonus at t = .95: .5·(.05/.1) = .25 of the remaining gap .2: .8 − .05.
    assert nice_target(0.6, 0.2, 0.4, 0.95) == pytest.approx(0.75)
    assert nice_target(0.6, 0.2, 0.4, 1.0) == pytest.approx(0.7)


def test_nice_tit_for_tat_picks_the_best_bid_for_the_opponent_at_its_target() -> None:
    mind = NiceTitForTat(window=0.02).start(view_of(toy()), np.random.default_rng(0))
    assert mind.act(hear(mind, (2, 1), 1, 0.01)) == Offer((0, 0))  # target 1 at first
    mind.act(hear(mind, (1, 1), 2, 0.02))  # the opponent concedes from .384 to .972 for A
    bid, mine = mind.bid(0.03)  # type: ignore[attr-defined]
    nash = mind.nash()  # type: ignore[attr-defined]
    target = nice_target(nash, 0.384, 0.972, 0.03)
    ranking = view_of(toy()).ranking
    band = (ranking.utilities >= target) & (ranking.utilities < target + 0.02)
    assert band.sum() >= 2  # a real choice among bids at the target
    predicted = mind.model.utility(ranking.codes[band])  # type: ignore[attr-defined]
    assert bid == tuple(ranking.codes[band][int(np.argmax(predicted))])
    assert target <= mine < target + 0.02


def test_nice_tit_for_tat_accepts_the_best_of_the_window_after_098() -> None:
    mind = NiceTitForTat().start(view_of(toy()), np.random.default_rng(0))
    mind.act(hear(mind, (2, 1), 1, 0.5))
    mind.act(hear(mind, (1, 1), 2, 0.9))  # worth .972, before the window [t − (1 − t), t]
    mind.act(hear(mind, (2, 0), 3, 0.975))  # worth .4, inside it at t = .99
    assert isinstance(mind.act(hear(mind, (2, 1), 4, 0.97)), Offer)  # before .98: no
    # At t = .99 the window is [.98, .99]: only (2,1) at .99 itself is in it, so it is the best.
    assert mind.act(hear(mind, (2, 1), 5, 0.99)) == Accept()


# ------------------------------------------------------------------------------- full play

FOLDERS = [
    "anac2011-Amsterdam",
    "anac2011-Camera",
    "anac2011-Car",
    "anac2011-Grocery",
    "anac2011-IS_BT_Acquisition",
    "anac2011-Laptop",
    "anac2011-NiceOrDie",
]


@cache
def arena(folder: str) -> Arena:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GENIUS's utility cap on Laptop
        return Arena.of(load_scenario(DOMAINS / folder))


@pytest.mark.parametrize("folder", FOLDERS)
@pytest.mark.parametrize("name", ANAC)
def test_full_negotiations_against_genius_parties(folder: str, name: str) -> None:
    a = arena(folder)
    sizes = a.problem.space.sizes
    for other in ("boulware", "conceder"):
        for seats in ((name, other), (other, name)):
            agents = [agent(x) for x in seats]
            r = negotiate(a, agents, deadline=Deadline(rounds=180), seed=7)
            assert r.agreement and r.reason == "agreement", (seats, r.reason, r.detail)
            for st in r.trace:
                assert st.outcome is not None
                assert all(0 <= c < n for c, n in zip(st.outcome, sizes, strict=True))
            again = negotiate(a, [agent(x) for x in seats], deadline=Deadline(rounds=180), seed=7)
            assert again == r
            assert pickle.loads(pickle.dumps(r)) == r


def test_agent_k_play_depends_on_the_seed() -> None:
    a = arena("anac2011-Car")
    plays = {negotiate(a, [AgentK(), agent("boulware")], seed=s).trace for s in range(4)}
    assert len(plays) > 1


@pytest.mark.parametrize("name", ANAC)
def test_anac_agents_play_each_other(name: str) -> None:
    a = arena("anac2011-Grocery")
    for other in ANAC:
        r = negotiate(a, [agent(name), agent(other)], deadline=Deadline(rounds=180), seed=1)
        assert r.reason in ("agreement", "deadline"), r.detail
