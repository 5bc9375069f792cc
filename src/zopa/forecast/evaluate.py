"""Accuracy on real decisions: each model's absolute error against observed outcomes.

Given the stakeholder arrays of many issues and the outcome each issue actually had (the DEU III
data set of EU legislative decisions, read by :func:`zopa.io.deu.read_deu`), :func:`evaluate` runs
each forecasting model on every issue and reports, over the *scored* issues (those with an outcome
and at least 3 actors taking part), the mean and the median absolute error with bootstrap
confidence intervals.

Models and their settings (each model's documented defaults; nothing here is tuned to the data):

- ``compromise``: :func:`zopa.forecast.compromise.compromise_position`, the capability ×
  salience weighted mean.
- ``median``: :func:`zopa.forecast.median.weighted_median` (``tie="lower"``).
- ``eum``: :func:`zopa.forecast.eum.run_eum` with :class:`~zopa.forecast.eum.EUMOptions` defaults
  and 8 rounds (Scholz's Table 2); the forecast is the median after the last round. Every issue is
  played on its own.
- ``exchange``: :func:`zopa.forecast.exchange.forecast_exchange` in float arithmetic, 10 rounds,
  deterministic ties, on the 0–100 scale. Exchanges trade one issue against another *of the same
  decision* (legislative proposal), so the model runs once per decision; a decision with one
  issue has nothing to trade and its forecast is the compromise.
- ``smp``: :func:`zopa.forecast.smp.run_smp` with KTAB's defaults (:class:`SMPOptions`) until
  KTAB's stop rule, once per decision (its issues are the dimensions of one space; actors without
  a position on any of them left out); the forecast is the last state's positions weighted by
  their chances. Not run unless asked for.
- ``ensemble``: the mean of the ``compromise`` and ``median`` forecasts, a fixed rule with
  nothing fitted (not run unless asked for).

Capability: ``capability=None`` (the default) gives every actor 1, so the compromise is the
salience-weighted mean, the form in which the forecasting reference quotes 23.64 on the full data
set; the DEU file's capability row (GDP) can be passed instead.

Confidence intervals: a percentile bootstrap over issues. ``draws`` resamples (default 10,000) of
the scored issues, drawn with replacement from ``numpy.random.default_rng(seed)`` (default seed 0),
the same resamples for every model (so the intervals of two models are comparable, and each
model's difference from the compromise model, :attr:`Accuracy.versus_compromise`, is a paired
interval); the interval is the ``(1 − level)/2`` and ``(1 + level)/2``
quantiles (``numpy.quantile``'s default linear interpolation) of the statistic over the
resamples. By default issues are resampled one by one, so issues of one proposal are treated as
independent; ``resample="decisions"`` resamples whole decisions instead (a cluster bootstrap: as
many decisions as there are, with replacement, each with all its scored issues), which allows for
issues of one proposal erring together. The same ``seed``, ``draws`` and ``resample`` give the
same intervals.

:func:`cross_validate` (the stretch goal) fits the weight ``w`` of ``w·compromise + (1 − w)·median``
on k − 1 folds of decisions and scores it on the remaining fold.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays
from zopa.forecast.compromise import compromise_position
from zopa.forecast.eum import run_eum
from zopa.forecast.exchange import forecast_exchange
from zopa.forecast.median import weighted_median
from zopa.forecast.smp import run_smp
from zopa.model.errors import ArgumentError
from zopa.model.random import generator

__all__ = [
    "ALL_MODELS",
    "MODELS",
    "Accuracy",
    "CrossValidation",
    "Evaluation",
    "bootstrap_interval",
    "cross_validate",
    "evaluate",
    "model_forecasts",
]

F = npt.NDArray[np.float64]
Statistic = Literal["mean", "median"]

#: The models :func:`evaluate` runs by default, in this order.
MODELS = ("compromise", "median", "eum", "exchange")
#: Every model :func:`evaluate` knows.
ALL_MODELS = (*MODELS, "smp", "ensemble")

#: Rounds of the dynamic models (their documented defaults).
EUM_ROUNDS = 8
EXCHANGE_ROUNDS = 10


@dataclass(frozen=True)
class Accuracy:
    """One model's errors over the scored issues.

    Attributes:
        model: its name (one of :data:`ALL_MODELS`).
        forecasts: ``(issues,)``: the forecast of every issue, scored or not (NaN where none).
        errors: ``(scored issues,)``: absolute errors, NaN where the model gave no forecast.
        mae: mean absolute error (over the issues with a forecast).
        mae_interval: its bootstrap confidence interval.
        median_error: median absolute error.
        median_interval: its bootstrap confidence interval.
        scored: issues with a forecast and an outcome.
        missing: scored issues on which the model gave no forecast (left out of the statistics).
        seconds: wall-clock time of the model's run over every issue.
        versus_compromise: bootstrap interval of this model's MAE minus the compromise model's,
            on the same resamples (paired), when the compromise model was evaluated too; ``None``
            for the compromise model itself or when it was not evaluated.
    """

    model: str
    forecasts: F
    errors: F
    mae: float
    mae_interval: tuple[float, float]
    median_error: float
    median_interval: tuple[float, float]
    scored: int
    missing: int
    seconds: float
    versus_compromise: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "mae": self.mae,
            "mae_interval": list(self.mae_interval),
            "median_error": self.median_error,
            "median_interval": list(self.median_interval),
            "scored": self.scored,
            "missing": self.missing,
            "seconds": round(self.seconds, 3),
            "versus_compromise": (
                None if self.versus_compromise is None else list(self.versus_compromise)
            ),
        }


@dataclass(frozen=True)
class Evaluation:
    """Every model's :class:`Accuracy` on one set of issues, and how it was computed.

    Attributes:
        models: one :class:`Accuracy` per model, in the order asked.
        issues: all issues given.
        scoreable: issues with an outcome and enough actors (the ones scored).
        decisions: number of decisions the issues belong to.
        capability: ``"equal"`` or ``"given"``.
        draws, seed, level: the bootstrap's settings.
        resample: what the bootstrap resamples, ``"issues"`` or ``"decisions"``.
    """

    models: tuple[Accuracy, ...]
    issues: int
    scoreable: int
    decisions: int
    capability: str
    draws: int
    seed: int
    level: float
    resample: str = "issues"
    settings: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, model: str) -> Accuracy:
        for a in self.models:
            if a.model == model:
                return a
        raise KeyError(model)

    def to_dict(self) -> dict[str, Any]:
        """``{"issues", "scoreable", "decisions", "capability", "bootstrap", "settings",
        "models": {name: Accuracy.to_dict()}}``."""
        return {
            "issues": self.issues,
            "scoreable": self.scoreable,
            "decisions": self.decisions,
            "capability": self.capability,
            "bootstrap": {
                "draws": self.draws,
                "seed": self.seed,
                "level": self.level,
                "resample": self.resample,
                "method": f"percentile; scored {self.resample} resampled with replacement, "
                "the same resamples for every model",
            },
            "settings": self.settings,
            "models": {a.model: a.to_dict() for a in self.models},
        }


def bootstrap_interval(
    errors: npt.ArrayLike,
    statistic: Statistic = "mean",
    *,
    draws: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
    groups: npt.ArrayLike | None = None,
) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean (or median) of ``errors`` (NaN left out).

    With ``groups`` (one label per error) whole groups are resampled (a cluster bootstrap):
    each resample draws as many groups as there are, with replacement, and takes every error of
    each group drawn.

    Examples:
        >>> lo, hi = bootstrap_interval([1.0, 2.0, 3.0, 4.0, 10.0], draws=2000, seed=1)
        >>> lo < 4.0 < hi
        True
        >>> bootstrap_interval([1.0, 2.0], seed=3) == bootstrap_interval([1.0, 2.0], seed=3)
        True
    """
    e = np.asarray(errors, dtype=float)
    g = None if groups is None else np.asarray(groups)
    if g is not None and g.shape != e.shape:
        raise ArgumentError(f"groups: expected shape {e.shape} (one per error), got {g.shape}")
    picks = _resamples(e.size, draws, seed, g)
    return _interval(e, picks, statistic, level)


def _resamples(
    n: int, draws: int, seed: int, groups: npt.NDArray[Any] | None = None
) -> npt.NDArray[np.intp]:
    """``(draws, length)`` indices into the errors; index ``n`` (padding) stands for NaN."""
    if isinstance(draws, bool) or not isinstance(draws, int | np.integer) or draws < 1:
        raise ArgumentError(f"draws: expected an integer >= 1, got {draws!r}")
    if n == 0:
        return np.zeros((draws, 0), dtype=np.intp)
    rng = generator(seed)
    if groups is None:
        return rng.integers(0, n, size=(draws, n))
    labels = np.unique(groups, return_inverse=True)[1].ravel()
    order = np.argsort(labels, kind="stable")  # the members of each group, group by group
    sizes = np.bincount(labels)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    chosen = rng.integers(0, sizes.size, size=(draws, sizes.size))
    lens = sizes[chosen].ravel()
    within = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    members = order[np.repeat(starts[chosen].ravel(), lens) + within]
    row_len = sizes[chosen].sum(axis=1)
    rows = np.repeat(np.arange(draws), row_len)
    col = np.arange(row_len.sum()) - np.repeat(np.cumsum(row_len) - row_len, row_len)
    picks = np.full((draws, int(row_len.max())), n, dtype=np.intp)
    picks[rows, col] = members
    return picks


def _interval(
    e: F, picks: npt.NDArray[np.intp], statistic: Statistic, level: float
) -> tuple[float, float]:
    if not 0 < level < 1:
        raise ArgumentError(f"level: expected a number in (0, 1), got {level}")
    if e.size == 0 or np.isnan(e).all():
        return (float("nan"), float("nan"))
    sample = np.append(e, np.nan)[picks]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a resample of only NaN
        stats = (np.nanmean if statistic == "mean" else np.nanmedian)(sample, axis=1)
    stats = stats[~np.isnan(stats)]
    lo, hi = np.quantile(stats, [(1 - level) / 2, (1 + level) / 2])
    return (float(lo), float(hi))


def model_forecasts(
    model: str,
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
    *,
    decisions: npt.ArrayLike | None = None,
) -> F:
    """One model's forecast per issue, ``(issues,)`` (see the module docstring for the settings).

    Args:
        model: one of :data:`ALL_MODELS`.
        positions: ``(stakeholders, issues)`` on 0–100, NaN where a stakeholder takes no part.
        salience: same shape, in [0, 1].
        capability: ``(stakeholders,)`` or the same shape; default 1.
        decisions: ``(issues,)``: which decision each issue belongs to (the exchange model trades
            only within a decision, the spatial model plays a decision's issues together);
            default one decision per issue.
    """
    x, s, c = as_arrays(positions, salience, capability)
    if x.ndim != 2:
        raise ArgumentError(f"positions: expected (stakeholders, issues), got shape {x.shape}")
    with np.errstate(all="ignore"):
        if model == "compromise":
            return compromise_position(x, s, c)
        if model == "median":
            return weighted_median(x, s, c)
        if model == "ensemble":
            return (compromise_position(x, s, c) + weighted_median(x, s, c)) / 2
        if model == "eum":
            return np.asarray(run_eum(x, s, c, rounds=EUM_ROUNDS, record=False).forecast)
        if model == "exchange":
            groups = _groups(decisions, x.shape[1])
            out = np.full(x.shape[1], np.nan)
            for g in np.unique(groups):
                cols = np.flatnonzero(groups == g)
                f = forecast_exchange(
                    x[:, cols], s[:, cols], c[:, cols], rounds=EXCHANGE_ROUNDS, arithmetic="float"
                )
                out[cols] = f.forecast
            return out
        if model == "smp":
            groups = _groups(decisions, x.shape[1])
            out = np.full(x.shape[1], np.nan)
            for g in np.unique(groups):
                cols = np.flatnonzero(groups == g)
                rows = ~np.isnan(x[:, cols]).all(axis=1)
                if rows.any():
                    xs, ss, cs = x[rows][:, cols], s[rows][:, cols], c[rows][:, cols]
                    out[cols] = run_smp(xs, ss, cs).forecast
            return out
    raise ArgumentError(f'model: expected one of {", ".join(ALL_MODELS)}, got "{model}"')


def _groups(decisions: npt.ArrayLike | None, m: int) -> npt.NDArray[np.int64]:
    if decisions is None:
        return np.arange(m)
    g = np.asarray(decisions)
    if g.shape != (m,):
        raise ArgumentError(f"decisions: expected shape ({m},) (one per issue), got {g.shape}")
    return np.unique(g, return_inverse=True)[1].astype(np.int64)


def _scoreable(x: F, s: F, outcome: F, scoreable: npt.ArrayLike | None) -> npt.NDArray[np.bool_]:
    if scoreable is None:
        return np.asarray(~np.isnan(outcome) & ((~np.isnan(x)).sum(axis=0) >= 3))
    mask = np.asarray(scoreable, dtype=bool)
    if mask.shape != outcome.shape:
        raise ArgumentError(f"scoreable: expected shape {outcome.shape}, got {mask.shape}")
    return np.asarray(mask & ~np.isnan(outcome))


def evaluate(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    outcome: npt.ArrayLike,
    *,
    capability: npt.ArrayLike | None = None,
    decisions: npt.ArrayLike | None = None,
    scoreable: npt.ArrayLike | None = None,
    models: Sequence[str] = MODELS,
    draws: int = 10_000,
    seed: int = 0,
    level: float = 0.95,
    resample: Literal["issues", "decisions"] = "issues",
) -> Evaluation:
    """Each model's mean and median absolute error over the scored issues, with intervals.

    Args:
        positions: ``(stakeholders, issues)`` on 0–100, NaN where a stakeholder takes no part.
        salience: same shape, in [0, 1] (0 where a stakeholder takes no part).
        outcome: ``(issues,)``: the observed outcomes, NaN where unknown.
        capability: ``(stakeholders,)``; default 1 for everyone.
        decisions: ``(issues,)``: the decision each issue belongs to (for the exchange model).
        scoreable: ``(issues,)`` mask of the issues to score; default those with an outcome and
            at least 3 stakeholders with a position.
        models: names from :data:`ALL_MODELS`.
        draws, seed, level: the bootstrap (see the module docstring).
        resample: ``"issues"`` (default) resamples issues one by one; ``"decisions"`` resamples
            whole decisions (a cluster bootstrap; needs ``decisions``).

    Examples:
        >>> x = np.array([[0.0, 20.0], [50.0, 60.0], [100.0, 80.0]])
        >>> s = np.ones_like(x)
        >>> e = evaluate(x, s, [40.0, 70.0], models=["compromise", "median"], draws=100)
        >>> e["compromise"].errors.round(2).tolist(), e["median"].errors.tolist()
        ([10.0, 16.67], [10.0, 10.0])
        >>> round(e["compromise"].mae, 2), e["median"].mae
        (13.33, 10.0)
    """
    x, s, _ = as_arrays(positions, salience, None)
    out = np.asarray(outcome, dtype=float)
    if x.ndim != 2 or out.shape != (x.shape[1],):
        raise ArgumentError(
            f"outcome: expected one per issue ({x.shape[-1]},), got shape {out.shape}"
        )
    names = list(models)
    for name in names:
        if name not in ALL_MODELS:
            raise ArgumentError(
                f'models: expected names from {", ".join(ALL_MODELS)}, got "{name}"'
            )
    if not names:
        raise ArgumentError("models: expected at least one model")
    mask = _scoreable(x, s, out, scoreable)
    if resample not in ("issues", "decisions"):
        raise ArgumentError(f'resample: expected "issues" or "decisions", got {resample!r}')
    if resample == "decisions" and decisions is None:
        raise ArgumentError('resample: "decisions" needs decisions (one per issue)')
    groups = _groups(decisions, x.shape[1])
    picks = _resamples(
        int(mask.sum()), draws, seed, groups[mask] if resample == "decisions" else None
    )
    results = []
    for name in names:
        started = time.perf_counter()
        f = model_forecasts(name, x, s, capability, decisions=decisions)
        seconds = time.perf_counter() - started
        err = np.abs(f[mask] - out[mask])
        have = ~np.isnan(err)
        results.append(
            Accuracy(
                model=name,
                forecasts=f,
                errors=err,
                mae=float(err[have].mean()) if have.any() else float("nan"),
                mae_interval=_interval(err, picks, "mean", level),
                median_error=float(np.median(err[have])) if have.any() else float("nan"),
                median_interval=_interval(err, picks, "median", level),
                scored=int(have.sum()),
                missing=int((~have).sum()),
                seconds=seconds,
            )
        )
    base = next((a for a in results if a.model == "compromise"), None)
    if base is not None:
        results = [
            a
            if a is base
            else replace(
                a, versus_compromise=_interval(a.errors - base.errors, picks, "mean", level)
            )
            for a in results
        ]
    return Evaluation(
        models=tuple(results),
        issues=int(x.shape[1]),
        scoreable=int(mask.sum()),
        decisions=int(np.unique(groups).size),
        capability="equal" if capability is None else "given",
        draws=draws,
        seed=seed,
        level=level,
        resample=resample,
        settings={
            "median": {"tie": "lower"},
            "eum": {"rounds": EUM_ROUNDS, "options": "EUMOptions() defaults"},
            "exchange": {"rounds": EXCHANGE_ROUNDS, "arithmetic": "float", "ties": "order"},
            "ensemble": "mean of compromise and median",
        },
    )


# ---------------------------------------------------------------------------- cross-validation
@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold errors of the fitted blend ``w·compromise + (1 − w)·median``.

    Attributes:
        folds: number of folds (decisions are split, never one decision across folds).
        weights: the weight ``w`` fitted on each fold's training part.
        blend_mae: the blend's mean absolute error over every scored issue, each forecast made
            with the weight fitted without that issue's fold.
        compromise_mae, median_mae, ensemble_mae: the fixed models on the same issues.
        difference_interval: bootstrap interval of ``blend_mae − compromise_mae`` (paired).
        seed: the seed of the fold split and the bootstrap.
    """

    folds: int
    weights: tuple[float, ...]
    blend_mae: float
    compromise_mae: float
    median_mae: float
    ensemble_mae: float
    difference_interval: tuple[float, float]
    seed: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "weights": list(self.weights),
            "blend_mae": self.blend_mae,
            "compromise_mae": self.compromise_mae,
            "median_mae": self.median_mae,
            "ensemble_mae": self.ensemble_mae,
            "difference_interval": list(self.difference_interval),
            "seed": self.seed,
        }


#: The weights tried when fitting the blend.
GRID = np.linspace(0.0, 1.0, 21)


def cross_validate(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    outcome: npt.ArrayLike,
    *,
    decisions: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
    scoreable: npt.ArrayLike | None = None,
    folds: int = 5,
    seed: int = 0,
    draws: int = 10_000,
    level: float = 0.95,
    resample: Literal["issues", "decisions"] = "issues",
) -> CrossValidation:
    """k-fold cross-validation, by decision, of the compromise/median blend.

    The decisions are shuffled with ``numpy.random.default_rng(seed)`` and dealt into ``folds``
    folds; for each fold, ``w`` is the value of :data:`GRID` (0, 0.05, ..., 1) with the lowest
    mean absolute error on the other folds' scored issues (the lowest ``w`` among equals) and the
    fold's issues are forecast with it. ``draws``, ``level`` and ``resample`` set the bootstrap
    of the paired difference, as in :func:`evaluate`.
    """
    x, s, c = as_arrays(positions, salience, capability)
    out = np.asarray(outcome, dtype=float)
    mask = _scoreable(x, s, out, scoreable)
    groups = _groups(decisions, x.shape[1])
    if isinstance(folds, bool) or not isinstance(folds, int) or folds < 2:
        raise ArgumentError(f"folds: expected an integer >= 2, got {folds!r}")
    n_groups = int(groups.max()) + 1 if groups.size else 0
    if folds > n_groups:
        raise ArgumentError(f"folds: expected at most {n_groups} (the decisions), got {folds}")
    with np.errstate(all="ignore"):
        comp = compromise_position(x, s, c)
        med = weighted_median(x, s, c)
    rng = generator(seed)
    fold_of_group = np.empty(n_groups, dtype=np.int64)
    fold_of_group[rng.permutation(n_groups)] = np.arange(n_groups) % folds
    fold = fold_of_group[groups]
    blend = np.full(x.shape[1], np.nan)
    weights = []
    for k in range(folds):
        train = mask & (fold != k)
        errs = [
            np.nanmean(np.abs(w * comp[train] + (1 - w) * med[train] - out[train])) for w in GRID
        ]
        w = round(float(GRID[int(np.nanargmin(errs))]), 10)
        weights.append(w)
        test = fold == k
        blend[test] = w * comp[test] + (1 - w) * med[test]
    e_blend = np.abs(blend[mask] - out[mask])
    e_comp = np.abs(comp[mask] - out[mask])
    picks = _resamples(
        int(mask.sum()), draws, seed, groups[mask] if resample == "decisions" else None
    )
    return CrossValidation(
        folds=folds,
        weights=tuple(weights),
        blend_mae=float(np.nanmean(e_blend)),
        compromise_mae=float(np.nanmean(e_comp)),
        median_mae=float(np.nanmean(np.abs(med[mask] - out[mask]))),
        ensemble_mae=float(np.nanmean(np.abs((comp[mask] + med[mask]) / 2 - out[mask]))),
        difference_interval=_interval(e_blend - e_comp, picks, "mean", level),
        seed=seed,
    )
