"""Built-in agents: tit-for-tat in utility space, random, the registry and its specs, and the
conformance check on every agent in AGENTS."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from boa_helpers import Script, history, line, steps, turn, view_of
from hypothesis import given
from hypothesis import strategies as st

from zopa.model.errors import ArgumentError
from zopa.negotiation import Deadline, Negotiator, negotiate
from zopa.negotiation.agents import (
    AGENTS,
    AbsoluteTitForTat,
    RandomBidding,
    RelativeTitForTat,
    TimeDependentOffering,
    TimeDependentParty,
    agent,
    bidding,
)
from zopa.negotiation.boa import BiddingStrategy, BOAAgent
from zopa.negotiation.spec import parse_spec, split_specs
from zopa.testing import check_negotiator, check_scenarios

SIX = (1.0, 0.8, 0.6, 0.4, 0.2, 0.0)
CODE = {u: k for k, u in enumerate(SIX)}  # A's utility -> option code


# ------------------------------------------------------------------------------ tit-for-tat
def tft_bids(
    strategy: BiddingStrategy, received: list[float], reservation: float | None = None
) -> list[float]:
    """A's bid (its own utility) after each prefix of the opponent's offers (A's utilities)."""
    view = view_of(line(SIX, reservation=reservation))
    bidder = strategy.start(view, np.random.default_rng(0))
    out = []
    for m in range(len(received) + 1):
        h = history(view, [(0.1 * (k + 1), CODE[u]) for k, u in enumerate(received[:m])])
        out.append(SIX[bidder.bid(turn(m + 1, 9), h, None)[0]])
    return out


def test_relative_and_absolute_tit_for_tat_by_hand() -> None:
    offers = [0.6, 0.8, 0.8, 0.4]
    # Relative (opponent's utility read as 1 − o): p = 1·(1 − .8)/(1 − .6) = .5 -> bid .6;
    # then unchanged (.8 to .8); then the opponent retracts to .4: p = .5·.6/.2 = 1.5 -> 1.
    assert tft_bids(RelativeTitForTat(), offers) == [1.0, 1.0, 0.6, 0.6, 1.0]
    # Absolute: p = 1 − (.8 − .6) = .8 -> .8; unchanged; p = .8 + .4 -> 1.
    assert tft_bids(AbsoluteTitForTat(), offers) == [1.0, 1.0, 0.8, 0.8, 1.0]
    # δ = 2 compares the offers two back: .6 -> .8 in the third offer's turn.
    assert tft_bids(RelativeTitForTat(delta=2), offers) == [1.0, 1.0, 1.0, 0.6, 0.6]
    # Kindness .1: p = .7, and the bid is the worst outcome still worth >= p: .8.
    assert tft_bids(AbsoluteTitForTat(kindness=0.1), offers[:2]) == [1.0, 1.0, 0.8]
    assert tft_bids(AbsoluteTitForTat(kindness=0.25), offers[:2]) == [1.0, 1.0, 0.6]
    # The naive TFT is absolute TFT with δ = 1.
    assert agent("tit-for-tat-naive(kindness=0.1)") == agent("tit-for-tat-absolute(kindness=0.1)")


def test_tit_for_tat_stops_at_the_reservation_value() -> None:
    # a = 0, b = .8: relative p = .2, clamped to rv .5: bid .6.
    assert tft_bids(RelativeTitForTat(), [0.0, 0.8], reservation=0.5) == [1.0, 1.0, 0.6]
    assert tft_bids(AbsoluteTitForTat(), [0.0, 0.8], reservation=0.5) == [1.0, 1.0, 0.6]
    assert tft_bids(AbsoluteTitForTat(), [0.0, 0.8]) == [1.0, 1.0, 0.2]


def test_tit_for_tat_moves_once_per_new_offer() -> None:
    view = view_of(line(SIX))
    bidder = AbsoluteTitForTat().start(view, np.random.default_rng(0))
    h = history(view, [(0.1, CODE[0.6]), (0.2, CODE[0.8])])
    assert [bidder.bid(turn(3, 9), h, None) for _ in range(3)] == [(1,)] * 3


def test_noisy_absolute_tit_for_tat_is_seeded() -> None:
    view = view_of(line(SIX))
    h = history(view, [(0.1, CODE[0.6]), (0.2, CODE[0.8])])
    strategy = AbsoluteTitForTat(noise=0.3)  # p = .8 − U(0, .3): bid .8 or .6

    def first(seed: int) -> tuple[int, ...]:
        return strategy.start(view, np.random.default_rng(seed)).bid(turn(3, 9), h, None)

    drawn = {first(seed) for seed in range(20)}
    assert drawn == {(1,), (2,)} and first(5) == first(5)


def test_tit_for_tat_session() -> None:
    # B offers A .2, then .6: A (relative) bids 1, 1, then p = 1·.4/.8 = .5 -> .6, and with
    # B's .6 on the table AC_next (x >= y) accepts.
    r = negotiate(line(SIX), [agent("tit-for-tat"), Script((4, 2))], deadline=Deadline(rounds=4))
    assert steps(r) == [
        (1, 0, "offer", (0,)),
        (1, 1, "offer", (4,)),
        (2, 0, "offer", (0,)),
        (2, 1, "offer", (2,)),
        (3, 0, "accept", (2,)),
    ]


# ------------------------------------------------------------------------------ random
def test_random_offers_are_uniform_and_seeded() -> None:
    two, _ = check_scenarios()
    view = view_of(two)
    bidder = RandomBidding().start(view, np.random.default_rng(7))
    counts = Counter(bidder.bid(turn(1, 9), None, None) for _ in range(6000))  # type: ignore[arg-type]
    assert len(counts) == 12 and all(400 < c < 600 for c in counts.values())
    a = [agent("random"), agent("boulware")]
    assert negotiate(two, a, seed=4) == negotiate(two, a, seed=4)
    assert steps(negotiate(two, a, seed=4)) != steps(negotiate(two, a, seed=5))


# ------------------------------------------------------------------------------ specs
def test_specs() -> None:
    assert agent("Time_Dependent(E=0.5)") == agent("time-dependent(e=0.5)")
    assert agent("time-dependent(e=2, k=0.1)") == BOAAgent(
        bidding=TimeDependentOffering(e=2, k=0.1)
    )
    assert agent("time-dependent-party(e=0.5)") == TimeDependentParty(e=0.5)
    assert TimeDependentParty(e=0.5).name == "time-dependent-party(e=0.5)"
    assert agent("boa()") == agent("time-dependent") == agent("boa")
    assert agent("boa(bidding=random, model=none)") == agent("random")
    assert bidding("tit-for-tat(delta=2)") == RelativeTitForTat(delta=2)
    assert parse_spec("a(b=c(d=1e-3), x=true)").args["b"].args == {"d": 0.001}
    assert split_specs("boulware") == ["boulware"]
    assert split_specs("a(b=c(d=1,e=2),f=3), g") == ["a(b=c(d=1,e=2),f=3)", "g"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", 'agent: expected a name, got ""'),
        ("boulware(e=1)", 'agent boulware: unknown parameter "e" (parameters: none)'),
        ("time-dependent(e=1", 'agent: expected "," or ")" at position 18 of "time-dependent(e=1"'),
        ("time-dependent(e=1,e=2)", 'agent: parameter "e" given twice at position 19'),
        ("time-dependent(e=linear)", "agent time-dependent: e: expected a number, got linear"),
        ("time-dependent e=1", "agent: unexpected 'e' at position 15"),
        ("__import__('os')", "agent: unexpected '_' at position 0"),
        ("tit-for-tat(delta=0.5)", "delta: expected an integer >= 1, got 0.5"),
        ("boa(bidding=boulware)", "bidding: expected one of time-dependent, "),
        ("boa(model=nobody)", 'model: expected one of frequency, bayesian, got "nobody"'),
    ],
)
def test_bad_specs(spec: str, message: str) -> None:
    with pytest.raises(ArgumentError) as info:
        agent(spec)
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


@given(st.text(max_size=40))
def test_any_text_is_an_agent_or_an_argument_error(text: str) -> None:
    try:
        a = agent(text)
    except ArgumentError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(a, Negotiator)


# ------------------------------------------------------------------------------ conformance
@pytest.mark.parametrize("name", sorted(AGENTS))
def test_every_built_in_agent_conforms(name: str) -> None:
    check_negotiator(AGENTS[name]())


@pytest.mark.parametrize(
    "spec",
    [
        "boa(bidding=tit-for-tat-absolute(noise=0.2), acceptance=ac-combi-max-w(T=0.5))",
        "boa(bidding=random, acceptance=ac-time(T=0.3), model=frequency)",
        "boa(bidding=time-dependent(e=0.2), acceptance=ac-prev, model=frequency)",
        "boa(bidding=time-dependent(e=0.5), model=bayesian)",
        "boa(bidding=tit-for-tat(delta=2), acceptance=ac-const(c=0.5))",
        "boa(bidding=time-dependent(k=0.2), acceptance=ac-combi(alpha=0.9, beta=0.05, T=0.8))",
    ],
)
def test_compositions_conform(spec: str) -> None:
    check_negotiator(agent(spec))
