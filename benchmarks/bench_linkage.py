"""Linkage sweeps: every agenda of a 12-issue bilateral scenario, and 2,000 robustness draws of the
flagship. Prints wall time (untraced run) and peak traced memory (a separate run); run by hand:

    .venv/bin/python benchmarks/bench_linkage.py

Targets (issue #3): all 2^12 agendas in under 5 s; 2,000 draws of mexico-us-2017 in under 10 s.
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from zopa.analysis.linkage import compare_agendas
from zopa.analysis.robustness import check_robustness
from zopa.io import load_scenario
from zopa.model import Scenario, random_scenario


def twelve_issues(seed: int = 0, options: int = 5) -> Scenario:
    return random_scenario(12, options, seed=seed, disagreement=0)


def measure(label: str, target: float, run: Callable[[], Any]) -> None:
    run()  # warm up imports and caches
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    # memory in a second, traced run (tracing slows Python down, so it is not timed)
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    verdict = "ok" if seconds < target else "SLOW"
    print(
        f"{label:<48} {seconds:8.2f} s  peak {peak / 2**20:7.1f} MiB  "
        f"target < {target:g} s: {verdict}  ({result})"
    )


def main() -> None:
    s12 = twelve_issues()
    measure(
        "all 2^12 agendas, 12 issues x 5 options, Nash",
        5.0,
        lambda: f"{len(compare_agendas(s12))} agendas",
    )
    flagship = load_scenario("mexico-us-2017")
    measure(
        "2,000 robustness draws of mexico-us-2017, Nash",
        10.0,
        lambda: (
            f"linkage helps Mexico in {check_robustness(flagship, draws=2000, seed=0).share_helped()[1]:.0%}"
        ),
    )


if __name__ == "__main__":
    main()
