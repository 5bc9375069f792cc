"""``zopa show SCENARIO``: issues, options, parties, stakeholders, outcome-space size."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.guard import guarded

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
        as_json: Annotated[
            bool, typer.Option("--json", help="Print the stable JSON summary.")
        ] = False,
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

    from zopa.model.preferences import AdditiveUtility

    console = Console()
    console.print(f"[bold]{s.title or s.name}[/bold]  ({s.name})")
    if s.description:
        console.print(s.description.strip())
    console.print(
        f"{s.n_issues} issues, {s.n_parties} parties, {len(s.stakeholders)} stakeholders; "
        f"outcome space: [bold]{s.n_outcomes:,}[/bold] outcomes"
    )
    issues = Table(title="Issues (weight of each issue to each party)")
    issues.add_column("issue")
    issues.add_column("options")
    issues.add_column("if talks fail")
    for p in s.parties:
        issues.add_column(p.name, justify="right")
    for k, issue in enumerate(s.issues):
        if issue.kind == "discrete" or issue.size <= 8:
            opts = ", ".join(issue.options)
        else:
            opts = f"{issue.kind} {issue.options[0]} .. {issue.options[-1]} ({issue.size} options)"
        weights = [
            f"{p.utility.weights[k]:.3f}" if isinstance(p.utility, AdditiveUtility) else "n/a"
            for p in s.parties
        ]
        issues.add_row(issue.name, opts, issue.disagreement_option or "-", *weights)
    console.print(issues)
    if s.parties:
        reservations = s.reservation_values()
        parties = Table(title="Parties")
        for col in ("party", "preferences", "reservation value", "discount", "power"):
            parties.add_column(col)
        for j, p in enumerate(s.parties):
            res = f"{reservations[j]:.4f}" + (
                "" if p.reservation is not None else " (utility if talks fail)"
            )
            kind = "additive" if p.is_additive else "hyper-rectangles"
            power = "-" if p.power is None else f"{p.power:g}"
            parties.add_row(p.name, kind, res, f"{p.discount:g}", power)
        console.print(parties)
    if s.stakeholders:
        table = Table(title="Stakeholders")
        for col in ("stakeholder", "capability", "position (salience) per issue"):
            table.add_column(col)
        for sh in s.stakeholders:
            uniform = len(set(sh.capability)) == 1
            cells = ", ".join(
                f"{issue.name} {pos:g} ({sal:.2f}"
                + ("" if uniform else f", capability {cap:g}")
                + ")"
                for issue, pos, sal, cap in zip(
                    s.issues, sh.positions, sh.salience, sh.capability, strict=True
                )
                if pos is not None
            )
            name = sh.name + (f" [{sh.party}]" if sh.party else "")
            table.add_row(name, f"{sh.capability[0]:g}" if uniform else "per issue", cells)
        console.print(table)
    if s.observed is not None:
        seen = s.observed
        points = seen.points or (None,) * s.n_issues
        parts = []
        for issue, code, point in zip(s.issues, seen.outcome, points, strict=True):
            if code is not None and (point is None or point == issue.scale_points[code]):
                parts.append(f"{issue.name}={issue.options[code]}")
            elif code is not None:
                parts.append(f"{issue.name}={issue.options[code]} (at {point:g})")
            elif point is not None:
                parts.append(f"{issue.name} at {point:g}")
        console.print(f"[bold]Observed outcome[/bold] ({seen.date}): {', '.join(parts)}")
