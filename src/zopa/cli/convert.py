"""``zopa convert IN... OUT``: convert between native YAML/JSON and GENIUS XML."""

from __future__ import annotations

from typing import Annotated

import typer

from zopa.cli.guard import guarded


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def convert(
        paths: Annotated[
            list[str],
            typer.Argument(
                help="The scenario (name, file, folder, or domain then profiles), then the output: "
                "a .yaml/.json file, or a folder for GENIUS XML."
            ),
        ],
    ) -> None:
        """Read a scenario in any supported format and write it in another."""
        from zopa.io import load_scenario, save_scenario
        from zopa.model.errors import ArgumentError

        if len(paths) < 2:
            raise ArgumentError(
                "PATHS: expected a scenario and an output path, got only one argument"
            )
        scenario = load_scenario(*paths[:-1])
        for written in save_scenario(scenario, paths[-1]):
            print(f"wrote {written}")
