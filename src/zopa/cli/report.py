"""``zopa report [SCENARIO]``: the self-contained HTML report (and figures as SVG/PNG)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from zopa.cli.analyze import NoAgendas, NoLeverage, NoRobustness, progress_bars
from zopa.cli.guard import guarded, naming
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
            str, typer.Option("--output", "-o", help="Where to write the HTML page (a file).")
        ] = "report.html",
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
        no_robustness: NoRobustness = False,
        no_leverage: NoLeverage = False,
        no_agendas: NoAgendas = False,
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

        from zopa.analysis.run import analyze
        from zopa.io import load_scenario
        from zopa.model.errors import OutputError
        from zopa.report import build_report

        check_counts(draws=draws, limit=limit)
        if output.endswith(("/", os.sep)) or Path(output).is_dir():
            raise OutputError(
                output, "expected a file to write the report to, got a folder (-o FILE.html)"
            )
        s = load_scenario(*(scenario or [DEFAULT_SCENARIO]))
        names = party_names(parties, s)
        with naming(scenario or [DEFAULT_SCENARIO]), progress_bars(quiet=quiet) as progress:
            result = analyze(
                s,
                parties=names,
                draws=draws,
                seed=seed,
                limit=limit,
                progress=progress,
                robustness=not no_robustness,
                leverage=not no_leverage,
                agendas=not no_agendas,
            )
            progress("rendering the page", 0, 1)
            page = build_report(result.scenario, {"analysis": result})
            progress("rendering the page", 1, 1)
            if figures is not None:
                progress("rendering the figures", 0, 1)
            # the page and the figures are rendered first, then written all or nothing
            written = page.save(Path(output), figures=figures)
            if figures is not None:
                progress("rendering the figures", 1, 1)
        print(f"report: {written[0].resolve()}")
        if figures is not None:
            print(f"figures: {len(written) - 1} files in {figures}")
        if not quiet:
            print()
            print(" ".join(page.headline))
