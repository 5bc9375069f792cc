"""Built-in negotiating agents, one module per family, and the names ``--agents`` accepts.

``agent(spec)`` builds a built-in from its name, optionally with parameters
(``time-dependent(e=0.5,k=0.1)``; the grammar is in :mod:`zopa.negotiation.spec`); ``AGENTS``
lists the names with what they build. ``boa(bidding=..., acceptance=..., model=...)`` composes
any bidding strategy of :data:`BIDDING` with any acceptance condition of
:data:`~zopa.negotiation.acceptance.ACCEPTANCE` and opponent model of
:data:`~zopa.negotiation.boa.MODELS`; an agent's ``name`` is a spec that ``agent`` reads back.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from zopa.negotiation.acceptance import ACCEPTANCE, AcceptanceCondition
from zopa.negotiation.agents.agent_k import AgentK
from zopa.negotiation.agents.atlas3 import Atlas3
from zopa.negotiation.agents.hardheaded import HardHeaded
from zopa.negotiation.agents.nice_tit_for_tat import NiceTitForTat
from zopa.negotiation.agents.random_offers import RandomBidding
from zopa.negotiation.agents.time_dependent import TimeDependentOffering, TimeDependentParty
from zopa.negotiation.agents.tit_for_tat import (
    AbsoluteTitForTat,
    RelativeTitForTat,
    naive_tit_for_tat,
)
from zopa.negotiation.boa import MODELS, BiddingStrategy, BOAAgent, OpponentModelling
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.spec import Spec, build, parse_spec

__all__ = [
    "AGENTS",
    "BIDDING",
    "AbsoluteTitForTat",
    "AgentK",
    "Atlas3",
    "HardHeaded",
    "NiceTitForTat",
    "RandomBidding",
    "RelativeTitForTat",
    "TimeDependentOffering",
    "TimeDependentParty",
    "agent",
    "bidding",
]

#: Bidding strategies by name (for ``boa(bidding=...)``).
BIDDING: dict[str, Callable[..., BiddingStrategy]] = {
    "time-dependent": TimeDependentOffering,
    "random": RandomBidding,
    "tit-for-tat": RelativeTitForTat,
    "tit-for-tat-absolute": AbsoluteTitForTat,
    "tit-for-tat-naive": naive_tit_for_tat,
}


def _with_ac_next(strategy: Callable[..., BiddingStrategy]) -> Callable[..., Negotiator]:
    """The agent ``strategy`` makes with ``AC_next(1, 0)`` and no model; same parameters."""

    def make(**params: Any) -> Negotiator:
        return BOAAgent(bidding=strategy(**params))

    make.__signature__ = inspect.signature(strategy)  # type: ignore[attr-defined]
    return make


def boa(
    bidding: BiddingStrategy | None = None,
    acceptance: AcceptanceCondition | None = None,
    model: OpponentModelling | None = None,
) -> BOAAgent:
    """A :class:`~zopa.negotiation.boa.BOAAgent` (default: time-dependent offering, AC_next)."""
    return BOAAgent(
        bidding=TimeDependentOffering() if bidding is None else bidding,
        acceptance=ACCEPTANCE["ac-next"]() if acceptance is None else acceptance,
        model=model,
    )


#: Built-in agents by name. ``boulware``, ``linear``, ``conceder`` and ``hardliner`` are GENIUS's
#: time-dependent parties with e = 0.2, 1, 2 and 0 (``time-dependent-party(e=...)`` for others);
#: ``hardheaded``, ``agent-k``, ``nice-tit-for-tat`` and ``atlas3`` are the ANAC agents of their
#: modules, with their competition constants; ``time-dependent``, ``random`` and the
#: ``tit-for-tat`` family are BOA agents accepting with AC_next(1, 0), with their bidding
#: strategy's parameters; ``boa`` composes any of them.
AGENTS: dict[str, Callable[..., Negotiator]] = {
    "boulware": lambda: TimeDependentParty(e=0.2),
    "linear": lambda: TimeDependentParty(e=1.0),
    "conceder": lambda: TimeDependentParty(e=2.0),
    "hardliner": lambda: TimeDependentParty(e=0.0),
    "time-dependent-party": TimeDependentParty,
    "hardheaded": HardHeaded,
    "agent-k": AgentK,
    "nice-tit-for-tat": NiceTitForTat,
    "atlas3": Atlas3,
    **{name: _with_ac_next(strategy) for name, strategy in BIDDING.items()},
    "boa": boa,
}

_COMPONENTS: dict[str, Callable[[Spec], Any]] = {
    "bidding": lambda s: build(s, BIDDING, "bidding"),
    "acceptance": lambda s: build(s, ACCEPTANCE, "acceptance"),
    "model": lambda s: build(s, MODELS, "model"),
}


def agent(spec: str) -> Negotiator:
    """The built-in agent named by ``spec``: a name of :data:`AGENTS`, with parameters if any.

    Examples:
        >>> agent("boulware")
        TimeDependentParty(e=0.2)
        >>> agent("time-dependent(e=0.5)").name
        'time-dependent(e=0.5)'
        >>> a = agent("boa(bidding=tit-for-tat, acceptance=ac-combi-max-w(T=0.98))")
        >>> a.name, agent(a.name) == a
        ('boa(bidding=tit-for-tat,acceptance=ac-combi-max-w(T=0.98))', True)
        >>> agent("time-dependent(f=1)")
        Traceback (most recent call last):
        ...
        zopa.model.errors.ArgumentError: agent time-dependent: unknown parameter "f" (parameters: e, k, p_min, p_max, reservation, window)
    """
    result: Negotiator = build(parse_spec(spec, "agent"), AGENTS, "agent", _COMPONENTS)
    return result


def bidding(spec: str) -> BiddingStrategy:
    """The bidding strategy named by ``spec`` (a name of :data:`BIDDING`, with parameters)."""
    result: BiddingStrategy = build(parse_spec(spec, "bidding"), BIDDING, "bidding")
    return result
