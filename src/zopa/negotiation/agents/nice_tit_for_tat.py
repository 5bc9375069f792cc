"""Nice Tit-for-Tat (ANAC 2011 finalist): reciprocate the opponent's concessions, toward the Nash
point of an estimated outcome space, and be nice to it among equal bids.

T. Baarslag, K. Hindriks, C. Jonker, "A Tit for Tat negotiation strategy for real-time bilateral
negotiations", in *Complex Automated Negotiations: Theories, Models, and Software
Competitions*, Studies in Computational Intelligence 435, Springer 2013. GENIUS 10.4:
``agents/anac/y2011/Nice_Tit_for_Tat/NiceTitForTat.java``. Implemented from section 5.2 of the
negotiation reference (not from the GENIUS code):

1. **Opponent model.** A Bayesian model (:class:`~zopa.negotiation.opponent.BayesianModel`)
   learns from every opponent offer. The **estimated Nash point** is the outcome maximising
   ``u(ω)·û(ω)`` (own utility times the model's prediction of the opponent's; the first maximum
   in the ranking's order), and ``u_N`` is its own utility.
2. **Reciprocation.** With ``first`` the lowest own utility among the opponent's first
   ``first_offers`` offers and ``best`` the highest own utility it has offered so far, the
   opponent's concession is ``best − first``; the concede factor is
   ``c = min(1, (best − first)/(u_N − first))`` and the target is ``1 − c·(1 − u_N)``. When
   ``u_N ≤ first`` (the opponent opened at or above the estimated Nash point) the ratio is
   not positive and ``c = 0``: the target stays 1 until the estimate moves.
3. **Time bonus.** Near the deadline it moves further toward the Nash point: the target loses
   the fraction ``bonus·(t − bonus_after)/(1 − bonus_after)`` (for ``t > bonus_after``) of its
   remaining gap to ``u_N``.
4. **Nice bid.** Among the outcomes worth ``[target, target + window)`` to it, it offers the
   one the model rates best for the opponent; if there is none, the outcome just above the
   target (the best outcome if the target is above it).
5. **Acceptance.** It accepts an offer worth at least the bid it is about to make; after
   ``t = accept_after`` (0.98) it also accepts an offer worth at least the best the opponent
   offered in the window ``[t − (1 − t), t]`` (AC_combi MAX^W, Baarslag, Hindriks & Jonker,
   "Effective acceptance conditions in real-time automated negotiation", *Decision Support
   Systems* 60, 2014).

Before the opponent has offered anything it offers its best outcome. Section 5.2 of the
reference does not give the number of "first few offers", the form of the time bonus or the
width of "bids at the target"; ``first_offers = 3``, the linear bonus of step 3 (half the gap
at the deadline, from ``t = 0.9``) and ``window = 0.01`` are zopa's choices, parameters of the
agent. Utilities are undiscounted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zopa.negotiation._params import check_count, check_number
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.opponent import BayesianModel
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn

__all__ = ["NiceTitForTat", "nice_target"]

Outcome = tuple[int, ...]


def nice_target(
    nash: float,
    first: float,
    best: float,
    t: float,
    *,
    bonus: float = 0.5,
    bonus_after: float = 0.9,
) -> float:
    """Nice Tit-for-Tat's target utility (steps 2 and 3 of the module docstring) from the own
    utility of the estimated Nash point, the lowest of the opponent's first offers and the best
    of its offers so far.

    Examples:
        >>> round(nice_target(0.6, 0.2, 0.4, 0.5), 6)  # the opponent conceded half-way to Nash
        0.8
        >>> round(nice_target(0.6, 0.2, 0.4, 0.95), 6)  # and a quarter of the gap as a bonus
        0.75
    """
    gap = nash - first
    factor = 0.0 if gap <= 0 else min(1.0, max(0.0, (best - first) / gap))
    target = 1.0 - factor * (1.0 - nash)
    if t > bonus_after and target > nash:
        target -= bonus * (t - bonus_after) / (1.0 - bonus_after) * (target - nash)
    return target


@dataclass(frozen=True)
class NiceTitForTat(Negotiator):
    """Nice Tit-for-Tat (module docstring).

    Attributes:
        first_offers: how many of the opponent's first offers set its starting point.
        window: width of the band of own utility the nice bid is chosen from.
        bonus: fraction of the gap to the Nash point conceded at the deadline as a time bonus.
        bonus_after: time from which the bonus grows (linearly).
        accept_after: time after which offers as good as the best of the recent window are
            accepted.
    """

    first_offers: int = 3
    window: float = 0.01
    bonus: float = 0.5
    bonus_after: float = 0.9
    accept_after: float = 0.98

    def __post_init__(self) -> None:
        check_count("first_offers", self.first_offers)
        check_number("window", self.window, 0.0, 1.0)
        check_number("bonus", self.bonus, 0.0, 1.0)
        check_number("bonus_after", self.bonus_after, 0.0, 1.0, open_high=True)
        check_number("accept_after", self.accept_after, 0.0, 1.0)

    @property
    def name(self) -> str:
        return self.label or "nice-tit-for-tat"

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _NiceMind(self, view)


class _NiceMind(Mind):
    def __init__(self, agent: NiceTitForTat, view: PartyView) -> None:
        self.agent = agent
        self.view = view
        self.ranking = view.ranking
        self.model = BayesianModel(view.space.sizes)
        self.received: list[float] = []  # own utility of each opponent offer
        self.times: list[float] = []
        self.first = float("inf")
        self.best = -float("inf")
        self._nash: tuple[int, float] | None = None  # (model.learnt, own utility at Nash)

    def observe(self, event: Event) -> None:
        if not isinstance(event.action, Offer):
            return
        bid = event.action.outcome
        self.model.update(bid)
        x = self.view.utility(bid)
        self.received.append(x)
        self.times.append(event.time)
        if len(self.received) <= self.agent.first_offers:
            self.first = min(self.first, x)
        self.best = max(self.best, x)

    def nash(self) -> float:
        """Own utility of the estimated Nash point (recomputed only when the model learnt)."""
        if self._nash is None or self._nash[0] != self.model.learnt:
            r = self.ranking
            product = r.utilities * self.model.utility(r.codes)
            self._nash = (self.model.learnt, float(r.utilities[int(np.argmax(product))]))
        return self._nash[1]

    def bid(self, t: float) -> tuple[Outcome, float]:
        r = self.ranking
        if not self.received:
            row = 0
        else:
            a = self.agent
            target = nice_target(
                self.nash(), self.first, self.best, t, bonus=a.bonus, bonus_after=a.bonus_after
            )
            low, high = r.at_least(target + a.window), r.at_least(target)
            if high > low:
                predicted = self.model.utility(r.codes[low:high])
                row = low + int(np.argmax(predicted))
            else:
                row = max(high - 1, 0)
        return tuple(int(c) for c in r.codes[row]), float(r.utilities[row])

    def act(self, turn: Turn) -> Action:
        bid, mine = self.bid(turn.time)
        if turn.offer is not None:
            x = self.view.utility(turn.offer)
            if x >= mine:
                return Accept()
            t = turn.time
            if t > self.agent.accept_after:
                since = t - (1.0 - t)
                recent = [u for u, s in zip(self.received, self.times, strict=True) if s >= since]
                if recent and x >= max(recent):
                    return Accept()
        return Offer(bid)
