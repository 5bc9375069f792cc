"""Small scenarios and a scripted opponent for hand-checked BOA traces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.negotiation import Mind, Negotiator, Offer, PartyView, Turn
from zopa.negotiation.boa import Bid, History
from zopa.negotiation.protocol import Action
from zopa.negotiation.result import Negotiation
from zopa.negotiation.session import Arena


def line(
    values: Sequence[float],
    reservation: float | None = None,
    other: Sequence[float] | None = None,
) -> Scenario:
    """One issue with ``len(values)`` options: A values them ``values``, B ``other`` (default
    ``1 − values``)."""
    issue = Issue.discrete("deal", [f"o{k}" for k in range(len(values))])
    a = Party("A", AdditiveUtility((1.0,), (tuple(values),)), reservation=reservation)
    theirs = tuple(1.0 - v for v in values) if other is None else tuple(other)
    b = Party("B", AdditiveUtility((1.0,), (theirs,)))
    return Scenario("line", (issue,), (a, b))


FOUR = (1.0, 0.7, 0.4, 0.0)


@dataclass(frozen=True)
class Script(Negotiator):
    """Offers ``offers[k]`` (one-issue option codes) on its k-th turn, the last one after that,
    and never accepts."""

    offers: tuple[int, ...] = (0,)

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _ScriptMind(self.offers)


class _ScriptMind(Mind):
    def __init__(self, offers: tuple[int, ...]) -> None:
        self.offers, self.k = offers, 0

    def act(self, turn: Turn) -> Action:
        code = self.offers[min(self.k, len(self.offers) - 1)]
        self.k += 1
        return Offer((code,))


def steps(r: Negotiation) -> list[tuple[int, int, str, tuple[int, ...] | None]]:
    return [(s.round, s.party, s.action, s.outcome) for s in r.trace]


def view_of(scenario: Scenario, seat: int = 0, rounds: int = 4) -> PartyView:
    from zopa.negotiation import Deadline

    return Arena.of(scenario).view(seat, Deadline(rounds=rounds))


def history(view: PartyView, received: Sequence[tuple[float, int]]) -> History:
    """A history of offers received at ``(time, code)`` (one-issue scenarios)."""
    h = History()
    for k, (t, code) in enumerate(received):
        h.received.append(Bid(k + 1, t, 1 - view.seat, (code,), view.utility((code,))))
    return h


def turn(round_: int, rounds: int, offer: int | None = None) -> Turn:
    return Turn(
        round=round_,
        time=round_ / (rounds + 1),
        offer=None if offer is None else (offer,),
        proposer=None if offer is None else 1,
    )
