"""``zopa scenarios``: list the bundled scenarios."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from zopa.cli.guard import guarded


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def scenarios(
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """List the scenarios bundled with zopa."""
        from zopa.io import bundled_scenarios, load_scenario

        rows = []
        for name in bundled_scenarios():
            s = load_scenario(name)
            rows.append(
                {
                    "name": name,
                    "title": s.title,
                    "issues": s.n_issues,
                    "parties": [p.name for p in s.parties],
                    "outcomes": s.n_outcomes,
                }
            )
        if as_json:
            print(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        from rich.console import Console
        from rich.table import Table

        table = Table("name", "title", "issues", "parties", "outcomes")
        for r in rows:
            table.add_row(
                str(r["name"]),
                str(r["title"]),
                str(r["issues"]),
                ", ".join(r["parties"]),  # type: ignore[arg-type]
                f"{r['outcomes']:,}",
            )
        Console().print(table)
