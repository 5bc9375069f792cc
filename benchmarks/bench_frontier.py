"""Time and peak memory of the exact Pareto frontier on random bilateral additive scenarios.

Run by hand: ``python benchmarks/bench_frontier.py``. For each size it prints the best wall time
of a few runs, the peak memory NumPy and Python allocated during one run (tracemalloc), and the
number of frontier points; for the spaces small enough to enumerate it also times the enumeration
engine on the same scenario and checks that both agree. It ends with the Nash point of the
``10**6`` case (the frontier point maximising the product of gains over a reservation of 0).
"""

from __future__ import annotations

import math
import resource
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from zopa.analysis import Frontier, frontier_of, pareto_frontier_enumerated
from zopa.model import Scenario, random_scenario

SIZES = [(6, 10), (7, 10), (30, 10), (50, 10)]
SEED = 20_240_601
REPEATS = 3


def bilateral(issues: int, options: int, seed: int) -> Scenario:
    """Two parties, Dirichlet(1) weights, values uniform in [0, 1), all seeded."""
    return random_scenario(issues, options, seed=seed)


def measure(run: Callable[[], Frontier], repeats: int) -> tuple[Frontier, float, float]:
    """The result, the best wall time in seconds, and the traced peak memory in MiB."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, min(times), peak / 2**20


def main() -> None:
    print(
        f"{'scenario':<16} {'outcomes':>9} {'method':<11} {'time':>9} {'peak MiB':>9} {'points':>7}"
    )
    nash_case: tuple[Scenario, Frontier] | None = None
    for issues, options in SIZES:
        scenario = bilateral(issues, options, SEED + issues)
        exponent = round(math.log10(scenario.n_outcomes))
        frontier, seconds, peak = measure(lambda s=scenario: frontier_of(s), REPEATS)
        print(
            f"{scenario.name:<16} {'10^' + str(exponent):>9} {'additive':<11} "
            f"{seconds:>8.4f}s {peak:>9.2f} {len(frontier):>7}"
        )
        if scenario.n_outcomes <= 10_000_000:
            enumerated, seconds, peak = measure(lambda s=scenario: pareto_frontier_enumerated(s), 1)
            same = "same" if enumerated == frontier else "DIFFERENT"
            print(
                f"{'':<16} {'':>9} {'enumerated':<11} {seconds:>8.4f}s {peak:>9.2f} "
                f"{len(enumerated):>7} ({same})"
            )
        if scenario.n_outcomes == 10**6:
            nash_case = (scenario, frontier)

    if nash_case is not None:
        scenario, frontier = nash_case
        gains = frontier.utilities - 0.0  # reservation 0 for both parties
        best = int(np.argmax(np.prod(gains, axis=1)))
        u = frontier.utilities[best]
        print(
            f"\nNash point of {scenario.name}: utilities ({u[0]:.6f}, {u[1]:.6f}), "
            f"product {u[0] * u[1]:.6f}, outcome {frontier.outcomes[best].tolist()}"
        )
        everything = scenario.utilities(scenario.enumerate())
        print(
            f"largest product over all {scenario.n_outcomes:,} outcomes: "
            f"{np.prod(everything, axis=1).max():.6f} (brute-force check)"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
