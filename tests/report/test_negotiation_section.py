"""The report's negotiation section: concession paths over the outcome space, and package versus
issue by issue played by real strategies."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from zopa.analysis.run import analyze
from zopa.cli.app import app
from zopa.cli.report import negotiation_results, report_results
from zopa.io import load_scenario
from zopa.report import build_report


def section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start : html.index("</section>", start)]


def test_flagship_section() -> None:
    s = load_scenario("mexico-us-2017")
    a = analyze(s, draws=0, agendas=False, leverage=False)
    results = report_results(a, forecast=False)
    n = results["negotiation"]
    assert n.agents == ("conceder", "boulware")  # Mexico states the strategy: it plays Boulware
    assert len(results["negotiation_plays"]) == 4
    report = build_report(s, results)
    text = section(report.html, "negotiation")
    assert "How strategies play it out" in text
    assert "Package versus issue by issue, played" in text
    assert "+0.052 / +0.102" in text
    assert "Mexico asks for the broad agenda: linking helps it in 3 of the 4 pairings" in text
    spec = report.figures["negotiation"]
    offers = next(layer for layer in spec["layer"] if layer.get("name") == "offers")
    assert len(offers["data"]["values"]) == sum(st.action == "offer" for st in n.trace)
    assert {r["party"] for r in offers["data"]["values"]} == {"United States", "Mexico"}
    assert any(layer.get("name") == "agreement" for layer in spec["layer"])
    # the section sits after the linkage one
    assert report.html.index('<section id="linkage">') < report.html.index(
        '<section id="negotiation">'
    )


def test_genius_scenario_plays_the_package_only(domains: Path) -> None:
    s = load_scenario(domains / "anac2013-Wholesaler")
    out = negotiation_results(s, cap=1.0)
    assert "negotiation" in out and "negotiation_plays" not in out
    a = analyze(s, draws=0, agendas=False, leverage=False)
    html = build_report(s, {"analysis": a, **out}).html
    assert "only the package is played here" in section(html, "negotiation")


def test_no_negotiation_flag(tmp_path: Path) -> None:
    on, off = tmp_path / "on.html", tmp_path / "off.html"
    base = ["report", "mexico-us-2017", "--draws", "0", "--no-forecast", "-q"]
    assert CliRunner().invoke(app, [*base, "-o", str(on)]).exit_code == 0
    assert CliRunner().invoke(app, [*base, "--no-negotiation", "-o", str(off)]).exit_code == 0
    assert '<section id="negotiation">' in on.read_text(encoding="utf-8")
    assert '<section id="negotiation">' not in off.read_text(encoding="utf-8")
