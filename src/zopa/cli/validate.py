"""``zopa validate PATH...``: check scenario files, one line per problem."""

from __future__ import annotations

import warnings
from typing import Annotated

import typer

from zopa.cli.guard import print_error, print_warnings


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        paths: Annotated[
            list[str],
            typer.Argument(help="Scenario files, folders or bundled names; each is checked alone."),
        ],
    ) -> None:
        """Check scenarios; exit 0 when all are valid, 2 (one line per problem) otherwise."""
        from zopa.io import load_scenario
        from zopa.model.errors import ZopaError

        failed = False
        for path in paths:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    scenario = load_scenario(path)
                except ZopaError as exc:
                    failed = True
                    print_error(exc)
                    continue
            print_warnings(caught, prefix=f"{path}: ")
            print(
                f"ok: {path}: {scenario.n_issues} issues, {scenario.n_parties} parties, "
                f"{scenario.n_outcomes:,} outcomes"
            )
        if failed:
            raise typer.Exit(2)
