"""``zopa forecast SCENARIO|FILE``: what the stakeholders will settle on, per issue."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.guard import guarded
from zopa.cli.options import at_least, names_from

if TYPE_CHECKING:
    from pathlib import Path

    from zopa.forecast.run import Forecast

MODEL_CHOICES = ("compromise", "median", "eum", "smp", "exchange", "all")
LABELS = {
    "compromise": "compromise (mean)",
    "median": "median voter",
    "eum": "expected utility",
    "smp": "spatial (KTAB SMP)",
    "exchange": "exchange (Equal Gain)",
}
ARITHMETIC_CHOICES = ("auto", "float", "decimal")


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def forecast(
        scenario: Annotated[
            str,
            typer.Argument(
                help="Bundled name, scenario file or folder, a decide input file (.csv/.txt), "
                "a KTAB scenario (.csv or .xml), or an actor table "
                "(.csv: Actor,Capability,Position,Salience)."
            ),
        ],
        model: Annotated[
            str,
            typer.Option(
                "--model",
                help="compromise, median, eum, smp, exchange or all (comma-separated for several).",
            ),
        ] = "all",
        rounds: Annotated[
            int,
            typer.Option(
                "--rounds",
                help="Rounds of the expected utility and exchange models (the spatial model "
                "stops by KTAB's rule).",
            ),
        ] = 8,
        draws: Annotated[
            int, typer.Option("--draws", help="Monte Carlo draws over the inputs (0 to skip).")
        ] = 1000,
        exchange_draws: Annotated[
            int,
            typer.Option(
                "--exchange-draws",
                help="How many of the draws run the exchange model (each is a full run).",
            ),
        ] = 100,
        smp_draws: Annotated[
            int,
            typer.Option(
                "--smp-draws",
                help="How many of the draws run the spatial model (each is a full run).",
            ),
        ] = 100,
        arithmetic: Annotated[
            str,
            typer.Option(
                "--arithmetic",
                help="The exchange model's arithmetic: auto (decimal up to 100 stakeholders × "
                "issues, else float), float or decimal (decide's, exact).",
            ),
        ] = "auto",
        seed: Annotated[int, typer.Option("--seed", help="Seed of the draws.")] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print the documented JSON.")] = False,
    ) -> None:
        """Forecast each issue from the stakeholders: compromise, median voter, expected utility,
        KTAB's spatial model, exchange of voting positions."""
        from pathlib import Path

        from zopa.forecast.exchange import ExchangeOptions
        from zopa.forecast.run import MODELS
        from zopa.forecast.run import forecast as run
        from zopa.forecast.smp import SMPOptions
        from zopa.model.errors import ArgumentError

        names = names_from(model, MODEL_CHOICES, "--model", expected="one of")
        chosen = MODELS if "all" in names else tuple(m for m in MODELS if m in names)
        at_least(rounds, 0, "--rounds")
        at_least(draws, 0, "--draws")
        at_least(exchange_draws, 0, "--exchange-draws")
        at_least(smp_draws, 0, "--smp-draws")
        if arithmetic not in ARITHMETIC_CHOICES:
            raise ArgumentError(
                f'--arithmetic: expected one of {", ".join(ARITHMETIC_CHOICES)}, got "{arithmetic}"'
            )
        if Path(scenario).suffix.lower() == ".csv" and not _is_decide_or_ktab(Path(scenario)):
            from zopa.io.actors import read_actor_table

            s = read_actor_table(Path(scenario))
        else:
            from zopa.io import load_scenario

            s = load_scenario(scenario)
        exchange = ExchangeOptions(
            arithmetic=arithmetic,  # type: ignore[arg-type]
            draws=exchange_draws,
        )
        result = run(
            s,
            models=chosen,
            rounds=rounds,
            draws=draws,
            seed=seed,
            exchange=exchange,
            smp=SMPOptions(draws=smp_draws),
        )
        if as_json:
            print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            render(result)


def _is_decide_or_ktab(path: Path) -> bool:
    """Whether a ``.csv`` is decide's or KTAB's input format (else it is read as an actor
    table)."""
    from zopa.io.decide import looks_like_decide
    from zopa.io.ktab import looks_like_ktab_csv
    from zopa.io.safe import read_text

    try:
        text = read_text(path)
        return looks_like_decide(text) or looks_like_ktab_csv(text)
    except (OSError, ValueError):
        return False  # the actor table's reader reports the file's problem


def _num(x: float) -> str:
    return "–" if x != x else f"{x:.2f}"


def render(f: Forecast) -> None:
    """Print a forecast as Rich tables: one per issue, then the expected utility model's path."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    s = f.scenario
    draws = f"{f.draws:,} draws, seed {f.seed}" if f.draws else "no draws"
    names = [m.model for m in f.models]
    dynamic = " and ".join(
        n for n, key in (("expected utility", "eum"), ("exchange", "exchange")) if key in names
    )
    rounds = f"{f.rounds} rounds of the {dynamic} model{'s' if ' and ' in dynamic else ''}; "
    console.print(
        f"{s.title or s.name}: forecasts from {len(s.stakeholders)} stakeholders "
        f"({rounds if dynamic else ''}{draws})"
    )
    spatial = next((m for m in f.models if m.smp is not None), None)
    if spatial is not None and spatial.smp is not None:
        k = 0 if spatial.distribution is None else spatial.distribution.draws
        note = f"spatial model: {spatial.smp.turns} turns (KTAB's stop rule)"
        if f.draws:
            note += (
                f"; its intervals from the first {k:,} of the {f.draws:,} draws (--smp-draws)"
                if k
                else "; no intervals (--smp-draws 0)"
            )
        console.print(note)
    exchange = next((m for m in f.models if m.exchange is not None), None)
    if exchange is not None:
        o = f.exchange_options
        k = 0 if exchange.distribution is None else exchange.distribution.draws
        note = f"exchange model: {o.arithmetic} arithmetic"
        if f.draws:
            note += (
                f"; its intervals from the first {k:,} of the {f.draws:,} draws (--exchange-draws)"
                if k
                else "; no intervals (--exchange-draws 0)"
            )
        if s.n_issues < 2:
            note += "; with one issue nobody can trade, so it stays at the compromise"
        console.print(note)
    for k, issue in enumerate(s.issues):
        lo, hi = issue.scale_range
        observed = f.observed[k]
        seen = "unknown" if observed != observed else f"{observed:g}"
        code = None if s.observed is None else s.observed.outcome[k]
        if observed == observed and code is not None:
            seen += f" ({issue.options[code]})"
        table = Table(title=f"{issue.name} (scale {lo:g}–{hi:g}; observed: {seen})")
        table.add_column("model")
        table.add_column("forecast", justify="right")
        if f.draws:
            table.add_column("50% interval", justify="right")
            table.add_column("90% interval", justify="right")
        table.add_column("nearest option")
        table.add_column("error", justify="right")
        for m in f.models:
            cells = [LABELS[m.model], _num(m.point[k])]
            if f.draws:
                d = m.distribution
                cells += (
                    ["", ""]
                    if d is None
                    else [
                        f"{_num(d.q25[k])}–{_num(d.q75[k])}",
                        f"{_num(d.q05[k])}–{_num(d.q95[k])}",
                    ]
                )
            cells.append("–" if m.nearest[k] < 0 else issue.options[m.nearest[k]])
            cells.append(_num(abs(m.point[k] - observed)))
            table.add_row(*cells)
        console.print(table)
    eum = next((m for m in f.models if m.path is not None), None)
    if eum is not None and eum.path is not None:
        table = Table(title="Expected utility model, round by round: median / mean")
        table.add_column("round", justify="right")
        for issue in s.issues:
            table.add_column(issue.name, justify="right")
        for t in range(eum.path.rounds + 1):
            table.add_row(
                "start" if t == 0 else str(t),
                *[
                    f"{_num(eum.path.median[t, k])} / {_num(eum.path.mean[t, k])}"
                    for k in range(s.n_issues)
                ],
            )
        console.print(table)
    if spatial is not None and spatial.smp is not None:
        p = spatial.smp
        table = Table(
            title="Spatial model (KTAB SMP), turn by turn: positions weighted by their chances"
            if p.options.forecast == "expected"
            else "Spatial model (KTAB SMP), turn by turn: the most likely position"
        )
        table.add_column("turn", justify="right")
        for issue in s.issues:
            table.add_column(issue.name, justify="right", overflow="fold")
        for t in range(p.turns + 1):
            table.add_row("start" if t == 0 else str(t), *[_num(v) for v in p.path[t]])
        console.print(table)
    if exchange is not None and exchange.exchange is not None:
        x = exchange.exchange
        counts = [0] * len(x.outcomes)
        for trade in x.trades:
            counts[trade.round] += 1
        table = Table(title="Exchange model, round by round: weighted mean of the voting positions")
        table.add_column("round", justify="right")
        for issue in s.issues:
            table.add_column(issue.name, justify="right", overflow="fold")
        table.add_column("exchanges", justify="right", overflow="fold")
        table.add_row("start", *[_num(v) for v in x.compromise], "")
        for t, row in enumerate(x.outcomes):
            table.add_row(str(t + 1), *[_num(v) for v in row], str(counts[t]))
        console.print(table)
