"""The SAOP engine on a scenario small enough to play by hand."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import Deadline, EndNegotiation, Mind, Negotiator, Offer, negotiate
from zopa.negotiation.agents import TimeDependentParty, agent
from zopa.negotiation.ranking import Ranking, java_string_hash


def four() -> Scenario:
    """One issue, four options; A ranks them 1, .7, .4, 0 and B the reverse."""
    issue = Issue.discrete("deal", ["o0", "o1", "o2", "o3"])
    a = Party("A", AdditiveUtility((1.0,), ((1.0, 0.7, 0.4, 0.0),)))
    b = Party("B", AdditiveUtility((1.0,), ((0.0, 0.4, 0.7, 1.0),)))
    return Scenario("four", (issue,), (a, b))


def test_conceder_against_linear_by_hand() -> None:
    # R = 3: A (e=2) aims at 1, .5, .2929; B (e=1) at 1, .75, .5 (target 1 − ((r−1)/4)^(1/e)).
    # Round 1: A offers o0; B's bid near 1 is o3 (worth 1 > 0 for o0): B offers o3.
    # Round 2: A's bisection for .5 lands on .7, and .4 is closer: A offers o2 (0.4 > 0 of o3).
    #          B's bid near .75 is o2 (.7), not strictly below what o2 gives it: B offers o2.
    # Round 3: A's bid near .2929 is o2 (.4), equal to o2's worth, so A re-offers o2;
    #          B's bid near .5 is o1 (.4) < .7 for o2: B accepts o2 at t = 3/4.
    r = negotiate(
        four(), [TimeDependentParty(e=2.0), TimeDependentParty(e=1.0)], deadline=Deadline(rounds=3)
    )
    assert [(s.round, s.party, s.action, s.outcome) for s in r.trace] == [
        (1, 0, "offer", (0,)),
        (1, 1, "offer", (3,)),
        (2, 0, "offer", (2,)),
        (2, 1, "offer", (2,)),
        (3, 0, "offer", (2,)),
        (3, 1, "accept", (2,)),
    ]
    assert r.agreement and r.outcome == (2,) and r.options == {"deal": "o2"}
    assert r.utilities == (0.4, 0.7) and r.time == 0.75 and r.rounds == 3
    assert r.ended_by == "B" and r.reason == "agreement"
    assert r.distance_to_pareto == 0.0
    assert r.social_welfare == pytest.approx(1.1)


def test_hardliners_run_out_of_time() -> None:
    s = four()
    r = negotiate(s, [agent("hardliner"), agent("hardliner")], deadline=Deadline(rounds=5))
    assert not r.agreement and r.reason == "deadline" and r.rounds == 5 and r.time == 1.0
    assert r.utilities == (0.0, 0.0) and r.ended_by is None
    assert len(r.trace) == 10 and {s.outcome for s in r.trace} == {(0,), (3,)}


class _Bad(Mind):
    def __init__(self, action: object) -> None:
        self.action = action

    def act(self, turn: object) -> object:  # type: ignore[override]
        return self.action


class Bad(Negotiator):
    def __init__(self, action: object) -> None:
        self.action = action

    def start(self, view: object, rng: object) -> Mind:  # type: ignore[override]
        return _Bad(self.action)


@pytest.mark.parametrize(
    ("action", "detail"),
    [
        (Offer((7,)), "not an outcome"),
        ("accept", "not an action"),
    ],
)
def test_a_rule_breaker_ends_the_session(action: object, detail: str) -> None:
    r = negotiate(four(), [agent("boulware"), Bad(action)])
    assert r.reason == "violation" and r.ended_by == "B" and detail in r.detail
    assert not r.agreement and r.utilities == (0.0, 0.0)


def test_end_negotiation() -> None:
    r = negotiate(four(), [agent("boulware"), Bad(EndNegotiation())])
    assert r.reason == "end" and r.ended_by == "B" and r.rounds == 1


def test_results_and_agents_pickle_and_repeat() -> None:
    s = four()
    a = [agent("boulware"), agent("conceder")]
    assert pickle.loads(pickle.dumps(a)) == a
    assert negotiate(s, a, seed=3) == negotiate(s, a, seed=3)


def test_bad_arguments() -> None:
    with pytest.raises(ArgumentError, match="agents: expected one per party"):
        negotiate(four(), [agent("boulware")])
    with pytest.raises(ArgumentError, match="rounds: expected an integer >= 1"):
        Deadline(rounds=0)
    with pytest.raises(ArgumentError, match="agent: expected one of"):
        agent("nobody")


def test_java_hash_and_tie_order() -> None:
    # 68·31³ + 101·31² + 108·31 + 108
    assert java_string_hash("Dell") == 2126305
    assert java_string_hash("polygenelubricants") == -(2**31)  # wraps to Integer.MIN_VALUE
    r = Ranking(np.zeros((4, 1), dtype=np.int64), np.array([1.0, 0.8, 0.5, 0.1]))
    assert [r.near(x) for x in (1.0, 0.85, 0.7, 0.0)] == [0, 1, 1, 3]


def test_vectorised_double_hash_equals_javas() -> None:
    from zopa.negotiation.ranking import _double_hash, _double_hashes

    u = np.concatenate([np.random.default_rng(0).random(10_000), [0.0, -0.0, 1.0, -1.0, 0.5]])
    assert _double_hashes(u).tolist() == [_double_hash(float(x)) for x in u]
    assert _double_hash(1.0) == 1072693248  # Double.hashCode(1.0) in Java


def test_a_space_too_large_to_rank_is_refused_in_one_sentence() -> None:
    from zopa.model.errors import SpaceTooLargeError
    from zopa.negotiation.ranking import rank_outcomes

    with pytest.raises(SpaceTooLargeError, match=r"ranking them for the agents .* at most 3"):
        rank_outcomes(four().problem(), 0, limit=3)
