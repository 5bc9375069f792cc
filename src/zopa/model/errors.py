"""The exceptions zopa raises, in one tree.

Every user mistake surfaces as a :class:`ZopaError`; the CLI prints its one-line message and exits
with status 2. The tree (each class also subclasses the built-in it refines):

- :class:`ZopaError` (``Exception``): base of everything zopa raises on purpose.

  - :class:`ScenarioError` (``ValueError``): a scenario is invalid: a file cannot be read, has the
    wrong format, or describes something inconsistent (an unknown issue in a profile, a negative
    weight, a disagreement option that does not exist, ...). It carries the file, the line where
    known, and the path of the offending field, and renders as ``FILE:LINE: path: detail``.

    - :class:`UnsafeInputError`: a file was refused before parsing: too large, or an XML file with a
      DTD, entities or external references.

  - :class:`SpaceTooLargeError` (``ValueError``): an engine was asked to enumerate an outcome space
    larger than its guard allows.

  - :class:`ArgumentError` (``ValueError``): a function was called with a bad argument, or a
    command with a bad flag; the message names the argument or flag.

Warnings (results that are valid but suspect), all :class:`ZopaWarning` (``UserWarning``):

- :class:`NoAgreementWarning`: no outcome gives every party its reservation value, so every
  solution is "no agreement".
"""

from __future__ import annotations

__all__ = [
    "ArgumentError",
    "NoAgreementWarning",
    "ScenarioError",
    "SpaceTooLargeError",
    "UnsafeInputError",
    "ZopaError",
    "ZopaWarning",
]


class ZopaError(Exception):
    """Base class of every error zopa raises on purpose."""


class ScenarioError(ZopaError, ValueError):
    """An invalid scenario or scenario file.

    Args:
        detail: what was expected and what was found.
        path: where in the scenario, e.g. ``parties[1].weights.tariffs`` (may be empty).
        source: the file (or other source name) the scenario came from.
        line: 1-based line in ``source``, where known.
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

    @property
    def problems(self) -> tuple[ScenarioError, ...]:
        """This problem and any further ones found in the same pass (one line each)."""
        return (self, *self.more)

    def _render(self) -> str:
        where = ""
        if self.source:
            where = self.source + (f":{self.line}" if self.line else "") + ": "
        path = f"{self.path}: " if self.path else ""
        return f"{where}{path}{self.detail}"

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
    """A file refused before parsing (too large, or XML with a DTD or entities)."""


class SpaceTooLargeError(ZopaError, ValueError):
    """An outcome space too large to enumerate under the given guard."""


class ArgumentError(ZopaError, ValueError):
    """A bad argument to a function, or a bad command-line flag (the message names it)."""


class ZopaWarning(UserWarning):
    """Base class of the warnings zopa issues."""


class NoAgreementWarning(ZopaWarning):
    """No outcome is individually rational: every solution is "no agreement"."""
