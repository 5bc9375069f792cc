"""On every domain in tests/data small enough to enumerate: the exact frontier and every solution agree
with brute force over all outcomes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conftest import DOMAINS
from zopa.analysis.frontier import IR_TOLERANCE, frontier_of
from zopa.analysis.solutions import NoAgreementWarning, solve_all
from zopa.io import load_scenario
from zopa.model import Scenario

LIMIT = 300_000
FOLDERS = sorted(p.name for p in DOMAINS.iterdir() if p.is_dir())


def load(folder: str) -> Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_scenario(DOMAINS / folder)


def dominated_by_any(points: np.ndarray, u: np.ndarray) -> np.ndarray:
    out = np.zeros(points.shape[0], dtype=bool)
    for i, p in enumerate(points):
        out[i] = bool(((u >= p).all(axis=1) & (u > p).any(axis=1)).any())
    return out


@pytest.mark.parametrize("folder", FOLDERS)
def test_frontier_and_solutions_equal_brute_force(folder: str) -> None:
    s = load(folder)
    if s.n_parties < 2 or s.n_outcomes > LIMIT:
        pytest.skip(f"{s.n_parties} parties, {s.n_outcomes:,} outcomes: not a brute-force case")
    u = s.utilities(s.enumerate())
    front = frontier_of(s)
    # no outcome dominates a frontier point, and every outcome is matched or dominated by one
    assert not dominated_by_any(front.utilities, u).any()
    f = front.utilities
    for chunk in np.array_split(u, max(1, u.shape[0] // 20_000)):
        covered = (chunk[:, None, :] <= f[None, :, :] + 1e-12).all(axis=2).any(axis=1)
        assert covered.all()
    np.testing.assert_allclose(s.utilities(front.outcomes), f, rtol=0, atol=1e-12)
    # the solutions reach the best objective value over all individually rational outcomes
    r = s.reservation_values()
    rational = (u >= r - IR_TOLERANCE).all(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NoAgreementWarning)
        solutions = solve_all(s)
    if not rational.any():
        assert not any(sol.agreement for sol in solutions.values())
        return
    ur = u[rational]
    gains = ur - r
    checks = {
        "utilitarian": (ur.sum(axis=1).max(), lambda x: x.sum()),
        "egalitarian": (gains.min(axis=1).max(), lambda x: (x - r).min()),
    }
    positive = (gains > 0).all(axis=1)
    if positive.any():
        checks["nash"] = (np.log(gains[positive]).sum(axis=1).max(), lambda x: np.log(x - r).sum())
    for name, (best, objective) in checks.items():
        sol = solutions[name]
        assert sol.agreement
        assert objective(np.asarray(sol.utilities)) == pytest.approx(best, abs=1e-9), name
