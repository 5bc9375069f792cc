"""The negotiation engine: protocols, agents and one negotiation played offer by offer.

- :mod:`~zopa.negotiation.protocol`: actions, deadlines, normalised time, what a party sees;
- :mod:`~zopa.negotiation.negotiator`: the agent interface (frozen parameters + one mind per
  negotiation);
- :mod:`~zopa.negotiation.session`: :func:`negotiate`, :func:`negotiate_many` and the shared
  :class:`Arena`;
- :mod:`~zopa.negotiation.fast`: the vectorised engine for GENIUS time-dependent parties;
- :mod:`~zopa.negotiation.agents`: the built-in agents;
- :mod:`~zopa.negotiation.ranking`: outcomes sorted by own utility, as GENIUS sorts them;
- :mod:`~zopa.negotiation.agenda`: the package, issue by issue, or a user agenda in play.
"""

from __future__ import annotations

from zopa.negotiation.agenda import AgendaPlay, PlayComparison, compare_play, play_agenda
from zopa.negotiation.negotiator import Mind, Negotiator
from zopa.negotiation.protocol import (
    Accept,
    Action,
    Deadline,
    EndNegotiation,
    Event,
    Offer,
    PartyView,
    Turn,
)
from zopa.negotiation.ranking import Ranking, rank_outcomes
from zopa.negotiation.result import Negotiation, Step
from zopa.negotiation.session import Arena, genius_nash_point, negotiate, negotiate_many

__all__ = [
    "Accept",
    "Action",
    "AgendaPlay",
    "Arena",
    "Deadline",
    "EndNegotiation",
    "Event",
    "Mind",
    "Negotiation",
    "Negotiator",
    "Offer",
    "PartyView",
    "PlayComparison",
    "Ranking",
    "Step",
    "Turn",
    "compare_play",
    "genius_nash_point",
    "negotiate",
    "negotiate_many",
    "play_agenda",
    "rank_outcomes",
]
