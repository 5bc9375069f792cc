"""zopa's scenario model: issues, parties, stakeholders and the arrays engines read."""

from zopa.model.errors import (
    ArgumentError,
    ConversionWarning,
    DiscretisationWarning,
    NoAgreementWarning,
    OutputError,
    ScenarioError,
    SpaceTooLargeError,
    UnsafeInputError,
    ZopaError,
    ZopaWarning,
)
from zopa.model.generate import random_scenario
from zopa.model.issue import Issue
from zopa.model.preferences import (
    AdditiveUtility,
    HyperRectangle,
    HyperRectangleUtility,
    Party,
    ValueFunction,
)
from zopa.model.scenario import (
    ObservedOutcome,
    Scenario,
    Source,
    Spread,
    Stakeholder,
    Strategy,
)

__all__ = [
    "AdditiveUtility",
    "ArgumentError",
    "ConversionWarning",
    "DiscretisationWarning",
    "HyperRectangle",
    "HyperRectangleUtility",
    "Issue",
    "NoAgreementWarning",
    "ObservedOutcome",
    "OutputError",
    "Party",
    "Scenario",
    "ScenarioError",
    "Source",
    "SpaceTooLargeError",
    "Spread",
    "Stakeholder",
    "Strategy",
    "UnsafeInputError",
    "ValueFunction",
    "ZopaError",
    "ZopaWarning",
    "random_scenario",
]
