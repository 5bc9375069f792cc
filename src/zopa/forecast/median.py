"""The median voter: the weighted median, and the pairwise (Condorcet) form.

Black's median voter theorem: with single-peaked preferences on a line the position that beats
every other in pairwise votes is the weighted median (Black 1948, "On the rationale of group
decision-making", *J. Political Economy* 56:23–34). Bueno de Mesquita's expected utility model
finds it by pairwise votes among the actors' positions (Scholz, Calbert & Smith 2011,
"Unravelling Bueno De Mesquita's group decision model", *J. Theoretical Politics* 23(4):510–531,
Appendix step 3):

    v_jk = Σ_i c_i s_i (|x_i − x_k| − |x_i − x_j|) / (x_max − x_min)

:func:`condorcet_median` takes the position no other position beats (``v_jk >= 0`` for every k),
the Condorcet winner. Scholz's literal wording ("find the maximum value" of v_jk and take its x_j)
gives the same position: with votes linear in distance, ``v_jk = D_k − D_j`` where
``D_j = Σ_i c_i s_i |x_i − x_j|``, so the largest v_jk has the smallest D_j, the Condorcet winner.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays, weights
from zopa.model.errors import ArgumentError

__all__ = ["MedianTie", "condorcet_median", "weighted_median"]

MedianTie = Literal["lower", "upper", "midpoint"]


def weighted_median(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
    *,
    tie: MedianTie = "lower",
) -> npt.NDArray[np.float64]:
    """The capability × salience weighted median position per issue.

    Positions are sorted and the median is the first position at which the cumulative weight
    reaches half the total. When it reaches exactly half, the positions on either side are both
    medians: ``tie="lower"`` (default) takes the lower one, ``"upper"`` the upper one,
    ``"midpoint"`` their mean. (Comparisons use a relative tolerance of 1e-12 of the total.)

    Args and shapes as :func:`zopa.forecast.compromise.compromise_position`.

    Returns:
        ``(..., issues)``; NaN where the total weight is 0.

    Examples:
        The EC emission-standards case: 7.0 before round 1 (Scholz et al. 2011, Table 2).

        >>> x = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
        >>> c = [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
        >>> s = [.8, .4, .2, .8, .6, .6, .9, .1, 1, .7]
        >>> float(weighted_median(x, s, c)[0])
        7.0
        >>> weighted_median([1, 3], [1, 1]).tolist(), weighted_median([1, 3], [1, 1], tie="midpoint").tolist()
        ([1.0], [2.0])
    """
    if tie not in ("lower", "upper", "midpoint"):
        raise ArgumentError(f'tie: expected "lower", "upper" or "midpoint", got "{tie}"')
    x, s, c = as_arrays(positions, salience, capability)
    w = weights(x, s, c)
    filled = np.where(np.isnan(x), np.inf, x)  # no position: sorted last, weight 0
    order = np.argsort(filled, axis=-2, kind="stable")
    xs = np.take_along_axis(filled, order, axis=-2)
    cw = np.cumsum(np.take_along_axis(w, order, axis=-2), axis=-2)
    total = cw[..., -1:, :]
    half = total / 2
    eps = 1e-12 * total
    lower = np.argmax(cw >= half - eps, axis=-2)[..., None, :]
    upper = np.argmax(cw > half + eps, axis=-2)[..., None, :]
    lo = np.take_along_axis(xs, lower, axis=-2)[..., 0, :]
    hi = np.take_along_axis(xs, upper, axis=-2)[..., 0, :]
    value = {"lower": lo, "upper": hi, "midpoint": (lo + hi) / 2}[tie]
    return np.where(total[..., 0, :] > 0, value, np.nan)


def condorcet_median(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """The median by pairwise votes among the stakeholders' positions, per issue.

    The lowest position that no other position beats. On a line, with votes linear in distance,
    one always exists and is a weighted median (:func:`weighted_median` with ``tie="lower"``
    gives the same number); this form is the oracle Scholz et al. (2011, Appendix step 3)
    describe. Costs O(stakeholders²) per issue.

    Examples:
        >>> x = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
        >>> c = [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
        >>> s = [.8, .4, .2, .8, .6, .6, .9, .1, 1, .7]
        >>> float(condorcet_median(x, s, c)[0])
        7.0
    """
    x, s, c = as_arrays(positions, salience, capability)
    w = weights(x, s, c)
    xt = np.moveaxis(x, -1, -2)  # (..., m, n)
    wt = np.moveaxis(w, -1, -2)
    xv = np.nan_to_num(xt)
    # v[..., j, k] = Σ_i w_i (|x_i − x_k| − |x_i − x_j|): candidates are the positions themselves.
    dist = np.abs(xv[..., :, None] - xv[..., None, :])  # [i, j] = |x_i − x_j|
    near = np.einsum("...i,...ij->...j", wt, dist)  # Σ_i w_i |x_i − x_j|
    v = near[..., None, :] - near[..., :, None]
    valid = ~np.isnan(xt)
    pair = valid[..., :, None] & valid[..., None, :]
    tol = 1e-12 * np.maximum(np.abs(v).max(axis=(-2, -1), keepdims=True), 1e-300)
    wins = np.where(pair, v >= -tol, True).all(axis=-1) & valid
    best = np.argmin(np.where(wins, xv, np.inf), axis=-1)
    value = np.take_along_axis(xv, best[..., None], axis=-1)[..., 0]
    return np.where(wt.sum(axis=-1) > 0, value, np.nan)
