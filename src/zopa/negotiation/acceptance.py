"""Acceptance conditions: when a BOA agent accepts the offer on the table.

T. Baarslag, K. Hindriks, C. Jonker, "Effective acceptance conditions in real-time automated
negotiation", *Decision Support Systems* 60:68–77, 2014 (earlier: "Acceptance conditions in
automated negotiation", ACAN 2011); the GENIUS 10.4 components
``negotiator.boaframework.acceptanceconditions.other`` (``AC_Next``, ``AC_Previous``, ``AC_Const``,
``AC_Time``, ``AC_Combi``, ``AC_CombiMaxInWindow``), section 5.8 of the negotiation reference.

Each condition decides on a :class:`Decision`, with (undiscounted, own utilities)

- ``x``: the offer on the table (the opponent's last offer),
- ``y``: the bid the agent is about to make if it does not accept,
- ``x_prev``: the agent's previous bid (``None`` before its first), and ``t`` the normalised time:

==================================  =============================================================
``ACNext(alpha=1, beta=0)``         accept iff ``α·x + β ≥ y``
``ACPrev(alpha=1, beta=0)``         accept iff ``α·x + β ≥ x_prev`` (never before a first bid)
``ACConst(c=0.9)``                  accept iff ``x > c`` (strict, as GENIUS)
``ACTime(T=0.99)``                  accept iff ``t > T``, whatever the offer
``ACCombi(alpha=1, beta=0, T=0.99)``  ``ACNext(α, β)`` or ``t ≥ T``
``ACCombiMaxW(T=0.99)``             accept if ``x ≥ y``; else reject while ``t < T``; else accept
                                    iff ``x`` is at least every offer received in the window
                                    ``[t − (1 − t), t]`` (the remaining time, looking back)
==================================  =============================================================

The paper's ``MAX^W`` takes the opponent's offers; with more than two parties zopa takes every
other party's offers. The defaults of ``ACCombi`` and ``ACCombiMaxW`` (``T = 0.99``) are zopa's,
those of the other conditions GENIUS's.

**Discounted variants** (GENIUS's ``…Discounted`` conditions, as section 5.8 of the reference
states them: compare discounted utilities at the current time): ``discounted=True`` on
``ACNext``, ``ACPrev``, ``ACConst`` and ``ACCombi`` multiplies ``x``, ``y`` and ``x_prev`` by
``d^t`` (``d`` the party's discount factor) before comparing. Since every utility gets the same
factor, this changes a decision only through ``β`` or ``c``; for ``MAX^W``, whose comparisons
have neither, it would change nothing and is not offered.

A condition is a frozen dataclass (its fields are its parameters) with
:meth:`AcceptanceCondition.accepts`; one that needs state or randomness in a negotiation overrides
:meth:`AcceptanceCondition.start` to return a fresh object with an ``accepts`` method.

Examples:
    >>> d = Decision(time=0.5, x=0.6, y=0.7, x_prev=0.8, history=None)
    >>> ACNext().accepts(d), ACNext(beta=0.1).accepts(d), ACConst(c=0.5).accepts(d)
    (False, True, True)
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Protocol

import numpy as np

from zopa.negotiation._params import check_flag, check_number
from zopa.negotiation.spec import Specified

if TYPE_CHECKING:
    from zopa.negotiation.boa import History
    from zopa.negotiation.protocol import PartyView

__all__ = [
    "ACCEPTANCE",
    "ACCombi",
    "ACCombiMaxW",
    "ACConst",
    "ACNext",
    "ACPrev",
    "ACTime",
    "AcceptanceCondition",
    "Acceptor",
    "Decision",
]


@dataclass(frozen=True, slots=True)
class Decision:
    """What an acceptance condition sees on a turn with an offer on the table.

    Attributes:
        time: normalised time ``t``.
        x: own utility of the offer on the table.
        y: own utility of the bid the agent makes if it does not accept.
        x_prev: own utility of the agent's previous bid, ``None`` before its first.
        history: the offers sent and received so far (:class:`~zopa.negotiation.boa.History`,
            read-only; the offer on the table is the last one received).
        view: the party's view of the negotiation (``None`` in hand-made decisions).
    """

    time: float
    x: float
    y: float
    x_prev: float | None
    history: History | None
    view: PartyView | None = None

    @property
    def factor(self) -> float:
        """The party's discount at this time, ``d^t`` (1 without a view)."""
        return 1.0 if self.view is None else float(self.view.discount**self.time)


class Acceptor(Protocol):
    """What :meth:`AcceptanceCondition.start` returns: anything with ``accepts``."""

    def accepts(self, decision: Decision) -> bool: ...


class AcceptanceCondition(Specified, ABC):
    """An acceptance condition's parameters (subclasses are frozen dataclasses)."""

    def start(self, view: PartyView, rng: np.random.Generator) -> Acceptor:
        """The condition used in one negotiation (itself: the built-ins keep no state)."""
        return self

    @abstractmethod
    def accepts(self, decision: Decision) -> bool:
        """Whether to accept the offer on the table."""


@dataclass(frozen=True)
class ACNext(AcceptanceCondition):
    """AC_next(α, β): accept iff ``α·x + β ≥ y`` (GENIUS ``AC_Next``)."""

    spec_name: ClassVar[str] = "ac-next"
    alpha: float = 1.0
    beta: float = 0.0
    discounted: bool = False

    def __post_init__(self) -> None:
        check_number("alpha", self.alpha, -math.inf, math.inf)
        check_number("beta", self.beta, -math.inf, math.inf)
        check_flag("discounted", self.discounted)

    def accepts(self, decision: Decision) -> bool:
        f = decision.factor if self.discounted else 1.0
        return self.alpha * decision.x * f + self.beta >= decision.y * f


@dataclass(frozen=True)
class ACPrev(AcceptanceCondition):
    """AC_prev(α, β): accept iff ``α·x + β ≥ x_prev``, the agent's previous bid (GENIUS
    ``AC_Previous``); rejects while the agent has made no bid."""

    spec_name: ClassVar[str] = "ac-prev"
    alpha: float = 1.0
    beta: float = 0.0
    discounted: bool = False

    def __post_init__(self) -> None:
        check_number("alpha", self.alpha, -math.inf, math.inf)
        check_number("beta", self.beta, -math.inf, math.inf)
        check_flag("discounted", self.discounted)

    def accepts(self, decision: Decision) -> bool:
        if decision.x_prev is None:
            return False
        f = decision.factor if self.discounted else 1.0
        return self.alpha * decision.x * f + self.beta >= decision.x_prev * f


@dataclass(frozen=True)
class ACConst(AcceptanceCondition):
    """AC_const(c): accept iff ``x > c`` (strict, GENIUS ``AC_Const``)."""

    spec_name: ClassVar[str] = "ac-const"
    c: float = 0.9
    discounted: bool = False

    def __post_init__(self) -> None:
        check_number("c", self.c, -math.inf, math.inf)
        check_flag("discounted", self.discounted)

    def accepts(self, decision: Decision) -> bool:
        f = decision.factor if self.discounted else 1.0
        return decision.x * f > self.c


@dataclass(frozen=True)
class ACTime(AcceptanceCondition):
    """AC_time(T): accept iff ``t > T``, whatever the offer (GENIUS ``AC_Time``)."""

    spec_name: ClassVar[str] = "ac-time"
    T: float = 0.99

    def __post_init__(self) -> None:
        check_number("T", self.T, 0.0, 1.0)

    def accepts(self, decision: Decision) -> bool:
        return decision.time > self.T


@dataclass(frozen=True)
class ACCombi(AcceptanceCondition):
    """AC_combi(α, β, T): ``AC_next(α, β)`` or ``t ≥ T`` (GENIUS ``AC_Combi``)."""

    spec_name: ClassVar[str] = "ac-combi"
    alpha: float = 1.0
    beta: float = 0.0
    T: float = 0.99
    discounted: bool = False

    def __post_init__(self) -> None:
        check_number("alpha", self.alpha, -math.inf, math.inf)
        check_number("beta", self.beta, -math.inf, math.inf)
        check_number("T", self.T, 0.0, 1.0)
        check_flag("discounted", self.discounted)

    def accepts(self, decision: Decision) -> bool:
        f = decision.factor if self.discounted else 1.0
        return self.alpha * decision.x * f + self.beta >= decision.y * f or decision.time >= self.T


@dataclass(frozen=True)
class ACCombiMaxW(AcceptanceCondition):
    """AC_combi(T, MAX^W) (GENIUS ``AC_CombiMaxInWindow``; the best performer of Baarslag et
    al. 2014): accept if ``x ≥ y``; else reject while ``t < T``; else accept iff ``x`` is at
    least the best (own utility) of the offers received at times in ``[t − (1 − t), t]``."""

    spec_name: ClassVar[str] = "ac-combi-max-w"
    T: float = 0.99

    def __post_init__(self) -> None:
        check_number("T", self.T, 0.0, 1.0)

    def accepts(self, decision: Decision) -> bool:
        if decision.x >= decision.y:
            return True
        t = decision.time
        if t < self.T:
            return False
        return decision.x >= window_max(decision.history, t - (1.0 - t), decision.x)


def window_max(history: History | None, since: float, default: float) -> float:
    """The best own utility among offers received at times ``>= since`` (``default`` if none)."""
    best = default
    if history is None:
        return best
    for bid in reversed(history.received):
        if bid.time < since:
            break
        best = max(best, bid.utility)
    return best


#: Acceptance conditions by name (for :func:`zopa.negotiation.agents.agent` specs).
ACCEPTANCE: dict[str, type[AcceptanceCondition]] = {
    c.spec_name: c for c in (ACNext, ACPrev, ACConst, ACTime, ACCombi, ACCombiMaxW)
}
