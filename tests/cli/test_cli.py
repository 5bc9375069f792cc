"""The CLI as a user meets it: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app

runner = CliRunner()

GOOD = """\
issues:
  - name: price
    options: [low, mid, high]
    disagreement: mid
  - name: term
    integer: {low: 1, high: 3}
parties:
  - name: buyer
    weights: {price: 2, term: 1}
    values:
      price: {low: 1, mid: 0.5, high: 0}
      term: {function: increasing}
  - name: seller
    weights: {price: 1, term: 1}
    values:
      price: {low: 0, mid: 0.5, high: 1}
      term: {function: decreasing}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_validate_ok(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "2 issues, 2 parties, 9 outcomes" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "price: 2, term: 1",
            "price: high, term: 1",
            's.yaml:9: parties[0].weights.price: expected a number >= 0, got "high"',
        ),
        (
            "price: 2, term: 1",
            "price: -2, term: 1",
            "s.yaml:9: parties[0].weights.price: expected a number >= 0, got -2",
        ),
        (
            "price: 2, term: 1",
            "price: 2, length: 1",
            's.yaml:9: parties[0].weights.length: expected one of the issues price, term; got "length"',
        ),
        (
            "price: {low: 1, mid: 0.5, high: 0}",
            "price: {low: 1, middle: 0.5, high: 0}",
            's.yaml:11: parties[0].values.price.middle: expected one of the options of issue "price"',
        ),
        (
            "  - name: seller",
            "  - name: buyer",
            's.yaml:13: parties[1].name: duplicate party name "buyer" (also parties[0])',
        ),
        (
            "options: [low, mid, high]",
            "options: []",
            "s.yaml:3: issues[0].options: expected at least one option, got an empty list",
        ),
        (
            "disagreement: mid",
            "disagreement: medium",
            's.yaml:4: issues[0].disagreement: expected one of the options ("low", "mid", "high"), '
            'got "medium"',
        ),
        (
            "  - name: seller\n",
            "  - name: seller\n    reservation: 2\n",
            "s.yaml:14: parties[1].reservation: expected a number in [0, 1], got 2",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0], lines[0]
    assert str(tmp_path) in lines[0]
    assert "Traceback" not in result.output


def test_validate_many_paths_reports_each(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("price: 2", "price: x"), "bad.yaml")
    result = runner.invoke(app, ["validate", str(good), str(bad), str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "ok: " in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "bad.yaml:9" in errors[0]
    assert "none.yaml: no such file or folder" in errors[1]


@pytest.mark.parametrize("command", ["show", "validate"])
def test_missing_file(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_wrong_format(tmp_path: Path) -> None:
    path = write(tmp_path, "just some text", "notes.txt")
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 2
    assert "expected a .yaml, .yml or .json scenario" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_json_is_stable(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", str(write(tmp_path, GOOD)), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == [
        "name",
        "title",
        "description",
        "date",
        "outcomes",
        "additive",
        "issues",
        "parties",
        "stakeholders",
        "observed",
        "sources",
    ]
    assert data["outcomes"] == 9
    assert data["issues"][0]["disagreement"] == "mid"
    assert data["parties"][0]["reservation_value"] == 0.0
    assert data["parties"][0]["weights"] == {"price": 2 / 3, "term": 1 / 3}


def test_show_flagship_by_name() -> None:
    result = runner.invoke(app, ["show", "mexico-us-2017", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["name"] == "mexico-us-2017"
    assert [p["name"] for p in data["parties"]] == ["United States", "Mexico"]
    assert isinstance(data["outcomes"], int)


def test_show_renders_tables() -> None:
    result = runner.invoke(app, ["show", "mexico-us-2017"])
    assert result.exit_code == 0
    assert "outcome space" in result.stdout
    assert "Stakeholders" in result.stdout


def test_scenarios_lists_flagship() -> None:
    result = runner.invoke(app, ["scenarios", "--json"])
    assert result.exit_code == 0
    assert "mexico-us-2017" in [row["name"] for row in json.loads(result.stdout)]


def test_convert_yaml_to_json_and_back(tmp_path: Path) -> None:
    src = write(tmp_path, GOOD)
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["convert", str(src), str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["show", str(out), "--json"])
    assert json.loads(again.stdout)["outcomes"] == 9


def test_convert_needs_two_arguments() -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017"])
    assert result.exit_code == 2
    assert "expected a scenario and an output path" in result.stderr


def test_console_script_runs_as_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "zopa.cli.app", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout


def test_unwritable_output_is_one_line_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.yaml"
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {target}: cannot write file: No such file or directory"


def test_argument_errors_name_the_argument() -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017"])
    assert result.stderr.strip() == (
        "error: PATHS: expected a scenario and an output path (or -o OUT), got only one argument"
    )


def test_show_prints_per_issue_capability_and_observed_points(tmp_path: Path) -> None:
    text = GOOD + (
        "stakeholders:\n"
        "  - {name: bank, capability: {price: 3, term: 1}, positions: {price: 1, term: 2},"
        " salience: {price: 0.5}}\n"
        "observed:\n  outcome: {price: {option: mid, point: 1.5}, term: 2}\n"
    )
    result = runner.invoke(app, ["show", str(write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "per issue" in flat
    assert "price 1 (0.50, capability 3)" in flat
    assert "price=mid (at 1.5), term=2" in flat
    summary = json.loads(runner.invoke(app, ["show", str(write(tmp_path, text)), "--json"]).stdout)
    assert summary["stakeholders"][0]["capability"] == {"price": 3.0, "term": 1.0}
    assert summary["observed"]["points"] == {"price": 1.5, "term": 2.0}


def test_help_imports_no_heavy_dependency() -> None:
    # `zopa --help` stays fast by importing neither NumPy nor the readers (no wall-clock assertion)
    code = (
        "import sys, zopa.cli.app; "
        "print([m for m in ('numpy', 'pydantic', 'yaml', 'rich') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
