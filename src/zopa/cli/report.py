"""``zopa report [SCENARIO]``: the self-contained HTML report (and figures as SVG/PNG)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.analyze import NoAgendas, NoLeverage, NoRobustness, genius_pareto, progress_bars
from zopa.cli.guard import guarded, naming
from zopa.cli.options import Limit, Parties, check_counts, party_names

if TYPE_CHECKING:
    from zopa.analysis.run import Analysis
    from zopa.analysis.space import Placement
    from zopa.forecast.run import Forecast
    from zopa.model.scenario import Scenario

DEFAULT_SCENARIO = "mexico-us-2017"

Draws = Annotated[
    int,
    typer.Option(
        "--draws", help="Robustness draws, and Monte Carlo draws of the forecast (0 to skip)."
    ),
]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the robustness and forecast draws.")]
NoForecast = Annotated[
    bool,
    typer.Option("--no-forecast", help="Skip the stakeholders' forecast (its section and stars)."),
]
NoNegotiation = Annotated[
    bool,
    typer.Option(
        "--no-negotiation", help="Skip the negotiation played offer by offer (its section)."
    ),
]

#: Largest outcome space on which the report plays negotiations (each party ranks every outcome).
NEGOTIATION_OUTCOMES = 200_000


def place_forecast(analysis: Analysis, fc: Forecast) -> dict[str, Placement]:
    """Each model's forecast outcome (its nearest option on every issue) placed against the
    analysis's frontier and solutions, by model; a model with an issue it cannot forecast (no
    stakeholder takes a position there) is left out."""
    from zopa.analysis.space import place_outcome

    return {
        m.model: place_outcome(analysis.scenario, m.nearest, analysis.frontier, analysis.solutions)
        for m in fc.models
        if min(m.nearest, default=-1) >= 0
    }


#: Monte Carlo draws of the report's forecast section: its intervals, not its numbers, depend on
#: them, and the report stays quick (``zopa forecast`` defaults to 1,000; ``--forecast-draws``).
FORECAST_DRAWS = 200

#: Of those, how many run the exchange model (each draw is a full run of it; ``zopa forecast``
#: runs 100, ``--exchange-draws``).
EXCHANGE_DRAWS = 20

#: Of those, how many run the spatial model (each a full run; ``zopa forecast`` runs 100,
#: ``--smp-draws``).
SMP_DRAWS = 20


def negotiation_results(
    scenario: Scenario, *, seed: int = 0, cap: float | None = None
) -> dict[str, Any]:
    """The report's negotiation section: one negotiation played with its trace (the party whose
    strategy the scenario states, else the first, plays Boulware; the others Conceder) and, when
    every issue has a disagreement option and the preferences are additive, package versus issue
    by issue for each pairing of Boulware and Conceder (two parties: all four; more: all
    Boulware, all Conceder and the first pairing). Nothing on spaces above
    :data:`NEGOTIATION_OUTCOMES` outcomes or with fewer than two parties."""
    from zopa.negotiation.agenda import compare_play
    from zopa.negotiation.agents import agent
    from zopa.negotiation.session import Arena, negotiate

    n = scenario.n_parties
    if n < 2 or scenario.n_outcomes > NEGOTIATION_OUTCOMES:
        return {}
    lead = scenario.party_index(scenario.strategy.party) if scenario.strategy else 0
    first = tuple("boulware" if j == lead else "conceder" for j in range(n))
    arena = Arena(scenario.problem(), cap=cap)
    out: dict[str, Any] = {
        "negotiation": negotiate(arena, [agent(a) for a in first], seed=seed),
    }
    if scenario.is_additive and all(i.disagreement is not None for i in scenario.issues):
        if n == 2:
            pairings = [first, first[::-1], ("boulware",) * 2, ("conceder",) * 2]
        else:
            pairings = [first, ("boulware",) * n, ("conceder",) * n]
        seen: list[tuple[str, ...]] = []
        for p in pairings:
            if p not in seen:
                seen.append(p)
        out["negotiation_plays"] = [
            compare_play(arena, [agent(a) for a in p], seed=seed, trace=False) for p in seen
        ]
    return out


def report_results(
    analysis: Analysis,
    *,
    draws: int = FORECAST_DRAWS,
    seed: int = 0,
    forecast: bool = True,
    negotiation: bool = True,
    cap: float | None = None,
) -> dict[str, Any]:
    """What ``zopa report`` passes to :func:`zopa.report.build_report`: the analysis; when the
    scenario has stakeholders (and ``forecast``), their forecast
    (:func:`zopa.forecast.run.forecast` with ``draws`` and ``seed``) and its placements
    (:func:`place_forecast`); and with ``negotiation``, :func:`negotiation_results` (``cap``:
    the utility cap, 1 for GENIUS files)."""
    results: dict[str, Any] = {"analysis": analysis}
    if negotiation:
        results.update(negotiation_results(analysis.scenario, seed=seed, cap=cap))
    if forecast and analysis.scenario.stakeholders:
        from zopa.forecast.exchange import ExchangeOptions
        from zopa.forecast.run import forecast as run_forecast
        from zopa.forecast.smp import SMPOptions

        fc = run_forecast(
            analysis.scenario,
            draws=draws,
            seed=seed,
            exchange=ExchangeOptions(draws=min(draws, EXCHANGE_DRAWS)),
            smp=SMPOptions(draws=min(draws, SMP_DRAWS)),
        )
        results["forecast"] = fc
        results["forecast_placements"] = place_forecast(analysis, fc)
    return results


def write_tournament_report(
    db: str, scenario: list[str] | None, output: str, figures: Path | None, quiet: bool
) -> None:
    """``zopa report --tournament DB``: the tournament page (:mod:`zopa.report.tournament`)."""
    from zopa.model.errors import ArgumentError
    from zopa.negotiation.leaderboard import leaderboard
    from zopa.report.tournament import build_tournament_report

    if scenario:
        raise ArgumentError(
            f'--tournament: expected no SCENARIO with a tournament database, got "{scenario[0]}"'
        )
    board = leaderboard(db)
    page = build_tournament_report(board, name=Path(db).name)
    written = page.save(Path(output), figures=figures)
    print(f"report: {written[0].resolve()}")
    if figures is not None:
        print(f"figures: {len(written) - 1} files in {figures}")
    if not quiet and page.headline:
        print()
        print(" ".join(page.headline))


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
        no_forecast: NoForecast = False,
        no_negotiation: NoNegotiation = False,
        forecast_draws: Annotated[
            int,
            typer.Option(
                "--forecast-draws",
                help=f"Monte Carlo draws of the stakeholders' forecast (default {FORECAST_DRAWS}).",
            ),
        ] = FORECAST_DRAWS,
        tournament: Annotated[
            str | None,
            typer.Option(
                "--tournament",
                help="Report a tournament's results database (zopa tournament --db) instead "
                "of a scenario.",
            ),
        ] = None,
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
        if forecast_draws < 0:
            from zopa.model.errors import ArgumentError

            raise ArgumentError(f"--forecast-draws: expected an integer >= 0, got {forecast_draws}")
        if output.endswith(("/", os.sep)) or Path(output).is_dir():
            raise OutputError(
                output, "expected a file to write the report to, got a folder (-o FILE.html)"
            )
        if tournament is not None:
            write_tournament_report(tournament, scenario, output, figures, quiet)
            return
        s = load_scenario(*(scenario or [DEFAULT_SCENARIO]))
        names = party_names(parties, s)
        shipped = None if scenario is None else genius_pareto(scenario, s, names)
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
                reference=None if shipped is None else shipped[1],
                reference_source="reference" if shipped is None else shipped[0],
            )
            forecast = not no_forecast and bool(result.scenario.stakeholders)
            if forecast:
                progress("forecast", 0, 1)
            if not no_negotiation:
                progress("negotiation", 0, 1)
            from zopa.cli.negotiate import is_genius

            results = report_results(
                result,
                draws=forecast_draws,
                seed=seed,
                forecast=forecast,
                negotiation=not no_negotiation,
                cap=1.0 if is_genius(scenario or [DEFAULT_SCENARIO]) else None,
            )
            if not no_negotiation:
                progress("negotiation", 1, 1)
            if forecast:
                progress("forecast", 1, 1)
            progress("rendering the page", 0, 1)
            page = build_report(result.scenario, results)
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
