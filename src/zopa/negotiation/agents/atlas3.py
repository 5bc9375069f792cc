"""Atlas3, winner of ANAC 2015 (multilateral): a threshold from the expected outcome of the
final-offer phase, local search above it, and a last-minute return to the bids the others liked.

A. Mori, T. Ito, "Atlas3: a negotiating agent based on expecting lower limit of concession
function", in *Modern Approaches to Agent-based Complex Automated Negotiation*, Studies in
Computational Intelligence 674, Springer 2017. GENIUS 10.4:
``agents/anac/y2015/Atlas3/{Atlas3.java,etc/strategy.java,etc/bidSearch.java,
etc/negotiatingInfo.java}``. Implemented from section 5.7 of the negotiation reference (not from
the GENIUS code).

Exact, as the reference gives it (with ``d`` the discount factor, ``rv`` the reservation value,
``C`` the estimated compromise utility, ``TF = 1``, ``PF = 0.5``):

1. **The final-phase game** (:class:`FinalPhaseGame`), "hard" (row 1) or "concede" (row 2) in
   the final offer phase: ``A11 = rv·d``, ``A12 = d^TF``, ``A21 = C·d^TF`` if ``C ≥ rv``, else
   ``rv·d``, and ``A22 = PF·A21 + (1 − PF)·A12``. The opponent concedes with the
   mixed-equilibrium probability ``q = 1/(1 − (A11 − A21)/(A12 − A22))``, taken as 1 when it is
   outside ``[0, 1]`` (or undefined: ``A12 = A22``); the expected final-phase utility is
   ``E = q·A21 + (1 − q)·A22``.
2. **Threshold** at time ``t`` (:func:`atlas3_threshold`): ``target = E / d^t``; the threshold is
   ``max(1 − t/d, target)`` if ``d < 1`` and ``target + (1 − target)·(1 − t)`` if ``d = 1``.
3. **Acceptance**: accept the offer on the table if it is worth (undiscounted) at least the
   threshold; otherwise **end the negotiation** if ``rv·d^t ≥ threshold``.
4. **Bidding**: a bid found by local search above the threshold; near the deadline, the bids
   previously accepted by the others, again.

zopa's reading of what the reference leaves open:

- **Endorsement.** A party endorses a bid when it offers it or accepts it while it is on the
  table. A bid is *accepted by the others* when every other party has endorsed it at some point
  of the session (bilaterally: every bid the opponent offered).
- **Compromise estimate** ``C`` ("max of products"): with ``M_j`` the best own utility among the
  bids party ``j`` endorsed (0 before it endorses any), ``C`` is the larger of the product
  ``Π_j M_j`` over the other parties and the best own utility of a bid accepted by all the
  others. Bilaterally both are the utility of the opponent's best offer, as the reference says.
- **Local search** (:func:`local_search`): the first bid is the best outcome. After that the
  search starts from the latest offer of one of the other parties (drawn with the party's seeded
  generator when there are several) and moves one issue at a time: if some single-issue change
  reaches the threshold it takes the least valuable such change (the smallest concession from
  the others' bid) and stops; otherwise it takes the change worth most to itself (ties drawn at
  random) and goes on, until no change improves. If it stops below the threshold (possible only
  for non-additive utilities), it bids the lowest outcome of its ranking worth at least the
  threshold (the best outcome if none is). Each step evaluates the whole neighbourhood as one
  array.
- **Near the deadline**: when the time left is at most ``final_rounds`` rounds, a round's length
  being estimated as ``t / round`` (exact for a deadline in rounds), it offers the bids accepted
  by the others that are worth at least its reservation value, best for itself first, one per
  turn, starting again from the best when they run out; with none, it keeps to local search.
  Acceptance and ending keep to step 3 throughout, and acceptance is checked before ending.

A consequence of the exact rules: ``C`` counts the offer on the table (it is heard before the
turn), and without a discount the threshold is at least ``E ≥ A21 = C``, with equality only when
``q = 1`` (``C = 1``, or ``C < rv`` and then the offer is below ``rv`` and the threshold above it);
so a bilateral Atlas3 with ``d = 1`` accepts only an offer worth 1 to it, and its agreements come
from the other party accepting its bids. Multilaterally ``C`` may be below the offer on the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.negotiation._params import check_count, check_number
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import (
    Accept,
    Action,
    EndNegotiation,
    Event,
    Offer,
    PartyView,
    Turn,
)

__all__ = ["Atlas3", "FinalPhaseGame", "atlas3_threshold", "local_search"]

Outcome = tuple[int, ...]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class FinalPhaseGame:
    """Atlas3's 2×2 game of the final offer phase (step 1 of the module docstring).

    Attributes:
        a11: own payoff when both stay hard.
        a12: own payoff when it stays hard and the opponent concedes.
        a21: own payoff when it concedes and the opponent stays hard.
        a22: own payoff when both concede.

    Examples:
        >>> g = FinalPhaseGame.of(0.2, 0.8, 0.6)
        >>> round(g.a22, 4), round(g.q, 4), round(g.expected, 4)
        (0.64, 0.3333, 0.5867)
    """

    a11: float
    a12: float
    a21: float
    a22: float

    @classmethod
    def of(
        cls,
        reservation: float,
        discount: float,
        compromise: float,
        *,
        tf: float = 1.0,
        pf: float = 0.5,
    ) -> FinalPhaseGame:
        """The game for reservation ``rv``, discount ``d`` and compromise estimate ``C``."""
        rv, d, c = reservation, discount, compromise
        a11 = rv * d
        a12 = float(d**tf)
        a21 = c * float(d**tf) if c >= rv else rv * d
        return cls(a11, a12, a21, pf * a21 + (1.0 - pf) * a12)

    @property
    def q(self) -> float:
        """The opponent's mixed-equilibrium probability of conceding (1 outside ``[0, 1]``)."""
        gap = self.a12 - self.a22
        if gap == 0:
            return 1.0
        denominator = 1.0 - (self.a11 - self.a21) / gap
        if denominator == 0:
            return 1.0
        q = 1.0 / denominator
        return q if 0.0 <= q <= 1.0 else 1.0

    @property
    def expected(self) -> float:
        """``E = q·A21 + (1 − q)·A22``, the expected utility of the final phase."""
        q = self.q
        return q * self.a21 + (1.0 - q) * self.a22

    def to_dict(self) -> dict[str, Any]:
        return {
            "a11": self.a11,
            "a12": self.a12,
            "a21": self.a21,
            "a22": self.a22,
            "q": self.q,
            "expected": self.expected,
        }


def atlas3_threshold(
    t: float,
    reservation: float,
    discount: float,
    compromise: float,
    *,
    tf: float = 1.0,
    pf: float = 0.5,
) -> float:
    """Atlas3's acceptance threshold at time ``t`` (step 2 of the module docstring).

    Examples:
        >>> round(atlas3_threshold(0.5, 0.2, 0.8, 0.6), 4)  # d < 1: max(1 − t/d, E/d^t)
        0.6559
        >>> round(atlas3_threshold(0.5, 0.2, 1.0, 0.6), 4)  # d = 1: target + (1 − target)(1 − t)
        0.8667
    """
    d = discount
    game = FinalPhaseGame.of(reservation, d, compromise, tf=tf, pf=pf)
    target = game.expected / float(d**t)
    if d < 1:
        return max(1.0 - t / d, target)
    return target + (1.0 - target) * (1.0 - t)


def local_search(
    view: PartyView,
    start: Outcome,
    threshold: float,
    rng: np.random.Generator,
) -> Outcome:
    """A bid worth at least ``threshold`` near ``start``, one issue at a time (module docstring,
    "local search"); the lowest ranked outcome above the threshold if the search gets stuck."""
    sizes = view.space.sizes
    current = np.asarray(start, dtype=np.int64)
    # Every single-issue change of a bid: row blocks per issue, one row per option.
    issue_of = np.repeat(np.arange(len(sizes)), sizes)
    option_of = np.concatenate([np.arange(n) for n in sizes])
    u = view.utility(start)
    while u < threshold:
        neighbours = np.repeat(current[None, :], len(issue_of), axis=0)
        neighbours[np.arange(len(issue_of)), issue_of] = option_of
        values = view.utilities(neighbours)
        reach = np.flatnonzero(values >= threshold)
        if reach.size:
            k = int(reach[np.argmin(values[reach])])
            return tuple(neighbours[k].tolist())
        best = float(values.max())
        if not best > u:
            break
        tops = np.flatnonzero(values == best)
        k = int(tops[rng.integers(tops.size)]) if tops.size > 1 else int(tops[0])
        current, u = neighbours[k], best
    if u >= threshold:
        return tuple(current.tolist())
    ranking = view.ranking
    return ranking.outcome(max(ranking.at_least(threshold) - 1, 0))


@dataclass(frozen=True)
class Atlas3(Negotiator):
    """Atlas3 (module docstring), with the constants of the ANAC 2015 agent as defaults.

    Attributes:
        tf: ``TF``, the exponent of the discount in the final-phase payoffs.
        pf: ``PF``, the weight of the opponent's concession in ``A22``.
        final_rounds: how many rounds before the deadline it returns to the bids the others
            accepted (zopa's reading of "near the deadline").
    """

    tf: float = 1.0
    pf: float = 0.5
    final_rounds: int = 3

    def __post_init__(self) -> None:
        check_number("tf", self.tf, 0.0, math.inf)
        check_number("pf", self.pf, 0.0, 1.0)
        check_count("final_rounds", self.final_rounds, 0)

    @property
    def name(self) -> str:
        return self.label or "atlas3"

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Atlas3Mind(self, view, rng)


class _Atlas3Mind(Mind):
    def __init__(self, agent: Atlas3, view: PartyView, rng: np.random.Generator) -> None:
        self.agent = agent
        self.view = view
        self.rng = rng
        self.others = frozenset(range(view.n_parties)) - {view.seat}
        self.table: Outcome | None = None  # the offer on the table, as heard
        self.worth: dict[Outcome, float] = {}  # own utility of the bids heard or made
        self.endorsed: dict[Outcome, set[int]] = {}  # bid -> other parties that endorsed it
        self.popular: dict[Outcome, float] = {}  # bids every other party endorsed
        self.best_of: dict[int, float] = {}  # M_j: best own utility endorsed by party j
        self.latest: dict[int, Outcome] = {}  # each other party's latest offer
        self.final_turns = 0

    def utility(self, bid: Outcome) -> float:
        u = self.worth.get(bid)
        if u is None:
            u = self.worth[bid] = self.view.utility(bid)
        return u

    def endorse(self, party: int, bid: Outcome) -> None:
        u = self.utility(bid)
        if u > self.best_of.get(party, -math.inf):
            self.best_of[party] = u
        who = self.endorsed.setdefault(bid, set())
        who.add(party)
        if who >= self.others:
            self.popular[bid] = u

    def observe(self, event: Event) -> None:
        action = event.action
        if isinstance(action, Offer):
            self.table = action.outcome
            self.latest[event.party] = action.outcome
            self.endorse(event.party, action.outcome)
        elif isinstance(action, Accept) and self.table is not None:
            self.endorse(event.party, self.table)

    def compromise(self) -> float:
        product = 1.0
        for j in self.others:
            product *= max(self.best_of.get(j, 0.0), 0.0)
        return max(product, max(self.popular.values(), default=0.0))

    def threshold(self, t: float) -> float:
        v, a = self.view, self.agent
        return atlas3_threshold(t, v.reservation, v.discount, self.compromise(), tf=a.tf, pf=a.pf)

    def near_deadline(self, turn: Turn) -> bool:
        return turn.round > 0 and 1.0 - turn.time <= self.agent.final_rounds * (
            turn.time / turn.round
        )

    def act(self, turn: Turn) -> Action:
        v = self.view
        threshold = self.threshold(turn.time)
        if turn.offer is not None:
            if self.utility(turn.offer) >= threshold:
                return Accept()
            if v.reservation * float(v.discount**turn.time) >= threshold:
                return EndNegotiation()
        bid = self.bid(turn, threshold)
        self.table = bid
        self.utility(bid)
        return Offer(bid)

    def bid(self, turn: Turn, threshold: float) -> Outcome:
        if self.near_deadline(turn):
            liked = [b for b, u in self.popular.items() if u >= self.view.reservation]
            if liked:
                liked.sort(key=lambda b: -self.popular[b])  # stable: ties in order heard
                bid = liked[self.final_turns % len(liked)]
                self.final_turns += 1
                return bid
        if not self.latest:
            return self.view.ranking.outcome(0)
        seats = sorted(self.latest)
        seat = seats[int(self.rng.integers(len(seats)))] if len(seats) > 1 else seats[0]
        return local_search(self.view, self.latest[seat], threshold, self.rng)
