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
from zopa.model.scenario import Scenario
from zopa.report.prose import concept_label

__all__ = [
    "agenda_figure",
    "chips_figure",
    "leverage_figure",
    "linkage_figure",
    "outcome_space_figure",
    "robustness_figure",
    "shapley_figure",
    "threats_figure",
]

Spec = dict[str, Any]

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
PALETTE = ["#1f5f99", "#c8553d", "#2a9d8f", "#8d6cab", "#e9a23b", "#5c677d"]


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


def outcome_space_figure(a: Analysis, *, x: int = 0, y: int = 1) -> Spec:
    """Every outcome (or the labelled sample) in the utility plane of parties ``x`` and ``y``, with
    the Pareto frontier, the reservation values, the zone of agreement, the solutions and, where
    known, the observed outcome. Hovering a point shows its options."""
    s = a.scenario
    names = [p.name for p in s.parties]
    xf, yf = f"u{x}", f"u{y}"
    r = a.zone.reservation
    scale_x = {"zero": False, "nice": True}
    enc = {
        "x": {
            "field": xf,
            "type": "quantitative",
            "title": f"utility of {names[x]}",
            "scale": scale_x,
        },
        "y": {
            "field": yf,
            "type": "quantitative",
            "title": f"utility of {names[y]}",
            "scale": scale_x,
        },
    }
    layers: list[Spec] = []
    cloud = a.outcomes
    umax = [
        float(max(1.0, np.max(cloud.utilities[:, j]) if cloud is not None else 1.0)) for j in (x, y)
    ]
    layers.append(
        {
            "name": "zone",
            "data": {
                "name": "zone",
                "values": [{"x0": r[x], "x1": umax[0], "y0": r[y], "y1": umax[1]}],
            },
            "mark": {"type": "rect", "color": "#2a9d8f", "opacity": 0.08},
            "encoding": {
                "x": {"field": "x0", "type": "quantitative"},
                "x2": {"field": "x1"},
                "y": {"field": "y0", "type": "quantitative"},
                "y2": {"field": "y1"},
            },
        }
    )
    if cloud is not None:
        label = (
            f"a sample of {len(cloud):,} of {cloud.total:,} outcomes"
            if cloud.sampled
            else f"all {cloud.total:,} outcomes"
        )
        layers.append(
            {
                "name": "outcomes",
                "data": {
                    "name": "outcomes",
                    "values": _outcome_rows(s, cloud.outcomes, cloud.utilities),
                },
                "mark": {"type": "circle", "size": 18, "color": "#9aa5b1", "opacity": 0.45},
                "encoding": {**enc, "tooltip": _tooltip(s)},
                "description": label,
            }
        )
    layers.append(
        {
            "name": "reservation",
            "data": {
                "name": "reservation",
                "values": [
                    {"axis": "x", "value": r[x], "who": names[x]},
                    {"axis": "y", "value": r[y], "who": names[y]},
                ],
            },
            "layer": [
                {
                    "transform": [{"filter": "datum.axis == 'x'"}],
                    "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#2a9d8f"},
                    "encoding": {
                        "x": {"field": "value", "type": "quantitative"},
                        "tooltip": [
                            {"field": "who", "title": "reservation value of"},
                            {"field": "value", "format": ".3f"},
                        ],
                    },
                },
                {
                    "transform": [{"filter": "datum.axis == 'y'"}],
                    "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#2a9d8f"},
                    "encoding": {
                        "y": {"field": "value", "type": "quantitative"},
                        "tooltip": [
                            {"field": "who", "title": "reservation value of"},
                            {"field": "value", "format": ".3f"},
                        ],
                    },
                },
            ],
        }
    )
    f = a.frontier
    layers.append(
        {
            "name": "frontier",
            "data": {"name": "frontier", "values": _outcome_rows(s, f.outcomes, f.utilities)},
            "layer": [
                {
                    "mark": {
                        "type": "line",
                        "color": PALETTE[0],
                        "strokeWidth": 1.5,
                        "interpolate": "step-after",
                    },
                    "encoding": {**enc, "order": {"field": xf, "type": "quantitative"}},
                },
                {
                    "name": "frontier_points",
                    # a tooltip entry needs a field: a constant "datum" is dropped with a warning
                    "transform": [{"calculate": "'Pareto frontier'", "as": "point"}],
                    "mark": {"type": "point", "filled": True, "size": 40, "color": PALETTE[0]},
                    "encoding": {
                        **enc,
                        "tooltip": _tooltip(
                            s, extra=[{"field": "point", "type": "nominal", "title": "point"}]
                        ),
                    },
                },
            ],
        }
    )
    sol_rows = []
    for name, sol in a.solutions.items():
        if sol.outcome is None:
            continue
        row = _outcome_rows(s, np.asarray([sol.outcome]), np.asarray([sol.utilities]))[0]
        row["solution"] = concept_label(name)
        sol_rows.append(row)
    if sol_rows:  # a layer without data would give its scales empty domains
        layers.append(_solutions_layer(s, enc, sol_rows))
    if a.observed is not None:
        ob = a.observed
        row = _outcome_rows(s, np.asarray([ob.outcome]), np.asarray([ob.utilities]))[0]
        row["label"] = "what happened"
        layers.append(
            {
                "name": "observed",
                "data": {"name": "observed", "values": [row]},
                "layer": [
                    {
                        "mark": {
                            "type": "point",
                            "shape": "circle",
                            "size": 260,
                            "filled": False,
                            "strokeWidth": 2.5,
                            "color": "#111111",
                        },
                        "encoding": {
                            **enc,
                            "tooltip": _tooltip(s, extra=[{"field": "label", "title": "observed"}]),
                        },
                    },
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "dx": 10,
                            "dy": -10,
                            "fontSize": 11,
                            "fontWeight": "bold",
                        },
                        "encoding": {**enc, "text": {"field": "label"}},
                    },
                ],
            }
        )
    return _base(
        f"Outcome space: {names[x]} against {names[y]}",
        width=520,
        height=420,
        layer=layers,
    )  # fmt: skip


def _solutions_layer(s: Scenario, enc: Spec, sol_rows: list[dict[str, Any]]) -> Spec:
    """The solution markers, one shape and colour per concept."""
    return {
        "name": "solutions",
        "data": {"name": "solutions", "values": sol_rows},
        "mark": {
            "type": "point",
            "filled": True,
            "size": 150,
            "stroke": "white",
            "strokeWidth": 1,
        },
        "encoding": {
            **enc,
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
                s, extra=[{"field": "solution", "type": "nominal", "title": "solution"}]
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
        width=160,
        height=220,
        encoding={
            "column": {"field": "party", "type": "nominal", "title": None, "sort": list(lk.parties)},
            "x": {"field": "deal", "type": "nominal", "title": None, "axis": {"labels": False, "ticks": False}},
            "y": {"field": "utility", "type": "quantitative", "title": "utility"},
            "color": {"field": "deal", "type": "nominal", "title": None,
                      "scale": {"range": ["#c3c9d0", "#7c9cbf", PALETTE[0]]},
                      "legend": {"labelExpr": "substring(datum.label, 2)"}},
            "tooltip": [{"field": "party"}, {"field": "deal"}, {"field": "utility", "format": ".3f"}],
        },
    )  # fmt: skip


def agenda_figure(a: Analysis, *, x: int = 0, y: int = 1) -> Spec:
    """Every agenda's deal in the utility plane, coloured by how many issues it links."""
    assert a.agendas is not None
    ag = a.agendas
    rows = []
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
    return _base(
        "Every agenda: who gains from which issues on the table",
        data={"name": "agendas", "values": rows},
        width=520,
        height=380,
        layer=[
            {"name": "agenda_points",
             "mark": {"type": "circle", "size": 70, "opacity": 0.75},
             "encoding": {
                 "x": {"field": "ux", "type": "quantitative", "title": f"utility of {ag.parties[x]}", "scale": {"zero": False}},
                 "y": {"field": "uy", "type": "quantitative", "title": f"utility of {ag.parties[y]}", "scale": {"zero": False}},
                 "color": {"field": "issues", "type": "ordinal", "title": "issues on the agenda", "scale": {"scheme": "blues"}},
                 "tooltip": [{"field": "agenda", "title": "on the table"},
                             {"field": "ux", "format": ".3f", "title": ag.parties[x]},
                             {"field": "uy", "format": ".3f", "title": ag.parties[y]}],
             }},
            {"transform": [{"filter": "datum.best != ''"}],
             "mark": {"type": "text", "align": "left", "dx": 8, "fontSize": 11},
             "encoding": {"x": {"field": "ux", "type": "quantitative"}, "y": {"field": "uy", "type": "quantitative"},
                          "text": {"field": "best"}}},
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
        width=240,
        height={"step": 18},
        encoding={
            "column": {"field": "party", "type": "nominal", "title": None, "sort": list(ag.parties)},
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
            "y": {"field": "issue", "type": "nominal", "title": None, "sort": [t.name for t in ch.issues]},
            "yOffset": {"field": "party"},
            "x": {"field": "importance", "type": "quantitative", "title": "weight × value range"},
            "color": {"field": "party", "type": "nominal", "title": None, "scale": {"range": PALETTE[:2]}},
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
        width=260,
        height=220,
        encoding={
            "column": {"field": "moved", "type": "nominal", "title": None,
                       "sort": [f"{p}'s walk-away" for p in lv.parties]},
            "x": {"field": "walkaway", "type": "quantitative", "title": "reservation value"},
            "y": {"field": "utility", "type": "quantitative", "title": "utility of the deal"},
            "color": {"field": "party", "type": "nominal", "title": None, "scale": {"range": PALETTE[:2]}},
            "tooltip": [{"field": "moved"}, {"field": "walkaway", "format": ".2f"}, {"field": "party"},
                        {"field": "utility", "format": ".3f"}],
        },
    )  # fmt: skip


def threats_figure(a: Analysis) -> Spec:
    """How each single-issue threat (a different fallback if talks fail) moves each party's deal.

    A scenario with no disagreement option on any issue has no threats, and so no such figure
    (an empty bar chart would have infinite extents).
    """
    assert a.leverage is not None and a.leverage.threats, "no threats to draw"
    lv = a.leverage
    rows = []
    for t in lv.threats:
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
            "y": {"field": "threat", "type": "nominal", "title": None, "sort": None},
            "yOffset": {"field": "party"},
            "x": {"field": "change", "type": "quantitative", "title": "change in the deal's utility"},
            "color": {"field": "party", "type": "nominal", "title": None, "scale": {"range": PALETTE[:2]}},
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
        facet={"column": {"field": "party", "type": "nominal", "title": None, "sort": list(rb.parties)}},
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
            "width": 260,
            "height": 200,
        },
    )  # fmt: skip
