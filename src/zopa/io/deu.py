"""The DEU III data set of EU legislative decisions, read as stakeholder arrays per decision.

*Decision-making in the European Union* III (Arregui & Perarnaud 2021, doi:10.34810/data53) codes,
for each controversial issue of an EU legislative proposal, where the Commission, the European
Parliament and every member state stood and how much they cared, and what the Council finally
decided. The file this reader takes is the tab-separated table of ``blksv/predictioneers_game``
(``deu3.csv``), quoted fields allowed:

- line 1: the header. The columns read are ``prnrnmc`` (proposal number), ``isnrnmc`` (issue
  number), ``prnr`` (proposal code), ``prname`` (short name), ``isnr`` (issue code), ``rp`` (the
  reference point, the status quo) and ``out`` (the observed outcome), and one pair ``pXX`` /
  ``sXX`` per actor (position and salience of actor ``XX``: ``com``, ``ep``, ``at``, ..., ``uk``),
  in header order. Other columns (type, procedure, dates, ...) are ignored.
- an optional capability row right after the header, with empty ``prnrnmc`` and ``isnrnmc`` and a
  number >= 0 in each actor's position column: the actors' GDP figures, the capability
  ``blksv/predictioneers_game`` uses (the Commission and the Parliament are given Germany's
  figure there). Without it every capability is 1.
- then one row per issue: positions and the outcome on the issue's 0–100 scale, salience on 0–100
  (read as 0–1, the models' scale); an empty cell is a missing value.

An actor *takes part* in an issue when both its position and its salience are given; one with a
position but no salience (17 cells in the odd half) is left out, as is a salience without a
position; a salience of 0 with a position (172 cells) takes part with weight 0. An issue is *scoreable* when its outcome is given and at least 3 actors take part (the
definition under which the compromise model's error of 23.64 on the full data set is quoted in the
project's forecasting reference). Rows of one proposal are grouped into one :class:`Decision`, in
file order; the ``issues`` column (how many issues the proposal has) is not checked, since a
subset may leave some out (proposal 71 lists 4 and has 2 rows).

Every bad row is reported, each as ``FILE:LINE: column: expected ..., got ...``: a field count
other than the header's, a number that is not one, a position, salience or outcome outside 0–100,
a negative capability, a duplicate issue, rows of one proposal that disagree on its code or name.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from zopa.io.safe import cell_number, read_text, show_cell
from zopa.model.errors import ScenarioError

__all__ = ["MIN_ACTORS", "DEUData", "Decision", "read_deu"]

F = npt.NDArray[np.float64]

#: Columns every DEU file must have, besides the actors' ``p``/``s`` pairs.
REQUIRED = ("prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "rp", "out")

#: Fewest actors taking part for an issue to be scored.
MIN_ACTORS = 3


@dataclass(frozen=True)
class Decision:
    """One legislative proposal: its issues and the actors' stakes in them.

    Attributes:
        number: ``prnrnmc``, the proposal's number.
        code: ``prnr`` (e.g. ``d00032``).
        name: ``prname`` (e.g. ``documents``).
        issues: ``isnr`` of each issue (e.g. ``d00032i1``), in file order.
        lines: the file line of each issue's row.
        positions: ``(actors, issues)`` on 0–100, NaN where the actor takes no part (no position
            or no salience).
        salience: ``(actors, issues)`` in [0, 1], 0 where the actor takes no part.
        capability: ``(actors,)``: the capability row (GDP), or 1 for everyone without one.
        outcome: ``(issues,)``: the observed outcome on 0–100, NaN where not coded.
        reference: ``(issues,)``: the reference point (status quo), NaN where not coded.
    """

    number: int
    code: str
    name: str
    issues: tuple[str, ...]
    lines: tuple[int, ...]
    positions: F
    salience: F
    capability: F
    outcome: F
    reference: F

    @property
    def taking_part(self) -> npt.NDArray[np.int64]:
        """Per issue, how many actors take part."""
        return np.asarray((~np.isnan(self.positions)).sum(axis=0), dtype=np.int64)

    @property
    def scoreable(self) -> npt.NDArray[np.bool_]:
        """Per issue: an outcome is coded and at least :data:`MIN_ACTORS` actors take part."""
        return np.asarray(~np.isnan(self.outcome) & (self.taking_part >= MIN_ACTORS))


@dataclass(frozen=True)
class DEUData:
    """A DEU file: the actors, their capabilities, and one :class:`Decision` per proposal.

    Attributes:
        source: the file read.
        actors: the actor codes in header order (``com``, ``ep``, ``at``, ...).
        capability: ``(actors,)``: the capability row, or ones.
        has_capability_row: whether the file had one.
        decisions: the proposals, in file order.
    """

    source: str
    actors: tuple[str, ...]
    capability: F
    has_capability_row: bool
    decisions: tuple[Decision, ...]

    @property
    def n_issues(self) -> int:
        return sum(len(d.issues) for d in self.decisions)

    def _stack(self, name: str) -> F:
        return np.concatenate([getattr(d, name) for d in self.decisions], axis=-1)

    @property
    def positions(self) -> F:
        """``(actors, all issues)``: every decision's positions side by side, in file order."""
        return self._stack("positions")

    @property
    def salience(self) -> F:
        """``(actors, all issues)``, as :attr:`positions`."""
        return self._stack("salience")

    @property
    def outcome(self) -> F:
        """``(all issues,)``."""
        return self._stack("outcome")

    @property
    def scoreable(self) -> npt.NDArray[np.bool_]:
        """``(all issues,)``: see :attr:`Decision.scoreable`."""
        return np.concatenate([d.scoreable for d in self.decisions])

    @property
    def decision_of_issue(self) -> npt.NDArray[np.int64]:
        """``(all issues,)``: the index in :attr:`decisions` of each issue's decision."""
        return np.repeat(np.arange(len(self.decisions)), [len(d.issues) for d in self.decisions])

    @property
    def issue_codes(self) -> tuple[str, ...]:
        return tuple(code for d in self.decisions for code in d.issues)


def read_deu(path: str | Path) -> DEUData:
    """Read a DEU III table (see the module docstring).

    Raises:
        ScenarioError: the file is missing or unreadable, the header lacks a column, or rows are
            bad; one problem per bad field, each naming the file, line and column.

    Examples:
        >>> import tempfile
        >>> f = Path(tempfile.mkdtemp()) / "d.tsv"
        >>> head = "prnrnmc\\tisnrnmc\\tprnr\\tprname\\tisnr\\tpa\\tpb\\tpc\\tsa\\tsb\\tsc\\trp\\tout\\n"
        >>> _ = f.write_text(head + "1\\t1\\td1\\tx\\td1i1\\t0\\t50\\t100\\t50\\t100\\t50\\t0\\t60\\n")
        >>> d = read_deu(f)
        >>> d.actors, d.decisions[0].positions[:, 0].tolist(), d.outcome.tolist()
        (('a', 'b', 'c'), [0.0, 50.0, 100.0], [60.0])
        >>> _ = f.write_text(head + "1\\t1\\td1\\tx\\td1i1\\t0\\t50\\t150\\t50\\t100\\t50\\t0\\tno\\n")
        >>> read_deu(f)
        Traceback (most recent call last):
        ...
        zopa.model.errors.ScenarioError: ...d.tsv:2: pc: expected a number in [0, 100], got 150
    """
    path = Path(path)
    source = str(path)
    text = read_text(path)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    header = next(rows, None)
    if header is None or not any(h.strip() for h in header):
        raise ScenarioError(
            "expected a tab-separated header (prnrnmc, isnrnmc, ..., out), got an empty file",
            source=source,
            line=1,
        )
    names = [h.strip() for h in header]
    col = {name: k for k, name in reversed(list(enumerate(names)))}
    missing = [c for c in REQUIRED if c not in col]
    pairs = [
        (name[1:], k, col["s" + name[1:]])
        for k, name in enumerate(names)
        if name.startswith("p") and len(name) > 1 and "s" + name[1:] in col
    ]
    if missing or not pairs:
        what = f"missing {', '.join(missing)}" if missing else "no pXX/sXX actor columns"
        raise ScenarioError(
            f"expected the columns {', '.join(REQUIRED)} and a pXX/sXX pair per actor ({what})",
            source=source,
            line=1,
            path="header",
        )
    actors = tuple(a for a, _, _ in pairs)
    problems: list[ScenarioError] = []

    def bad(line: int, column: str, detail: str) -> None:
        problems.append(ScenarioError(detail, source=source, line=line, path=column))

    def number(row: list[str], line: int, column: str, low: float, high: float) -> float:
        cell = row[col[column]].strip()
        if not cell:
            return math.nan
        value = cell_number(cell)
        if value is None or not low <= value <= high:
            shown = show_cell(cell)
            span = f"[{low:g}, {high:g}]" if high < math.inf else f">= {low:g}"
            bad(line, column, f"expected a number {'in ' * (high < math.inf)}{span}, got {shown}")
            return math.nan
        return value

    capability = np.ones(len(actors))
    has_capability = False
    groups: dict[int, list[tuple[int, str, list[tuple[float, float]], float, float]]] = {}
    first: dict[int, tuple[int, str, str]] = {}
    seen: dict[tuple[int, int], int] = {}
    issue_codes: dict[str, int] = {}
    row_count = 0
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        row_count += 1
        if len(row) != len(header):
            bad(line, "row", f"expected {len(header)} fields (as the header), got {len(row)}")
            continue
        if row_count == 1 and not row[col["prnrnmc"]].strip() and not row[col["isnrnmc"]].strip():
            has_capability = True
            for k, (actor, p, _) in enumerate(pairs):
                value = number(row, line, "p" + actor, 0.0, math.inf)
                capability[k] = value
                if math.isnan(value) and not row[p].strip():
                    bad(line, "p" + actor, "expected a capability (a number >= 0), got nothing")
            continue
        ids: list[int] = []
        for column in ("prnrnmc", "isnrnmc"):
            cell = row[col[column]].strip()
            if cell.isdigit():
                ids.append(int(cell))
            else:
                bad(line, column, f'expected a whole number >= 0, got "{cell}"')
        if len(ids) < 2:
            continue
        proposal, number_in = ids
        code, name, isnr = (row[col[c]].strip() for c in ("prnr", "prname", "isnr"))
        if (proposal, number_in) in seen:
            bad(
                line,
                "isnrnmc",
                f"duplicate issue {number_in} of proposal {proposal} "
                f"(also line {seen[proposal, number_in]})",
            )
            continue
        seen[proposal, number_in] = line
        if isnr in issue_codes:
            bad(line, "isnr", f'duplicate issue code "{isnr}" (also line {issue_codes[isnr]})')
        issue_codes[isnr] = line
        if proposal in first:
            at, code0, name0 = first[proposal]
            for column, text, before in (("prnr", code, code0), ("prname", name, name0)):
                if text != before:
                    bad(
                        line,
                        column,
                        f'expected "{before}" (as line {at}, the same proposal {proposal}), '
                        f'got "{text}"',
                    )
        else:
            first[proposal] = (line, code, name)
        values = [
            (number(row, line, "p" + a, 0.0, 100.0), number(row, line, "s" + a, 0.0, 100.0))
            for a in actors
        ]
        out = number(row, line, "out", 0.0, 100.0)
        ref = number(row, line, "rp", 0.0, 100.0)
        groups.setdefault(proposal, []).append((line, isnr, values, out, ref))
    if problems:
        head, *more = problems
        raise ScenarioError(
            head.detail, path=head.path, source=source, line=head.line, more=tuple(more)
        )
    decisions: list[Decision] = []
    for proposal, members in groups.items():
        x = np.array([[v[0] for v in m[2]] for m in members]).T.reshape(len(actors), -1)
        s = np.array([[v[1] for v in m[2]] for m in members]).T.reshape(len(actors), -1)
        part = ~np.isnan(x) & ~np.isnan(s)
        _, code, name = first[proposal]
        decisions.append(
            Decision(
                number=proposal,
                code=code,
                name=name,
                issues=tuple(m[1] for m in members),
                lines=tuple(m[0] for m in members),
                positions=np.where(part, x, math.nan),
                salience=np.where(part, s / 100.0, 0.0),
                capability=capability.copy(),
                outcome=np.array([m[3] for m in members]),
                reference=np.array([m[4] for m in members]),
            )
        )
    if not decisions:
        raise ScenarioError("expected one row per issue after the header, got none", source=source)
    return DEUData(
        source=source,
        actors=actors,
        capability=capability,
        has_capability_row=has_capability,
        decisions=tuple(decisions),
    )
