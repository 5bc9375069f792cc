"""The compiled expected utility model (``zopa.forecast._eum_kernel``) against the NumPy
implementation it replaced, kept in ``eum_reference.py`` as the oracle.

Every round's median, mean, positions and risk exponents agree to 1e-9 for every option, on random
inputs with ties, absent stakeholders and rows of every length from 1 to 65 (the oracle was itself
checked against the O(n³) definition of the vote sums). Not bit for bit: the kernel's exp and log
are its own (within one unit in the last place, tested here) and it adds in another order. The
decisions (offer kinds, ties between equally good offers) come out the same wherever the numbers
are not within rounding of a tie, which random inputs never are; on the published EC case the
anchor tests in ``test_forecast_models.py`` hold unchanged."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from eum_reference import run_eum as reference_run_eum

from zopa.forecast import EUMOptions, run_eum
from zopa.forecast import _eum_kernel as kernel
from zopa.model.errors import ArgumentError

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


def assert_close(x: np.ndarray, s: np.ndarray, c: np.ndarray, rounds: int, o: EUMOptions) -> None:
    new = run_eum(x, s, c, rounds=rounds, options=o)
    old = reference_run_eum(x, s, c, rounds=rounds, options=o)
    for name in ("median", "mean", "positions", "risk"):
        np.testing.assert_allclose(
            getattr(new, name), getattr(old, name), rtol=1e-9, atol=1e-9, err_msg=name
        )


@pytest.mark.parametrize("options", OPTIONS, ids=lambda o: repr(o)[11:60])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_equals_the_reference(options: EUMOptions, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for ties, absent in ((False, False), (True, False), (False, True), (True, True)):
        n = int(rng.integers(2, 13))
        x, s, c = random_inputs(rng, int(rng.integers(1, 12)), n, 3, ties=ties, absent=absent)
        assert_close(x, s, c, 4, options)


@pytest.mark.parametrize("n", [1, 2, 31, 50, 65])
def test_kernel_equals_the_reference_at_every_size(n: int) -> None:
    rng = np.random.default_rng(n)
    x, s, c = random_inputs(rng, 3, n, 2, ties=False, absent=False)
    x[:, : n // 2] = x[:, : n // 2].round()  # ties among some, continuous others
    assert_close(x, s, c, 3, EUMOptions())


@pytest.mark.parametrize("q", [1.0, 0.5])
def test_rows_with_fewer_than_two_players(q: float) -> None:
    # no position at all, one player, and a normal row side by side (regression: a row without
    # players crashed the kernel with q < 1)
    x = np.array([[np.nan, np.nan, np.nan], [5.0, np.nan, np.nan], [1.0, 4.0, 9.0]]).T[None]
    s = np.full(x.shape, 0.5)
    options = EUMOptions(q=q)
    path = run_eum(x, s, rounds=2, options=options)
    assert np.isnan(path.median[:, 0, 0]).all() and np.isnan(path.risk[:, 0, :, 0]).all()
    assert (path.median[:, 0, 1] == 5.0).all() and (path.risk[:, 0, 0, 1] == 1.0).all()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        old = reference_run_eum(x, s, rounds=2, options=options)
    for name in ("median", "mean", "positions", "risk"):
        np.testing.assert_allclose(getattr(path, name), getattr(old, name), rtol=1e-9, atol=1e-9)


def test_threads_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # ZOPA_THREADS forces the split; every number identical to the last bit
    rng = np.random.default_rng(5)
    x, s, c = random_inputs(rng, 120, 30, 4, ties=True, absent=True)
    monkeypatch.setenv("ZOPA_THREADS", "1")
    one = run_eum(x, s, c, rounds=3)
    monkeypatch.setenv("ZOPA_THREADS", "3")
    three = run_eum(x, s, c, rounds=3)
    for name in ("median", "mean", "positions", "risk"):
        np.testing.assert_array_equal(getattr(one, name), getattr(three, name), err_msg=name)


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_bad_thread_setting_is_named(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("ZOPA_THREADS", value)
    with pytest.raises(ArgumentError, match="ZOPA_THREADS"):
        run_eum([1.0, 2.0], [1.0, 1.0], rounds=1)


def ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    finite = np.isfinite(want)
    assert np.array_equal(got[~finite], want[~finite])
    return np.abs(got[finite] - want[finite]) / np.spacing(np.abs(want[finite]))


def test_exp_is_within_one_ulp() -> None:
    rng = np.random.default_rng(0)
    x = np.concatenate(
        [rng.uniform(-708, 0, 100_000), rng.uniform(-1, 1, 10_000), [0.0, -0.0, -708.0, 1e-300]]
    )
    out = np.empty_like(x)
    kernel.exp_into(x, out, np.empty(x.size, dtype=np.int64))
    assert ulps(out, np.exp(x)).max() <= 1.0
    # below the floor, and -inf (0 raised to a positive power), give exactly 0
    low = np.array([-709.0, -745.2, -1e10, -np.inf])
    out = np.empty_like(low)
    kernel.exp_into(low, out, np.empty(low.size, dtype=np.int64))
    assert (out == 0.0).all()


def test_log_is_within_one_ulp() -> None:
    rng = np.random.default_rng(1)
    x = np.concatenate(
        [
            rng.uniform(0, 1, 100_000),
            10.0 ** rng.uniform(-320, 0, 20_000),  # down into the subnormals
            1 - rng.uniform(0, 1e-6, 1_000),  # near 1, where log is near 0
            [1.0, 0.5, 2.0, 5e-324, 2.2250738585072014e-308],
        ]
    )
    out = np.empty_like(x)
    kernel.log_into(x, out, np.empty_like(x))
    assert ulps(out, np.log(x)).max() <= 1.0
    zero = np.array([0.0])
    out = np.empty(1)
    kernel.log_into(zero, out, np.empty(1))
    assert out[0] == -np.inf
