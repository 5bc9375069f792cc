"""The tournament page: its sections from a leaderboard, drawn in headless Chromium, offline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.io.tournament import parse_tournament
from zopa.negotiation.leaderboard import Leaderboard, leaderboard
from zopa.negotiation.store import ResultStore
from zopa.negotiation.tournament import plan_tournament, run_tournament
from zopa.report.tournament import build_tournament_report

FILE = """\
agents: [boulware, conceder, linear, hardliner]
scenarios: [mexico-us-2017, {scenario: mexico-us-2017, as: again}]
deadline: {rounds: 40}
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("tournament") / "r.duckdb"
    config = parse_tournament(FILE)
    s = load_scenario("mexico-us-2017")
    plan, entries = plan_tournament(config, {"mexico-us-2017": s, "again": s})
    with ResultStore(db, fingerprint=config.fingerprint()) as store:
        store.add_all(run_tournament(plan, entries))
    return db


@pytest.fixture(scope="module")
def board(results: Path) -> Leaderboard:
    return leaderboard(results)


def test_sections_and_figures(board: Leaderboard) -> None:
    page = build_tournament_report(board, name="r.duckdb")
    for anchor in ("leaderboard", "distributions", "agreement", "head-to-head"):
        assert f'<section id="{anchor}">' in page.html
    assert set(page.figures) == {"utilities", "agreement", "head_to_head"}
    cells = page.figures["head_to_head"]["data"]["values"]
    assert len(cells) == 4 * 3  # ordered pairs of distinct agents
    bars = page.figures["utilities"]["data"]["values"]
    assert sum(v["count"] for v in bars) == 2 * 24  # two seats per negotiation
    assert page.headline[0].startswith(board.agents[0].agent)


def test_report_command_writes_the_page(results: Path, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    r = CliRunner().invoke(app, ["report", "--tournament", str(results), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text().startswith("<!DOCTYPE html>")
    bad = CliRunner().invoke(app, ["report", "mexico-us-2017", "--tournament", str(results)])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: --tournament: expected no SCENARIO")


def test_tournament_page_in_headless_chromium(
    board: Leaderboard, browser: Any, tmp_path: Path
) -> None:
    path = tmp_path / "t.html"
    build_tournament_report(board, name="r.duckdb").write(path)
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
        drawn = page.evaluate("Object.keys(window.zopaViews).sort()")
        assert drawn == ["agreement", "head_to_head", "utilities"]
        assert page.locator("#fig-head_to_head svg g.head_to_head_cells_marks path").count() == 12
        assert page.locator("#fig-agreement svg g.agreement_bars_marks path").count() == 2
        assert page.locator("#fig-utilities svg path").count() > len(board.histograms)
        page.screenshot(path=str(tmp_path / "t.png"), full_page=True)
    finally:
        page.close()
    assert (tmp_path / "t.png").stat().st_size > 10_000
    assert [u for u in requests if not u.startswith(url)] == []
    assert errors == [], errors
