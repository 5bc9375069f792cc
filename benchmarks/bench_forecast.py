"""How fast the forecasting models run: prints figures, asserts nothing.

Usage: ``python benchmarks/bench_forecast.py [DRAWS] [STAKEHOLDERS] [ISSUES] [ROUNDS]`` (default
10,000 draws of 50 stakeholders × 20 issues, 1 round of the expected utility model, then the same
with 8 rounds on fewer draws). The target of issue 9 is 10,000 Monte Carlo draws of the expected
utility model on 50 stakeholders × 20 issues in at most 10 s.

Inputs are random (seeded): positions on 0–100, salience in [0.1, 1], capability in [0.5, 2].
Times are wall-clock (``time.perf_counter``), one run each, on whatever machine runs this; the
expected utility model's kernel is compiled (or loaded from Numba's cache) by a first call on a
tiny input, timed on its own, and then runs one thread per core (``ZOPA_THREADS`` overrides).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from zopa.forecast import EUMOptions, compromise_position, eum, run_eum, weighted_median
from zopa.forecast.uncertainty import draw_inputs


def timed(label: str, job: object, *args: object, **kwargs: object) -> float:
    """Run ``job`` once; print its wall time and the process's CPU time (all threads: on an
    otherwise idle machine, wall ≈ CPU / threads)."""
    start, cpu = time.perf_counter(), time.process_time()
    job(*args, **kwargs)  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s (CPU {time.process_time() - cpu:.2f} s)")
    return seconds


def main() -> None:
    draws, n, m, rounds = (
        int(a) for a in (sys.argv[1:] + ["10000", "50", "20", "1"][len(sys.argv) - 1 :])
    )
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 100, (n, m)).round()
    s = rng.uniform(0.1, 1.0, (n, m))
    c = rng.uniform(0.5, 2.0, (n, m))
    print(f"{draws:,} draws × {n} stakeholders × {m} issues, {eum._threads(10**12)} thread(s)")
    timed(
        "expected utility, first call (compiles or loads the kernel)", run_eum, [1.0, 2.0], [1, 1]
    )
    start = time.perf_counter()
    sample = draw_inputs(x, s, c, draws=draws, seed=1)
    print(f"draw the inputs: {time.perf_counter() - start:.2f} s")
    timed("compromise", compromise_position, *sample)
    timed("weighted median", weighted_median, *sample)
    t = timed(f"expected utility, {rounds} round(s)", run_eum, *sample, rounds=rounds, record=False)
    print(f"  per draw-issue-round: {t / (draws * m * rounds) * 1e6:.1f} µs")
    few = max(1, draws // 10)
    part = tuple(a[:few] for a in sample)
    t8 = timed(f"expected utility, 8 rounds, {few:,} draws", run_eum, *part, rounds=8, record=False)
    print(f"  8 rounds on {draws:,} draws, extrapolated: {t8 * draws / few:.1f} s")
    t8p = timed(
        f"expected utility as printed (pairwise P, linear votes), 8 rounds, {few:,} draws",
        run_eum,
        *part,
        rounds=8,
        options=EUMOptions.as_printed(),
        record=False,
    )
    print(f"  extrapolated to {draws:,} draws: {t8p * draws / few:.1f} s")


if __name__ == "__main__":
    main()
