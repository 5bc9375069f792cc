"""Options that several commands share, declared once."""

from __future__ import annotations

from typing import Annotated

import typer

Parties = Annotated[
    str | None, typer.Option("--parties", help="Comma-separated parties to analyse.")
]
Draws = Annotated[int, typer.Option("--draws", help="Robustness draws (0 to skip).")]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the robustness draws.")]
Limit = Annotated[
    int,
    typer.Option("--limit", help="Largest outcome space enumerated for non-additive preferences."),
]


def party_names(parties: str | None) -> list[str] | None:
    """The names in a ``--parties`` value (``None`` when not given)."""
    return None if parties is None else [p.strip() for p in parties.split(",") if p.strip()]


def check_draws(draws: int) -> None:
    """Refuse a negative ``--draws``."""
    from zopa.model.errors import ScenarioError

    if draws < 0:
        raise ScenarioError(f"--draws: expected a number >= 0, got {draws}")
