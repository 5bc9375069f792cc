"""Figures as Vega-Lite specifications built from result objects (no computation of their own).

Vega-Lite (Satyanarayan, Moritz, Wongsuphasawat & Heer 2017, "Vega-Lite: A grammar of interactive
graphics", *IEEE TVCG* 23(1): 341–350) describes each chart as data; the HTML report renders the
specs in the browser with the bundled Vega libraries, and :mod:`zopa.report.export` turns them into
SVG and PNG files. Data sets and marks carry stable names (``outcomes``, ``frontier``,
``solutions``, ``observed``, ...) so that tests and users can find them in the rendered page.

Field names in the data are neutral keys (``u0``, ``u1``, ``o0``, ...) with the parties' and issues'
real names as titles, so that any name — with dots, brackets or quotes — is safe.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from zopa.analysis.run import Analysis
from zopa.analysis.space import Placement
from zopa.forecast.run import Forecast
from zopa.model.scenario import Scenario
from zopa.negotiation.result import Negotiation
from zopa.report.prose import concept_label, model_label, model_short

__all__ = [
    "agenda_figure",
    "chips_figure",
    "forecast_path_figure",
    "forecast_rows",
    "has_forecast_path",
    "leverage_figure",
    "linkage_figure",
    "negotiation_figure",
    "outcome_pairs_figure",
    "outcome_space_figure",
    "path_series",
    "robustness_figure",
    "shapley_figure",
    "threats_figure",
]

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
PALETTE = ["#1f5f99", "#c8553d", "#2a9d8f", "#8d6cab", "#e9a23b", "#5c677d"]


def party_colors(n: int) -> Spec:
    """A colour scale that gives each of ``n`` parties its own colour."""
    return {"range": PALETTE[:n]} if n <= len(PALETTE) else {"scheme": "tableau20"}


def _base(title: str, **extra: Any) -> Spec:
    spec: Spec = {
        "$schema": SCHEMA,
        "title": {"text": title, "anchor": "start", "fontSize": 14},
        "config": {
            "font": "DejaVu Sans, Helvetica, Arial, sans-serif",
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "gridColor": "#e8e8e8"},
            "legend": {"labelFontSize": 11, "titleFontSize": 11},
        },
    }
    spec.update(extra)
    return spec


def _outcome_rows(
    s: Scenario, codes: npt.NDArray[np.int64], utilities: npt.NDArray[np.float64]
) -> list[dict[str, Any]]:
    rows = []
    for c, u in zip(codes, utilities, strict=True):
        row: dict[str, Any] = {f"u{j}": round(float(x), 6) for j, x in enumerate(u)}
        for k, issue in enumerate(s.issues):
            row[f"o{k}"] = issue.options[int(c[k])]
        rows.append(row)
    return rows


def _tooltip(s: Scenario, *, extra: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    tips = [*extra]
    tips += [
        {"field": f"u{j}", "type": "quantitative", "title": p.name, "format": ".3f"}
        for j, p in enumerate(s.parties)
    ]
    tips += [{"field": f"o{k}", "type": "nominal", "title": i.name} for k, i in enumerate(s.issues)]
    return tips


#: The marks of the outcome-space charts that are not solutions, in the order of their key.
KEY = {
    "outcome": "#9aa5b1",
    "Pareto frontier": PALETTE[0],
    "reservation value": "#2a9d8f",
    "zone of agreement": "#2a9d8f",
    "what happened": "#111111",
    "forecast from the stakeholders": "#d81b60",
}

#: The colour of the stakeholders' forecast in every chart.
FORECAST_COLOR = KEY["forecast from the stakeholders"]

#: The forecast's marker: a five-pointed star (an SVG path in Vega's unit square; the solutions
#: take the built-in shapes).
STAR = (
    "M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382L-0.5878,0.809"
    "L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z"
)

#: How each key entry is drawn in the legend (a Vega legend draws symbols; these make them look
#: like the marks: a dot, a line, a dashed line, a shaded square, a ring).
_KEY_SYMBOLS: dict[str, dict[str, Any]] = {
    "shape": {"signal": "datum.label == 'reservation value' || (datum.label == 'Pareto frontier' && LINE)"
                        " ? 'stroke' : (datum.label == 'zone of agreement' ? 'square' :"
                        " (datum.label == 'forecast from the stakeholders' ? 'STAR' : 'circle'))"},
    "strokeDash": {"signal": "datum.label == 'reservation value' ? [4, 3] : []"},
    "fill": {"signal": "datum.label == 'what happened' || datum.label == 'reservation value' ||"
                       " (datum.label == 'Pareto frontier' && LINE) ? 'transparent' : scale('stroke', datum.label)"},
    "fillOpacity": {"signal": "datum.label == 'zone of agreement' ? 0.25 : 0.8"},
    "strokeWidth": {"signal": "datum.label == 'zone of agreement' ? 0 : 2"},
    "opacity": {"value": 1},
}  # fmt: skip


def _ticks(lo: float, hi: float) -> list[float]:
    """Axis ticks every 0.2 (every 0.5 beyond a range of 2) from ``lo`` to ``hi``."""
    step = 0.2 if hi - lo <= 2 else 0.5
    first = np.ceil(lo / step - 1e-9) * step
    return [round(float(t), 6) for t in np.arange(first, hi + 1e-9, step)]


def _extent(a: Analysis, j: int) -> tuple[float, float]:
    """The range of party ``j``'s axis: [0, 1], widened to every utility shown."""
    values = [0.0, 1.0, float(a.zone.reservation[j]), *a.frontier.utilities[:, j]]
    if a.outcomes is not None:
        values += [
            float(np.min(a.outcomes.utilities[:, j])),
            float(np.max(a.outcomes.utilities[:, j])),
        ]
    return min(values), max(values)  # fmt: skip


def _solution_rows(a: Analysis, n: int, *, size: int = 320) -> list[dict[str, Any]]:
    """One row per solution with an outcome; for every pair of parties ``x < y`` a marker size
    ``s{x}_{y}`` that shrinks for each earlier solution at the same point, so that solutions that
    coincide in that chart show as concentric markers rather than one hiding the others."""
    s = a.scenario
    rows: list[dict[str, Any]] = []
    for name, sol in a.solutions.items():
        if sol.outcome is None:
            continue
        row = _outcome_rows(s, np.asarray([sol.outcome]), np.asarray([sol.utilities]))[0]
        row["solution"] = concept_label(name)
        rows.append(row)
    for x in range(n):
        for y in range(x + 1, n):
            seen: dict[tuple[float, float], list[str]] = {}
            for row in rows:
                at = (round(row[f"u{x}"], 4), round(row[f"u{y}"], 4))
                same = seen.setdefault(at, [])
                row[f"s{x}_{y}"] = max(size // 8, size - size * 2 // 9 * len(same))
                same.append(row["solution"])
            for row in rows:
                at = (round(row[f"u{x}"], 4), round(row[f"u{y}"], 4))
                others = [o for o in seen[at] if o != row["solution"]]
                row[f"same{x}_{y}"] = ", ".join(others) or "–"
    return rows


def forecast_rows(s: Scenario, groups: Sequence[tuple[Sequence[str], Placement]]) -> list[Spec]:
    """One row per forecast outcome: its utilities and options, ``label`` (the models that forecast
    it, short names) and ``models`` (their full names). ``groups``: the models (keys) that land on
    one outcome, and its placement."""
    rows = []
    for models, place in groups:
        row = _outcome_rows(s, np.asarray([place.outcome]), np.asarray([place.utilities]))[0]
        row["label"] = "forecast: " + ", ".join(model_short(m) for m in models)
        row["models"] = ", ".join(model_label(m) for m in models)
        rows.append(row)
    return rows


def _pair_layers(
    a: Analysis, x: int, y: int, *, inline: bool, line: bool, forecasts: Sequence[Spec] = ()
) -> list[Spec]:
    """The layers of one outcome-space chart: parties ``x`` and ``y``.

    ``inline``: data inline and named (one chart), else references to the top-level ``datasets``
    (several charts sharing one copy). ``line``: join the frontier's points by a staircase, which
    only two parties' frontier is (for more, the frontier seen from two of them is a cloud).
    ``forecasts``: the stakeholders' forecast outcomes (:func:`forecast_rows`), drawn as stars.
    """
    s = a.scenario
    names = [p.name for p in s.parties]
    xf, yf = f"u{x}", f"u{y}"
    r = a.zone.reservation
    (x_lo, x_hi), (y_lo, y_hi) = _extent(a, x), _extent(a, y)

    def axis(field: str, who: str, lo: float, hi: float) -> Spec:
        pad = 0.03 * (hi - lo)
        return {
            "field": field,
            "type": "quantitative",
            "title": f"utility of {who}",
            "scale": {"domain": [lo - pad, hi + pad], "nice": False, "zero": False},
            "axis": {"values": _ticks(lo, hi), "format": ".1f", "labelOverlap": False},
        }

    # mark names must be unique across the charts of a concatenation (a repeated name makes every
    # chart draw the last one's marks): one chart keeps the plain names, a pair's get a suffix
    tag = "" if inline else f"_{x}_{y}"

    def data(name: str, rows: list[dict[str, Any]]) -> Spec:
        return {"name": name, "values": rows} if inline else {"name": name}

    # with more than two parties the shading is one pair's rectangle, not the zone of agreement
    zone = "zone of agreement" if inline else "both at or above reservation"
    names_of = {k: zone if k == "zone of agreement" else k for k in KEY}
    symbols = {
        k: {
            "signal": v["signal"]
            .replace("LINE", "true" if line else "false")
            .replace("STAR", STAR)
            .replace("zone of agreement", zone)
        }
        if "signal" in v
        else v
        for k, v in _KEY_SYMBOLS.items()
    }

    def key(label: str) -> Spec:
        present = [k for k in KEY if k != "what happened" or a.observed is not None]
        if not forecasts:
            present.remove("forecast from the stakeholders")
        if a.outcomes is None:
            present.remove("outcome")
        return {
            "datum": names_of[label],
            "type": "nominal",
            "scale": {"domain": [names_of[k] for k in present], "range": [KEY[k] for k in present]},
            "legend": {"title": None, "labelLimit": 260, "encode": {"symbols": {"update": symbols}}},
        }  # fmt: skip

    enc = {"x": axis(xf, names[x], x_lo, x_hi), "y": axis(yf, names[y], y_lo, y_hi)}
    layers: list[Spec] = [
        {
            "name": f"zone{tag}",
            "data": data("zone", [{"x0": r[x], "x1": x_hi, "y0": r[y], "y1": y_hi}]),
            "mark": {"type": "rect", "color": "#2a9d8f", "opacity": 0.08, "strokeWidth": 0},
            "encoding": {
                "x": {"field": "x0", "type": "quantitative"},
                "x2": {"field": "x1"},
                "y": {"field": "y0", "type": "quantitative"},
                "y2": {"field": "y1"},
                "stroke": key("zone of agreement"),
            },
        }
    ]
    cloud = a.outcomes
    if cloud is not None:
        layers.append(
            {
                "name": f"outcomes{tag}",
                "data": data("outcomes", _outcome_rows(s, cloud.outcomes, cloud.utilities)),
                "mark": {"type": "circle", "size": 18, "color": KEY["outcome"], "opacity": 0.45,
                         "strokeWidth": 0},
                "encoding": {**enc, "tooltip": _tooltip(s), "stroke": key("outcome")},
                "description": (
                    f"a sample of {len(cloud):,} of {cloud.total:,} outcomes"
                    if cloud.sampled
                    else f"all {cloud.total:,} outcomes"
                ),
            }
        )  # fmt: skip
    rule = {"type": "rule", "strokeDash": [4, 4], "color": KEY["reservation value"]}
    layers.append(
        {
            "name": f"reservation{tag}",
            "data": data("reservation", [{"party": j, "value": float(r[j]), "who": names[j]}
                                         for j in range(len(names))]),
            "layer": [
                {
                    "transform": [{"filter": f"datum.party == {j}"}],
                    "mark": rule,
                    "encoding": {
                        channel: {"field": "value", "type": "quantitative"},
                        "stroke": key("reservation value"),
                        "tooltip": [{"field": "who", "title": "reservation value of"},
                                    {"field": "value", "format": ".3f"}],
                    },
                }
                for channel, j in (("x", x), ("y", y))
            ],
        }
    )  # fmt: skip
    f = a.frontier
    points: Spec = {
        "name": f"frontier_points{tag}",
        # a tooltip entry needs a field: a constant "datum" is dropped with a warning
        "transform": [{"calculate": "'Pareto frontier'", "as": "point"}],
        "mark": {"type": "point", "filled": True, "size": 40 if line else 16,
                 "color": PALETTE[0], "opacity": 1 if line else 0.7},
        "encoding": {**enc, "stroke": key("Pareto frontier"),
                     "tooltip": _tooltip(s, extra=[{"field": "point", "type": "nominal", "title": "point"}])},
    }  # fmt: skip
    staircase: Spec = {
        "mark": {"type": "line", "color": PALETTE[0], "strokeWidth": 1.5, "interpolate": "step-after"},
        "encoding": {**enc, "order": {"field": xf, "type": "quantitative"}},
    }  # fmt: skip
    layers.append(
        {
            "name": f"frontier{tag}",
            "data": data("frontier", _outcome_rows(s, f.outcomes, f.utilities)),
            "layer": [staircase, points] if line else [points],
        }
    )
    sol_rows = _solution_rows(a, len(names))
    if sol_rows:  # a layer without data would give its scales empty domains
        layers.append(_solutions_layer(s, enc, data("solutions", sol_rows), x, y, tag))
    if a.observed is not None:
        ob = a.observed
        row = _outcome_rows(s, np.asarray([ob.outcome]), np.asarray([ob.utilities]))[0]
        row["label"] = "what happened"
        ring = {
            "type": "point",
            "shape": "circle",
            "size": 260,
            "filled": False,
            "strokeWidth": 2.5,
            "color": KEY["what happened"],
        }
        layers.append(
            {
                "name": f"observed{tag}",
                "data": data("observed", [row]),
                "layer": [
                    {"mark": ring,
                     "encoding": {**enc, "stroke": key("what happened"),
                                  "tooltip": _tooltip(s, extra=[{"field": "label", "title": "observed"}])}},
                    # below and to the left of the ring: away from the frontier, which lies above
                    # and to the right of any outcome it does not contain
                    {"mark": {"type": "text", "align": "right", "baseline": "top", "dx": -9, "dy": 9,
                              "fontSize": 11, "fontWeight": "bold"},
                     "encoding": {**enc, "text": {"field": "label"}}},
                ],
            }
        )  # fmt: skip
    if forecasts:
        star = {
            "type": "point",
            "shape": STAR,
            "size": 260,
            "filled": True,
            "color": FORECAST_COLOR,
            "stroke": "white",
            "strokeWidth": 1,
            "opacity": 1,
        }
        marks: list[Spec] = [
            {"name": f"forecast_points{tag}",
             "mark": star,
             "encoding": {**enc, "stroke": key("forecast from the stakeholders"),
                          "tooltip": _tooltip(s, extra=[{"field": "models", "title": "forecast by"}])}},
        ]  # fmt: skip
        rows = [dict(r) for r in forecasts]
        if inline:
            # one chart, room for labels: just above and to the right of the star, where nothing
            # lies when it is on the frontier (no outcome beats a frontier point); where the label
            # would not fit before the right edge, below and to the left (as the observed label)
            per_px = 1.06 * (x_hi - x_lo) / 520  # the chart's width, padding included
            for star_row in rows:
                room = x_hi - star_row[xf]
                star_row["side"] = (
                    "right" if 6.5 * len(star_row["label"]) * per_px < room else "left"
                )
            for side in ("left", "right"):
                if not any(row["side"] == side for row in rows):
                    continue  # an empty text layer would have infinite extents
                # on a white halo: a stroked copy under the text
                place = (
                    {"align": "left", "baseline": "bottom", "dx": 8, "dy": -5}
                    if side == "right"
                    else {"align": "right", "baseline": "top", "dx": -9, "dy": 7}
                )
                marks += [
                    {"transform": [{"filter": f"datum.side == '{side}'"}],
                     "mark": {"type": "text", **place, "fontSize": 10.5, "fontWeight": "bold", **paint},
                     "encoding": {**enc, "text": {"field": "label"}}}
                    for paint in ({"stroke": "white", "strokeWidth": 3, "strokeOpacity": 0.9,
                                   "color": "white"}, {"color": FORECAST_COLOR})
                ]  # fmt: skip
        layers.append({"name": f"forecast{tag}", "data": data("forecasts", rows), "layer": marks})
    return layers


def outcome_space_figure(
    a: Analysis, *, x: int = 0, y: int = 1, forecasts: Sequence[Spec] = ()
) -> Spec:
    """Every outcome (or the labelled sample) in the utility plane of parties ``x`` and ``y``, with
    the Pareto frontier, the reservation values, the zone of agreement, the solutions and, where
    known, the observed outcome and the stakeholders' forecasts (``forecasts``:
    :func:`forecast_rows`); a key names every kind of mark. Hovering a point shows its options.
    Meant for two parties (:func:`outcome_pairs_figure` shows more)."""
    names = [p.name for p in a.scenario.parties]
    return _base(
        f"Outcome space: {names[x]} against {names[y]}",
        width=520,
        height=420,
        layer=_pair_layers(
            a, x, y, inline=True, line=a.scenario.n_parties == 2, forecasts=forecasts
        ),
    )


def outcome_pairs_figure(a: Analysis, *, columns: int = 3, forecasts: Sequence[Spec] = ()) -> Spec:
    """For three or more parties: one small outcome-space chart per pair of parties.

    The frontier of ``n`` parties seen from two of them is no line but a cloud of points (a point
    that looks dominated in one chart is saved by the parties it hides), so each chart draws the
    frontier's points without joining them. The data sit once in the top-level ``datasets``."""
    s = a.scenario
    n = s.n_parties
    names = [p.name for p in s.parties]
    pairs = [(x, y) for x in range(n) for y in range(x + 1, n)]
    cloud = a.outcomes
    datasets: dict[str, list[dict[str, Any]]] = {
        "reservation": [{"party": j, "value": float(a.zone.reservation[j]), "who": names[j]}
                        for j in range(n)],
        "frontier": _outcome_rows(s, a.frontier.outcomes, a.frontier.utilities),
    }  # fmt: skip
    if cloud is not None:
        datasets["outcomes"] = _outcome_rows(s, cloud.outcomes, cloud.utilities)
    sol_rows = _solution_rows(a, n, size=200)
    if sol_rows:
        datasets["solutions"] = sol_rows
    if a.observed is not None:
        ob = a.observed
        row = _outcome_rows(s, np.asarray([ob.outcome]), np.asarray([ob.utilities]))[0]
        row["label"] = "what happened"
        datasets["observed"] = [row]
    if forecasts:
        datasets["forecasts"] = list(forecasts)
    charts = []
    for x, y in pairs:
        layers = _pair_layers(a, x, y, inline=False, line=False, forecasts=forecasts)
        layers[0]["data"] = {"values": [_zone_row(a, x, y)]}  # each pair has its own rectangle
        charts.append(
            {
                "title": {"text": f"{names[x]} against {names[y]}", "fontSize": 12},
                "width": 170,
                "height": 160,
                "layer": layers,
            }
        )
    spec = _base(
        f"Outcome space, pair by pair: {n} parties, {len(pairs)} pairs",
        datasets=datasets,
        columns=columns,
        concat=charts,
        spacing=24,
    )
    spec["config"]["legend"].update(orient="bottom", direction="vertical")
    return spec


#: The colours of the parties' concession paths.
PATH_COLORS = [PALETTE[1], PALETTE[3], PALETTE[4], PALETTE[5], "#8c564b"]


def negotiation_figure(a: Analysis, n: Negotiation, *, x: int = 0, y: int = 1) -> Spec:
    """The outcome space of parties ``x`` and ``y`` (:func:`outcome_space_figure`, without the
    solutions and forecasts) with every offer of the negotiation ``n`` drawn over it: one concession path per
    party, in its colour, from its first offer (faint) to its last (solid), and the agreement, if
    any, as a black diamond. Hovering an offer shows its round, its utilities and its options."""
    s = a.scenario
    names = [p.name for p in s.parties]
    # the solutions are in the outcome-space chart; here their colours would share the parties'
    layers = [
        layer
        for layer in _pair_layers(a, x, y, inline=True, line=s.n_parties == 2)
        if layer.get("name") != "solutions"
    ]
    frontier = next(layer for layer in layers if layer.get("name") == "frontier")
    enc = {c: frontier["layer"][-1]["encoding"][c] for c in ("x", "y")}
    rows = []
    for k, step in enumerate(n.trace):
        if step.action != "offer" or step.outcome is None or step.utilities is None:
            continue
        row: dict[str, Any] = {f"u{j}": round(float(u), 6) for j, u in enumerate(step.utilities)}
        for i, issue in enumerate(s.issues):
            row[f"o{i}"] = issue.options[int(step.outcome[i])]
        row.update(step=k, round=step.round, time=round(step.time, 6), party=names[step.party])
        rows.append(row)
    color = {
        "field": "party",
        "type": "nominal",
        "title": "offers of",
        # not the frontier's blue nor the reservation values' teal
        "scale": {
            "domain": names,
            **(
                {"range": PATH_COLORS[: len(names)]}
                if len(names) <= len(PATH_COLORS)
                else {"scheme": "tableau20"}
            ),
        },
        "legend": {"orient": "right"},
    }
    fade = {"field": "time", "type": "quantitative", "scale": {"range": [0.25, 1]}, "legend": None}
    tips = _tooltip(
        s,
        extra=[
            {"field": "party", "type": "nominal", "title": "offer by"},
            {"field": "round", "type": "quantitative", "title": "round"},
        ],
    )
    if rows:
        layers.append(
            {
                "name": "offers",
                "data": {"name": "offers", "values": rows},
                "layer": [
                    {
                        "mark": {"type": "line", "strokeWidth": 1.5, "opacity": 0.8},
                        "encoding": {**enc, "color": color, "detail": {"field": "party"},
                                     "order": {"field": "step", "type": "quantitative"}},
                    },
                    {
                        "name": "offer_points",
                        "mark": {"type": "point", "filled": True, "size": 42},
                        "encoding": {**enc, "color": color, "opacity": fade, "tooltip": tips},
                    },
                ],
            }
        )  # fmt: skip
    if n.agreement and n.outcome is not None:
        row = _outcome_rows(s, np.asarray([n.outcome]), np.asarray([n.utilities]))[0]
        row["label"] = f"agreed in round {n.rounds}"
        layers.append(
            {
                "name": "agreement",
                "data": {"name": "agreement", "values": [row]},
                "layer": [
                    {"mark": {"type": "point", "shape": "diamond", "filled": True, "size": 220,
                              "color": "#111111"},
                     "encoding": {**enc, "tooltip": _tooltip(s, extra=[{"field": "label", "title": "agreement"}])}},
                    {"mark": {"type": "text", "align": "right", "baseline": "top", "dx": -9,
                              "dy": 9, "fontSize": 11, "fontWeight": "bold"},
                     "encoding": {**enc, "text": {"field": "label"}}},
                ],
            }
        )  # fmt: skip
    agents = ", ".join(f"{p} ({ag})" for p, ag in zip(names, n.agents, strict=True))
    return _base(
        f"Offer by offer: {agents}",
        width=520,
        height=420,
        layer=layers,
    )


def _zone_row(a: Analysis, x: int, y: int) -> dict[str, float]:
    """The shaded rectangle of parties ``x`` and ``y``: both at or above their reservation."""
    r = a.zone.reservation
    return {"x0": float(r[x]), "x1": _extent(a, x)[1], "y0": float(r[y]), "y1": _extent(a, y)[1]}


def _solutions_layer(s: Scenario, enc: Spec, data: Spec, x: int, y: int, tag: str) -> Spec:
    """The solution markers, one shape and colour per concept; solutions at the same point are
    drawn as concentric markers, the largest first."""
    size = f"s{x}_{y}"
    return {
        "name": f"solutions{tag}",
        "data": data,
        "mark": {"type": "point", "filled": True, "stroke": "white", "strokeWidth": 1},
        "encoding": {
            **enc,
            "size": {"field": size, "type": "quantitative", "scale": None, "legend": None},
            "order": {"field": size, "type": "quantitative", "sort": "descending"},
            "shape": {
                "field": "solution",
                "type": "nominal",
                "title": "solution",
                "scale": {"range": ["diamond", "square", "triangle-up", "triangle-down", "cross"]},
            },
            "color": {
                "field": "solution",
                "type": "nominal",
                "title": "solution",
                "scale": {"range": PALETTE[1:]},
            },
            "tooltip": _tooltip(
                s,
                extra=[
                    {"field": "solution", "type": "nominal", "title": "solution"},
                    {"field": f"same{x}_{y}", "type": "nominal", "title": "same point as"},
                ],
            ),
        },
    }


def linkage_figure(a: Analysis) -> Spec:
    """Each party's utility if talks fail, issue by issue, and as one package."""
    assert a.linkage is not None
    lk = a.linkage
    rows = []
    for j, party in enumerate(lk.parties):
        rows += [
            {"party": party, "deal": "1 talks fail", "utility": lk.reservation[j]},
            {"party": party, "deal": "2 issue by issue", "utility": lk.separate.utilities[j]},
            {"party": party, "deal": "3 one package", "utility": lk.package.utilities[j]},
        ]
    return _base(
        "Package versus issue by issue",
        data={"name": "linkage", "values": rows},
        mark={"type": "bar", "cornerRadiusEnd": 2},
        width=160 if len(lk.parties) <= 2 else 130,
        height=220,
        encoding={
            "facet": {"field": "party", "type": "nominal", "title": None, "sort": list(lk.parties),
                      "columns": 4},
            "x": {"field": "deal", "type": "nominal", "title": None, "axis": {"labels": False, "ticks": False}},
            "y": {"field": "utility", "type": "quantitative", "title": "utility"},
            "color": {"field": "deal", "type": "nominal", "title": None,
                      "scale": {"range": ["#c3c9d0", "#7c9cbf", PALETTE[0]]},
                      "legend": {"labelExpr": "substring(datum.label, 2)"}},
            "tooltip": [{"field": "party"}, {"field": "deal"}, {"field": "utility", "format": ".3f"}],
        },
    )  # fmt: skip


def agenda_figure(a: Analysis, *, x: int = 0, y: int = 1) -> Spec:
    """Every agenda's deal in the utility plane of parties ``x`` and ``y``, coloured (a colour
    blind-safe sequence from few to many) and sized by how many issues it links; each party's best
    agenda is labelled on the side of the point that faces the middle of the chart."""
    assert a.agendas is not None
    ag = a.agendas
    rows: list[dict[str, Any]] = []
    for i in range(len(ag)):
        names = ag.agenda_names(i)
        rows.append(
            {
                "ux": float(ag.utilities[i, x]),
                "uy": float(ag.utilities[i, y]),
                "issues": len(names),
                "agenda": ", ".join(names) or "(nothing)",
                "best": " and ".join(
                    f"best for {p}" for j, p in enumerate(ag.parties) if ag.best[j] == i
                ),
            }
        )
    middle = (min(r["ux"] for r in rows) + max(r["ux"] for r in rows)) / 2
    for r in rows:
        r["side"] = "left" if r["ux"] > middle else "right"
    pos: Spec = {
        "x": {
            "field": "ux",
            "type": "quantitative",
            "title": f"utility of {ag.parties[x]}",
            "scale": {"zero": False, "padding": 12},
        },
        "y": {
            "field": "uy",
            "type": "quantitative",
            "title": f"utility of {ag.parties[y]}",
            "scale": {"zero": False, "padding": 12},
        },
    }
    labels: list[Spec] = [
        {
            "transform": [{"filter": f"datum.best != '' && datum.side == '{side}'"}],
            "mark": {
                "type": "text",
                "align": "right" if side == "left" else "left",
                "dx": -10 if side == "left" else 10,
                "fontSize": 11,
                "fontWeight": "bold",
            },
            "encoding": {**pos, "text": {"field": "best"}},
        }
        for side in ("left", "right")
        if any(r["best"] and r["side"] == side for r in rows)  # an empty layer: infinite extents
    ]
    return _base(
        "Every agenda: who gains from which issues on the table",
        data={"name": "agendas", "values": rows},
        width=520,
        height=380,
        layer=[
            {"name": "agenda_points",
             "mark": {"type": "circle", "opacity": 0.85, "stroke": "white", "strokeWidth": 0.5},
             "encoding": {
                 **pos,
                 "color": {"field": "issues", "type": "ordinal", "title": "issues on the agenda",
                           "scale": {"scheme": "viridis", "reverse": True}},
                 "size": {"field": "issues", "type": "ordinal", "title": "issues on the agenda",
                          "scale": {"range": [30, 160]}},
                 "tooltip": [{"field": "agenda", "title": "on the table"},
                             {"field": "issues", "title": "issues"},
                             {"field": "ux", "format": ".3f", "title": ag.parties[x]},
                             {"field": "uy", "format": ".3f", "title": ag.parties[y]}],
             }},
            {"transform": [{"filter": "datum.best != ''"}],
             "mark": {"type": "point", "shape": "circle", "filled": False, "size": 240, "color": "#111111",
                      "strokeWidth": 1.5},
             "encoding": pos},
            *labels,
        ],
    )  # fmt: skip


def shapley_figure(a: Analysis) -> Spec:
    """Each issue's share of each party's gain from the full agenda (Shapley values)."""
    assert a.agendas is not None and a.agendas.shapley is not None
    ag = a.agendas
    rows = [
        {"issue": issue, "party": party, "share": float(ag.shapley[k, j])}  # type: ignore[index]
        for k, issue in enumerate(ag.issues)
        for j, party in enumerate(ag.parties)
    ]
    return _base(
        "What each issue on the table is worth to each side (Shapley share of the gain)",
        data={"name": "shapley", "values": rows},
        mark={"type": "bar"},
        width=240 if len(ag.parties) <= 2 else 190,
        height={"step": 18},
        encoding={
            "facet": {"field": "party", "type": "nominal", "title": None, "sort": list(ag.parties),
                      "columns": 3},
            "y": {"field": "issue", "type": "nominal", "title": None, "sort": list(ag.issues)},
            "x": {"field": "share", "type": "quantitative", "title": "utility"},
            "color": {"condition": {"test": "datum.share < 0", "value": PALETTE[1]}, "value": PALETTE[0]},
            "tooltip": [{"field": "party"}, {"field": "issue"}, {"field": "share", "format": "+.4f"}],
        },
    )  # fmt: skip


def chips_figure(a: Analysis) -> Spec:
    """How much each issue matters to each of the two parties (weight × value range)."""
    assert a.chips is not None
    ch = a.chips
    rows = []
    for t in ch.issues:
        for side, party in enumerate(ch.parties):
            rows.append(
                {
                    "issue": t.name,
                    "party": party,
                    "importance": float(t.importance[side]),
                    "relation": t.relation,
                    "rate": None if not np.isfinite(t.rate) else float(t.rate),
                }
            )
    return _base(
        "Importance of each issue: cheap to give for one side, valuable to the other",
        data={"name": "chips", "values": rows},
        mark={"type": "bar"},
        width=300,
        height={"step": 14},
        encoding={
            "y": {"field": "issue", "type": "nominal", "title": None, "sort": [t.name for t in ch.issues],
                  "axis": {"labelLimit": 320}},
            "yOffset": {"field": "party", "sort": list(ch.parties)},
            "x": {"field": "importance", "type": "quantitative", "title": "weight × value range"},
            "color": {"field": "party", "type": "nominal", "title": None, "sort": list(ch.parties),
                      "scale": party_colors(2)},
            "tooltip": [{"field": "issue"}, {"field": "party"}, {"field": "importance", "format": ".3f"},
                        {"field": "relation"}, {"field": "rate", "format": ".2f",
                                                "title": f"exchange rate {ch.parties[0]}→{ch.parties[1]}"}],
        },
    )  # fmt: skip


def leverage_figure(a: Analysis) -> Spec:
    """Each party's deal as one party's walk-away value moves."""
    assert a.leverage is not None
    lv = a.leverage
    rows = []
    for j, moved in enumerate(lv.parties):
        for g, value in enumerate(lv.grid):
            for i, party in enumerate(lv.parties):
                rows.append(
                    {
                        "moved": f"{moved}'s walk-away",
                        "walkaway": float(value),
                        "party": party,
                        "utility": float(lv.walkaway[j, g, i]),
                    }
                )
    return _base(
        "Leverage: the deal as each side's walk-away value improves",
        data={"name": "leverage", "values": rows},
        mark={"type": "line", "point": True},
        width=260 if len(lv.parties) <= 2 else 200,
        height=220 if len(lv.parties) <= 2 else 180,
        encoding={
            "facet": {"field": "moved", "type": "nominal", "title": None, "columns": 3,
                      "sort": [f"{p}'s walk-away" for p in lv.parties]},
            "x": {"field": "walkaway", "type": "quantitative", "title": "reservation value"},
            "y": {"field": "utility", "type": "quantitative", "title": "utility of the deal"},
            "color": {"field": "party", "type": "nominal", "title": None, "sort": list(lv.parties),
                      "scale": party_colors(len(lv.parties))},
            "tooltip": [{"field": "moved"}, {"field": "walkaway", "format": ".2f"}, {"field": "party"},
                        {"field": "utility", "format": ".3f"}],
        },
    )  # fmt: skip


def moving_threats(a: Analysis, *, tolerance: float = 5e-4) -> list[Any]:
    """The threats of ``a`` that move some party's deal by more than ``tolerance``."""
    assert a.leverage is not None
    return [t for t in a.leverage.threats if np.max(np.abs(t.change)) > tolerance]


def threats_figure(a: Analysis) -> Spec:
    """How each single-issue threat (a different fallback if talks fail) moves each party's deal.

    A scenario with no disagreement option on any issue has no threats, and so no such figure
    (an empty bar chart would have infinite extents).
    """
    assert a.leverage is not None and moving_threats(a), "no threats to draw"
    lv = a.leverage
    rows = []
    for t in moving_threats(a):
        for j, party in enumerate(lv.parties):
            rows.append(
                {
                    "threat": f"{t.issue} → {t.option}",
                    "party": party,
                    "change": float(t.change[j]),
                }
            )
    return _base(
        "Threats: if talks fail, this issue falls back to …",
        data={"name": "threats", "values": rows},
        mark={"type": "bar"},
        width=300,
        height={"step": 12},
        encoding={
            "y": {"field": "threat", "type": "nominal", "title": None, "sort": None,
                  "axis": {"labelLimit": 320}},
            "yOffset": {"field": "party", "sort": list(lv.parties)},
            "x": {"field": "change", "type": "quantitative", "title": "change in the deal's utility"},
            "color": {"field": "party", "type": "nominal", "title": None, "sort": list(lv.parties),
                      "scale": party_colors(len(lv.parties))},
            "tooltip": [{"field": "threat"}, {"field": "party"}, {"field": "change", "format": "+.3f"}],
        },
    )  # fmt: skip


def robustness_figure(a: Analysis) -> Spec:
    """Distribution across draws of each party's gain from linking all issues."""
    assert a.robustness is not None
    rb = a.robustness
    gain = rb.gain
    rows = [
        {"party": party, "gain": round(float(gain[d, j]), 6)}
        for j, party in enumerate(rb.parties)
        for d in range(gain.shape[0])
    ]
    return _base(
        f"Gain from linkage across {rb.draws:,} draws around the stated judgements",
        data={"name": "robustness", "values": rows},
        facet={"field": "party", "type": "nominal", "title": None, "sort": list(rb.parties)},
        columns=3,
        spec={
            "layer": [
                {"mark": {"type": "bar", "color": PALETTE[0], "opacity": 0.85},
                 "encoding": {
                     "x": {"field": "gain", "type": "quantitative", "bin": {"maxbins": 40}, "title": "package − issue by issue"},
                     "y": {"aggregate": "count", "type": "quantitative", "title": "draws"},
                     "tooltip": [{"field": "gain", "bin": {"maxbins": 40}, "title": "gain"},
                                 {"aggregate": "count", "title": "draws"}],
                 }},
                {"mark": {"type": "rule", "color": PALETTE[1], "strokeDash": [3, 3]},
                 "encoding": {"x": {"datum": 0}}},
            ],
            "width": 260 if len(rb.parties) <= 2 else 220,
            "height": 200 if len(rb.parties) <= 2 else 170,
        },
    )  # fmt: skip


def path_series(f: Forecast) -> list[tuple[str, str, Any]]:
    """``(model, statistic, (rounds + 1, issues) array)`` for every model with a round-by-round
    path: the expected utility model's weighted median and mean of the positions, the exchange
    model's weighted mean of the voting positions (round 0: the compromise before any exchange),
    the spatial model's forecast of every state (``"expected"``: the positions weighted by their
    chances; one row per turn, which need not match the other models' rounds), and any other
    model whose ``path`` records a median and a mean per round."""
    n = f.scenario.n_issues
    out = []
    for m in f.models:
        path = m.path
        if path is not None:
            for stat in ("median", "mean"):
                values = getattr(path, stat, None)
                if values is not None and np.shape(values)[1:] == (n,):
                    out.append((m.model, stat, np.asarray(values, dtype=float)))
        x = getattr(m, "exchange", None)
        if x is not None and np.shape(x.outcomes)[1:] == (n,):
            values = np.vstack([np.asarray(x.compromise, dtype=float)[None, :], x.outcomes])
            out.append((m.model, "mean", values))
        p = getattr(m, "smp", None)
        if p is not None and np.shape(p.path)[1:] == (n,):
            out.append((m.model, p.options.forecast, np.asarray(p.path, dtype=float)))
    return out


def _solid(series: str) -> bool:
    """Whether a path series is drawn solid: the statistics that are a model's forecast (the
    expected utility model's median, the spatial model's expected or likely position)."""
    return any(word in series for word in ("median", "expected", "likely"))


def has_forecast_path(f: Forecast) -> bool:
    """Whether :func:`forecast_path_figure` has a path to draw: some model records a median and
    a mean per round on some issue."""
    return any(np.isfinite(v).any() for _, _, v in path_series(f))


def forecast_path_figure(f: Forecast, *, columns: int = 3) -> Spec:
    """The dynamic models' rounds, one small chart per issue: the weighted median and mean of the
    positions before round 1 (round 0) and after each round, on the issue's scale, with the
    observed outcome as a dashed line where it is known."""
    s = f.scenario
    series = path_series(f)
    assert series and has_forecast_path(f), "no round-by-round path to draw"
    several = len({m for m, _, _ in series}) > 1
    rows: list[dict[str, Any]] = []
    names: list[str] = []
    for model, stat, values in series:
        name = f"{model_short(model)} {stat}" if several else stat
        names.append(name)
        for t in range(values.shape[0]):
            for k, issue in enumerate(s.issues):
                v = values[t, k]
                if np.isfinite(v):
                    rows.append({"issue": issue.name, "round": t, "position": float(v),
                                 "series": name, "kind": "path"})  # fmt: skip
    drawn = list(dict.fromkeys(r["issue"] for r in rows))
    seen = "what happened"
    observed = False
    for k, issue in enumerate(s.issues):
        if issue.name in drawn and np.isfinite(f.observed[k]):
            observed = True
            rows.append({"issue": issue.name, "round": 0, "position": float(f.observed[k]),
                         "series": seen, "kind": "observed"})  # fmt: skip
    ranges = {tuple(i.scale_range) for i in s.issues if i.name in drawn}
    y: Spec = {"field": "position", "type": "quantitative", "title": "position on the scale"}
    resolve = None
    if len(ranges) == 1:
        lo, hi = next(iter(ranges))
        y["scale"] = {"domain": [lo, hi], "nice": False}
    else:  # each issue on its own scale: invisible points at both ends widen each chart's axis
        y["scale"] = {"zero": False}
        resolve = {"scale": {"y": "independent"}}
        for i in s.issues:
            if i.name in drawn:
                for end in i.scale_range:
                    rows.append({"issue": i.name, "round": 0, "position": float(end),
                                 "series": "", "kind": "extent"})  # fmt: skip
    domain = names + ([seen] if observed else [])
    colors = (PALETTE if several else [PALETTE[0], PALETTE[1]])[: len(names)]
    color = {"field": "series", "type": "nominal", "title": None,
             "scale": {"domain": domain, "range": [*colors, KEY["what happened"]][: len(domain)]}}  # fmt: skip
    rounds = max(v.shape[0] for _, _, v in series) - 1
    x = {"field": "round", "type": "quantitative", "title": "round (0: the starting positions)",
         "scale": {"domain": [0, max(rounds, 1)], "nice": False},
         "axis": {"tickMinStep": 1, "format": "d"}}  # fmt: skip
    layers: list[Spec] = [
        {
            "name": "forecast_path_lines",
            "transform": [{"filter": "datum.kind == 'path'"}],
            "mark": {"type": "line", "point": {"size": 22}, "strokeWidth": 1.8},
            "encoding": {
                "x": x,
                "y": y,
                "color": color,
                "strokeDash": {"field": "series", "type": "nominal", "legend": None,
                               "scale": {"domain": names, "range": [[1, 0] if _solid(n) else [5, 3]
                                                                    for n in names]}},
                "tooltip": [{"field": "issue"}, {"field": "series", "title": "line"},
                            {"field": "round"}, {"field": "position", "format": ".2f"}],
            },
        }
    ]  # fmt: skip
    if observed:
        layers.append(
            {
                "name": "forecast_path_observed",
                "transform": [{"filter": "datum.kind == 'observed'"}],
                "mark": {"type": "rule", "strokeDash": [2, 3], "strokeWidth": 1.5},
                "encoding": {
                    "y": {"field": "position", "type": "quantitative"},
                    "color": color,
                    "tooltip": [{"field": "issue"}, {"field": "series", "title": "line"},
                                {"field": "position", "format": ".2f"}],
                },
            }
        )  # fmt: skip
    if resolve is not None:
        layers.append(
            {
                "transform": [{"filter": "datum.kind == 'extent'"}],
                "mark": {"type": "point", "opacity": 0},
                "encoding": {"x": x, "y": y},
            }
        )
    spec = _base(
        "Round by round: where the positions move",
        data={"name": "forecast_path", "values": rows},
        facet={"field": "issue", "type": "nominal", "title": None, "sort": drawn,
               "header": {"labelFontSize": 12, "labelFontWeight": "bold"}},
        columns=columns,
        spec={"layer": layers, "width": 200, "height": 130},
    )  # fmt: skip
    if resolve is not None:
        spec["resolve"] = resolve
    spec["config"]["legend"].update(orient="top")
    return spec
