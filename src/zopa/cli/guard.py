"""Turning user mistakes into one line each and exit code 2.

Every :class:`zopa.model.errors.ZopaError` is a user mistake, never a bug: a bad scenario (one
line per problem found), a bad flag (``--draws: ...``), an output that cannot be written
(``report.html: ...``), an outcome space too large to enumerate. Each prints as ``error: ...`` on
stderr and the command exits with status 2; warnings print as ``warning: ...`` lines. Anything
else is a bug and keeps its traceback.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from zopa.model.errors import ZopaError

F = TypeVar("F", bound=Callable[..., Any])


def guarded(func: F) -> F:
    """Run a command, turning zopa errors into one line each and exit code 2."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from zopa.model.errors import ZopaError

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = func(*args, **kwargs)
            except ZopaError as exc:
                print_warnings(caught)
                print_error(exc)
                raise typer.Exit(2) from None
        print_warnings(caught)
        return result

    return wrapper  # type: ignore[return-value]


def error_lines(exc: ZopaError) -> list[str]:
    """The ``error: ...`` lines of a zopa error: one per problem of a scenario, else one."""
    from zopa.model.errors import ScenarioError

    problems = exc.problems if isinstance(exc, ScenarioError) else (exc,)
    return [f"error: {problem}" for problem in problems]


def print_error(exc: ZopaError) -> None:
    """Print :func:`error_lines` on stderr."""
    for line in error_lines(exc):
        print(line, file=sys.stderr)


def print_warnings(caught: list[warnings.WarningMessage], prefix: str = "") -> None:
    """Print each caught warning as a ``warning: PREFIX...`` line on stderr."""
    for w in caught:
        print(f"warning: {prefix}{w.message}", file=sys.stderr)


@contextmanager
def naming(sources: Sequence[str]) -> Iterator[None]:
    """Make an engine's error about the scenario name the scenario's file(s).

    An engine does not know where its scenario came from; a :class:`ScenarioError` without a
    source (``analysis needs at least two parties, got 1``) or a :class:`SpaceTooLargeError` raised
    inside this block is raised again naming ``sources`` (the command's SCENARIO arguments).
    """
    from zopa.model.errors import ScenarioError, SpaceTooLargeError

    where = " ".join(sources)
    try:
        yield
    except ScenarioError as exc:
        if exc.source is None and where:
            raise exc.located(source=where) from None
        raise
    except SpaceTooLargeError as exc:
        if where and not str(exc).startswith(where):
            raise SpaceTooLargeError(f"{where}: {exc}") from None
        raise
