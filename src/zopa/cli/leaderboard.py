"""``zopa leaderboard results.duckdb``: each agent's standing in a tournament, with 95% intervals,
overall and per scenario; JSON, CSV and Parquet exports."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.guard import guarded

if TYPE_CHECKING:
    from zopa.negotiation.leaderboard import Leaderboard


def records(board: Leaderboard) -> list[dict[str, Any]]:
    """The standings as flat records: overall (``scenario`` ``(all)``), then per scenario."""
    out = [{"scenario": "(all)", **s.flat()} for s in board.agents]
    out += [s.flat() for s in board.scenarios]
    keys = list(out[0]) if out else []
    return [{k: r.get(k) for k in keys} for r in out]


def write_csv(path: str, rows: list[dict[str, Any]]) -> None:
    from zopa.io.safe import write_atomic

    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=list(rows[0]) if rows else ["agent"])
    writer.writeheader()
    writer.writerows(rows)
    write_atomic(Path(path), text.getvalue())


def write_parquet(path: str, rows: list[dict[str, Any]]) -> None:
    """Parquet written by DuckDB (no pyarrow needed), through a temporary file renamed into
    place."""
    import os
    import secrets

    from zopa.model.errors import OutputError
    from zopa.negotiation.store import duckdb_module

    duckdb = duckdb_module()
    target = Path(path)
    if target.is_dir():
        raise OutputError(path, "expected a file to write, got a folder")
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    db = duckdb.connect()
    try:
        cols = list(rows[0]) if rows else ["agent"]
        types = {
            k: "VARCHAR"
            if k in ("agent", "scenario")
            else ("BIGINT" if k in ("seats", "failures", "violations") else "DOUBLE")
            for k in cols
        }
        db.execute("CREATE TABLE standings (" + ", ".join(f'"{k}" {types[k]}' for k in cols) + ")")
        if rows:
            db.executemany(
                f"INSERT INTO standings VALUES ({', '.join('?' * len(cols))})",
                [[r[k] for k in cols] for r in rows],
            )
        try:
            db.execute(
                f"COPY standings TO '{str(tmp).replace(chr(39), chr(39) * 2)}' (FORMAT PARQUET)"
            )
            os.replace(tmp, target)
        except (duckdb.Error, OSError) as exc:
            raise OutputError(path, f"cannot write file: {exc}") from None
    finally:
        db.close()
        tmp.unlink(missing_ok=True)


def render(db: str, board: Leaderboard, by_scenario: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    from zopa.report.prose import estimate, estimate_rate

    console = Console()
    statuses = ", ".join(f"{n} {k}" for k, n in board.statuses.items())
    console.print(
        f"{db}: {board.negotiations} negotiations ({statuses}); means ±95% "
        "t intervals; agreement rates with 95% Wilson intervals"
    )
    groups: list[tuple[str, Any]] = [("Leaderboard", board.agents)]
    if by_scenario:
        names = list(dict.fromkeys(s.scenario for s in board.scenarios))
        groups += [
            (f"Scenario {n}", [s for s in board.scenarios if s.scenario == n]) for n in names
        ]
    for title, standings in groups:
        table = Table(title=title)
        for name in (
            "agent",
            "seats",
            "utility",
            "agreement",
            "welfare",
            "to Pareto",
            "to Nash",
            "faults",
        ):
            if name == "agent":
                table.add_column(name, no_wrap=True)
            else:
                table.add_column(name, justify="right")
        for s in standings:
            table.add_row(
                s.agent,
                str(s.seats),
                estimate(s.utility),
                estimate_rate(s.agreement),
                estimate(s.welfare),
                estimate(s.distance_to_pareto),
                estimate(s.distance_to_nash),
                str(s.failures + s.violations),
            )
        console.print(table)


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def leaderboard(
        db: Annotated[str, typer.Argument(help="The DuckDB results file of zopa tournament.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the documented JSON.")] = False,
        csv_file: Annotated[
            str | None, typer.Option("--csv", help="Also write the standings as CSV.")
        ] = None,
        parquet_file: Annotated[
            str | None, typer.Option("--parquet", help="Also write the standings as Parquet.")
        ] = None,
        by_scenario: Annotated[
            bool, typer.Option("--by-scenario", help="Also print one table per scenario.")
        ] = False,
    ) -> None:
        """Rank a tournament's agents: mean utility, agreement rate, welfare, distances to the
        Pareto frontier and the Nash point, with 95% confidence intervals."""
        from zopa.negotiation.leaderboard import leaderboard as compute

        board = compute(db)
        rows = records(board)
        if csv_file is not None:
            write_csv(csv_file, rows)
        if parquet_file is not None:
            write_parquet(parquet_file, rows)
        if as_json:
            print(json.dumps({"db": db, **board.to_dict()}, indent=2, ensure_ascii=False))
        else:
            render(db, board, by_scenario)
