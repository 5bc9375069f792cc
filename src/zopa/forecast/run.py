"""Every forecasting model on a scenario's stakeholders, per issue, with intervals and errors.

:func:`forecast` reads :meth:`zopa.model.Scenario.stakeholder_positions`, ``_salience`` and
``_capability``, runs each model named, maps each forecast back to the nearest option of the issue
(:attr:`zopa.model.Issue.scale_points`; the first of two equally near options) and, where the
scenario records an observed outcome on the scale (:attr:`zopa.model.ObservedOutcome.points`),
reports each model's absolute error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import nearest_points
from zopa.forecast.compromise import compromise_position
from zopa.forecast.eum import EUMOptions, EUMPath, run_eum
from zopa.forecast.median import weighted_median
from zopa.forecast.uncertainty import Distribution, InputSpread, draw_inputs, summarize
from zopa.model.errors import ArgumentError
from zopa.model.scenario import Scenario

__all__ = ["MODELS", "Forecast", "ModelForecast", "forecast"]

F = npt.NDArray[np.float64]
ModelName = Literal["compromise", "median", "eum"]

#: The models :func:`forecast` runs, in the order it reports them.
MODELS: tuple[ModelName, ...] = ("compromise", "median", "eum")


@dataclass(frozen=True)
class ModelForecast:
    """One model's forecast per issue.

    Attributes:
        model: ``"compromise"``, ``"median"`` or ``"eum"``.
        point: ``(issues,)`` the forecast on each issue's scale (NaN where no stakeholder takes a
            position).
        nearest: per issue, the code of the option nearest the forecast (-1 where none).
        distribution: the Monte Carlo distribution, or ``None`` without draws.
        path: the expected utility model's rounds (``None`` for the other models).
    """

    model: str
    point: F
    nearest: tuple[int, ...]
    distribution: Distribution | None = None
    path: EUMPath | None = None


@dataclass(frozen=True)
class Forecast:
    """The stakeholders' forecasts for a scenario.

    Attributes:
        scenario: the scenario forecast.
        models: the models, in the order of :data:`MODELS`.
        observed: ``(issues,)`` the observed outcome on each issue's scale, NaN where unknown.
        rounds, draws, seed: how the models were run.
        spread: the Monte Carlo spread used.
    """

    scenario: Scenario
    models: tuple[ModelForecast, ...]
    observed: F
    rounds: int
    draws: int
    seed: int | None
    spread: InputSpread = field(default_factory=InputSpread)

    def model(self, name: str) -> ModelForecast:
        """The forecast of the model called ``name``."""
        for m in self.models:
            if m.model == name:
                return m
        raise ArgumentError(
            f"model: expected one of {', '.join(m.model for m in self.models)}, got {name!r}"
        )

    def errors(self, name: str) -> F:
        """``(issues,)`` absolute error of a model against the observed outcome (NaN where
        either is unknown)."""
        return np.abs(self.model(name).point - self.observed)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``zopa forecast --json`` (keys documented in ``docs/cli.md``)."""
        issues = self.scenario.issues

        def per_issue(values: F) -> dict[str, float | None]:
            return {
                i.name: None if np.isnan(v) else float(v)
                for i, v in zip(issues, values, strict=True)
            }

        models: dict[str, Any] = {}
        for m in self.models:
            entry: dict[str, Any] = {
                "forecast": per_issue(m.point),
                "nearest": {
                    i.name: None if k < 0 else i.options[k]
                    for i, k in zip(issues, m.nearest, strict=True)
                },
                "error": per_issue(self.errors(m.model)),
                "interval": None,
            }
            if m.distribution is not None:
                d = m.distribution
                entry["interval"] = {
                    i.name: {
                        q: None if np.isnan(v) else float(v)
                        for q, v in (
                            ("q05", d.q05[k]),
                            ("q25", d.q25[k]),
                            ("median", d.median[k]),
                            ("q75", d.q75[k]),
                            ("q95", d.q95[k]),
                        )
                    }
                    for k, i in enumerate(issues)
                }
            if m.path is not None:
                entry["path"] = {
                    i.name: {
                        "median": _listed(m.path.median[:, k]),
                        "mean": _listed(m.path.mean[:, k]),
                    }
                    for k, i in enumerate(issues)
                }
                entry["options"] = m.path.to_dict()["options"]
            models[m.model] = entry
        return {
            "scenario": self.scenario.name,
            "rounds": self.rounds,
            "draws": self.draws,
            "seed": self.seed,
            "issues": [
                {
                    "name": i.name,
                    "scale": list(i.scale_range),
                    "observed": None if np.isnan(o) else float(o),
                }
                for i, o in zip(issues, self.observed, strict=True)
            ],
            "models": models,
        }


def _listed(a: F) -> list[float | None]:
    return [None if np.isnan(v) else float(v) for v in a]


def observed_points(scenario: Scenario) -> F:
    """``(issues,)`` the observed outcome on each issue's scale: the recorded point, else the
    observed option's scale point, else NaN."""
    out = np.full(scenario.n_issues, np.nan)
    seen = scenario.observed
    if seen is None:
        return out
    for k, issue in enumerate(scenario.issues):
        point = seen.points[k] if k < len(seen.points) else None
        code = seen.outcome[k]
        if point is not None:
            out[k] = point
        elif code is not None:
            out[k] = issue.scale_points[code]
    return out


def forecast(
    scenario: Scenario,
    *,
    models: tuple[str, ...] = MODELS,
    rounds: int = 8,
    draws: int = 0,
    seed: int | None = 0,
    spread: InputSpread | None = None,
    options: EUMOptions | None = None,
) -> Forecast:
    """Forecast every issue of ``scenario`` from its stakeholders.

    Args:
        scenario: a scenario with stakeholders.
        models: the models to run, a subset of :data:`MODELS`.
        rounds: rounds of the expected utility model.
        draws: Monte Carlo draws over the inputs (0: none; see :mod:`zopa.forecast.uncertainty`).
        seed: seed of the draws.
        spread: spread of the draws (default :class:`InputSpread`).
        options: the expected utility model's interpretation (default :class:`EUMOptions`).

    Raises:
        ArgumentError: an unknown model, or ``rounds`` / ``draws`` below 0.
        ScenarioError: the scenario has no stakeholders.
    """
    from zopa.model.errors import ScenarioError

    for name in models:
        if name not in MODELS:
            raise ArgumentError(f"models: expected names among {', '.join(MODELS)}, got {name!r}")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ArgumentError(f"draws: expected an integer >= 0, got {draws}")
    if not scenario.stakeholders:
        raise ScenarioError("expected stakeholders to forecast from, got none", path="stakeholders")
    x = scenario.stakeholder_positions()
    s = scenario.stakeholder_salience()
    c = scenario.stakeholder_capability()
    lo = np.array([i.scale_range[0] for i in scenario.issues])
    hi = np.array([i.scale_range[1] for i in scenario.issues])
    sample = None
    if draws:
        sample = draw_inputs(x, s, c, draws=draws, spread=spread, scale=(lo, hi), seed=seed)
    out = []
    for name in MODELS:
        if name not in models:
            continue
        path = None
        dist = None
        if name == "eum":
            path = run_eum(x, s, c, rounds=rounds, options=options)
            point = path.forecast
            if sample is not None:
                dist = summarize(
                    run_eum(*sample, rounds=rounds, options=options, record=False).forecast
                )
        else:
            fn = compromise_position if name == "compromise" else weighted_median
            point = fn(x, s, c)
            if sample is not None:
                dist = summarize(fn(*sample))
        nearest = tuple(
            int(k)
            for k in (
                nearest_points(v, i.scale_points) if not np.isnan(v) else -1
                for v, i in zip(point, scenario.issues, strict=True)
            )
        )
        out.append(ModelForecast(name, np.asarray(point), nearest, dist, path))
    return Forecast(
        scenario=scenario,
        models=tuple(out),
        observed=observed_points(scenario),
        rounds=rounds,
        draws=draws,
        seed=seed,
        spread=InputSpread() if spread is None else spread,
    )
