"""Reports on scenarios that state only reservation values (issue 8, items 1 and 2).

Most GENIUS and GeniusWeb folders name no option for "if talks fail" on any issue: issue by issue,
agendas and threats are then undefined. The report must draw no empty chart (an empty chart has
infinite extents and an SVG of 1.8e308 pixels), export every figure, say in one sentence what is
undefined, and make no headline claim that carries no information.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zopa.analysis.run import Analysis, analyze
from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.io.native import parse_native
from zopa.model.scenario import Scenario
from zopa.report import build_report
from zopa.report.prose import headline

runner = CliRunner()

#: GENIUS XML (three), ANL 2023 and GeniusWeb JSON folders, none with a disagreement option.
FOLDERS = ["anac2011-Energy", "anac2013-Wholesaler", "anl2023-domain00", "geniusweb-party"]


def load_quietly(path: Path) -> Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # load-time notes of some GENIUS files, not under test
        return load_scenario(path)


@pytest.fixture(scope="module", params=FOLDERS)
def folder_analysis(request: pytest.FixtureRequest, domains: Path) -> tuple[Scenario, Analysis]:
    s = load_quietly(domains / request.param)
    assert all(issue.disagreement is None for issue in s.issues)
    return s, analyze(s, draws=20)


def data_sets(spec: Any) -> Iterator[tuple[str, list[Any]]]:
    """Every inline data set of a Vega-Lite spec, with its name, layers included."""
    if isinstance(spec, dict):
        data = spec.get("data")
        if isinstance(data, dict) and "values" in data:
            yield str(data.get("name", "?")), data["values"]
        for key, value in spec.items():
            if key != "data":
                yield from data_sets(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from data_sets(item)


def test_every_figure_has_data_and_a_finite_size(
    folder_analysis: tuple[Scenario, Analysis],
) -> None:
    s, a = folder_analysis
    report = build_report(s, {"analysis": a})
    assert "threats" not in report.figures  # no issue has a fallback to change
    for name, spec in report.figures.items():
        empty = [data for data, values in data_sets(spec) if not values]
        assert empty == [], f"{name}: empty data sets {empty}"
    import vl_convert

    for name, spec in report.figures.items():
        svg = vl_convert.vegalite_to_svg(spec)
        size = re.search(r'<svg[^>]*?\swidth="([^"]+)"[^>]*?\sheight="([^"]+)"', svg)
        assert size is not None, name
        width, height = map(float, size.groups())
        assert 0 < width < 5000 and 0 < height < 5000, (name, width, height)


def test_undefined_quantities_are_said_once_where_they_would_be(
    folder_analysis: tuple[Scenario, Analysis],
) -> None:
    s, a = folder_analysis
    assert a.linkage is None and a.robustness is None
    assert a.agendas is None  # one agenda only: every issue must be on the table
    assert a.leverage is not None and a.leverage.threats == ()
    html = build_report(s, {"analysis": a}).html.split('<script type="application/json"')[0]
    assert '<section id="linkage">' in html
    assert "states only what each side gets if the whole negotiation fails" in html
    assert "the gain from linkage, the comparison of agendas and the robustness" in html
    assert "there is no threat to weigh" in html
    assert "strongest threat" not in html
    assert 'data-figure="threats"' not in html
    (note,) = [n for n in a.notes if "disagreement option" in n]
    assert note.startswith("no issue has a disagreement option")
    assert "no agenda that leaves an issue off" in note and "no threat" in note


def test_headline_makes_no_empty_claim(folder_analysis: tuple[Scenario, Analysis]) -> None:
    _, a = folder_analysis
    text = " ".join(headline(a))
    assert "best agenda" not in text
    assert "linking all issues helps" not in text
    assert "the gain from linkage is undefined" in text
    assert text.startswith("The Nash solution gives")


def test_cli_report_with_figures_on_a_genius_folder(domains: Path, tmp_path: Path) -> None:
    out, figs = tmp_path / "r.html", tmp_path / "figs"
    result = runner.invoke(
        app, ["report", str(domains / "anac2013-Wholesaler"), "-o", str(out), "--figures",
              str(figs), "--draws", "10", "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    svgs = sorted(p.stem for p in figs.glob("*.svg"))
    assert svgs == sorted(p.stem for p in figs.glob("*.png"))
    assert {"outcome_space", "chips", "leverage"} <= set(svgs)
    assert "threats" not in svgs


MIXED = """
issues:
  - {name: a, options: [x, y], disagreement: x}
  - {name: b, options: [x, y], disagreement: y}
  - {name: c, options: [x, y, z]}
parties:
  - name: P
    reservation: 0.1
    weights: {a: 0.5, b: 0.3, c: 0.2}
    values: {a: {x: 1, y: 0}, b: {x: 0, y: 1}, c: {x: 1, y: 0.5, z: 0}}
  - name: Q
    reservation: 0.1
    weights: {a: 0.2, b: 0.3, c: 0.5}
    values: {a: {x: 0, y: 1}, b: {x: 1, y: 0}, c: {x: 0, y: 0.5, z: 1}}
"""


def test_some_issues_without_a_fallback() -> None:
    s = parse_native(MIXED, source="mixed.yaml")
    a = analyze(s, draws=10)
    assert a.linkage is None and a.robustness is None
    assert a.agendas is not None and len(a.agendas) == 4  # a and b can be left off, c cannot
    assert a.leverage is not None and {t.issue for t in a.leverage.threats} == {"a", "b"}
    report = build_report(s, {"analysis": a})
    html = report.html.split('<script type="application/json"')[0]
    assert "The issue c states nothing about what holds if talks fail" in html
    assert "there is no threat on it" in html
    assert "c, with no such option, is on every agenda" in html
    # neither threat moves a deal here: no chart of empty rows, a sentence instead
    assert "None of the 2 threats moves any side's deal" in html
    assert "threats" not in report.figures and "agendas" in report.figures
    text = " ".join(report.headline)
    assert "c states nothing about what holds if talks fail" in text
    assert "best agenda" in text  # four agendas: which is best is information


def test_report_and_figures_are_written_all_or_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert

    out, figs = tmp_path / "r.html", tmp_path / "new" / "figs"
    real = vl_convert.vegalite_to_png
    calls: list[int] = []

    def fail_on_the_third(spec: dict[str, Any], scale: float = 1.0) -> bytes:
        calls.append(1)
        if len(calls) == 3:
            raise ValueError("Vega-Lite to PNG conversion failed")
        return real(spec, scale=scale)

    monkeypatch.setattr(vl_convert, "vegalite_to_png", fail_on_the_third)
    args = ["report", "-o", str(out), "--figures", str(figs), "--draws", "10", "-q"]
    failed = runner.invoke(app, args)
    assert failed.exit_code == 1 and len(calls) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no page, no folder, no temp file
    monkeypatch.setattr(vl_convert, "vegalite_to_png", real)
    (tmp_path / "new").write_text("a file where the folder should be")
    blocked = runner.invoke(app, args)
    assert blocked.exit_code == 2 and "cannot create folder" in blocked.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new"]


def test_a_figure_of_infinite_size_is_named_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import vl_convert

    from zopa.report.export import export_figures

    huge = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="1.79e308"></svg>'
    monkeypatch.setattr(vl_convert, "vegalite_to_svg", lambda spec: huge)
    with pytest.raises(
        RuntimeError, match=re.escape("figure 'threats' renders with size 300 × 1.79e308")
    ):
        export_figures({"threats": {}}, tmp_path / "figs")
    assert not (tmp_path / "figs").exists()
