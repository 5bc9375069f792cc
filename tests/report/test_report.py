"""The HTML report: self-contained, built from results, one section per result, figures export."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.analysis.run import analyze
from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.io.native import parse_native
from zopa.report import build_report
from zopa.report.prose import headline
from zopa.report.sections import SECTIONS, ReportInput, Section, register_section

runner = CliRunner()


@pytest.fixture(scope="module")
def flagship() -> tuple[object, object]:
    s = load_scenario("mexico-us-2017")
    return s, analyze(s, draws=100)


def figures_of(html: str) -> dict[str, dict[str, object]]:
    found = re.search(
        r'<script type="application/json" id="zopa-figures">(.*?)</script>', html, re.S
    )
    assert found
    data: dict[str, dict[str, object]] = json.loads(found.group(1))
    return data


def test_page_is_self_contained(flagship: tuple[object, object]) -> None:
    s, a = flagship
    html = build_report(s, {"analysis": a}).html  # type: ignore[arg-type]
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html)
    assert "<link" not in html
    assert "@import" not in html
    for section in (
        "scenario",
        "outcomes",
        "linkage",
        "chips",
        "leverage",
        "robustness",
        "observed",
    ):
        assert f'<section id="{section}">' in html


def test_headline_and_numbers_come_from_the_results(flagship: tuple[object, object]) -> None:
    s, a = flagship
    report = build_report(s, {"analysis": a})  # type: ignore[arg-type]
    assert report.headline == tuple(headline(a))  # type: ignore[arg-type]
    assert f"{a.linkage.gain[1]:+.3f}" in report.html  # type: ignore[attr-defined]
    specs = figures_of(report.html)
    space = specs["outcome_space"]
    layers = {layer.get("name"): layer for layer in space["layer"]}  # type: ignore[attr-defined]
    assert len(layers["frontier"]["data"]["values"]) == len(a.frontier)  # type: ignore[attr-defined]
    assert len(layers["solutions"]["data"]["values"]) == 5
    assert len(layers["outcomes"]["data"]["values"]) == s.n_outcomes  # type: ignore[attr-defined]
    observed = layers["observed"]["data"]["values"][0]
    assert observed["o0"] == "renegotiated"
    robust = specs["robustness"]["data"]["values"]  # type: ignore[index]
    assert len(robust) == 100 * 2


def test_names_are_escaped() -> None:
    s = parse_native(
        "issues:\n  - {name: x, options: ['<i>', b], disagreement: b}\n"
        "parties:\n  - {name: '<x>&', weights: {x: 1}, values: {x: {'<i>': 1, b: 0}}}\n"
        "  - {name: Q, weights: {x: 1}, values: {x: {'<i>': 0, b: 1}}}\n",
        source="e.yaml",
    )
    html = build_report(s, {"analysis": analyze(s, draws=10)}).html
    body = html.split('<script type="application/json"')[0]
    assert "<x>" not in body and "&lt;x&gt;&amp;" in body


def test_a_new_section_needs_no_other_change(flagship: tuple[object, object]) -> None:
    s, a = flagship

    def forecast_section(inp: ReportInput) -> Section | None:
        value = inp.results.get("forecast")
        return None if value is None else Section("forecast", "Forecast", f"<p>{value}</p>")

    register_section(65)(forecast_section)
    try:
        html = build_report(s, {"analysis": a, "forecast": "median voter: renegotiated"}).html  # type: ignore[arg-type]
        assert '<section id="forecast">' in html
        assert (
            html.index('id="robustness"')
            < html.index('id="forecast"')
            < html.index('id="observed"')
        )
        without = build_report(s, {"analysis": a}).html  # type: ignore[arg-type]
        assert 'id="forecast"' not in without
    finally:
        SECTIONS[:] = [item for item in SECTIONS if item[1] is not forecast_section]


def test_report_of_scenario_without_linkage_or_observation(domains: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = load_scenario(domains / "anac2016-triangularFight-Atlas3")
        a = analyze(s, draws=20)
    report = build_report(s, {"analysis": a})
    assert s.n_parties == 3
    assert '<section id="outcomes">' in report.html
    assert '<section id="observed">' not in report.html


def test_cli_report_writes_page_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    figs = tmp_path / "figs"
    result = runner.invoke(app, ["report", "-o", str(out), "--figures", str(figs), "--draws", "50"])
    assert result.exit_code == 0, result.output
    assert f"report: {out.resolve()}" in result.stdout
    assert "Negotiating all 7 issues" in result.stdout
    assert out.read_text().startswith("<!DOCTYPE html>")
    svgs = sorted(p.stem for p in figs.glob("*.svg"))
    pngs = sorted(p.stem for p in figs.glob("*.png"))
    assert svgs == pngs and "outcome_space" in svgs
    assert (figs / "outcome_space.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (figs / "outcome_space.svg").read_text()


def test_cli_report_bad_output_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "-o", str(tmp_path), "--draws", "5"])
    assert result.exit_code == 2
    assert "expected a file to write the report to, got a folder" in result.stderr
    missing = tmp_path / "not-yet"
    result = runner.invoke(app, ["report", "-o", f"{missing}/", "--draws", "5"])
    assert result.exit_code == 2
    assert "got a folder" in result.stderr and not missing.exists()
    missing = runner.invoke(app, ["report", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2
    assert len(missing.stderr.strip().splitlines()) == 1


#: Python with the report extra really absent: ``None`` in ``sys.modules`` makes every
#: ``import vl_convert`` fail with ModuleNotFoundError, as on an install without the extra.
WITHOUT_EXTRA = """\
import sys
sys.modules["vl_convert"] = None
sys.argv = ["zopa", *sys.argv[1:]]
from zopa.cli.app import main
main()
"""


def test_cli_report_without_the_report_extra_says_what_to_install(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA, "report", "-o", str(out / "r.html"),
         "--figures", str(out / "figs"), "--draws", "5"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        "error: zopa report needs the report extra (vl-convert-python): pip install 'zopa[report]'"
    ]
    assert proc.stdout == ""
    assert not out.exists()


def test_report_api_without_the_report_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from zopa.report.extra import vl_convert

    monkeypatch.setitem(sys.modules, "vl_convert", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'zopa\[report\]'") as info:
        vl_convert()
    assert info.value.name == "vl_convert"
