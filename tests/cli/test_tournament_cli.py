"""``zopa tournament`` and ``zopa leaderboard``: results in DuckDB, kill -9 and resume, one-line
errors, exports."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import zopa
from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.io.tournament import read_tournament
from zopa.negotiation.leaderboard import leaderboard
from zopa.negotiation.store import ResultStore
from zopa.negotiation.tournament import plan_tournament, run_tournament

runner = CliRunner()

SMALL = """\
agents: [boulware, conceder, {agent: linear, e: 0.5, as: half}]
scenarios: [mexico-us-2017, {scenario: genius, as: travel}]
repetitions: 2
deadline: {rounds: 20}
seed: 4
"""


@pytest.fixture
def small(tmp_path: Path, domains: Path) -> Path:
    import shutil

    shutil.copytree(domains / "anac2010-Travel", tmp_path / "genius")
    path = tmp_path / "t.yaml"
    path.write_text(SMALL)
    return path


def test_a_tournament_into_duckdb_then_its_leaderboard(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    result = runner.invoke(app, ["tournament", str(small), "--db", str(db), "--traces"])
    assert result.exit_code == 0, result.output
    assert f"24 of 24 negotiations in {db}" in result.stdout
    with ResultStore(db, read_only=True) as store:
        rows = store.rows()
        steps = store.db.execute("SELECT count(*), count(DISTINCT id) FROM traces").fetchone()
    assert [r.index for r in rows] == list(range(24))
    assert {r.scenario for r in rows} == {"mexico-us-2017", "travel"}
    assert steps is not None and steps[1] == 24 and steps[0] > 24
    # the same rows as playing the tournament here
    config = read_tournament(small)
    plan, entries = plan_tournament(
        config,
        {
            "mexico-us-2017": load_scenario("mexico-us-2017"),
            "travel": load_scenario(small.parent / "genius"),
        },
    )
    assert [r for r in rows] == run_tournament(plan, entries)
    # a second run has nothing left to play
    again = runner.invoke(app, ["tournament", str(small), "--db", str(db)])
    assert again.exit_code == 0 and "(24 already done); played 0" in again.stdout

    out = runner.invoke(
        app,
        [
            "leaderboard",
            str(db),
            "--json",
            "--csv",
            str(tmp_path / "l.csv"),
            "--parquet",
            str(tmp_path / "l.parquet"),
        ],
    )
    assert out.exit_code == 0, out.output
    board = json.loads(out.stdout)
    assert board["negotiations"] == 24 and board["statuses"] == {"ok": 24}
    assert [a["agent"] for a in board["agents"]] == [s.agent for s in leaderboard(db).agents]
    assert {a["agent"] for a in board["agents"]} == {"boulware", "conceder", "half"}
    for a in board["agents"]:
        assert a["seats"] == 16
        u = a["utility"]
        assert u["n"] == 16 and u["low"] <= u["mean"] <= u["high"]
        assert 0 <= a["agreement"]["low"] <= a["agreement"]["mean"] <= a["agreement"]["high"] <= 1
    assert {s["scenario"] for s in board["scenarios"]} == {"mexico-us-2017", "travel"}
    assert len(board["head_to_head"]) == 6  # ordered pairs of distinct agents
    with open(tmp_path / "l.csv", newline="") as handle:
        table = list(csv.DictReader(handle))
    assert len(table) == 3 + 6 and table[0]["scenario"] == "(all)"
    import duckdb

    parquet = (
        duckdb.connect().execute(f"SELECT count(*) FROM '{tmp_path / 'l.parquet'}'").fetchone()
    )
    assert parquet == (9,)
    printed = runner.invoke(app, ["leaderboard", str(db), "--by-scenario"])
    assert printed.exit_code == 0 and "Leaderboard" in printed.stdout and "travel" in printed.stdout


@pytest.mark.parametrize(
    ("text", "flags", "message"),
    [
        (
            "agents: [boulware]\nscenarios: [nowhere]\n",
            [],
            't.yaml:2: scenarios[0]: expected a bundled scenario name, a file or a folder, got "nowhere"',
        ),
        (
            "agents: [boulware, nosuch]\nscenarios: [mexico-us-2017]\n",
            [],
            "t.yaml:1: agents[1]: expected one of",
        ),
        (
            "agents: [boulware]\nscenarios: [mexico-us-2017]\nrepetitions: x\n",
            [],
            't.yaml:3: repetitions: expected an integer >= 1, got "x"',
        ),
        (
            "agents: [boulware]\nscenarios: [mexico-us-2017]\n",
            [],
            "t.yaml:2: scenarios[0]: expected at least 2 agents",
        ),
        (
            "agents: [boulware, linear]\nscenarios: [mexico-us-2017]\n",
            ["--workers", "0"],
            "--workers: expected an integer >= 1, got 0",
        ),
        (
            "agents: [boulware, linear]\nscenarios: [mexico-us-2017]\n",
            ["--workers", "2", "--dask-local", "2"],
            "--dask-local: expected one of --workers, --dask-local, --dask, got two",
        ),
        (
            "agents: [boulware, linear]\nscenarios: [mexico-us-2017]\n",
            ["--dask", "localhost"],
            '--dask: expected a scheduler address tcp://HOST:PORT, got "localhost"',
        ),
    ],
)
def test_bad_tournaments_exit_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, flags: list[str], message: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(text)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["tournament", "t.yaml", "--db", "r.duckdb", *flags])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), result.stderr


def test_a_database_of_another_tournament_is_refused(small: Path, tmp_path: Path) -> None:
    db = tmp_path / "r.duckdb"
    assert runner.invoke(app, ["tournament", str(small), "--db", str(db)]).exit_code == 0
    small.write_text(SMALL.replace("seed: 4", "seed: 5"))
    result = runner.invoke(app, ["tournament", str(small), "--db", str(db)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --db: {db} holds the results of another tournament")


def test_leaderboard_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["leaderboard", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    assert "no such results database" in result.stderr


KILLED = """\
agents: [boulware, conceder, linear, hardliner]
scenarios: [mexico-us-2017]
repetitions: {reps}
deadline: {{rounds: 30}}
seed: 9
"""


@pytest.mark.parametrize(("flags", "reps"), [([], 250), (["--workers", "2"], 250)])
def test_kill_9_then_the_same_command_completes_the_tournament(
    tmp_path: Path, flags: list[str], reps: int
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(KILLED.format(reps=reps))
    db = tmp_path / "r.duckdb"
    src = str(Path(zopa.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    command = [
        sys.executable,
        "-m",
        "zopa.cli.app",
        "tournament",
        str(path),
        "--db",
        str(db),
        "-q",
        *flags,
    ]
    total = 12 * reps
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    wal = Path(str(db) + ".wal")
    try:
        deadline = time.monotonic() + 120
        # kill once a few batches are committed (the write-ahead log has grown)
        while time.monotonic() < deadline and process.poll() is None:
            if wal.exists() and wal.stat().st_size > 150_000:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the tournament ended before it could be killed"
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    with ResultStore(db, read_only=True) as store:
        kept = store.count()
    assert 0 < kept < total  # killed in the middle
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert f"{total} of {total} negotiations" in again.stdout
    assert f"({kept} already done)" in again.stdout
    with ResultStore(db, read_only=True) as store:
        rows = store.rows()
        dupes = store.db.execute(
            "SELECT count(*) - count(DISTINCT id) FROM negotiations"
        ).fetchone()
    assert len(rows) == total and dupes == (0,)
    assert [r.index for r in rows] == list(range(total))
    # and they are the rows of an uninterrupted run: check a sample around the kill
    config = read_tournament(path)
    plan, entries = plan_tournament(config, {"mexico-us-2017": load_scenario("mexico-us-2017")})
    sample = entries[max(0, kept - 20) : kept + 20]
    assert run_tournament(plan, sample) == rows[sample[0].index : sample[-1].index + 1]


def test_dask_flags_give_the_serial_rows(small: Path, tmp_path: Path) -> None:
    from dask.distributed import LocalCluster

    serial = tmp_path / "serial.duckdb"
    assert runner.invoke(app, ["tournament", str(small), "--db", str(serial)]).exit_code == 0
    with ResultStore(serial, read_only=True) as store:
        expected = store.rows()
    local = tmp_path / "local.duckdb"
    r = runner.invoke(app, ["tournament", str(small), "--db", str(local), "--dask-local", "2"])
    assert r.exit_code == 0, r.output
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    try:
        remote = tmp_path / "remote.duckdb"
        r = runner.invoke(
            app,
            ["tournament", str(small), "--db", str(remote), "--dask", cluster.scheduler_address],
        )
        assert r.exit_code == 0, r.output
    finally:
        cluster.close()
    for db in (local, remote):
        with ResultStore(db, read_only=True) as store:
            assert store.rows() == expected
