"""What one negotiation produced: the outcome, each party's utility, GENIUS's quality measures
and the full trace of actions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Negotiation", "Step"]

Reason = Literal["agreement", "end", "deadline", "violation"]


@dataclass(frozen=True, slots=True)
class Step:
    """One action of the trace: who, when, what, and what the offer on the table is worth.

    Attributes:
        round: round of the action, from 1.
        time: normalised time.
        party: seat of the actor.
        action: ``"offer"``, ``"accept"`` or ``"end"``.
        outcome: the offer made or accepted (option codes), ``None`` for an end.
        utilities: every party's utility of ``outcome`` (for replay and plots; parties never
            see them), ``None`` for an end.
    """

    round: int
    time: float
    party: int
    action: str
    outcome: tuple[int, ...] | None
    utilities: tuple[float, ...] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "time": self.time,
            "party": self.party,
            "action": self.action,
            "outcome": None if self.outcome is None else list(self.outcome),
            "utilities": None if self.utilities is None else list(self.utilities),
        }


@dataclass(frozen=True)
class Negotiation:
    """The result of one negotiation (GENIUS definitions of the measures, section 6.4 of the
    negotiation reference: ``MultilateralAnalysis``).

    Attributes:
        parties: party names, in seat order.
        agents: agent names, in seat order.
        issues: issue names.
        agreement: whether an outcome was agreed.
        outcome: the agreed outcome as option codes, or ``None``.
        options: the agreed outcome as ``{issue: option}``, or ``None``.
        utilities: each party's undiscounted utility (its reservation value without agreement).
        discounted: each party's utility times ``d^t`` at the time the session ended.
        rounds: the round in which the session ended (the last round played).
        time: normalised time when it ended (1 when the deadline was reached).
        seconds: wall-clock duration (left out of ``==``, so equal plays compare equal).
        ended_by: the name of the party whose action ended it (the last to accept, or the one
            that ended or broke the rules), ``None`` when the deadline did.
        reason: ``"agreement"``, ``"end"``, ``"deadline"`` or ``"violation"``.
        detail: for a violation, what the party did wrong; else ``""``.
        distance_to_pareto: Euclidean distance from the agreement to the nearest Pareto point,
            as GENIUS logs it (:meth:`~zopa.negotiation.session.Arena.genius_measures`): every
            utility discounted to the end time (``U·d^t``; the undiscounted ones where there is
            no discount), and the agreement point 0 for every party without agreement.
        distance_to_nash: Euclidean distance to GENIUS's Nash point (the Pareto point maximising
            ``Π (U·d^t − rv_i)``), measured the same way.
        social_welfare: ``Σ U·d^t`` of the agreement (``Σ utilities`` without discount), 0
            without agreement (GENIUS's ``MultilateralAnalysis.getSocialWelfare``).
        trace: every action, in order (empty when the trace was not kept).
    """

    parties: tuple[str, ...]
    agents: tuple[str, ...]
    issues: tuple[str, ...]
    agreement: bool
    outcome: tuple[int, ...] | None
    options: dict[str, str] | None
    utilities: tuple[float, ...]
    discounted: tuple[float, ...]
    rounds: int
    time: float
    seconds: float = field(compare=False)
    ended_by: str | None
    reason: Reason
    detail: str
    distance_to_pareto: float | None
    distance_to_nash: float | None
    social_welfare: float
    trace: tuple[Step, ...] = ()

    def to_dict(self, *, trace: bool = True) -> dict[str, Any]:
        """JSON-ready fields; ``trace=False`` leaves the trace out."""
        out: dict[str, Any] = {
            "parties": list(self.parties),
            "agents": list(self.agents),
            "agreement": self.agreement,
            "outcome": self.options,
            "outcome_codes": None if self.outcome is None else list(self.outcome),
            "utilities": list(self.utilities),
            "discounted_utilities": list(self.discounted),
            "rounds": self.rounds,
            "time": self.time,
            "seconds": self.seconds,
            "ended_by": self.ended_by,
            "reason": self.reason,
            "detail": self.detail,
            "distance_to_pareto": self.distance_to_pareto,
            "distance_to_nash": self.distance_to_nash,
            "social_welfare": self.social_welfare,
        }
        if trace:
            out["trace"] = [s.to_dict() for s in self.trace]
        return out

    def to_frame(self) -> Any:
        """The trace as a pandas DataFrame (one row per action; needs pandas)."""
        from zopa.analysis._pandas import data_frame

        columns: dict[Any, Any] = {
            "round": [s.round for s in self.trace],
            "time": [s.time for s in self.trace],
            "party": [self.parties[s.party] for s in self.trace],
            "action": [s.action for s in self.trace],
        }
        for k, issue in enumerate(self.issues):
            columns[issue] = [None if s.outcome is None else s.outcome[k] for s in self.trace]
        for j, p in enumerate(self.parties):
            columns[f"u_{p}"] = [
                None if s.utilities is None else s.utilities[j] for s in self.trace
            ]
        return data_frame(columns)
