"""``zopa forecast`` as a user meets it, and the actor-table reader's errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app
from zopa.io.actors import read_actor_table
from zopa.model.errors import ScenarioError

EC = DATA / "forecast" / "ec-emissions-1994" / "ExampleActors.csv"
runner = CliRunner()


def test_reads_the_ec_table() -> None:
    s = read_actor_table(EC)
    assert [h.name for h in s.stakeholders][:3] == ["Netherlands", "Belgium", "Luxembourg"]
    assert s.issues[0].options == ("4", "5", "6", "7", "8", "9", "10")
    assert s.parties == ()


@pytest.mark.parametrize(
    ("text", "messages"),
    [
        ("Actor,Capability,Position\nA,1,2\n", ["t.csv:1: header: expected the columns"]),
        ("", ["t.csv:1: expected a header"]),
        ("Actor,Capability,Position,Salience\n", ["t.csv: expected one row per actor"]),
        (
            "Actor,Capability,Position,Salience\nA,-1,2,0.5\nB,1,x,0.5\nA,1,2,1.5\nC,1,2\n",
            [
                "t.csv:2: Capability: expected a number >= 0, got -1",
                't.csv:3: Position: expected a number, got "x"',
                't.csv:4: Actor: duplicate actor name "A" (also line 2)',
                "t.csv:4: Salience: expected a number in [0, 1], got 1.5",
                "t.csv:5: row: expected 4 fields (as the header), got 3",
            ],
        ),
    ],
)
def test_bad_tables_say_where(tmp_path: Path, text: str, messages: list[str]) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ScenarioError) as caught:
        read_actor_table(path)
    lines = [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems]
    assert len(lines) == len(messages)
    for line, message in zip(lines, messages, strict=True):
        assert line.startswith(message), line
    result = runner.invoke(app, ["forecast", str(path)])
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == len(messages)
    assert "Traceback" not in result.output


def test_forecast_ec_json() -> None:
    result = runner.invoke(app, ["forecast", str(EC), "--json", "--draws", "20", "--seed", "1"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["scenario"] == "ExampleActors"
    eum = document["models"]["eum"]
    assert [round(v, 2) for v in eum["path"]["ExampleActors"]["median"]][:3] == [7.0, 8.42, 9.61]
    assert round(document["models"]["compromise"]["forecast"]["ExampleActors"], 2) == 7.39
    assert document["models"]["median"]["forecast"]["ExampleActors"] == 7.0
    assert set(eum["interval"]["ExampleActors"]) == {"q05", "q25", "median", "q75", "q95"}
    assert eum["options"]["q"] == 1.0


def test_forecast_mexico_table() -> None:
    result = runner.invoke(app, ["forecast", "mexico-us-2017", "--draws", "20"])
    assert result.exit_code == 0, result.output
    for text in ("nafta", "expected utility", "renegotiated", "round by round"):
        assert text in result.stdout


def test_forecast_one_model() -> None:
    result = runner.invoke(
        app, ["forecast", str(EC), "--model", "median", "--draws", "0", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert list(json.loads(result.stdout)["models"]) == ["median"]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--model", "ktab"],
            '--model: expected one of compromise, median, eum, smp, exchange, all, got "ktab"',
        ),
        (["--rounds", "-1"], "--rounds: expected an integer >= 0, got -1"),
        (["--draws", "-2"], "--draws: expected an integer >= 0, got -2"),
    ],
)
def test_bad_flags(flags: list[str], message: str) -> None:
    result = runner.invoke(app, ["forecast", str(EC), *flags])
    assert result.exit_code == 2
    assert message in result.stderr
