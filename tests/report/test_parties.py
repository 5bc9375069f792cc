"""Reports on more than two parties (issue 8, item 3): views a reader can read, captions that count.

A frontier of three or more parties is no line in any plane of two of them, so the report draws one
small chart per pair of parties with the frontier as points; every caption and legend says how many
parties there are, never "both sides" for five.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from zopa.analysis.run import Analysis, analyze
from zopa.io import load_scenario
from zopa.model import random_scenario
from zopa.model.scenario import Scenario
from zopa.report import build_report
from zopa.report.figures import outcome_space_figure


def five_parties() -> Scenario:
    return random_scenario(5, 4, parties=5, seed=1, disagreement=0)


@pytest.fixture(scope="module")
def vacation(domains: Path) -> tuple[Scenario, Analysis]:
    s = load_scenario(domains / "anac2015-vacation")
    return s, analyze(s, draws=20)


@pytest.fixture(scope="module")
def five() -> tuple[Scenario, Analysis]:
    s = five_parties()
    return s, analyze(s, draws=20)


def walk(spec: Any) -> Iterator[dict[str, Any]]:
    """Every object in a spec."""
    if isinstance(spec, dict):
        yield spec
        for value in spec.values():
            yield from walk(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from walk(value)


def marks(spec: Any) -> list[str]:
    out = []
    for node in walk(spec):
        mark = node.get("mark")
        if mark is not None:
            out.append(mark if isinstance(mark, str) else mark["type"])
    return out


def section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert found, name
    return found.group(1)


@pytest.mark.parametrize("case", ["vacation", "five"])
def test_one_chart_per_pair_with_the_frontier_as_points(
    case: str, request: pytest.FixtureRequest
) -> None:
    s, a = request.getfixturevalue(case)
    n = s.n_parties
    report = build_report(s, {"analysis": a})
    space = report.figures["outcome_space"]
    charts = space["concat"]
    assert len(charts) == n * (n - 1) // 2
    assert "line" not in marks(space)  # a projected frontier is no staircase
    # each chart's axes name its own pair, and its reservation lines are that pair's
    pairs = [(x, y) for x in range(n) for y in range(x + 1, n)]
    for (x, y), chart in zip(pairs, charts, strict=True):
        layers = {layer["name"]: layer for layer in chart["layer"]}
        enc = layers[f"outcomes_{x}_{y}"]["encoding"]
        assert (enc["x"]["field"], enc["y"]["field"]) == (f"u{x}", f"u{y}")
        rules = layers[f"reservation_{x}_{y}"]["layer"]
        assert [r["transform"] for r in rules] == [
            [{"filter": f"datum.party == {x}"}],
            [{"filter": f"datum.party == {y}"}],
        ]
    # mark names are unique: a repeated name makes every chart draw the last chart's marks
    names = [node["name"] for node in walk(charts) if "name" in node and "mark" in node]
    names += [node["name"] for node in walk(charts) if "name" in node and "layer" in node]
    assert len(names) == len(set(names))
    # one copy of the data, shared by the charts
    assert len(space["datasets"]["frontier"]) == len(a.frontier)
    assert len(json.dumps(space)) < 3 * len(json.dumps(space["datasets"]))


def test_captions_count_the_parties(five: tuple[Scenario, Analysis]) -> None:
    s, a = five
    html = build_report(s, {"analysis": a}).html.split('<script type="application/json"')[0]
    outcomes = section(html, "outcomes")
    assert "both sides" not in outcomes
    assert "all 5 parties" in outcomes and "10 pairs of parties" in outcomes
    chips = section(html, "chips")
    assert "A and B, the first two of the scenario's 5 parties" in chips
    # five utility columns and the outcomes do not share one table
    assert outcomes.count("<table") == 2


def test_coinciding_solutions_stay_visible(five: tuple[Scenario, Analysis]) -> None:
    s, a = five
    rows = build_report(s, {"analysis": a}).figures["outcome_space"]["datasets"]["solutions"]
    at = [tuple(round(r[f"u{j}"], 4) for j in range(5)) for r in rows]
    assert len(set(at)) < len(at)  # some solutions coincide in this scenario
    sizes = [r["s0_1"] for r in rows]
    for i in range(len(rows)):
        for k in range(i):
            if at[i] == at[k]:
                assert sizes[i] != sizes[k]
                assert rows[k]["solution"] in rows[i]["same0_1"]


def test_one_colour_per_party(five: tuple[Scenario, Analysis]) -> None:
    s, a = five
    figures = build_report(s, {"analysis": a}).figures
    for name in ("leverage", "threats"):
        scale = figures[name]["encoding"]["color"]["scale"]
        assert len(set(scale["range"])) == 5, name
    # five facets of the leverage chart wrap instead of running off the page
    assert figures["leverage"]["encoding"]["facet"]["columns"] == 3


def test_axes_end_at_the_utilities_not_beyond(vacation: tuple[Scenario, Analysis]) -> None:
    """Even ticks on a fixed range: no 1.1 at the top, no colliding end labels, room for a marker
    at 1."""
    s = load_scenario("mexico-us-2017")
    spec = outcome_space_figure(analyze(s, draws=10))
    for channel in ("x", "y"):
        enc = spec["layer"][1]["encoding"][channel]
        low, high = enc["scale"]["domain"]
        assert -0.05 < low < 0 and 1 < high < 1.05
        assert enc["axis"]["values"] == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    _, a = vacation
    for chart in build_report(vacation[0], {"analysis": a}).figures["outcome_space"]["concat"]:
        ticks = chart["layer"][1]["encoding"]["x"]["axis"]["values"]
        assert all(round(b - t, 6) == 0.2 for t, b in pairwise(ticks))


def test_key_covers_every_mark_of_the_outcome_space() -> None:
    s = load_scenario("mexico-us-2017")
    spec = outcome_space_figure(analyze(s, draws=10))
    domains = {
        tuple(node["stroke"]["scale"]["domain"])
        for node in walk(spec)
        if isinstance(node.get("stroke"), dict) and "datum" in node["stroke"]
    }
    assert domains == {
        ("outcome", "Pareto frontier", "reservation value", "zone of agreement", "what happened")
    }
