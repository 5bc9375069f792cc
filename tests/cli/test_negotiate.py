"""``zopa negotiate``: one negotiation offer by offer, its JSON, agendas and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.negotiation import negotiate
from zopa.negotiation.agents import agent

runner = CliRunner()

LAPTOP = Path(__file__).parents[1] / "data" / "domains" / "anac2011-Laptop"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["negotiate", *args])
    return result.exit_code, result.stdout, result.stderr


def test_offer_by_offer_and_summary() -> None:
    code, out, err = run("mexico-us-2017", "--agents", "conceder,boulware", "--rounds", "10")
    assert code == 0, err
    assert "United States (conceder), Mexico (boulware)" in out
    assert "accept" in out and "agreed (United States accepted last) after 8 rounds" in out
    assert "distance to Nash" in out


def test_json_is_the_negotiation() -> None:
    code, out, err = run("mexico-us-2017", "--agents", "boulware,conceder", "--json")
    assert code == 0, err
    doc = json.loads(out)
    expected = negotiate(load_scenario("mexico-us-2017"), [agent("boulware"), agent("conceder")])
    for key in (
        "agreement",
        "utilities",
        "rounds",
        "ended_by",
        "distance_to_pareto",
        "distance_to_nash",
        "social_welfare",
    ):
        assert doc[key] == expected.to_dict()[key], key
    assert doc["outcome"] == expected.options and doc["agenda"] == "package"
    assert len(doc["trace"]) == len(expected.trace)
    assert doc["trace"][0] == expected.trace[0].to_dict()
    assert doc["deadline"] == {"rounds": 100, "seconds": None} and doc["utility_cap"] is None


def test_issue_by_issue_with_comparison() -> None:
    code, out, err = run(
        "mexico-us-2017",
        "--agents",
        "conceder,boulware",
        "--agenda",
        "issue-by-issue",
        "--compare",
        "--json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["groups"]) == 7 and doc["groups"][0]["issues"] == ["nafta"]
    assert "trace" in doc["groups"][0] and len(doc["settled"]) == 7
    c = doc["comparison"]
    assert c["gain"] == pytest.approx([0.052, 0.102])
    assert c["issue_by_issue"]["utilities"] == doc["utilities"]
    code, out, _ = run(
        "mexico-us-2017",
        "--agents",
        "conceder,boulware",
        "--agenda",
        "issue-by-issue",
        "--compare",
    )
    assert code == 0 and "talks on nafta" in out and "gain from linking" in out


def test_agenda_file(tmp_path: Path) -> None:
    path = tmp_path / "agenda.yaml"
    path.write_text("- [migrants, wall]\n- nafta\n")
    code, out, err = run(
        "mexico-us-2017", "--agents", "conceder,boulware", "--agenda", str(path), "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["agenda"] == [["migrants", "wall"], ["nafta"]]


@pytest.mark.parametrize(
    ("text", "suffix", "message"),
    [
        (
            "- [nafta, wall]\n- [labour, tariffs]\n",
            ".yaml",
            "agenda.yaml:2: [1][1]: expected an issue name",
        ),
        ('[["nafta"],\n ["nafta"]]', ".json", 'agenda.json:2: [1][0]: issue "nafta" is already'),
        ("- [nafta\n", ".yaml", "agenda.yaml:2: expected valid YAML"),
        ("nafta: 1\n", ".yaml", "agenda.yaml:1: expected a list of groups"),
        ("- []\n", ".yaml", "agenda.yaml:1: [0]: expected a list of issue names, got []"),
        ("- &a [nafta]\n- *a\n", ".yaml", "anchors and aliases are not allowed"),
    ],
)
def test_bad_agenda_files(tmp_path: Path, text: str, suffix: str, message: str) -> None:
    path = tmp_path / f"agenda{suffix}"
    path.write_text(text)
    code, out, err = run("mexico-us-2017", "--agents", "conceder,boulware", "--agenda", str(path))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agents", "conceder,foo"], "--agents: expected one of boulware, linear, conceder"),
        (
            ["--agents", "conceder"],
            "--agents: expected one agent per party (2: United States, Mexico), got 1",
        ),
        (
            ["--agents", "conceder,boulware", "--rounds", "0"],
            "--rounds: expected an integer >= 1, got 0",
        ),
        (["--agents", "conceder,boulware", "--seconds", "-1"], "--seconds: expected a number > 0"),
        (
            ["--agents", "conceder,boulware", "--agenda", "nope"],
            "--agenda: expected package or issue-by-issue",
        ),
        (["--agents", "conceder,boulware", "--seed", "-3"], "--seed: expected an integer >= 0"),
    ],
)
def test_bad_flags(args: list[str], message: str) -> None:
    code, out, err = run("mexico-us-2017", *args)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], err


def test_genius_domain_and_profiles_are_capped_as_genius_does() -> None:
    files = [
        str(LAPTOP / "laptop_domain.xml"),
        str(LAPTOP / "laptop_buyer_utility.xml"),
        str(LAPTOP / "laptop_seller_utility.xml"),
    ]
    code, out, err = run(*files, "--agents", "boulware,conceder", "--json")
    assert code == 0
    assert err.count("zopa negotiate caps utilities at 1, as GENIUS does") == 2
    doc = json.loads(out)
    assert doc["utility_cap"] == 1.0 and max(doc["utilities"]) <= 1.0
    folder = json.loads(run(str(LAPTOP), "--agents", "boulware,conceder", "--json")[1])
    assert folder["utilities"] == doc["utilities"] and folder["trace"] == doc["trace"]
    # GENIUS scenarios state no disagreement options: only the package can be played
    code, out, err = run(str(LAPTOP), "--agents", "boulware,conceder", "--agenda", "issue-by-issue")
    assert (
        code == 2
        and "--agenda: playing issues one group after the other needs a disagreement" in err
    )
    assert err.strip().splitlines()[-1].startswith("error: ")


def test_compare_needs_disagreement_options() -> None:
    code, out, err = run(str(LAPTOP), "--agents", "boulware,conceder", "--compare")
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1].startswith("error: --compare: playing issues one group")


def test_agents_with_parameters(tmp_path: Path) -> None:
    """``--agents`` splits at the commas outside parentheses, so specs keep their parameters."""
    from zopa.cli.negotiate import agent_list
    from zopa.io import load_scenario
    from zopa.negotiation.agents import agent

    team = agent_list("time-dependent(e=0.5,k=0.1),conceder", load_scenario("mexico-us-2017"))
    assert team == [agent("time-dependent(e=0.5,k=0.1)"), agent("conceder")]
