"""zopa: analyse, forecast and simulate multi-issue negotiations.

The public names are imported lazily so that ``import zopa`` stays fast.

In IPython and Jupyter, scenarios and results display as HTML tables. The engines carry no display
code: :func:`load_ipython_extension` registers :func:`zopa.report.display.html` as the ``text/html``
formatter of each displayed type, by module and class name, so nothing is imported until an object
is shown. ``import zopa`` inside a running IPython does this by itself; ``%load_ext zopa`` does it
explicitly (needed only when ``zopa`` was imported before IPython started, e.g. in a kernel's
startup code). Outside IPython, ``zopa.report.display.html(obj)`` gives the same HTML as a string.
"""

from __future__ import annotations

import sys
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
    "Strategy",
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
        Strategy,
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


#: The types IPython shows through :func:`zopa.report.display.html`, as (defining module, class
#: name); a test keeps this list equal to the types that function renders.
_DISPLAYED_TYPES: tuple[tuple[str, str], ...] = (
    ("zopa.analysis.run", "Analysis"),
    ("zopa.analysis.chips", "Chips"),
    ("zopa.analysis.frontier", "Frontier"),
    ("zopa.analysis.leverage", "Leverage"),
    ("zopa.analysis.linkage", "Agendas"),
    ("zopa.analysis.linkage", "Linkage"),
    ("zopa.analysis.robustness", "Robustness"),
    ("zopa.analysis.solutions", "Solution"),
    ("zopa.analysis.zone", "Zone"),
    ("zopa.model.scenario", "Scenario"),
)


def _html(obj: object) -> str:
    from zopa.report.display import html

    return html(obj)


def load_ipython_extension(ipython: Any) -> None:
    """Show zopa's scenarios and results as HTML in this IPython shell (``%load_ext zopa``).

    Registers :func:`zopa.report.display.html` for every type in ``_DISPLAYED_TYPES`` by name,
    so neither the types nor the display code are imported before an object is shown.
    """
    formatter = ipython.display_formatter.formatters["text/html"]
    for module, name in _DISPLAYED_TYPES:
        formatter.for_type_by_name(module, name, _html)


def _register_in_running_ipython() -> None:
    """Call :func:`load_ipython_extension` when imported inside a running IPython shell, without
    importing IPython otherwise."""
    ipython_module = sys.modules.get("IPython")
    get_ipython = getattr(ipython_module, "get_ipython", None)
    shell = get_ipython() if callable(get_ipython) else None
    if shell is not None and hasattr(shell, "display_formatter"):
        load_ipython_extension(shell)


_register_in_running_ipython()
