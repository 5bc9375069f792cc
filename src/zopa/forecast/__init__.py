"""Forecasting engines: what the stakeholders will settle on, per issue.

Each model is a function over the stakeholder arrays ``(..., stakeholders, issues)`` (positions
on each issue's scale, NaN where none; salience in [0, 1]; capability >= 0), as
:meth:`zopa.model.Scenario.stakeholder_positions` and its siblings give them:

- :func:`compromise_position` (:mod:`zopa.forecast.compromise`): the weighted mean;
- :func:`weighted_median` and :func:`condorcet_median` (:mod:`zopa.forecast.median`);
- :func:`run_eum` (:mod:`zopa.forecast.eum`): Bueno de Mesquita's expected utility model as
  unravelled by Scholz, Calbert & Smith (2011), with :class:`EUMOptions` for every reading the
  sources leave open;
- :func:`run_smp` (:mod:`zopa.forecast.smp`): KTAB's Spatial Model of Politics (Wise, Lester
  & Efird; the KTAB code), multi-dimensional, with :class:`SMPOptions` for every choice KTAB
  exposes;
- :func:`draw_inputs` and :func:`summarize` (:mod:`zopa.forecast.uncertainty`): Monte Carlo over
  the inputs;
- :func:`forecast_exchange` (:mod:`zopa.forecast.exchange`): Stokman & Van Oosten's exchange
  model in the Equal Gain form of decide-exchange-model, with :class:`ExchangeOptions` for how
  :func:`forecast` runs it;
- :func:`forecast` (:mod:`zopa.forecast.run`): every model on a scenario, mapped to the nearest
  option and compared with the observed outcome.
"""

from __future__ import annotations

from zopa.forecast.compromise import compromise_position
from zopa.forecast.eum import EUMOptions, EUMPath, run_eum
from zopa.forecast.exchange import (
    ExchangeForecast,
    ExchangeOptions,
    Trade,
    forecast_exchange,
    forecast_exchange_for,
)
from zopa.forecast.median import condorcet_median, weighted_median
from zopa.forecast.run import MODELS, Forecast, ModelForecast, forecast
from zopa.forecast.smp import SMPOptions, SMPPath, run_smp
from zopa.forecast.uncertainty import Distribution, InputSpread, draw_inputs, summarize

__all__ = [
    "MODELS",
    "Distribution",
    "EUMOptions",
    "EUMPath",
    "ExchangeForecast",
    "ExchangeOptions",
    "Forecast",
    "InputSpread",
    "ModelForecast",
    "SMPOptions",
    "SMPPath",
    "Trade",
    "compromise_position",
    "condorcet_median",
    "draw_inputs",
    "forecast",
    "forecast_exchange",
    "forecast_exchange_for",
    "run_eum",
    "run_smp",
    "summarize",
    "weighted_median",
]
