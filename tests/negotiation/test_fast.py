"""The vectorised engine for time-dependent parties is the turn-by-turn engine's exact twin."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DOMAINS
from strategies import hyper_rectangle_scenarios, scenarios
from zopa.io import load_scenario
from zopa.model import Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import Arena, Deadline, Negotiation, negotiate, negotiate_many
from zopa.negotiation.agents import TimeDependentParty, agent
from zopa.negotiation.agents.time_dependent import genius_target
from zopa.negotiation.fast import genius_targets, play, supports
from zopa.negotiation.ranking import Ranking

EXPONENTS = st.one_of(
    st.sampled_from([0.0, 0.2, 1.0, 2.0]),
    st.floats(0.01, 10.0, allow_nan=False),
    st.sampled_from([0, 1, 2]),  # integers, as a user may write them
)


def slow(arena: Arena, agents: list[TimeDependentParty], rounds: int) -> Negotiation:
    return negotiate(arena, agents, deadline=Deadline(rounds=rounds), fast=False)


# ---------------------------------------------------------------------------------- lookups
@st.composite
def rankings(draw: st.DrawFn) -> Ranking:
    """Descending utilities, mostly from a coarse grid so that ties are common."""
    n = draw(st.integers(1, 60))
    grid = draw(st.lists(st.floats(0.0, 1.0, allow_nan=False), min_size=1, max_size=6))
    u = draw(st.lists(st.sampled_from(grid) | st.floats(0.0, 1.0), min_size=n, max_size=n))
    utilities = np.sort(np.asarray(u, dtype=float))[::-1].copy()
    return Ranking(np.zeros((n, 1), dtype=np.int64), utilities)


@settings(max_examples=300, deadline=None)
@given(rankings(), st.lists(st.floats(-0.5, 1.5, allow_nan=False), max_size=40), st.data())
def test_near_many_gives_the_rows_of_near(
    ranking: Ranking, targets: list[float], data: st.DataObject
) -> None:
    # Random targets, the ranking's own utilities (exact hits, ties) and values next to them.
    own = ranking.utilities.tolist()
    picked = data.draw(st.lists(st.sampled_from(own), max_size=20))
    nudged = [np.nextafter(x, 2.0) for x in picked] + [np.nextafter(x, -1.0) for x in picked]
    every = targets + own + picked + nudged + [0.0, -0.0, 1.0, np.inf, -np.inf, np.nan]
    assert ranking.near_many(every).tolist() == [ranking.near(x) for x in every]


def test_near_many_on_many_random_rankings() -> None:
    rng = np.random.default_rng(7)
    for trial in range(500):
        n = int(rng.integers(1, 300))
        pool = rng.random(int(rng.integers(1, 8)))
        u = rng.choice(pool, n) if trial % 2 else rng.random(n)
        r = Ranking(np.zeros((n, 1), dtype=np.int64), np.sort(u)[::-1].copy())
        t = np.concatenate(
            [rng.random(50), r.utilities, np.nextafter(r.utilities, 2.0), [-1.0, 2.0, np.nan]]
        )
        assert r.near_many(t).tolist() == [r.near(float(x)) for x in t]
    assert r.near_many(t.reshape(-1, 1)).shape == (t.size, 1)


@pytest.mark.parametrize("e", [0, 0.0, 0.2, 1, 1.0, 2.0, 0.37, 5.0, 1e-3])
@pytest.mark.parametrize("rounds", [1, 2, 3, 7, 100, 180, 200])
def test_targets_are_genius_target_bit_for_bit(e: float, rounds: int) -> None:
    assert genius_targets(e, rounds).tolist() == [
        genius_target(e, r, rounds) for r in range(1, rounds + 1)
    ]


# ---------------------------------------------------------------------------------- twins
@dataclass(frozen=True)
class Game:
    exponents: tuple[float, ...]
    rounds: int


@st.composite
def games(draw: st.DrawFn, parties: int) -> Game:
    e = tuple(draw(EXPONENTS) for _ in range(parties))
    return Game(e, draw(st.integers(1, 200)))


def check_twins(scenario: Scenario, drawn: list[Game], cap: float | None = None) -> None:
    arena = Arena.of(scenario, cap=cap)
    agents = [[TimeDependentParty(e=e) for e in g.exponents] for g in drawn]
    expected = [slow(arena, a, g.rounds) for a, g in zip(agents, drawn, strict=True)]
    matches = [(arena, a, Deadline(rounds=g.rounds)) for a, g in zip(agents, drawn, strict=True)]
    assert play(matches, trace=True) == expected
    assert play(matches) == [replace(e, trace=()) for e in expected]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(min_parties=2, max_parties=4, max_issues=4, max_options=5), st.data())
def test_fast_engine_is_the_turn_by_turn_engine(scenario: Scenario, data: st.DataObject) -> None:
    drawn = data.draw(st.lists(games(scenario.n_parties), min_size=1, max_size=6))
    check_twins(scenario, drawn, data.draw(st.sampled_from([None, None, 1.0, 0.6])))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hyper_rectangle_scenarios(), st.data())
def test_fast_engine_on_non_additive_utilities(scenario: Scenario, data: st.DataObject) -> None:
    drawn = data.draw(st.lists(games(scenario.n_parties), min_size=1, max_size=4))
    check_twins(scenario, drawn)


def load(folder: str) -> Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the readers' own tests check the files' warnings
        return load_scenario(DOMAINS / folder)


REAL = [
    p.name
    for p in sorted(DOMAINS.iterdir())
    if p.is_dir() and p.name not in {"genius-2nd_hand_car"}  # one party only
]


@pytest.mark.parametrize("folder", REAL)
def test_fast_engine_on_real_domains(folder: str) -> None:
    scenario = load(folder)
    if scenario.n_outcomes > 200_000:
        pytest.skip(f"{scenario.n_outcomes:,} outcomes: too many to rank in a unit test")
    rng = np.random.default_rng(len(folder))
    n = scenario.n_parties
    drawn = [Game((0.2,) + (2.0,) * (n - 1), 100), Game((2.0,) * (n - 1) + (0.2,), 100)]
    drawn += [Game(tuple(rng.choice([0.0, 0.2, 1.0, 2.0, 0.5], n).tolist()), 180)]
    drawn += [Game(tuple(rng.uniform(0.05, 4.0, n).tolist()), int(rng.integers(1, 60)))]
    check_twins(scenario, drawn, cap=1.0)  # as GENIUS plays its files


# ---------------------------------------------------------------------------------- batches
def four() -> Scenario:
    from zopa.model import AdditiveUtility, Issue, Party

    issue = Issue.discrete("deal", ["o0", "o1", "o2", "o3"])
    a = Party("A", AdditiveUtility((1.0,), ((1.0, 0.7, 0.4, 0.0),)))
    b = Party("B", AdditiveUtility((1.0,), ((0.0, 0.4, 0.7, 1.0),)))
    return Scenario("four", (issue,), (a, b))


def test_one_batch_across_scenarios_deadlines_and_seats() -> None:
    arenas = [Arena.of(four()), Arena.of(load("anac2015-new_sporthal"))]
    rng = np.random.default_rng(3)
    matches = []
    for k in range(40):
        arena = arenas[k % 2]
        e = rng.choice([0.0, 0.2, 1.0, 2.0, 0.7], arena.problem.n_parties).tolist()
        agents = [TimeDependentParty(e=x) for x in e]
        matches.append((arena, agents, Deadline(rounds=int(rng.integers(1, 200)))))
    expected = [negotiate(a, ag, deadline=d, fast=False, trace=False) for a, ag, d in matches]
    assert play(matches) == expected


def test_chunks_give_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    arena = Arena.of(four())
    pairings = [
        [TimeDependentParty(e=x), TimeDependentParty(e=y)] for x in (0.2, 1, 2) for y in (0, 2)
    ]
    whole = negotiate_many(arena, pairings, Deadline(rounds=9))
    monkeypatch.setattr("zopa.negotiation.fast.CHUNK_CELLS", 1)
    assert negotiate_many(arena, pairings, Deadline(rounds=9)) == whole


def test_negotiate_many_plays_other_agents_turn_by_turn() -> None:
    from zopa.negotiation import Mind, Negotiator, Offer

    @dataclass(frozen=True)
    class Stubborn(Negotiator):
        def start(self, view: object, rng: object) -> Mind:  # type: ignore[override]
            return StubbornMind()

    class StubbornMind(Mind):
        def act(self, turn: object) -> Offer:  # type: ignore[override]
            return Offer((0,))

    @dataclass(frozen=True)
    class Tweaked(TimeDependentParty):  # a subclass may act otherwise: never vectorised
        pass

    arena = Arena.of(four())
    pairings = [
        [agent("boulware"), agent("conceder")],
        [Stubborn(), agent("conceder")],
        [Tweaked(e=2.0), agent("linear")],
        [agent("hardliner"), agent("linear")],
    ]
    assert not supports(arena, pairings[2], Deadline(rounds=5))
    assert not supports(arena, pairings[0], Deadline(rounds=5, seconds=1.0))
    got = negotiate_many(arena, pairings, Deadline(rounds=5), seeds=[1, 2, 3, 4], trace=True)
    want = [
        negotiate(arena, a, deadline=Deadline(rounds=5), seed=s, fast=False)
        for a, s in zip(pairings, [1, 2, 3, 4], strict=True)
    ]
    assert got == want
    with pytest.raises(ArgumentError, match="seeds: expected one per pairing"):
        negotiate_many(arena, pairings, seeds=[1])
    with pytest.raises(ArgumentError, match="seed: expected an integer"):
        negotiate_many(arena, pairings[:1], seeds=[-1])
    with pytest.raises(ArgumentError, match="agents: expected one per party"):
        negotiate_many(arena, [[agent("boulware")]])
    assert negotiate_many(arena, []) == []
    with pytest.raises(ArgumentError, match=r"matches\[0\]: expected one GENIUS time-dependent"):
        play([(arena, pairings[1], Deadline(rounds=5))])


def test_negotiate_dispatches_long_sessions(monkeypatch: pytest.MonkeyPatch) -> None:
    import zopa.negotiation.fast as fast

    arena = Arena.of(four())
    pair = [agent("boulware"), agent("conceder")]
    played: list[int] = []
    real = fast.play

    def spy(matches: list[object], *, trace: bool = False) -> list[Negotiation]:
        played.append(len(matches))
        return real(matches, trace=trace)  # type: ignore[arg-type]

    monkeypatch.setattr(fast, "play", spy)
    long, short = Deadline(rounds=fast.ALONE_ROUNDS), Deadline(rounds=fast.ALONE_ROUNDS - 1)
    assert negotiate(arena, pair, deadline=long) == negotiate(
        arena, pair, deadline=long, fast=False
    )
    assert played == [1]
    negotiate(arena, pair, deadline=short)
    negotiate(arena, pair, deadline=Deadline(rounds=500, seconds=10.0))
    assert played == [1]


def test_rankings_are_built_once_per_scenario() -> None:
    arena = Arena.of(four())
    negotiate_many(arena, [[agent("boulware"), agent("conceder")]] * 3)
    first = arena.ranking(0)
    negotiate_many(arena, [[agent("conceder"), agent("boulware")]] * 3)
    assert arena.ranking(0) is first
