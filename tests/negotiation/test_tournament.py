"""Tournaments: the file, the schedule, the seeds, and identical rows from every runner."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from zopa.io import load_scenario
from zopa.io.tournament import parse_tournament, read_tournament
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.tournament import AgentSpec, ScenarioSpec, TournamentConfig
from zopa.negotiation.agents import TimeDependentParty
from zopa.negotiation.tournament import (
    DaskRunner,
    ProcessRunner,
    SerialRunner,
    build_agents,
    negotiation_seed,
    plan_tournament,
    run_tournament,
    schedule,
)

FILE = """\
agents:
  - boulware
  - conceder
  - {agent: linear, e: 0.5, as: half}
scenarios: [mexico-us-2017]
repetitions: 2
deadline: {rounds: 30}
seed: 11
"""


def small() -> Scenario:
    """Two issues of three options, opposed preferences."""
    issues = (Issue.discrete("x", ["a", "b", "c"]), Issue.discrete("y", ["a", "b", "c"]))
    up = (0.0, 0.5, 1.0)
    down = (1.0, 0.5, 0.0)
    return Scenario(
        "small",
        issues,
        (
            Party("A", AdditiveUtility((0.6, 0.4), (up, down))),
            Party("B", AdditiveUtility((0.5, 0.5), (down, up))),
        ),
    )


# ---------------------------------------------------------------------------------- the file
def test_a_tournament_file_reads_into_a_frozen_config(tmp_path: Any) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(FILE)
    c = read_tournament(path)
    assert [a.key for a in c.agents] == ["boulware", "conceder", "half"]
    assert c.agents[2].params == (("e", 0.5),) and c.agents[2].line == 4
    assert c.scenarios == (ScenarioSpec(spec="mexico-us-2017", key="mexico-us-2017"),)
    assert (c.repetitions, c.rounds, c.seconds, c.seed, c.role_swaps, c.self_play) == (
        2,
        30,
        None,
        11,
        True,
        False,
    )
    assert c.agenda == "package" and c.time_limit == 60.0 and c.source == str(path)
    with pytest.raises(AttributeError):
        c.seed = 3  # type: ignore[misc]
    assert build_agents(c)["half"] == TimeDependentParty(e=0.5)
    assert c.fingerprint() == read_tournament(path).fingerprint()
    assert c.fingerprint() != replace(c, seed=12).fingerprint()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "agents: [a]\nscenarios: [x]\nrepetitions: 0\n",
            "t.yaml:3: repetitions: expected an integer >= 1, got 0",
        ),
        (
            "agents: [a]\nscenarios: [x]\nfoo: 1\n",
            "t.yaml:3: foo: unknown field; expected one of agents, scenarios, role_swaps, self_play, repetitions, deadline, agenda, seed, time_limit",
        ),
        (
            "agents: [a, {agent: b, e: [1]}]\nscenarios: [x]\n",
            "t.yaml:1: agents[1].e: expected a number, text or true/false, got a list",
        ),
        (
            "agents:\n  - a\n  - a\nscenarios: [x]\n",
            't.yaml:3: agents[1]: duplicate agent "a" (also agents[0]); give one of them another name with as:',
        ),
        (
            "agents: [a]\nscenarios: [x]\ndeadline: {rounds: 0}\n",
            "t.yaml:3: deadline.rounds: expected an integer >= 1, got 0",
        ),
        (
            "agents: [a]\nscenarios: [x]\ndeadline: {}\n",
            "t.yaml:3: deadline: expected rounds or seconds, got neither",
        ),
        (
            "agents: [a]\nscenarios: [x]\nagenda: issue-by-issue\n",
            't.yaml:3: agenda: expected package (issue-by-issue agendas are not played yet), got "issue-by-issue"',
        ),
        (
            "agents: [a]\nscenarios: [x]\ntime_limit: 0\n",
            "t.yaml:3: time_limit: expected a number of seconds > 0, got 0",
        ),
        (
            "agents: [a]\nscenarios: [x]\nseed: -1\n",
            "t.yaml:3: seed: expected an integer >= 0, got -1",
        ),
        (
            "agents: [a]\nscenarios: [x]\nrole_swaps: yes please\n",
            't.yaml:3: role_swaps: expected true or false, got "yes please"',
        ),
        (
            "agents: [a]\nscenarios:\n  - x\n  - {scenario: x}\n",
            't.yaml:4: scenarios[1]: duplicate scenario "x" (also scenarios[0])',
        ),
        (
            "agents: &a [a]\nscenarios: *a\n",
            "t.yaml:1: YAML anchors and aliases are not allowed in scenario files",
        ),
        ("agents: [a]\n", "t.yaml:1: expected the field scenarios, got none"),
        ("[1, 2]\n", "t.yaml:1: expected a mapping of tournament fields, got a list"),
        ("agents: [a\n", "t.yaml:2: expected valid YAML"),
    ],
)
def test_bad_files_give_located_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_tournament(text, source="t.yaml")
    assert str(info.value).startswith(message) and "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("agents", "message"),
    [
        (
            "[boulware, nosuch]",
            "t.yaml:1: agents[1]: expected one of boulware, linear, conceder, hardliner, ",
        ),
        (
            "[boulware, {agent: linear, f: 2}]",
            't.yaml:1: agents[1]: linear has no parameter "f"; expected one of e',
        ),
        (
            "[boulware, {agent: linear, e: -2}]",
            "t.yaml:1: agents[1]: e: expected a number >= 0, got -2",
        ),
    ],
)
def test_unknown_agents_and_parameters_are_located(agents: str, message: str) -> None:
    c = parse_tournament(f"agents: {agents}\nscenarios: [x]\n", source="t.yaml")
    with pytest.raises(
        ScenarioError,
        match=r"^"
        + message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[").replace("]", r"\]"),
    ):
        build_agents(c)


def test_config_records_refuse_bad_values() -> None:
    a = (AgentSpec(agent="linear"),)
    s = (ScenarioSpec(spec="x", key="x"),)
    with pytest.raises(ArgumentError, match="repetitions"):
        TournamentConfig(agents=a, scenarios=s, repetitions=0)
    with pytest.raises(ArgumentError, match="agents"):
        TournamentConfig(agents=(), scenarios=s)
    with pytest.raises(ArgumentError, match="agenda"):
        TournamentConfig(agents=a, scenarios=s, agenda="issues")


# ---------------------------------------------------------------------------------- schedule
def test_schedule_is_genius_generation_and_seeds_follow_identity() -> None:
    c = parse_tournament(FILE)
    e = schedule(c, {"mexico-us-2017": 2})
    assert len(e) == 3 * 2 * 2  # ordered pairs of distinct agents, twice
    assert e[0].id == "mexico-us-2017|boulware,conceder|0"
    assert len({x.id for x in e}) == len(e) and len({x.seed for x in e}) == len(e)
    # a seed depends only on the master seed and the identity: pinned, so it is the same on
    # every machine and in every release
    assert e[0].seed == negotiation_seed(11, "mexico-us-2017|boulware,conceder|0")
    assert negotiation_seed(0, "s|a,b|0") == SEED_S_AB_0
    # more agents leave the others' seeds as they were
    more = replace(c, agents=(*c.agents, AgentSpec(agent="hardliner")))
    seeds = {x.id: x.seed for x in schedule(more, {"mexico-us-2017": 2})}
    assert all(seeds[x.id] == x.seed for x in e)
    assert len(schedule(replace(c, self_play=True), {"mexico-us-2017": 2})) == 3 * 3 * 2
    assert len(schedule(replace(c, role_swaps=False), {"mexico-us-2017": 2})) == 3 * 2
    with pytest.raises(ScenarioError, match="expected at least 4 agents"):
        schedule(c, {"mexico-us-2017": 4})


#: ``negotiation_seed(0, "s|a,b|0")``, computed once and pinned.
SEED_S_AB_0 = 7699100916343044845


# ---------------------------------------------------------------------------------- runners
@pytest.fixture(scope="module")
def dask_client() -> Iterator[Any]:
    """A real scheduler with two worker processes on this machine, closed after the module."""
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


def mexico_plan() -> tuple[Any, Any]:
    c = parse_tournament(FILE)
    return plan_tournament(c, {"mexico-us-2017": load_scenario("mexico-us-2017")}, traces=True)


def test_serial_processes_and_dask_give_identical_rows(dask_client: Any) -> None:
    plan, entries = mexico_plan()
    serial = run_tournament(plan, entries, SerialRunner())
    pool = ProcessRunner(2, chunk=5)
    pool.start()
    try:
        processes = run_tournament(plan, entries, pool)
        again = run_tournament(plan, entries[:3], pool)  # the same pool, a second run
    finally:
        pool.close()
    assert again == processes[:3]
    dask = run_tournament(plan, entries, DaskRunner(client=dask_client, chunk=5))
    assert len(serial) == len(entries) == 12
    assert serial == processes == dask  # every field but the wall-clock seconds
    assert [r.trace for r in serial] == [r.trace for r in dask]
    assert all(r.status == "ok" for r in serial) and any(r.agreement for r in serial)
    # and the same as playing each negotiation alone with its seed
    from zopa.negotiation import Deadline, negotiate

    one = negotiate(
        load_scenario("mexico-us-2017"),
        [plan.agents[a] for a in entries[5].agents],
        deadline=Deadline(rounds=30),
        seed=entries[5].seed,
    )
    assert serial[5].utilities == one.utilities and serial[5].rounds == one.rounds


def test_skip_resumes_without_the_done_ones() -> None:
    plan, entries = mexico_plan()
    first = run_tournament(plan, entries[:5])
    rest = run_tournament(plan, entries, skip={r.id for r in first})
    assert [r.index for r in first + rest] == list(range(12))


def test_runner_arguments_are_checked() -> None:
    with pytest.raises(ArgumentError, match="--workers: expected an integer >= 1, got 0"):
        ProcessRunner(0)
    with pytest.raises(ArgumentError, match="chunk: expected an integer >= 1 or None, got 0"):
        ProcessRunner(2, chunk=0)
    with pytest.raises(ArgumentError, match="--dask-local: expected an integer >= 1, got 0"):
        DaskRunner(local=0)


def test_parameters_the_registry_takes_in_its_spec_grammar() -> None:
    from zopa.negotiation.agents import agent

    c = parse_tournament("agents: [boulware, {agent: time-dependent, e: 0.5}]\nscenarios: [x]\n")
    built = build_agents(c)
    assert built["time-dependent(e=0.5)"] == agent("time-dependent(e=0.5)")
