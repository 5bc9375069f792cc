"""``zopa forecast-eval FILE``: each forecasting model's error on real decisions (DEU III)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from zopa.cli.guard import guarded
from zopa.cli.options import at_least, names_from

if TYPE_CHECKING:
    from zopa.forecast.evaluate import Evaluation

DEFAULT_MODELS = "compromise,median,eum,exchange"
CAPABILITY = ("equal", "gdp")


def register(app: typer.Typer) -> None:
    @app.command(name="forecast-eval")
    @guarded
    def forecast_eval(
        file: Annotated[
            str,
            typer.Argument(
                help="A DEU III table (tab-separated, as deu3.csv), e.g. deu3-odd-proposals.csv."
            ),
        ],
        models: Annotated[
            str,
            typer.Option(
                "--models",
                help="Comma-separated: compromise, median, eum, exchange, smp, ensemble.",
            ),
        ] = DEFAULT_MODELS,
        capability: Annotated[
            str,
            typer.Option(
                "--capability", help="equal (every actor 1, the default) or gdp (the file's row)."
            ),
        ] = "equal",
        draws: Annotated[int, typer.Option("--draws", help="Bootstrap resamples.")] = 10_000,
        resample: Annotated[
            str,
            typer.Option(
                "--resample",
                help="What the bootstrap resamples: issues (default) or decisions (whole "
                "proposals, a cluster bootstrap).",
            ),
        ] = "issues",
        seed: Annotated[
            int, typer.Option("--seed", help="Seed of the bootstrap (and of the folds).")
        ] = 0,
        folds: Annotated[
            int,
            typer.Option(
                "--cv",
                help="Also cross-validate the fitted compromise/median blend in K folds of "
                "decisions (0: off).",
            ),
        ] = 0,
        as_json: Annotated[bool, typer.Option("--json", help="Print the documented JSON.")] = False,
    ) -> None:
        """Score each model's forecasts against the observed outcomes: mean and median absolute
        error with 95% bootstrap intervals."""
        from zopa.forecast.evaluate import ALL_MODELS, cross_validate, evaluate
        from zopa.io.deu import read_deu
        from zopa.model.errors import ArgumentError

        names = names_from(models, ALL_MODELS, "--models", expected="names from")
        if capability not in CAPABILITY:
            raise ArgumentError(f'--capability: expected equal or gdp, got "{capability}"')
        if resample not in ("issues", "decisions"):
            raise ArgumentError(f'--resample: expected issues or decisions, got "{resample}"')
        at_least(draws, 1, "--draws")
        data = read_deu(file)
        if capability == "gdp" and not data.has_capability_row:
            raise ArgumentError(f"--capability: gdp needs the capability row, {file} has none")
        result = evaluate(
            data.positions,
            data.salience,
            data.outcome,
            capability=data.capability if capability == "gdp" else None,
            decisions=data.decision_of_issue,
            scoreable=data.scoreable,
            models=list(dict.fromkeys(names)),
            draws=draws,
            seed=seed,
            resample=resample,  # type: ignore[arg-type]
        )
        if folds < 0 or folds == 1:
            raise ArgumentError(f"--cv: expected 0 (off) or an integer >= 2, got {folds}")
        cv = (
            cross_validate(
                data.positions,
                data.salience,
                data.outcome,
                decisions=data.decision_of_issue,
                capability=data.capability if capability == "gdp" else None,
                scoreable=data.scoreable,
                folds=folds,
                seed=seed,
                draws=draws,
                resample=resample,  # type: ignore[arg-type]
            )
            if folds
            else None
        )
        doc = {"file": file, **result.to_dict(), "capability": capability}
        if cv is not None:
            doc["cross_validation"] = cv.to_dict()
        if as_json:
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            render(file, result, capability)
            if cv is not None:
                low, high = cv.difference_interval
                weights = ", ".join(f"{w:.2f}" for w in cv.weights)
                print(
                    f"{cv.folds}-fold cross-validation by decision (seed {cv.seed}): the blend "
                    f"w·compromise + (1 − w)·median, w fitted per fold ({weights}), MAE "
                    f"{cv.blend_mae:.2f} out of fold against the compromise's "
                    f"{cv.compromise_mae:.2f} (difference 95% CI {low:+.2f} to {high:+.2f}); "
                    f"fixed ensemble {cv.ensemble_mae:.2f}"
                )


def render(file: str, e: Evaluation, capability: str) -> None:
    """Print the evaluation as one Rich table."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(
        f"{file}: {e.decisions} decisions, {e.issues} issues, {e.scoreable} scored (an outcome and "
        f"at least 3 actors with position and salience); capability {capability}; "
        f"{e.level:.0%} intervals from {e.draws:,} bootstrap resamples of the {e.resample}, "
        f"seed {e.seed}"
    )
    table = Table(title="Absolute error on the 0–100 scale")
    for name, justify in (
        ("model", "left"),
        ("issues", "right"),
        ("mean", "right"),
        ("95% CI", "right"),
        ("median", "right"),
        ("95% CI ", "right"),
        ("seconds", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    base = next((a.mae for a in e.models if a.model == "compromise"), float("nan"))
    for a in e.models:
        table.add_row(
            a.model,
            f"{a.scored}" + (f" ({a.missing} without forecast)" if a.missing else ""),
            f"{a.mae:.2f}",
            f"{a.mae_interval[0]:.2f}–{a.mae_interval[1]:.2f}",
            f"{a.median_error:.2f}",
            f"{a.median_interval[0]:.2f}–{a.median_interval[1]:.2f}",
            f"{a.seconds:.2f}",
        )
    console.print(table)
    for a in e.models:
        if a.versus_compromise is not None:
            low, high = a.versus_compromise
            console.print(
                f"{a.model} − compromise: MAE {a.mae - base:+.2f} "
                f"(paired {e.level:.0%} CI {low:+.2f} to {high:+.2f})"
            )
