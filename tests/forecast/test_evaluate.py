"""Accuracy on real decisions: the DEU III odd half scored, checked against numpy, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app
from zopa.forecast.evaluate import (
    bootstrap_interval,
    cross_validate,
    evaluate,
    model_forecasts,
)
from zopa.io.deu import DEUData, read_deu
from zopa.model.errors import ArgumentError

DEU = DATA / "forecast" / "deu3" / "deu3-odd-proposals.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def deu() -> DEUData:
    return read_deu(DEU)


def direct_compromise_mae(x: np.ndarray, s: np.ndarray, out: np.ndarray, mask: np.ndarray) -> float:
    """The salience-weighted mean per issue, written out with plain numpy."""
    w = np.where(np.isnan(x), 0.0, s)
    mean = (w * np.nan_to_num(x)).sum(axis=0) / w.sum(axis=0)
    return float(np.mean(np.abs(mean - out)[mask]))


def test_compromise_mae_equals_a_direct_computation(deu: DEUData) -> None:
    e = evaluate(
        deu.positions,
        deu.salience,
        deu.outcome,
        decisions=deu.decision_of_issue,
        scoreable=deu.scoreable,
        models=["compromise"],
        draws=200,
    )
    want = direct_compromise_mae(deu.positions, deu.salience, deu.outcome, deu.scoreable)
    assert e["compromise"].mae == pytest.approx(want, abs=1e-12)
    assert e["compromise"].scored == 180 and e["compromise"].missing == 0
    assert e.issues == 188 and e.scoreable == 180 and e.decisions == 71
    # the number this half gives (the full data set's 23.64 is quoted for both halves together)
    assert round(e["compromise"].mae, 2) == 21.39


def test_default_scoreable_mask_matches_the_readers(deu: DEUData) -> None:
    e = evaluate(deu.positions, deu.salience, deu.outcome, models=["compromise"], draws=10)
    assert e.scoreable == int(deu.scoreable.sum())


def test_median_and_gdp_capability_direct(deu: DEUData) -> None:
    m = model_forecasts("median", deu.positions, deu.salience, deu.capability)
    k = int(np.flatnonzero(deu.scoreable)[0])
    x, w = deu.positions[:, k], deu.salience[:, k] * deu.capability
    have = ~np.isnan(x)
    order = np.argsort(x[have], kind="stable")
    xs, cw = x[have][order], np.cumsum(w[have][order])
    assert m[k] == xs[np.argmax(cw >= cw[-1] / 2)]


def test_seeded_intervals_reproduce(deu: DEUData) -> None:
    kw: dict[str, Any] = dict(scoreable=deu.scoreable, models=["compromise", "median"], draws=500)
    a = evaluate(deu.positions, deu.salience, deu.outcome, seed=7, **kw)
    b = evaluate(deu.positions, deu.salience, deu.outcome, seed=7, **kw)
    c = evaluate(deu.positions, deu.salience, deu.outcome, seed=8, **kw)

    def stats(ev: Any) -> Any:
        return {k: {**v, "seconds": None} for k, v in ev.to_dict()["models"].items()}

    assert stats(a) == stats(b) != stats(c)
    for name in ("compromise", "median"):
        assert a[name].mae_interval == b[name].mae_interval
        assert a[name].median_interval == b[name].median_interval
        assert a[name].mae_interval != c[name].mae_interval
        lo, hi = a[name].mae_interval
        assert lo < a[name].mae < hi
    # the interval is the percentile bootstrap, as documented
    errors = a["compromise"].errors
    picks = np.random.default_rng(7).integers(0, errors.size, size=(500, errors.size))
    want = np.quantile(errors[picks].mean(axis=1), [0.025, 0.975])
    assert a["compromise"].mae_interval == pytest.approx(tuple(want), abs=1e-12)
    assert bootstrap_interval(errors, draws=500, seed=7) == a["compromise"].mae_interval
    # the difference from the compromise model is paired: the same resamples for both
    diff = a["median"].errors - errors
    want = np.quantile(diff[picks].mean(axis=1), [0.025, 0.975])
    assert a["median"].versus_compromise == pytest.approx(tuple(want), abs=1e-12)
    assert a["compromise"].versus_compromise is None


def test_cluster_bootstrap_resamples_whole_decisions(deu: DEUData) -> None:
    from zopa.forecast.evaluate import _resamples

    errors = np.arange(6.0)
    # one group per error: the same draws as the bootstrap by issue
    assert bootstrap_interval(errors, draws=300, seed=4, groups=np.arange(6)) == (
        bootstrap_interval(errors, draws=300, seed=4)
    )
    groups = np.array([0, 0, 0, 1, 2, 2])
    picks = _resamples(6, 50, 4, groups)
    for row in picks:
        drawn = row[row < 6]
        counts = np.bincount(groups[drawn], minlength=3) / np.bincount(groups)
        assert np.all(counts == counts.round())  # every group drawn whole, a whole number of times
        assert counts.sum() == 3  # as many groups as there are
    a = evaluate(
        deu.positions,
        deu.salience,
        deu.outcome,
        decisions=deu.decision_of_issue,
        scoreable=deu.scoreable,
        models=["compromise"],
        draws=300,
        resample="decisions",
    )
    assert a.resample == "decisions" and a.to_dict()["bootstrap"]["resample"] == "decisions"
    b = evaluate(
        deu.positions,
        deu.salience,
        deu.outcome,
        decisions=deu.decision_of_issue,
        scoreable=deu.scoreable,
        models=["compromise"],
        draws=300,
    )
    assert a["compromise"].mae == b["compromise"].mae
    assert a["compromise"].mae_interval != b["compromise"].mae_interval
    with pytest.raises(ArgumentError, match=r"^resample"):
        evaluate(deu.positions, deu.salience, deu.outcome, resample="decisions")


def test_every_model_runs_on_every_scored_issue(deu: DEUData) -> None:
    e = evaluate(
        deu.positions,
        deu.salience,
        deu.outcome,
        decisions=deu.decision_of_issue,
        scoreable=deu.scoreable,
        models=["compromise", "median", "eum", "exchange", "ensemble"],
        draws=200,
    )
    for a in e.models:
        assert a.scored == 180 and a.missing == 0, a.model
        assert 0 < a.mae < 50
    # the exchange model trades within a decision: one-issue decisions keep the compromise
    one = [
        k for k, d in enumerate(deu.decision_of_issue) if (deu.decision_of_issue == d).sum() == 1
    ]
    assert one
    assert np.allclose(e["exchange"].forecasts[one], e["compromise"].forecasts[one])


def test_cross_validation_is_seeded_and_by_decision(deu: DEUData) -> None:
    args = (deu.positions, deu.salience, deu.outcome)
    kw: dict[str, Any] = dict(decisions=deu.decision_of_issue, scoreable=deu.scoreable, draws=200)
    a = cross_validate(*args, seed=3, **kw)
    b = cross_validate(*args, seed=3, **kw)
    assert a == b and a.folds == 5 and len(a.weights) == 5
    assert all(0 <= w <= 1 for w in a.weights)
    with pytest.raises(ArgumentError, match=r"^folds"):
        cross_validate(*args, folds=1, **kw)


def test_bad_arguments_name_themselves() -> None:
    x = np.array([[0.0], [50.0], [100.0]])
    with pytest.raises(ArgumentError, match=r"^models"):
        evaluate(x, np.ones_like(x), [1.0], models=["nope"])
    with pytest.raises(ArgumentError, match=r"^outcome"):
        evaluate(x, np.ones_like(x), [1.0, 2.0])
    with pytest.raises(ArgumentError, match=r"^draws"):
        evaluate(x, np.ones_like(x), [1.0], draws=0)


# ---------------------------------------------------------------------------- the command
def test_cli_json_gives_each_models_mae(deu: DEUData) -> None:
    result = runner.invoke(
        app,
        ["forecast-eval", str(DEU), "--models", "compromise,median", "--json", "--draws", "300"],
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc["models"]) == {"compromise", "median"}
    want = direct_compromise_mae(deu.positions, deu.salience, deu.outcome, deu.scoreable)
    assert doc["models"]["compromise"]["mae"] == pytest.approx(want, abs=1e-12)
    assert doc["models"]["compromise"]["scored"] == 180
    lo, hi = doc["models"]["median"]["mae_interval"]
    assert lo < doc["models"]["median"]["mae"] < hi
    assert doc["bootstrap"]["draws"] == 300 and doc["bootstrap"]["seed"] == 0
    assert (doc["issues"], doc["scoreable"], doc["decisions"]) == (188, 180, 71)
    assert doc["capability"] == "equal"
    assert doc["models"]["compromise"]["versus_compromise"] is None
    low, high = doc["models"]["median"]["versus_compromise"]
    assert low < high


def test_cli_table_and_cross_validation() -> None:
    result = runner.invoke(
        app,
        [
            "forecast-eval",
            str(DEU),
            "--models",
            "compromise,ensemble",
            "--draws",
            "200",
            "--cv",
            "5",
        ],
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "180 scored" in flat and "21.39" in flat
    assert "5-fold cross-validation by decision" in flat


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--models", "compromise,foo"], "--models: expected names from compromise, median, eum"),
        (["--capability", "votes"], '--capability: expected equal or gdp, got "votes"'),
        (["--draws", "0"], "--draws: expected an integer >= 1, got 0"),
        (["--cv", "1"], "--cv: expected 0 (off) or an integer >= 2, got 1"),
        (["--resample", "x"], '--resample: expected issues or decisions, got "x"'),
    ],
)
def test_cli_bad_flags(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["forecast-eval", str(DEU), *args])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: " + message)


def test_cli_bad_file_is_one_located_line(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "prnrnmc\tisnrnmc\tprnr\tprname\tisnr\tpa\tsa\trp\tout\n1\t1\td\tx\ti\t200\t1\t\t\n"
    )
    result = runner.invoke(app, ["forecast-eval", str(path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {path}:2: pa: expected a number in [0, 100], got 200"


def test_help_lists_the_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "zopa.cli.app", "--help"], capture_output=True, text=True, check=True
    )
    assert "forecast-eval" in out.stdout


def test_the_spatial_model_plays_each_decision_as_one_space(deu: DEUData) -> None:
    from zopa.forecast.evaluate import model_forecasts
    from zopa.forecast.smp import run_smp

    cols = np.flatnonzero(deu.decision_of_issue < deu.decision_of_issue[40])
    x, s = deu.positions[:, cols], deu.salience[:, cols]
    got = model_forecasts("smp", x, s, decisions=deu.decision_of_issue[cols])
    assert np.isfinite(got).all()
    first = np.flatnonzero(deu.decision_of_issue[cols] == deu.decision_of_issue[cols][0])
    rows = ~np.isnan(x[:, first]).all(axis=1)
    alone = run_smp(x[rows][:, first], s[rows][:, first], np.ones(rows.sum())).forecast
    np.testing.assert_allclose(got[first], alone)
