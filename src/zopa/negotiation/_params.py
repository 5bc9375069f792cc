"""Checks of agent parameters, so every agent and BOA component refuses a bad value with the same
wording."""

from __future__ import annotations

import math

from zopa.model.errors import ArgumentError


def check_number(
    name: str,
    x: object,
    low: float,
    high: float,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> None:
    """Refuse ``x`` unless it is a finite real number in the interval from ``low`` to ``high``.

    Examples:
        >>> check_number("window", 2.0, 0.0, 1.0)
        Traceback (most recent call last):
        ...
        zopa.model.errors.ArgumentError: window: expected a number in [0, 1], got 2.0
    """
    ok = isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
    if ok:
        assert isinstance(x, (int, float))
        ok = (low < x if open_low else low <= x) and (x < high if open_high else x <= high)
    if not ok:
        if low == -math.inf and high == math.inf:
            raise ArgumentError(f"{name}: expected a finite number, got {x!r}")
        if high == math.inf:
            want = f"{'>' if open_low else '>='} {low:g}"
        else:
            want = f"in {'(' if open_low else '['}{low:g}, {high:g}{')' if open_high else ']'}"
        raise ArgumentError(f"{name}: expected a number {want}, got {x!r}")


def check_count(name: str, x: object, low: int = 1) -> None:
    """Refuse ``x`` unless it is an integer ``>= low``."""
    if isinstance(x, bool) or not isinstance(x, int) or x < low:
        raise ArgumentError(f"{name}: expected an integer >= {low}, got {x!r}")


def check_flag(name: str, x: object) -> None:
    """Refuse ``x`` unless it is ``True`` or ``False``."""
    if not isinstance(x, bool):
        raise ArgumentError(f"{name}: expected true or false, got {x!r}")
