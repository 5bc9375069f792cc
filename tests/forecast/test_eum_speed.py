"""The optimised expected utility model gives exactly the numbers of the implementation it
replaced (kept in ``eum_reference.py`` as the oracle): every round's median, mean, positions and
risk exponents are equal to the last bit, for every option, on random inputs with ties, absent
stakeholders and batches spanning several chunks.

Bit-for-bit holds because every number is computed by the same floating-point operations on the
same operands, in the same order; only where they are stored, which are shared and which are
skipped changes (see the module docstring of :mod:`zopa.forecast.eum`)."""

from __future__ import annotations

import numpy as np
import pytest
from eum_reference import run_eum as reference_run_eum

from zopa.forecast import EUMOptions, run_eum

OPTIONS = [
    EUMOptions(),
    EUMOptions.as_printed(),
    EUMOptions(q=0.5),
    EUMOptions(q=0.25, perspective="challenger", vote_risk=False),
    EUMOptions(offers="highest-eu", conflict="none", capitulation=False),
    EUMOptions(offers="least-move", security="challenges", scale="round"),
    EUMOptions(probability="pairwise"),
]


def random_inputs(
    rng: np.random.Generator, draws: int, n: int, m: int, *, ties: bool, absent: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = rng.uniform(0.0, 10.0, (draws, n, m))
    if ties:
        x = x.round()
    if absent:
        gone = rng.random(x.shape) < 0.2
        gone[:, :2, :] = False  # at least two stakeholders on every issue
        x[gone] = np.nan
    s = rng.uniform(0.0, 1.0, x.shape)
    c = rng.uniform(0.1, 2.0, x.shape)
    return x, s, c


def assert_same(x: np.ndarray, s: np.ndarray, c: np.ndarray, rounds: int, o: EUMOptions) -> None:
    new = run_eum(x, s, c, rounds=rounds, options=o)
    old = reference_run_eum(x, s, c, rounds=rounds, options=o)
    for name in ("median", "mean", "positions", "risk"):
        np.testing.assert_array_equal(getattr(new, name), getattr(old, name), err_msg=name)


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: repr(o)[11:60])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_optimised_eum_equals_the_reference_bit_for_bit(options: EUMOptions, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for ties, absent in ((False, False), (True, False), (False, True), (True, True)):
        n = int(rng.integers(2, 13))
        x, s, c = random_inputs(rng, int(rng.integers(1, 12)), n, 3, ties=ties, absent=absent)
        assert_same(x, s, c, 4, options)


def test_optimised_eum_equals_the_reference_across_chunks() -> None:
    # 50 stakeholders: 10 rows per chunk now, 40 in the reference's, so rows change places
    rng = np.random.default_rng(9)
    x, s, c = random_inputs(rng, 45, 50, 2, ties=False, absent=False)
    x[:, :20] = x[:, :20].round()  # ties among some, continuous others
    assert_same(x, s, c, 3, EUMOptions())


@pytest.mark.parametrize("n", [1, 63, 64, 65])
def test_optimised_eum_equals_the_reference_at_search_widths(n: int) -> None:
    # the midpoint search pads each row to a power of two above n
    rng = np.random.default_rng(n)
    x, s, c = random_inputs(rng, 2, n, 2, ties=False, absent=False)
    assert_same(x, s, c, 2, EUMOptions())
