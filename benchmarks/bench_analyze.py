"""Wall times of whole analyses against the issue-7 targets, each printed with PASS or MISS.

Run by hand::

    .venv/bin/python benchmarks/bench_analyze.py [--quick] [--runs N] [--profile]

Cases (targets from issue 7, on this project's 2-core machine):

a. ``zopa analyze mexico-us-2017`` end to end in a subprocess, with its default 2,000 robustness
   draws: median wall time <= 1.0 s;
b. ``zopa.analyze(scenario)`` in process on the same scenario (loaded once): median <= 0.3 s;
c. a generated 5-party additive scenario of 248,832 outcomes
   (``random_scenario(5, 12, parties=5, seed=1, disagreement=0)``) fully analysed in process
   (frontier, solutions, zone, linkage, leverage, robustness): <= 10 s;
d. ``zopa analyze`` on a bilateral additive scenario of 10^30 outcomes written to a temporary
   YAML file with ``zopa.save_scenario``, twice: with a disagreement option on every issue
   (``random_scenario(30, 10, seed=1, disagreement=0)``: linkage, issue by issue and 2,000
   robustness draws, each an exact 30-issue frontier) and with none
   (``random_scenario(30, 10, seed=1)``: frontier, solutions, zone, chips, leverage; no
   issue-by-issue baseline, so no linkage or robustness): median wall time <= 1.0 s;
e. ``zopa --help``: median wall time <= 0.3 s.

Only the stable public API is used: ``zopa.load_scenario``, ``zopa.save_scenario``,
``zopa.analyze``, ``zopa.model.random_scenario`` and the ``zopa`` command (the console script
beside this Python). Subprocess output goes to ``/dev/null``, so terminal rendering is not timed;
each subprocess case runs once untimed first (a warm disk cache, as for a user's second command).
In-process cases run on a fresh copy of the scenario each time (``dataclasses.replace``), so
nothing the scenario caches is reused from one run to the next. Medians are over ``--runs`` runs
(default 5; 3 with ``--quick``, which also times case c once); case c stops repeating after its
first run when that run alone exceeds the target. ``--profile`` prints where case c spends its
time (cProfile, top functions by cumulative time). Exit code 0, whatever the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import zopa
from zopa.model import random_scenario

FLAGSHIP = "mexico-us-2017"


@dataclasses.dataclass
class Figure:
    label: str
    target: float  # seconds
    times: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def met(self) -> bool:
        return self.median <= self.target


def zopa_command() -> list[str]:
    """The ``zopa`` console script of this environment (else the one on PATH)."""
    beside = Path(sys.executable).with_name("zopa.exe" if os.name == "nt" else "zopa")
    return [str(beside)] if beside.exists() else ["zopa"]


def wall(argv: Sequence[str], runs: int) -> list[float]:
    """Wall times of ``runs`` runs of a command (after one untimed run); stops on failure."""
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            tail = proc.stderr.decode(errors="replace").strip().splitlines()[-5:]
            raise RuntimeError(f"{' '.join(argv)} exited {proc.returncode}: " + " | ".join(tail))
    return times


def in_process(
    run: Callable[[], object], runs: int, stop_after: float | None = None
) -> list[float]:
    """Wall times of ``runs`` calls (warnings silenced); stops early once a run exceeds
    ``stop_after`` seconds."""
    times = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(runs):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
            if stop_after is not None and times[-1] > stop_after:
                break
    return times


def five_party() -> zopa.Scenario:
    return random_scenario(5, 12, parties=5, seed=1, disagreement=0)


def profile_five_party(top: int) -> str:
    """cProfile of one full analysis of the 5-party scenario, top functions by cumulative time."""
    scenario = five_party()
    profiler = cProfile.Profile()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        profiler.enable()
        zopa.analyze(scenario)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def fmt(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="fewer runs (3; case c once)")
    parser.add_argument("--runs", type=int, default=None, metavar="N", help="runs per case")
    parser.add_argument("--profile", action="store_true", help="profile case c afterwards")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 5)
    if runs < 1:
        parser.error(f"--runs: expected at least 1, got {runs}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = os.cpu_count() or 1
    print(
        f"zopa {zopa.__version__}, Python {sys.version.split()[0]}, {cores} cores, load {load:.2f}"
    )
    if load > cores / 2:
        print("warning: the machine is busy; wall times will be noisy")
    command = zopa_command()
    figures: list[Figure] = []

    print(f"a. zopa analyze {FLAGSHIP} ...", flush=True)
    figures.append(
        Figure(
            f"a. zopa analyze {FLAGSHIP} (2,000 draws), wall",
            1.0,
            wall([*command, "analyze", FLAGSHIP], runs),
        )
    )

    print("b. zopa.analyze in process ...", flush=True)
    flagship = zopa.load_scenario(FLAGSHIP)
    in_process(lambda: zopa.analyze(dataclasses.replace(flagship)), 1)  # warm up imports
    figures.append(
        Figure(
            f"b. zopa.analyze({FLAGSHIP}) in process",
            0.3,
            in_process(lambda: zopa.analyze(dataclasses.replace(flagship)), runs),
        )
    )

    scenario = five_party()
    print(f"c. 5 parties, {scenario.n_outcomes:,} outcomes, in process ...", flush=True)
    figures.append(
        Figure(
            f"c. 5 parties x {scenario.n_outcomes:,} outcomes, full analysis",
            10.0,
            in_process(
                lambda: zopa.analyze(dataclasses.replace(scenario)),
                1 if args.quick else runs,
                stop_after=10.0,
            ),
        )
    )

    with tempfile.TemporaryDirectory(prefix="zopa-bench-") as tmp:
        for label, disagreement in (("with disagreement options", 0), ("no disagreement", None)):
            big = random_scenario(30, 10, seed=1, disagreement=disagreement)
            path = Path(tmp) / f"bilateral-1e30-{disagreement}.yaml"
            zopa.save_scenario(big, path)
            print(f"d. zopa analyze on {big.n_outcomes:.0e} outcomes, {label} ...", flush=True)
            figures.append(
                Figure(
                    f"d. zopa analyze, bilateral, 10^30 outcomes, {label}, wall",
                    1.0,
                    wall([*command, "analyze", str(path)], 1 if disagreement == 0 else runs),
                )
            )

    print("e. zopa --help ...", flush=True)
    figures.append(Figure("e. zopa --help, wall", 0.3, wall([*command, "--help"], runs)))

    print()
    width = max(len(f.label) for f in figures)
    print(f"{'case':<{width}} {'median':>9} {'target':>8}  verdict  runs")
    for f in figures:
        spread = ", ".join(fmt(t) for t in f.times)
        print(
            f"{f.label:<{width}} {fmt(f.median):>9} {'<= ' + fmt(f.target):>8}  "
            f"{'PASS' if f.met else 'MISS':<7}  {len(f.times)} ({spread})"
        )
    met = sum(f.met for f in figures)
    print(f"\n{met} of {len(figures)} targets met.")

    if args.profile:
        print("\nWhere case c spends its time (one run under cProfile, which slows it down):")
        print(profile_five_party(top=35))
    return 0


if __name__ == "__main__":
    sys.exit(main())
