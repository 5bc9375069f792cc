"""HardHeaded, winner of ANAC 2011: a slow walk down its own ranking, steered by a frequency model.

T. van Krimpen, D. Looije, S. Hajizadeh, "HardHeaded", in *Complex Automated Negotiations:
Theories, Models, and Software Competitions*, Studies in Computational Intelligence 435,
Springer 2013. GENIUS 10.4: the agent ``agents/anac/y2011/HardHeaded/KLH.java``, its BOA
decomposition ``negotiator/boaframework/offeringstrategy/anac2011/HardHeaded_Offering.java``,
``acceptanceconditions/anac2011/AC_HardHeaded.java`` and
``opponentmodel/HardHeadedFrequencyModel.java``. Implemented from section 5.3 of the negotiation
reference (not from the GENIUS code):

1. **Concession limit** ``p(t)`` (:func:`concession_limit`): with ``Ka = 0.05``, ``e = 0.05``,
   ``min = 0.585``, ``max`` = the best own utility and ``d`` the discount factor (1 if none),

   - ``d ≥ 0.9``: ``F = Ka + (1 − Ka)·(t/d)^(1/e)``, ``p = min + (1 − F)·(max − min)``;
   - ``t ≤ d`` (``d < 0.9``): ``e' = e/d``, ``min' = min + (max − min)·d``,
     ``F = Ka + (1 − Ka)·(t/d)^(1/e')``, ``p = min' + (1 − F)·(max − min')``;
   - otherwise: ``e' = 30``, ``max' = min + (max − min)·d``,
     ``F = Ka + (1 − Ka)·((t − d)/(1 − d))^(1/e')``, ``p = min + (1 − F)·(max' − min)``.

2. **Bidding** over the outcomes sorted best first (:class:`~zopa.negotiation.ranking.Ranking`).
   The first bid is the best outcome. After that HardHeaded keeps a queue of bids. When the
   queue is empty it takes the next row of the ranking below the lowest row it has walked to;
   if that row is worth at least ``p(t)``, it collects it and every following row within 0.01
   of it that is still worth at least ``p(t)``, walks to the last of them, and queues up to 4 of
   them, the ones the frequency model (:class:`~zopa.negotiation.opponent.FrequencyModel`)
   rates best for the opponent, best first. If that row is below ``p(t)``, it queues one of its
   own earlier bids, drawn at random. It then offers the head of the queue, unless the best bid
   the opponent has offered so far is worth strictly more to it than that head: then it offers
   the opponent's best bid and keeps the queue for later.
3. **Acceptance** (AC_HardHeaded): accept the offer on the table if it is worth strictly more
   than the lowest utility HardHeaded has offered so far, or at least as much as the bid it is
   about to make.

Utilities are undiscounted throughout (the discount enters through ``p(t)``). Where the reference
leaves a detail open, zopa's reading: "the next lower bid than the last own bid" is the next row
below the lowest row of the walk (offering the opponent's bid or an earlier bid does not move
the walk), and the random earlier bid is drawn uniformly from the distinct bids offered so far.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zopa.negotiation._params import check_count, check_number
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.opponent import FrequencyModel
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn

__all__ = ["HardHeaded", "concession_limit"]

Outcome = tuple[int, ...]


def concession_limit(
    t: float,
    discount: float = 1.0,
    *,
    best: float = 1.0,
    minimum: float = 0.585,
    ka: float = 0.05,
    e: float = 0.05,
) -> float:
    """HardHeaded's concession limit ``p(t)`` (step 1 of the module docstring).

    Examples:
        >>> round(concession_limit(0.0), 5), round(concession_limit(0.99), 5)
        (0.97925, 0.65679)
    """
    d = discount
    if d >= 0.9:
        f = ka + (1 - ka) * float((t / d) ** (1 / e))
        return minimum + (1 - f) * (best - minimum)
    if t <= d:
        e2 = e / d
        low = minimum + (best - minimum) * d
        f = ka + (1 - ka) * float((t / d) ** (1 / e2))
        return low + (1 - f) * (best - low)
    high = minimum + (best - minimum) * d
    f = ka + (1 - ka) * float(((t - d) / (1 - d)) ** (1 / 30.0))
    return minimum + (1 - f) * (high - minimum)


@dataclass(frozen=True)
class HardHeaded(Negotiator):
    """HardHeaded (module docstring), with the constants of the ANAC 2011 agent as defaults.

    Attributes:
        ka: ``Ka``, the initial concession of ``p(t)``.
        e: the concession exponent of ``p(t)``.
        minimum: the lowest utility ``p(t)`` concedes to.
        window: width of the utility band collected below the next bid.
        candidates: how many collected bids are queued (chosen by the opponent model).
        learning: the frequency model's learning coefficient ``l``.
    """

    ka: float = 0.05
    e: float = 0.05
    minimum: float = 0.585
    window: float = 0.01
    candidates: int = 4
    learning: float = 0.2

    def __post_init__(self) -> None:
        check_number("ka", self.ka, 0.0, 1.0)
        check_number("e", self.e, 0.0, math.inf, open_low=True)
        check_number("minimum", self.minimum, 0.0, 1.0)
        check_number("window", self.window, 0.0, 1.0)
        check_number("learning", self.learning, 0.0, 1.0, open_low=True, open_high=True)
        check_count("candidates", self.candidates)

    @property
    def name(self) -> str:
        return self.label or "hardheaded"

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _HardHeadedMind(self, view, rng)


class _HardHeadedMind(Mind):
    def __init__(self, agent: HardHeaded, view: PartyView, rng: np.random.Generator) -> None:
        self.agent = agent
        self.view = view
        self.rng = rng
        self.ranking = view.ranking
        self.model = FrequencyModel(view.space.sizes, learning=agent.learning)
        self.walk = -1  # lowest ranking row walked to
        self.queue: list[tuple[Outcome, float]] = []  # bids still to offer, with utility
        self.offered: dict[Outcome, float] = {}  # own distinct bids, in order, with utility
        self.lowest = float("inf")
        self.best_received: tuple[float, Outcome] | None = None

    def limit(self, t: float) -> float:
        a = self.agent
        return concession_limit(
            t, self.view.discount, best=self.ranking.best, minimum=a.minimum, ka=a.ka, e=a.e
        )

    def refill(self, t: float) -> None:
        r = self.ranking
        u = r.utilities
        row = self.walk + 1
        p = self.limit(t)
        if row < len(r) and u[row] >= p:
            end = min(r.at_least(float(u[row]) - self.agent.window), r.at_least(p))
            rows = np.arange(row, max(end, row + 1))
            self.walk = int(rows[-1])
            predicted = self.model.utility(r.codes[rows])
            for k in np.argsort(-predicted, kind="stable")[: self.agent.candidates]:
                j = int(rows[k])
                self.queue.append((tuple(int(c) for c in r.codes[j]), float(u[j])))
        else:
            earlier = list(self.offered.items())
            self.queue.append(earlier[int(self.rng.integers(len(earlier)))])

    def next_bid(self, t: float) -> tuple[Outcome, float]:
        if self.walk < 0:
            self.walk = 0
            return tuple(int(c) for c in self.ranking.codes[0]), self.ranking.best
        if not self.queue:
            self.refill(t)
        if self.best_received is not None and self.best_received[0] > self.queue[0][1]:
            return self.best_received[1], self.best_received[0]
        return self.queue.pop(0)

    def act(self, turn: Turn) -> Action:
        bid, mine = self.next_bid(turn.time)
        if turn.offer is not None:
            x = self.view.utility(turn.offer)
            if x > self.lowest or x >= mine:
                return Accept()
        self.offered.setdefault(bid, mine)
        self.lowest = min(self.lowest, mine)
        return Offer(bid)

    def observe(self, event: Event) -> None:
        if isinstance(event.action, Offer):
            bid = event.action.outcome
            self.model.update(bid)
            u = self.view.utility(bid)
            if self.best_received is None or u > self.best_received[0]:
                self.best_received = (u, bid)
