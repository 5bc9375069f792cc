"""Every forecasting model on a scenario's stakeholders, per issue, with intervals and errors.

:func:`forecast` reads :meth:`zopa.model.Scenario.stakeholder_positions`, ``_salience`` and
``_capability``, runs each model named, maps each forecast back to the nearest option of the issue
(:attr:`zopa.model.Issue.scale_points`; the first of two equally near options) and, where the
scenario records an observed outcome on the scale (:attr:`zopa.model.ObservedOutcome.points`),
reports each model's absolute error.

KTAB's Spatial Model of Politics (:mod:`zopa.forecast.smp`) plays all issues at once, as the
dimensions of one space, until its own stop rule holds (at most :attr:`SMPOptions.max_turns`
turns; ``rounds`` does not apply); it forecasts the positions of the last state weighted by their
chances of winning, and its path is that forecast for every state. Like the exchange model, each
Monte Carlo draw is a full run, on the first :attr:`SMPOptions.draws` draws only (default 100).

The exchange model (:mod:`zopa.forecast.exchange`) forecasts the capability × salience weighted
mean of the voting positions after the last round, as decide does; its path is that mean before
round 1 (the compromise) and after each round, with every executed exchange. Each Monte Carlo
draw is a full run of it, so it runs on the first :attr:`ExchangeOptions.draws` draws only
(default 100) and in float arithmetic; see :class:`ExchangeOptions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import nearest_points
from zopa.forecast.compromise import compromise_position
from zopa.forecast.eum import EUMOptions, EUMPath, run_eum
from zopa.forecast.exchange import (
    Arithmetic,
    ExchangeForecast,
    ExchangeOptions,
    forecast_exchange,
)
from zopa.forecast.median import weighted_median
from zopa.forecast.smp import SMPOptions, SMPPath, run_smp
from zopa.forecast.uncertainty import Distribution, InputSpread, draw_inputs, summarize
from zopa.model.errors import ArgumentError
from zopa.model.random import generator
from zopa.model.scenario import Scenario

__all__ = ["MODELS", "Forecast", "ModelForecast", "forecast"]

F = npt.NDArray[np.float64]
ModelName = Literal["compromise", "median", "eum", "smp", "exchange"]

#: The models :func:`forecast` runs, in the order it reports them.
MODELS: tuple[ModelName, ...] = ("compromise", "median", "eum", "smp", "exchange")


@dataclass(frozen=True)
class ModelForecast:
    """One model's forecast per issue.

    Attributes:
        model: ``"compromise"``, ``"median"``, ``"eum"``, ``"smp"`` or ``"exchange"``.
        point: ``(issues,)`` the forecast on each issue's scale (NaN where no stakeholder takes a
            position).
        nearest: per issue, the code of the option nearest the forecast (-1 where none).
        distribution: the Monte Carlo distribution, or ``None`` without draws.
        path: the expected utility model's rounds (``None`` for the other models).
        exchange: the exchange model's rounds and exchanges (``None`` for the other models).
        smp: the spatial model's states (``None`` for the other models).
    """

    model: str
    point: F
    nearest: tuple[int, ...]
    distribution: Distribution | None = None
    path: EUMPath | None = None
    exchange: ExchangeForecast | None = None
    smp: SMPPath | None = None


@dataclass(frozen=True)
class Forecast:
    """The stakeholders' forecasts for a scenario.

    Attributes:
        scenario: the scenario forecast.
        models: the models, in the order of :data:`MODELS`.
        observed: ``(issues,)`` the observed outcome on each issue's scale, NaN where unknown.
        rounds, draws, seed: how the models were run (``rounds`` of both dynamic models).
        spread: the Monte Carlo spread used.
        exchange_options: the exchange model's options, ``arithmetic`` resolved to the one the
            point forecast used.
        smp_options: the spatial model's options.
    """

    scenario: Scenario
    models: tuple[ModelForecast, ...]
    observed: F
    rounds: int
    draws: int
    seed: int | None
    spread: InputSpread = field(default_factory=InputSpread)
    exchange_options: ExchangeOptions = field(default_factory=ExchangeOptions)
    smp_options: SMPOptions = field(default_factory=SMPOptions)

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
                "draws": 0 if m.distribution is None else m.distribution.draws,
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
            if m.exchange is not None:
                entry.update(self._exchange_dict(m.exchange))
            if m.smp is not None:
                entry.update(self._smp_dict(m.smp))
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

    def _exchange_dict(self, x: ExchangeForecast) -> dict[str, Any]:
        """The exchange model's ``path``, ``exchanges``, ``trades`` and ``options``."""
        issues = self.scenario.issues
        names = [h.name for h in self.scenario.stakeholders]
        path = np.vstack([x.compromise[None, :], x.outcomes])
        counts = np.bincount([t.round for t in x.trades], minlength=len(x.outcomes))
        o = self.exchange_options
        return {
            "path": {i.name: {"mean": _listed(path[:, k])} for k, i in enumerate(issues)},
            "exchanges": [int(n) for n in counts],
            "trades": [
                {
                    "round": t.round + 1,
                    "gain": float(t.gain),
                    "actors": [names[a] for a in t.actors],
                    "issues": [issues[d].name for d in t.issues],
                    "start": list(t.start),
                    "voting": list(t.voting),
                }
                for t in x.trades
            ],
            "options": {
                "arithmetic": o.arithmetic,
                "ties": o.ties,
                "tie_tolerance": o.tie_tolerance,
                "salience_weight": o.salience_weight,
                "fixed_weight": o.fixed_weight,
                "draws": o.draws,
            },
        }

    def _smp_dict(self, p: SMPPath) -> dict[str, Any]:
        """The spatial model's ``turns``, ``path``, ``positions``, ``probability`` and
        ``options``."""
        issues = self.scenario.issues
        names = [h.name for h in self.scenario.stakeholders]
        # where a stakeholder takes no position the model moves a stand-in: shown as null
        none = np.isnan(self.scenario.stakeholder_positions())
        positions = np.where(none[None, :, :], np.nan, p.positions)
        return {
            "turns": p.turns,
            "path": {
                i.name: {p.options.forecast: _listed(p.path[:, k])} for k, i in enumerate(issues)
            },
            "positions": {
                name: {i.name: _listed(positions[:, a, k]) for k, i in enumerate(issues)}
                for a, name in enumerate(names)
            },
            "probability": {name: _listed(p.probability[:, a]) for a, name in enumerate(names)},
            "options": p.options.to_dict(),
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
    exchange: ExchangeOptions | None = None,
    smp: SMPOptions | None = None,
) -> Forecast:
    """Forecast every issue of ``scenario`` from its stakeholders.

    Args:
        scenario: a scenario with stakeholders.
        models: the models to run, a subset of :data:`MODELS`.
        rounds: rounds of the expected utility model and of the exchange model (decide's own
            default is 10).
        draws: Monte Carlo draws over the inputs (0: none; see :mod:`zopa.forecast.uncertainty`).
            The exchange model runs on the first ``exchange.draws`` of them only.
        seed: seed of the draws (and of the exchange model's random ties, if chosen).
        spread: spread of the draws (default :class:`InputSpread`).
        options: the expected utility model's interpretation (default :class:`EUMOptions`).
        exchange: the exchange model's options (default :class:`ExchangeOptions`).
        smp: the spatial model's options (default :class:`SMPOptions`, KTAB's defaults).

    Raises:
        ArgumentError: an unknown model, or ``rounds`` / ``draws`` below 0.
        ScenarioError: the scenario has no stakeholders.
    """
    from zopa.model.errors import ScenarioError

    for name in models:
        if name not in MODELS:
            raise ArgumentError(f"models: expected names among {', '.join(MODELS)}, got {name!r}")
    if not isinstance(scenario, Scenario):
        raise ArgumentError(f"scenario: expected a Scenario, got {type(scenario).__name__}")
    generator(seed)  # a bad seed is reported before any work
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 0:
        raise ArgumentError(f"draws: expected an integer >= 0, got {draws}")
    if not scenario.stakeholders:
        raise ScenarioError("expected stakeholders to forecast from, got none", path="stakeholders")
    x = scenario.stakeholder_positions()
    s = scenario.stakeholder_salience()
    c = scenario.stakeholder_capability()
    lo = np.array([i.scale_range[0] for i in scenario.issues])
    hi = np.array([i.scale_range[1] for i in scenario.issues])
    xo = ExchangeOptions() if exchange is None else exchange
    xo = replace(xo, arithmetic=xo.resolve(*x.shape))
    so = SMPOptions() if smp is None else smp
    sample = None
    if draws:
        sample = draw_inputs(x, s, c, draws=draws, spread=spread, scale=(lo, hi), seed=seed)
    out = []
    for name in MODELS:
        if name not in models:
            continue
        path = None
        dist = None
        trades = None
        states = None
        if name == "smp":
            states = _run_smp(x, s, c, lo, hi, so, seed)
            point = states.forecast
            k = draws if so.draws is None else min(draws, so.draws)
            if sample is not None and k:
                seeds = np.random.SeedSequence(seed).spawn(k)
                xd, sd, cd = sample
                smp_runs = [_run_smp(xd[t], sd[t], cd[t], lo, hi, so, seeds[t]) for t in range(k)]
                dist = summarize([r.forecast for r in smp_runs])
        elif name == "eum":
            path = run_eum(x, s, c, rounds=rounds, options=options)
            point = path.forecast
            if sample is not None:
                dist = summarize(
                    run_eum(*sample, rounds=rounds, options=options, record=False).forecast
                )
        elif name == "exchange":
            trades = _run_exchange(x, s, c, lo, hi, rounds, xo, seed, xo.resolve(*x.shape))
            point = trades.forecast
            k = draws if xo.draws is None else min(draws, xo.draws)
            if sample is not None and k:
                seeds = np.random.SeedSequence(seed).spawn(k)
                xd, sd, cd = sample
                runs = [
                    _run_exchange(xd[t], sd[t], cd[t], lo, hi, rounds, xo, seeds[t], "float")
                    for t in range(k)
                ]
                dist = summarize([r.forecast for r in runs])
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
        out.append(ModelForecast(name, np.asarray(point), nearest, dist, path, trades, states))
    return Forecast(
        scenario=scenario,
        models=tuple(out),
        observed=observed_points(scenario),
        rounds=rounds,
        draws=draws,
        seed=seed,
        spread=InputSpread() if spread is None else spread,
        exchange_options=xo,
        smp_options=so,
    )


def _run_smp(
    x: F,
    s: F,
    c: F,
    lo: F,
    hi: F,
    options: SMPOptions,
    seed: int | np.random.SeedSequence | None,
) -> SMPPath:
    """One run of the spatial model on the issues' scales; a stakeholder's capability is its
    mean over the issues it takes a position on."""
    return run_smp(
        x,
        s,
        c,
        bounds=np.stack([lo, hi], axis=1),
        options=options,
        seed=np.random.default_rng(seed),
    )


def _run_exchange(
    x: F,
    s: F,
    c: F,
    lo: F,
    hi: F,
    rounds: int,
    options: ExchangeOptions,
    seed: int | np.random.SeedSequence | None,
    arithmetic: Arithmetic,
) -> ExchangeForecast:
    """One run of the exchange model on the issues' scales."""
    return forecast_exchange(
        x,
        s,
        c,
        rounds=rounds,
        bounds=np.stack([lo, hi], axis=1),
        arithmetic=arithmetic,
        seed=np.random.default_rng(seed),
        **options.run_options(),
    )
