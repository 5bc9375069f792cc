"""zopa's exchange model against decide-exchange-model 2025.3.1 on copenhagen's 10 rounds.

Run by hand::

    .venv/bin/python benchmarks/bench_exchange.py [--decide-python PATH | --python313 PATH]
        [--rounds 10] [--keep-env] [--skip-decide]

The issue-9 target: the exchange model at least 20 times faster than decide (model only: 10 rounds
on ``copenhagen.csv``, 11 actors × 7 issues) in the same run. decide needs Python 3.13. With
``--decide-python`` the benchmark uses that interpreter (which must have
``decide-exchange-model==2025.3.1``); otherwise it installs decide with pip into a throw-away
virtual environment made with ``--python313`` (default ``python3.13``) under
``~/.cache/zopa-bench/decide-2025.3.1``, removed after the run unless ``--keep-env``. When neither
works (or with ``--skip-decide``) the ratio is taken against the issue's figure, 2.4 s, and the
output says so.

decide (https://github.com/foarsitter/decide-exchange-model, GPL-3.0) is never a zopa dependency
and none of its code is used here: ``_decide_side.py`` calls its public API in its own process.

Timed: zopa's :func:`zopa.forecast.exchange.forecast_exchange_for` on the loaded scenario, float
arithmetic (the default) and ``arithmetic="decimal"`` (decide's 28-digit decimals), each the median
of runs lasting at least 1 s in all; decide's median of 3 repeats of building the model from the
parsed file and running the rounds. The outcomes of every round must equal decide's to 1e-9 with
decimal arithmetic (exit code 1 otherwise); for floats the rounds that match are printed (they part
at decide's first tie decided by rounding, round 2 on copenhagen).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from zopa.forecast.exchange import forecast_exchange_for
from zopa.io import load_scenario

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "forecast" / "decide" / "copenhagen.csv"
SIDE = Path(__file__).resolve().parent / "_decide_side.py"
DECIDE_VERSION = "2025.3.1"
ISSUE_FIGURE = 2.4  # seconds, decide's model-only 10 rounds on copenhagen (issue 9)
TARGET = 20.0


def median_time(func: Callable[[], object], *, at_least: float = 1.0, runs: int = 5) -> float:
    times: list[float] = []
    while len(times) < runs or sum(times) < at_least:
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def decide_python(args: argparse.Namespace) -> tuple[Path | None, Path | None, str]:
    """The interpreter to run decide with, the throw-away env made for it, and why not."""
    if args.skip_decide:
        return None, None, "--skip-decide"
    if args.decide_python:
        return Path(args.decide_python), None, ""
    env = Path.home() / ".cache" / "zopa-bench" / f"decide-{DECIDE_VERSION}"
    python = env / "bin" / "python"
    created = False
    if not python.exists():
        base = shutil.which(args.python313) or args.python313
        try:
            subprocess.run([base, "-m", "venv", str(env)], check=True, capture_output=True)
            created = True
            subprocess.run(
                [
                    str(python),
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    f"decide-exchange-model=={DECIDE_VERSION}",
                ],
                check=True,
                capture_output=True,
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            if created:
                shutil.rmtree(env, ignore_errors=True)
            return None, None, f"could not install decide with {args.python313}: {exc}"
    return python, env if created and not args.keep_env else None, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--decide-python", help="a Python with decide-exchange-model installed")
    parser.add_argument(
        "--python313", default="python3.13", help="Python 3.13 to make decide's env"
    )
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--keep-env", action="store_true", help="keep the throw-away environment")
    parser.add_argument("--skip-decide", action="store_true", help="compare with the 2.4 s figure")
    args = parser.parse_args()

    scenario = load_scenario(DATA)
    rounds = args.rounds
    fast = forecast_exchange_for(scenario, rounds=rounds)
    exact = forecast_exchange_for(scenario, rounds=rounds, arithmetic="decimal")
    t_float = median_time(lambda: forecast_exchange_for(scenario, rounds=rounds))
    t_decimal = median_time(
        lambda: forecast_exchange_for(scenario, rounds=rounds, arithmetic="decimal")
    )
    print(
        f"copenhagen.csv: {len(scenario.stakeholders)} actors × {scenario.n_issues} issues, {rounds} rounds"
    )
    print(f"zopa float    {t_float * 1e3:9.1f} ms   ({len(fast.trades)} exchanges)")
    print(f"zopa decimal  {t_decimal * 1e3:9.1f} ms   ({len(exact.trades)} exchanges)")

    python, throwaway, why = decide_python(args)
    status = 0
    try:
        if python is not None:
            out = subprocess.run(
                [str(python), str(SIDE), str(DATA), str(rounds), "3"],
                check=True,
                capture_output=True,
                text=True,
            )
            side = json.loads(out.stdout)
            t_decide = statistics.median(side["seconds"])
            ref = np.array([list(o.values()) for o in side["outcomes"]])
            gap_exact = np.abs(exact.outcomes - ref).max(axis=1)
            gap_fast = np.abs(fast.outcomes - ref).max(axis=1)
            same = int(np.argmax(gap_fast > 1e-9)) if (gap_fast > 1e-9).any() else rounds
            print(f"decide {side['version']} {t_decide * 1e3:9.1f} ms   (median of 3, same run)")
            print(
                f"decimal outcomes vs decide: max |diff| {gap_exact.max():.2e} over {rounds} rounds"
            )
            print(f"float outcomes equal decide's (1e-9) for rounds 1..{same}")
            if gap_exact.max() > 1e-9:
                status = 1
        else:
            t_decide = ISSUE_FIGURE
            print(f"decide not run ({why}): using the issue's figure, {ISSUE_FIGURE} s")
        ratio_f, ratio_d = t_decide / t_float, t_decide / t_decimal
        print(
            f"ratio decide / zopa float:   {ratio_f:7.1f}x  (target >= {TARGET:g}x: {'met' if ratio_f >= TARGET else 'NOT met'})"
        )
        print(f"ratio decide / zopa decimal: {ratio_d:7.1f}x")
        if python is not None:
            print(
                f"ratio issue figure {ISSUE_FIGURE} s / zopa float: {ISSUE_FIGURE / t_float:7.1f}x"
            )
    finally:
        if throwaway is not None:
            shutil.rmtree(throwaway, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
