"""Time and peak memory of the exact Pareto frontier on random additive scenarios.

Run by hand: ``python benchmarks/bench_frontier.py``. For each bilateral size it prints the best
wall time of a few runs, the peak memory NumPy and Python allocated during one run (tracemalloc),
and the number of frontier points; for the spaces small enough to enumerate it also times the
enumeration engine on the same scenario and checks that both agree. Then the Nash point of the
``10**6`` case (the frontier point maximising the product of gains over a reservation of 0).
Last, scenarios of three to five parties (:data:`MULTI`): the median of many runs of the exact
frontier, and the enumeration engine on the same scenario, which must give the same frontier.
"""

from __future__ import annotations

import math
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from zopa.analysis import Frontier, frontier_of, pareto_frontier, pareto_frontier_enumerated
from zopa.model import Scenario, random_scenario

SIZES = [(6, 10), (7, 10), (30, 10), (50, 10)]
SEED = 20_240_601
REPEATS = 3
#: (issues, options, parties, seed) of the multi-party cases; 5 x 12 x 5 parties is the
#: 248,832-outcome scenario of issue 7, with a few seeds because its frontier size varies.
MULTI = [
    (6, 10, 3, SEED),
    (7, 10, 3, SEED),
    (6, 10, 4, SEED),
    (5, 12, 5, 1),
    (5, 12, 5, 2),
    (5, 12, 5, 3),
]


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


def median_time(run: Callable[[], object], min_runs: int = 5, min_seconds: float = 0.5) -> float:
    """Median wall time of at least ``min_runs`` runs lasting ``min_seconds`` (after a warm-up)."""
    run()
    times: list[float] = []
    began = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - began < min_seconds:
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def multi_party() -> None:
    print(
        f"\n{'scenario':<14} {'seed':>9} {'parties':>7} {'outcomes':>10} {'exact':>10} "
        f"{'enumerated':>11} {'points':>7}"
    )
    for issues, options, parties, seed in MULTI:
        scenario = random_scenario(issues, options, parties=parties, seed=seed)
        tables = scenario.value_tables()
        frontier = pareto_frontier(tables)
        seconds = median_time(lambda t=tables: pareto_frontier(t))
        start = time.perf_counter()
        enumerated = pareto_frontier_enumerated(scenario)
        enum_seconds = time.perf_counter() - start
        same = "same" if enumerated == frontier else "DIFFERENT"
        print(
            f"{scenario.name:<14} {seed:>9} {parties:>7} {scenario.n_outcomes:>10,} "
            f"{seconds * 1e3:>8.2f}ms {enum_seconds:>10.2f}s {len(frontier):>7} ({same})"
        )


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
    multi_party()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
