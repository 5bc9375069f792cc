"""The report as a reader meets it: opened in headless Chromium, offline, with working hover."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zopa.analysis.run import analyze
from zopa.io import load_scenario
from zopa.report import build_report


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    from zopa.cli.report import report_results

    s = load_scenario("mexico-us-2017")
    result = analyze(s, draws=200)
    path = tmp_path_factory.mktemp("report") / "report.html"
    build_report(s, report_results(result, draws=200)).write(path)
    return path, len(result.frontier)


def test_report_in_headless_chromium(
    report_file: tuple[Path, int], browser: Any, tmp_path: Path
) -> None:
    path, frontier_size = report_file
    url = path.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url)
        page.wait_for_function("window.zopaReady !== undefined")
        page.evaluate("window.zopaReady")
        # every figure was drawn
        drawn = page.evaluate("Object.keys(window.zopaViews).sort()")
        assert {
            "outcome_space",
            "linkage",
            "agendas",
            "robustness",
            "forecast_path",
            "negotiation",
        } <= set(drawn)
        assert page.evaluate("window.zopaViews.negotiation.data('offers').length") > 0
        # the outcome-space chart holds the frontier and the solution points
        assert (
            page.evaluate("window.zopaViews.outcome_space.data('frontier').length") == frontier_size
        )
        assert page.evaluate("window.zopaViews.outcome_space.data('solutions').length") == 5
        chart = "#fig-outcome_space svg"
        assert page.locator(f"{chart} g.frontier_points_marks path").count() == frontier_size
        assert page.locator(f"{chart} g.solutions_marks path").count() == 5
        # the stakeholders' forecasts: one star per distinct forecast outcome, each labelled
        stars = page.evaluate("window.zopaViews.outcome_space.data('forecasts').length")
        assert stars >= 1
        assert page.locator(f"{chart} g.forecast_points_marks path").count() == stars
        # the round-by-round figure: a line per statistic and issue, on the scale 0-100
        path_view = "window.zopaViews.forecast_path"
        assert page.evaluate(f"{path_view}.data('forecast_path').length") > 0
        assert page.locator("#fig-forecast_path svg g.forecast_path_lines_marks").count() >= 7
        # hovering a frontier point shows its options
        point = page.locator(f"{chart} g.frontier_points_marks path").nth(frontier_size // 2)
        point.hover()
        tooltip = page.locator("#vg-tooltip-element")
        tooltip.wait_for(state="visible", timeout=5000)
        text = tooltip.inner_text()
        assert "nafta" in text and "migrants" in text, text
        assert any(o in text for o in ("scrapped", "renegotiated", "unchanged")), text
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    finally:
        page.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
    outside = [u for u in requests if not u.startswith(url)]
    assert outside == [], outside
    assert errors == [], errors


def five_party_file(folder: Path) -> Path:
    """The generated five-party scenario of issue 8, saved as a file a user would pass."""
    import zopa
    from zopa.model import random_scenario

    path = folder / "five.yaml"
    zopa.save_scenario(random_scenario(5, 4, parties=5, seed=1, disagreement=0), path)
    return path


def three_party_stakeholders_file(folder: Path) -> Path:
    """A generated three-party scenario with stakeholders (the forecast's stars in every pair)."""
    from test_forecast_section import three_party_scenario

    import zopa

    path = folder / "three.yaml"
    zopa.save_scenario(three_party_scenario(), path)
    return path


#: The scenarios every browser check runs on (issue 8, item 5): name -> where the scenario is.
MATRIX: dict[str, Callable[[Path, Path], Path | str]] = {
    "flagship": lambda domains, tmp: "mexico-us-2017",
    "generated-3-parties-stakeholders": lambda domains, tmp: three_party_stakeholders_file(tmp),
    "genius-xml-2-parties": lambda domains, tmp: domains / "anac2013-Wholesaler",
    "geniusweb": lambda domains, tmp: domains / "geniusweb-party",
    "genius-3-parties": lambda domains, tmp: domains / "anac2015-vacation",
    "generated-5-parties": lambda domains, tmp: five_party_file(tmp),
    # issue 12: hyper-rectangle utilities over 10**10 outcomes (the exact frontier of boxes.py)
    "genius-nonlinear-anac2014": lambda domains, tmp: domains / "anac2014-10issues",
}


@pytest.mark.parametrize("case", list(MATRIX))
def test_report_matrix(case: str, browser: Any, domains: Path, tmp_path: Path) -> None:
    """For each scenario of the matrix, ``zopa report --figures`` writes every figure as SVG and
    PNG, and the page, opened offline, makes no request, logs no warning or error, stays under
    30,000 px and draws every figure with a finite size."""
    from typer.testing import CliRunner

    from zopa.cli.app import app

    source = MATRIX[case](domains, tmp_path)
    page_file, figs = tmp_path / "report.html", tmp_path / "figs"
    result = CliRunner().invoke(
        app,
        [
            "report",
            str(source),
            "-o",
            str(page_file),
            "--figures",
            str(figs),
            "--draws",
            "50",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    html = page_file.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="zopa-figures">(.*?)</script>', html, re.S
    )
    assert found
    names = sorted(json.loads(found.group(1)))
    assert "outcome_space" in names
    if case in ("flagship", "generated-3-parties-stakeholders"):  # scenarios with stakeholders
        assert "forecast_path" in names
        assert '<section id="forecast">' in html
    else:
        assert '<section id="forecast">' not in html
    written = sorted(p.name for p in figs.iterdir())
    assert written == sorted([f"{n}.png" for n in names] + [f"{n}.svg" for n in names])
    for n in names:
        assert (figs / f"{n}.png").read_bytes().startswith(b"\x89PNG"), n
        assert "<svg" in (figs / f"{n}.svg").read_text(encoding="utf-8"), n

    url = page_file.resolve().as_uri()
    requests: list[str] = []
    messages: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    try:
        page.on("request", lambda r: requests.append(r.url))
        page.on(
            "console",
            lambda m: (
                messages.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None
            ),
        )
        page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        page.goto(url)
        page.wait_for_function("window.zopaReady !== undefined")
        page.evaluate("window.zopaReady")
        drawn = page.evaluate("Object.keys(window.zopaViews).sort()")
        sizes = page.evaluate(SIZES)
        too_wide = page.evaluate(TOO_WIDE)
        height = page.evaluate("document.documentElement.scrollHeight")
    finally:
        page.close()
    assert messages == [], messages
    assert [u for u in requests if not u.startswith(url)] == []
    assert height < 30_000, height
    assert drawn == names
    assert len(sizes) == len(names)
    assert too_wide == [], too_wide  # nothing scrolls sideways inside its card
    for name, width_attr, height_attr, width, tall in sizes:
        assert width_attr is not None and height_attr is not None, name
        for value in (float(width_attr), float(height_attr), width, tall):
            assert 0 < value < 5_000, (name, width_attr, height_attr, width, tall)


#: Each figure's name, its SVG's width and height attributes and its drawn box.
SIZES = """Array.from(document.querySelectorAll('[data-figure]')).map(el => {
     const svg = el.querySelector('svg');
     const box = svg ? svg.getBoundingClientRect() : null;
     return [el.getAttribute('data-figure'), svg ? svg.getAttribute('width') : null,
             svg ? svg.getAttribute('height') : null,
             box ? box.width : null, box ? box.height : null];
   })"""


#: Every figure or table that is wider than the section card that holds it.
TOO_WIDE = """Array.from(document.querySelectorAll('section')).flatMap(sec => {
     const inner = sec.getBoundingClientRect().right - parseFloat(getComputedStyle(sec).paddingRight);
     return Array.from(sec.querySelectorAll('.chart svg, table')).filter(
       el => el.getBoundingClientRect().right > inner + 1).map(
       el => sec.id + ': ' + (el.closest('[data-figure]') ?
             el.closest('[data-figure]').getAttribute('data-figure') : 'table') + ' ' +
             Math.round(el.getBoundingClientRect().right - inner) + ' px too wide');
   })"""
