"""What a scenario loses when it is written in another tool's format.

zopa's native YAML/JSON holds everything a :class:`~zopa.model.Scenario` holds. GENIUS XML and
GeniusWeb JSON hold issues, options and each party's preferences, reservation and (GENIUS only)
discount factor, and nothing else. :func:`conversion_losses` lists, one line per *kind* of
information, what a target format cannot hold; the writers warn each line as a
:class:`~zopa.model.errors.ConversionWarning` and ``strict=True`` (``zopa convert --strict``)
refuses to write instead.

Party order: GENIUS names a party by its profile's file name and a GENIUS folder is read in
file-name order, so the order survives only when the file names already sort in it (otherwise a
line says how to read the files back in order). GeniusWeb profiles carry their party's name, so
the GeniusWeb writer numbers the files (``1-...json``, ``2-...json``) when needed and the order is
kept.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from zopa.model.errors import ConversionWarning, ScenarioError
from zopa.model.scenario import Scenario, Spread

__all__ = [
    "FORMATS",
    "Format",
    "conversion_losses",
    "format_label",
    "refuse_losses",
    "warn_losses",
    "write_converted",
]

Format = Literal["yaml", "json", "genius", "geniusweb"]
#: The formats zopa writes, as ``--to`` names them.
FORMATS: tuple[Format, ...] = ("yaml", "json", "genius", "geniusweb")

_LABELS = {
    "yaml": "native YAML",
    "json": "native JSON",
    "genius": "GENIUS XML",
    "geniusweb": "GeniusWeb JSON",
}


def format_label(fmt: Format) -> str:
    """How messages name a format: ``"GENIUS XML"``."""
    return _LABELS[fmt]


def _listed(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items)} in all)" if len(items) > limit else "")


def conversion_losses(scenario: Scenario, fmt: Format) -> tuple[str, ...]:
    """One line per kind of information in ``scenario`` that format ``fmt`` cannot hold.

    Native formats lose nothing (an empty tuple). What only a writer finds out while encoding
    (a GeniusWeb reservation bid worth more than the reservation value, a party order GENIUS file
    names do not sort in) the writers add themselves.

    Examples:
        >>> from zopa.io import load_scenario
        >>> s = load_scenario("mexico-us-2017")
        >>> conversion_losses(s, "yaml")
        ()
        >>> for line in conversion_losses(s, "genius")[:3]:
        ...     print(line)
        GENIUS XML cannot hold the description; it is not written
        GENIUS XML cannot hold the date and sources; they are not written
        GENIUS XML cannot hold the stakeholders (7 of them); they are not written
    """
    if fmt in ("yaml", "json"):
        return ()
    target = format_label(fmt)
    lines: list[str] = []

    def lost(what: str, then: str = "it is not written") -> None:
        lines.append(f"{target} cannot hold {what}; {then}")

    s = scenario
    if fmt == "geniusweb" and s.title and s.title != s.name:
        lost("the title", f'only the name "{s.name}" is written')
    if s.description:
        lost("the description")
    if s.date or s.sources:
        lost("the date and sources", "they are not written")
    if s.stakeholders:
        n = len(s.stakeholders)
        lost(f"the stakeholders ({n} of them)", "they are not written")
    if s.observed is not None:
        lost("the observed outcome")
    if s.spread != Spread():
        lost("the robustness settings", "they are not written")
    if s.strategy is not None:
        lost(f"the stated strategy (of {s.strategy.party})")
    fallback = [
        f"{i.name}: {i.options[i.disagreement]}" for i in s.issues if i.disagreement is not None
    ]
    if fallback:
        lost(
            f'the "if talks fail" options ({_listed(fallback)})',
            "they are not written; "
            + (
                "each party's reservation value is written as a number"
                if fmt == "genius"
                else "each party's reservation value becomes a reservation bid"
            ),
        )
    if any(i.description for i in s.issues):
        lost("issue descriptions", "they are not written")
    if any(p.description for p in s.parties):
        lost("party descriptions", "they are not written")
    powers = [f"{p.name} {p.power:g}" for p in s.parties if p.power is not None]
    if powers:
        lost(f"bargaining powers ({_listed(powers)})", "they are not written")
    if fmt == "geniusweb":
        discounted = [f"{p.name} {p.discount:g}" for p in s.parties if p.discount != 1.0]
        if discounted:
            lost(f"discount factors ({_listed(discounted)})", "they are not written")
    scaled = [i.name for i in s.issues if i.kind == "discrete" and i.scale is not None]
    if scaled:
        lost(
            f"the number scale of discrete options ({_listed(scaled)})",
            "the options are written by name only",
        )
    return tuple(lines)


def refuse_losses(lines: Sequence[str], target: str | Path) -> None:
    """Raise one :class:`~zopa.model.errors.ScenarioError` listing every line of ``lines`` (the
    losses of a conversion), each as its own problem; do nothing when there are none.

    This is ``strict=True`` (``zopa convert --strict``): a conversion that would lose something
    writes nothing.
    """
    if not lines:
        return
    problems = [
        ScenarioError(
            f"--strict (strict=True): {line.split('; ', 1)[0]}; nothing was written",
            source=str(target),
        )
        for line in lines
    ]
    raise ScenarioError(problems[0].detail, source=str(target), more=tuple(problems[1:]))


def warn_losses(lines: Sequence[str]) -> None:
    """Warn each line of ``lines`` as a :class:`~zopa.model.errors.ConversionWarning`."""
    for line in lines:
        warnings.warn(line, ConversionWarning, stacklevel=3)


def write_converted(
    files: Sequence[tuple[Path, str | bytes]],
    notes: Sequence[str],
    *,
    target: str | Path,
    folder: Path | None,
    strict: bool,
    check: Callable[[], None] | None = None,
) -> list[Path]:
    """Write a conversion's ``files`` all or nothing, after its ``notes`` (what it loses).

    With ``strict`` a loss refuses the write (:func:`refuse_losses`); ``check`` runs next (e.g. the
    overwrite rules of :func:`zopa.io.save_scenario`); ``folder`` (if given) is created; the files
    are written by :func:`zopa.io.safe.write_all_atomic`; each loss is then warned.
    """
    from zopa.io.safe import make_folder, write_all_atomic

    if strict:
        refuse_losses(notes, target)
    if check is not None:
        check()
    if folder is not None:
        make_folder(folder)
    write_all_atomic(files)
    warn_losses(notes)
    return [path for path, _ in files]
