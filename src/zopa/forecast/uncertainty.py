"""Monte Carlo over the stakeholders' inputs: forecasts as distributions.

Each draw perturbs every position, salience and capability independently (seeded):

- position: normal noise with standard deviation ``position × (high − low)`` of the issue's scale,
  clipped to the scale;
- salience: normal noise with standard deviation ``salience``, clipped to [0, 1];
- capability: multiplied by ``exp(N(0, capability²))`` (log-normal, so it stays positive and only
  ratios change).

Each spread is one number for everyone or an array per stakeholder (``(n,)``) or per stakeholder
and issue (``(n, m)``). A stakeholder without a position on an issue stays without one. The
defaults (5 % of the scale, 0.05, 0.1) are a modest judgement error, not an estimate from data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import Arrays, as_arrays
from zopa.model.errors import ArgumentError
from zopa.model.random import generator

__all__ = ["Distribution", "InputSpread", "draw_inputs", "summarize"]

F = npt.NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class InputSpread:
    """How far each Monte Carlo draw moves the inputs (see the module docstring).

    Attributes:
        position: standard deviation as a share of each issue's scale range, >= 0.
        salience: standard deviation (salience is in [0, 1]), >= 0.
        capability: standard deviation of log-capability, >= 0.
    """

    position: float | tuple[float, ...] = 0.05
    salience: float | tuple[float, ...] = 0.05
    capability: float | tuple[float, ...] = 0.1

    def __post_init__(self) -> None:
        for name in ("position", "salience", "capability"):
            value = np.asarray(getattr(self, name), dtype=float)
            if not (np.isfinite(value) & (value >= 0)).all():
                raise ArgumentError(f"{name}: expected numbers >= 0, got {getattr(self, name)}")


@dataclass(frozen=True)
class Distribution:
    """A forecast as a distribution over draws, per issue (arrays ``(issues,)``).

    Attributes:
        median, q05, q25, q75, q95: the median and the quantiles bounding the 50 % and 90 %
            intervals (NaN where an issue has no forecast).
        draws: the number of draws.
    """

    median: F
    q05: F
    q25: F
    q75: F
    q95: F
    draws: int

    def to_dict(self) -> dict[str, Any]:
        def clean(a: F) -> list[float | None]:
            return [None if np.isnan(v) else float(v) for v in a]

        return {
            "draws": self.draws,
            "median": clean(self.median),
            "q05": clean(self.q05),
            "q25": clean(self.q25),
            "q75": clean(self.q75),
            "q95": clean(self.q95),
        }


def summarize(samples: npt.ArrayLike) -> Distribution:
    """The :class:`Distribution` of ``samples`` shaped ``(draws, issues)``.

    Examples:
        >>> d = summarize(np.arange(101.0)[:, None])
        >>> float(d.median[0]), float(d.q05[0]), float(d.q95[0])
        (50.0, 5.0, 95.0)
    """
    a = np.asarray(samples, dtype=float)
    if a.ndim != 2 or a.shape[0] < 1:
        raise ArgumentError(f"samples: expected an array (draws, issues), got shape {a.shape}")
    out = np.full((5, a.shape[1]), np.nan)
    ok = ~np.isnan(a).all(axis=0)
    if ok.any():
        out[:, ok] = np.nanquantile(a[:, ok], [0.5, 0.05, 0.25, 0.75, 0.95], axis=0)
    return Distribution(out[0], out[1], out[2], out[3], out[4], draws=int(a.shape[0]))


def draw_inputs(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
    *,
    draws: int,
    spread: InputSpread | None = None,
    scale: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    seed: int | np.random.Generator | None = None,
) -> Arrays:
    """``draws`` perturbed copies of the inputs, each array ``(draws, stakeholders, issues)``.

    Args:
        positions, salience, capability: ``(stakeholders, issues)`` as for the models.
        draws: number of draws, >= 1.
        spread: how far to move them (default :class:`InputSpread`).
        scale: ``(low, high)`` per issue: the scale positions are clipped to and whose range sets
            the position noise; default the positions' own range on each issue.
        seed: seed or generator; the same seed gives the same draws.

    Examples:
        >>> x, s, c = draw_inputs([[0.0], [10.0]], [[0.5], [1.0]], draws=3, seed=1)
        >>> x.shape, bool((x >= 0).all() and (x <= 10).all()), bool((s <= 1).all())
        ((3, 2, 1), True, True)
    """
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ArgumentError(f"draws: expected an integer >= 1, got {draws}")
    x, s, c = as_arrays(positions, salience, capability)
    if x.ndim != 2:
        raise ArgumentError(f"positions: expected shape (stakeholders, issues), got {x.shape}")
    sp = InputSpread() if spread is None else spread
    rng = generator(seed)
    n, m = x.shape
    if scale is None:
        with np.errstate(all="ignore"):
            lo = np.where(
                np.isnan(x).all(axis=0), 0.0, np.nanmin(np.where(np.isnan(x), np.inf, x), axis=0)
            )
            hi = np.where(
                np.isnan(x).all(axis=0), 0.0, np.nanmax(np.where(np.isnan(x), -np.inf, x), axis=0)
            )
    else:
        lo = np.broadcast_to(np.asarray(scale[0], dtype=float), (m,))
        hi = np.broadcast_to(np.asarray(scale[1], dtype=float), (m,))

    def per(value: float | tuple[float, ...], name: str) -> F:
        a = np.asarray(value, dtype=float)
        if a.ndim == 1:
            a = a[:, None]
        try:
            return np.broadcast_to(a, (n, m))
        except ValueError:
            raise ArgumentError(
                f"{name}: expected one number, one per stakeholder ({n}) or an array ({n}, {m})"
            ) from None

    shape = (draws, n, m)
    xd = np.clip(x + rng.standard_normal(shape) * per(sp.position, "position") * (hi - lo), lo, hi)
    sd = np.clip(s + rng.standard_normal(shape) * per(sp.salience, "salience"), 0.0, 1.0)
    cd = c * np.exp(rng.standard_normal(shape) * per(sp.capability, "capability"))
    return xd, sd, cd
