"""The report as a reader meets it: opened in headless Chromium, offline, with working hover."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zopa.analysis.run import analyze
from zopa.io import load_scenario
from zopa.report import build_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    s = load_scenario("mexico-us-2017")
    result = analyze(s, draws=200)
    path = tmp_path_factory.mktemp("report") / "report.html"
    build_report(s, {"analysis": result}).write(path)
    return path, len(result.frontier)


def test_report_in_headless_chromium(report_file: tuple[Path, int], tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium not found: install Debian's chromium package (apt-get install chromium), "
            "as .ci/run does"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
    )
    path, frontier_size = report_file
    url = path.resolve().as_uri()
    requests: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(url)
            page.wait_for_function("window.zopaReady !== undefined")
            page.evaluate("window.zopaReady")
            # every figure was drawn
            drawn = page.evaluate("Object.keys(window.zopaViews).sort()")
            assert {"outcome_space", "linkage", "agendas", "robustness"} <= set(drawn)
            # the outcome-space chart holds the frontier and the solution points
            assert (
                page.evaluate("window.zopaViews.outcome_space.data('frontier').length")
                == frontier_size
            )
            assert page.evaluate("window.zopaViews.outcome_space.data('solutions').length") == 5
            chart = "#fig-outcome_space svg"
            assert page.locator(f"{chart} g.frontier_points_marks path").count() == frontier_size
            assert page.locator(f"{chart} g.solutions_marks path").count() == 5
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
            browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
    outside = [u for u in requests if not u.startswith(url)]
    assert outside == [], outside
    assert errors == [], errors


def test_genius_folder_without_disagreement_options(domains: Path, tmp_path: Path) -> None:
    """A GENIUS folder that states only reservation values (issue 8, item 1): no console
    warning or error (an empty chart logs "Infinite extent"), a page of a readable height, and
    every figure drawn with a finite size."""
    if not Path(CHROMIUM).exists():
        pytest.skip(
            "Chromium not found: install Debian's chromium package (apt-get install chromium), "
            "as .ci/run does"
        )
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs playwright: pip install -e '.[dev]'"
    )
    s = load_scenario(domains / "anac2013-Wholesaler")
    report = build_report(s, {"analysis": analyze(s, draws=50)})
    path = tmp_path / "report.html"
    report.write(path)
    url = path.resolve().as_uri()
    requests: list[str] = []
    messages: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.on(
                "console",
                lambda m: (
                    messages.append(f"{m.type}: {m.text}")
                    if m.type in ("error", "warning")
                    else None
                ),
            )
            page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
            page.goto(url)
            page.wait_for_function("window.zopaReady !== undefined")
            page.evaluate("window.zopaReady")
            drawn = page.evaluate("Object.keys(window.zopaViews).sort()")
            assert sorted(drawn) == sorted(report.figures)
            sizes = page.evaluate(
                """Array.from(document.querySelectorAll('[data-figure]')).map(el => {
                     const svg = el.querySelector('svg');
                     const box = svg ? svg.getBoundingClientRect() : null;
                     return [el.getAttribute('data-figure'), svg ? svg.getAttribute('width') : null,
                             svg ? svg.getAttribute('height') : null,
                             box ? box.width : null, box ? box.height : null];
                   })"""
            )
            height = page.evaluate("document.documentElement.scrollHeight")
        finally:
            browser.close()
    assert messages == [], messages
    assert [u for u in requests if not u.startswith(url)] == []
    assert height < 30_000, height
    assert len(sizes) == len(report.figures)
    for name, width_attr, height_attr, width, tall in sizes:
        assert width_attr is not None and height_attr is not None, name
        for value in (float(width_attr), float(height_attr), width, tall):
            assert 0 < value < 5_000, (name, width_attr, height_attr, width, tall)
