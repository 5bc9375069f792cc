"""Acceptance conditions (Baarslag, Hindriks & Jonker 2014; reference section 5.8), decision by
decision and in hand-checked sessions."""

from __future__ import annotations

import pickle

import pytest
from boa_helpers import Script, line, steps
from hypothesis import given
from hypothesis import strategies as st

from zopa.model.errors import ArgumentError
from zopa.negotiation import Deadline, negotiate
from zopa.negotiation.acceptance import (
    ACCEPTANCE,
    AcceptanceCondition,
    ACCombi,
    ACCombiMaxW,
    ACConst,
    ACNext,
    ACPrev,
    ACTime,
    Decision,
)
from zopa.negotiation.agents import TimeDependentOffering, agent
from zopa.negotiation.boa import Bid, BOAAgent, History

FIVE = (1.0, 0.75, 0.5, 0.25, 0.0)


def d(x: float, y: float, t: float = 0.5, x_prev: float | None = None) -> Decision:
    return Decision(time=t, x=x, y=y, x_prev=x_prev, history=None)


@pytest.mark.parametrize(
    ("condition", "decision", "accepts"),
    [
        (ACNext(), d(0.5, 0.5), True),  # x >= y: equality accepts
        (ACNext(), d(0.49, 0.5), False),
        (ACNext(alpha=1.1), d(0.5, 0.55), True),  # 0.55 >= 0.55
        (ACNext(beta=-0.1), d(0.5, 0.45), False),
        (ACPrev(), d(0.6, 0.9, x_prev=0.6), True),  # compares with the previous bid, not y
        (ACPrev(), d(0.6, 0.1, x_prev=0.7), False),
        (ACPrev(), d(1.0, 0.0, x_prev=None), False),  # no previous bid: reject
        (ACConst(c=0.5), d(0.5, 0.0), False),  # strict
        (ACConst(c=0.5), d(0.51, 1.0), True),
        (ACConst(), d(0.9, 0.0), False),  # default c = 0.9
        (ACTime(T=0.5), d(0.0, 1.0, t=0.5), False),  # strict
        (ACTime(T=0.5), d(0.0, 1.0, t=0.51), True),
        (ACTime(), d(0.0, 1.0, t=0.99), False),  # default T = 0.99
        (ACCombi(T=0.5), d(0.0, 1.0, t=0.5), True),  # t >= T: inclusive
        (ACCombi(T=0.5), d(0.0, 1.0, t=0.49), False),
        (ACCombi(alpha=2.0, beta=0.0, T=1.0), d(0.3, 0.6, t=0.1), True),
        (ACCombiMaxW(T=0.5), d(0.7, 0.7, t=0.1), True),  # x >= y
        (ACCombiMaxW(T=0.5), d(0.6, 0.7, t=0.4), False),  # t < T
    ],
)
def test_each_condition_by_hand(
    condition: AcceptanceCondition, decision: Decision, accepts: bool
) -> None:
    assert condition.accepts(decision) is accepts


def test_max_in_window_by_hand() -> None:
    # Offers received (time, own utility): best .9 early, then .6, .5, .55.
    h = History()
    for k, (t, u) in enumerate([(0.1, 0.9), (0.5, 0.6), (0.7, 0.5), (0.8, 0.55)]):
        h.received.append(Bid(k + 1, t, 1, (k,), u))
    ac = ACCombiMaxW(T=0.75)
    # t = 0.8: window [0.6, 0.8] holds .5 and .55: x = .55 is the best there -> accept.
    assert ac.accepts(Decision(time=0.8, x=0.55, y=0.9, x_prev=None, history=h))
    # t = 0.75: window [0.5, 0.75] holds .6 and .5 (not yet .55): .55 < .6 -> reject.
    h2 = History(received=h.received[:3])
    assert not ac.accepts(Decision(time=0.75, x=0.5, y=0.9, x_prev=None, history=h2))
    # t = 0.7 < T: reject whatever the window.
    assert not ac.accepts(Decision(time=0.7, x=0.5, y=0.9, x_prev=None, history=h2))


# ------------------------------------------------------------------------------ sessions
# A = BOA(time-dependent e = 1 from its worst utility 0, condition), over FIVE with R = 3:
# t = 1/4, 2/4, 3/4, targets 1 − t = .75, .5, .25: A bids o1, o2, o3 (exact matches).
# B is a script; A decides on B's previous-round offer in rounds 2 and 3.
def play(condition: AcceptanceCondition, script: tuple[int, ...], rounds: int = 3) -> list:  # type: ignore[type-arg]
    a = BOAAgent(bidding=TimeDependentOffering(e=1.0, reservation=False), acceptance=condition)
    r = negotiate(line(FIVE), [a, Script(script)], deadline=Deadline(rounds=rounds))
    return steps(r)


def test_ac_next_session() -> None:
    # r2: x = u(o4) = 0 < y = .5; r3: x = u(o3) = .25 >= y = .25 (equality) -> accept o3.
    assert play(ACNext(), (4, 3)) == [
        (1, 0, "offer", (1,)),
        (1, 1, "offer", (4,)),
        (2, 0, "offer", (2,)),
        (2, 1, "offer", (3,)),
        (3, 0, "accept", (3,)),
    ]


def test_ac_prev_session() -> None:
    # r3: x = u(o3) = .25 < x_prev = .5 (A's round-2 bid): no deal; with o2 (.5 >= .5) a deal.
    assert play(ACPrev(), (4, 3))[-1] == (3, 1, "offer", (3,))
    assert play(ACPrev(), (4, 2))[-1] == (3, 0, "accept", (2,))


def test_ac_const_session() -> None:
    assert play(ACConst(c=0.5), (4, 2))[-1] == (3, 1, "offer", (2,))  # .5 > .5 is false
    assert play(ACConst(c=0.4), (4, 2))[-1] == (3, 0, "accept", (2,))


def test_ac_time_session() -> None:
    # t = .5 is not > .5; at t = .75 A accepts B's worst-for-A offer o4.
    out = play(ACTime(T=0.5), (4, 4))
    assert out[-1] == (3, 0, "accept", (4,)) and len(out) == 5


def test_ac_combi_session() -> None:
    # AC_next fails (0 < .5) but t = .5 >= T = .5: accept in round 2.
    assert play(ACCombi(T=0.5), (4, 4))[-1] == (2, 0, "accept", (4,))


def test_ac_combi_max_w_session() -> None:
    # A is a hardliner (e = 0 bids o0, y = 1), R = 4 (t = .2 .. .8), T = .5;
    # B offers o1 (.75), o2 (.5), o2 (.5).
    # r2 t=.4 < T: reject. r3 t=.6: x = .5, window [.2, .6] holds .75: reject.
    # r4 t=.8: x = .5, window [.6, .8] holds only .5: accept o2.
    a = BOAAgent(bidding=TimeDependentOffering(e=0.0), acceptance=ACCombiMaxW(T=0.5))
    r = negotiate(line(FIVE), [a, Script((1, 2, 2))], deadline=Deadline(rounds=4))
    assert [s for s in steps(r) if s[1] == 0] == [
        (1, 0, "offer", (0,)),
        (2, 0, "offer", (0,)),
        (3, 0, "offer", (0,)),
        (4, 0, "accept", (2,)),
    ]
    assert r.utilities == (0.5, 0.5)


# ------------------------------------------------------------------------------ properties
@given(st.sampled_from(sorted(ACCEPTANCE)), st.floats(0, 1), st.floats(-1, 1))
def test_specs_round_trip(name: str, t: float, b: float) -> None:
    cls = ACCEPTANCE[name]
    args = {k: v for k, v in {"T": t, "beta": b}.items() if k in cls.__dataclass_fields__}
    ac = cls(**args)
    a = BOAAgent(bidding=TimeDependentOffering(), acceptance=ac)
    assert agent(a.name) == a
    assert pickle.loads(pickle.dumps(ac)) == ac


def test_bad_parameters() -> None:
    with pytest.raises(ArgumentError, match=r"^T: expected a number in \[0, 1\], got 2$"):
        ACTime(T=2)
    with pytest.raises(ArgumentError, match=r"^alpha: expected a finite number, got 'x'$"):
        ACNext(alpha="x")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"^beta: expected a finite number, got True$"):
        ACPrev(beta=True)
    with pytest.raises(ArgumentError, match='unknown parameter "c"'):
        agent("boa(acceptance=ac-next(c=1))")
    with pytest.raises(
        ArgumentError, match=r'^acceptance: expected one of ac-next, .*got "ac-nope"'
    ):
        agent("boa(acceptance=ac-nope)")


def test_discounted_variants_by_hand() -> None:
    from zopa.model import AdditiveUtility, Issue, Party, Scenario
    from zopa.negotiation.session import Arena

    issue = Issue.discrete("deal", ["o0", "o1"])
    a = Party("A", AdditiveUtility((1.0,), ((1.0, 0.0),)), discount=0.25)
    b = Party("B", AdditiveUtility((1.0,), ((0.0, 1.0),)))
    view = Arena.of(Scenario("d", (issue,), (a, b))).view(0, Deadline(rounds=3))
    # t = .5: d^t = .5.
    dec = Decision(time=0.5, x=0.4, y=0.6, x_prev=0.6, history=None, view=view)
    assert dec.factor == 0.5
    # .4 + .15 < .6, but .4·.5 + .15 = .35 >= .6·.5 = .3.
    assert not ACNext(beta=0.15).accepts(dec) and ACNext(beta=0.15, discounted=True).accepts(dec)
    assert not ACPrev(beta=0.15).accepts(dec) and ACPrev(beta=0.15, discounted=True).accepts(dec)
    assert ACCombi(beta=0.15, T=1.0, discounted=True).accepts(dec)
    # .4 > .3, but .4·.5 = .2 is not.
    assert ACConst(c=0.3).accepts(dec) and not ACConst(c=0.3, discounted=True).accepts(dec)
    # With beta = 0 the common factor changes nothing.
    assert ACNext(discounted=True).accepts(dec) == ACNext().accepts(dec)
    assert agent("boa(acceptance=ac-const(c=0.3,discounted=true))").name == (
        "boa(bidding=time-dependent,acceptance=ac-const(c=0.3,discounted=true))"
    )
    with pytest.raises(ArgumentError, match=r"^discounted: expected true or false, got 1$"):
        agent("boa(acceptance=ac-next(discounted=1))")
