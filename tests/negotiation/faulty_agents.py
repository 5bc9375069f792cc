"""Agents that misbehave, for the tournament's fault-isolation tests.

They live in a module of their own (not in a test file) so that worker processes, local or Dask,
can import them by name: pytest puts this folder on ``sys.path``, and spawned workers inherit it.
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from zopa.negotiation import Mind, Negotiator, Offer, PartyView, Turn
from zopa.negotiation.protocol import Action


class _Mind(Mind):
    def __init__(self, agent: Faulty, view: PartyView) -> None:
        self.agent = agent
        self.best = tuple(int(c) for c in view.ranking.codes[0])

    def act(self, turn: Turn) -> Action:
        if turn.round >= self.agent.after:
            return self.agent.misbehave(self.best)
        return Offer(self.best)


@dataclass(frozen=True)
class Faulty(Negotiator):
    """Offers its best outcome until round ``after``, then misbehaves."""

    after: int = 2

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Mind(self, view)

    def misbehave(self, best: tuple[int, ...]) -> Action:  # pragma: no cover - overridden
        return Offer(best)


@dataclass(frozen=True)
class Raiser(Faulty):
    label = "raiser"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        raise RuntimeError("boom")


@dataclass(frozen=True)
class Outsider(Faulty):
    label = "outsider"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        return Offer((99,) * len(best))


@dataclass(frozen=True)
class Sleeper(Faulty):
    """Hangs in a blocking call (the time limit's timer interrupts it)."""

    label = "sleeper"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        time.sleep(3600)
        return Offer(best)


@dataclass(frozen=True)
class Spinner(Faulty):
    """Hangs in a busy Python loop."""

    label = "spinner"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        while True:
            pass


@dataclass(frozen=True)
class Deaf(Faulty):
    """Blocks the time limit's signal, then hangs: only replacing the worker stops it."""

    label = "deaf"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(3600)
        return Offer(best)


@dataclass(frozen=True)
class Killer(Faulty):
    """Kills the process it runs in."""

    label = "killer"

    def misbehave(self, best: tuple[int, ...]) -> Action:
        os._exit(3)


@dataclass(frozen=True)
class BadStart(Faulty):
    label = "bad-start"

    def start(self, view: PartyView, rng: Any) -> Mind:
        raise ValueError("cannot start")
