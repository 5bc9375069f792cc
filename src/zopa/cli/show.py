"""``zopa show SCENARIO``: issues, options, parties, stakeholders, outcome-space size."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.app import guarded

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def show(
        scenario: Annotated[
            list[str],
            typer.Argument(help="Bundled name, file, folder, or a domain file then profile files."),
        ],
        as_json: Annotated[bool, typer.Option("--json", help="Print the stable JSON summary.")] = False,
    ) -> None:
        """Describe a scenario."""
        from zopa.io import load_scenario

        s = load_scenario(*scenario)
        if as_json:
            print(json.dumps(s.to_dict(), indent=2, ensure_ascii=False))
        else:
            render(s)


def render(s: Scenario) -> None:
    """Print a scenario as Rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[bold]{s.title or s.name}[/bold]  ({s.name})")
    if s.description:
        console.print(s.description.strip())
    console.print(
        f"{s.n_issues} issues, {s.n_parties} parties, {len(s.stakeholders)} stakeholders; "
        f"outcome space: [bold]{s.n_outcomes:,}[/bold] outcomes"
    )
    issues = Table(title="Issues", show_lines=False)
    issues.add_column("issue")
    issues.add_column("options")
    issues.add_column("if talks fail")
    for issue in s.issues:
        if issue.kind == "discrete" or issue.size <= 8:
            opts = ", ".join(issue.options)
        else:
            opts = f"{issue.kind} {issue.options[0]} .. {issue.options[-1]} ({issue.size} options)"
        issues.add_row(issue.name, opts, issue.disagreement_option or "-")
    console.print(issues)
    if s.parties:
        reservations = s.reservation_values()
        parties = Table(title="Parties")
        parties.add_column("party")
        for issue in s.issues:
            parties.add_column(f"w:{issue.name}", justify="right")
        parties.add_column("reservation", justify="right")
        parties.add_column("discount", justify="right")
        for j, p in enumerate(s.parties):
            weights = getattr(p.utility, "weights", None)
            cells = [f"{w:.3f}" for w in weights] if weights else ["n/a"] * s.n_issues
            res = f"{reservations[j]:.3f}" + ("" if p.reservation is not None else " (d)")
            parties.add_row(p.name, *cells, res, f"{p.discount:g}")
        console.print(parties)
        console.print("(d): reservation = utility of the disagreement outcome")
    if s.stakeholders:
        table = Table(title="Stakeholders (position / salience)")
        table.add_column("stakeholder")
        table.add_column("capability", justify="right")
        for issue in s.issues:
            table.add_column(issue.name, justify="right")
        for sh in s.stakeholders:
            cells = [
                "-" if pos is None else f"{pos:g}/{sal:.2f}"
                for pos, sal in zip(sh.positions, sh.salience, strict=True)
            ]
            table.add_row(sh.name, f"{sh.capability:g}", *cells)
        console.print(table)
    if s.observed is not None:
        seen = s.observed.outcome
        text = ", ".join(
            f"{i.name}={i.options[c]}" for i, c in zip(s.issues, seen, strict=True) if c is not None
        )
        console.print(f"[bold]Observed outcome[/bold] ({s.observed.date}): {text}")
