"""The plain actor table of the expected utility model's replications, read as a scenario.

One CSV file, one issue: a header naming the columns ``Actor``, ``Capability``, ``Position`` and
``Salience`` (in any order, any case; other columns are ignored), then one row per actor::

    Actor,Capability,Position,Salience
    Netherlands,0.08,4,0.8

This is the layout of the EC emission-standards table of Bueno de Mesquita (1994) as tabulated
by Scholz, Calbert & Smith (2011, Table 1) and shipped with jmckib's replication
(``ExampleActors.csv``). Capability is a number >= 0 (only ratios matter), salience a number in
[0, 1], position any number on the issue's scale.

The scenario has one issue named after the file, on the scale the data use: the integers from
the lowest to the highest position when every position is an integer (so forecasts map to whole
years in the EC case), otherwise the interval between them in 101 steps; the actors are its
stakeholders; it has no parties (the table says nothing about preferences over options), so the
negotiation analyses have nothing to work on and only ``zopa forecast`` applies.

Every bad row is reported, each as ``FILE:LINE: Column: expected ..., got ...``.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

from zopa.io.safe import cell_number, read_text, show_cell
from zopa.model.errors import ScenarioError
from zopa.model.issue import Issue, format_number
from zopa.model.scenario import Scenario, Stakeholder

__all__ = ["COLUMNS", "read_actor_table"]

#: The columns the table must have.
COLUMNS = ("Actor", "Capability", "Position", "Salience")

#: Steps of the issue when some position is not an integer.
REAL_STEPS = 101


def read_actor_table(path: str | Path, *, name: str | None = None) -> Scenario:
    """Read an actor table (see the module docstring) as a one-issue scenario.

    Args:
        path: the CSV file.
        name: the scenario's (and the issue's) name; default the file's stem.

    Raises:
        ScenarioError: the file is missing or unreadable, the header lacks a column, or rows are
            bad; one problem per bad field, each naming the file, line and column.

    Examples:
        >>> import tempfile
        >>> table = Path(tempfile.mkdtemp()) / "t.csv"
        >>> _ = table.write_text("Actor,Capability,Position,Salience\\nA,1,0,0.5\\nB,2,10,x\\n")
        >>> read_actor_table(table)
        Traceback (most recent call last):
        ...
        zopa.model.errors.ScenarioError: ...t.csv:3: Salience: expected a number in [0, 1], got "x"
    """
    path = Path(path)
    source = str(path)
    text = read_text(path)
    rows = csv.reader(io.StringIO(text, newline=""))
    header = next(rows, None)
    if header is None or not any(h.strip() for h in header):
        raise ScenarioError(
            f"expected a header with the columns {', '.join(COLUMNS)}, got an empty file",
            source=source,
            line=1,
        )
    keys = [h.strip().lower() for h in header]
    missing = [col for col in COLUMNS if col.lower() not in keys]
    if missing:
        raise ScenarioError(
            f"expected the columns {', '.join(COLUMNS)}, got {', '.join(h.strip() for h in header)} "
            f"(missing {', '.join(missing)})",
            source=source,
            line=1,
            path="header",
        )
    where = {col: keys.index(col.lower()) for col in COLUMNS}
    problems: list[ScenarioError] = []
    actors: list[tuple[str, float, float, float]] = []
    seen: dict[str, int] = {}

    def bad(line: int, column: str, detail: str) -> None:
        problems.append(ScenarioError(detail, source=source, line=line, path=column))

    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(header):
            bad(line, "row", f"expected {len(header)} fields (as the header), got {len(row)}")
            continue
        actor = row[where["Actor"]].strip()
        ok = True
        if not actor:
            bad(line, "Actor", "expected a non-empty actor name")
            ok = False
        elif actor in seen:
            bad(line, "Actor", f'duplicate actor name "{actor}" (also line {seen[actor]})')
            ok = False
        else:
            seen[actor] = line
        values: dict[str, float] = {}
        for column, test, expected in (
            ("Capability", lambda v: v >= 0, "a number >= 0"),
            ("Position", lambda v: True, "a number"),
            ("Salience", lambda v: 0 <= v <= 1, "a number in [0, 1]"),
        ):
            cell = row[where[column]].strip()
            number = cell_number(cell)
            value = math.nan if number is None else number
            if number is None or not test(number):
                bad(line, column, f"expected {expected}, got {show_cell(cell)}")
                ok = False
            values[column] = value
        if ok:
            actors.append((actor, values["Capability"], values["Position"], values["Salience"]))
    if problems:
        first, *more = problems
        raise ScenarioError(
            first.detail, path=first.path, source=source, line=first.line, more=tuple(more)
        )
    if not actors:
        raise ScenarioError("expected one row per actor after the header, got none", source=source)
    label = name or path.stem
    issue = _issue(label, [a[2] for a in actors])
    stakeholders = tuple(
        Stakeholder(actor, capability=(cap,), positions=(pos,), salience=(sal,))
        for actor, cap, pos, sal in actors
    )
    return Scenario(
        name=label,
        issues=(issue,),
        parties=(),
        stakeholders=stakeholders,
        title=label,
        description=f"Actor table {path.name}: {len(actors)} actors on one issue.",
    )


def _issue(name: str, positions: list[float]) -> Issue:
    lo, hi = min(positions), max(positions)
    if lo == hi:
        return Issue.discrete(name, [format_number(lo)], scale=[lo])
    if all(float(p).is_integer() for p in positions) and hi - lo <= 1000:
        return Issue.integer(name, int(lo), int(hi))
    return Issue.real(name, lo, hi, steps=REAL_STEPS)
