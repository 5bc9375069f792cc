"""What every forecasting model shares: the stakeholder arrays, checked once, and the weights.

The models read three arrays of the same shape ``(..., stakeholders, issues)`` (any leading batch
dimensions, e.g. Monte Carlo draws): positions on each issue's scale (NaN where a stakeholder takes
no position), salience in [0, 1] and capability >= 0, as
:meth:`zopa.model.Scenario.stakeholder_positions`, :meth:`~zopa.model.Scenario.stakeholder_salience`
and :meth:`~zopa.model.Scenario.stakeholder_capability` give them. A stakeholder without a
position on an issue takes no part in that issue (its weight there is 0).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError

__all__ = ["Arrays", "as_arrays", "nearest_points", "weights"]

Arrays = tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def as_arrays(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
) -> Arrays:
    """``(positions, salience, capability)`` as float arrays of one shape ``(..., n, m)``.

    A 1-D ``positions`` is one issue (shape ``(n, 1)``). ``capability`` defaults to 1 for every
    stakeholder and may be given per stakeholder (shape ``(..., n)``), broadcast over issues.

    Raises:
        ArgumentError: shapes differ, a salience is outside [0, 1], a capability is negative or
            not finite, or a position is infinite (the message names the argument).
    """
    x = np.asarray(positions, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim < 2:
        raise ArgumentError(
            f"positions: expected an array (stakeholders, issues), got shape {x.shape}"
        )
    s = np.asarray(salience, dtype=float)
    if s.ndim == x.ndim - 1 and x.shape[-1] == 1:
        s = s[..., None]
    if s.shape != x.shape:
        raise ArgumentError(f"salience: expected shape {x.shape} (as positions), got {s.shape}")
    if capability is None:
        c = np.ones_like(x)
    else:
        c = np.asarray(capability, dtype=float)
        if c.ndim == x.ndim - 1:
            c = c[..., None]
        try:
            c = np.broadcast_to(c, x.shape)
        except ValueError:
            raise ArgumentError(
                f"capability: expected shape {x.shape} (as positions), got {c.shape}"
            ) from None
    if np.isinf(x).any():
        raise ArgumentError("positions: expected finite numbers or NaN (no position), got inf")
    if not (np.isfinite(s) & (s >= 0) & (s <= 1)).all():
        raise ArgumentError("salience: expected numbers in [0, 1]")
    if not (np.isfinite(c) & (c >= 0)).all():
        raise ArgumentError("capability: expected finite numbers >= 0")
    return x, s, c


def weights(
    x: npt.NDArray[np.float64], s: npt.NDArray[np.float64], c: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Capability × salience, 0 where a stakeholder takes no position."""
    return np.where(np.isnan(x), 0.0, c * s)


def nearest_points(values: npt.ArrayLike, points: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Index of the point nearest each value (the first of equally near ones); -1 for NaN.

    Examples:
        >>> nearest_points([0.2, 74.0, 75.0], [0, 50, 100]).tolist()
        [0, 1, 1]
    """
    v = np.asarray(values, dtype=float)
    p = np.asarray(points, dtype=float)
    found = np.argmin(np.abs(v[..., None] - p), axis=-1)
    return np.where(np.isnan(v), -1, found).astype(np.int64)
