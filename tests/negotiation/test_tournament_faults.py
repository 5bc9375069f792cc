"""Fault isolation: agents that raise, break the rules, hang or kill their worker become failure
rows with the reason, and the tournament goes on (serially, on processes and on Dask)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from faulty_agents import BadStart, Deaf, Killer, Outsider, Raiser, Sleeper, Spinner
from test_tournament import small

from zopa.model.tournament import AgentSpec, ScenarioSpec, TournamentConfig
from zopa.negotiation.agents import agent
from zopa.negotiation.negotiator import Negotiator
from zopa.negotiation.tournament import (
    DaskRunner,
    ProcessRunner,
    Row,
    SerialRunner,
    plan_tournament,
    run_tournament,
)


def tournament(
    faulty: dict[str, Negotiator], *, limit: float = 1.0, runner: Any = None
) -> dict[str, list[Row]]:
    """Each faulty agent against linear (both seatings), and linear against boulware; rows by
    the faulty agent's key (``fair`` for the fault-free pair)."""
    agents: dict[str, Negotiator] = {"linear": agent("linear"), "boulware": agent("boulware")}
    agents.update(faulty)
    config = TournamentConfig(
        agents=tuple(AgentSpec(agent="x", key=k) for k in agents),
        scenarios=(ScenarioSpec(spec="small", key="small"),),
        rounds=20,
        time_limit=limit,
    )
    plan, entries = plan_tournament(config, {"small": small()}, agents=agents)
    keep = [
        e
        for e in entries
        if "linear" in e.agents and (set(e.agents) - {"linear"}) <= {"boulware", *faulty}
    ]
    try:
        rows = run_tournament(plan, keep, runner)
    finally:
        if isinstance(runner, ProcessRunner):
            runner.close()
    assert len(rows) == len(keep) and len({r.id for r in rows}) == len(rows)
    out: dict[str, list[Row]] = {}
    for r in rows:
        other = next(a for a in r.agents if a != "linear")
        out.setdefault("fair" if other == "boulware" else other, []).append(r)
    return out


def same(a: list[Row], b: list[Row]) -> bool:
    """The same rows but for their place in the schedule (the tournaments differ)."""
    return [replace(r, index=0) for r in a] == [replace(r, index=0) for r in b]


def test_serial_faults_become_failure_rows() -> None:
    rows = tournament(
        {
            "raiser": Raiser(),
            "outsider": Outsider(),
            "sleeper": Sleeper(),
            "bad-start": BadStart(),
        },
        limit=0.5,
    )
    assert all(r.status == "ok" for r in rows["fair"]) and len(rows["fair"]) == 2
    for r in rows["raiser"]:
        assert r.status == "violation" and r.failure.startswith("raiser (seat")
        assert "raised RuntimeError: boom" in r.failure and r.utilities is not None
    for r in rows["outsider"]:
        assert r.status == "violation" and "not an outcome of the space" in r.failure
    for r in rows["sleeper"]:
        assert r.status == "timeout" and r.failure == "ran past the time limit of 0.5 s"
        assert r.utilities is None and r.parties == ("A", "B")
    for r in rows["bad-start"]:
        assert r.status == "error" and r.failure.startswith("ValueError: cannot start at ")


def test_process_workers_survive_hangs_and_deaths() -> None:
    rows = tournament(
        {"sleeper": Sleeper(), "deaf": Deaf(), "killer": Killer(), "raiser": Raiser()},
        limit=0.5,
        runner=ProcessRunner(2, grace=2.0),
    )
    assert all(r.status == "ok" for r in rows["fair"])
    assert all(r.status == "violation" for r in rows["raiser"])
    assert all(r.status == "timeout" for r in rows["sleeper"])
    for r in rows["deaf"]:  # the timer cannot stop it: the watchdog replaced the worker
        assert r.status == "timeout" and r.failure.endswith("the worker was replaced")
    for r in rows["killer"]:
        assert r.status == "crashed" and r.failure.startswith("the worker died")
    # the survivors' rows are those of a serial run
    serial = tournament({"raiser": Raiser()}, limit=0.5)
    assert same(rows["fair"], serial["fair"]) and same(rows["raiser"], serial["raiser"])


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    client = Client(cluster, timeout=120)
    try:
        client.wait_for_workers(2, timeout=120)
        yield client
    finally:
        client.close()
        cluster.close()


def test_dask_workers_survive_hangs_and_deaths(dask_client: Any) -> None:
    rows = tournament(
        {"spinner": Spinner(), "killer": Killer(), "outsider": Outsider()},
        limit=0.5,
        runner=DaskRunner(client=dask_client),
    )
    assert all(r.status == "ok" for r in rows["fair"])
    assert all(r.status == "violation" for r in rows["outsider"])
    assert all(r.status == "timeout" for r in rows["spinner"])
    for r in rows["killer"]:
        assert r.status == "crashed" and r.failure.startswith("the worker died")
    serial = tournament({"outsider": Outsider()})
    assert same(rows["fair"], serial["fair"]) and same(rows["outsider"], serial["outsider"])


def test_serial_runner_is_the_default() -> None:
    assert isinstance(SerialRunner(), SerialRunner)


def test_failures_are_stored_and_counted_apart_in_the_leaderboard(tmp_path: Any) -> None:
    from zopa.negotiation.leaderboard import leaderboard
    from zopa.negotiation.store import ResultStore

    rows = tournament({"raiser": Raiser(), "sleeper": Sleeper()}, limit=0.3)
    with ResultStore(tmp_path / "r.duckdb", fingerprint="faults") as store:
        store.add_all(r for group in rows.values() for r in group)
        assert sorted(r.status for r in store.rows()) == sorted(
            r.status for group in rows.values() for r in group
        )
    board = leaderboard(tmp_path / "r.duckdb")
    assert board.statuses == {"ok": 2, "timeout": 2, "violation": 2}
    by = {s.agent: s for s in board.agents}
    assert by["sleeper"].failures == 2 and by["sleeper"].utility.n == 0
    assert by["sleeper"].utility.mean is None
    assert by["raiser"].violations == 2 and by["raiser"].utility.n == 2
    assert by["linear"].seats == 6 and by["linear"].failures == 2 and by["linear"].utility.n == 4
    frame = board.to_frame()
    assert list(frame["agent"]) == [s.agent for s in board.agents]
    assert {"utility", "utility_low", "utility_high", "agreement"} <= set(frame.columns)


def test_dask_restarts_a_worker_stuck_in_a_blocking_call(dask_client: Any) -> None:
    # a thread cannot be interrupted in time.sleep: past the limit and the hard stop the worker
    # ends itself, the nanny restarts it, and the negotiation is recorded as a timeout
    agents: dict[str, Negotiator] = {"linear": agent("linear"), "sleeper": Sleeper()}
    config = TournamentConfig(
        agents=tuple(AgentSpec(agent="x", key=k) for k in agents),
        scenarios=(ScenarioSpec(spec="small", key="small"),),
        role_swaps=False,
        rounds=20,
        time_limit=0.3,
    )
    plan, entries = plan_tournament(config, {"small": small()}, agents=agents)
    rows = run_tournament(plan, entries, DaskRunner(client=dask_client, hard_stop=0.5))
    assert [(r.agents, r.status) for r in rows] == [(("linear", "sleeper"), "timeout")]
    assert rows[0].failure.endswith("did not stop; the worker was restarted")
    # the cluster plays on afterwards
    fair = tournament({}, runner=DaskRunner(client=dask_client))
    assert [r.status for r in fair["fair"]] == ["ok", "ok"]
