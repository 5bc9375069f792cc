"""zopa against NegMAS 0.16 on the exact Pareto frontier and Nash point of a large additive scenario.

Run by hand::

    .venv/bin/python benchmarks/bench_negmas.py [--outcomes 1e6] [--parties 2] [--repeats 3]
        [--keep-env] [--skip-negmas]

The issue-7 target is ``--parties 3 --outcomes 1e6``: zopa at least 1,000 times faster than NegMAS
on the frontier and the Nash point, with identical results.

NegMAS (https://github.com/yasserfarouk/negmas, AGPL) is never a zopa dependency and none of its
code is used here. The benchmark installs ``negmas==0.16.0`` with pip into a throw-away virtual
environment of its own (by default ``~/.cache/zopa-bench/negmas-0.16.0``, or ``--env PATH``),
reused when it already holds that version, and removed after the run when this run created it,
unless ``--keep-env``. NegMAS is then run in a separate process by ``_negmas_side.py``, which calls
only NegMAS's public API.

Steps:

1. A seeded random additive scenario (:func:`zopa.model.random_scenario`): ``log10(outcomes)``
   issues of 10 options each, ``--parties`` parties, Dirichlet(1) weights and uniform values. It is
   handed to NegMAS as plain JSON (weights and values written with ``repr``, so both tools see the
   same doubles; zopa's ``weight × value`` summed in issue order is exactly what NegMAS's
   ``LinearAdditiveUtilityFunction`` computes).
2. zopa: :func:`zopa.analysis.pareto_frontier` on ``scenario.value_tables()``; the Nash point
   settled on that frontier (:func:`zopa.analysis.settle`); and :func:`zopa.analysis.solve`
   ``(scenario, "nash", reservation=[0, ...])``, which computes its own frontier again. Each is timed as the median of at least 5 runs lasting at least 1 s, every run
   on a fresh copy of the scenario (so no cached table is reused), with the peak memory of one run
   traced by ``tracemalloc`` and the process's resident memory.
3. NegMAS: ``pareto_frontier(ufuns)`` (it enumerates every outcome) and
   ``nash_points(ufuns, frontier, ranges=...)`` with the disagreement point ``(0, ..., 0)``, each
   run ``--repeats`` times and timed as the median; also its default
   ``nash_points(ufuns, frontier, outcome_space=...)``, which measures gains from each ufun's
   minimum utility, compared with zopa's ``solve`` at that reservation.
4. The frontiers must hold the same utility vectors (sorted, to 1e-9; whether they are also
   bit-for-bit equal is printed) and the Nash points the same utilities (to 1e-9), else the exit
   code is 1. The speed ratio is NegMAS's median frontier + Nash time over zopa's median frontier
   + ``solve`` time (zopa's frontier is counted twice, as ``solve`` computes it again); the ratio
   with zopa's Nash point taken on the frontier it computed (as NegMAS's ``nash_points`` is) is
   printed beside it.

Exit codes: 0 results match (or ``--skip-negmas``), 1 results differ, 2 NegMAS could not be
installed or run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from zopa.analysis import Frontier, Solution, pareto_frontier, settle, solve
from zopa.model import AdditiveUtility, Scenario, random_scenario

NEGMAS_VERSION = "0.16.0"
SEED = 20_240_601
OPTIONS = 10
TOLERANCE = 1e-9
TARGET_SPEEDUP = 1000.0
SIDE_SCRIPT = Path(__file__).with_name("_negmas_side.py")
DEFAULT_ENV = Path.home() / ".cache" / "zopa-bench" / f"negmas-{NEGMAS_VERSION}"

T = TypeVar("T")


class BenchError(Exception):
    """NegMAS could not be installed or run (exit code 2)."""


# ---------------------------------------------------------------------------------- scenario
def generated(issues: int, options: int, parties: int, seed: int) -> Scenario:
    """Dirichlet(1) weights, values uniform in [0, 1), all from one seeded rng."""
    return random_scenario(issues, options, parties=parties, seed=seed)


def scenario_json(scenario: Scenario) -> dict[str, Any]:
    """The neutral form ``_negmas_side.py`` reads: issues with options, weights and values."""
    parties = []
    for party in scenario.parties:
        utility = party.utility
        assert isinstance(utility, AdditiveUtility)
        parties.append(
            {
                "name": party.name,
                "weights": list(utility.weights),
                "values": [list(row) for row in utility.values],
            }
        )
    return {
        "name": scenario.name,
        "issues": [{"name": i.name, "options": list(i.options)} for i in scenario.issues],
        "parties": parties,
    }


# ---------------------------------------------------------------------------------- memory
def rss_now_mib() -> float:
    """Current resident set size (Linux /proc), in MiB; NaN where unavailable."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return float("nan")
    return pages * resource.getpagesize() / 2**20


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB."""
    scale = 1 / 2**20 if sys.platform == "darwin" else 1 / 2**10
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


# ---------------------------------------------------------------------------------- zopa
@dataclasses.dataclass
class Timed:
    seconds: float  # median wall time
    best: float  # fastest run
    runs: int
    traced_peak_mib: float  # tracemalloc peak of one run


def timed(run: Callable[[], T], min_runs: int = 5, min_seconds: float = 1.0) -> tuple[T, Timed]:
    """The result, and the median time of at least ``min_runs`` runs lasting ``min_seconds``."""
    times: list[float] = []
    result = run()  # warm-up, not timed
    began = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - began < min_seconds:
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        if len(times) >= 1000:
            break
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, Timed(
        seconds=statistics.median(times),
        best=min(times),
        runs=len(times),
        traced_peak_mib=peak / 2**20,
    )


def run_zopa(scenario: Scenario, default_disagreement: list[float] | None) -> dict[str, Any]:
    """Time zopa's frontier and Nash point; the fresh copies keep cached tables out of reuse."""
    rss_before = rss_now_mib()
    zeros = [0.0] * scenario.n_parties

    def frontier_run() -> Frontier:
        return pareto_frontier(dataclasses.replace(scenario).value_tables())

    def frontier_nash_run() -> tuple[Frontier, Solution]:
        frontier = pareto_frontier(dataclasses.replace(scenario).value_tables())
        return frontier, settle(frontier, zeros, "nash")

    def solve_run() -> Solution:
        return solve(dataclasses.replace(scenario), "nash", reservation=zeros)

    frontier, frontier_t = timed(frontier_run)
    (_, on_frontier), both_t = timed(frontier_nash_run)
    nash, nash_t = timed(solve_run)
    out: dict[str, Any] = {
        "frontier": frontier,
        "frontier_t": frontier_t,
        "nash": nash,
        "nash_t": nash_t,
        "both_t": both_t,
        "nash_on_frontier": on_frontier,
        "rss_before_mib": rss_before,
        "peak_rss_mib": peak_rss_mib(),
    }
    if default_disagreement is not None:
        out["nash_default"] = solve(scenario, "nash", reservation=default_disagreement)
    return out


# ---------------------------------------------------------------------------------- negmas
def env_python(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def installed_version(env: Path) -> str | None:
    python = env_python(env)
    if not python.exists():
        return None
    probe = subprocess.run(
        [str(python), "-c", "import negmas, sys; sys.stdout.write(negmas.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    return probe.stdout.strip() if probe.returncode == 0 else None


def ensure_env(env: Path) -> bool:
    """Make ``env`` a virtual environment holding NegMAS; True when this call created it."""
    found = installed_version(env)
    if found == NEGMAS_VERSION:
        print(f"Reusing NegMAS {found} in {env}", flush=True)
        return False
    created = not env.exists()
    if not created and not (env / "pyvenv.cfg").exists():
        raise BenchError(f"{env} exists and is not a virtual environment; pass another --env")
    print(
        f"Installing negmas=={NEGMAS_VERSION} into {env} (a throw-away environment; "
        "the first time takes a few minutes)...",
        flush=True,
    )
    started = time.perf_counter()
    try:
        subprocess.run(
            [sys.executable, "-m", "venv", str(env)], check=True, capture_output=True, text=True
        )
        pip = subprocess.run(
            [
                str(env_python(env)),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                f"negmas=={NEGMAS_VERSION}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        if created:
            shutil.rmtree(env, ignore_errors=True)
        detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else exc
        raise BenchError(f"could not create a virtual environment in {env}: {detail}") from exc
    if pip.returncode != 0 or installed_version(env) != NEGMAS_VERSION:
        if created:
            shutil.rmtree(env, ignore_errors=True)
        tail = "\n".join((pip.stderr or pip.stdout).strip().splitlines()[-15:])
        raise BenchError(
            f"pip could not install negmas=={NEGMAS_VERSION} into {env} (is PyPI reachable?).\n"
            f"{tail}\nRun with --skip-negmas to time zopa alone."
        )
    print(f"Installed in {time.perf_counter() - started:.0f} s", flush=True)
    return created


def run_negmas(env: Path, scenario: Scenario, repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="zopa-bench-") as tmp:
        spec = Path(tmp) / f"{scenario.name}.json"
        spec.write_text(json.dumps(scenario_json(scenario)))
        print(
            f"Running NegMAS {NEGMAS_VERSION} on {scenario.n_outcomes:,} outcomes, "
            f"{repeats} time(s)...",
            flush=True,
        )
        return run_side(env, SIDE_SCRIPT, [str(spec), str(repeats)])


def run_side(env: Path, script: Path, args: list[str]) -> dict[str, Any]:
    """Run ``script`` with the NegMAS environment's Python and read the JSON of its last line."""
    proc = subprocess.run(
        [str(env_python(env)), str(script), *args], capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-20:])
        raise BenchError(f"the NegMAS run failed (exit code {proc.returncode}):\n{tail}")
    try:
        result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError) as exc:
        raise BenchError(f"could not read the NegMAS run's output: {proc.stdout[-500:]!r}") from exc
    return result


# ---------------------------------------------------------------------------------- checks
def compare_frontiers(
    zopa_u: npt.NDArray[np.float64], negmas_u: list[list[float]]
) -> tuple[list[str], bool]:
    """Problems found comparing the two frontiers (empty when they match), and whether the sorted
    utility vectors are bit-for-bit equal."""
    ours = zopa_u[np.lexsort(zopa_u.T[::-1])]
    theirs = np.asarray(negmas_u, dtype=float).reshape(-1, ours.shape[1])
    theirs = theirs[np.lexsort(theirs.T[::-1])]
    if ours.shape == theirs.shape:
        gap = float(np.abs(ours - theirs).max(initial=0.0))
        problems = [] if gap <= TOLERANCE else [f"frontier vectors differ by up to {gap:.3g}"]
        return problems, bool(np.array_equal(ours, theirs))
    # Different sizes: say which vectors have no counterpart within the tolerance.
    problems = [f"frontier sizes differ: zopa {len(ours)}, NegMAS {len(theirs)}"]
    for label, a, b in (("zopa", ours, theirs), ("NegMAS", theirs, ours)):
        near = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2).min(axis=1, initial=np.inf)
        lonely = a[near > TOLERANCE]
        if len(lonely):
            problems.append(f"{len(lonely)} {label} vectors have no match, e.g. {lonely[0]}")
    return problems, False


def compare_nash(label: str, zopa_nash: Solution, negmas_points: list[dict[str, Any]]) -> list[str]:
    if not negmas_points:
        return [f"{label}: NegMAS found no Nash point"]
    ours = np.asarray(zopa_nash.utilities)
    gaps = [float(np.abs(ours - np.asarray(p["utilities"])).max()) for p in negmas_points]
    if min(gaps) <= TOLERANCE:
        return []
    return [
        f"{label}: zopa {zopa_nash.utilities} {zopa_nash.outcome}, NegMAS "
        f"{negmas_points[0]['utilities']} {negmas_points[0]['outcome']}"
    ]


# ---------------------------------------------------------------------------------- report
def fmt_seconds(s: float) -> str:
    return f"{s * 1e3:.2f} ms" if s < 1 else f"{s:.2f} s"


def fmt_u(u: Any) -> str:
    return "(" + ", ".join(f"{float(x):.12f}" for x in u) + ")"


def parse_outcomes(text: str) -> int:
    value = float(text)
    issues = round(math.log10(value)) if value >= OPTIONS else 0
    if issues < 1 or OPTIONS**issues != value:
        raise argparse.ArgumentTypeError(f"expected a power of 10 such as 1e6, got {text}")
    return issues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--outcomes",
        dest="issues",
        type=parse_outcomes,
        default=6,
        metavar="N",
        help="size of the outcome space, a power of 10: log10(N) issues of 10 options (default 1e6)",
    )
    parser.add_argument(
        "--parties", type=int, default=2, metavar="N", help="number of parties (default 2)"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        metavar="N",
        help="NegMAS runs of the frontier and of the Nash point; the median counts (default 3)",
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"rng seed (default {SEED})")
    parser.add_argument(
        "--env",
        type=Path,
        default=DEFAULT_ENV,
        help=f"the throw-away NegMAS virtual environment (default {DEFAULT_ENV})",
    )
    parser.add_argument(
        "--keep-env",
        action="store_true",
        help="keep a NegMAS environment this run created, for the next run (default: remove it)",
    )
    parser.add_argument("--skip-negmas", action="store_true", help="time zopa alone")
    args = parser.parse_args(argv)
    if args.parties < 2:
        parser.error(f"--parties: expected at least 2, got {args.parties}")
    if args.repeats < 1:
        parser.error(f"--repeats: expected at least 1, got {args.repeats}")

    scenario = generated(args.issues, OPTIONS, args.parties, args.seed)
    print(
        f"Scenario {scenario.name}: {scenario.n_outcomes:,} outcomes, {args.parties} parties, "
        f"seed {args.seed}",
        flush=True,
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = os.cpu_count() or 1
    print(f"Machine: {cores} cores, load average {load:.2f}", flush=True)
    if load > cores / 2:
        print("warning: the machine is busy; wall times will be noisy", flush=True)

    negmas: dict[str, Any] | None = None
    if not args.skip_negmas:
        env = args.env.expanduser().resolve()
        created = False
        try:
            created = ensure_env(env)
            negmas = run_negmas(env, scenario, args.repeats)
        except BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        finally:
            if created and not args.keep_env:
                shutil.rmtree(env, ignore_errors=True)
                print(f"Removed {env} (pass --keep-env to keep it)", flush=True)

    print("Timing zopa...", flush=True)
    zopa = run_zopa(scenario, None if negmas is None else negmas["default_disagreement"])
    zf: Frontier = zopa["frontier"]
    zt_f: Timed = zopa["frontier_t"]
    zt_n: Timed = zopa["nash_t"]
    zt_b: Timed = zopa["both_t"]
    zopa_total = zt_f.seconds + zt_n.seconds
    zopa_rss_growth = zopa["peak_rss_mib"] - zopa["rss_before_mib"]

    print()
    header = (
        f"{'tool':<13} {'frontier':>10} {'Nash':>10} {'total':>10} {'peak MiB':>26} "
        f"{'frontier':>9}  Nash utilities (d = 0)"
    )
    print(header)
    print("-" * len(header))
    zopa_mem = (
        f"{max(zt_f.traced_peak_mib, zt_n.traced_peak_mib):.1f} traced, +{zopa_rss_growth:.0f} RSS"
    )
    print(
        f"{'zopa':<13} {fmt_seconds(zt_f.seconds):>10} {fmt_seconds(zt_n.seconds):>10} "
        f"{fmt_seconds(zopa_total):>10} {zopa_mem:>26} {len(zf):>9}  "
        f"{fmt_u(zopa['nash'].utilities)}"
    )
    print(
        f"{'':<13} (median of {zt_f.runs} / {zt_n.runs} runs; Nash = solve, which computes the "
        f"frontier again; frontier + Nash on it: {fmt_seconds(zt_b.seconds)}, "
        f"median of {zt_b.runs})"
    )
    problems: list[str] = []
    if negmas is not None:
        negmas_total = negmas["frontier_s"] + negmas["nash_s"]
        growth = negmas["peak_rss_mib"] - negmas["rss_before_mib"]
        negmas_mem = f"{negmas['peak_rss_mib']:.0f} RSS (+{growth:.0f})"
        nash_u = fmt_u(negmas["nash"][0]["utilities"]) if negmas["nash"] else "none"
        print(
            f"{'NegMAS ' + negmas['version']:<13} {fmt_seconds(negmas['frontier_s']):>10} "
            f"{fmt_seconds(negmas['nash_s']):>10} {fmt_seconds(negmas_total):>10} "
            f"{negmas_mem:>26} {len(negmas['frontier']):>9}  {nash_u}"
        )
        runs = ", ".join(fmt_seconds(t) for t in negmas["frontier_times_s"])
        print(f"{'':<13} (median of {negmas['repeats']} runs; frontier runs: {runs})")
        ratio = negmas_total / zopa_total
        print(
            f"\nspeed ratio NegMAS / zopa (frontier + Nash, medians): {ratio:,.0f}x "
            f"(target {TARGET_SPEEDUP:,.0f}x: {'met' if ratio >= TARGET_SPEEDUP else 'NOT met'}); "
            f"with zopa's Nash point taken on its frontier: {negmas_total / zt_b.seconds:,.0f}x; "
            f"frontier alone: {negmas['frontier_s'] / zt_f.seconds:,.0f}x"
        )
        print(
            f"peak memory: zopa {zopa['peak_rss_mib']:.0f} MiB resident for the whole process "
            f"(+{zopa_rss_growth:.0f} MiB while timing; tracemalloc peak of one run: frontier "
            f"{zt_f.traced_peak_mib:.2f} MiB, solve {zt_n.traced_peak_mib:.2f} MiB); NegMAS "
            f"{negmas['peak_rss_mib']:.0f} MiB resident (+{growth:.0f} MiB over the "
            f"{negmas['rss_before_mib']:.0f} MiB it had before the frontier; children "
            f"{negmas['children_peak_rss_mib']:.0f} MiB)"
        )
        print(
            f"NegMAS other steps: building the ufuns {fmt_seconds(negmas['build_s'])}, default "
            f"nash_points (with minmax) {fmt_seconds(negmas['nash_default_s'])}; CPU time of "
            f"its frontier {fmt_seconds(negmas['frontier_cpu_s'])}"
        )

        found, identical = compare_frontiers(zf.utilities, negmas["frontier"])
        problems += found
        zeros = "(" + ", ".join(["0"] * args.parties) + ")"
        problems += compare_nash(f"Nash, d = {zeros}", zopa["nash"], negmas["nash"])
        problems += compare_nash(
            "Nash, d = each ufun's minimum", zopa["nash_default"], negmas["nash_default"]
        )
        if zopa["nash_on_frontier"] != zopa["nash"]:
            problems.append("zopa's Nash point settled on its frontier differs from solve's")
        print(
            "\nComparison: both frontiers sorted lexicographically, equal sizes required and "
            f"every coordinate within {TOLERANCE:g} (NegMAS keeps one point per distinct "
            "utility vector and drops weakly dominated ones, as zopa does, so no deduplication "
            f"was applied); Nash utilities within {TOLERANCE:g} of one of NegMAS's Nash points "
            f"({len(negmas['nash'])} at d = 0), also for NegMAS's default disagreement point "
            f"{fmt_u(negmas['default_disagreement'])} (each ufun's minimum utility)."
        )
        same_nash = bool(negmas["nash"]) and any(
            p["utilities"] == list(zopa["nash"].utilities) for p in negmas["nash"]
        )
        print(
            f"bit-for-bit: frontier vectors {'identical' if identical else 'NOT identical'}, "
            f"Nash utilities {'identical' if same_nash else 'NOT identical'}"
        )
        print(
            f"zopa Nash outcome {list(zopa['nash'].outcome or ())}, NegMAS "
            f"{negmas['nash'][0]['outcome'] if negmas['nash'] else None}"
        )
        if problems:
            print("\nRESULTS DIFFER:")
            for problem in problems:
                print(f"  - {problem}")
            return 1
        print("\nResults match.")
    else:
        print(
            f"\npeak memory: {zopa['peak_rss_mib']:.0f} MiB resident for the whole process "
            f"(+{zopa_rss_growth:.0f} MiB while timing)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
