"""Built-in negotiating agents, one module per family, and the names ``--agents`` accepts.

``agent(name)`` builds a built-in by name; ``AGENTS`` lists the names with what they build.
"""

from __future__ import annotations

from collections.abc import Callable

from zopa.model.errors import ArgumentError
from zopa.negotiation.agents.agent_k import AgentK
from zopa.negotiation.agents.hardheaded import HardHeaded
from zopa.negotiation.agents.nice_tit_for_tat import NiceTitForTat
from zopa.negotiation.agents.time_dependent import TimeDependentParty
from zopa.negotiation.negotiator import Negotiator

__all__ = ["AGENTS", "AgentK", "HardHeaded", "NiceTitForTat", "TimeDependentParty", "agent"]

#: Built-in agents by name. ``boulware``, ``linear``, ``conceder`` and ``hardliner`` are GENIUS's
#: time-dependent parties with e = 0.2, 1, 2 and 0; ``hardheaded``, ``agent-k`` and
#: ``nice-tit-for-tat`` are the ANAC agents of their modules, with their competition constants.
AGENTS: dict[str, Callable[[], Negotiator]] = {
    "boulware": lambda: TimeDependentParty(e=0.2),
    "linear": lambda: TimeDependentParty(e=1.0),
    "conceder": lambda: TimeDependentParty(e=2.0),
    "hardliner": lambda: TimeDependentParty(e=0.0),
    "hardheaded": HardHeaded,
    "agent-k": AgentK,
    "nice-tit-for-tat": NiceTitForTat,
}


def agent(name: str) -> Negotiator:
    """The built-in agent called ``name`` (one of :data:`AGENTS`).

    Examples:
        >>> agent("boulware")
        TimeDependentParty(e=0.2)
    """
    key = name.strip().lower().replace("_", "-")
    if key not in AGENTS:
        raise ArgumentError(f'agent: expected one of {", ".join(AGENTS)}, got "{name}"')
    return AGENTS[key]()
