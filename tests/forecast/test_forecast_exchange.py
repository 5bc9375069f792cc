"""The exchange model as one of ``zopa.forecast.forecast``'s models and of ``zopa forecast``.

The numbers it must give on decide's own data are the ones ``test_exchange.py`` pins (decide
2025.3.1, Equal Gain, random ties off).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_exchange import COMPROMISE, ROUND_1, ROUND_10
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app
from zopa.forecast import ExchangeOptions, draw_inputs, forecast, forecast_exchange_for
from zopa.forecast.exchange import forecast_exchange
from zopa.io import load_scenario
from zopa.io.actors import read_actor_table
from zopa.model.errors import ArgumentError

COPENHAGEN = DATA / "forecast" / "decide" / "copenhagen.csv"
EC = DATA / "forecast" / "ec-emissions-1994" / "ExampleActors.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def copenhagen():  # type: ignore[no-untyped-def]
    s = load_scenario(COPENHAGEN)
    return s, forecast(s, models=("exchange",), rounds=10)


def test_forecast_equals_forecast_exchange_for(copenhagen) -> None:  # type: ignore[no-untyped-def]
    s, f = copenhagen
    m = f.model("exchange")
    reference = forecast_exchange_for(s, rounds=10, arithmetic="decimal")
    assert f.exchange_options.arithmetic == "decimal"  # "auto": 11 × 7 is small
    assert np.array_equal(m.point, reference.forecast)
    assert m.exchange is not None
    assert np.array_equal(m.exchange.outcomes, reference.outcomes)
    assert m.exchange.trades == reference.trades
    np.testing.assert_allclose(m.exchange.compromise, COMPROMISE, rtol=0, atol=1e-9)
    np.testing.assert_allclose(m.exchange.outcomes[0], ROUND_1, rtol=0, atol=1e-9)
    np.testing.assert_allclose(m.point, ROUND_10, rtol=0, atol=1e-9)
    assert m.nearest == tuple(round(v) for v in ROUND_10)  # options "0" ... "100"
    assert np.isnan(f.errors("exchange")).all()  # decide's data has no observed outcome


def test_float_arithmetic_is_the_float_model() -> None:
    s = load_scenario(COPENHAGEN)
    for options in (ExchangeOptions(arithmetic="float"), ExchangeOptions(exact_limit=76)):
        f = forecast(s, models=("exchange",), rounds=3, exchange=options)
        assert f.exchange_options.arithmetic == "float"
        assert np.array_equal(
            f.model("exchange").point, forecast_exchange_for(s, rounds=3).forecast
        )


def test_json_carries_path_and_trades(copenhagen) -> None:  # type: ignore[no-untyped-def]
    _, f = copenhagen
    entry = f.to_dict()["models"]["exchange"]
    assert entry["forecast"]["Extra"] == ROUND_10[6]
    assert entry["path"]["Newtreaty"]["mean"][:2] == [COMPROMISE[0], ROUND_1[0]]
    assert len(entry["path"]["Newtreaty"]["mean"]) == 11
    assert entry["path"]["Newtreaty"]["mean"][-1] == ROUND_10[0]
    assert len(entry["exchanges"]) == 10 and sum(entry["exchanges"]) == len(entry["trades"])
    first = entry["trades"][0]
    assert first["round"] == 1 and round(first["gain"], 6) == 3.278818
    assert first["actors"] == ["USA", "China India"]
    assert first["issues"] == ["Extra", "Commitments"]
    assert entry["interval"] is None and entry["draws"] == 0
    assert entry["options"]["arithmetic"] == "decimal" and entry["options"]["ties"] == "order"
    json.dumps(f.to_dict())


def test_monte_carlo_runs_the_first_draws_in_floats() -> None:
    s = load_scenario(COPENHAGEN)
    options = ExchangeOptions(draws=4)
    f = forecast(s, models=("exchange", "compromise"), rounds=2, draws=30, seed=3, exchange=options)
    d = f.model("exchange").distribution
    assert d is not None and d.draws == 4
    assert f.model("compromise").distribution.draws == 30  # type: ignore[union-attr]
    x, sal, c = draw_inputs(
        s.stakeholder_positions(),
        s.stakeholder_salience(),
        s.stakeholder_capability(),
        draws=30,
        scale=(np.zeros(7), np.full(7, 100.0)),
        seed=3,
    )
    bounds = [i.scale_range for i in s.issues]
    runs = [
        forecast_exchange(x[t], sal[t], c[t], rounds=2, bounds=bounds).forecast for t in range(4)
    ]
    np.testing.assert_array_equal(d.median, np.median(runs, axis=0))
    again = forecast(s, models=("exchange",), rounds=2, draws=30, seed=3, exchange=options)
    assert again.to_dict()["models"]["exchange"] == f.to_dict()["models"]["exchange"]
    none = forecast(s, models=("exchange",), rounds=1, draws=30, exchange=ExchangeOptions(draws=0))
    assert none.model("exchange").distribution is None


def test_one_issue_stays_at_the_compromise() -> None:
    f = forecast(read_actor_table(EC), rounds=3, draws=0)
    assert f.model("exchange").point == pytest.approx(f.model("compromise").point, abs=1e-12)
    assert f.to_dict()["models"]["exchange"]["exchanges"] == [0, 0, 0]


def test_flagship_has_the_exchange_model() -> None:
    f = forecast(load_scenario("mexico-us-2017"), draws=0)
    m = f.model("exchange")
    assert m.exchange is not None and m.exchange.outcomes.shape == (8, 7)
    assert f.to_dict()["models"]["exchange"]["error"]["nafta"] == pytest.approx(
        abs(m.point[0] - 50.0)
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"arithmetic": "exact"}, "arithmetic: expected"),
        ({"ties": "first"}, "ties: expected"),
        ({"draws": -1}, "draws: expected an integer >= 0"),
        ({"exact_limit": 1.5}, "exact_limit: expected an integer >= 0"),
        ({"fixed_weight": -0.1}, "fixed_weight: expected a number >= 0"),
    ],
)
def test_bad_options_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        ExchangeOptions(**kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------- the command
def test_cli_reads_decide_csv_and_prints_the_path() -> None:
    result = runner.invoke(
        app, ["forecast", str(COPENHAGEN), "--model", "exchange", "--rounds", "10", "--draws", "0"]
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "exchange (Equal Gain)" in out and "expected utility" not in out
    assert "decimal arithmetic" in out
    assert "Exchange model, round by round" in out
    assert "94.03" in out and "95.48" in out  # Extra after round 10 and after round 1


def test_cli_json_exchange_alone() -> None:
    result = runner.invoke(
        app,
        [
            "forecast",
            str(COPENHAGEN),
            "--model",
            "exchange",
            "--rounds",
            "10",
            "--json",
            "--draws",
            "0",
        ],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert list(document["models"]) == ["exchange"]
    forecasts = document["models"]["exchange"]["forecast"]
    np.testing.assert_allclose(list(forecasts.values()), ROUND_10, rtol=0, atol=1e-9)


def test_cli_all_models_with_draws_on_the_flagship() -> None:
    result = runner.invoke(
        app, ["forecast", "mexico-us-2017", "--draws", "20", "--exchange-draws", "5"]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "its intervals from the first 5 of the 20 draws" in out
    for text in ("compromise", "median voter", "expected utility", "Equal Gain", "round by round"):
        assert text in out
    document = json.loads(
        runner.invoke(
            app, ["forecast", "mexico-us-2017", "--json", "--draws", "6", "--exchange-draws", "3"]
        ).stdout
    )
    assert list(document["models"]) == ["compromise", "median", "eum", "smp", "exchange"]
    assert document["models"]["exchange"]["draws"] == 3
    assert document["models"]["eum"]["draws"] == 6
    assert set(document["models"]["exchange"]["interval"]["nafta"]) == {
        "q05",
        "q25",
        "median",
        "q75",
        "q95",
    }


def test_cli_ec_table() -> None:
    result = runner.invoke(app, ["forecast", str(EC), "--draws", "0", "--model", "exchange"])
    assert result.exit_code == 0, result.output
    assert "nobody can trade" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--arithmetic", "exact"],
            '--arithmetic: expected one of auto, float, decimal, got "exact"',
        ),
        (["--exchange-draws", "-1"], "--exchange-draws: expected an integer >= 0, got -1"),
    ],
)
def test_bad_flags(flags: list[str], message: str) -> None:
    result = runner.invoke(app, ["forecast", str(COPENHAGEN), *flags])
    assert result.exit_code == 2
    assert message in result.stderr


def test_random_ties_are_seeded_by_the_forecast_seed() -> None:
    s = load_scenario(COPENHAGEN)
    options = ExchangeOptions(ties="random", arithmetic="float")
    a, b = (forecast(s, models=("exchange",), rounds=2, seed=7, exchange=options) for _ in "ab")
    assert np.array_equal(a.model("exchange").point, b.model("exchange").point)
    reference = forecast_exchange_for(s, rounds=2, ties="random", seed=7)
    assert np.array_equal(a.model("exchange").point, reference.forecast)
