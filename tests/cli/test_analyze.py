"""``zopa analyze``: the documented JSON, the terminal summary, bad arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.analysis.run import analyze
from zopa.cli.app import app
from zopa.io import load_scenario

runner = CliRunner()


@pytest.fixture(scope="module")
def flagship_json() -> dict[str, object]:
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--json", "--draws", "200"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_keys_are_the_documented_ones(flagship_json: dict[str, object]) -> None:
    assert list(flagship_json) == [
        "scenario", "parties", "concept", "headline", "meaning", "notes", "frontier", "solutions",
        "zopa", "linkage", "agendas", "chips", "leverage", "robustness", "outcome_space", "observed",
        "reference_frontier",
    ]  # fmt: skip
    meaning = flagship_json["meaning"]
    assert isinstance(meaning, str) and meaning.startswith("The scenario states Mexico's strategy")
    solutions = flagship_json["solutions"]
    assert isinstance(solutions, dict)
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
        assert set(solutions[name]) >= {"outcome", "utilities"}
        assert set(solutions[name]["utilities"]) == {"United States", "Mexico"}


def test_json_numbers_agree_with_the_engines(flagship_json: dict[str, object]) -> None:
    s = load_scenario("mexico-us-2017")
    result = analyze(s, draws=200)
    link = flagship_json["linkage"]
    assert isinstance(link, dict)
    assert link["gain"]["Mexico"] == pytest.approx(result.linkage.gain[1])  # type: ignore[union-attr]
    nash = flagship_json["solutions"]["nash"]  # type: ignore[index]
    codes = s.outcome(nash["outcome"])
    assert s.utilities(codes).tolist() == pytest.approx(list(nash["utilities"].values()))
    assert flagship_json["zopa"]["count"] == result.zone.count  # type: ignore[index]
    assert flagship_json["agendas"]["count"] == 2**7  # type: ignore[index]


def test_headline_is_generated_from_results(flagship_json: dict[str, object]) -> None:
    headline = " ".join(flagship_json["headline"])  # type: ignore[arg-type]
    gain = flagship_json["linkage"]["gain"]["Mexico"]  # type: ignore[index]
    assert f"{gain:+.3f}" in headline
    helped = flagship_json["robustness"]["linkage"]["Mexico"]["helped_share"]  # type: ignore[index]
    assert f"Mexico in {helped:.0%}" in headline


def test_terminal_summary() -> None:
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "50"])
    assert result.exit_code == 0, result.output
    for text in ("Solutions", "Linkage", "Bargaining chips", "Best agenda for Mexico", "Leverage"):
        assert text in result.stdout


def test_quiet_prints_only_the_headline() -> None:
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "20", "--quiet"])
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) == 1


def test_agenda_file_and_seed(tmp_path: Path) -> None:
    agendas = tmp_path / "agendas.txt"
    agendas.write_text("nafta\nnafta, wall  # the two big ones\n")
    args = ["analyze", "mexico-us-2017", "--json", "--draws", "30", "--agendas", str(agendas)]
    first = json.loads(runner.invoke(app, [*args, "--seed", "3"]).stdout)
    again = json.loads(runner.invoke(app, [*args, "--seed", "3"]).stdout)
    assert first["agendas"]["count"] == 2
    assert first["agendas"]["shapley"] is None
    assert first["robustness"] == again["robustness"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--concept", "best"], "--concept: expected one of nash"),
        (["--draws", "-1"], "--draws: expected a number >= 0"),
        (["--parties", "United States,Canada"], 'got "Canada"'),
        (
            ["--parties", "United States,Canada"],
            '--parties: expected names of parties ("United States", "Mexico"), got "Canada"',
        ),
        (["--limit", "0"], "--limit: expected an integer >= 1, got 0"),
        (["--concentration", "0"], "--concentration: expected a number > 0, got 0.0"),
        (
            ["--reservation-noise", "-0.5"],
            "--reservation-noise: expected a number in [0, 1], got -0.5",
        ),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["analyze", "mexico-us-2017", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_spread_from_scenario_file_and_command_line(tmp_path: Path) -> None:
    text = (
        "issues:\n  - {name: x, options: [a, b, c], disagreement: b}\n"
        "  - {name: y, options: [a, b, c], disagreement: b}\n"
        "parties:\n"
        "  - {name: P, weights: {x: 3, y: 1}, values: {x: {a: 1, b: 0.5, c: 0}, y: {a: 1, b: 0.5, c: 0}}}\n"
        "  - {name: Q, weights: {x: 1, y: 3}, values: {x: {a: 0, b: 0.5, c: 1}, y: {a: 0, b: 0.5, c: 1}}}\n"
        "robustness: {concentration: 5, value_noise: 0.2}\n"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text)
    out = json.loads(runner.invoke(app, ["analyze", str(path), "--json", "--draws", "40"]).stdout)
    assert out["robustness"]["spread"] == {
        "concentration": 5.0,
        "value_noise": 0.2,
        "reservation_noise": 0.05,
    }
    args = ["analyze", str(path), "--json", "--draws", "40", "--value-noise", "0"]
    out = json.loads(runner.invoke(app, args).stdout)
    assert out["robustness"]["spread"]["value_noise"] == 0.0
    bad = runner.invoke(app, ["analyze", str(path), "--value-noise", "2"])
    assert bad.exit_code == 2
    assert "--value-noise: expected a number in [0, 1], got 2.0" in bad.stderr


def test_agenda_file_with_unknown_issue_names_file_and_line(tmp_path: Path) -> None:
    agendas = tmp_path / "agendas.txt"
    agendas.write_text("nafta\n\nnafta, bogus\n")
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--agendas", str(agendas)])
    assert result.exit_code == 2
    assert f"{agendas}:3: expected issue names" in result.stderr
    assert 'got "bogus"' in result.stderr


def test_one_analyze_parses_its_input_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import zopa.io.native as native

    calls: list[str] = []
    original = native._load_yaml

    def counting(text: str, source: str) -> object:
        calls.append(source)
        return original(text, source)

    monkeypatch.setattr(native, "_load_yaml", counting)
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--json", "--draws", "5"])
    assert result.exit_code == 0, result.output
    assert len(calls) == 1


def test_terminal_summary_without_disagreement_options(tmp_path: Path) -> None:
    """Logroll gains are undefined without an issue-by-issue baseline: the summary says so."""
    from zopa.io import save_scenario
    from zopa.model import random_scenario

    path = tmp_path / "plain.yaml"
    save_scenario(random_scenario(4, 3, seed=2), path)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    if "logroll" in text:
        assert "undefined without a disagreement option on every issue" in text
    data = json.loads(runner.invoke(app, ["analyze", str(path), "--json"]).stdout)
    assert data["linkage"] is None and data["robustness"] is None
    assert data["chips"]["baseline"] is False


def test_missing_agenda_file_names_the_flag() -> None:
    result = runner.invoke(app, ["analyze", "mexico-us-2017", "--agendas", "/no/such/file"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("error: --agendas: ")
    assert "/no/such/file" in result.stderr


def test_analysis_errors_name_the_scenario(domains: Path, tmp_path: Path) -> None:
    """An error the engines raise about a scenario that loaded names the scenario's files."""
    folder = str(domains / "genius-2nd_hand_car")
    result = runner.invoke(app, ["analyze", folder])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {folder}: analysis needs at least two parties, got 1"]
    # three parties with hyper-rectangle utilities and too many option classes to visit: beyond
    # the exact engine (programmes for two parties), so enumeration is the only way, and 10**10
    # outcomes are too many
    import zopa
    from zopa.model.generate import random_box_scenario

    big = str(tmp_path / "three.yaml")
    zopa.save_scenario(random_box_scenario(10, boxes=20, parties=3, seed=1), big)
    result = runner.invoke(app, ["analyze", big])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {big}: the outcome space has 10,000,000,000")
    assert "--limit" in result.stderr


def test_anac2014_analysed_exactly(domains: Path) -> None:
    """Issue 12: 10**10 outcomes of hyper-rectangle utilities, analysed without enumeration, and
    GENIUS's pareto.xml beside the profiles is the exact frontier there."""
    folder = str(domains / "anac2014-10issues")
    result = runner.invoke(app, ["analyze", folder, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["frontier"]["size"] == 10
    assert data["reference_frontier"]["exact"] is True
    assert data["linkage"] is None and data["chips"] is None and data["robustness"] is None
    assert any("not additive" in note for note in data["notes"])
    assert any(
        note.endswith("pareto.xml is the exact Pareto frontier (10 points)")
        for note in data["notes"]
    )


def test_a_broken_pareto_file_is_left_out_with_a_warning(domains: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "anac"
    shutil.copytree(domains / "anac2014-10issues", folder)
    (folder / "pareto.xml").write_text("0.5, 0.5\nnot a point\n")
    result = runner.invoke(app, ["analyze", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["reference_frontier"] is None
    assert "warning: left out " in result.stderr and "pareto.xml:2" in result.stderr
