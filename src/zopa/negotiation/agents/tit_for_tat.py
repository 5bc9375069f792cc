"""Tit-for-tat in utility space: concede as much as the opponent conceded (Faratin et al. 1998).

P. Faratin, C. Sierra, N. R. Jennings, "Negotiation decision functions for autonomous agents",
*Robotics and Autonomous Systems* 24(3–4):159–182, 1998, section on behaviour-dependent
(imitative) tactics (section 5.2 of the negotiation reference). The paper imitates the
opponent's move per issue value; zopa adapts it to a single utility, the agent's own, as the
ANAC-era agents do:

- **The opponent's concession** is measured in the agent's own utility between the opponent's
  offers ``δ`` steps back: with ``o_1 … o_m`` the own utilities of the offers received so far
  (``o_m`` the latest), ``a = o_{m−δ}`` and ``b = o_{m−δ+1}`` (for ``δ = 1`` the last two). The
  paper's thread indices ``t_{n−2δ}`` and ``t_{n−2δ+2}`` are these two offers.
- **The agent's position** ``p`` is its own target utility, starting at its best utility; it is
  the target it aimed at last, not the utility of the bid that target landed on, so that small
  concessions add up in a discrete space.
- **Mirrored**, once per turn on which a new offer has arrived and at least ``δ + 1`` offers have,
  reading the opponent's own utility of its offer as the mirror of ours, ``best − o`` (the
  zero-sum reading every utility-space TFT makes, since the opponent's preferences are unknown):
  relative TFT imitates its percentage change, ``p ← p · (best − b) / (best − a)`` (``p`` is
  kept when ``a = b = best``, set to ``best`` when only ``a = best``); absolute TFT imitates its
  change, ``p ← p − (b − a) − kindness − R``, ``R`` uniform in ``[0, noise]`` (Faratin's random
  term ``R(M)``, drawn from the agent's seeded generator; ``noise = 0`` makes it deterministic).
  An opponent that retracts (``b < a``) makes the agent retract in proportion.
- **Clamped** to ``[floor, best]``, ``floor = max(rv, worst utility)`` (never below the
  reservation value; ``floor = best`` if no outcome reaches ``rv``).
- **The bid** is the outcome worst for the agent among those worth at least ``p`` (the last row
  of the ranking at or above ``p − 1e-12``), so it never concedes more than the opponent did. Before
  ``δ + 1`` offers have arrived it bids its best outcome.

The **naive tit-for-tat** (concession = the increase of own utility between the opponent's last
two offers, conceded in the same amount plus a ``kindness``, offering the worst-for-me outcome
still above the new target; it treats the opponent's gain as the mirror of its own loss, i.e.
assumes a zero-sum game) is exactly absolute TFT with ``δ = 1`` and no noise; it is registered as
``tit-for-tat-naive`` with its one parameter, ``kindness``.

In more than two-party sessions every other party's offers form one stream ``o_1 … o_m``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from zopa.negotiation._params import check_count, check_number
from zopa.negotiation.boa import Bidder, BiddingStrategy, History
from zopa.negotiation.opponent import OpponentModel
from zopa.negotiation.protocol import PartyView, Turn

__all__ = ["AbsoluteTitForTat", "RelativeTitForTat", "naive_tit_for_tat"]


@dataclass(frozen=True)
class RelativeTitForTat(BiddingStrategy):
    """Relative tit-for-tat in utility space (module docstring): imitate the opponent's
    percentage concession ``δ`` offers back.

    Attributes:
        delta: how many of the opponent's offers back to look (``δ ≥ 1``).
    """

    spec_name: ClassVar[str] = "tit-for-tat"
    delta: int = 1

    def __post_init__(self) -> None:
        check_count("delta", self.delta)

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        return _TitForTatBidder(view, rng, self.delta, None)


@dataclass(frozen=True)
class AbsoluteTitForTat(BiddingStrategy):
    """(Random) absolute tit-for-tat in utility space (module docstring): concede the opponent's
    concession ``δ`` offers back, plus ``kindness``, plus noise uniform in ``[0, noise]``.

    Attributes:
        delta: how many of the opponent's offers back to look (``δ ≥ 1``).
        noise: ``M`` of Faratin's random term ``R(M)`` (0: deterministic).
        kindness: a fixed extra concession per move (negative: a harder imitator).
    """

    spec_name: ClassVar[str] = "tit-for-tat-absolute"
    delta: int = 1
    noise: float = 0.0
    kindness: float = 0.0

    def __post_init__(self) -> None:
        check_count("delta", self.delta)
        check_number("noise", self.noise, 0.0, math.inf)
        check_number("kindness", self.kindness, -math.inf, math.inf)

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        return _TitForTatBidder(view, rng, self.delta, self)


def naive_tit_for_tat(kindness: float = 0.0) -> AbsoluteTitForTat:
    """The naive tit-for-tat of the module docstring: absolute TFT with ``δ = 1``, no noise."""
    return AbsoluteTitForTat(delta=1, noise=0.0, kindness=kindness)


class _TitForTatBidder(Bidder):
    def __init__(
        self,
        view: PartyView,
        rng: np.random.Generator,
        delta: int,
        absolute: AbsoluteTitForTat | None,
    ) -> None:
        self.ranking = view.ranking
        self.rng = rng
        self.delta = delta
        self.absolute = absolute
        self.best = self.ranking.best
        self.floor = min(max(view.reservation, self.ranking.worst), self.best)
        self.position = self.best
        self.used = 0

    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> tuple[int, ...]:
        received = history.received
        m = len(received)
        if m > self.used and m >= self.delta + 1:
            self.used = m
            a = received[m - 1 - self.delta].utility
            b = received[m - self.delta].utility
            p = self.position
            if self.absolute is None:
                gap_a, gap_b = self.best - a, self.best - b
                if gap_a > 0.0:
                    p = p * gap_b / gap_a
                elif gap_b > 0.0:
                    p = self.best
            else:
                noise = self.absolute.noise
                p -= (b - a) + self.absolute.kindness
                if noise > 0:
                    p -= float(self.rng.uniform(0.0, noise))
            self.position = min(max(p, self.floor), self.best)
        row = max(self.ranking.at_least(self.position - 1e-12) - 1, 0)
        return self.ranking.outcome(row)
