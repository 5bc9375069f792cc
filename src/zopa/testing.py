"""Public conformance checks: the rules every negotiator must keep.

:func:`check_negotiator` plays an agent in small negotiations and checks, in this order, the
properties below; the first that fails raises :class:`NegotiatorCheckError` (an
``AssertionError``) whose message starts with the agent's name and the property's name:

- ``parameters``: it is a :class:`~zopa.negotiation.negotiator.Negotiator` whose constructor is
  its parameter set: ``type(a)(**a.params()) == a``;
- ``picklable``: ``pickle.loads(pickle.dumps(a)) == a``;
- ``start``: :meth:`~zopa.negotiation.negotiator.Negotiator.start` returns a
  :class:`~zopa.negotiation.negotiator.Mind` and raises nothing;
- ``no exceptions``: its mind raises nothing;
- ``outcome space``: every offer is an outcome of the space (option codes in range);
- ``valid actions``: it returns actions only, and accepts only with an offer on the table;
- ``deadline``: it is never asked to act after the deadline, with a deadline in rounds (every
  turn has ``round <= R`` and ``time < 1``) and in seconds (the session ends at most half a
  second, or one deadline, after the time is up);
- ``shared state``: it changes nothing it is shown: the
  :class:`~zopa.negotiation.protocol.PartyView`, the ranking's arrays (still read-only and
  equal), the bargaining problem's arrays, and the :class:`~zopa.negotiation.protocol.Turn` and
  :class:`~zopa.negotiation.protocol.Event` objects it is given;
- ``same seed, same play``: for each seed, the session played again, by the agent rebuilt from
  its parameters and by an unpickled copy, is the same session, trace included.

Each session property is checked with the agent in every seat of a bilateral session against
GENIUS's linear party, against itself, and in every seat of a three-party session, with
deadlines of 20 rounds. The default scenarios are small (12 outcomes) with a reservation value
and a discount factor; pass ``scenario`` to play on another (its party count decides the
seats; the three-party checks keep the built-in scenario unless it has three or more parties).

The design follows scikit-learn's ``check_estimator`` and Axelrod's ``TestPlayer``.

Examples:
    >>> from zopa.negotiation.agents import agent
    >>> check_negotiator(agent("boulware"))
    >>> from zopa.negotiation.boa import BOAAgent
    >>> check_negotiator(BOAAgent)
    Traceback (most recent call last):
    ...
    zopa.model.errors.ArgumentError: agent: BOAAgent needs parameters; pass an instance, e.g. BOAAgent(...)
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.model.problem import BargainingProblem
from zopa.negotiation.agents.time_dependent import TimeDependentParty
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import Action, Deadline, Event, Offer, PartyView, Turn
from zopa.negotiation.ranking import rank_outcomes
from zopa.negotiation.result import Negotiation
from zopa.negotiation.session import Arena, negotiate

__all__ = ["NegotiatorCheckError", "check_negotiator", "check_scenarios"]

ROUNDS = 20
SECONDS = 0.2


class NegotiatorCheckError(AssertionError):
    """A negotiator broke a rule of :func:`check_negotiator`; the message names the property."""


def check_scenarios() -> tuple[Scenario, Scenario]:
    """The built-in scenarios of the check: two parties, then three, over the same two issues
    (4 × 3 outcomes); ``B`` has a reservation value of 0.3 and ``A`` a discount factor of 0.9."""
    issues = (
        Issue.discrete("price", ["p0", "p1", "p2", "p3"]),
        Issue.discrete("terms", ["t0", "t1", "t2"]),
    )
    a = Party(
        "A", AdditiveUtility((0.6, 0.4), ((1.0, 0.7, 0.3, 0.0), (0.0, 0.5, 1.0))), discount=0.9
    )
    b = Party(
        "B", AdditiveUtility((0.5, 0.5), ((0.0, 0.4, 0.8, 1.0), (1.0, 0.6, 0.0))), reservation=0.3
    )
    c = Party("C", AdditiveUtility((0.3, 0.7), ((0.5, 1.0, 0.5, 0.0), (0.2, 1.0, 0.0))))
    return Scenario("check-2", issues, (a, b)), Scenario("check-3", issues, (a, b, c))


# ------------------------------------------------------------------------------ the watcher
def _turn_state(turn: Turn) -> tuple[Any, ...]:
    return (turn.round, turn.time, turn.offer, turn.proposer)


def _event_state(event: Event) -> tuple[Any, ...]:
    action = event.action
    outcome = action.outcome if isinstance(action, Offer) else None
    return (event.party, event.round, event.time, type(action), outcome)


def _view_state(view: PartyView) -> tuple[Any, ...]:
    return (
        view.seat,
        view.name,
        view.n_parties,
        id(view.space),
        id(view.utility_function),
        view.reservation,
        view.discount,
        view.deadline,
        id(view._problem),
    )


@dataclass(eq=False)
class _Log:
    """What the watched agent was shown and did, and the first broken rule seen."""

    views: list[tuple[PartyView, tuple[Any, ...]]] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)


class _WatchedMind(Mind):
    def __init__(self, mind: Mind, log: _Log, deadline: Deadline) -> None:
        self.mind, self.log, self.deadline = mind, log, deadline

    def act(self, turn: Turn) -> Action:
        rounds = self.deadline.rounds
        if (rounds is not None and turn.round > rounds) or turn.time >= 1.0:
            self.log.problems.append(
                ("deadline", f"asked to act in round {turn.round} at time {turn.time}")
            )
        before = _turn_state(turn)
        self.log.turns.append(turn)
        action = self.mind.act(turn)
        if _turn_state(turn) != before:
            self.log.problems.append(("shared state", f"changed the Turn {before} it was given"))
        return action

    def observe(self, event: Event) -> None:
        before = _event_state(event)
        self.mind.observe(event)
        if _event_state(event) != before:
            self.log.problems.append(("shared state", f"changed the Event {before} it heard"))


class _Watched(Negotiator):
    """The agent under test, with its views, turns and events watched."""

    def __init__(self, inner: Negotiator, log: _Log) -> None:
        self.inner, self.log = inner, log

    @property
    def name(self) -> str:
        return self.inner.name

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        self.log.views.append((view, _view_state(view)))
        try:
            mind = self.inner.start(view, rng)
        except Exception as exc:
            raise NegotiatorCheckError(
                f"{self.inner.name}: start: raised {type(exc).__name__}: {exc}"
            ) from exc
        if not isinstance(mind, Mind):
            raise NegotiatorCheckError(
                f"{self.inner.name}: start: expected a Mind, got {type(mind).__name__}"
            )
        return _WatchedMind(mind, self.log, view.deadline)


# ------------------------------------------------------------------------------ the check
def _arrays(problem: BargainingProblem) -> list[np.ndarray[Any, Any]]:
    out = [problem.reservation.copy(), problem.discounts.copy()]
    if problem.is_additive:
        out += [t.copy() for t in problem.tables]
    return out


def _fail(name: str, prop: str, detail: str) -> NegotiatorCheckError:
    return NegotiatorCheckError(f"{name}: {prop}: {detail}")


def _violation(name: str, result: Negotiation, watched: set[str]) -> None:
    if result.reason != "violation" or result.ended_by not in watched:
        return
    detail = result.detail
    if detail.startswith("raised"):
        prop = "no exceptions"
    elif detail.startswith("offered"):
        prop = "outcome space"
    else:
        prop = "valid actions"
    raise _fail(name, prop, f"as {result.ended_by}, {detail}")


def _play(
    agent: Negotiator,
    problem: BargainingProblem,
    seats: Sequence[int],
    others: Negotiator,
    deadline: Deadline,
    seed: int,
) -> Negotiation:
    """One watched session with ``agent`` in ``seats``; raises on the first broken rule."""
    name = agent.name
    log = _Log()
    arena = Arena(problem)
    rankings = {s: (rank_outcomes(problem, s), arena.ranking(s)) for s in range(problem.n_parties)}
    fresh = {s: (r.codes.copy(), r.utilities.copy()) for s, (r, _) in rankings.items()}
    arrays = _arrays(problem)
    watched = _Watched(agent, log)
    lineup = [watched if s in seats else others for s in range(problem.n_parties)]
    result = negotiate(arena, lineup, deadline=deadline, seed=seed, trace=True)
    where = f"in seat {', '.join(problem.parties[s] for s in seats)} of {problem.n_parties}"
    _violation(name, result, {problem.parties[s] for s in seats})
    if log.problems:
        prop, detail = log.problems[0]
        raise _fail(name, prop, f"{where}: {detail}")
    for view, state in log.views:
        if _view_state(view) != state:
            raise _fail(name, "shared state", f"{where}: changed its PartyView")
    for s, (_, shared) in rankings.items():
        codes, utilities = fresh[s]
        if shared.codes.flags.writeable or shared.utilities.flags.writeable:
            raise _fail(name, "shared state", f"{where}: made the ranking's arrays writeable")
        if not (
            np.array_equal(shared.codes, codes) and np.array_equal(shared.utilities, utilities)
        ):
            raise _fail(name, "shared state", f"{where}: changed the ranking of seat {s}")
    for before, after in zip(arrays, _arrays(problem), strict=True):
        if not np.array_equal(before, after):
            raise _fail(name, "shared state", f"{where}: changed the bargaining problem")
    return result


def _as_problem(scenario: Scenario | BargainingProblem) -> BargainingProblem:
    if isinstance(scenario, BargainingProblem):
        return scenario
    if isinstance(scenario, Scenario):
        return scenario.problem()
    raise ArgumentError(
        f"scenario: expected a Scenario or BargainingProblem, got {type(scenario).__name__}"
    )


def check_negotiator(
    agent: Negotiator | type[Negotiator],
    scenario: Scenario | BargainingProblem | None = None,
    seeds: Sequence[int] = (0, 1),
) -> None:
    """Check that ``agent`` keeps the rules of the module docstring.

    Args:
        agent: a negotiator, or a negotiator class whose parameters all have defaults.
        scenario: where to play the bilateral checks (default :func:`check_scenarios`).
        seeds: the seeds of the sessions (each played twice more to check repeatability).

    Raises:
        NegotiatorCheckError: a property failed; the message names the agent and the property.
        ArgumentError: ``agent`` is not a negotiator (or a class that needs parameters).
    """
    if isinstance(agent, type):
        if not issubclass(agent, Negotiator):
            raise ArgumentError(f"agent: expected a Negotiator, got the class {agent.__name__}")
        cls = agent
        try:
            agent = cls()
        except TypeError:
            raise ArgumentError(
                f"agent: {cls.__name__} needs parameters; pass an instance, "
                f"e.g. {cls.__name__}(...)"
            ) from None
    if not isinstance(agent, Negotiator):
        raise ArgumentError(f"agent: expected a Negotiator, got {type(agent).__name__}")
    seeds = list(seeds)
    if not seeds or not all(
        isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 0 for s in seeds
    ):
        raise ArgumentError(f"seeds: expected integers >= 0, got {seeds!r}")
    name = agent.name

    # Parameters and pickling.
    try:
        rebuilt = type(agent)(**agent.params())
    except Exception as exc:
        raise _fail(name, "parameters", f"type(a)(**a.params()) raised {exc!r}") from exc
    if rebuilt != agent:
        raise _fail(name, "parameters", f"type(a)(**a.params()) gives {rebuilt!r}, not {agent!r}")
    try:
        copy = pickle.loads(pickle.dumps(agent))
    except Exception as exc:
        raise _fail(name, "picklable", f"pickling raised {exc!r}") from exc
    if copy != agent:
        raise _fail(name, "picklable", f"unpickled as {copy!r}, not {agent!r}")

    two, three = check_scenarios()
    bilateral = two.problem() if scenario is None else _as_problem(scenario)
    trilateral = bilateral if bilateral.n_parties >= 3 else three.problem()
    linear = TimeDependentParty(e=1.0)
    rounds = Deadline(rounds=ROUNDS)
    lineups: list[tuple[BargainingProblem, tuple[int, ...]]] = [
        (bilateral, (s,)) for s in range(bilateral.n_parties)
    ]
    lineups.append((bilateral, tuple(range(bilateral.n_parties))))  # against itself
    if trilateral is not bilateral:
        lineups += [(trilateral, (s,)) for s in range(trilateral.n_parties)]
    for problem, seats in lineups:
        for seed in seeds:
            first = _play(agent, problem, seats, linear, rounds, int(seed))
            for again, how in ((rebuilt, "rebuilt from its parameters"), (copy, "unpickled")):
                second = _play(again, problem, seats, linear, rounds, int(seed))
                if second != first:
                    where = f"seat {', '.join(problem.parties[s] for s in seats)}"
                    raise _fail(
                        name,
                        "same seed, same play",
                        f"seed {seed}, {where}: played differently when {how} "
                        f"({_difference(first, second)})",
                    )

    # A deadline in seconds.
    timed = Deadline(rounds=None, seconds=SECONDS)
    result = _play(agent, bilateral, (0,), linear, timed, int(seeds[0]))
    grace = max(0.5, SECONDS)
    if result.seconds > SECONDS + grace:
        raise _fail(
            name, "deadline", f"a {SECONDS} s session ran {result.seconds:.2f} s (one act too long)"
        )


def _difference(a: Negotiation, b: Negotiation) -> str:
    for k, (x, y) in enumerate(zip(a.trace, b.trace, strict=False)):
        if x != y:
            return f"action {k + 1}: {x.action} {x.outcome} then {y.action} {y.outcome}"
    if len(a.trace) != len(b.trace):
        return f"{len(a.trace)} actions then {len(b.trace)}"
    return f"{a.reason} then {b.reason}"
