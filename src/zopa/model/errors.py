"""The exceptions and warnings zopa raises, in one tree.

Every user mistake surfaces as a :class:`ZopaError`; the CLI prints its one-line message on stderr
and exits with status 2. Each class also subclasses the built-in it refines, so code that catches
``ValueError`` or ``OSError`` keeps working (the layout follows httpx's ``_exceptions.py``).

Exceptions:

- :class:`ZopaError` (``Exception``): base of everything zopa raises on purpose.

  - :class:`ScenarioError` (``ValueError``): a scenario is invalid: a file cannot be read, has the
    wrong format, or describes something inconsistent (an unknown issue in a profile, a negative
    weight, a disagreement option that does not exist, ...). It carries the file, the line where
    known, and the path of the offending field, and renders as ``FILE:LINE: path: detail``.

    - :class:`UnsafeInputError`: a file was refused before or while parsing: too large, YAML with
      anchors or aliases, or an XML file with a DTD, entities or external references.

  - :class:`SpaceTooLargeError` (``ValueError``): an engine was asked to enumerate an outcome space
    larger than its guard allows.

  - :class:`ArgumentError` (``ValueError``): a function was called with a bad argument, or a
    command with a bad flag; the message names the argument or flag first, e.g.
    ``--draws: expected an integer >= 1, got 0``.

  - :class:`OutputError` (``OSError``): an output (a scenario file, a report, a figure) cannot be
    written; renders as ``PATH: detail`` and keeps the operating system's ``errno``.

Warnings (a result is valid but suspect; the CLI prints each as a ``warning: ...`` line):

- :class:`ZopaWarning` (``UserWarning``): base of every warning zopa issues.

  - :class:`NoAgreementWarning`: no outcome gives every party its reservation value, so every
    solution is "no agreement".
  - :class:`DiscretisationWarning`: a continuous issue was discretised with a default number of
    steps the file did not choose.
  - :class:`ConversionWarning`: reading or writing another tool's format could not keep something
    exactly (a discount factor GeniusWeb cannot hold, a value GENIUS ignores, a utility cap zopa's
    additive model does not apply).

The module also holds the few helpers every reader uses to word its messages (:func:`show_value`,
:func:`show_names`) and the one duplicate-name check (:func:`check_unique`), so that the same
mistake reads the same way whichever format it was made in.

Examples:
    >>> raise ArgumentError("--draws: expected an integer >= 1, got 0")
    Traceback (most recent call last):
    ...
    zopa.model.errors.ArgumentError: --draws: expected an integer >= 1, got 0
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

__all__ = [
    "ArgumentError",
    "ConversionWarning",
    "DiscretisationWarning",
    "NoAgreementWarning",
    "OutputError",
    "ScenarioError",
    "SpaceTooLargeError",
    "UnsafeInputError",
    "ZopaError",
    "ZopaWarning",
    "check_unique",
    "show_names",
    "show_value",
]


# ---------------------------------------------------------------------------- exceptions
class ZopaError(Exception):
    """Base class of every error zopa raises on purpose."""


class ScenarioError(ZopaError, ValueError):
    """An invalid scenario or scenario file.

    Args:
        detail: what was expected and what was found.
        path: where in the scenario, e.g. ``parties[1].weights.tariffs`` (may be empty).
        source: the file (or other source name) the scenario came from.
        line: 1-based line in ``source``, where known.
        more: further problems found in the same pass.
    """

    def __init__(
        self,
        detail: str,
        *,
        path: str = "",
        source: str | None = None,
        line: int | None = None,
        more: tuple[ScenarioError, ...] = (),
    ) -> None:
        self.detail = detail
        self.path = path
        self.source = source
        self.line = line
        self.more = more
        super().__init__(self._render())

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"path": self.path, "source": self.source, "line": self.line, "more": self.more}
        return (_rebuild, (type(self), (self.detail,), fields))

    @property
    def problems(self) -> tuple[ScenarioError, ...]:
        """This problem and any further ones found in the same pass (one line each)."""
        return (self, *self.more)

    def _render(self) -> str:
        """``FILE:LINE: path: detail`` on one line (a line break in a detail becomes a space)."""
        where = ""
        if self.source:
            where = self.source + (f":{self.line}" if self.line else "") + ": "
        path = f"{self.path}: " if self.path else ""
        return _one_line(f"{where}{path}{self.detail}")

    def located(self, *, source: str | None = None, line: int | None = None) -> ScenarioError:
        """A copy of this error that names ``source`` and ``line`` (existing ones are kept)."""
        return type(self)(
            self.detail,
            path=self.path,
            source=self.source or source,
            line=self.line or line,
        )

    def within(self, prefix: str) -> ScenarioError:
        """A copy of this error whose path is nested under ``prefix``."""
        if not prefix:
            return self
        path = prefix + ("" if not self.path or self.path.startswith("[") else ".") + self.path
        return type(self)(self.detail, path=path, source=self.source, line=self.line)


class UnsafeInputError(ScenarioError):
    """A file refused before parsing (too large, YAML anchors, XML with a DTD or entities)."""


class SpaceTooLargeError(ZopaError, ValueError):
    """An outcome space too large to enumerate under the given guard."""


class ArgumentError(ZopaError, ValueError):
    """A bad argument to a function, or a bad command-line flag.

    The message starts with the argument's or flag's name as the caller wrote it, then what was
    expected and what was found: ``ArgumentError("--draws: expected an integer >= 1, got 0")``.
    """


class OutputError(ZopaError, OSError):
    """An output that cannot be written.

    Args:
        path: the file or folder that could not be written.
        detail: what went wrong, e.g. ``cannot write file: No space left on device``.
        errno: the operating system's error number, where there is one.
    """

    def __init__(self, path: str | Path, detail: str, *, errno: int | None = None) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = str(path)
        self.detail = detail
        self.filename = self.path
        self.errno = errno

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), (self.path, self.detail), {"errno": self.errno}))


def _one_line(text: str) -> str:
    return text if "\n" not in text and "\r" not in text else re.sub(r"\s*[\r\n]+\s*", " ", text)


def _rebuild(cls: type[Exception], args: tuple[Any, ...], fields: dict[str, Any]) -> Exception:
    """Unpickle an exception whose constructor takes keyword arguments."""
    return cls(*args, **fields)


# ---------------------------------------------------------------------------- warnings
class ZopaWarning(UserWarning):
    """Base class of the warnings zopa issues."""


class NoAgreementWarning(ZopaWarning):
    """No outcome is individually rational: every solution is "no agreement"."""


class DiscretisationWarning(ZopaWarning):
    """A continuous issue was discretised into a number of steps the input did not choose."""


class ConversionWarning(ZopaWarning):
    """Reading or writing another tool's format could not keep something exactly."""


# ---------------------------------------------------------------------------- message helpers
_WORDS = {
    "yaml": {"none": "nothing", "dict": "a mapping", "str": '"{}"'},
    "json": {"none": "null", "dict": "an object", "str": 'the string "{}"'},
}

#: Longest text :func:`show_value` quotes in full.
MAX_SHOWN = 60


def show_value(value: Any, *, dialect: Literal["yaml", "json"] = "yaml") -> str:
    """How an error message shows a value found in a file: text quoted (and clipped), numbers as
    written, containers by kind, in the words of the file's format.

    Examples:
        >>> show_value("high"), show_value(None), show_value({}), show_value(-1)
        ('"high"', 'nothing', 'a mapping', '-1')
        >>> show_value("0.7", dialect="json"), show_value(None, dialect="json")
        ('the string "0.7"', 'null')
    """
    words = _WORDS[dialect]
    if isinstance(value, str):
        text = value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 3] + "..."
        return words["str"].format(text)
    if value is None:
        return words["none"]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return words["dict"]
    if isinstance(value, list | tuple):
        return "a list"
    return str(value)


def show_names(names: Iterable[object], limit: int = 8) -> str:
    """A parenthesised list of names for an error message, cut after ``limit`` entries.

    Examples:
        >>> show_names(["low", "high", 3])
        '("low", "high", 3)'
        >>> show_names(range(20), limit=2)
        '(0, 1, ... (20 in all))'
    """
    items = list(names)
    shown = ", ".join(f'"{x}"' if isinstance(x, str) else str(x) for x in items[:limit])
    more = f", ... ({len(items)} in all)" if len(items) > limit else ""
    return f"({shown}{more})"


def check_unique(names: Sequence[str], where: str, what: str, *, field: str = ".name") -> None:
    """Refuse a repeated name: ``where[i]{field}: duplicate WHAT name "x" (also where[j])``.

    Examples:
        >>> check_unique(["a", "b", "a"], "issues", "issue")
        Traceback (most recent call last):
        ...
        zopa.model.errors.ScenarioError: issues[2].name: duplicate issue name "a" (also issues[0])
    """
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ScenarioError(
                f'duplicate {what} name "{name}" (also {where}[{seen[name]}])',
                path=f"{where}[{i}]{field}",
            )
        seen[name] = i
