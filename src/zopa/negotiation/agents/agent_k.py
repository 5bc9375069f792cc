"""Agent K, winner of ANAC 2010: concede toward the best the opponent is estimated to give.

S. Kawaguchi, K. Fujita, T. Ito, "Compromising strategy based on estimated maximum utility for
automated negotiating agents", in *New Trends in Agent-Based Complex Automated Negotiations*,
Studies in Computational Intelligence 383, Springer 2012. GENIUS 10.4:
``agents/anac/y2010/AgentK/Agent_K.java``. Implemented from section 5.4 of the negotiation
reference (not from the GENIUS code):

1. **Statistics.** For every offer the opponent makes, worth ``x`` to Agent K, it keeps the
   running mean ``μ`` and (population) variance ``σ²`` of those utilities, and estimates the
   most the opponent will give as ``E_max = μ + (1 − μ)·d`` with ``d = √(12σ²)`` (the width of
   a uniform distribution with that variance).
2. **Targets** (:func:`agent_k_target`), at time ``t`` with the tremor ``τ = 2``:
   ``α = 1 + τ + 10μ − 2τμ`` for acceptance and ``β = α + U(−τ/2, τ/2)`` for bidding; for an
   exponent ``a``, ``pre = 1 − t^a·(1 − E_max)``, ``ratio = min(2, (d + 0.1)/(1 − pre))``,
   ``target = ratio·pre + 1 − ratio``. A target above ``E_max`` is pulled toward it by
   ``r·f/m`` (``r = target − E_max``, ``m = 400 − 300t³``, ``f = min(1/r², m)``); a target
   at or below ``E_max`` becomes ``E_max``.
3. **Acceptance.** It accepts the offer on the table, worth ``x``, with probability
   ``p = t^α/5 + (x − E_max) + (x − target_α)``, taken as 0 when ``p < 0.1``.
4. **Bidding.** If the opponent has offered bids worth strictly more than the bidding target
   ``target_β``, it offers one of them at random. Otherwise it draws random outcomes (uniform
   over the outcome space) until one is worth at least the bidding target, lowering that
   target by 0.01 after every 500 failed draws.

Before the opponent has made any offer it offers its best outcome. Randomness (``β``, the
acceptance draw, the bids) comes from the party's seeded generator. Details the reference
leaves open, as zopa reads them: the pull of step 2 applies to both targets; ``ratio`` is 2 when
``1 − pre`` is 0 (``t = 0`` or ``E_max = 1``); the re-offer and the sampling both use the
bidding target; draws are made in blocks of 500 and the first success of a block is taken
(the same as drawing one at a time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zopa.negotiation._params import check_count, check_number
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import Accept, Action, Event, Offer, PartyView, Turn

__all__ = ["AgentK", "agent_k_target", "estimated_maximum"]

Outcome = tuple[int, ...]


def estimated_maximum(mean: float, variance: float) -> tuple[float, float]:
    """``(E_max, d)``: the opponent's estimated maximum concession and the spread ``d = √(12σ²)``.

    Examples:
        >>> [round(x, 6) for x in estimated_maximum(0.5, 0.01)]
        [0.673205, 0.34641]
    """
    d = math.sqrt(12.0 * max(variance, 0.0))
    return mean + (1.0 - mean) * d, d


def agent_k_target(t: float, mean: float, variance: float, exponent: float) -> float:
    """Agent K's target at time ``t`` for the exponent ``α`` or ``β`` (step 2 of the module
    docstring), from the mean and variance of the opponent's offers.

    Examples:
        >>> round(agent_k_target(0.5, 0.5, 0.01, 6.0), 6)
        0.981074
    """
    emax, d = estimated_maximum(mean, variance)
    pre = 1.0 - float(t**exponent) * (1.0 - emax)
    gap = 1.0 - pre
    ratio = 2.0 if gap == 0 else min(2.0, (d + 0.1) / gap)
    target = ratio * pre + 1.0 - ratio
    if target <= emax:
        return emax
    r = target - emax
    m = 400.0 - 300.0 * t**3
    f = min(1.0 / (r * r), m)
    return target - r * f / m


def acceptance_probability(t: float, x: float, emax: float, target: float, alpha: float) -> float:
    """``p = t^α/5 + (x − E_max) + (x − target)``, or 0 when it is below 0.1 (step 3)."""
    p = float(t**alpha) / 5.0 + (x - emax) + (x - target)
    return 0.0 if p < 0.1 else p


@dataclass(frozen=True)
class AgentK(Negotiator):
    """Agent K (module docstring), with the constants of the ANAC 2010 agent as defaults.

    Attributes:
        tremor: ``τ``, how far the bidding exponent may stray from the acceptance exponent.
        samples: failed random draws after which the bidding target is lowered.
        lowering: how much it is lowered then.
    """

    tremor: float = 2.0
    samples: int = 500
    lowering: float = 0.01

    def __post_init__(self) -> None:
        check_number("tremor", self.tremor, 0.0, math.inf)
        check_count("samples", self.samples)
        check_number("lowering", self.lowering, 0.0, 1.0, open_low=True)

    @property
    def name(self) -> str:
        return self.label or "agent-k"

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _AgentKMind(self, view, rng)


class _AgentKMind(Mind):
    def __init__(self, agent: AgentK, view: PartyView, rng: np.random.Generator) -> None:
        self.agent = agent
        self.view = view
        self.rng = rng
        self.ranking = view.ranking
        self.count = 0
        self.mean = 0.0
        self.m2 = 0.0  # Welford's sum of squared deviations
        self.received: dict[Outcome, float] = {}  # distinct opponent offers, in order

    @property
    def variance(self) -> float:
        return self.m2 / self.count if self.count else 0.0

    def observe(self, event: Event) -> None:
        if not isinstance(event.action, Offer):
            return
        bid = event.action.outcome
        x = self.received.get(bid)
        if x is None:
            x = self.view.utility(bid)
            self.received[bid] = x
        self.count += 1
        delta = x - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (x - self.mean)

    def act(self, turn: Turn) -> Action:
        if not self.count:
            return Offer(tuple(int(c) for c in self.ranking.codes[0]))
        t, mu, var, tau = turn.time, self.mean, self.variance, self.agent.tremor
        alpha = 1.0 + tau + 10.0 * mu - 2.0 * tau * mu
        beta = alpha + float(self.rng.uniform(-tau / 2.0, tau / 2.0))
        if turn.offer is not None:
            x = self.view.utility(turn.offer)
            emax, _ = estimated_maximum(mu, var)
            target = agent_k_target(t, mu, var, alpha)
            p = acceptance_probability(t, x, emax, target, alpha)
            if p > 0 and float(self.rng.random()) < p:
                return Accept()
        return Offer(self.bid(agent_k_target(t, mu, var, beta)))

    def bid(self, target: float) -> Outcome:
        above = [b for b, u in self.received.items() if u > target]
        if above:
            return above[int(self.rng.integers(len(above)))]
        r, n = self.ranking, self.agent.samples
        while True:
            rows = self.rng.integers(len(r), size=n)
            ok = np.flatnonzero(r.utilities[rows] >= target)
            if ok.size:
                return tuple(int(c) for c in r.codes[rows[ok[0]]])
            target -= self.agent.lowering
