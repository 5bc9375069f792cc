"""The report's forecast section: the stakeholders' forecasts per issue beside what happened, the
expected utility model's rounds, and the forecast outcomes in the outcome-space figure."""

from __future__ import annotations

import dataclasses
import html as htmllib
import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from zopa.analysis.run import Analysis, analyze
from zopa.analysis.space import place_outcome
from zopa.cli.app import app
from zopa.cli.report import EXCHANGE_DRAWS, SMP_DRAWS, place_forecast, report_results
from zopa.forecast.exchange import ExchangeOptions
from zopa.forecast.run import forecast
from zopa.forecast.smp import SMPOptions
from zopa.io import load_scenario
from zopa.model import Stakeholder
from zopa.model.scenario import Scenario
from zopa.report import build_report
from zopa.report.prose import model_label

runner = CliRunner()
DRAWS = 200


@pytest.fixture(scope="module")
def flagship() -> tuple[Scenario, Analysis, str, dict[str, Any]]:
    s = load_scenario("mexico-us-2017")
    a = analyze(s, draws=0, agendas=False, leverage=False)
    report = build_report(a.scenario, report_results(a, draws=DRAWS, seed=3))
    return s, a, report.html, report.figures


def section(html: str, name: str) -> str:
    found = re.search(rf'<section id="{name}">(.*?)</section>', html, re.S)
    assert found, name
    return found.group(1)


def tables(body: str) -> dict[str, list[list[str]]]:
    """Each table of ``body`` by caption: its rows as lists of cell texts (header first)."""
    out = {}
    for caption, inner in re.findall(
        r"<table[^>]*><caption>(.*?)</caption>(.*?)</table>", body, re.S
    ):
        rows = [
            [htmllib.unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", inner, re.S)
        ]
        out[htmllib.unescape(caption)] = rows
    return out


def test_the_section_shows_forecast_numbers(
    flagship: tuple[Scenario, Analysis, str, dict[str, Any]],
) -> None:
    s, _, html, _ = flagship
    # the same call the face makes, made independently
    f = forecast(
        s,
        draws=DRAWS,
        seed=3,
        exchange=ExchangeOptions(draws=EXCHANGE_DRAWS),
        smp=SMPOptions(draws=SMP_DRAWS),
    )
    body = section(html, "forecast")
    found = tables(body)
    assert len(found) == s.n_issues
    assert {m.model for m in f.models} >= {"compromise", "median", "eum"}
    for k, issue in enumerate(s.issues):
        lo, hi = issue.scale_range
        rows = found[f"{issue.name} (scale {lo:g}–{hi:g})"]
        assert rows[0] == [
            "model", "forecast", "50% interval", "90% interval", "nearest option", "error",
        ]  # fmt: skip
        by_model = {r[0]: r for r in rows[1:]}
        for m in f.models:
            d = m.distribution
            assert d is not None
            assert by_model[model_label(m.model)] == [
                model_label(m.model),
                f"{m.point[k]:.2f}",
                f"{d.q25[k]:.2f}–{d.q75[k]:.2f}",
                f"{d.q05[k]:.2f}–{d.q95[k]:.2f}",
                issue.options[m.nearest[k]],
                f"{f.errors(m.model)[k]:.2f}",
            ]
        code = s.observed.outcome[k]  # type: ignore[union-attr]
        assert code is not None
        assert by_model["what happened"][:2] == ["what happened", f"{f.observed[k]:.2f}"]
        assert by_model["what happened"][4] == issue.options[code]
    for m in f.models:
        mae = float(np.nanmean(f.errors(m.model)))
        assert f"{model_label(m.model)} {mae:.2f} (right option on" in body


def test_the_path_figure_is_the_eum_smp_and_exchange_paths(
    flagship: tuple[Scenario, Analysis, str, dict[str, Any]],
) -> None:
    s, _, html, figs = flagship
    f = forecast(s, draws=0)
    path = f.model("eum").path
    assert path is not None
    assert 'data-figure="forecast_path"' in section(html, "forecast")
    rows = figs["forecast_path"]["data"]["values"]
    names = [i.name for i in s.issues]
    expected = {"EUM median": path.median, "EUM mean": path.mean}
    if "exchange" in {m.model for m in f.models}:
        x = f.model("exchange").exchange
        assert x is not None
        expected["exchange mean"] = np.vstack([x.compromise[None, :], x.outcomes])
    if "smp" in {m.model for m in f.models}:
        p = f.model("smp").smp
        assert p is not None
        expected["SMP expected"] = p.expected
    assert {r["series"] for r in rows} == {*expected, "what happened"}
    for series, values in expected.items():
        got = {(r["issue"], r["round"]): r["position"] for r in rows if r["series"] == series}
        assert len(got) == values.size
        for (name, t), v in got.items():
            assert v == values[t, names.index(name)]
    observed = {r["issue"]: r["position"] for r in rows if r["kind"] == "observed"}
    assert observed == {i.name: p for i, p in zip(s.issues, s.observed.points, strict=True)}  # type: ignore[union-attr]


def test_the_forecast_outcomes_are_placed_in_the_outcome_space(
    flagship: tuple[Scenario, Analysis, str, dict[str, Any]],
) -> None:
    s, a, html, figs = flagship
    f = forecast(s, draws=0)
    layers = {layer.get("name"): layer for layer in figs["outcome_space"]["layer"]}
    stars = layers["forecast"]["data"]["values"]
    outcomes = {m.nearest for m in f.models}
    assert len(stars) == len(outcomes)  # models that land on one outcome share a star
    for m in f.models:
        place = place_outcome(s, m.nearest, a.frontier, a.solutions)
        star = next(r for r in stars if model_label(m.model) in r["models"].split(", "))
        assert [star["u0"], star["u1"]] == [round(u, 6) for u in place.utilities]
        assert [star[f"o{k}"] for k in range(s.n_issues)] == [
            i.options[c] for i, c in zip(s.issues, m.nearest, strict=True)
        ]
    body = section(html, "forecast")
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", body))
    for m in f.models:
        place = place_outcome(s, m.nearest, a.frontier, a.solutions)
        said = (
            "It lies on the Pareto frontier"
            if place.efficient
            else f"nearest frontier point is {place.distance_to_frontier:.3f} away"
        )
        assert said in text
        assert (
            ", ".join(f"{p.name} {u:.3f}" for p, u in zip(s.parties, place.utilities, strict=True))
            in text
        )
    # the legend names the stars, and the outcome-space section points to them
    space = figs["outcome_space"]
    assert "forecast from the stakeholders" in str(space)
    assert "pink stars" in section(html, "outcomes")


def test_no_section_without_stakeholders(tmp_path: Path) -> None:
    s = dataclasses.replace(load_scenario("mexico-us-2017"), stakeholders=())
    a = analyze(s, draws=0, agendas=False, leverage=False)
    results = report_results(a)
    assert "analysis" in results and not {"forecast", "forecast_placements"} & set(results)
    report = build_report(s, results)
    assert '<section id="forecast">' not in report.html
    assert "forecast_path" not in report.figures
    names = [layer.get("name") for layer in report.figures["outcome_space"]["layer"]]
    assert "forecast" not in names


def test_a_forecast_without_placements_renders_tables_only() -> None:
    s = load_scenario("mexico-us-2017")
    report = build_report(s, {"forecast": forecast(s, draws=0)})
    body = section(report.html, "forecast")
    assert "50% interval" not in body and "have no intervals" in body  # no draws
    assert "Where the forecast lands" not in body
    assert "forecast_path" in report.figures


def test_cli_report_forecasts_and_no_forecast_skips(tmp_path: Path) -> None:
    base = [
        "report", "mexico-us-2017", "--draws", "20", "--forecast-draws", "20",
        "--no-agendas", "--no-leverage", "-q",
    ]  # fmt: skip
    on, off = tmp_path / "on.html", tmp_path / "off.html"
    result = runner.invoke(app, [*base, "-o", str(on)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, [*base, "--no-forecast", "-o", str(off)])
    assert result.exit_code == 0, result.output
    with_forecast, without = on.read_text(encoding="utf-8"), off.read_text(encoding="utf-8")
    assert '<section id="forecast">' in with_forecast
    assert 'data-figure="forecast_path"' in with_forecast
    assert "20 Monte Carlo draws" in with_forecast  # --forecast-draws reaches the forecast
    assert '<section id="forecast">' not in without
    assert "forecast_path" not in without
    spec = re.search(r'id="zopa-figures">(.*?)</script>', without, re.S)
    assert spec
    layers = json.loads(spec.group(1))["outcome_space"]["layer"]
    assert "forecast" not in [layer.get("name") for layer in layers]


def three_party_scenario() -> Scenario:
    """A generated three-party scenario with two stakeholders (one silent on the last issue)."""
    from zopa.model import random_scenario

    s = random_scenario(3, 3, parties=3, seed=2, disagreement=0)
    n = s.n_issues

    def points(k: int) -> list[float]:
        return [float(p) for p in s.issues[k].scale_points]

    return dataclasses.replace(
        s,
        stakeholders=(
            Stakeholder("A", (2.0,) * n, tuple(points(k)[0] for k in range(n)), (0.8,) * n),
            Stakeholder(
                "B",
                (1.0,) * n,
                (*(points(k)[-1] for k in range(n - 1)), None),
                (*(0.5,) * (n - 1), 0.0),
            ),
        ),
    )


def test_three_parties_put_the_stars_in_every_pair() -> None:
    s = three_party_scenario()
    a = analyze(s, draws=0, agendas=False, leverage=False)
    results = report_results(a, draws=0)
    assert set(results["forecast_placements"]) == set(place_forecast(a, results["forecast"]))
    report = build_report(s, results)
    spec = report.figures["outcome_pairs" if "outcome_pairs" in report.figures else "outcome_space"]
    assert len(spec["datasets"]["forecasts"]) >= 1
    for chart in spec["concat"]:
        assert any(layer.get("name", "").startswith("forecast_") for layer in chart["layer"])
    assert '<section id="forecast">' in report.html


def test_more_models_are_shown_as_they_come() -> None:
    """A model forecast() may add later gets its rows; a path the figure cannot read (no median
    and mean per round) is left out of the figure."""
    import types

    s = load_scenario("mexico-us-2017")
    f = forecast(s, draws=0)
    eum = f.model("eum")
    other = dataclasses.replace(eum, model="other", path=types.SimpleNamespace(rounds=3))  # type: ignore[arg-type]
    report = build_report(s, {"forecast": dataclasses.replace(f, models=(*f.models, other))})
    body = section(report.html, "forecast")
    assert "<td>other</td>" in body
    series = {r["series"] for r in report.figures["forecast_path"]["data"]["values"]}
    assert not any(name.startswith("other") for name in series)
    assert "the expected utility model's weighted median" in body


def test_without_an_observed_outcome_there_is_no_error_column() -> None:
    s = dataclasses.replace(load_scenario("mexico-us-2017"), observed=None)
    a = analyze(s, draws=0, agendas=False, leverage=False)
    report = build_report(s, report_results(a, draws=0))
    body = section(report.html, "forecast")
    for rows in tables(body).values():
        assert rows[0] == ["model", "forecast", "nearest option"]
        assert "what happened" not in [r[0] for r in rows]
    assert "what happened" not in {
        r["series"] for r in report.figures["forecast_path"]["data"]["values"]
    }
