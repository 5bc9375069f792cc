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
   turn is past the last one. Following these links from turn 0 (all negotiations in
   lockstep) gives the agreement or the deadline; the trace, when asked for, is the chain.

The results are the turn-by-turn engine's to the bit (every field but ``seconds``), which
``tests/negotiation/test_fast.py`` checks on random scenarios and on GENIUS's own files; both
engines build the result with the same functions (:func:`zopa.negotiation.session.finish`,
:func:`~zopa.negotiation.session.settle`).
"""

from __future__ import annotations

import math
import time as _time
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError
from zopa.negotiation.agents.time_dependent import TimeDependentParty
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.protocol import Deadline
from zopa.negotiation.ranking import Ranking
from zopa.negotiation.result import Negotiation, Reason, Step

if TYPE_CHECKING:
    from zopa.negotiation.session import Arena

__all__ = ["ALONE_ROUNDS", "genius_targets", "play", "supports", "target_table"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Match = tuple["Arena", Sequence[Negotiator], Deadline]

#: Deadlines (in rounds) from which :func:`~zopa.negotiation.session.negotiate` plays a single
#: negotiation here rather than turn by turn: NumPy's fixed cost per call makes shorter sessions
#: alone quicker turn by turn (measured: about even at 100 rounds, 8× faster at 1,000).
ALONE_ROUNDS = 100

#: Most array cells (negotiations × turns × parties) handled in one go.
CHUNK_CELLS = 1_000_000

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


def target_table(exponents: npt.ArrayLike, rounds: int) -> FloatArray:
    """GENIUS's target utility of each exponent (rows) in each round ``1 … rounds`` (columns),
    equal bit for bit to :func:`~zopa.negotiation.agents.time_dependent.genius_target`: the
    same IEEE operations in the same order, and C's ``pow`` as Python's ``**`` calls it."""
    e = np.asarray(exponents, dtype=float).reshape(-1, 1)
    r = np.arange(1, rounds + 1, dtype=float)
    x = np.maximum(r / (rounds + 1) - 1 / (rounds + 1), 0.0)
    hard = e == 0
    power = 1.0 / np.where(hard, 1.0, e)
    out = 1.0 - np.asarray(_POW(x, power), dtype=float).reshape(e.shape[0], rounds)
    out[hard[:, 0]] = 1.0
    return out


def genius_targets(e: float, rounds: int) -> FloatArray:
    """GENIUS's target utility in each round ``1 … rounds`` (:func:`target_table` of one
    exponent).

    Examples:
        >>> genius_targets(2.0, 3).round(4).tolist()
        [1.0, 0.5, 0.2929]
    """
    row: FloatArray = target_table([float(e)], int(rounds))[0]
    return row


@dataclass(frozen=True, eq=False)
class _Table:
    """What every negotiation on one scenario shares: each party's ranking and, for each of its
    rows, every party's utility (``cross[k][row, j]``, also as contiguous columns
    ``column[k][j]``)."""

    rankings: tuple[Ranking, ...]
    cross: tuple[FloatArray, ...]
    column: tuple[tuple[FloatArray, ...], ...]


_TABLES: weakref.WeakKeyDictionary[Arena, _Table] = weakref.WeakKeyDictionary()


def _table(arena: Arena) -> _Table:
    table = _TABLES.get(arena)
    if table is None:
        p = arena.problem
        rankings = tuple(arena.ranking(k) for k in range(p.n_parties))
        cross = tuple(np.ascontiguousarray(arena.utilities(r.codes)) for r in rankings)
        column = tuple(
            tuple(np.ascontiguousarray(c[:, j]) for j in range(c.shape[1])) for c in cross
        )
        table = _Table(rankings, cross, column)
        _TABLES[arena] = table
    return table


def play(matches: Sequence[Match], *, trace: bool = False) -> list[Negotiation]:
    """Play every ``(arena, agents, deadline)`` of ``matches`` (each one :func:`supports`), all
    at once: the results :func:`~zopa.negotiation.session.negotiate` gives for them, in order.

    ``seconds`` of each result is the wall time of its chunk of the batch shared equally.

    Raises:
        ArgumentError: a match that :func:`supports` refuses (play it with
            :func:`~zopa.negotiation.session.negotiate`).
    """
    for k, (arena, agents, deadline) in enumerate(matches):
        if len(agents) != arena.problem.n_parties or not supports(arena, agents, deadline):
            raise ArgumentError(
                f"matches[{k}]: expected one GENIUS time-dependent party per party (at least "
                f"two) and a deadline in rounds only, got {[a.name for a in agents]} and "
                f"{deadline}"
            )
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
    # 1–2. Bid rows of each party in each round: one target table and one near_many per party
    # and deadline, over the distinct exponents of the chunk.
    rows = np.zeros((g, n, top), dtype=np.int64)
    exponents = np.array(
        [[float(cast(TimeDependentParty, a).e) for a in agents] for _, agents, _ in matches]
    )
    for size in np.unique(rounds).tolist():
        members = np.flatnonzero(rounds == size)
        for k in range(n):
            distinct, which = np.unique(exponents[members, k], return_inverse=True)
            found = table.rankings[k].near_many(target_table(distinct, size))
            rows[members, k, :size] = found[which.reshape(-1)]
    # 3. By turn τ = (round − 1)·n + seat: the bidder's own utility of its bid (`own`), and,
    # for each lag i, the utility of that bid to the party i seats on (`theirs`), which accepts
    # it at τ + i when its own bid then is worth less to it (`later`).
    mine = np.empty((g, top, n))
    for k in range(n):
        mine[:, :, k] = table.rankings[k].utilities[rows[:, k, :]]
    own = mine.reshape(g, turns)
    # 4. Next offer turn after an offer at turn o (o itself when it is agreed; `turns`, the
    # sentinel, when the deadline comes first), from the last lag to the first.
    last = (n * rounds)[:, None]
    o = np.arange(turns)
    link = np.broadcast_to(o, (g, turns)).copy()
    theirs = np.empty((g, top, n))
    later = np.empty((g, turns))
    for i in range(n - 1, 0, -1):
        for k in range(n):
            theirs[:, :, k] = table.column[k][(k + i) % n][rows[:, k, :]]
        later[:, : turns - i] = own[:, i:]
        later[:, turns - i :] = np.inf
        inside = o + i < last
        accepts = inside & (later < theirs.reshape(g, turns))
        link = np.where(accepts, link, np.where(inside, o + i, turns))
    # Follow the links from turn 0, every negotiation at once, until each reaches an agreed
    # offer (a link to itself) or the deadline (the sentinel). Most links go to the next turn
    # (a counter-offer at once), so each step jumps over those to the next other link.
    other = np.where((link == o + 1) & (o + 1 < turns), turns, o)
    skip = np.minimum.accumulate(other[:, ::-1], axis=1)[:, ::-1]
    end = skip[:, 0].copy()
    live = np.flatnonzero(end < turns)
    while live.size:
        at = end[live]
        ahead = link[live, at]
        agreed_at = ahead == at
        over = ahead >= turns
        step = np.minimum(ahead, turns - 1)
        end[live] = np.where(agreed_at, at, np.where(over, turns, skip[live, step]))
        live = live[~(agreed_at | over)]
    seconds = (_time.perf_counter() - start) / g
    # Each distinct (outcome, end time) is scored once.
    settled: dict[tuple[tuple[int, ...] | None, float], Settlement] = {}
    agreed = end < turns
    accepted = np.where(agreed, end + n - 1, 0)
    proposer = end % n
    codes = np.zeros((g, arena.problem.space.n_issues), dtype=np.int64)
    for k in range(n):
        won = np.flatnonzero(agreed & (proposer == k))
        codes[won] = table.rankings[k].codes[rows[won, k, end[won] // n]]
    outcomes = codes.tolist()
    for m, (match, slot) in enumerate(zip(matches, slots, strict=True)):
        _, agents, deadline = match
        steps: tuple[Step, ...] = ()
        if trace:
            steps = _trace(table, rows[m], link[m], n, int(last[m, 0]), deadline)
        reason: Reason
        outcome: tuple[int, ...] | None
        if agreed[m]:
            r = int(accepted[m]) // n + 1
            reason, ended_by, t = "agreement", int(accepted[m]) % n, deadline.time(r)
            outcome = tuple(outcomes[m])
        else:
            reason, ended_by, r, t, outcome = "deadline", None, int(rounds[m]), 1.0, None
        key = (outcome, t)
        if key not in settled:
            settled[key] = settle(arena, outcome, t)
        results[slot] = finish(
            arena, agents, outcome, reason, ended_by, "", r, t, seconds, steps, settled[key]
        )


def _trace(
    table: _Table,
    rows: IntArray,
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
        row = rows[proposer, o // n]
        offer = tuple(int(c) for c in table.rankings[proposer].codes[row])
        utilities = tuple(table.cross[proposer][row].tolist())
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
