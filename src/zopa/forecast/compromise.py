"""The compromise model: the capability × salience weighted mean of the positions.

Per issue d, ``O_d = Σ_i c_id s_id x_id / Σ_i c_id s_id`` over the stakeholders that take a
position on d. This is the "compromise model" of the EU decision-making literature (Achen 2006,
"Institutional realism and bargaining models", in Thomson, Stokman, Achen & König, *The European
Union Decides*, Cambridge University Press, ch. 4; a first-order approximation of the Nash
bargaining solution) and what decide-exchange-model calls the NBS/MDS. Bueno de Mesquita (1994)
and Scholz, Calbert & Smith (2011, Table 2) report it each round beside the median.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays, weights

__all__ = ["compromise_position"]


def compromise_position(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
) -> npt.NDArray[np.float64]:
    """The weighted mean position per issue.

    Args:
        positions: ``(..., stakeholders, issues)`` (or ``(stakeholders,)`` for one issue), NaN
            where a stakeholder takes no position.
        salience: same shape, in [0, 1].
        capability: same shape, or ``(..., stakeholders)``; default 1 for everyone (the
            salience-weighted mean).

    Returns:
        ``(..., issues)``; NaN for an issue where the total weight is 0.

    Examples:
        The EC emission-standards case (Bueno de Mesquita 1994, as tabulated by Scholz et al.
        2011, Table 1): 7.39 before round 1.

        >>> x = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
        >>> c = [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
        >>> s = [.8, .4, .2, .8, .6, .6, .9, .1, 1, .7]
        >>> round(float(compromise_position(x, s, c)[0]), 2)
        7.39
    """
    x, s, c = as_arrays(positions, salience, capability)
    w = weights(x, s, c)
    total = w.sum(axis=-2)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, np.nansum(w * np.nan_to_num(x), axis=-2) / total, np.nan)
    return np.asarray(mean, dtype=float)
