"""zopa.testing.check_negotiator: it passes good agents and names the rule a bad one breaks."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from zopa.model.errors import ArgumentError
from zopa.negotiation import Accept, Action, Mind, Negotiator, Offer, PartyView, Turn
from zopa.negotiation.agents import TimeDependentParty
from zopa.testing import NegotiatorCheckError, check_negotiator, check_scenarios


class _Mind(Mind):
    def __init__(self, view: PartyView, rng: np.random.Generator, how: str) -> None:
        self.view, self.rng, self.how = view, rng, how
        self.best = tuple(int(c) for c in view.ranking.codes[0])

    def act(self, turn: Turn) -> Action:
        how = self.how
        if how == "outside":
            return Offer((99, 0))
        if how == "raise":
            raise ValueError("boom")
        if how == "accept-first":
            return Accept()
        if how == "unseeded":
            codes = np.random.default_rng().integers(0, self.view.space.sizes)
            return Offer(tuple(int(c) for c in codes))
        if how == "turn":
            object.__setattr__(turn, "round", 0)
        if how == "ranking":
            u = self.view.ranking.utilities
            u.setflags(write=True)
            u[0] = 2.0
        if how == "view":
            object.__setattr__(self.view, "reservation", 0.99)
        if how == "slow" and self.view.deadline.seconds is not None:
            time.sleep(0.8)
        if how == "three" and self.view.n_parties == 3:
            return Offer((0,))
        return Offer(self.best)


@dataclass(frozen=True)
class Broken(Negotiator):
    """Breaks the rule named by ``how`` (or none)."""

    how: str = "none"

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Mind(view, rng, self.how)


@pytest.mark.parametrize(
    ("how", "prop"),
    [
        ("outside", "outcome space"),
        ("raise", "no exceptions"),
        ("accept-first", "valid actions"),
        ("unseeded", "same seed, same play"),
        ("turn", "shared state"),
        ("ranking", "shared state"),
        ("view", "shared state"),
        ("slow", "deadline"),
        ("three", "outcome space"),
    ],
)
def test_each_broken_rule_is_named(how: str, prop: str) -> None:
    with pytest.raises(NegotiatorCheckError, match=f"^Broken: {prop}: ") as info:
        check_negotiator(Broken(how))
    assert isinstance(info.value, AssertionError) and "\n" not in str(info.value)
    if how == "three":
        assert "as A" in str(info.value)  # first seat of the three-party session


class Unbuildable(Negotiator):
    def __init__(self, x: int = 1) -> None:
        self.x = x + 1  # logic in __init__: not its parameter set

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Mind(view, rng, "none")


@dataclass(frozen=True)
class Unpicklable(Negotiator):
    f: Callable[[], int] = lambda: 1

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Mind(view, rng, "none")


@dataclass(frozen=True)
class NoMind(Negotiator):
    def start(self, view: PartyView, rng: np.random.Generator) -> Any:
        return "a mind"


@pytest.mark.parametrize(
    ("candidate", "message"),
    [
        (Unbuildable(), "Unbuildable: parameters: "),
        (Unpicklable(), "Unpicklable: picklable: "),
        (NoMind(), "NoMind: start: expected a Mind, got str"),
    ],
)
def test_parameters_pickling_and_start(candidate: Negotiator, message: str) -> None:
    with pytest.raises(NegotiatorCheckError, match=f"^{message}"):
        check_negotiator(candidate)


def test_good_agents_and_classes_pass() -> None:
    check_negotiator(Broken())
    check_negotiator(TimeDependentParty)
    two, three = check_scenarios()
    check_negotiator(TimeDependentParty(e=0.5), scenario=three, seeds=(3,))
    check_negotiator(Broken(), scenario=two.problem())


def test_bad_arguments() -> None:
    with pytest.raises(ArgumentError, match=r"^agent: expected a Negotiator, got int$"):
        check_negotiator(3)  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match=r"^agent: expected a Negotiator, got the class dict$"):
        check_negotiator(dict)  # type: ignore[arg-type]

    with pytest.raises(ArgumentError, match=r"^seeds: expected integers >= 0"):
        check_negotiator(Broken(), seeds=(-1,))
    with pytest.raises(ArgumentError, match=r"^scenario: expected a Scenario or BargainingProblem"):
        check_negotiator(Broken(), scenario="x")  # type: ignore[arg-type]
