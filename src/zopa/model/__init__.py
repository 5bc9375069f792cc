"""zopa's scenario model: issues, parties, stakeholders and the arrays engines read."""

from zopa.model.errors import ScenarioError, SpaceTooLargeError, UnsafeInputError, ZopaError
from zopa.model.generate import random_scenario
from zopa.model.issue import Issue
from zopa.model.preferences import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Party,
    ValueFunction,
)
from zopa.model.scenario import ObservedOutcome, Scenario, Source, Spread, Stakeholder

__all__ = [
    "AdditiveUtility",
    "HyperRectangle",
    "HyperRectangleUtility",
    "Issue",
    "ObservedOutcome",
    "Party",
    "Scenario",
    "ScenarioError",
    "Source",
    "SpaceTooLargeError",
    "Spread",
    "Stakeholder",
    "UnsafeInputError",
    "ValueFunction",
    "ZopaError",
    "random_scenario",
]
