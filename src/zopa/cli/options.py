"""Options that several commands share, declared and checked once.

A flag that is out of range raises :class:`zopa.model.errors.ArgumentError` naming the flag
(``--draws: expected a number >= 0, got -1``); the guard prints it as one line and exits 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

Parties = Annotated[
    str | None, typer.Option("--parties", help="Comma-separated parties to analyse.")
]
Draws = Annotated[int, typer.Option("--draws", help="Robustness draws (0 to skip).")]
Seed = Annotated[int, typer.Option("--seed", help="Seed of the robustness draws.")]
Limit = Annotated[
    int,
    typer.Option("--limit", help="Largest outcome space enumerated for non-additive preferences."),
]


def party_names(parties: str | None, scenario: Scenario) -> list[str] | None:
    """The names in a ``--parties`` value (``None`` when not given), each a party of
    ``scenario``."""
    from zopa.model.errors import ArgumentError, show_names

    if parties is None:
        return None
    names = [p.strip() for p in parties.split(",") if p.strip()]
    known = [p.name for p in scenario.parties]
    for name in names:
        if name not in known:
            raise ArgumentError(
                f'--parties: expected names of parties {show_names(known)}, got "{name}"'
            )
    return names


def check_counts(*, draws: int, limit: int) -> None:
    """Refuse a negative ``--draws`` and a ``--limit`` below 1."""
    from zopa.model.errors import ArgumentError

    if draws < 0:
        raise ArgumentError(f"--draws: expected a number >= 0, got {draws}")
    if limit < 1:
        raise ArgumentError(f"--limit: expected an integer >= 1, got {limit}")


def names_from(text: str, choices: Sequence[str], flag: str, *, expected: str) -> list[str]:
    """The comma-separated names of ``text``, each one of ``choices``, at least one; else an
    :class:`~zopa.model.errors.ArgumentError` naming ``flag`` (``expected`` words the choices)."""
    from zopa.model.errors import ArgumentError

    names = [n.strip() for n in text.split(",") if n.strip()]
    for name in names or [""]:
        if name not in choices:
            raise ArgumentError(f'{flag}: expected {expected} {", ".join(choices)}, got "{name}"')
    return names


def at_least(value: int, low: int, flag: str) -> None:
    """Refuse ``value`` below ``low`` for ``flag`` (``--rounds: expected an integer >= 0``)."""
    from zopa.model.errors import ArgumentError

    if value < low:
        raise ArgumentError(f"{flag}: expected an integer >= {low}, got {value}")


def check_spread(
    *,
    concentration: float | None,
    value_noise: float | None,
    reservation_noise: float | None,
) -> None:
    """Check the robustness spread flags through :class:`zopa.model.Spread`, the one place a
    spread is validated; the error names the flag (``--value-noise: ...``)."""
    from zopa.model.errors import ArgumentError, ScenarioError
    from zopa.model.scenario import Spread

    given = {
        "concentration": concentration,
        "value_noise": value_noise,
        "reservation_noise": reservation_noise,
    }
    try:
        Spread(**{k: v for k, v in given.items() if v is not None})
    except ScenarioError as exc:
        raise ArgumentError(f"--{exc.path.replace('_', '-')}: {exc.detail}") from None
