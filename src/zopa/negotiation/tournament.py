"""Tournaments: every negotiation of a :class:`~zopa.model.tournament.TournamentConfig`, each
with its own seed, played serially, on local processes or on a Dask cluster, with the same rows.

**The list of negotiations** (:func:`schedule`) is GENIUS's tournament generation (section 6.5 of
the negotiation reference): for each scenario with ``n`` parties, every assignment of ``n``
agents to the seats (ordered with ``role_swaps``, with an agent meeting itself only with
``self_play``), each repeated ``repetitions`` times. A negotiation's identity is
``SCENARIO|AGENT,AGENT,...|REPETITION`` (agents by seat).

**Seeds** (:func:`negotiation_seed`): negotiation ``x`` plays with the seed drawn from
``SeedSequence(master, spawn_key=k(x))``, where ``k(x)`` is the BLAKE2b hash of its identity cut
into four 32-bit words. A negotiation's seed depends only on the master seed and its identity,
not on the order in which negotiations are generated or run, nor on the machine; adding an agent
or a scenario leaves every other negotiation's seed as it was.

**Runners** play a list of negotiations and yield one :class:`Row` per negotiation, in any order:
:class:`SerialRunner` (this process), :class:`ProcessRunner` (``concurrent.futures`` processes)
and :class:`DaskRunner` (a ``dask.distributed`` cluster). The rows are identical whichever runner
plays them (wall-clock ``seconds`` aside).

**Faults** become failure rows and the tournament goes on:

- an agent that raises in its turn or proposes an outcome outside the space breaks the protocol:
  status ``violation`` (:func:`~zopa.negotiation.session.negotiate` records who and why);
- an agent that raises while starting: status ``error``;
- a negotiation that runs past the time limit: status ``timeout``. In this process and in
  process workers the limit is a ``SIGALRM`` timer (``setitimer``) that interrupts the agent
  wherever it is, sleeping included, and the worker goes on. A hang the timer cannot interrupt
  (an agent blocking ``SIGALRM``, or stuck in C code) is caught by the process runner's watchdog:
  after ``2 × limit × chunk + grace`` seconds without an answer (a task may wait for the one ahead
  of it) it kills the pool's processes,
  starts new ones, and replays the late chunk's negotiations one at a time, so that only the
  one that hangs again is recorded (the seeds make the replay exact). On Dask, tasks run in
  worker threads, where no signal arrives: the limit raises the timeout in the task's thread
  (``PyThreadState_SetAsyncExc``), which stops Python code at its next instruction but not a
  blocking call (``time.sleep``) before it returns;
- a worker that dies (an agent calling ``os._exit``, a segfault): status ``crashed``. The
  process runner starts a new pool and replays the negotiations that were in flight one at a
  time, alone in the pool, so the one that kills its worker is known. On Dask the nannies
  restart the worker and the scheduler retries the task until it has killed more workers than
  Dask's ``allowed-failures`` (3); the negotiations of such a task are then replayed one at a
  time with nothing else running, and one whose task is given up on again is recorded.
"""

from __future__ import annotations

import ctypes
import hashlib
import itertools
import os
import signal
import threading
import time as _time
import traceback
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np

from zopa.analysis.frontier import as_problem
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario
from zopa.model.tournament import TournamentConfig
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.protocol import Deadline
from zopa.negotiation.session import Arena, negotiate

__all__ = [
    "DaskRunner",
    "Entry",
    "NegotiationTimeout",
    "Plan",
    "ProcessRunner",
    "Row",
    "SerialRunner",
    "build_agents",
    "negotiation_seed",
    "plan_tournament",
    "play",
    "run_tournament",
    "schedule",
]

Status = Literal["ok", "violation", "error", "timeout", "crashed"]


# ---------------------------------------------------------------------------------- identity
def negotiation_seed(master: int, identity: str) -> int:
    """The seed of the negotiation ``identity`` in a tournament with master seed ``master``: a
    63-bit integer from ``SeedSequence(master, spawn_key=BLAKE2b(identity))`` (module docstring).

    Examples:
        >>> negotiation_seed(0, "s|a,b|0") == negotiation_seed(0, "s|a,b|0")
        True
        >>> negotiation_seed(0, "s|a,b|0") != negotiation_seed(1, "s|a,b|0")
        True
    """
    digest = hashlib.blake2b(identity.encode("utf-8"), digest_size=16).digest()
    key = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    low, high = np.random.SeedSequence(master, spawn_key=key).generate_state(2, dtype=np.uint32)
    return ((int(high) << 32) | int(low)) >> 1


@dataclass(frozen=True, slots=True)
class Entry:
    """One negotiation of a tournament.

    Attributes:
        index: its position in the schedule (for ordering; not part of the identity).
        scenario: the scenario's key.
        agents: the agents' keys, by seat.
        repetition: which repetition of this table, from 0.
        seed: its seed (:func:`negotiation_seed`).
    """

    index: int
    scenario: str
    agents: tuple[str, ...]
    repetition: int
    seed: int

    @property
    def id(self) -> str:
        """The identity, ``SCENARIO|AGENT,AGENT|REPETITION``."""
        return identity(self.scenario, self.agents, self.repetition)


def identity(scenario: str, agents: Sequence[str], repetition: int) -> str:
    return f"{scenario}|{','.join(agents)}|{repetition}"


def schedule(config: TournamentConfig, parties: Mapping[str, int]) -> list[Entry]:
    """Every negotiation of the tournament (module docstring), scenario by scenario.

    Args:
        config: the tournament.
        parties: the number of parties of each scenario, by key, in the tournament's order.

    Raises:
        ScenarioError: a scenario seats more parties than there are agents (without
            ``self_play``), so it would have no negotiation.

    Examples:
        >>> from zopa.model.tournament import AgentSpec, ScenarioSpec
        >>> c = TournamentConfig(
        ...     agents=(AgentSpec(agent="a"), AgentSpec(agent="b"), AgentSpec(agent="c")),
        ...     scenarios=(ScenarioSpec(spec="s", key="s"),), repetitions=2)
        >>> [e.id for e in schedule(c, {"s": 2})][:3]
        ['s|a,b|0', 's|a,c|0', 's|b,a|0']
        >>> len(schedule(c, {"s": 2})), len(schedule(replace(c, role_swaps=False), {"s": 2}))
        (12, 6)
    """
    keys = [a.key for a in config.agents]
    out: list[Entry] = []
    for spec in config.scenarios:
        n = parties[spec.key]
        if config.role_swaps:
            tables: Iterable[tuple[str, ...]] = (
                itertools.product(keys, repeat=n)
                if config.self_play
                else itertools.permutations(keys, n)
            )
        else:
            tables = (
                itertools.combinations_with_replacement(keys, n)
                if config.self_play
                else itertools.combinations(keys, n)
            )
        tables = list(tables)
        if not tables:
            raise ScenarioError(
                f"expected at least {n} agents for a scenario with {n} parties (or self_play: "
                f"true), got {len(keys)}",
                path=f"scenarios[{config.scenarios.index(spec)}]",
                source=config.source,
                line=spec.line,
            )
        for rep in range(config.repetitions):
            for table in tables:
                out.append(
                    Entry(
                        index=len(out),
                        scenario=spec.key,
                        agents=table,
                        repetition=rep,
                        seed=negotiation_seed(config.seed, identity(spec.key, table, rep)),
                    )
                )
    return out


def build_agents(
    config: TournamentConfig, registry: Callable[[str], Negotiator] | None = None
) -> dict[str, Negotiator]:
    """The tournament's agents by key: each built by ``registry`` (default
    :func:`zopa.negotiation.agents.agent`) with the file's parameters replacing the defaults
    (:func:`dataclasses.replace`).

    Raises:
        ScenarioError: an unknown agent or parameter, or a bad value (located in the file).
    """
    if registry is None:
        from zopa.negotiation.agents import agent

        registry = agent
    out: dict[str, Negotiator] = {}
    for i, spec in enumerate(config.agents):
        where = {"source": config.source, "line": spec.line, "path": f"agents[{i}]"}
        try:
            built = registry(spec.agent)
        except ArgumentError as exc:
            raise ScenarioError(str(exc).removeprefix("agent: "), **where) from None  # type: ignore[arg-type]
        if spec.params:
            allowed = built.params()
            unknown = [name for name, _ in spec.params if name not in allowed]
            if unknown:
                # parameters the registry's spec grammar takes (``time-dependent(e=0.5)``)
                text = ",".join(f"{k}={_spec_value(v)}" for k, v in spec.params)
                try:
                    built = registry(f"{spec.agent}({text})")
                except ArgumentError:
                    raise ScenarioError(
                        f'{spec.agent} has no parameter "{unknown[0]}"; expected one of '
                        f"{', '.join(allowed) or 'none'}",
                        **where,  # type: ignore[arg-type]
                    ) from None
            else:
                try:
                    built = replace(built, **dict(spec.params))  # type: ignore[type-var]
                except (ArgumentError, TypeError, ValueError) as exc:
                    raise ScenarioError(str(exc), **where) from None  # type: ignore[arg-type]
        out[spec.key] = built
    return out


def _spec_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


# ---------------------------------------------------------------------------------- plans
@dataclass(frozen=True, eq=False)
class Plan:
    """What every worker needs to play any negotiation of a tournament; sent once per worker.

    Attributes:
        problems: the bargaining problems, by scenario key.
        agents: the negotiators, by agent key.
        deadline: every negotiation's deadline.
        time_limit: wall-clock seconds one negotiation may take, or ``None``.
        traces: whether rows carry the negotiation's trace.
        token: tells one plan from another in a worker's cache.
    """

    problems: Mapping[str, BargainingProblem]
    agents: Mapping[str, Negotiator]
    deadline: Deadline
    time_limit: float | None = None
    traces: bool = False
    token: str = field(default_factory=lambda: uuid.uuid4().hex)


def plan_tournament(
    config: TournamentConfig,
    scenarios: Mapping[str, Scenario | BargainingProblem],
    *,
    agents: Mapping[str, Negotiator] | None = None,
    traces: bool = False,
) -> tuple[Plan, list[Entry]]:
    """The plan and the list of negotiations of ``config`` on ``scenarios`` (by key; loaded by
    the caller, in the order the tournament should play them).

    Args:
        config: the tournament.
        scenarios: scenarios or bargaining problems by key (keys may be expansions of the file's
            scenario entries: the order of ``scenarios`` is the order of play).
        agents: negotiators by key, instead of building the config's agents from the registry
            (for agents that are not built in).
        traces: keep each negotiation's trace in its row.
    """
    problems = {k: as_problem(s) for k, s in scenarios.items()}
    from zopa.model.tournament import ScenarioSpec

    specs = {s.key: s for s in config.scenarios}
    ordered = tuple(specs.get(k) or ScenarioSpec(spec=k, key=k, line=None) for k in problems)
    entries = schedule(
        replace(config, scenarios=ordered), {k: p.n_parties for k, p in problems.items()}
    )
    built = dict(agents) if agents is not None else build_agents(config)
    deadline = Deadline(rounds=config.rounds, seconds=config.seconds)
    return (
        Plan(
            problems=problems,
            agents=built,
            deadline=deadline,
            time_limit=config.time_limit,
            traces=traces,
        ),
        entries,
    )


# ---------------------------------------------------------------------------------- rows
@dataclass(frozen=True, slots=True)
class Row:
    """One negotiation's result in a tournament: its identity, seed and status, and the
    per-negotiation fields of :class:`~zopa.negotiation.result.Negotiation` (``None`` where the
    negotiation did not finish: timeouts, crashes, errors).

    Attributes:
        id: the identity (:attr:`Entry.id`).
        index: position in the schedule.
        scenario: the scenario's key.
        agents: the agents' keys by seat.
        repetition: the repetition.
        seed: the negotiation's seed.
        status: ``ok``, ``violation``, ``error``, ``timeout`` or ``crashed``.
        failure: what went wrong, for every status but ``ok``; else ``""``.
        trace: the actions, as :meth:`~zopa.negotiation.result.Step.to_dict` dicts, when kept.
    """

    id: str
    index: int
    scenario: str
    agents: tuple[str, ...]
    repetition: int
    seed: int
    status: Status
    failure: str
    parties: tuple[str, ...] = ()
    agreement: bool | None = None
    outcome: dict[str, str] | None = None
    outcome_codes: tuple[int, ...] | None = None
    utilities: tuple[float, ...] | None = None
    discounted: tuple[float, ...] | None = None
    rounds: int | None = None
    time: float | None = None
    seconds: float | None = field(default=None, compare=False)
    ended_by: str | None = None
    reason: str | None = None
    detail: str = ""
    distance_to_pareto: float | None = None
    distance_to_nash: float | None = None
    social_welfare: float | None = None
    trace: tuple[dict[str, Any], ...] = ()

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        out = {
            "id": self.id,
            "index": self.index,
            "scenario": self.scenario,
            "agents": list(self.agents),
            "repetition": self.repetition,
            "seed": self.seed,
            "status": self.status,
            "failure": self.failure,
            "parties": list(self.parties),
            "agreement": self.agreement,
            "outcome": self.outcome,
            "outcome_codes": None if self.outcome_codes is None else list(self.outcome_codes),
            "utilities": None if self.utilities is None else list(self.utilities),
            "discounted": None if self.discounted is None else list(self.discounted),
            "rounds": self.rounds,
            "time": self.time,
            "seconds": self.seconds,
            "ended_by": self.ended_by,
            "reason": self.reason,
            "detail": self.detail,
            "distance_to_pareto": self.distance_to_pareto,
            "distance_to_nash": self.distance_to_nash,
            "social_welfare": self.social_welfare,
        }
        if trace:
            out["trace"] = list(self.trace)
        return out


def failure_row(entry: Entry, status: Status, failure: str, parties: Sequence[str] = ()) -> Row:
    """The row of a negotiation that did not finish."""
    return Row(
        id=entry.id,
        index=entry.index,
        scenario=entry.scenario,
        agents=entry.agents,
        repetition=entry.repetition,
        seed=entry.seed,
        status=status,
        failure=failure,
        parties=tuple(parties),
    )


# ---------------------------------------------------------------------------------- playing
class NegotiationTimeout(BaseException):
    """Raised inside a negotiation that ran past its time limit (a ``BaseException``, so that an
    agent's ``except Exception`` and the protocol's own fault handling let it through)."""


@contextmanager
def time_limit(
    seconds: float | None, *, hard_stop: float | None = None, name: str = ""
) -> Iterator[None]:
    """Raise :class:`NegotiationTimeout` in the block after ``seconds`` (module docstring).

    ``hard_stop`` (for Dask workers only, in a thread): when the block has still not stopped
    ``hard_stop`` seconds after the timeout was raised in it (a blocking call), log the event
    ``zopa-timeout`` with ``name`` to the Dask scheduler and end the worker process, which its
    nanny restarts."""
    if seconds is None:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):

        def alarm(signum: int, frame: object) -> None:
            raise NegotiationTimeout

        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    timers: list[threading.Timer] = []
    worker = _dask_worker() if hard_stop is not None else None  # in the task's thread

    def fire() -> None:
        with lock:
            if state["active"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(target), ctypes.py_object(NegotiationTimeout)
                )
                if hard_stop is not None:
                    hard = threading.Timer(hard_stop, stop)
                    hard.daemon = True
                    timers.append(hard)
                    hard.start()

    def stop() -> None:
        with lock:
            if not state["active"]:
                return
        _end_dask_worker(worker, name)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
        timer.cancel()
        for t in timers:
            t.cancel()
        if state["fired"]:  # not yet delivered: clear it
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target), None)


#: Name of the Dask event a worker logs before it ends itself over a negotiation that would not
#: stop (:func:`time_limit`'s ``hard_stop``).
TIMEOUT_EVENT = "zopa-timeout"


def _dask_worker() -> Any:
    """The Dask worker running this task (from the task's own thread), or ``None``."""
    try:
        from distributed import get_worker

        return get_worker()
    except (ImportError, ValueError):
        return None


def _end_dask_worker(worker: Any, name: str) -> None:  # pragma: no cover - ends the process
    try:
        if worker is not None:
            worker.log_event(TIMEOUT_EVENT, {"id": name})
            _time.sleep(1.0)  # let the event reach the scheduler
    finally:
        os._exit(70)


_ARENAS: dict[tuple[str, str], Arena] = {}


def _arena(plan: Plan, scenario: str) -> Arena:
    key = (plan.token, scenario)
    found = _ARENAS.get(key)
    if found is None:
        if len(_ARENAS) > 256:
            _ARENAS.clear()
        found = _ARENAS[key] = Arena(plan.problems[scenario])
    return found


def play(plan: Plan, entry: Entry, *, hard_stop: float | None = None) -> Row:
    """Play one negotiation of the plan under its time limit; faults become failure rows
    (``hard_stop``: see :func:`time_limit`)."""
    arena = _arena(plan, entry.scenario)
    parties = arena.problem.parties
    start = _time.perf_counter()
    try:
        with time_limit(plan.time_limit, hard_stop=hard_stop, name=entry.id):
            # the rankings, frontier and Nash point are shared by every negotiation on the
            # scenario: build them outside the timed negotiation once per worker
            result = negotiate(
                arena,
                [plan.agents[a] for a in entry.agents],
                deadline=plan.deadline,
                seed=entry.seed,
                trace=plan.traces,
            )
    except NegotiationTimeout:
        return replace(
            failure_row(
                entry,
                "timeout",
                f"ran past the time limit of {plan.time_limit:g} s",
                parties,
            ),
            seconds=_time.perf_counter() - start,
        )
    except Exception as exc:  # an agent failing outside its turns (in start): recorded
        frame = traceback.extract_tb(exc.__traceback__)[-1:]
        where = f" at {os.path.basename(frame[0].filename)}:{frame[0].lineno}" if frame else ""
        return replace(
            failure_row(entry, "error", f"{type(exc).__name__}: {exc}{where}", parties),
            seconds=_time.perf_counter() - start,
        )
    status: Status = "violation" if result.reason == "violation" else "ok"
    failure = ""
    if status == "violation":
        seat = parties.index(result.ended_by) if result.ended_by in parties else None
        who = "" if seat is None else f"{entry.agents[seat]} (seat {seat}, {result.ended_by}) "
        failure = f"{who}{result.detail}"
    return Row(
        id=entry.id,
        index=entry.index,
        scenario=entry.scenario,
        agents=entry.agents,
        repetition=entry.repetition,
        seed=entry.seed,
        status=status,
        failure=failure,
        parties=result.parties,
        agreement=result.agreement,
        outcome=result.options,
        outcome_codes=result.outcome,
        utilities=result.utilities,
        discounted=result.discounted,
        rounds=result.rounds,
        time=result.time,
        seconds=result.seconds,
        ended_by=result.ended_by,
        reason=result.reason,
        detail=result.detail,
        distance_to_pareto=result.distance_to_pareto,
        distance_to_nash=result.distance_to_nash,
        social_welfare=result.social_welfare,
        trace=tuple(s.to_dict() for s in result.trace),
    )


def play_chunk(
    plan: Plan, entries: Sequence[Entry], *, hard_stop: float | None = None
) -> list[Row]:
    """Play negotiations one after the other (what one task of a runner does)."""
    for e in entries:  # warm the arenas outside the time limits
        arena = _arena(plan, e.scenario)
        arena.nash  # noqa: B018 - builds the frontier and the Nash point
        for seat in range(arena.problem.n_parties):
            arena.ranking(seat)
    return [play(plan, e, hard_stop=hard_stop) for e in entries]


def chunks(entries: Sequence[Entry], size: int) -> list[list[Entry]]:
    return [list(entries[i : i + size]) for i in range(0, len(entries), size)]


def _check_chunk(chunk: int | None) -> int | None:
    if chunk is not None and (isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1):
        raise ArgumentError(f"chunk: expected an integer >= 1 or None, got {chunk!r}")
    return chunk


def chunk_size(n: int, workers: int) -> int:
    """Negotiations per task: about 8 tasks per worker, at most 64 per task."""
    return max(1, min(64, -(-n // (workers * 8))))


# ---------------------------------------------------------------------------------- runners
class SerialRunner:
    """Play every negotiation in this process, one after the other."""

    workers = 1

    def run(self, plan: Plan, entries: Sequence[Entry]) -> Iterator[Row]:
        for chunk in chunks(entries, 64):
            yield from play_chunk(plan, chunk)

    def close(self) -> None:
        pass


_WORKER_PLANS: dict[str, Plan] = {}


def _init_worker() -> None:
    if hasattr(signal, "SIGINT"):  # Ctrl-C stops the parent, which stops the workers
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_chunk(token: str, plan: bytes, entries: Sequence[Entry]) -> list[Row]:
    """One task of a process worker: the plan comes pickled with every task (a few kB) and is
    unpickled once per worker."""
    found = _WORKER_PLANS.get(token)
    if found is None:
        import pickle

        _WORKER_PLANS.clear()
        found = _WORKER_PLANS[token] = pickle.loads(plan)
    return play_chunk(found, entries)


def _ready(_: int = 0) -> int:
    return os.getpid()


class ProcessRunner:
    """Play negotiations on ``workers`` local processes (:class:`concurrent.futures.ProcessPoolExecutor`
    with the ``spawn`` start method). The pool is started on first use (or by :meth:`start`)
    and kept for later runs until :meth:`close`.

    At most two tasks per worker are in flight (one running, one waiting, so that a worker never
    waits for the parent), so a task starts at most one task's time limits after it is
    submitted, and the watchdog allows for that (module docstring, *Faults*).

    Args:
        workers: number of processes.
        grace: seconds the watchdog adds to a task's time limits before it replaces the pool.
        chunk: negotiations per task (default :func:`chunk_size`).
    """

    def __init__(self, workers: int, *, grace: float = 10.0, chunk: int | None = None) -> None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise ArgumentError(f"--workers: expected an integer >= 1, got {workers!r}")
        self.workers = workers
        self.grace = grace
        self.chunk = _check_chunk(chunk)
        self._executor: Any = None

    def start(self) -> None:
        """Start the worker processes now (they are otherwise started by the first run)."""
        pool = self._pool()
        list(pool.map(_ready, range(self.workers)))

    def _pool(self) -> Any:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
            )
        return self._executor

    def _kill(self) -> None:
        # ProcessPoolExecutor has no way to stop a busy worker before Python 3.14
        # (terminate_workers): kill its processes, then let it shut down
        pool, self._executor = self._executor, None
        if pool is not None:
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self, plan: Plan, entries: Sequence[Entry]) -> Iterator[Row]:
        import pickle
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        parties = {k: p.parties for k, p in plan.problems.items()}
        packed = pickle.dumps(plan)
        queue: deque[list[Entry]] = deque(
            chunks(entries, self.chunk or chunk_size(len(entries), self.workers))
        )
        suspects: deque[Entry] = deque()  # replayed alone, one at a time
        inflight: dict[Any, tuple[list[Entry], bool, float]] = {}
        limit = plan.time_limit

        def budget(chunk: list[Entry]) -> float:
            return float("inf") if limit is None else 2 * len(chunk) * limit + self.grace

        def submit(chunk: list[Entry], alone: bool) -> None:
            f = self._pool().submit(_worker_chunk, plan.token, packed, chunk)
            inflight[f] = (chunk, alone, _time.monotonic())

        try:
            while queue or suspects or inflight:
                if suspects:
                    if not inflight:
                        submit([suspects.popleft()], True)
                else:
                    while queue and len(inflight) < 2 * self.workers:
                        submit(queue.popleft(), False)
                done, _ = wait(list(inflight), timeout=0.25, return_when=FIRST_COMPLETED)
                broken = False
                for f in done:
                    try:
                        rows = f.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    del inflight[f]
                    yield from rows
                now = _time.monotonic()
                late = [f for f, (c, _, t0) in inflight.items() if now - t0 > budget(c)]
                if not broken and not late:
                    continue
                self._kill()
                for f, (chunk, alone, _) in list(inflight.items()):
                    if alone:  # it was alone in the pool: it is the culprit
                        e = chunk[0]
                        if f in late:
                            yield failure_row(
                                e,
                                "timeout",
                                f"ran past the time limit of {limit:g} s and did not stop; "
                                "the worker was replaced",
                                parties[e.scenario],
                            )
                        else:
                            code = _exit_code(f)
                            yield failure_row(
                                e, "crashed", f"the worker died{code}", parties[e.scenario]
                            )
                    else:
                        suspects.extend(chunk)
                inflight.clear()
        finally:
            if inflight:  # stopped early (an error, Ctrl-C): no task may outlive the run
                self._kill()

    def close(self) -> None:
        """Stop the worker processes."""
        pool, self._executor = self._executor, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _exit_code(future: Any) -> str:
    exc = future.exception() if future.done() else None
    text = str(exc) if exc is not None else ""
    return f" ({text})" if text else ""


def _same(x: Any) -> Any:
    return x


def _distributed() -> Any:
    """``dask.distributed``, or an :class:`ArgumentError` saying how to install it."""
    import importlib

    try:
        return importlib.import_module("dask.distributed")
    except ModuleNotFoundError:
        raise ArgumentError(
            'the Dask runner needs dask.distributed: pip install "zopa[tournament]"'
        ) from None


class DaskRunner:
    """Play negotiations on a Dask cluster (``dask.distributed``).

    Args:
        address: a scheduler's address (``tcp://HOST:PORT``), or ``None`` with ``local``.
        local: start a :class:`~distributed.LocalCluster` of this many worker processes (one
            thread each) for the run, closed with the runner.
        client: an existing :class:`~distributed.Client` to use instead (not closed).
        chunk: negotiations per task (default :func:`chunk_size`; for millions of negotiations
            a thousand or more keeps the scheduler's task count down).
        hard_stop: seconds a negotiation may go on after its timeout was raised in it (stuck in
            a blocking call) before its worker ends itself (:func:`time_limit`): the nanny
            restarts the worker, the scheduler retries the task, and once Dask gives up on it the
            negotiation is recorded as a ``timeout``.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        local: int | None = None,
        client: Any = None,
        chunk: int | None = None,
        hard_stop: float = 10.0,
    ) -> None:
        self.chunk = _check_chunk(chunk)
        self.hard_stop = hard_stop
        self._own: list[Any] = []
        if client is None:
            dd = _distributed()
            Client, LocalCluster = dd.Client, dd.LocalCluster

            if local is not None:
                if isinstance(local, bool) or not isinstance(local, int) or local < 1:
                    raise ArgumentError(f"--dask-local: expected an integer >= 1, got {local!r}")
                cluster = LocalCluster(
                    n_workers=local,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: clusters may coexist
                )
                self._own.append(cluster)
                client = Client(cluster)
            elif address is not None:
                try:
                    client = Client(address, timeout=30)
                except OSError as exc:
                    raise ArgumentError(
                        f"--dask: cannot reach the scheduler at {address}: {exc}"
                    ) from None
            else:
                raise ArgumentError("DaskRunner: expected an address, local or client")
            self._own.insert(0, client)
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})) or (local or 1))

    def run(self, plan: Plan, entries: Sequence[Entry]) -> Iterator[Row]:
        as_completed = _distributed().as_completed
        parties = {k: p.parties for k, p in plan.problems.items()}
        # the plan as a task, not scattered data: when the workers holding it die, the
        # scheduler computes it again from the task (scattered data would be lost with them)
        shared = self.client.submit(_same, plan, key=f"zopa-plan-{plan.token}")
        meta: dict[str, tuple[list[Entry], bool]] = {}

        def submit(chunk: list[Entry], alone: bool) -> Any:
            f = self.client.submit(play_chunk, shared, chunk, hard_stop=self.hard_stop, pure=False)
            meta[f.key] = (chunk, alone)
            return f

        suspects: list[Entry] = []
        for f in as_completed(
            [
                submit(c, False)
                for c in chunks(entries, self.chunk or chunk_size(len(entries), self.workers))
            ]
        ):
            chunk, _ = meta.pop(f.key)
            try:
                rows = f.result()
            except Exception:  # KilledWorker: a task on its workers killed them
                suspects.extend(chunk)
                continue
            finally:
                f.release()
            yield from rows
        # the negotiations of failed tasks, replayed one at a time with nothing else running,
        # so that a death is the fault of the one negotiation running (a worker's death also
        # fails the innocent tasks waiting on it)
        for e in suspects:
            f = submit([e], True)
            try:
                rows = f.result()
            except Exception as exc:
                killed = type(exc).__name__ == "KilledWorker"
                if killed and e.id in self._stopped():
                    status: Status = "timeout"
                    why = (
                        f"ran past the time limit of {plan.time_limit:g} s and did not stop; "
                        "the worker was restarted"
                    )
                elif killed:
                    status, why = "crashed", "the worker died (Dask gave up after its retries)"
                else:
                    status, why = "error", f"{type(exc).__name__}: {exc}"
                yield failure_row(e, status, why, parties[e.scenario])
                continue
            finally:
                f.release()
            yield from rows

    def _stopped(self) -> set[str]:
        """The negotiations whose workers ended themselves over them (:data:`TIMEOUT_EVENT`)."""
        events = self.client.get_events(TIMEOUT_EVENT)
        return {str(msg.get("id")) for _, msg in events if isinstance(msg, dict)}

    def close(self) -> None:
        for thing in self._own:
            thing.close()
        self._own.clear()


# ---------------------------------------------------------------------------------- driving
def run_tournament(
    plan: Plan,
    entries: Sequence[Entry],
    runner: SerialRunner | ProcessRunner | DaskRunner | None = None,
    *,
    skip: Iterable[str] = (),
    on_row: Callable[[Row], None] | None = None,
    collect: bool = True,
) -> list[Row]:
    """Play ``entries`` (but those whose identity is in ``skip``) with ``runner`` (default
    serial); call ``on_row`` with each row as it arrives, and return them in schedule order
    (none with ``collect=False``, for tournaments whose rows go only to a store)."""
    runner = runner or SerialRunner()
    done = set(skip)
    todo = [e for e in entries if e.id not in done]
    rows: list[Row] = []
    for row in runner.run(plan, todo):
        if collect:
            rows.append(row)
        if on_row is not None:
            on_row(row)
    return sorted(rows, key=lambda r: r.index)
