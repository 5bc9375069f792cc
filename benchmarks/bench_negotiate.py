"""zopa against NegMAS 0.16: Boulware against Conceder, 100-round alternating offers, on the same files.

Run by hand::

    .venv/bin/python benchmarks/bench_negotiate.py [--outcomes 1e3 1e4] [--domain FOLDER ...]
        [--rounds 100] [--batch 2000] [--negmas-runs 100] [--keep-env] [--skip-negmas]

The issue-10 target: zopa plays the pairing at least 100 times faster than NegMAS, in the same run,
on a ~1,000-outcome and a ~10,000-outcome scenario.

NegMAS (https://github.com/yasserfarouk/negmas, AGPL) is never a zopa dependency and none of its
code is used here: as ``bench_negmas.py`` does (its machinery is reused), ``negmas==0.16.0`` is
installed with pip into a throw-away virtual environment (``~/.cache/zopa-bench/negmas-0.16.0`` by
default, or ``--env``), reused when it already holds that version and removed after the run when
this run created it, unless ``--keep-env``; ``_negmas_negotiate_side.py`` runs NegMAS there.

Steps, for each scenario:

1. The files: a seeded random additive scenario (:func:`zopa.model.random_scenario`,
   ``log10(N)`` issues of 10 options, two parties) written as GENIUS XML
   (:func:`zopa.io.genius.write_genius`), or a GENIUS folder given with ``--domain``. Both tools
   read the same files (zopa with :func:`zopa.io.load_scenario`, NegMAS with
   ``Scenario.from_genius_files``), the first profile in the first seat. A line says whether
   NegMAS's ufuns give zopa's utilities for its agreement: they do on the generated files (whose
   evaluations are already on GENIUS's scale); on real GENIUS files NegMAS's reader may keep
   evaluations unnormalised, and then the speed comparison holds but the utilities do not.
2. zopa: GENIUS's Boulware party (e = 0.2) against its Conceder (e = 2), a deadline of
   ``--rounds`` rounds. The :class:`~zopa.negotiation.Arena` (both parties' rankings, the Pareto
   frontier and the Nash point) is built once per scenario and its time printed apart; then
   :func:`~zopa.negotiation.negotiate_many` plays ``--batch`` copies of the pairing at once (the
   vectorised engine), timed as the median of 7 batches. Also timed: the turn-by-turn engine
   (``negotiate(..., fast=False)``), and a batch whose exponents are all different (e drawn
   uniformly in [0.1, 3] for both seats), so that no bid schedule is shared; 50 of those are
   replayed turn by turn and must give the same results.
3. NegMAS: ``--negmas-runs`` negotiations of ``BoulwareTBNegotiator`` against
   ``ConcederTBNegotiator`` in a fresh ``SAOMechanism(n_steps=--rounds)`` each; the median run
   counts.
4. The ratio is zopa's negotiations per second over NegMAS's. The outcomes are printed side by
   side (agreement, round, utilities): NegMAS's time-based negotiators are not GENIUS's parties
   (the note printed at the end says how they differ), so they are reported, not required to
   match; a third row plays zopa's time-dependent party with the exponents of NegMAS's curves.

Exit codes: 0 ran (whatever the outcomes), 2 NegMAS could not be installed or run.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from bench_negmas import DEFAULT_ENV, BenchError, ensure_env, run_side

from zopa.io import load_scenario
from zopa.io.genius import is_genius_domain, is_genius_profile, write_genius
from zopa.io.safe import parse_xml
from zopa.model import Scenario, random_scenario
from zopa.negotiation import Arena, Deadline, Negotiation, negotiate, negotiate_many
from zopa.negotiation.agents import TimeDependentParty, agent

SEED = 20_261_202
OPTIONS = 10
TARGET_SPEEDUP = 100.0
SIDE_SCRIPT = Path(__file__).with_name("_negmas_negotiate_side.py")

NOTE = """\
How NegMAS 0.16's time-based negotiators differ from GENIUS's time-dependent parties (read from
NegMAS's documentation and docstrings; GENIUS from section 7 of the negotiation reference):
- curve: NegMAS aims at 1 - t^4 (Boulware) and 1 - t^0.25 (Conceder) of its utility range;
  GENIUS at 1 - t'^(1/e), i.e. 1 - t'^5 (e = 0.2) and 1 - t'^0.5 (e = 2);
- time: NegMAS t = (step + 1)/(n_steps + 1); GENIUS t' = (r - 1)/(R + 1), so GENIUS's first round
  aims at exactly 1;
- bid: NegMAS (stochastic=False) offers the worst outcome still above its aspiration level; GENIUS
  the outcome nearest the target by its bisection (which may lie below the target);
- accept: NegMAS accepts an offer worth at least its current aspiration level; GENIUS when its own
  next bid is worth strictly less than the offer;
- rounds: a NegMAS step gives both negotiators one action, like a GENIUS round, but NegMAS reports
  the 0-based step and GENIUS the 1-based round.
The third row (zopa, e = 1/4 and e = 4) gives zopa's GENIUS party NegMAS's curve exponents only;
the other differences remain, so it is not expected to match either."""


# ---------------------------------------------------------------------------------- scenarios
def scenario_files(outcomes: int, folder: Path, seed: int) -> list[Path]:
    issues = round(math.log10(outcomes))
    scenario = random_scenario(issues, OPTIONS, seed=seed)
    return write_genius(scenario, folder)


def genius_folder_files(folder: Path) -> list[Path]:
    """The domain file and the first two profiles (file-name order, as zopa seats them) of a
    GENIUS folder, classified by content as :func:`zopa.io.genius.read_genius_folder` does."""
    xml = sorted(p for p in folder.glob("*.xml") if p.name.lower() != "pareto.xml")
    roots = {p: parse_xml(p) for p in xml}
    domains = [p for p in xml if is_genius_domain(roots[p])]
    profiles = [p for p in xml if is_genius_profile(roots[p])]
    if len(domains) != 1 or len(profiles) < 2:
        raise BenchError(
            f"{folder}: expected one GENIUS domain and two profiles, "
            f"found {len(domains)} and {len(profiles)}"
        )
    return [domains[0], *profiles[:2]]


def load(files: list[Path]) -> Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. GENIUS's cap at 1 on some real files
        return load_scenario(*files)


# ---------------------------------------------------------------------------------- zopa
def median_of(run: Callable[[], Any], repeats: int = 7) -> tuple[Any, float]:
    """The result and the median wall time of ``repeats`` runs (NegMAS's runs count the same)."""
    result, times = None, []
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return result, statistics.median(times)


def run_zopa(scenario: Scenario, rounds: int, batch: int) -> dict[str, Any]:
    deadline = Deadline(rounds=rounds)
    start = time.perf_counter()
    arena = Arena.of(scenario)
    for k in range(scenario.n_parties):
        arena.ranking(k)
    arena.nash  # noqa: B018 - builds the frontier and the Nash point
    arena_s = time.perf_counter() - start
    pair = [agent("boulware"), agent("conceder")]
    negotiate_many(arena, [pair])  # warm-up: the per-arena utility tables
    results, fast_s = median_of(lambda: negotiate_many(arena, [pair] * batch, deadline))
    turns = max(20, batch // 50)
    _, slow_s = median_of(
        lambda: [
            negotiate(arena, pair, deadline=deadline, fast=False, trace=False) for _ in range(turns)
        ],
        repeats=3,
    )
    rng = np.random.default_rng(SEED)
    mixed = [
        [TimeDependentParty(e=float(x)), TimeDependentParty(e=float(y))]
        for x, y in rng.uniform(0.1, 3.0, (batch, 2))
    ]
    mixed_results, mixed_s = median_of(lambda: negotiate_many(arena, mixed, deadline), repeats=3)
    check = [negotiate(arena, m, deadline=deadline, fast=False, trace=False) for m in mixed[:50]]
    assert check == mixed_results[:50], "the engines disagree"
    assert all(r == results[0] for r in results)
    negmas_curves = negotiate(
        arena, [TimeDependentParty(e=0.25), TimeDependentParty(e=4.0)], deadline=deadline
    )
    return {
        "arena_s": arena_s,
        "fast_per_s": batch / fast_s,
        "slow_per_s": turns / slow_s,
        "mixed_per_s": batch / mixed_s,
        "result": negotiate(arena, pair, deadline=deadline),
        "negmas_curves": negmas_curves,
    }


# ---------------------------------------------------------------------------------- negmas
def run_negmas(env: Path, files: list[Path], runs: int, rounds: int) -> dict[str, Any]:
    return run_side(env, SIDE_SCRIPT, [*map(str, files), str(runs), str(rounds)])


# ---------------------------------------------------------------------------------- report
def fmt_u(u: Any) -> str:
    return "(" + ", ".join(f"{float(x):.6f}" for x in u) + ")"


def zopa_row(label: str, r: Negotiation) -> str:
    outcome = "none" if r.options is None else ",".join(r.options.values())
    return (
        f"  {label:<30} {'yes' if r.agreement else 'no':<9} {r.rounds:>5}  {r.time:>7.4f}  "
        f"{fmt_u(r.utilities):<22} {outcome}"
    )


def report(
    name: str, scenario: Scenario, zopa: dict[str, Any], negmas: dict[str, Any] | None
) -> None:
    print(f"\n== {name}: {scenario.n_outcomes:,} outcomes ==")
    print(
        f"zopa: arena (rankings, frontier, Nash point) built once in {zopa['arena_s'] * 1e3:.1f} ms; "
        f"vectorised engine {zopa['fast_per_s']:,.0f} negotiations/s "
        f"(all-different exponents: {zopa['mixed_per_s']:,.0f}/s); "
        f"turn-by-turn engine {zopa['slow_per_s']:,.0f}/s"
    )
    if negmas is not None:
        median = statistics.median(negmas["times_s"])
        per_s = 1.0 / median
        print(
            f"NegMAS {negmas['version']}: {per_s:,.1f} negotiations/s (median of "
            f"{len(negmas['times_s'])} runs, {median * 1e3:.2f} ms each; reading the files "
            f"{negmas['load_s'] * 1e3:.0f} ms, not counted)"
        )
        ratio = zopa["fast_per_s"] / per_s
        print(
            f"speed ratio zopa / NegMAS: {ratio:,.0f}x (target {TARGET_SPEEDUP:,.0f}x: "
            f"{'met' if ratio >= TARGET_SPEEDUP else 'NOT met'}); all-different exponents "
            f"{zopa['mixed_per_s'] / per_s:,.0f}x; turn-by-turn engine "
            f"{zopa['slow_per_s'] / per_s:,.1f}x"
        )
    print(
        f"  {'':<30} {'agreement':<9} {'round':>5}  {'time':>7}  {'utilities (A, B)':<22} outcome"
    )
    print(zopa_row("zopa boulware vs conceder", zopa["result"]))
    if negmas is not None:
        agreed = negmas["agreement"] is not None
        outcome = "none" if not agreed else ",".join(negmas["agreement"].values())
        print(
            f"  {'NegMAS Boulware vs Conceder':<30} {'yes' if agreed else 'no':<9} "
            f"{negmas['step'] + 1:>5}  {negmas['relative_time']:>7.4f}  "
            f"{fmt_u(negmas['utilities']):<22} {outcome}   (round = step + 1)"
        )
        if agreed:
            codes = [
                scenario.issues[k].options.index(v)
                for k, v in enumerate(negmas["agreement"].values())
            ]
            ours = Arena.of(scenario).problem.utilities(np.asarray(codes))
            print(
                f"  {'':<30} zopa's utilities of NegMAS's agreement: {fmt_u(ours)} "
                f"(both tools read the files alike: {alike(ours, negmas['utilities'])})"
            )
    print(zopa_row("zopa e=0.25 vs e=4 (NegMAS's)", zopa["negmas_curves"]))


def alike(ours: Any, theirs: Any) -> str:
    """Whether NegMAS's ufuns give zopa's utilities for its agreement; if not, their ratios (on
    some real GENIUS files NegMAS's reader keeps evaluations unnormalised, so its utilities are
    on another scale)."""
    a, b = np.asarray(ours, dtype=float), np.asarray(theirs, dtype=float)
    if np.allclose(a, b, rtol=0, atol=1e-9):
        return "yes"
    if np.all(a > 0) and np.all(np.isfinite(b)):
        return "no, NegMAS / zopa = " + ", ".join(f"{f:.6g}" for f in b / a)
    return "no"


def parse_outcomes(text: str) -> int:
    value = float(text)
    issues = round(math.log10(value)) if value >= OPTIONS else 0
    if issues < 1 or OPTIONS**issues != value:
        raise argparse.ArgumentTypeError(f"expected a power of 10 such as 1e3, got {text}")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n", 1)[0] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--outcomes",
        type=parse_outcomes,
        nargs="*",
        default=[1000, 10_000],
        metavar="N",
        help="generated scenarios of N outcomes, powers of 10 (default 1e3 1e4)",
    )
    parser.add_argument(
        "--domain", type=Path, nargs="*", default=[], metavar="FOLDER", help="GENIUS folders too"
    )
    parser.add_argument("--rounds", type=int, default=100, help="deadline in rounds (default 100)")
    parser.add_argument(
        "--batch", type=int, default=2000, help="negotiations per zopa batch (default 2000)"
    )
    parser.add_argument(
        "--negmas-runs", type=int, default=100, help="NegMAS negotiations (default 100)"
    )
    parser.add_argument("--seed", type=int, default=SEED, help=f"rng seed (default {SEED})")
    parser.add_argument("--env", type=Path, default=DEFAULT_ENV, help="the NegMAS environment")
    parser.add_argument("--keep-env", action="store_true", help="keep a NegMAS env this run made")
    parser.add_argument("--skip-negmas", action="store_true", help="time zopa alone")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.batch < 1 or args.negmas_runs < 1:
        parser.error("--rounds, --batch and --negmas-runs: expected integers >= 1")

    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    cores = os.cpu_count() or 1
    print(f"Machine: {cores} cores, load average {load_avg:.2f}", flush=True)
    if load_avg > cores / 2:
        print("warning: the machine is busy; wall times will be noisy", flush=True)
    env = args.env.expanduser().resolve()
    created = False
    try:
        if not args.skip_negmas:
            created = ensure_env(env)
        with tempfile.TemporaryDirectory(prefix="zopa-bench-") as tmp:
            cases: list[tuple[str, list[Path]]] = []
            for k, outcomes in enumerate(args.outcomes):
                folder = Path(tmp) / f"generated-{outcomes}"
                folder.mkdir()
                files = scenario_files(outcomes, folder, args.seed + k)
                cases.append((f"generated {files[0].name} (seed {args.seed + k})", files))
            for folder in args.domain:
                cases.append((str(folder), genius_folder_files(folder)))
            for name, files in cases:
                scenario = load(files)
                if scenario.n_parties != 2:
                    raise BenchError(f"{name}: expected two parties, got {scenario.n_parties}")
                negmas = None
                if not args.skip_negmas:
                    print(f"Running NegMAS on {name}...", flush=True)
                    negmas = run_negmas(env, files, args.negmas_runs, args.rounds)
                print(f"Timing zopa on {name}...", flush=True)
                zopa = run_zopa(scenario, args.rounds, args.batch)
                report(name, scenario, zopa, negmas)
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if created and not args.keep_env:
            shutil.rmtree(env, ignore_errors=True)
            print(f"Removed {env} (pass --keep-env to keep it)", flush=True)
    print()
    print(NOTE)
    return 0


if __name__ == "__main__":
    sys.exit(main())
