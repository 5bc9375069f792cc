"""Play one negotiation: :func:`negotiate` runs the protocol of :mod:`zopa.negotiation.protocol`
between negotiators and measures the result; :class:`Arena` holds what every negotiation on a
scenario shares (rankings, frontier, Nash point), built once."""

from __future__ import annotations

import time as _time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.analysis.frontier import Frontier, as_problem, frontier_of
from zopa.model.errors import ArgumentError
from zopa.model.problem import BargainingProblem
from zopa.model.random import generator
from zopa.model.scenario import Scenario
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import (
    Accept,
    Action,
    Deadline,
    EndNegotiation,
    Event,
    Offer,
    PartyView,
    Turn,
    kind_of,
)
from zopa.negotiation.ranking import Ranking, rank_outcomes
from zopa.negotiation.result import Negotiation, Reason, Step

__all__ = [
    "Arena",
    "Settlement",
    "finish",
    "genius_nash_point",
    "negotiate",
    "negotiate_many",
    "settle",
]

FloatArray = npt.NDArray[np.float64]


def genius_nash_point(frontier: npt.ArrayLike, reservation: npt.ArrayLike) -> FloatArray:
    """GENIUS's Nash point: the frontier row maximising ``Π_i (u_i − rv_i)``, with no filtering
    of irrational rows and the first maximum kept (``MultilateralAnalysis``).

    Examples:
        >>> genius_nash_point([[1.0, 0.2], [0.7, 0.6], [0.3, 0.9]], [0.0, 0.0]).tolist()
        [0.7, 0.6]
    """
    f = np.asarray(frontier, dtype=float)
    r = np.asarray(reservation, dtype=float)
    if f.ndim != 2 or f.shape[0] == 0 or f.shape[1] != r.shape[0]:
        raise ArgumentError(
            f"expected a non-empty frontier with one column per party, got shape {f.shape}"
        )
    return np.asarray(f[int(np.argmax(np.prod(f - r, axis=1)))], dtype=float)


@dataclass(eq=False)
class Arena:
    """A bargaining problem prepared for negotiations: the parties' rankings (GENIUS's sorted
    outcome space) and the Pareto frontier and Nash point of the quality measures, each built
    on first use and then shared by every negotiation played here.

    Attributes:
        problem: the bargaining problem.
    """

    problem: BargainingProblem
    _rankings: dict[int, Ranking] = field(default_factory=dict, repr=False)
    _frontier: Frontier | None = field(default=None, repr=False)
    _nash: FloatArray | None = field(default=None, repr=False)

    @classmethod
    def of(cls, problem: Scenario | BargainingProblem | Arena) -> Arena:
        if isinstance(problem, Arena):
            return problem
        return cls(as_problem(problem))

    def ranking(self, party: int) -> Ranking:
        """Party ``party``'s outcomes, best first (:func:`~zopa.negotiation.ranking.rank_outcomes`)."""
        if party not in self._rankings:
            self._rankings[party] = rank_outcomes(self.problem, party)
        return self._rankings[party]

    @property
    def frontier(self) -> Frontier:
        """The Pareto frontier over all outcomes (undiscounted utilities)."""
        if self._frontier is None:
            self._frontier = frontier_of(self.problem)
        return self._frontier

    @property
    def nash(self) -> FloatArray:
        """GENIUS's Nash point (:func:`genius_nash_point`)."""
        if self._nash is None:
            self._nash = genius_nash_point(self.frontier.utilities, self.problem.reservation)
        return self._nash

    def view(self, seat: int, deadline: Deadline) -> PartyView:
        p = self.problem
        return PartyView(
            seat=seat,
            name=p.parties[seat],
            n_parties=p.n_parties,
            space=p.space,
            utility_function=p.utility_functions[seat],
            reservation=float(p.reservation[seat]),
            discount=float(p.discounts[seat]),
            deadline=deadline,
            _problem=p,
            _arena=self,
        )

    def measures(self, point: FloatArray) -> tuple[float | None, float | None]:
        """Distance of a utility vector to the frontier and to the Nash point."""
        front = self.frontier.utilities
        if front.shape[0] == 0:
            return None, None
        to_front = float(np.sqrt(((front - point) ** 2).sum(axis=1)).min())
        return to_front, float(np.sqrt(((self.nash - point) ** 2).sum()))


class _Violation(Exception):
    def __init__(self, seat: int, detail: str) -> None:
        super().__init__(detail)
        self.seat = seat
        self.detail = detail


def _check(action: Any, seat: int, turn: Turn, sizes: Sequence[int]) -> Action:
    if isinstance(action, Offer):
        o = action.outcome
        if type(o) is tuple and len(o) == len(sizes):
            for c, size in zip(o, sizes, strict=True):
                if type(c) is not int or not 0 <= c < size:
                    break
            else:
                return action
            if all(
                isinstance(c, (int, np.integer)) and not isinstance(c, bool) and 0 <= c < size
                for c, size in zip(o, sizes, strict=True)
            ):
                return Offer(tuple(int(c) for c in o))
        raise _Violation(seat, f"offered {o!r}, which is not an outcome of the space")
    if isinstance(action, Accept):
        if turn.offer is None:
            raise _Violation(seat, "accepted with no offer on the table")
        return action
    if isinstance(action, EndNegotiation):
        return action
    raise _Violation(seat, f"returned {action!r}, which is not an action")


def negotiate(
    problem: Scenario | BargainingProblem | Arena,
    agents: Sequence[Negotiator],
    *,
    deadline: Deadline | None = None,
    seed: Any = 0,
    trace: bool = True,
    fast: bool = True,
) -> Negotiation:
    """Play one negotiation under the SAOP rules (:mod:`zopa.negotiation.protocol`).

    Args:
        problem: the scenario, its bargaining problem, or an :class:`Arena` prepared for many
            negotiations on it. Agents sit in the problem's party order; the first opens.
        agents: one negotiator per party.
        deadline: when to stop (default 100 rounds).
        seed: seeds the agents' generators (one independent stream per seat, from
            :class:`numpy.random.SeedSequence`), so the same seed plays the same negotiation.
        trace: keep every action in the result.
        fast: when every agent is a GENIUS time-dependent party and the deadline is in rounds
            only, of at least :data:`zopa.negotiation.fast.ALONE_ROUNDS` rounds, play it with the
            vectorised engine (:mod:`zopa.negotiation.fast`), which gives the same result
            (shorter sessions alone are quicker turn by turn); ``False`` always plays turn by
            turn. :func:`negotiate_many` uses the vectorised engine for any deadline.

    Returns:
        The :class:`~zopa.negotiation.result.Negotiation`.

    Examples:
        >>> from zopa.io import load_scenario
        >>> from zopa.negotiation.agents import agent
        >>> r = negotiate(load_scenario("mexico-us-2017"), [agent("boulware"), agent("conceder")])
        >>> r.agreement, r.reason
        (True, 'agreement')
    """
    arena = Arena.of(problem)
    deadline = _deadline(deadline)
    agents = _seated(arena, agents)
    entropy = _entropy(seed)
    if fast:
        from zopa.negotiation import fast as vectorised

        rounds = deadline.rounds or 0
        if rounds >= vectorised.ALONE_ROUNDS and vectorised.supports(arena, agents, deadline):
            return vectorised.play([(arena, agents, deadline)], trace=trace)[0]
    p = arena.problem
    streams = np.random.SeedSequence(entropy).spawn(len(agents))
    n = p.n_parties
    sizes = p.space.sizes
    start = _time.perf_counter()
    views = [arena.view(k, deadline) for k in range(n)]
    minds: list[Mind] = [
        a.start(views[k], np.random.default_rng(streams[k])) for k, a in enumerate(agents)
    ]
    steps: list[Step] = []
    offer: tuple[int, ...] | None = None
    proposer: int | None = None
    accepts = 0
    reason: Reason = "deadline"
    ended_by: int | None = None
    detail = ""
    t = 0.0
    r = 0
    limit = deadline.rounds
    try:
        while limit is None or r < limit:
            r += 1
            elapsed = _time.perf_counter() - start
            if deadline.seconds is not None and elapsed >= deadline.seconds:
                r -= 1
                break
            t = deadline.time(r, elapsed)
            done = False
            for seat in range(n):
                if deadline.seconds is not None and seat:
                    t = deadline.time(r, _time.perf_counter() - start)
                    if t >= 1.0:
                        done = True
                        break
                turn = Turn(round=r, time=t, offer=offer, proposer=proposer)
                try:
                    raw = minds[seat].act(turn)
                except Exception as exc:  # a failing agent ends the session, recorded
                    raise _Violation(seat, f"raised {type(exc).__name__}: {exc}") from exc
                action = _check(raw, seat, turn, sizes)
                if isinstance(action, Offer):
                    offer, proposer, accepts = action.outcome, seat, 0
                elif isinstance(action, Accept):
                    accepts += 1
                if trace:
                    shown = None if isinstance(action, EndNegotiation) else offer
                    steps.append(
                        Step(
                            r,
                            t,
                            seat,
                            kind_of(action),
                            shown,
                            None if shown is None else tuple(v.utility(shown) for v in views),
                        )
                    )
                event = Event(seat, r, t, action)
                for other in range(n):
                    if other != seat:
                        minds[other].observe(event)
                if isinstance(action, EndNegotiation):
                    reason, ended_by, done = "end", seat, True
                    break
                if isinstance(action, Accept) and accepts == n - 1:
                    reason, ended_by, done = "agreement", seat, True
                    break
            if done:
                break
    except _Violation as v:
        reason, ended_by, detail = "violation", v.seat, v.detail
    return finish(
        arena,
        agents,
        offer,
        reason,
        ended_by,
        detail,
        r,
        t,
        _time.perf_counter() - start,
        tuple(steps),
    )


@dataclass(frozen=True)
class Settlement:
    """What an outcome is worth, independent of when it was reached: every party's undiscounted
    utility (the reservation values without agreement), the agreed options and GENIUS's
    measures (section 6.4 of the negotiation reference)."""

    outcome: tuple[int, ...] | None
    options: dict[str, str] | None
    u: FloatArray
    utilities: tuple[float, ...]
    distance_to_pareto: float | None
    distance_to_nash: float | None
    social_welfare: float


def settle(arena: Arena, outcome: tuple[int, ...] | None) -> Settlement:
    """The :class:`Settlement` of an agreement on ``outcome``, or of no agreement (``None``)."""
    p = arena.problem
    if outcome is not None:
        u = p.utilities(np.asarray(outcome, dtype=np.int64))
        options = p.space.decode(np.asarray(outcome))
    else:
        u, options = np.asarray(p.reservation, dtype=float), None
    to_front, to_nash = arena.measures(u)
    return Settlement(
        outcome,
        options,
        u,
        tuple(float(x) for x in u),
        to_front,
        to_nash,
        float(u.sum()),
    )


def finish(
    arena: Arena,
    agents: Sequence[Negotiator],
    offer: tuple[int, ...] | None,
    reason: Reason,
    ended_by: int | None,
    detail: str,
    rounds: int,
    t: float,
    seconds: float,
    trace: tuple[Step, ...],
    settled: Settlement | None = None,
) -> Negotiation:
    """The :class:`Negotiation` of a session that ended for ``reason`` in round ``rounds`` at
    time ``t`` with ``offer`` on the table (shared by both engines, so they measure alike).
    ``settled``, when given, is :func:`settle` of the agreement (or of none), computed once for
    many negotiations that ended alike."""
    p = arena.problem
    if reason == "deadline":
        t = 1.0
    agreed = reason == "agreement"
    assert not agreed or offer is not None
    if settled is None:
        settled = settle(arena, offer if agreed else None)
    disc = settled.u * p.discounts**t
    return Negotiation(
        parties=p.parties,
        agents=tuple(a.name for a in agents),
        issues=p.space.names,
        agreement=agreed,
        outcome=settled.outcome,
        options=None if settled.options is None else dict(settled.options),
        utilities=settled.utilities,
        discounted=tuple(float(x) for x in disc),
        rounds=rounds,
        time=float(t),
        seconds=seconds,
        ended_by=None if ended_by is None else p.parties[ended_by],
        reason=reason,
        detail=detail,
        distance_to_pareto=settled.distance_to_pareto,
        distance_to_nash=settled.distance_to_nash,
        social_welfare=settled.social_welfare,
        trace=trace,
    )


def _entropy(seed: Any) -> int:
    """The root entropy of a negotiation's seed (the agents' streams are spawned from it)."""
    root = generator(seed) if not isinstance(seed, np.random.Generator) else seed
    return int(root.integers(2**63))


def _deadline(deadline: Deadline | None) -> Deadline:
    deadline = Deadline() if deadline is None else deadline
    if not isinstance(deadline, Deadline):
        raise ArgumentError(f"deadline: expected a Deadline, got {type(deadline).__name__}")
    return deadline


def _seated(arena: Arena, agents: Sequence[Negotiator]) -> list[Negotiator]:
    p = arena.problem
    agents = list(agents)
    if len(agents) != p.n_parties:
        raise ArgumentError(
            f"agents: expected one per party ({p.n_parties}: {', '.join(p.parties)}), "
            f"got {len(agents)}"
        )
    for a in agents:
        if not isinstance(a, Negotiator):
            raise ArgumentError(f"agents: expected Negotiator objects, got {type(a).__name__}")
    return agents


def negotiate_many(
    problem: Scenario | BargainingProblem | Arena,
    pairings: Sequence[Sequence[Negotiator]],
    deadline: Deadline | None = None,
    *,
    seeds: Sequence[Any] | None = None,
    trace: bool = False,
) -> list[Negotiation]:
    """Play many negotiations on one scenario: the same results as
    ``[negotiate(problem, agents, deadline=deadline, seed=seed, trace=trace) for agents, seed in
    zip(pairings, seeds)]``, with every pairing of GENIUS time-dependent parties played at once
    by the vectorised engine (:mod:`zopa.negotiation.fast`) and the others turn by turn.

    Args:
        problem: the scenario, its bargaining problem, or an :class:`Arena` (rankings, frontier
            and Nash point are built once and shared by every negotiation).
        pairings: for each negotiation, one negotiator per party, in the problem's party order.
        deadline: the deadline of every negotiation (default 100 rounds).
        seeds: one seed per negotiation (default 0 for each).
        trace: keep every action in the results (default: not, to save memory).

    Returns:
        One :class:`~zopa.negotiation.result.Negotiation` per pairing, in order.

    Examples:
        >>> from zopa.io import load_scenario
        >>> from zopa.negotiation.agents import agent
        >>> s = load_scenario("mexico-us-2017")
        >>> b, c = agent("boulware"), agent("conceder")
        >>> results = negotiate_many(s, [[b, c], [c, b], [b, b]])
        >>> [(r.agents, r.rounds, r.reason) for r in results]  # doctest: +NORMALIZE_WHITESPACE
        [(('boulware', 'conceder'), 24, 'agreement'), (('conceder', 'boulware'), 57, 'agreement'),
         (('boulware', 'boulware'), 80, 'agreement')]
        >>> results[0] == negotiate(s, [b, c], trace=False, fast=False)
        True
    """
    from zopa.negotiation import fast as vectorised

    arena = Arena.of(problem)
    deadline = _deadline(deadline)
    seated = [_seated(arena, agents) for agents in pairings]
    if seeds is None:
        seeds = [0] * len(seated)
    elif len(seeds) != len(seated):
        raise ArgumentError(f"seeds: expected one per pairing ({len(seated)}), got {len(seeds)}")
    results: list[Negotiation | None] = [None] * len(seated)
    batch = []
    for k, (agents, seed) in enumerate(zip(seated, seeds, strict=True)):
        if vectorised.supports(arena, agents, deadline):
            if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
                _entropy(seed)  # the same seed check (and draw from a Generator) as negotiate's
            batch.append(k)
        else:
            results[k] = negotiate(arena, agents, deadline=deadline, seed=seed, trace=trace)
    played = vectorised.play([(arena, seated[k], deadline) for k in batch], trace=trace)
    for k, result in zip(batch, played, strict=True):
        results[k] = result
    return [r for r in results if r is not None]
