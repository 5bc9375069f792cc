"""The ``zopa`` command: one Typer app, one small module per command.

User mistakes (a :class:`zopa.ZopaError`) print one line per problem on stderr and exit with
status 2; warnings print as ``warning: ...`` lines. Tracebacks are for bugs only.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="zopa",
    help="Analyse, forecast and simulate multi-issue negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _register() -> None:
    from zopa.cli import (
        analyze,
        convert,
        forecast,
        forecast_eval,
        leaderboard,
        negotiate,
        report,
        scenarios,
        show,
        tournament,
        validate,
    )

    # each command module imports only Typer at load time; its work imports inside the command
    for module in (
        validate,
        show,
        analyze,
        forecast,
        forecast_eval,
        negotiate,
        report,
        convert,
        scenarios,
        tournament,
        leaderboard,
    ):
        module.register(app)


_register()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
