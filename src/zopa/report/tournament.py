"""The report of a tournament: the leaderboard, each agent's utility distribution, agreement
rates per scenario and the head-to-head matrix, on the same self-contained page as the scenario
report (:func:`zopa.report.page.render_page`). Renders a
:class:`~zopa.negotiation.leaderboard.Leaderboard`; computes nothing."""

from __future__ import annotations

from typing import Any

from zopa.negotiation.leaderboard import BINS, Leaderboard
from zopa.report import Report
from zopa.report.markup import esc
from zopa.report.prose import estimate as _ci
from zopa.report.prose import estimate_rate as _rate
from zopa.report.sections import Section, figure, table

__all__ = ["build_tournament_report", "tournament_sections"]

Spec = dict[str, Any]

_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def leaderboard_section(board: Leaderboard) -> Section:
    rows = [
        [
            k + 1,
            s.agent,
            s.seats,
            _ci(s.utility),
            _rate(s.agreement),
            _ci(s.welfare),
            _ci(s.distance_to_pareto),
            _ci(s.distance_to_nash),
            s.failures + s.violations,
        ]
        for k, s in enumerate(board.agents)
    ]
    statuses = ", ".join(f"{n:,} {esc(k)}" for k, n in board.statuses.items())
    body = (
        f'<p class="lead">{board.negotiations:,} negotiations ({statuses}). Each seat an agent '
        "took in a completed negotiation counts once; 95% intervals: Student t for means, "
        "Wilson for agreement rates. Faults: seats in negotiations that broke the rules, timed "
        "out, crashed or failed to start.</p>"
        + table(
            [
                "#",
                "agent",
                "seats",
                "mean utility",
                "agreement",
                "welfare",
                "to Pareto",
                "to Nash",
                "faults",
            ],
            rows,
        )
    )
    return Section("leaderboard", "Leaderboard", body)


def distribution_figure(board: Leaderboard) -> Spec:
    order = [s.agent for s in board.agents]
    values = [
        {"agent": a, "low": b / BINS, "high": (b + 1) / BINS, "count": n}
        for a, b, n in board.histograms
    ]
    return {
        "$schema": _SCHEMA,
        "data": {"name": "utilities", "values": values},
        "facet": {"row": {"field": "agent", "type": "nominal", "sort": order, "title": None}},
        "spec": {
            "width": 560,
            "height": 60,
            "name": "utility_bars",
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "x": {
                    "field": "low",
                    "type": "quantitative",
                    "bin": {"binned": True, "step": 1 / BINS},
                    "scale": {"domain": [0, 1]},
                    "title": "utility",
                },
                "x2": {"field": "high"},
                "y": {"field": "count", "type": "quantitative", "title": "seats"},
                "color": {"field": "agent", "type": "nominal", "sort": order, "legend": None},
            },
        },
        "resolve": {"scale": {"y": "independent"}},
    }


def distribution_section(board: Leaderboard) -> Section:
    body = (
        '<p class="lead">How often each agent ended with each utility (undiscounted, its '
        "reservation value without agreement), in bins of "
        f"{1 / BINS:g}.</p>"
        + figure("utilities", "Utility per seat, one row per agent, best mean first.")
    )
    return Section(
        "distributions", "Utility distributions", body, {"utilities": distribution_figure(board)}
    )


def agreement_figure(board: Leaderboard) -> Spec:
    values = [
        {"scenario": k, "rate": e.mean, "low": e.low, "high": e.high, "n": e.n}
        for k, e in board.scenario_agreement
        if e.mean is not None
    ]
    order = [v["scenario"] for v in values]
    y = {"field": "scenario", "type": "nominal", "sort": order, "title": None}
    return {
        "$schema": _SCHEMA,
        "data": {"name": "agreement", "values": values},
        "width": 520,
        "height": {"step": 22},
        "layer": [
            {
                "name": "agreement_bars",
                "mark": {"type": "bar", "tooltip": True},
                "encoding": {
                    "y": y,
                    "x": {
                        "field": "rate",
                        "type": "quantitative",
                        "scale": {"domain": [0, 1]},
                        "axis": {"format": "%"},
                        "title": "agreement rate",
                    },
                },
            },
            {
                "name": "agreement_intervals",
                "mark": {"type": "rule"},
                "encoding": {
                    "y": y,
                    "x": {"field": "low", "type": "quantitative"},
                    "x2": {"field": "high"},
                },
            },
        ],
    }


def agreement_section(board: Leaderboard) -> Section:
    rows = [[k, e.n, _rate(e)] for k, e in board.scenario_agreement]
    per: dict[str | None, list[str]] = {}
    for s in board.scenarios:
        per.setdefault(s.scenario, []).append(f"{s.agent} {_ci(s.utility)}")
    body = (
        '<p class="lead">Agreement rate of the completed negotiations on each scenario, with '
        "95% Wilson intervals.</p>"
        + figure("agreement", "Agreement rate per scenario (the line is the 95% interval).")
        + table(["scenario", "completed", "agreement"], rows)
        + table(
            ["scenario", "mean utility per agent (95% interval)"],
            [[k, "; ".join(v)] for k, v in per.items()],
        )
    )
    return Section(
        "agreement", "Agreement per scenario", body, {"agreement": agreement_figure(board)}
    )


def head_to_head_figure(board: Leaderboard) -> Spec:
    order = [s.agent for s in board.agents]
    values = [
        {
            "agent": m.agent,
            "opponent": m.opponent,
            "utility": m.utility.mean,
            "n": m.utility.n,
            "agreement": m.agreement.mean,
        }
        for m in board.head_to_head
        if m.utility.mean is not None
    ]
    x = {"field": "opponent", "type": "nominal", "sort": order, "title": "against"}
    y = {"field": "agent", "type": "nominal", "sort": order, "title": "agent"}
    return {
        "$schema": _SCHEMA,
        "data": {"name": "head_to_head", "values": values},
        "width": {"step": 64},
        "height": {"step": 36},
        "layer": [
            {
                "name": "head_to_head_cells",
                "mark": {"type": "rect", "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": {
                        "field": "utility",
                        "type": "quantitative",
                        "scale": {"domain": [0, 1], "scheme": "blues"},
                        "title": "mean utility",
                    },
                },
            },
            {
                "name": "head_to_head_labels",
                "mark": {"type": "text"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "text": {"field": "utility", "type": "quantitative", "format": ".2f"},
                    "color": {
                        "condition": {"test": "datum.utility > 0.6", "value": "white"},
                        "value": "black",
                    },
                },
            },
        ],
    }


def head_to_head_section(board: Leaderboard) -> Section:
    body = (
        '<p class="lead">Mean utility of the agent of each row against the agent of each '
        "column, over the completed negotiations where they met.</p>"
        + figure("head_to_head", "Head to head: row agent's mean utility against the column's.")
    )
    return Section(
        "head-to-head", "Head to head", body, {"head_to_head": head_to_head_figure(board)}
    )


def tournament_sections(board: Leaderboard) -> list[Section]:
    """The tournament's sections, in page order."""
    sections = [leaderboard_section(board)]
    if board.histograms:
        sections.append(distribution_section(board))
    sections.append(agreement_section(board))
    if board.head_to_head:
        sections.append(head_to_head_section(board))
    return sections


def build_tournament_report(board: Leaderboard, *, name: str = "tournament") -> Report:
    """The self-contained HTML page of a tournament's leaderboard."""
    from zopa import __version__
    from zopa.report.page import render_page

    sections = tournament_sections(board)
    figures: dict[str, Spec] = {}
    for s in sections:
        figures.update(s.figures)
    best = board.agents[0] if board.agents else None
    headline: tuple[str, ...] = ()
    if best is not None and best.utility.mean is not None:
        headline = (
            f"{best.agent} has the highest mean utility, {_ci(best.utility)}, over "
            f"{best.utility.n:,} seats.",
        )
    html = render_page(
        title=f"Tournament {name}",
        subtitle=f"{board.negotiations:,} negotiations · {len(board.agents)} agents · "
        f"{len(board.scenario_agreement)} scenarios",
        headline=headline,
        sections=sections,
        footer=f"Generated by zopa {__version__} from {name}.",
    )
    return Report(html=html, figures=figures, headline=headline)
