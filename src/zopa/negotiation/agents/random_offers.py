"""A random agent: uniform random offers, the baseline of every tournament.

Each offer is drawn uniformly from the whole outcome space (every issue's option uniformly and
independently) with the generator :func:`~zopa.negotiation.session.negotiate` gives the agent, so
the same seed gives the same offers. Registered as ``random`` with ``AC_next(1, 0)``: it accepts
an offer worth at least the random bid it would make instead (a random threshold). GENIUS ships
the same baseline as ``RandomBidder``/``Random_Offering``; the reference gives no details, so this
is zopa's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from zopa.negotiation.boa import Bidder, BiddingStrategy, History
from zopa.negotiation.opponent import OpponentModel
from zopa.negotiation.protocol import PartyView, Turn

__all__ = ["RandomBidding"]


@dataclass(frozen=True)
class RandomBidding(BiddingStrategy):
    """Offer an outcome drawn uniformly from the outcome space (module docstring)."""

    spec_name: ClassVar[str] = "random"

    def start(self, view: PartyView, rng: np.random.Generator) -> Bidder:
        return _RandomBidder(np.asarray(view.space.sizes, dtype=np.int64), rng)


class _RandomBidder(Bidder):
    def __init__(self, sizes: npt.NDArray[np.int64], rng: np.random.Generator) -> None:
        self.sizes, self.rng = sizes, rng

    def bid(self, turn: Turn, history: History, model: OpponentModel | None) -> tuple[int, ...]:
        return tuple(int(c) for c in self.rng.integers(0, self.sizes))
