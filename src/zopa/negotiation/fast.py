"""Many negotiations between GENIUS time-dependent parties, played at once with array operations.

A GENIUS time-dependent party (:class:`~zopa.negotiation.agents.TimeDependentParty`) never looks
at what the others offer when it chooses its own bid: in round ``r`` of a deadline of ``R``
rounds it bids the outcome nearest its target ``1 − ((r − 1)/(R + 1))^(1/e)``. So every bid it
could make in the session is known before the session starts, and only its accept decisions
depend on the play. :func:`play` uses that to replace the turn-by-turn loop of
:func:`~zopa.negotiation.session.negotiate` by a few array operations over a whole batch of
negotiations (any exponents, any number of parties, deadlines in rounds, several scenarios):

1. Targets: one per party and round (:func:`genius_targets`, bit for bit
   :func:`~zopa.negotiation.agents.time_dependent.genius_target`).
2. Bids: every target looked up at once in the party's ranking
   (:meth:`~zopa.negotiation.ranking.Ranking.near_many`, GENIUS's bisection quirk included), and
   every party's utility of each bid read from a table built once per scenario and party.
3. Accepts: turn ``τ`` (round ``τ // n + 1``, seat ``τ mod n``) accepts the offer made at turn
   ``τ − j`` when its own next bid is worth strictly less to it than that offer
   (``A[τ, j]``). Without an agreement yet, the offer on the table at a party's turn was always
   made by another party (else the ``n − 1`` others would have accepted it already), so it is the
   party's last received offer, as the rules of the party require.
4. Play: an offer made at turn ``o`` is agreed when ``A[o + i, i]`` holds for ``i = 1 … n − 1``;
   otherwise the first ``i`` that fails is the next offer (``o + i``), or the deadline when that
   turn is past the last one. Following these links from turn 0 (all negotiations together) gives the agreement or the deadline; the trace, when asked for, is
   the chain itself.

The results are the turn-by-turn engine's to the bit (every field but ``seconds``), which
``tests/negotiation/test_fast.py`` checks on random scenarios and on GENIUS's own files; both
engines build the result with the same function (:func:`zopa.negotiation.session.finish`).
"""

from __future__ import annotations

import math
import time as _time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

from zopa.negotiation.agents.time_dependent import TimeDependentParty
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.protocol import Deadline
from zopa.negotiation.ranking import Ranking
from zopa.negotiation.result import Negotiation, Reason, Step

if TYPE_CHECKING:
    from zopa.negotiation.session import Arena

__all__ = ["genius_targets", "play", "supports"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Match = tuple["Arena", Sequence[Negotiator], Deadline]

#: Most array cells (negotiations × turns × parties) handled in one go.
CHUNK_CELLS = 4_000_000

# C's pow, as Python's ``float ** float`` calls it; NumPy's own ``power`` may differ in the last bit.
_POW = np.frompyfunc(math.pow, 2, 1)


def supports(arena: Arena, agents: Sequence[Negotiator], deadline: Deadline) -> bool:
    """Whether :func:`play` can play this negotiation: two or more parties, every one a GENIUS
    time-dependent party (the class itself, not a subclass that may act otherwise), and a
    deadline in rounds only."""
    return (
        deadline.seconds is None
        and deadline.rounds is not None
        and arena.problem.n_parties >= 2
        and all(type(a) is TimeDependentParty for a in agents)
    )


@lru_cache(maxsize=4096)
def _targets(e: float, rounds: int) -> FloatArray:
    r = np.arange(1, rounds + 1, dtype=float)
    if e == 0:
        out = np.ones(rounds)
    else:
        x = np.maximum(r / (rounds + 1) - 1 / (rounds + 1), 0.0)
        out = 1.0 - np.asarray(_POW(x, 1.0 / e), dtype=float)
    out.setflags(write=False)
    return out


def genius_targets(e: float, rounds: int) -> FloatArray:
    """GENIUS's target utility in each round ``1 … rounds`` (read-only), equal bit for bit to
    :func:`~zopa.negotiation.agents.time_dependent.genius_target`.

    Examples:
        >>> genius_targets(2.0, 3).round(4).tolist()
        [1.0, 0.5, 0.2929]
    """
    return _targets(float(e), int(rounds))


@dataclass(frozen=True, eq=False)
class _Table:
    """What every negotiation on one scenario shares: each party's ranking and, for each of its
    rows, every party's utility (``cross[k][row, j]``)."""

    rankings: tuple[Ranking, ...]
    cross: tuple[FloatArray, ...]


_TABLES: weakref.WeakKeyDictionary[Arena, _Table] = weakref.WeakKeyDictionary()


def _table(arena: Arena) -> _Table:
    table = _TABLES.get(arena)
    if table is None:
        p = arena.problem
        rankings = tuple(arena.ranking(k) for k in range(p.n_parties))
        cross = tuple(np.ascontiguousarray(p.utilities(r.codes)) for r in rankings)
        table = _Table(rankings, cross)
        _TABLES[arena] = table
    return table


def play(matches: Sequence[Match], *, trace: bool = False) -> list[Negotiation]:
    """Play every ``(arena, agents, deadline)`` of ``matches`` (each one :func:`supports`), all
    at once: the results :func:`~zopa.negotiation.session.negotiate` gives for them, in order.

    ``seconds`` of each result is the wall time of its chunk of the batch shared equally.
    """
    results: list[Negotiation | None] = [None] * len(matches)
    groups: dict[int, list[int]] = {}
    arenas: dict[int, Arena] = {}
    for k, (arena, _agents, _deadline) in enumerate(matches):
        groups.setdefault(id(arena), []).append(k)
        arenas[id(arena)] = arena
    for key, members in groups.items():
        arena = arenas[key]
        n = arena.problem.n_parties
        members.sort(key=lambda k: _rounds(matches[k][2]))
        chunk: list[int] = []
        for k in members:
            if chunk and (len(chunk) + 1) * _rounds(matches[k][2]) * n * n > CHUNK_CELLS:
                _play_chunk(arena, [matches[j] for j in chunk], chunk, results, trace)
                chunk = []
            chunk.append(k)
        if chunk:
            _play_chunk(arena, [matches[j] for j in chunk], chunk, results, trace)
    return [r for r in results if r is not None]


def _rounds(deadline: Deadline) -> int:
    assert deadline.rounds is not None
    return deadline.rounds


def _play_chunk(
    arena: Arena,
    matches: list[Match],
    slots: list[int],
    results: list[Negotiation | None],
    trace: bool,
) -> None:
    from zopa.negotiation.session import Settlement, finish, settle

    start = _time.perf_counter()
    table = _table(arena)
    n = arena.problem.n_parties
    g = len(matches)
    rounds = np.array([_rounds(d) for _, _, d in matches], dtype=np.int64)
    top = int(rounds.max())
    turns = n * top
    # 1–2. Bid rows of each party in each round, one near_many per party over the distinct
    # (exponent, deadline) schedules of the chunk.
    rows = np.zeros((g, n, top), dtype=np.int64)
    for k in range(n):
        schedules: dict[tuple[float, int], list[int]] = {}
        for m, (_, agents, _) in enumerate(matches):
            e = cast(TimeDependentParty, agents[k]).e
            schedules.setdefault((float(e), int(rounds[m])), []).append(m)
        keys = list(schedules)
        found = table.rankings[k].near_many(np.concatenate([genius_targets(e, r) for e, r in keys]))
        at = 0
        for e_r in keys:
            size = e_r[1]
            rows[schedules[e_r], k, :size] = found[at : at + size]
            at += size
    # Every party's utility of each bid, by turn τ = (round − 1)·n + seat: worth[m, τ, j].
    by_round = np.empty((g, top, n, n))
    for k in range(n):
        by_round[:, :, k, :] = table.cross[k][rows[:, k, :]]
    worth = by_round.reshape(g, turns, n)
    seat = np.arange(turns) % n
    mine = worth[:, np.arange(turns), seat]
    # 3–4. Next offer turn after an offer at turn o (o itself when it is agreed; `turns`, the
    # sentinel, when the deadline comes first), from the last lag to the first.
    last = (n * rounds)[:, None]
    o = np.arange(turns)
    link = np.broadcast_to(o, (g, turns)).copy()
    for i in range(n - 1, 0, -1):
        turn = o + i
        inside = turn < last
        tau = np.minimum(turn, turns - 1)
        theirs = worth[:, o, seat[tau]]  # party at o + i: its worth of the offer made at o
        accepts = inside & (mine[:, tau] < theirs)
        link = np.where(accepts, link, np.where(inside, turn, turns))
    # Follow the links from turn 0, every negotiation at once, until each reaches an agreed
    # offer (a link to itself) or the deadline (the sentinel).
    end = np.zeros(g, dtype=np.int64)
    live = np.arange(g)
    while live.size:
        ahead = link[live, end[live]]
        stop = (ahead == end[live]) | (ahead == turns)
        end[live] = ahead
        live = live[~stop]
    seconds = (_time.perf_counter() - start) / g
    settled: dict[tuple[int, ...] | None, Settlement] = {}  # each distinct outcome, once
    for m, (match, slot) in enumerate(zip(matches, slots, strict=True)):
        _, agents, deadline = match
        offered = int(end[m])
        steps: tuple[Step, ...] = ()
        if trace:
            steps = _trace(table, rows[m], worth[m], link[m], n, int(last[m, 0]), deadline)
        reason: Reason
        if offered == turns:
            reason, ended_by, r, t = "deadline", None, int(rounds[m]), 1.0
            outcome = None
        else:
            accepted = offered + n - 1
            reason, ended_by, r = "agreement", accepted % n, accepted // n + 1
            t = deadline.time(r)
            proposer = offered % n
            code = table.rankings[proposer].codes[rows[m, proposer, offered // n]]
            outcome = tuple(int(c) for c in code)
        if outcome not in settled:
            settled[outcome] = settle(arena, outcome)
        results[slot] = finish(
            arena, agents, outcome, reason, ended_by, "", r, t, seconds, steps, settled[outcome]
        )


def _trace(
    table: _Table,
    rows: IntArray,
    worth: FloatArray,
    link: IntArray,
    n: int,
    last: int,
    deadline: Deadline,
) -> tuple[Step, ...]:
    """The actions of one negotiation: an offer at each turn of the chain from turn 0, accepts
    between them."""
    steps: list[Step] = []
    o = 0
    while True:
        proposer = o % n
        code = table.rankings[proposer].codes[rows[proposer, o // n]]
        offer = tuple(int(c) for c in code)
        utilities = tuple(worth[o].tolist())
        nxt = int(link[o])
        stop = o + n if nxt == o else (last if nxt >= last else nxt)
        for tau in range(o, stop):
            r = tau // n + 1
            steps.append(
                Step(
                    r,
                    deadline.time(r),
                    tau % n,
                    "offer" if tau == o else "accept",
                    offer,
                    utilities,
                )
            )
        if nxt == o or nxt >= last:
            return tuple(steps)
        o = nxt
