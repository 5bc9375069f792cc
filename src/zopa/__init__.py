"""zopa: analyse, forecast and simulate multi-issue negotiations.

The public names are imported lazily so that ``import zopa`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "AdditiveUtility",
    "Analysis",
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
    "UnsafeInputError",
    "ValueFunction",
    "ZopaError",
    "ZopaWarning",
    "analyze",
    "load_scenario",
    "save_scenario",
]

_WHERE = {name: "zopa.model" for name in __all__} | {
    "Analysis": "zopa.analysis",
    "analyze": "zopa.analysis",
    "load_scenario": "zopa.io",
    "save_scenario": "zopa.io",
}

if TYPE_CHECKING:
    from zopa.analysis import Analysis, analyze
    from zopa.io import load_scenario, save_scenario
    from zopa.model import (
        AdditiveUtility,
        ArgumentError,
        ConversionWarning,
        DiscretisationWarning,
        HyperRectangle,
        HyperRectangleUtility,
        Issue,
        NoAgreementWarning,
        ObservedOutcome,
        OutputError,
        Party,
        Scenario,
        ScenarioError,
        Source,
        SpaceTooLargeError,
        Spread,
        Stakeholder,
        UnsafeInputError,
        ValueFunction,
        ZopaError,
        ZopaWarning,
    )


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'zopa' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
