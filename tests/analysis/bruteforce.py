"""Test oracle: the Pareto frontier by brute force. Deliberately simple and slow; never ship it.

Utilities come from :meth:`zopa.model.Scenario.utilities` on :meth:`zopa.model.Scenario.enumerate`,
which sums additive utilities in issue order, the order the engines use, so results can be
compared exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zopa.model import Scenario

__all__ = ["IR_TOLERANCE", "brute_dominated_by", "brute_frontier", "brute_nondominated"]

IR_TOLERANCE = 1e-12


def brute_nondominated(points: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Mask of the first row of each distinct non-dominated vector, by comparing every pair."""
    pts = np.asarray(points, dtype=float)
    first: dict[tuple[float, ...], int] = {}
    for i, row in enumerate(pts.tolist()):
        first.setdefault(tuple(row), i)
    mask = np.zeros(pts.shape[0], dtype=bool)
    mask[list(first.values())] = True
    for start in range(0, pts.shape[0], 256):  # rows against all rows, 256 at a time
        rows = pts[start : start + 256]
        ge = np.ones((rows.shape[0], pts.shape[0]), dtype=bool)
        gt = np.zeros_like(ge)
        for p in range(pts.shape[1]):
            ge &= pts[None, :, p] >= rows[:, None, p]
            gt |= pts[None, :, p] > rows[:, None, p]
        mask[start : start + 256] &= ~(ge & gt).any(axis=1)
    return mask


def brute_dominated_by(points: npt.ArrayLike, others: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Whether each row of ``points`` is dominated by some row of ``others``, pair by pair."""
    pts = np.asarray(points, dtype=float)
    ref = np.asarray(others, dtype=float)
    out = np.zeros(pts.shape[0], dtype=bool)
    for i in range(pts.shape[0]):
        for j in range(ref.shape[0]):
            if (ref[j] >= pts[i]).all() and (ref[j] > pts[i]).any():
                out[i] = True
                break
    return out


def brute_frontier(
    scenario: Scenario, *, individually_rational: bool = False
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """The frontier's distinct utility vectors and, for each, its lexicographically smallest
    outcome, sorted lexicographically descending by utility (with Python's tuple sort)."""
    codes = scenario.enumerate()
    utilities = scenario.utilities(codes)
    if individually_rational:
        rational = (utilities >= scenario.reservation_values() - IR_TOLERANCE).all(axis=1)
        codes, utilities = codes[rational], utilities[rational]
    keep = np.flatnonzero(brute_nondominated(utilities))  # enumerate() is in lexicographic order
    rows = sorted(keep, key=lambda i: tuple(-float(x) for x in utilities[i]))
    return (
        utilities[rows].reshape(len(rows), scenario.n_parties),
        codes[rows].reshape(len(rows), scenario.n_issues),
    )
