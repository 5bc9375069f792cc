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

from zopa.analysis.frontier import Frontier, as_problem, frontier_of, nondominated_mask
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
from zopa.negotiation.ranking import Outcomes, Ranking, enumerate_outcomes, rank_outcomes
from zopa.negotiation.result import Negotiation, Reason, Step

__all__ = [
    "ENUMERATION_CUTOFF",
    "Arena",
    "Settlement",
    "finish",
    "genius_nash_point",
    "negotiate",
    "negotiate_many",
    "settle",
]

FloatArray = npt.NDArray[np.float64]

#: GENIUS's ``MultilateralAnalysis.ENUMERATION_CUTOFF``: its frontier (and so its distances and
#: Nash point) is built from the first 100,000 bids of its enumeration only.
ENUMERATION_CUTOFF = 100_000


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
        cap: ``None``, or a utility cap: every utility the parties see and the measures use is
            then ``min(U, cap)``. GENIUS's ``AdditiveUtilitySpace.getUtility`` returns
            ``min(U, 1)`` (a profile whose weights sum to more than 1, such as ANAC 2011 Laptop,
            has outcomes worth more than 1 that GENIUS counts as 1), and its parties, its
            rankings and its ``MultilateralAnalysis`` all use that value; ``cap=1.0`` plays a
            GENIUS scenario as GENIUS does. zopa's own model has no cap.
    """

    problem: BargainingProblem
    cap: float | None = None
    _rankings: dict[int, Ranking] = field(default_factory=dict, repr=False)
    _outcomes: Outcomes | None = field(default=None, repr=False)
    _frontier: Frontier | None = field(default=None, repr=False)
    _nash: FloatArray | None = field(default=None, repr=False)
    _analysed: FloatArray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        c = self.cap
        if c is not None and (
            isinstance(c, bool) or not isinstance(c, (int, float)) or not np.isfinite(c)
        ):
            raise ArgumentError(f"cap: expected a finite number or None, got {c!r}")

    @classmethod
    def of(
        cls, problem: Scenario | BargainingProblem | Arena, *, cap: float | None = None
    ) -> Arena:
        """``problem`` prepared (an :class:`Arena` is returned as it is; ``cap`` must then be its
        own or ``None``)."""
        if isinstance(problem, Arena):
            if cap is not None and cap != problem.cap:
                raise ArgumentError(
                    f"cap: the arena was prepared with cap {problem.cap!r}, got {cap!r}"
                )
            return problem
        return cls(as_problem(problem), cap=cap)

    def utilities(self, outcomes: npt.ArrayLike) -> FloatArray:
        """Every party's utility of ``outcomes`` (capped when :attr:`cap` is set)."""
        u = self.problem.utilities(outcomes)
        return u if self.cap is None else np.minimum(u, self.cap)

    def ranking(self, party: int) -> Ranking:
        """Party ``party``'s outcomes, best first (:func:`~zopa.negotiation.ranking.rank_outcomes`)."""
        if party not in self._rankings:
            if self._outcomes is None:
                self._outcomes = enumerate_outcomes(self.problem.space)
            self._rankings[party] = rank_outcomes(
                self.problem, party, cap=self.cap, outcomes=self._outcomes
            )
            if len(self._rankings) == self.problem.n_parties:
                self._outcomes = None  # every party ranked: the enumeration is not needed again
        return self._rankings[party]

    @property
    def frontier(self) -> Frontier:
        """The Pareto frontier over all outcomes (undiscounted utilities, capped when :attr:`cap`
        is set: capping is monotone, so the capped frontier is the non-dominated part of the
        capped points of the uncapped one)."""
        if self._frontier is None:
            front = frontier_of(self.problem)
            if self.cap is not None and len(front):
                capped = np.minimum(front.utilities, self.cap)
                keep = nondominated_mask(capped)
                u, o = capped[keep], front.outcomes[keep]
                u.setflags(write=False)
                o.setflags(write=False)
                front = Frontier(u, o)
            self._frontier = front
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
            _cap=self.cap,
        )

    def measures(self, point: FloatArray) -> tuple[float | None, float | None]:
        """Distance of a utility vector to the frontier and to the Nash point."""
        front = self.frontier.utilities
        if front.shape[0] == 0:
            return None, None
        to_front = float(np.sqrt(((front - point) ** 2).sum(axis=1)).min())
        return to_front, float(np.sqrt(((self.nash - point) ** 2).sum()))

    @property
    def analysed_frontier(self) -> FloatArray:
        """The undiscounted frontier GENIUS's analysis uses, in its order: the Pareto points of
        the first :data:`ENUMERATION_CUTOFF` bids of GENIUS's enumeration (the first issue
        changing fastest; all bids on smaller spaces), by party 0's utility ascending
        (``ParetoFrontier.sort``)."""
        if self._analysed is None:
            space = self.problem.space
            if space.cardinality <= ENUMERATION_CUTOFF:
                front = self.frontier.utilities
            else:
                index = np.arange(ENUMERATION_CUTOFF, dtype=np.int64)
                codes = np.empty((ENUMERATION_CUTOFF, space.n_issues), dtype=np.int64)
                for k, size in enumerate(space.sizes):
                    codes[:, k] = index % size
                    index //= size
                u = self.utilities(codes)
                front = u[nondominated_mask(u)]
            front = front[np.argsort(front[:, 0], kind="stable")]
            front.setflags(write=False)
            self._analysed = front
        return self._analysed

    def genius_measures(
        self, utilities: npt.ArrayLike | None, time: float
    ) -> tuple[float | None, float | None, float]:
        """Distance to the Pareto frontier, distance to the Nash point and social welfare as
        GENIUS logs them (``CsvLogger`` builds ``MultilateralAnalysis(parties, agreement, t)``
        with the session's end time ``t``).

        Every bid point, the agreement among them, is discounted to ``t`` (``U·d^t``, each party
        its own ``d``); without agreement (``utilities`` is ``None``) the agreement point is 0
        for every party and social welfare is 0. The Nash point is the frontier point
        maximising ``Π (U·d^t − rv)`` (undiscounted reservation values, no filter, the first
        maximum in :attr:`analysed_frontier`'s order); distances are Euclidean.
        """
        scale = np.asarray(self.problem.discounts, dtype=float) ** min(max(float(time), 0.0), 1.0)
        front = self.analysed_frontier * scale
        point = (
            np.zeros(self.problem.n_parties)
            if utilities is None
            else np.asarray(utilities, dtype=float) * scale
        )
        welfare = 0.0 if utilities is None else float(point.sum())
        if front.shape[0] == 0:
            return None, None, welfare
        to_front = float(np.sqrt(((front - point) ** 2).sum(axis=1)).min())
        nash = genius_nash_point(front, self.problem.reservation)
        return to_front, float(np.sqrt(((nash - point) ** 2).sum())), welfare


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
    cap: float | None = None,
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
        cap: play and measure ``min(U, cap)`` instead of ``U`` (:attr:`Arena.cap`; ``1.0``
            for a scenario read from GENIUS files, as GENIUS caps additive utilities at 1).
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
    arena = Arena.of(problem, cap=cap)
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
    """How a session that ended at time ``t`` with an outcome (or none) is scored: every party's
    undiscounted and discounted utility (the reservation values without agreement), the agreed
    options and GENIUS's measures (:meth:`Arena.genius_measures`)."""

    outcome: tuple[int, ...] | None
    options: dict[str, str] | None
    utilities: tuple[float, ...]
    discounted: tuple[float, ...]
    distance_to_pareto: float | None
    distance_to_nash: float | None
    social_welfare: float


def settle(arena: Arena, outcome: tuple[int, ...] | None, t: float) -> Settlement:
    """The :class:`Settlement` of an agreement on ``outcome`` at time ``t``, or of no agreement
    (``None``)."""
    p = arena.problem
    if outcome is not None:
        u = arena.utilities(np.asarray(outcome, dtype=np.int64))
        options = p.space.decode(np.asarray(outcome))
    else:
        u, options = np.asarray(p.reservation, dtype=float), None
    disc = u * p.discounts**t
    to_front, to_nash, welfare = arena.genius_measures(None if outcome is None else u, t)
    return Settlement(
        outcome,
        options,
        tuple(float(x) for x in u),
        tuple(float(x) for x in disc),
        to_front,
        to_nash,
        welfare,
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
    ``settled``, when given, is :func:`settle` of the agreement (or of none) at the end time,
    computed once for many negotiations that ended alike."""
    p = arena.problem
    if reason == "deadline":
        t = 1.0
    agreed = reason == "agreement"
    assert not agreed or offer is not None
    if settled is None:
        settled = settle(arena, offer if agreed else None, t)
    return Negotiation(
        parties=p.parties,
        agents=tuple(a.name for a in agents),
        issues=p.space.names,
        agreement=agreed,
        outcome=settled.outcome,
        options=None if settled.options is None else dict(settled.options),
        utilities=settled.utilities,
        discounted=settled.discounted,
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
    cap: float | None = None,
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
        cap: as :func:`negotiate`'s.

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

    arena = Arena.of(problem, cap=cap)
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
