"""The NegMAS half of ``bench_negmas.py``: run with the throw-away NegMAS environment's Python.

Not part of zopa and never imported by it. It only calls NegMAS's public API (``make_issue``,
``make_os``, ``LinearAdditiveUtilityFunction``, ``pareto_frontier``, ``nash_points``) the way a
NegMAS user would, on a scenario given as plain JSON::

    {"issues": [{"name": "i0", "options": ["o0", ...]}, ...],
     "parties": [{"name": "A", "weights": [...], "values": [[...], ...]}, ...]}

Usage: ``python _negmas_side.py SCENARIO.json [REPEATS]`` prints one JSON object on stdout: the
NegMAS version, the wall times of each step (``time.perf_counter``; the frontier and the Nash point
are computed ``REPEATS`` times, default 1, each from scratch), the process's resident memory before
the computation and its peak (``getrusage``), the frontier's utility vectors, and the Nash points.
"""

from __future__ import annotations

import itertools
import json
import resource
import statistics
import sys
import time
from pathlib import Path


def _rss_now_mib() -> float:
    """Current resident set size, from /proc (Linux), in MiB; NaN elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def _peak_rss_mib() -> tuple[float, float]:
    """Peak resident set size of this process and of its waited-for children, in MiB."""
    scale = 1 / 2**20 if sys.platform == "darwin" else 1 / 2**10  # bytes on macOS, KiB on Linux
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale
    return own, children


def main(path: str, repeats: int = 1) -> None:
    import negmas
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction, nash_points, pareto_frontier

    spec = json.loads(Path(path).read_text())
    rss_start = _rss_now_mib()

    start = time.perf_counter()
    issues = [make_issue(list(issue["options"]), issue["name"]) for issue in spec["issues"]]
    space = make_os(issues)
    ufuns = []
    for party in spec["parties"]:
        values = [
            dict(zip(issue["options"], row, strict=True))
            for issue, row in zip(spec["issues"], party["values"], strict=True)
        ]
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=values,
                weights=list(party["weights"]),
                outcome_space=space,
                reserved_value=0.0,
                name=party["name"],
            )
        )
    build_s = time.perf_counter() - start

    # The frontier, enumerating every outcome of the ufuns' outcome space (NegMAS's default).
    rss_before = _rss_now_mib()
    frontier_times: list[float] = []
    frontier_cpu: list[float] = []
    for _ in range(repeats):
        start, cpu_start = time.perf_counter(), time.process_time()
        frontier, indices = pareto_frontier(ufuns)
        frontier_times.append(time.perf_counter() - start)
        frontier_cpu.append(time.process_time() - cpu_start)

    # The Nash point with the disagreement point (0, ..., 0), as zopa's reservation of zeros:
    # NegMAS measures gains from the reserved value only where it lies within the given range, so
    # the ranges start at 0 (the upper ends do not enter the product).
    nash_times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        nash_zero = nash_points(ufuns, frontier, ranges=[(0.0, 1.0)] * len(ufuns))
        nash_times.append(time.perf_counter() - start)

    # NegMAS's default call: gains from each ufun's minimum over the outcome space when the
    # reserved value (0 here) lies below it.
    start = time.perf_counter()
    nash_default = nash_points(ufuns, frontier, outcome_space=space)
    nash_default_s = time.perf_counter() - start
    own_peak, children_peak = _peak_rss_mib()
    ranges = [ufun.minmax(space, above_reserve=False) for ufun in ufuns]

    # Outside the timings: the option codes of the Nash outcomes (outcomes are enumerated in
    # itertools.product order, the last issue fastest, as zopa does).
    def codes(frontier_index: int) -> list[int]:
        outcome_index = int(indices[frontier_index])
        outcome = next(itertools.islice(space.enumerate(), outcome_index, None))
        return [
            list(issue["options"]).index(value)
            for issue, value in zip(spec["issues"], outcome, strict=True)
        ]

    def points(found: tuple) -> list[dict[str, object]]:
        return [{"utilities": [float(x) for x in point], "outcome": codes(i)} for point, i in found]

    json.dump(
        {
            "version": negmas.__version__,
            "outcomes": int(space.cardinality),
            "build_s": build_s,
            "repeats": repeats,
            "frontier_s": statistics.median(frontier_times),
            "frontier_times_s": frontier_times,
            "frontier_cpu_s": statistics.median(frontier_cpu),
            "nash_s": statistics.median(nash_times),
            "nash_times_s": nash_times,
            "nash_default_s": nash_default_s,
            "rss_start_mib": rss_start,
            "rss_before_mib": rss_before,
            "peak_rss_mib": own_peak,
            "children_peak_rss_mib": children_peak,
            "frontier": [[float(x) for x in point] for point in frontier],
            "nash": points(nash_zero),
            "nash_default": points(nash_default),
            "default_disagreement": [float(lo) for lo, _ in ranges],
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python _negmas_side.py SCENARIO.json [REPEATS]")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 1)
