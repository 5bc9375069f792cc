"""``zopa tournament FILE --db results.duckdb``: play a tournament file into a DuckDB database,
serially, on local processes or on a Dask cluster; run it again to resume after a stop."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from zopa.cli.guard import guarded

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario
    from zopa.model.tournament import TournamentConfig

_SCENARIO_SUFFIXES = {".yaml", ".yml", ".json", ".xml"}


def load_scenarios(config: TournamentConfig) -> dict[str, Scenario]:
    """The tournament's scenarios by key, loaded with :func:`zopa.io.load_scenario`.

    A relative path is read from the tournament file's folder; a name that is no file there is
    a bundled scenario. A folder that holds no scenario file but folders is a folder of
    scenarios: each of its folders is one, keyed ``KEY/FOLDER``.
    """
    from zopa.io import bundled_scenarios, load_scenario
    from zopa.model.errors import ScenarioError

    base = Path(config.source).parent if config.source else Path()
    out: dict[str, Scenario] = {}
    for i, spec in enumerate(config.scenarios):
        path = Path(spec.spec)
        if not path.is_absolute():
            path = base / path
        where = {"source": config.source, "line": spec.line, "path": f"scenarios[{i}]"}
        if not path.exists():
            if spec.spec in bundled_scenarios():
                out[spec.key] = load_scenario(spec.spec)
                continue
            raise ScenarioError(
                f'expected a bundled scenario name, a file or a folder, got "{spec.spec}" '
                f"(no such file or folder in {base or '.'}; bundled: "
                f"{', '.join(bundled_scenarios())})",
                **where,  # type: ignore[arg-type]
            )
        if path.is_dir() and not any(
            p.is_file() and p.suffix.lower() in _SCENARIO_SUFFIXES for p in path.iterdir()
        ):
            folders = sorted(p for p in path.iterdir() if p.is_dir())
            if not folders:
                raise ScenarioError(
                    f"expected a scenario folder or a folder of scenario folders, got {path} "
                    "with neither",
                    **where,  # type: ignore[arg-type]
                )
            for folder in folders:
                out[f"{spec.key}/{folder.name}"] = load_scenario(folder)
            continue
        out[spec.key] = load_scenario(path)
    return out


def make_runner(workers: int | None, dask_local: int | None, dask: str | None) -> Any:
    """The runner the flags ask for (at most one of them)."""
    from zopa.model.errors import ArgumentError
    from zopa.negotiation.tournament import DaskRunner, ProcessRunner, SerialRunner

    given = [
        f for f, v in (("--workers", workers), ("--dask-local", dask_local), ("--dask", dask)) if v
    ]
    if len(given) > 1:
        raise ArgumentError(f"{given[1]}: expected one of --workers, --dask-local, --dask, got two")
    if dask_local is not None:
        return DaskRunner(local=dask_local)
    if dask is not None:
        if not dask.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise ArgumentError(
                f'--dask: expected a scheduler address tcp://HOST:PORT, got "{dask}"'
            )
        return DaskRunner(dask)
    if workers is not None and workers > 1:
        return ProcessRunner(workers)
    return SerialRunner()


def register(app: typer.Typer) -> None:
    @app.command()
    @guarded
    def tournament(
        file: Annotated[str, typer.Argument(help="The tournament file (YAML).")],
        db: Annotated[
            str, typer.Option("--db", help="The DuckDB results file (created, or resumed).")
        ] = "results.duckdb",
        workers: Annotated[
            int | None, typer.Option("--workers", help="Play on N local processes.")
        ] = None,
        dask_local: Annotated[
            int | None,
            typer.Option("--dask-local", help="Play on a local Dask cluster of N processes."),
        ] = None,
        dask: Annotated[
            str | None,
            typer.Option("--dask", help="Play on the Dask cluster at tcp://HOST:PORT."),
        ] = None,
        traces: Annotated[
            bool, typer.Option("--traces", help="Also store every action (table traces).")
        ] = False,
        quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    ) -> None:
        """Play every negotiation of a tournament file into a DuckDB database. Rows are
        committed as negotiations finish; run the same command again to finish a stopped run."""
        from zopa.io.tournament import read_tournament
        from zopa.model.errors import ArgumentError
        from zopa.negotiation.store import ResultStore, duckdb_module
        from zopa.negotiation.tournament import build_agents, plan_tournament, run_tournament

        if workers is not None and workers < 1:
            raise ArgumentError(f"--workers: expected an integer >= 1, got {workers}")
        if dask_local is not None and dask_local < 1:
            raise ArgumentError(f"--dask-local: expected an integer >= 1, got {dask_local}")
        duckdb_module()
        config = read_tournament(file)
        agents = build_agents(config)  # located errors before any scenario is loaded
        scenarios = load_scenarios(config)
        plan, entries = plan_tournament(config, scenarios, agents=agents, traces=traces)
        store = ResultStore(db, fingerprint=config.fingerprint(), traces=traces)
        try:
            done = store.done()
            todo = [e for e in entries if e.id not in done]
            counts: dict[str, int] = {}
            start = time.perf_counter()
            if todo:
                runner = make_runner(workers, dask_local, dask)
                try:
                    with progress_bar(len(entries), len(entries) - len(todo), quiet) as advance:

                        def on_row(row: Any) -> None:
                            store.add(row)
                            counts[row.status] = counts.get(row.status, 0) + 1
                            advance()

                        run_tournament(plan, todo, runner, on_row=on_row, collect=False)
                finally:
                    runner.close()
            store.flush()
            total = store.count()
        finally:
            store.close()
        seconds = time.perf_counter() - start
        played = sum(counts.values())
        shown = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none to play"
        rate = f", {played / seconds:,.0f}/s" if played and seconds > 0 else ""
        resumed = f" ({len(entries) - len(todo)} already done)" if len(todo) < len(entries) else ""
        print(
            f"tournament: {total} of {len(entries)} negotiations in {db}{resumed}; played "
            f"{played} in {seconds:.1f} s{rate}: {shown}"
        )


class progress_bar:
    """A Rich bar on stderr (negotiations done, rate, time left); nothing when ``quiet`` or when
    stderr is not a terminal."""

    def __init__(self, total: int, done: int, quiet: bool) -> None:
        self.total, self.done, self.quiet = total, done, quiet
        self.bar: Any = None

    def __enter__(self) -> Any:
        from rich.console import Console

        console = Console(stderr=True)
        if self.quiet or not console.is_terminal:
            return lambda: None
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("negotiations"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )
        self.bar.__enter__()
        task = self.bar.add_task("tournament", total=self.total, completed=self.done, rate="")
        started = time.perf_counter()
        count = [0]

        def advance() -> None:
            count[0] += 1
            elapsed = time.perf_counter() - started
            rate = f"{count[0] / elapsed:,.0f}/s" if elapsed > 0 else ""
            self.bar.update(task, advance=1, rate=rate)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)
        sys.stderr.flush()
