"""``zopa convert SCENARIO... OUT``: convert between native YAML/JSON, GENIUS XML and GeniusWeb.

The output format comes from ``--to`` or, left out, from the output path (see
:func:`zopa.io.save_scenario`); what the format cannot hold prints as one ``warning:`` line per
kind, and ``--strict`` turns those into errors (exit 2, nothing written). An existing file is
replaced only with ``--force``.
"""

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
                help="The scenario (name, file, folder, or domain then profiles), then the output "
                "unless -o is given: a .yaml/.yml/.json file (native), a .xml file (GENIUS domain, "
                "profiles beside it) or a folder (GENIUS; GeniusWeb with --to geniusweb)."
            ),
        ],
        output: Annotated[
            str | None,
            typer.Option("--output", "-o", help="Where to write (instead of the last argument)."),
        ] = None,
        to: Annotated[
            str | None,
            typer.Option(
                "--to", help="Output format: yaml, json, genius or geniusweb (default: from OUT)."
            ),
        ] = None,
        strict: Annotated[
            bool,
            typer.Option(
                "--strict", help="Refuse (exit 2, nothing written) if the format loses anything."
            ),
        ] = False,
        force: Annotated[
            bool, typer.Option("--force", help="Replace files that already exist.")
        ] = False,
    ) -> None:
        """Read a scenario in any supported format and write it in another."""
        from zopa.io import load_scenario, save_scenario
        from zopa.model.errors import ArgumentError

        sources = paths if output is not None else paths[:-1]
        target = output if output is not None else paths[-1]
        if not sources:
            raise ArgumentError(
                "PATHS: expected a scenario and an output path (or -o OUT), got only one argument"
            )
        scenario = load_scenario(*sources)
        for written in save_scenario(scenario, target, to=to, strict=strict, overwrite=force):
            print(f"wrote {written}")
