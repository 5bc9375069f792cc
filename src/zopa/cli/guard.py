"""Turning user mistakes into one line each and exit code 2."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Run a command, turning zopa errors into one line each and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from zopa.model.errors import ScenarioError, ZopaError

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except ScenarioError as exc:
                _print_warnings(caught)
                for problem in exc.problems:
                    print(f"error: {problem}", file=sys.stderr)
                raise typer.Exit(2) from None
            except ZopaError as exc:
                _print_warnings(caught)
                print(f"error: {exc}", file=sys.stderr)
                raise typer.Exit(2) from None
        _print_warnings(caught)
        return result

    return wrapper  # type: ignore[return-value]


def _print_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        print(f"warning: {w.message}", file=sys.stderr)
