"""A 10,000-negotiation tournament serially, on 2 local processes and on a 2-worker local Dask
cluster: wall time of each (rows committed to DuckDB as they arrive, as ``zopa tournament``
does), the two ratios, and the per-negotiation costs behind the back-of-envelope in
``docs/howto-run-a-tournament.md``.

Usage::

    PYTHONPATH=src python benchmarks/bench_tournament.py [--n 10000] [--workers 2]

The tournament: the agents boulware, conceder, linear and hardliner on every ordered pair of
seats, on the bundled mexico-us-2017 scenario (7 issues, 2,592 outcomes) and GENIUS's
anac2010-Travel (tests/data/domains), 40-round deadlines, repeated until ``--n``
negotiations. Each runner plays the same list; the script checks the rows are identical.
The worker processes and the Dask cluster are started before the clock starts (their start-up
times are printed apart); ``--repeat 2`` interleaves two rounds and keeps each runner's fastest.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def living_children_cpu() -> float:
    """CPU seconds of the living descendants of this process (0 without /proc)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return 0.0
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry.name)] = int(fields[1])
        ticks[int(entry.name)] = int(fields[11]) + int(fields[12])  # utime + stime
    me = os.getpid()
    total = 0
    for pid in parent:
        p = parent[pid]
        while p > 1 and p != me:
            p = parent.get(p, 0)
        if p == me:
            total += ticks[pid]
    return total / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="negotiations (at least)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="play each runner this many times, interleaved, and keep the fastest (on a "
        "machine shared with other jobs)",
    )
    args = parser.parse_args()

    from zopa.io import load_scenario
    from zopa.model.tournament import AgentSpec, ScenarioSpec, TournamentConfig
    from zopa.negotiation.store import ResultStore
    from zopa.negotiation.tournament import (
        DaskRunner,
        ProcessRunner,
        SerialRunner,
        plan_tournament,
        run_tournament,
    )

    scenarios = {
        "mexico-us-2017": load_scenario("mexico-us-2017"),
        "travel": load_scenario(ROOT / "tests" / "data" / "domains" / "anac2010-Travel"),
    }
    agents = ("boulware", "conceder", "linear", "hardliner")
    per_round = len(scenarios) * len(agents) * (len(agents) - 1)
    config = TournamentConfig(
        agents=tuple(AgentSpec(agent=a) for a in agents),
        scenarios=tuple(ScenarioSpec(spec=k, key=k) for k in scenarios),
        repetitions=math.ceil(args.n / per_round),
        rounds=40,
        seed=0,
    )
    plan, entries = plan_tournament(config, scenarios)
    n = len(entries)
    print(
        f"{n:,} negotiations ({len(agents)} agents, {len(scenarios)} scenarios, "
        f"{config.repetitions} repetitions), {os.cpu_count()} cores, "
        f"load {os.getloadavg()[0]:.2f}"
    )

    results: dict[str, tuple[float, list[Any]]] = {}
    cpu: dict[str, float] = {}

    def used() -> float:
        """CPU seconds of this process and all its descendants, living or ended (Linux /proc;
        falls back to getrusage, which sees only ended children)."""
        me = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        total = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
        return total + living_children_cpu()

    with tempfile.TemporaryDirectory() as folder:

        def timed(name: str, runner: Any, before: float | None = None) -> None:
            db = Path(folder) / f"{name}.duckdb"
            db.unlink(missing_ok=True)
            cpu_start = used() if before is None else before
            start = time.perf_counter()
            with ResultStore(db, fingerprint=config.fingerprint()) as store:
                rows = run_tournament(plan, entries, runner, on_row=store.add)
            seconds = time.perf_counter() - start
            cpu_used = used() - cpu_start
            size = db.stat().st_size
            print(
                f"{name:>10}: {seconds:7.1f} s  {n / seconds:6.0f} negotiations/s  "
                f"db {size / n:,.0f} bytes/row  CPU {cpu_used:6.1f} s, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            if name not in results or seconds < results[name][0]:
                results[name] = (seconds, rows)
                cpu[name] = cpu_used

        # both pools of workers are started before the clock, and kept across repeats
        begin = time.perf_counter()
        pool = ProcessRunner(args.workers)
        pool.start()
        pool_startup = time.perf_counter() - begin
        begin = time.perf_counter()
        dask = DaskRunner(local=args.workers)
        startup = time.perf_counter() - begin
        for _ in range(args.repeat):
            timed("serial", SerialRunner())
            timed("processes", pool)
            timed("dask", dask)
        pool.close()
        dask.close()
        serial_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"(CPU: this process and all its worker processes. Start-up, not in the times: processes {pool_startup:.1f} s, "
            f"Dask cluster {startup:.1f} s)"
        )

        # the costs behind the back-of-envelope
        rows = results["serial"][1]
        play = sum(r.seconds or 0.0 for r in rows) / n
        from zopa.negotiation.store import ResultStore as Store

        db = Path(folder) / "write.duckdb"
        start = time.perf_counter()
        with Store(db, fingerprint="bench") as store:
            store.add_all(rows)
        write = (time.perf_counter() - start) / n

    same = results["serial"][1] == results["processes"][1] == results["dask"][1]
    t_serial, t_proc, t_dask = (results[k][0] for k in ("serial", "processes", "dask"))
    print()
    print(f"rows identical across runners: {same}")
    print(
        f"{args.workers} processes / serial: {t_proc / t_serial:.2f} (ideal {1 / args.workers:.2f})"
    )
    print(f"Dask-local {args.workers} workers / {args.workers} processes: {t_dask / t_proc:.2f}")
    print(
        f"per negotiation: {play * 1e3:.2f} ms playing (engine, measured inside), "
        f"{t_serial / n * 1e3:.2f} ms end to end serially, {write * 1e6:.0f} µs to commit its row"
    )
    print(
        f"peak memory: {serial_rss / 1024:.0f} MB serial process, "
        f"{worker_rss / 1024:.0f} MB largest process worker"
    )
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
