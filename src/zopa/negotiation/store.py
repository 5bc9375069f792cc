"""Tournament results in DuckDB: one row per negotiation, traces in a second table, committed as
negotiations finish, so that a tournament killed at any moment resumes where it stopped.

Tables (``zopa leaderboard`` and the report read them; any DuckDB client can):

- ``tournament``: one row, the tournament's fingerprint
  (:meth:`~zopa.model.tournament.TournamentConfig.fingerprint`) and when it started. A database
  holds one tournament: resuming a different one is refused.
- ``negotiations``: one row per negotiation (the fields of
  :class:`~zopa.negotiation.tournament.Row`), primary key ``id`` (the negotiation's identity).
- ``traces``: one row per action, ``(id, step)`` primary key, when traces are kept.

**Kill safety.** Rows are buffered and written in small transactions (:data:`BATCH_ROWS` rows or
:data:`BATCH_SECONDS` seconds, whichever comes first); a negotiation's row and its trace go in
the same transaction. DuckDB's write-ahead log makes a committed transaction durable, so a
``kill -9`` loses at most the uncommitted batch: those negotiations were not recorded, so a
rerun plays them again (with the same seeds, hence the same rows). The primary key makes a row
impossible to write twice, and a rerun skips every identity already stored (:meth:`ResultStore.done`).
"""

from __future__ import annotations

import json
import time as _time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from zopa.model.errors import ArgumentError, OutputError
from zopa.negotiation.tournament import Row

__all__ = ["BATCH_ROWS", "BATCH_SECONDS", "ResultStore", "duckdb_module"]

#: Rows per transaction (at most).
BATCH_ROWS = 200

#: Seconds a row waits in the buffer (at most) before its transaction is committed.
BATCH_SECONDS = 0.5

INSTALL = 'pip install "zopa[tournament]"'

_COLUMNS = (
    ("id", "VARCHAR PRIMARY KEY"),
    ("idx", "INTEGER"),
    ("scenario", "VARCHAR"),
    ("agents", "VARCHAR[]"),
    ("repetition", "INTEGER"),
    ("seed", "UBIGINT"),
    ("status", "VARCHAR"),
    ("failure", "VARCHAR"),
    ("parties", "VARCHAR[]"),
    ("agreement", "BOOLEAN"),
    ("outcome", "VARCHAR"),
    ("outcome_codes", "INTEGER[]"),
    ("utilities", "DOUBLE[]"),
    ("discounted", "DOUBLE[]"),
    ("rounds", "INTEGER"),
    ("time", "DOUBLE"),
    ("seconds", "DOUBLE"),
    ("ended_by", "VARCHAR"),
    ("reason", "VARCHAR"),
    ("detail", "VARCHAR"),
    ("distance_to_pareto", "DOUBLE"),
    ("distance_to_nash", "DOUBLE"),
    ("social_welfare", "DOUBLE"),
)

_TRACE_COLUMNS = (
    ("id", "VARCHAR"),
    ("step", "INTEGER"),
    ("round", "INTEGER"),
    ("time", "DOUBLE"),
    ("party", "INTEGER"),
    ("action", "VARCHAR"),
    ("outcome", "INTEGER[]"),
    ("utilities", "DOUBLE[]"),
)

#: The columns of ``negotiations``, in order.
COLUMNS = tuple(name for name, _ in _COLUMNS)


def duckdb_module() -> Any:
    """The ``duckdb`` module, or an :class:`ArgumentError` saying how to install it."""
    try:
        import duckdb
    except ModuleNotFoundError:
        raise ArgumentError(f"--db: tournaments need DuckDB: {INSTALL}") from None
    return duckdb


def _insert(
    db: Any, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` in one statement: one list parameter per column, unnested side by side
    (some 40 µs a row, against milliseconds a row for ``executemany``); a row whose key is
    already stored is left as it is."""
    types = [t.replace(" PRIMARY KEY", "") for _, t in columns]
    select = ", ".join(f"unnest(?::{t}[])" for t in types)
    db.execute(
        f"INSERT OR IGNORE INTO {table} SELECT {select}", [list(c) for c in zip(*rows, strict=True)]
    )


def _values(row: Row) -> tuple[Any, ...]:
    return (
        row.id,
        row.index,
        row.scenario,
        list(row.agents),
        row.repetition,
        row.seed,
        row.status,
        row.failure,
        list(row.parties),
        row.agreement,
        None if row.outcome is None else json.dumps(row.outcome, ensure_ascii=False),
        None if row.outcome_codes is None else list(row.outcome_codes),
        None if row.utilities is None else list(row.utilities),
        None if row.discounted is None else list(row.discounted),
        row.rounds,
        row.time,
        row.seconds,
        row.ended_by,
        row.reason,
        row.detail,
        row.distance_to_pareto,
        row.distance_to_nash,
        row.social_welfare,
    )


def _tuple(v: Any) -> Any:
    return None if v is None else tuple(v)


def row_from(values: Sequence[Any]) -> Row:
    """A :class:`Row` from a ``negotiations`` row (columns in :data:`COLUMNS` order)."""
    d = dict(zip(COLUMNS, values, strict=True))
    return Row(
        id=d["id"],
        index=d["idx"],
        scenario=d["scenario"],
        agents=tuple(d["agents"]),
        repetition=d["repetition"],
        seed=int(d["seed"]),
        status=d["status"],
        failure=d["failure"],
        parties=tuple(d["parties"] or ()),
        agreement=d["agreement"],
        outcome=None if d["outcome"] is None else json.loads(d["outcome"]),
        outcome_codes=_tuple(d["outcome_codes"]),
        utilities=_tuple(d["utilities"]),
        discounted=_tuple(d["discounted"]),
        rounds=d["rounds"],
        time=d["time"],
        seconds=d["seconds"],
        ended_by=d["ended_by"],
        reason=d["reason"],
        detail=d["detail"] or "",
        distance_to_pareto=d["distance_to_pareto"],
        distance_to_nash=d["distance_to_nash"],
        social_welfare=d["social_welfare"],
    )


class ResultStore:
    """A DuckDB file of tournament results (module docstring).

    Args:
        path: the database file (created if missing).
        fingerprint: the tournament's fingerprint; a database made for another tournament is
            refused. ``None`` opens any (to read).
        traces: write each row's trace to ``traces``.
        read_only: open for reading only (the file must exist).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        fingerprint: str | None = None,
        traces: bool = False,
        read_only: bool = False,
    ) -> None:
        duckdb = duckdb_module()
        self.path = Path(path)
        self.traces = traces
        if read_only and not self.path.is_file():
            raise ArgumentError(f"{path}: no such results database")
        try:
            self.db = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            if read_only:
                raise ArgumentError(f"{path}: cannot open as a DuckDB database: {exc}") from None
            raise OutputError(path, f"cannot open as a DuckDB database: {exc}") from None
        self._buffer: list[Row] = []
        self._since = _time.monotonic()
        if read_only:
            if not self._has("negotiations"):
                self.db.close()
                raise ArgumentError(f"{path}: not a zopa tournament database (no negotiations)")
            return
        self._create()
        if fingerprint is not None:
            self._claim(fingerprint)

    def _has(self, table: str) -> bool:
        found = self.db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
        ).fetchone()
        return bool(found and found[0])

    def _create(self) -> None:
        cols = ", ".join(f"{n} {t}" for n, t in _COLUMNS)
        tcols = ", ".join(f"{n} {t}" for n, t in _TRACE_COLUMNS)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS tournament (fingerprint VARCHAR, started TIMESTAMP)"
        )
        self.db.execute(f"CREATE TABLE IF NOT EXISTS negotiations ({cols})")
        self.db.execute(f"CREATE TABLE IF NOT EXISTS traces ({tcols}, PRIMARY KEY (id, step))")

    def _claim(self, fingerprint: str) -> None:
        found = self.db.execute("SELECT fingerprint FROM tournament").fetchall()
        if not found:
            self.db.execute("INSERT INTO tournament VALUES (?, current_timestamp)", [fingerprint])
        elif found[0][0] != fingerprint:
            self.db.close()
            raise ArgumentError(
                f"--db: {self.path} holds the results of another tournament; write to a new "
                "file, or rerun the tournament file that made it"
            )

    def done(self) -> set[str]:
        """The identities already stored."""
        return {r[0] for r in self.db.execute("SELECT id FROM negotiations").fetchall()}

    def add(self, row: Row) -> None:
        """Buffer a row; commit the buffer when it is full or old (module docstring)."""
        self._buffer.append(row)
        if len(self._buffer) >= BATCH_ROWS or _time.monotonic() - self._since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Commit the buffered rows (and their traces) in one transaction."""
        self._since = _time.monotonic()
        if not self._buffer:
            return
        rows, self._buffer = self._buffer, []
        self.db.execute("BEGIN TRANSACTION")
        try:
            _insert(self.db, "negotiations", _COLUMNS, [_values(r) for r in rows])
            if self.traces:
                steps = [
                    (
                        r.id,
                        k,
                        s["round"],
                        s["time"],
                        s["party"],
                        s["action"],
                        s["outcome"],
                        s["utilities"],
                    )
                    for r in rows
                    for k, s in enumerate(r.trace)
                ]
                if steps:
                    _insert(self.db, "traces", _TRACE_COLUMNS, steps)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def rows(self) -> list[Row]:
        """Every stored row, in schedule order."""
        found = self.db.execute(
            f"SELECT {', '.join(COLUMNS)} FROM negotiations ORDER BY idx"
        ).fetchall()
        return [row_from(v) for v in found]

    def count(self) -> int:
        found = self.db.execute("SELECT count(*) FROM negotiations").fetchone()
        return int(found[0]) if found else 0

    def close(self) -> None:
        """Commit what is buffered and close the database."""
        try:
            self.flush()
        finally:
            self.db.close()

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add_all(self, rows: Iterable[Row]) -> None:
        for r in rows:
            self.add(r)
        self.flush()
