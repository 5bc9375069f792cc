"""decide-exchange-model's input format: actors, issues and their positions as tagged rows.

One delimiter-separated text file (tab, ``;`` or ``,``; cells may be quoted with ``'`` or ``"``),
each row starting with a tag:

- ``#A id fullname [comment]``: an actor (a zopa stakeholder);
- ``#P name [description ...]``: an issue;
- ``#M issue position [meaning]``: a point of the issue's scale; the lowest and highest points are
  the scale's ends (0–100 when an issue has none);
- ``#D actor issue position salience power [comment]``: an actor's position on an issue, the
  issue's salience to it (0–1) and its capability (power) on it;
- ``#O text``: the data set's title; ``#/ text``: a comment.

The file becomes a :class:`~zopa.model.Scenario` with **no parties**: decide describes who pulls
on a collective decision, not who sits at a table with preferences over options, so every actor is
a :class:`~zopa.model.Stakeholder` (position, salience and capability per issue; no position, no
salience and no capability where the file has no ``#D`` row). Each issue is a real interval over
its scale discretised into 101 options (a 1 % grid), so forecasts can be mapped to the nearest
option; positions keep their exact values.

Problems are reported one at a time as ``FILE:LINE: row LINE (#D actor, issue): field: what was
expected, what was found`` — the first one found, so one line per bad file.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from zopa.io.safe import cell_number, read_text
from zopa.model.errors import ScenarioError
from zopa.model.issue import Issue
from zopa.model.scenario import Scenario, Stakeholder

__all__ = ["ISSUE_STEPS", "TAGS", "looks_like_decide", "parse_decide", "read_decide"]

#: Options of each issue's grid (both scale ends included).
ISSUE_STEPS = 101

#: The row tags decide's format knows.
TAGS = ("#A", "#P", "#M", "#D", "#O", "#/", "#0")


def looks_like_decide(text: str) -> bool:
    """Whether ``text`` starts (after blank lines) with one of decide's row tags."""
    for line in text.splitlines():
        cell = line.strip().lstrip("'\"")
        if cell:
            return any(cell.startswith(tag) for tag in TAGS)
    return False


@dataclass
class _Issue:
    name: str
    line: int
    description: str = ""
    points: list[float] = field(default_factory=list)


def read_decide(path: str | Path) -> Scenario:
    """Read a decide input file as a scenario of stakeholders (see the module docstring).

    Raises:
        ScenarioError: the file is missing, unreadable or malformed; the message names the file,
            the line (row), the row's actor and issue where it has them, and the field.
    """
    path = Path(path)
    return parse_decide(read_text(path), path)


def parse_decide(text: str, path: Path) -> Scenario:
    """Parse decide's format from ``text`` read from ``path`` (see :func:`read_decide`)."""
    source = str(path)
    if not looks_like_decide(text):
        raise ScenarioError(
            "expected decide's format: rows tagged #A (actor), #P (issue), #M (scale point) "
            "and #D (position, salience, power)",
            source=source,
        )
    rows = list(csv.reader(text.splitlines(), dialect=_dialect(text)))

    def fail(line: int, detail: str, where: str = "", path: str = "") -> ScenarioError:
        row = f"row {line}" + (f" ({where})" if where else "")
        return ScenarioError(
            detail, path=f"{row}: {path}" if path else row, source=source, line=line
        )

    actors: dict[str, int] = {}
    issues: dict[str, _Issue] = {}
    stances: list[tuple[int, list[str]]] = []
    points: list[tuple[int, list[str]]] = []
    title = ""
    for number, raw in enumerate(rows, start=1):
        row = [cell.strip() for cell in raw]
        while row and not row[-1]:
            row.pop()
        if not row:
            continue
        tag = row[0]
        if tag == "#A":
            if len(row) < 2 or not row[1]:
                raise fail(number, "expected an actor id after #A", path="id")
            if row[1] in actors:
                raise fail(
                    number, f'duplicate actor "{row[1]}" (also row {actors[row[1]]})', path="id"
                )
            actors[row[1]] = number
        elif tag == "#P":
            if len(row) < 2 or not row[1]:
                raise fail(number, "expected an issue name after #P", path="name")
            if row[1] in issues:
                dup = issues[row[1]].line
                raise fail(number, f'duplicate issue "{row[1]}" (also row {dup})', path="name")
            desc = " ".join(c for c in row[2:] if c and c != row[1])
            issues[row[1]] = _Issue(row[1], number, desc)
        elif tag == "#M":
            points.append((number, row))
        elif tag == "#D":
            stances.append((number, row))
        elif tag == "#O":
            title = title or " ".join(row[1:])
        elif tag in ("#/", "#0"):
            continue
        else:
            raise fail(
                number, f'expected a row tag ({", ".join(TAGS)}), got "{tag[:20]}"', path="tag"
            )
    if not actors:
        raise ScenarioError("expected at least one actor (#A row), got none", source=source)
    if not issues:
        raise ScenarioError("expected at least one issue (#P row), got none", source=source)
    for number, row in points:
        where = f"#M {row[1]}" if len(row) > 1 else "#M"
        if len(row) < 3:
            raise fail(number, "expected an issue and a position", where)
        if row[1] not in issues:
            raise fail(
                number, f'expected an issue defined by a #P row, got "{row[1]}"', where, "issue"
            )
        point = cell_number(row[2])
        if point is None:
            raise fail(number, f'expected a number, got "{row[2][:30]}"', where, "position")
        issues[row[1]].points.append(point)
    scales: dict[str, tuple[float, float]] = {}
    for entry in issues.values():
        lo, hi = (min(entry.points), max(entry.points)) if entry.points else (0.0, 100.0)
        if not hi > lo:
            raise fail(
                entry.line,
                f"expected scale points (#M) that span an interval, got {lo:g} only",
                entry.name,
                "scale",
            )
        scales[entry.name] = (lo, hi)
    names = list(issues)
    n_issues = len(names)
    table: dict[str, list[tuple[float, float, float] | None]] = {
        a: [None] * n_issues for a in actors
    }
    seen: dict[tuple[str, str], int] = {}
    for number, row in stances:
        actor = row[1] if len(row) > 1 else ""
        issue = row[2] if len(row) > 2 else ""
        where = f"#D {actor}, {issue}"
        if len(row) < 6:
            raise fail(
                number,
                f"expected actor, issue, position, salience and power, got {len(row) - 1} fields",
                where,
            )
        if actor not in actors:
            raise fail(
                number, f'expected an actor defined by an #A row, got "{actor}"', where, "actor"
            )
        if issue not in issues:
            raise fail(
                number, f'expected an issue defined by a #P row, got "{issue}"', where, "issue"
            )
        if (actor, issue) in seen:
            raise fail(
                number,
                f"duplicate row for this actor and issue (also row {seen[actor, issue]})",
                where,
            )
        seen[actor, issue] = number
        values = []
        for cell, name in zip(row[3:6], ("position", "salience", "power"), strict=True):
            value = cell_number(cell)
            if value is None:
                raise fail(number, f'expected a number, got "{cell[:30]}"', where, name)
            values.append(value)
        x, s, c = values
        lo, hi = scales[issue]
        if not lo <= x <= hi:
            raise fail(
                number,
                f"expected a position on the issue's scale [{lo:g}, {hi:g}], got {row[3]}",
                where,
                "position",
            )
        if not 0 <= s <= 1:
            raise fail(number, f"expected a salience in [0, 1], got {row[4]}", where, "salience")
        if c < 0:
            raise fail(number, f"expected a power >= 0, got {row[5]}", where, "power")
        table[actor][names.index(issue)] = (x, s, c)
    zopa_issues = tuple(
        Issue.real(name, *scales[name], steps=ISSUE_STEPS, description=issues[name].description)
        for name in names
    )
    stakeholders = tuple(
        Stakeholder(
            name=actor,
            capability=tuple(0.0 if v is None else v[2] for v in values),
            positions=tuple(None if v is None else v[0] for v in values),
            salience=tuple(0.0 if v is None else v[1] for v in values),
        )
        for actor, values in table.items()
    )
    try:
        return Scenario(
            name=path.stem, issues=zopa_issues, parties=(), stakeholders=stakeholders, title=title
        )
    except ScenarioError as exc:
        raise exc.located(source=source) from None


def _dialect(text: str) -> type[csv.Dialect]:
    """The delimiter and quote character of decide's text: read off the first row, where the tag
    (``#A``, possibly quoted) is followed by the delimiter."""
    first = next(line.strip() for line in text.splitlines() if line.strip())
    quote = first[0] if first[0] in "'\"" else '"'
    rest = first[1:] if first[0] == quote else first
    after = rest[2:3] if rest[2:3] != quote else rest[3:4]
    delimiter = after if after in ("\t", ";", ",") else "\t"

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter
    Dialect.quotechar = quote
    return Dialect
