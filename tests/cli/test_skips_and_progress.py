"""Skipping the expensive parts and showing progress (issue 8, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.analysis.run import analyze
from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.model.errors import ArgumentError

runner = CliRunner()


def test_analyze_skips_what_it_is_told_to() -> None:
    s = load_scenario("mexico-us-2017")
    a = analyze(s, draws=20, robustness=False, leverage=False, agendas=False)
    assert a.robustness is None and a.leverage is None and a.agendas is None
    assert a.linkage is not None and a.chips is not None  # the rest is still there
    full = analyze(s, draws=20)
    assert full.robustness is not None and full.leverage is not None and full.agendas is not None
    with pytest.raises(ArgumentError, match="leverage"):
        analyze(s, leverage="no")  # type: ignore[arg-type]
    with pytest.raises(ArgumentError, match="agenda_list"):
        analyze(s, agendas=False, agenda_list=[["nafta"]])


def test_progress_covers_every_long_stage() -> None:
    seen: dict[str, tuple[int, int]] = {}
    analyze(
        load_scenario("mexico-us-2017"),
        draws=20,
        progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)),
    )
    assert set(seen) == {"frontier", "leverage", "agendas", "robustness"}
    assert all(done == total for done, total in seen.values())


def test_cli_skip_flags() -> None:
    result = runner.invoke(
        app, ["analyze", "mexico-us-2017", "--json", "--no-robustness", "--no-leverage",
              "--no-agendas"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["robustness"] is None and data["leverage"] is None and data["agendas"] is None
    assert data["linkage"] is not None
    clash = runner.invoke(app, ["analyze", "mexico-us-2017", "--no-agendas", "--agendas", "x"])
    assert clash.exit_code == 2
    assert clash.stderr.startswith("error: --no-agendas:")


def test_cli_report_skip_flags(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["report", "-o", str(out), "--no-robustness", "--no-leverage", "--no-agendas", "-q"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    for gone in ("robustness", "leverage"):
        assert f'<section id="{gone}">' not in html
    assert 'data-figure="agendas"' not in html
    assert '<section id="linkage">' in html


def test_report_progress_on_stderr_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # Rich draws as if stderr were a terminal
    monkeypatch.setenv("TTY_INTERACTIVE", "1")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", "-o", str(out), "--draws", "50"])
    assert result.exit_code == 0, result.output
    for stage in ("frontier", "leverage", "agendas", "robustness", "rendering the page"):
        assert stage in result.stderr
    assert result.stdout.startswith("report: ")
    quiet = runner.invoke(app, ["report", "-o", str(out), "--draws", "50", "--quiet"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    as_json = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "20", "--json"])
    assert as_json.exit_code == 0 and as_json.stderr == ""
    bar = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "20"])
    assert bar.exit_code == 0 and "leverage" in bar.stderr
