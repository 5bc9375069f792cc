"""``zopa validate SCENARIO...``: check scenarios, one line per problem.

The arguments are read as every other command reads a SCENARIO, and several scenarios may follow
each other (:func:`zopa.io.scenario_groups`): ``validate d.xml a.xml b.xml`` checks one GENIUS
scenario (a domain and its two profiles), ``validate x.yaml y.yaml`` two native ones.
"""

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
            typer.Argument(
                help="Scenarios: bundled names, native files, folders, or a domain file followed "
                "by its profile files (one scenario); several may be given."
            ),
        ],
    ) -> None:
        """Check scenarios; exit 0 when all are valid, 2 (one line per problem) otherwise."""
        from zopa.io import load_scenario, scenario_groups
        from zopa.model.errors import ZopaError

        failed = False
        for group in scenario_groups(paths):
            label = " ".join(group)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    scenario = load_scenario(*group)
                except ZopaError as exc:
                    failed = True
                    print_error(exc)
                    continue
            print_warnings(caught, prefix=f"{group[0]}: ")
            if scenario.n_parties == 0:
                print(
                    f"ok: {label}: a domain alone, {scenario.n_issues} issues, "
                    f"{scenario.n_outcomes:,} outcomes, no parties (give its profile files after "
                    "it to check them too)"
                )
                continue
            print(
                f"ok: {label}: {scenario.n_issues} issues, {scenario.n_parties} parties, "
                f"{scenario.n_outcomes:,} outcomes"
            )
        if failed:
            raise typer.Exit(2)
