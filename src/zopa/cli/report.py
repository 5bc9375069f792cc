"""``zopa report [SCENARIO]``: the self-contained HTML report (and figures as SVG/PNG)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.guard import guarded
from zopa.cli.options import Draws, Limit, Parties, Seed, check_counts, party_names

DEFAULT_SCENARIO = "mexico-us-2017"


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def report(
        scenario: Annotated[
            list[str] | None,
            typer.Argument(
                help=f"Bundled name, file, folder, or domain then profiles (default: {DEFAULT_SCENARIO})."
            ),
        ] = None,
        output: Annotated[
            Path, typer.Option("--output", "-o", help="Where to write the HTML page.")
        ] = Path("report.html"),
        figures: Annotated[
            Path | None,
            typer.Option("--figures", help="Also write every figure as SVG and PNG here."),
        ] = None,
        parties: Parties = None,
        draws: Draws = 2000,
        seed: Seed = 0,
        limit: Limit = 10_000_000,
        quiet: Annotated[
            bool, typer.Option("--quiet", "-q", help="Print only where the report is.")
        ] = False,
    ) -> None:
        """Write the HTML report: the negotiation, where agreement lies, what linkage buys each side."""
        from zopa.report.extra import INSTALL, vl_convert

        try:  # before any work, so that nothing is written
            vl_convert()
        except ModuleNotFoundError:
            print(
                f"error: zopa report needs the report extra (vl-convert-python): {INSTALL}",
                file=sys.stderr,
            )
            raise typer.Exit(2) from None

        from rich.console import Console

        from zopa.analysis.run import analyze
        from zopa.io import load_scenario
        from zopa.model.errors import OutputError
        from zopa.report import build_report

        check_counts(draws=draws, limit=limit)
        if output.is_dir():
            raise OutputError(output, "expected a file to write the report to, got a folder")
        s = load_scenario(*(scenario or [DEFAULT_SCENARIO]))
        names = party_names(parties, s)
        console = Console(stderr=True, quiet=quiet)
        with console.status("analysing"):
            result = analyze(s, parties=names, draws=draws, seed=seed, limit=limit)
        with console.status("rendering the report"):
            page = build_report(result.scenario, {"analysis": result})
            path = page.write(output)
            written = page.export_figures(figures) if figures is not None else []
        print(f"report: {path.resolve()}")
        if written:
            print(f"figures: {len(written)} files in {figures}")
        if not quiet:
            print()
            print(" ".join(page.headline))
