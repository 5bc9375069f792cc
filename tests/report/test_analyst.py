"""The flagship page read as an analyst would (issue 8, item 4)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zopa.analysis.run import Analysis, analyze
from zopa.io import load_scenario
from zopa.model.scenario import Scenario
from zopa.report import Report, build_report
from zopa.report.prose import CONCEPT_NAMES


@pytest.fixture(scope="module")
def flagship() -> tuple[Scenario, Analysis, Report]:
    s = load_scenario("mexico-us-2017")
    a = analyze(s, draws=100)
    return s, a, build_report(s, {"analysis": a})


def body(report: Report) -> str:
    return report.html.split('<script type="application/json"')[0]


def section(report: Report, name: str) -> str:
    found = re.search(rf'<section id="{name}">(.*?)</section>', body(report), re.S)
    assert found, name
    return found.group(1)


def test_no_mutual_logroll_is_said(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, a, report = flagship
    assert a.chips is not None and a.chips.logrolls and not a.chips.mutual_logrolls
    assert "None of the logrolls leaves both sides better off" in section(report, "chips")


def test_utility_is_defined_once(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, _, report = flagship
    html = body(report)
    assert html.count('id="utility"') == 1
    assert "0.6 for one party and 0.6 for another" in html
    assert "1 is the party&#x27;s best possible outcome" in html
    assert html.index('id="utility"') < html.index('<section id="outcomes">')
    from zopa.report.prose import UTILITY_TEXT

    assert UTILITY_TEXT.startswith("A utility is")


def test_each_solution_concept_is_explained(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, a, report = flagship
    outcomes = section(report, "outcomes")
    found = re.search(r'<ul class="concepts">(.*?)</ul>', outcomes, re.S)
    assert found
    assert found.group(1).count("<li>") == len(a.solutions) == 5
    for name in a.solutions:
        assert CONCEPT_NAMES[name].meaning, name
        assert f"<b>{CONCEPT_NAMES[name].label}</b>" in found.group(1)


def test_agenda_marks_can_be_told_apart(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, _, report = flagship
    spec = report.figures["agendas"]
    points = next(layer for layer in spec["layer"] if layer.get("name") == "agenda_points")
    colour = points["encoding"]["color"]["scale"]
    assert colour.get("scheme") != "blues"  # eight light-to-dark blues cannot be told apart
    assert "size" in points["encoding"]  # a second cue besides colour
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    rows = spec["data"]["values"]
    for layer in labels:  # each label is drawn towards the middle of the chart
        side = "left" if layer["mark"]["align"] == "right" else "right"
        assert side in layer["transform"][0]["filter"]
    right_edge = max(r["ux"] for r in rows)
    for r in rows:
        if r["best"] and r["ux"] == right_edge:
            assert r["side"] == "left"


def test_threats_chart_has_no_empty_rows_or_cut_labels(
    flagship: tuple[Scenario, Analysis, Report],
) -> None:
    _, a, report = flagship
    spec = report.figures["threats"]
    by_threat: dict[str, list[float]] = {}
    for row in spec["data"]["values"]:
        by_threat.setdefault(row["threat"], []).append(row["change"])
    assert by_threat and all(max(map(abs, v)) > 5e-4 for v in by_threat.values())
    assert a.leverage is not None and len(by_threat) < len(a.leverage.threats)
    longest = max(len(t) for t in by_threat)
    assert spec["encoding"]["y"]["axis"]["labelLimit"] >= 7 * longest
    leverage = section(report, "leverage")
    assert "threats move no deal" in leverage and "labour → non-binding" in leverage


def test_headline_and_table_agree_on_the_median(
    flagship: tuple[Scenario, Analysis, Report],
) -> None:
    _, a, report = flagship
    assert "median gain" in " ".join(report.headline)
    robustness = section(report, "robustness")
    assert "<th>median gain</th>" in robustness
    import numpy as np

    assert a.robustness is not None
    for j in range(2):
        assert f"{np.median(a.robustness.gain[:, j]):+.3f}" in robustness


def test_shapley_baseline_is_said(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, _, report = flagship
    linkage = section(report, "linkage")
    assert "measured against the smallest agenda" in linkage
    assert "not against issue-by-issue talks" in linkage


def test_capability_is_the_one_word(flagship: tuple[Scenario, Analysis, Report]) -> None:
    _, _, report = flagship
    html = body(report)
    assert "clout" not in html.lower()
    assert "<th>capability</th>" in html


def test_every_option_has_each_partys_value(flagship: tuple[Scenario, Analysis, Report]) -> None:
    s, _, report = flagship
    scenario = section(report, "scenario")
    assert "What each option is worth to each party" in scenario
    for p in s.parties:
        assert f"<th>value: {p.name}</th>" in scenario
    rows = re.findall(r"<tr>(.*?)</tr>", scenario.split("What each option is worth")[1])
    options = [o for issue in s.issues for o in issue.options]
    assert len([r for r in rows if "<td" in r]) >= len(options)
    # nafta renegotiated: 1.000 to the United States, 0.700 to Mexico
    assert re.search(r"<td>renegotiated</td><td[^>]*>1\.000</td><td[^>]*>0\.700</td>", scenario)


def test_best_agendas_show_their_deal_for_everyone(
    flagship: tuple[Scenario, Analysis, Report],
) -> None:
    s, a, report = flagship
    linkage = section(report, "linkage")
    assert a.agendas is not None
    table = linkage.split("Best agenda for each side")[1].split("</table>")[0]
    for p in s.parties:
        assert f"<th>utility: {p.name}</th>" in table
    for j in range(2):
        best = a.agendas.best[j]
        for u in a.agendas.utilities[best]:
            assert f"{u:.3f}" in table
        deal: Any = s.describe(a.agendas.outcomes[best])
        assert ", ".join(f"{k}: {v}" for k, v in deal.items()) in table


def test_what_happened_label_points_away_from_the_frontier(
    flagship: tuple[Scenario, Analysis, Report],
) -> None:
    """The label sits below and to the left of the ring: the frontier lies above and to the right
    of an outcome inside it, as the flagship's observed outcome is."""
    _, a, report = flagship
    assert a.observed is not None and not a.observed.efficient
    layers = {layer.get("name"): layer for layer in report.figures["outcome_space"]["layer"]}
    text = next(x for x in layers["observed"]["layer"] if x["mark"]["type"] == "text")["mark"]
    assert text["align"] == "right" and text["dx"] < 0
    assert text["baseline"] == "top" and text["dy"] > 0
