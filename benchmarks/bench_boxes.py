"""Time of the exact Pareto frontier of hyper-rectangle (ANAC 2014 "nonlinear") scenarios.

Run by hand: ``python benchmarks/bench_boxes.py`` (needs the ``exact`` extra: SciPy's HiGHS).
For each domain it prints the wall time of one (SciPy imported beforehand) :func:`zopa.analysis.boxes.box_frontier` run (and
the CPU time of this process, which HiGHS's threads add to), the number of frontier points, of
mixed-integer programmes, of binary variables after merging option classes, and of box
variables. Domains:

- the two shared ANAC 2014 10-issue domains (``tests/data/domains/anac2014-*``, 10^10 outcomes),
  with GENIUS's ``pareto.xml`` held against the result (points on the exact frontier, dominated,
  missing): as :func:`~zopa.analysis.frontier.frontier_of` computes them (their option classes
  leave few enough combinations to enumerate) and by the programmes alone;
- generated domains of the same shape (:func:`zopa.model.generate.random_box_scenario`: integer
  issues of 10 values, boxes bounding 1-4 issues, values 1-99, ``max_utility`` at 0.7 of the sum):
  10 issues with 20 boxes per profile (as ANAC's 10-issue ones), and 30 and 40 issues with 60 and 80
  boxes per profile, a few seeds each.

The prototype of issue 12 took 0.7-1.3 s for the 10-issue ANAC domains and 6-120 s for the 30- and
40-issue ones, with a generic solver; the issue asks for at most 1 s and 10 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from zopa.analysis.boxes import box_frontier
from zopa.analysis.frontier import check_frontier
from zopa.io import load_scenario
from zopa.io.genius import read_pareto_file
from zopa.model import Scenario
from zopa.model.generate import random_box_scenario

DOMAINS = Path(__file__).resolve().parent.parent / "tests" / "data" / "domains"
SHARED = ["anac2014-10issues", "anac2014-10issuesDiscountedwithRV"]
#: (issues, boxes per profile, seeds)
GENERATED = [
    (10, 20, (1, 2, 3)),
    (30, 60, (1, 2, 3)),
    (30, 80, (1, 2, 3)),
    (40, 60, (1, 2, 3)),
    (40, 80, (1, 2, 3)),
]


def run(
    name: str, scenario: Scenario, reference: Path | None = None, *, solve: bool = False
) -> None:
    """One frontier; ``solve`` forces the programmes even where the option classes are few."""
    limit = {"enumeration_limit": 0} if solve else {}
    wall, cpu = time.perf_counter(), time.process_time()
    front, stats = box_frontier(scenario, stats=True, **limit)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    how = (
        f"{stats.programmes:3d} MILPs  {stats.binaries:4d} binaries  {stats.boxes:4d} boxes"
        if stats.programmes
        else f"classes enumerated ({stats.binaries} classes)"
    )
    line = f"{name:<48} {wall:8.3f} s wall {cpu:8.3f} s cpu  {len(front):3d} points  {how}"
    if reference is not None:
        check = check_frontier(read_pareto_file(reference), front, source=reference.name)
        line += (
            f"  pareto.xml: {check.on_frontier}/{check.size} on it, {check.dominated} dominated, "
            f"{check.missing} missing"
        )
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed per generated shape")
    args = parser.parse_args()
    import scipy.optimize  # noqa: F401  (imported once, before any timing)

    for folder in SHARED:
        scenario = load_scenario(DOMAINS / folder)
        run(folder, scenario, DOMAINS / folder / "pareto.xml")
        run(f"{folder} (MILPs)", scenario, DOMAINS / folder / "pareto.xml", solve=True)
    for issues, boxes, seeds in GENERATED:
        for seed in seeds[:1] if args.quick else seeds:
            scenario = random_box_scenario(issues, boxes=boxes, seed=seed)
            run(f"generated {issues} issues x {boxes} boxes, seed {seed}", scenario)


if __name__ == "__main__":
    main()
