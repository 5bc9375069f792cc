"""The ``zopa`` command: one Typer app, one small module per command.

User mistakes (a :class:`zopa.ZopaError`) print one line per problem on stderr and exit with
status 2; warnings print as ``warning: ...`` lines. Tracebacks are for bugs only.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

app = typer.Typer(
    name="zopa",
    help="Analyse, forecast and simulate multi-issue negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

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


def _register() -> None:
    from zopa.cli import convert, scenarios, show, validate

    for module in (validate, show, convert, scenarios):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
