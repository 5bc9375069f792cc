"""KTAB's Spatial Model of Politics inputs: its CSV and XML scenario files, read as scenarios.

KTAB (the KAPSARC Toolkit for Behavioral Analysis, MIT licence, "Copyright (c) 2015 KAPSARC")
reads a scenario of actors, each with one capability and, on every dimension, a position and a
salience (``examples/smp/libsrc/smpread.cpp``, ``SMPModel::csvRead`` and ``xmlRead``).

**CSV** (comma-separated; spaces around cells and ``"`` quotes are trimmed, ``$$`` stands for a
comma inside a cell, trailing empty cells are ignored)::

    DummyData_3Dim ,"Dummy scenario to test reading format",7,3,
    Actor,Description,Power,Pstn1,Sal1,Pstn2,Sal2,Pstn3,Sal3,
    SActor-00, Random Spatial Actor, 102.543, 75.79, 49.53,  6.37,  5.91, 70.45, 28.15,

Row 1: scenario name, description, number of actors, number of dimensions. Row 2: column names;
each dimension is named by its position column. Then one row per actor: name, description,
capability (KTAB's "Power" or "Influence"), and per dimension a position and a salience, both on
[0, 100], the saliences of an actor totalling at most 100.

**XML** (``<Scenario>`` with ``<name>``, ``<desc>``, optional ``<prngSeed>``, ``<Dimensions>``
of ``<dName>``, and ``<Actors>`` of ``<Actor>`` with ``<name>``, ``<description>``,
``<capability>``, ``<Position>`` of ``<dCoord>`` and ``<Salience>`` of ``<dSal>``, one per
dimension, on the same scales). It is parsed with DTDs, entities and external references
refused (:func:`zopa.io.safe.parse_xml`). ``<ModelParameters>`` and ``<IdealAdjustment>``, which
configure KTAB's run rather than describe the scenario, are not kept: a
:class:`~zopa.model.errors.ConversionWarning` says so (zopa's run takes
:class:`zopa.forecast.smp.SMPOptions`).

The scenario has one issue per dimension, a real interval 0–100 in 101 steps (so forecasts map
to the nearest whole point), the actors as stakeholders (salience divided by 100, the capability
on every issue) and no parties: only ``zopa forecast`` applies. KTAB's own limits are kept where
they describe the data (positions and saliences in [0, 100], total salience at most 100, at least
3 actors, ``Model::minNumActor``); KTAB's cap of 250 actors is not.

A malformed file is refused with one line naming the file, the line (CSV) or the element path
(XML), the field, what was expected and what was found: the first problem found.
"""

from __future__ import annotations

import csv
import io
import math
import re
import warnings
from pathlib import Path
from xml.etree.ElementTree import Element

from zopa.io.safe import cell_number, parse_xml, read_text, show_cell
from zopa.model.errors import ConversionWarning, ScenarioError, show_value
from zopa.model.issue import Issue
from zopa.model.scenario import Scenario, Stakeholder

__all__ = [
    "MIN_ACTORS",
    "looks_like_ktab_csv",
    "looks_like_ktab_xml",
    "parse_ktab_csv",
    "read_ktab_csv",
    "read_ktab_xml",
]

#: Fewest actors KTAB accepts (``Model::minNumActor``).
MIN_ACTORS = 3

#: Options of each dimension's grid (0, 1, ..., 100).
STEPS = 101


def looks_like_ktab_csv(text: str) -> bool:
    """Whether ``text`` is laid out as KTAB's CSV: a first row of at least four cells and a
    second row whose first cell is ``Actor``."""
    rows = [r for r in _rows(text)[:2]]
    return (
        len(rows) == 2
        and len(rows[0][1]) >= 4
        and bool(rows[1][1])
        and rows[1][1][0].lower() == "actor"
    )


_XML_HEAD = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<Scenario[\s>]", re.S
)


def looks_like_ktab_xml(head: bytes) -> bool:
    """Whether an XML file starting with ``head`` has KTAB's root element ``<Scenario>``."""
    return bool(_XML_HEAD.match(head))


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """``(line, cells)`` of every non-blank row, cells trimmed, trailing empty cells dropped."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    out = []
    try:
        for row in reader:
            cells = [c.strip().strip('"').strip().replace("$$", ",") for c in row]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                out.append((reader.line_num, cells))
    except csv.Error as exc:
        raise ScenarioError(f"expected CSV: {exc}", line=reader.line_num) from None
    return out


def read_ktab_csv(path: str | Path) -> Scenario:
    """Read a KTAB CSV scenario (see the module docstring).

    Raises:
        ScenarioError: the file is missing, unreadable or malformed (one line: file, line,
            column, what was expected and found).

    Examples:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "s.csv"
        >>> _ = f.write_text("S,demo,3,1\\nActor,Desc,Power,P,S\\nA,,1,10,50\\nB,,2,60,50\\n"
        ...                  "C,,1,101,50\\n")
        >>> read_ktab_csv(f)
        Traceback (most recent call last):
        ...
        zopa.model.errors.ScenarioError: ...s.csv:5: P: expected a position in [0, 100], got 101
    """
    path = Path(path)
    return parse_ktab_csv(read_text(path), path)


def parse_ktab_csv(text: str, path: Path) -> Scenario:
    """Parse KTAB's CSV from ``text`` read from ``path`` (see :func:`read_ktab_csv`)."""
    source = str(path)
    try:
        return _parse_csv(text, path)
    except ScenarioError as exc:
        raise exc.located(source=source) from None


def _parse_csv(text: str, path: Path) -> Scenario:
    rows = _rows(text)
    if not rows:
        raise ScenarioError(
            "expected KTAB's CSV: a row name,desc,#actors,#dims, then the column names, then "
            "one row per actor; got an empty file",
            line=1,
        )
    line, head = rows[0]
    if len(head) < 4:
        raise ScenarioError(
            f"expected the row name,desc,#actors,#dims, got {len(head)} cell(s)",
            line=line,
            path="header",
        )
    name, desc = head[0], head[1]
    n_actors = _count(head[2], line, "#actors", MIN_ACTORS)
    n_dims = _count(head[3], line, "#dims", 1)
    if len(rows) < 2:
        raise ScenarioError(
            "expected the column names Actor,Description,Power,Pstn1,Sal1,... after the first "
            "row, got nothing",
            line=line + 1,
        )
    line, columns = rows[1]
    width = 3 + 2 * n_dims
    if len(columns) < width:
        raise ScenarioError(
            f"expected {width} column names (Actor, Description, Power and a position and a "
            f"salience for each of the {n_dims} dimensions), got {len(columns)}",
            line=line,
            path="columns",
        )
    dims = [columns[3 + 2 * d] for d in range(n_dims)]
    for d, dim in enumerate(dims):
        if not dim:
            raise ScenarioError(
                f"expected a name for dimension {d + 1}, got an empty cell",
                line=line,
                path=f"column {4 + 2 * d}",
            )
        if dim in dims[:d]:
            raise ScenarioError(
                f'expected unique dimension names, got "{dim}" twice', line=line, path=dim
            )
    body = rows[2:]
    if len(body) != n_actors:
        at = body[n_actors][0] if len(body) > n_actors else (body[-1][0] + 1 if body else line + 1)
        raise ScenarioError(
            f"expected {n_actors} actor rows (#actors in the first row), got {len(body)}",
            line=at,
        )
    actors: list[tuple[str, str, float, list[float], list[float]]] = []
    seen: dict[str, int] = {}
    for line, cells in body:
        if len(cells) < width:
            raise ScenarioError(
                f"expected {width} cells (as the column names), got {len(cells)}",
                line=line,
                path=cells[0] if cells else "row",
            )
        actor, about = cells[0], cells[1]
        if not actor:
            raise ScenarioError(
                "expected an actor name, got an empty cell", line=line, path="Actor"
            )
        if actor in seen:
            raise ScenarioError(
                f'duplicate actor name "{actor}" (also line {seen[actor]})', line=line, path="Actor"
            )
        seen[actor] = line
        cap = _number(cells[2], line, columns[2] or "Power", "a capability >= 0", 0.0, math.inf)
        pos, sal = [], []
        for d in range(n_dims):
            pos.append(_number(cells[3 + 2 * d], line, dims[d], "a position in [0, 100]", 0, 100))
            sal.append(
                _number(
                    cells[4 + 2 * d],
                    line,
                    columns[4 + 2 * d] or f"Sal{d + 1}",
                    "a salience in [0, 100]",
                    0,
                    100,
                )
            )
        if sum(sal) > 100:
            raise ScenarioError(
                f"expected saliences totalling at most 100, got {sum(sal):g}",
                line=line,
                path=actor,
            )
        actors.append((actor, about, cap, pos, sal))
    return _scenario(name or path.stem, desc, dims, actors)


def _count(cell: str, line: int, what: str, low: int) -> int:
    value = cell_number(cell)
    if value is None or not value.is_integer() or value < low or value > 1_000_000:
        raise ScenarioError(
            f"expected an integer >= {low}, got {show_cell(cell)}", line=line, path=what
        )
    return int(value)


def _number(cell: str, line: int, column: str, expected: str, lo: float, hi: float) -> float:
    value = cell_number(cell)
    if value is None or not lo <= value <= hi:
        raise ScenarioError(f"expected {expected}, got {show_cell(cell)}", line=line, path=column)
    return value


def _scenario(
    name: str,
    desc: str,
    dims: list[str],
    actors: list[tuple[str, str, float, list[float], list[float]]],
) -> Scenario:
    issues = tuple(Issue.real(d, 0.0, 100.0, steps=STEPS) for d in dims)
    stakeholders = tuple(
        Stakeholder(
            actor,
            capability=(cap,) * len(dims),
            positions=tuple(pos),
            salience=tuple(s / 100.0 for s in sal),
            description=about,
        )
        for actor, about, cap, pos, sal in actors
    )
    return Scenario(
        name=name,
        issues=issues,
        parties=(),
        stakeholders=stakeholders,
        title=name,
        description=desc or f"KTAB scenario: {len(actors)} actors on {len(dims)} dimensions.",
    )


# ---------------------------------------------------------------------------- XML
def read_ktab_xml(path: str | Path) -> Scenario:
    """Read a KTAB XML scenario (see the module docstring).

    Raises:
        ScenarioError: the file is missing, unreadable, unsafe or malformed (one line: file,
            element path, what was expected and found).
    """
    path = Path(path)
    root = parse_xml(path)
    try:
        return _parse_xml(root, path)
    except ScenarioError as exc:
        raise exc.located(source=str(path)) from None


def _text(parent: Element, tag: str, where: str, *, required: bool = True) -> str:
    child = parent.find(tag)
    if child is None:
        if required:
            raise ScenarioError(f"expected a <{tag}> element, found none", path=where)
        return ""
    return (child.text or "").strip()


def _parse_xml(root: Element, path: Path) -> Scenario:
    if root.tag != "Scenario":
        raise ScenarioError(
            f"expected KTAB's root element <Scenario>, got <{root.tag}>", path=root.tag
        )
    name = _text(root, "name", "Scenario")
    desc = _text(root, "desc", "Scenario", required=False)
    ignored = [t for t in ("ModelParameters", "IdealAdjustment") if root.find(t) is not None]
    if ignored:
        warnings.warn(
            f"{path}: {' and '.join(f'<{t}>' for t in ignored)} not kept: zopa runs the SMP "
            "with SMPOptions (KTAB's defaults) and ideals that follow positions",
            ConversionWarning,
            stacklevel=3,
        )
    dims_el = root.find("Dimensions")
    if dims_el is None:
        raise ScenarioError("expected a <Dimensions> element, found none", path="Scenario")
    dims = []
    for d, el in enumerate(dims_el.findall("dName")):
        dim = (el.text or "").strip()
        where = f"Dimensions/dName[{d + 1}]"
        if not dim:
            raise ScenarioError("expected a dimension name, got an empty element", path=where)
        if dim in dims:
            raise ScenarioError(f'expected unique dimension names, got "{dim}" twice', path=where)
        dims.append(dim)
    if not dims:
        raise ScenarioError("expected at least one <dName>, found none", path="Dimensions")
    actors_el = root.find("Actors")
    if actors_el is None:
        raise ScenarioError("expected an <Actors> element, found none", path="Scenario")
    found = actors_el.findall("Actor")
    if len(found) < MIN_ACTORS:
        raise ScenarioError(
            f"expected at least {MIN_ACTORS} <Actor> elements, got {len(found)}", path="Actors"
        )
    actors: list[tuple[str, str, float, list[float], list[float]]] = []
    seen: set[str] = set()
    for a, el in enumerate(found):
        where = f"Actors/Actor[{a + 1}]"
        actor = _text(el, "name", where)
        if not actor:
            raise ScenarioError("expected an actor name, got an empty <name>", path=where)
        if actor in seen:
            raise ScenarioError(f'duplicate actor name "{actor}"', path=f"{where}/name")
        seen.add(actor)
        about = _text(el, "description", where, required=False)
        cap = _xml_number(
            _text(el, "capability", where), f"{where}/capability", "a capability >= 0", 0, math.inf
        )
        values = []
        for block, tag, expected in (
            ("Position", "dCoord", "a position in [0, 100]"),
            ("Salience", "dSal", "a salience in [0, 100]"),
        ):
            holder = el.find(block)
            if holder is None:
                raise ScenarioError(f"expected a <{block}> element, found none", path=where)
            cells = holder.findall(tag)
            if len(cells) != len(dims):
                raise ScenarioError(
                    f"expected {len(dims)} <{tag}> (one per dimension), got {len(cells)}",
                    path=f"{where}/{block}",
                )
            values.append(
                [
                    _xml_number(
                        (c.text or "").strip(), f"{where}/{block}/{tag}[{k + 1}]", expected, 0, 100
                    )
                    for k, c in enumerate(cells)
                ]
            )
        pos, sal = values
        if sum(sal) > 100:
            raise ScenarioError(
                f"expected saliences totalling at most 100, got {sum(sal):g}",
                path=f"{where}/Salience",
            )
        actors.append((actor, about, cap, pos, sal))
    return _scenario(name or path.stem, desc, dims, actors)


def _xml_number(text: str, where: str, expected: str, lo: float, hi: float) -> float:
    value = cell_number(text)
    if value is None or not lo <= value <= hi:
        shown = show_cell(text) if text else show_value(text)
        raise ScenarioError(f"expected {expected}, got {shown}", path=where)
    return value
