"""The BOA decomposition (Baarslag et al. 2014): composition, names, the time-dependent offering,
the frequency model, and equivalences with GENIUS's time-dependent party."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pytest
from boa_helpers import FOUR, Script, line, steps, turn, view_of
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import scenarios
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import Deadline, Offer, PartyView, Turn, negotiate
from zopa.negotiation.acceptance import ACCombi, ACCombiMaxW, ACConst, ACNext, Decision
from zopa.negotiation.agents import TimeDependentOffering, TimeDependentParty, agent
from zopa.negotiation.agents.time_dependent import target
from zopa.negotiation.boa import (
    Bayesian,
    Bidder,
    BiddingStrategy,
    BOAAgent,
    Frequency,
    History,
)
from zopa.negotiation.opponent import BayesianModel, FrequencyModel, OpponentModel
from zopa.negotiation.session import Arena

FIVE = (1.0, 0.75, 0.5, 0.25, 0.0)


# ------------------------------------------------------------------------------ the agent
def test_names_read_back() -> None:
    plain = BOAAgent(bidding=TimeDependentOffering())
    assert plain.name == "time-dependent" and agent("time-dependent") == plain
    full = BOAAgent(
        bidding=TimeDependentOffering(e=0.5), acceptance=ACConst(c=0.8), model=Frequency()
    )
    assert full.name == (
        "boa(bidding=time-dependent(e=0.5),acceptance=ac-const(c=0.8),model=frequency)"
    )
    assert agent(full.name) == full
    assert type(full)(**full.params()) == full


def test_components_are_checked() -> None:
    with pytest.raises(ArgumentError, match=r"^bidding: expected a BiddingStrategy, got ACNext$"):
        BOAAgent(bidding=ACNext())  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"^acceptance: expected an AcceptanceCondition"):
        BOAAgent(bidding=TimeDependentOffering(), acceptance=0.5)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"^model: expected an OpponentModelling or None"):
        BOAAgent(bidding=TimeDependentOffering(), model="frequency")  # type: ignore[arg-type]


@dataclass(frozen=True)
class Recorder(ACNext):
    """AC_next that writes down every decision it is asked (start returns a fresh recorder)."""

    seen: ClassVar[list[tuple[Any, ...]]] = []

    def accepts(self, decision: Decision) -> bool:
        h = decision.history
        assert h is not None
        Recorder.seen.append(
            (decision.time, decision.x, decision.y, decision.x_prev, len(h.received), len(h.sent))
        )
        return super().accepts(decision)


def test_the_mind_gives_each_component_what_the_reference_names() -> None:
    # FIVE, R = 3, A = time-dependent e = 1 from 0: bids o1, o2, o3 (.75, .5, .25).
    # B offers o4 (A: 0) then o3 (A: .25).
    Recorder.seen.clear()
    a = BOAAgent(bidding=TimeDependentOffering(e=1.0, reservation=False), acceptance=Recorder())
    r = negotiate(line(FIVE), [a, Script((4, 3))], deadline=Deadline(rounds=3))
    assert Recorder.seen == [(0.5, 0.0, 0.5, 0.75, 1, 1), (0.75, 0.25, 0.25, 0.5, 2, 2)]
    assert r.outcome == (3,) and r.ended_by == "A"


@dataclass(frozen=True)
class Fixed(BiddingStrategy):
    """A user-written bidding strategy: always the same outcome."""

    outcome: tuple[int, ...] = (0,)

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        return _Fixed(self.outcome)


class _Fixed(Bidder):
    def __init__(self, outcome: tuple[int, ...]) -> None:
        self.outcome = outcome

    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> tuple[int, ...]:
        return self.outcome


def test_a_user_component_composes() -> None:
    a = BOAAgent(bidding=Fixed((1,)), acceptance=ACConst(c=0.5))
    r = negotiate(line(FOUR), [a, Script((3, 1))], deadline=Deadline(rounds=3))
    # r2: x = u(o3) = 0; r3: x = u(o1) = .7 > .5: accept.
    assert steps(r)[-1] == (3, 0, "accept", (1,)) and a.name.startswith("boa(bidding=Fixed")


# ------------------------------------------------------------------------------ time-dependent
def test_targets_by_hand() -> None:
    assert target(0.5, 1.0, 0.0, 0.0, 1.0) == 0.5
    assert target(0.25, 2.0, 0.0, 0.0, 1.0) == 0.5  # 1 − 0.25^(1/2)
    assert target(0.5, 1.0, 0.5, 0.0, 1.0) == 0.25  # F = .5 + .5·.5
    assert target(0.3, 0.0, 0.0, 0.2, 0.9) == pytest.approx(0.9)  # e = 0: hardliner at P_max
    assert target(0.75, 1.0, 0.0, 0.5, 1.0) == 0.625


def bids(strategy: TimeDependentOffering, scenario: Scenario, rounds: int = 3) -> list[int]:
    view = view_of(scenario, rounds=rounds)
    bidder = strategy.start(view, np.random.default_rng(0))
    return [bidder.bid(turn(r, rounds), History(), None)[0] for r in range(1, rounds + 1)]


def test_time_dependent_offering_by_hand() -> None:
    # FIVE, R = 3, t = .25, .5, .75.
    # From the worst utility 0: targets .75, .5, .25 -> o1, o2, o3.
    assert bids(TimeDependentOffering(e=1.0, reservation=False), line(FIVE)) == [1, 2, 3]
    # Reservation value .5 (the default P_min = max(worst, rv)): targets .875, .75, .625.
    # .875 and .625 are as near the utilities on either side; GENIUS's bisection keeps the
    # better one (o0, then o1): o0, o1, o1.
    s = line(FIVE, reservation=0.5)
    assert bids(TimeDependentOffering(e=1.0), s) == [0, 1, 1]
    assert bids(TimeDependentOffering(e=1.0, reservation=False), s) == [1, 2, 3]
    # k = .5: F(t) = .5 + .5 t: targets .375, .25, .125: o2 (.5 vs .25 equally near: o2), o3, o3.
    assert bids(TimeDependentOffering(e=1.0, k=0.5, reservation=False), line(FIVE)) == [2, 3, 3]
    # Given bounds: .75 − .5 t: .625, .5, .375.
    assert bids(TimeDependentOffering(e=1.0, p_min=0.25, p_max=0.75), line(FIVE)) == [1, 2, 2]
    assert bids(TimeDependentOffering(e=0.0), line(FIVE)) == [0, 0, 0]


def two_issue() -> Scenario:
    """A cares about issue ``x`` only; B only about ``y``: every own-utility level of A has
    three outcomes, which only B's preferences tell apart."""
    issues = (Issue.discrete("x", ["x0", "x1", "x2"]), Issue.discrete("y", ["y0", "y1", "y2"]))
    a = Party("A", AdditiveUtility((1.0, 0.0), ((1.0, 0.5, 0.0), (0.0, 0.0, 0.0))))
    b = Party("B", AdditiveUtility((0.0, 1.0), ((0.0, 0.0, 0.0), (0.0, 0.5, 1.0))))
    return Scenario("two", issues, (a, b))


def test_model_components_make_the_opponent_models() -> None:
    view = view_of(two_issue())
    rng = np.random.default_rng(0)
    m = Frequency(learning=0.3).start(view, rng)
    assert isinstance(m, FrequencyModel) and m.sizes == (3, 3) and m.learning == 0.3
    b = Bayesian(step=0.05).start(view, rng)
    assert isinstance(b, BayesianModel) and b.step == 0.05 and b.sigma == 0.25
    assert agent("boa(model=bayesian(sigma=0.5))").model == Bayesian(sigma=0.5)
    with pytest.raises(ArgumentError, match=r"^learning: expected a number in \(0, 1\), got 1$"):
        Frequency(learning=1)


def test_the_model_chooses_among_equal_bids() -> None:
    # A (hardliner) bids its best level x0 (utility 1); three outcomes are worth 1 to it.
    view = view_of(two_issue())
    h = History()
    from zopa.negotiation.boa import Bid

    h.received += [Bid(1, 0.2, 1, (2, 2), 0.0), Bid(2, 0.4, 1, (2, 2), 0.0)]
    strategy = TimeDependentOffering(e=0.0)
    plain = strategy.start(view, np.random.default_rng(0)).bid(turn(3, 4, 0), h, None)
    model = Frequency().start(view, np.random.default_rng(0))
    for b in h.received:  # HardHeaded's model counts from the second bid on
        model.update(b.outcome)
    chosen = strategy.start(view, np.random.default_rng(0)).bid(turn(3, 4, 0), h, model)
    assert plain[0] == 0 and chosen == (0, 2)  # the model says B wants y2


# ------------------------------------------------------------------------------ GENIUS party
@dataclass(frozen=True)
class OneRoundBehind(BiddingStrategy):
    """Time-dependent offering aiming one round behind, as GENIUS's party does."""

    e: float = 1.0

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        inner = TimeDependentOffering(e=self.e, p_min=0.0, p_max=1.0).start(view, rng)
        rounds = view.deadline.rounds
        assert rounds is not None
        return _Behind(inner, rounds)


class _Behind(Bidder):
    def __init__(self, inner: Bidder, rounds: int) -> None:
        self.inner, self.rounds = inner, rounds

    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> tuple[int, ...]:
        shifted = Turn(turn.round, turn.time - 1 / (self.rounds + 1), turn.offer, turn.proposer)
        return self.inner.bid(shifted, history, model)


def genius_party_as_boa(e: float) -> BOAAgent:
    """GENIUS's party as a BOA triple: one round behind, P_min = 0, P_max = 1, and a strict
    AC_next (x − ε ≥ y is x > y when utilities differ by more than ε)."""
    return BOAAgent(bidding=OneRoundBehind(e), acceptance=ACNext(beta=-1e-9))


E = st.sampled_from([0.0, 0.2, 0.5, 1.0, 2.0, 5.0])


@settings(max_examples=60, deadline=None)
@given(scenarios(max_parties=3, max_issues=3, max_options=4, exact=True), E, E, st.integers(1, 12))
def test_the_genius_party_is_a_boa_agent(s: Scenario, e: float, e2: float, rounds: int) -> None:
    d = Deadline(rounds=rounds)
    n = len(s.parties)
    for seat in range(n):
        others: list[Any] = [TimeDependentParty(e=e2)] * n
        genius = negotiate(
            s, [*others[:seat], TimeDependentParty(e=e), *others[seat + 1 :]], deadline=d
        )
        boa = negotiate(
            s, [*others[:seat], genius_party_as_boa(e), *others[seat + 1 :]], deadline=d
        )
        assert steps(boa) == steps(genius)
        assert (boa.reason, boa.outcome, boa.utilities) == (
            genius.reason,
            genius.outcome,
            genius.utilities,
        )


def test_where_the_genius_party_and_ac_next_differ() -> None:
    # tests/negotiation/test_session.py: in round 3 conceder A's bid o2 is worth exactly what B's
    # offer o2 is worth. The GENIUS party (strict <) re-offers o2 and B accepts; AC_next (>=)
    # accepts at once.
    d = Deadline(rounds=3)
    four = line(FOUR, other=(0.0, 0.4, 0.7, 1.0))
    genius = negotiate(four, [TimeDependentParty(e=2.0), TimeDependentParty(e=1.0)], deadline=d)
    loose = BOAAgent(bidding=OneRoundBehind(2.0), acceptance=ACNext())
    boa = negotiate(four, [loose, TimeDependentParty(e=1.0)], deadline=d)
    assert steps(genius)[-2:] == [(3, 0, "offer", (2,)), (3, 1, "accept", (2,))]
    assert steps(boa)[-1] == (3, 0, "accept", (2,))
    assert boa.outcome == genius.outcome and boa.ended_by == "A" != genius.ended_by
    # Without the shift the component aims one round ahead of the party: its round-r target is
    # the party's round r + 1 target.
    view = view_of(four, rounds=3)
    ahead = TimeDependentOffering(e=2.0, p_min=0.0, p_max=1.0).start(view, np.random.default_rng(0))
    party = TimeDependentParty(e=2.0).start(view, np.random.default_rng(0))
    assert ahead.bid(turn(1, 3), History(), None) == (2,)  # target 1 − .25^.5 = .5
    assert party.act(turn(2, 3, 3)) == Offer((2,))


@settings(max_examples=40, deadline=None)
@given(scenarios(max_parties=3, max_issues=3, max_options=4), E, st.integers(2, 12), st.data())
def test_the_offering_bids_one_round_ahead_of_the_party(
    s: Scenario, e: float, rounds: int, data: st.DataObject
) -> None:
    # P_min = 0, P_max = 1, k = 0: the component's round-r bid is the party's round r + 1 bid.
    r = data.draw(st.integers(1, rounds - 1))
    seat = data.draw(st.integers(0, len(s.parties) - 1))
    view = Arena.of(s).view(seat, Deadline(rounds=rounds))
    offering = TimeDependentOffering(e=e, p_min=0.0, p_max=1.0).start(
        view, np.random.default_rng(0)
    )
    party = TimeDependentParty(e=e).start(view, np.random.default_rng(0))
    assert party.act(turn(r + 1, rounds)) == Offer(offering.bid(turn(r, rounds), History(), None))


@settings(max_examples=40, deadline=None)
@given(
    scenarios(max_parties=2, max_issues=3, max_options=4),
    E,
    st.floats(0.5, 1.5),
    st.floats(-0.2, 0.2),
    st.integers(1, 15),
)
def test_conditions_that_reduce_to_ac_next(
    s: Scenario, e: float, alpha: float, beta: float, rounds: int
) -> None:
    # With a deadline in rounds time stays below 1, so "or t >= 1" never fires.
    d = Deadline(rounds=rounds)

    def play(ac: Any) -> list:  # type: ignore[type-arg]
        a = BOAAgent(bidding=TimeDependentOffering(e=e), acceptance=ac)
        return steps(negotiate(s, [a, TimeDependentParty(e=2.0)], deadline=d))

    assert play(ACCombi(alpha=alpha, beta=beta, T=1.0)) == play(ACNext(alpha=alpha, beta=beta))
    assert play(ACCombiMaxW(T=1.0)) == play(ACNext())


@settings(max_examples=40, deadline=None)
@given(scenarios(max_parties=2, max_issues=3, max_options=4), st.integers(1, 15))
def test_hardliner_and_full_concession(s: Scenario, rounds: int) -> None:
    d = Deadline(rounds=rounds)
    never = ACConst(c=2.0)  # accepts nothing, so every turn is a bid
    for strategy, level in [
        (TimeDependentOffering(e=0.0), "best"),
        (TimeDependentOffering(k=1.0, reservation=False), "worst"),
    ]:
        r = negotiate(
            s, [BOAAgent(bidding=strategy, acceptance=never), agent("hardliner")], deadline=d
        )
        mine = [st_.utilities[0] for st_ in r.trace if st_.party == 0]  # type: ignore[index]
        problem = s.problem()
        u = problem.utilities(problem.space.enumerate())[:, 0]
        assert all(x == pytest.approx(u.max() if level == "best" else u.min()) for x in mine)


@given(
    st.floats(0, 10),
    st.floats(0, 1),
    st.none() | st.floats(0, 1),
    st.booleans(),
    st.floats(0.001, 0.1),
)
def test_time_dependent_names_read_back(
    e: float, k: float, p_min: float | None, reservation: bool, window: float
) -> None:
    a = BOAAgent(
        bidding=TimeDependentOffering(e=e, k=k, p_min=p_min, reservation=reservation, window=window)
    )
    assert agent(a.name) == a


def test_bad_time_dependent_parameters() -> None:
    with pytest.raises(ArgumentError, match=r"^k: expected a number in \[0, 1\], got 2$"):
        TimeDependentOffering(k=2)
    with pytest.raises(ArgumentError, match=r"^e: expected a number >= 0, got -1$"):
        agent("time-dependent(e=-1)")
    with pytest.raises(ArgumentError, match=r"^reservation: expected true or false, got 1$"):
        agent("time-dependent(reservation=1)")
