"""The report's sections: each a small function from the results to a titled piece of the page.

A section builder takes a :class:`ReportInput` (the scenario and every result computed for it,
by name) and returns a :class:`Section`, or ``None`` when it has nothing to show. Engines that come
later (forecasting, negotiation tournaments) add their results under their own key and register a
builder with :func:`register_section`; no other section changes. Sections render results; they
compute nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from zopa.analysis.run import Analysis
from zopa.analysis.space import Placement
from zopa.forecast.run import Forecast
from zopa.model.preferences import AdditiveUtility
from zopa.model.scenario import Scenario
from zopa.negotiation.agenda import PlayComparison
from zopa.negotiation.result import Negotiation
from zopa.report import figures, markup
from zopa.report.markup import Signed, capability_text, esc
from zopa.report.prose import (
    UTILITY_TEXT,
    concept_label,
    concept_meaning,
    concept_title,
    model_label,
    model_meaning,
)

__all__ = ["SECTIONS", "ReportInput", "Section", "register_section"]


@dataclass(frozen=True)
class ReportInput:
    """What a report shows: the scenario and its results by name.

    Keys: ``"analysis"`` (a :class:`zopa.analysis.Analysis`), ``"forecast"`` (a
    :class:`zopa.forecast.Forecast` of the scenario's stakeholders),
    ``"forecast_placements"`` (each model's forecast outcome placed against the analysis's
    frontier and solutions: model key -> :class:`zopa.analysis.space.Placement`),
    ``"negotiation"`` (a :class:`zopa.negotiation.Negotiation` played with its trace, drawn over
    the outcome space) and ``"negotiation_plays"`` (a sequence of
    :class:`zopa.negotiation.PlayComparison`: package versus issue by issue per pairing).
    """

    scenario: Scenario
    results: Mapping[str, Any]

    @property
    def analysis(self) -> Analysis | None:
        found = self.results.get("analysis")
        return found if isinstance(found, Analysis) else None

    @property
    def forecast(self) -> Forecast | None:
        found = self.results.get("forecast")
        return found if isinstance(found, Forecast) else None

    @property
    def negotiation(self) -> Negotiation | None:
        found = self.results.get("negotiation")
        return found if isinstance(found, Negotiation) else None

    @property
    def negotiation_plays(self) -> list[PlayComparison]:
        found = self.results.get("negotiation_plays")
        if not isinstance(found, (list, tuple)):
            return []
        return [c for c in found if isinstance(c, PlayComparison)]

    @property
    def forecast_groups(self) -> list[tuple[list[str], Placement]]:
        """The placed forecast outcomes, each with the models (keys, in the forecast's order)
        that land on it; empty without a forecast or placements."""
        f = self.forecast
        found = self.results.get("forecast_placements")
        if f is None or not isinstance(found, Mapping):
            return []
        groups: dict[tuple[int, ...], tuple[list[str], Placement]] = {}
        for m in f.models:
            place = found.get(m.model)
            if isinstance(place, Placement):
                groups.setdefault(place.outcome, ([], place))[0].append(m.model)
        return list(groups.values())


@dataclass(frozen=True)
class Section:
    """One part of the page: an anchor, a title, HTML, and named figures (Vega-Lite specs) that the
    HTML places with ``<div data-figure="NAME"></div>``."""

    id: str
    title: str
    body: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)


Builder = Callable[[ReportInput], Section | None]

#: The section builders, in page order.
SECTIONS: list[tuple[float, Builder]] = []


def register_section(order: float) -> Callable[[Builder], Builder]:
    """Register a section builder at position ``order`` (built-in sections use 10, 20, ...)."""

    def add(builder: Builder) -> Builder:
        SECTIONS.append((order, builder))
        SECTIONS.sort(key=lambda item: item[0])
        return builder

    return add


# ------------------------------------------------------------------------------ html helpers
#: The report's tables: :func:`zopa.report.markup.table` with the page's ``data`` class and numbers
#: to three decimals.
table = partial(markup.table, css="data", decimals=3)


def figure(name: str, caption: str) -> str:
    return (
        f'<figure><div class="chart" data-figure="{esc(name)}" id="fig-{esc(name)}"></div>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


# ------------------------------------------------------------------------------ the sections
@register_section(10)
def scenario_section(inp: ReportInput) -> Section:
    s = inp.scenario
    parts = []
    if s.description:
        parts.append(f'<p class="lead">{esc(s.description.strip())}</p>')
    issue_rows = []
    for k, issue in enumerate(s.issues):
        weights = [
            f"{p.utility.weights[k]:.2f}" if hasattr(p.utility, "weights") else "–"
            for p in s.parties
        ]
        options = (
            ", ".join(issue.options)
            if issue.size <= 10
            else (f"{issue.options[0]} … {issue.options[-1]} ({issue.size} options)")
        )
        issue_rows.append([issue.name, options, issue.disagreement_option or "–", *weights])
    parts.append(
        table(
            ["issue", "options", "if talks fail", *[f"weight: {p.name}" for p in s.parties]],
            issue_rows,
            caption=f"{s.n_issues} issues, {s.n_outcomes:,} possible outcomes",
        )
    )
    reservations = s.reservation_values()
    parts.append(
        table(
            ["party", "reservation value", "where it comes from", "discount"],
            [
                [
                    p.name,
                    float(reservations[j]),
                    "stated"
                    if p.reservation is not None
                    else "utility of the outcome if talks fail",
                    f"{p.discount:g}",
                ]
                for j, p in enumerate(s.parties)
            ],
            caption="Parties at the table",
        )
    )
    parts.append(f'<p id="utility">{esc(UTILITY_TEXT)}</p>')
    parts.append(values_table(s))
    if s.stakeholders:
        parts.append(
            table(
                ["stakeholder", "capability", "positions (salience)"],
                [
                    [
                        sh.name + (f" [{sh.party}]" if sh.party else ""),
                        capability_text(sh.capability),
                        ", ".join(
                            f"{i.name} {pos:g} ({sal:.2f})"
                            for i, pos, sal in zip(s.issues, sh.positions, sh.salience, strict=True)
                            if pos is not None
                        ),
                    ]
                    for sh in s.stakeholders
                ],
                caption="Stakeholders: anyone who pulls on the outcome",
            )
        )
    if s.sources:
        items = "".join(
            "<li>"
            + esc(src.title)
            + (f", {esc(src.publisher)}" if src.publisher else "")
            + (f", {esc(src.date)}" if src.date else "")
            + (f' (<span class="url">{esc(src.url)}</span>)' if src.url else "")
            + "</li>"
            for src in s.sources
        )
        parts.append(f"<h3>Sources</h3><ul class='sources'>{items}</ul>")
    return Section("scenario", "The negotiation", "".join(parts))


@register_section(20)
def outcome_space_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    if a is None:
        return None
    s = inp.scenario
    z = a.zone
    cloud = a.outcomes
    shown = ""
    if cloud is not None:
        shown = (
            f"a uniform sample of {len(cloud):,} of the {cloud.total:,} outcomes (seed {cloud.seed})"
            if cloud.sampled
            else f"all {cloud.total:,} outcomes"
        )
    count = (
        f"{z.count:,}"
        if z.exact
        else f"about {z.count:,.0f} (estimated from {z.samples:,} samples)"
    )
    zone_text = (
        f"A zone of agreement exists: {count} outcomes ({z.share:.1%}) give every party at least its "
        "reservation value."
        if z.exists
        else "There is no zone of agreement: no outcome gives every party its reservation value."
    )
    n = s.n_parties
    rows = []
    for name, sol in a.solutions.items():
        outcome = (
            "no agreement"
            if sol.outcome is None
            else ", ".join(f"{k}: {v}" for k, v in s.describe(sol.outcome).items())
        )
        rows.append([concept_label(name), *[float(u) for u in sol.utilities], outcome])
    everyone = "both sides" if n == 2 else f"all {n} parties"
    if n == 2:
        chart = (
            f"<p>The chart shows {esc(shown)} in utility space (grey), the Pareto frontier (blue "
            f"line: outcomes no other outcome beats for both sides; {len(a.frontier):,} points), "
            "each side's reservation value (dashed) and the zone of agreement they enclose "
            "(shaded), and where the classic bargaining solutions land. Hover over any point to "
            "see its options.</p>"
        )
        caption = "Outcome space. Hover a point to see the outcome behind it."
    else:
        pairs = n * (n - 1) // 2
        chart = (
            f"<p>With {n} parties the outcome space has {n} dimensions, so it is shown as "
            f"{pairs} flat views, one per pair of parties: {esc(shown)} (grey), the "
            f"{len(a.frontier):,} outcomes of the Pareto frontier (blue: no other outcome is at "
            f"least as good for {everyone} and better for one), the pair's reservation values "
            "(dashed) and the region where both of the pair get at least that much (shaded). Seen "
            "from two parties the frontier is no line: a point that looks beaten in one view is "
            "better for a party the view leaves out. Solutions that fall on one point in a view "
            "are drawn inside one another. Hover over any point to see its options.</p>"
        )
        caption = (
            f"Outcome space seen from each of the {pairs} pairs of parties. Hover a point to see "
            "the outcome behind it."
        )
    groups = inp.forecast_groups
    if groups:
        chart += (
            "<p>The pink stars are the stakeholders' forecasts: each model's nearest option on every "
            'issue, combined into one outcome (<a href="#forecast">what the stakeholders '
            "forecast</a>).</p>"
        )
    body = (
        chart
        + f"<p>{esc(zone_text)}</p>"
        + figure("outcome_space", caption)
        + solutions_table(s, rows)
        + concepts_list(a)
    )
    rows_f = figures.forecast_rows(a.scenario, groups)
    figs = {}
    if n == 2:
        figs["outcome_space"] = figures.outcome_space_figure(a, forecasts=rows_f)
    elif n > 2:
        figs["outcome_space"] = figures.outcome_pairs_figure(a, forecasts=rows_f)
    return Section("outcomes", "Where agreement lies", body, figs)


#: Issues with more options than this show their values in a closed list (the page stays short).
OPEN_VALUES = 40


def values_table(s: Scenario) -> str:
    """Each party's value (0 to 1) for every option of every issue; in a ``<details>`` element
    that opens on a click when there are more than :data:`OPEN_VALUES` options in all.
    Preferences that are not additive have no such table (``""``)."""
    tables = [p.utility for p in s.parties]
    if not all(isinstance(u, AdditiveUtility) for u in tables):
        return ""
    additive = [u for u in tables if isinstance(u, AdditiveUtility)]
    rows: list[list[Any]] = []
    for k, issue in enumerate(s.issues):
        for o, option in enumerate(issue.options):
            rows.append(
                [issue.name if o == 0 else "", option, *[float(u.values[k][o]) for u in additive]]
            )
    names = [p.name for p in s.parties]
    body = table(
        ["issue", "option", *[f"value: {n}" for n in names]],
        rows,
        caption="What each option is worth to each party (0: nothing, 1: the most it can be)",
    )
    total = sum(issue.size for issue in s.issues)
    if total <= OPEN_VALUES:
        return body
    return (
        f"<details><summary>Each party's value for every option ({total:,} options)</summary>"
        f"{body}</details>"
    )


def concepts_list(a: Analysis) -> str:
    """One line per solution concept of ``a``: what it picks."""
    lines = "".join(
        f"<li><b>{esc(concept_label(name))}</b>: {esc(concept_meaning(name))}</li>"
        for name in a.solutions
        if concept_meaning(name)
    )
    return f'<ul class="concepts">{lines}</ul>' if lines else ""


def solutions_table(s: Scenario, rows: list[list[Any]]) -> str:
    """The solutions with each party's utility and the outcome; with more than three parties the
    outcomes go in a table of their own, so that neither table is wider than the page."""
    names = [p.name for p in s.parties]
    if s.n_parties <= 3:
        return table(["solution", *names, "outcome"], rows, caption="Bargaining solutions")
    return table(
        ["solution", *names], [r[:-1] for r in rows], caption="Bargaining solutions: utilities"
    ) + table(
        ["solution", "outcome"],
        [[r[0], r[-1]] for r in rows],
        caption="Bargaining solutions: outcomes",
    )


def without_fallback(s: Scenario) -> list[str]:
    """The issues of ``s`` that state no option for when talks fail."""
    return [issue.name for issue in s.issues if issue.disagreement is None]


def undefined_linkage_text(s: Scenario) -> str:
    """One sentence on why linkage is undefined (``""`` when every issue states a fallback).

    Issue-by-issue talks settle an issue alone with the others at what holds on them if talks
    fail, and an agenda holds each issue it leaves off at that option; a scenario that states only
    reservation values (what each side gets if the whole negotiation fails) defines neither.
    """
    missing = without_fallback(s)
    if not missing:
        return ""
    if len(missing) == s.n_issues:
        return (
            "This scenario states only what each side gets if the whole negotiation fails (its "
            "reservation value), not what holds on each issue, so no issue can be settled alone or "
            "left off the table: the package is the only negotiation it defines, and the gain from "
            "linkage, the comparison of agendas and the robustness of that gain are undefined."
        )
    many = len(missing) > 1
    return (
        f"The issue{'s' if many else ''} {', '.join(missing)} state{'' if many else 's'} nothing "
        f"about what holds if talks fail, so {'they' if many else 'it'} cannot be left off the "
        "table and no issue can be settled alone with the others at their fallbacks: "
        "issue-by-issue talks, and with them the gain from linkage and its robustness, are "
        "undefined."
    )


@register_section(30)
def linkage_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    if a is None:
        return None
    if a.linkage is None:
        undefined = undefined_linkage_text(a.scenario)
        if not undefined:  # not computed for another reason
            return None
        body, figs = agendas_part(a)
        return Section(
            "linkage",
            "What linking the issues buys each side",
            f"<p>{esc(undefined)}</p>" + body,
            figs,
        )
    s = inp.scenario
    lk = a.linkage
    per_issue = [
        [issue, "agreement" if st.agreement else "no agreement",
         "–" if st.outcome is None else s.issues[k].options[st.outcome[k]],
         *[float(u) for u in st.utilities]]
        for k, (issue, st) in enumerate(zip(lk.issues, lk.per_issue, strict=True))
    ]  # fmt: skip
    body = (
        "<p>Settling each issue on its own (every other issue at what holds if talks fail) and adding "
        "up the results is the world without linkage. Negotiating all issues as one package lets a "
        "side give way where it cares less in exchange for what it cares about more. "
        f"Solution concept: {esc(concept_label(lk.concept))}.</p>"
        + figure("linkage", "Each party's utility if talks fail, issue by issue, and as one package.")
        + table(
            ["", *lk.parties],
            [
                ["if talks fail", *map(float, lk.reservation)],
                ["issue by issue", *map(float, lk.separate.utilities)],
                ["one package", *map(float, lk.package.utilities)],
                ["gain from linkage", *[Signed(g) for g in lk.gain]],
            ],
            caption="Package versus issue by issue",
        )
        + table(["issue settled alone", "result", "option", *lk.parties], per_issue,
                caption="Each issue negotiated on its own")
    )  # fmt: skip
    figs = {"linkage": figures.linkage_figure(a)}
    more, more_figs = agendas_part(a)
    figs.update(more_figs)
    return Section("linkage", "What linking the issues buys each side", body + more, figs)


def agendas_part(a: Analysis) -> tuple[str, dict[str, dict[str, Any]]]:
    """The agendas subsection: nothing unless at least two agendas were compared."""
    body = ""
    figs: dict[str, dict[str, Any]] = {}
    ag = a.agendas
    if ag is not None and len(ag) > 1:
        fixed = without_fallback(a.scenario)
        best_rows = [
            [
                p,
                ", ".join(ag.agenda_names(ag.best[j])) or "(nothing)",
                agenda_deal(a, ag.best[j]),
                *[float(u) for u in ag.utilities[ag.best[j]]],
            ]
            for j, p in enumerate(ag.parties)
        ]
        body += (
            f"<h3>Agendas</h3><p>Which issues should be on the table? zopa compared {len(ag):,} agendas "
            "(issues left off stay at what holds if talks fail"
            + (f"; {esc(', '.join(fixed))}, with no such option, "
               f"{'are' if len(fixed) > 1 else 'is'} on every agenda" if fixed else "")
            + ").</p>"
            + figure("agendas", "Each dot is one agenda's deal; darker and larger dots link more issues. "
                     "The ringed dots are the parties' best agendas."
                     + (f" With {len(ag.parties)} parties the chart shows the first two, "
                        f"{esc(ag.parties[0])} and {esc(ag.parties[1])}; the table gives every party's."
                        if len(ag.parties) > 2 else ""))
            + table(["party", "best agenda", "the deal on it", *[f"utility: {p}" for p in ag.parties]],
                    best_rows, caption="Best agenda for each side, the deal it leads to and what "
                    "that deal gives every party")
        )  # fmt: skip
        figs["agendas"] = figures.agenda_figure(a)
        if ag.shapley is not None:
            body += figure(
                "shapley",
                "Each issue's share of each side's gain from putting everything on the table, "
                "measured against the smallest agenda (every issue that can be left off at what "
                "holds if talks fail), not against issue-by-issue talks (Shapley value over all "
                "agendas; negative: the issue costs that side).",
            )
            figs["shapley"] = figures.shapley_figure(a)
    return body, figs


def agenda_deal(a: Analysis, i: int) -> str:
    """The deal on agenda ``i`` of ``a`` in words ("no agreement" where talks on it fail)."""
    assert a.agendas is not None
    codes = a.agendas.outcomes[i]
    if (codes < 0).any():
        return "no agreement"
    return ", ".join(f"{k}: {v}" for k, v in a.scenario.describe(codes).items())


@register_section(35)
def negotiation_section(inp: ReportInput) -> Section | None:
    """One negotiation played offer by offer over the outcome space, and package versus issue by
    issue played by the same agents for a few pairings of strategies."""
    a = inp.analysis
    n = inp.negotiation
    plays = inp.negotiation_plays
    if a is None or (n is None and not plays):
        return None
    s = inp.scenario
    parties = [p.name for p in s.parties]
    body = (
        "<p>Here the parties' strategies play the negotiation out, offer by offer, under the "
        "alternating offers protocol as GENIUS runs it: the parties take turns, each accepting "
        "the offer on the table, making a new one or walking away, until every other party "
        "accepts an offer or the deadline passes. Boulware holds out and concedes near the "
        "deadline; Conceder gives way early (time-dependent tactics, Faratin, Sierra &amp; "
        'Jennings 1998; <a href="#outcomes">the outcome space</a> above).</p>'
    )
    figs: dict[str, dict[str, Any]] = {}
    if n is not None:
        agents = ", ".join(f"{p} plays {ag}" for p, ag in zip(parties, n.agents, strict=True))
        if n.agreement and n.options is not None:
            result = (
                f"They agree in round {n.rounds} (time {n.time:.2f}) on "
                + ", ".join(f"{k}: {v}" for k, v in n.options.items())
                + ", worth "
                + ", ".join(f"{p} {u:.3f}" for p, u in zip(parties, n.utilities, strict=True))
                + f"; {n.distance_to_pareto or 0:.3f} from the Pareto frontier."
            )
        else:
            result = "They reach no agreement: every party keeps its reservation value."
        pair = (
            f" The chart shows {esc(parties[0])} against {esc(parties[1])} only."
            if s.n_parties > 2
            else ""
        )
        body += f"<p>{esc(agents)}. {esc(result)}{pair}</p>" + figure(
            "negotiation",
            "Each party's offers in the outcome space, from faint (early) to solid (late): its "
            "concession path toward the frontier. Hover an offer to see its round and options.",
        )
        figs["negotiation"] = figures.negotiation_figure(a, n)
    if plays:
        rows = []
        for c in plays:
            rows.append(
                [
                    ", ".join(
                        f"{p}: {ag}" for p, ag in zip(c.parties, c.package.agents, strict=True)
                    ),
                    " / ".join(f"{u:.3f}" for u in c.package.utilities),
                    " / ".join(f"{u:.3f}" for u in c.issue_by_issue.utilities),
                    " / ".join(f"{g:+.3f}" for g in c.gain),
                ]
            )
        who = " / ".join(parties)
        body += (
            "<p>The same agents, deadline and seed, once with every issue on the table and once "
            "issue by issue (one negotiation per issue in turn, the issues not yet settled at "
            "what holds if talks fail, a failed issue left there): what linking the issues is "
            "worth when these strategies play it out.</p>"
            + table(
                ["agents", f"package ({who})", f"issue by issue ({who})", f"gain from linking ({who})"],
                rows,
                caption="Package versus issue by issue, played",
            )
            + _linkage_play_text(s, plays)
        )  # fmt: skip
    elif n is not None and without_fallback(s):
        body += (
            "<p>Issue-by-issue play needs a disagreement option on every issue (what holds on it "
            "if its own talks fail), so only the package is played here.</p>"
        )
    return Section("negotiation", "How strategies play it out", body, figs)


def _linkage_play_text(s: Scenario, plays: list[PlayComparison]) -> str:
    """A sentence on the party whose strategy asks for linkage, if the scenario states one."""
    st = s.strategy
    if st is None or not st.broadest:
        return ""
    j = s.party_index(st.party)
    helped = [c for c in plays if c.gain[j] > 1e-9]
    hurt = [c for c in plays if c.gain[j] < -1e-9]
    return (
        f"<p>{esc(st.party)} asks for the broad agenda: linking helps it in {len(helped)} of the "
        f"{len(plays)} pairings, hurts it in {len(hurt)}"
        + (
            f", and helps it most (by {max(c.gain[j] for c in helped):+.3f}) when it plays "
            f"{esc(max(helped, key=lambda c: c.gain[j]).package.agents[j])}"
            if helped
            else ""
        )
        + ".</p>"
    )


@register_section(40)
def chips_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    if a is None or a.chips is None:
        return None
    ch = a.chips
    i_name, j_name = ch.parties
    names = [t.name for t in ch.issues]
    rows = [
        [t.name, t.relation, float(t.importance[0]), float(t.importance[1]),
         "∞" if t.rate == float("inf") else ("–" if t.rate != t.rate else f"{t.rate:.2f}")]
        for t in ch.issues
    ]  # fmt: skip
    chips_text = "".join(
        f"<li><b>{esc(party)}</b>: {esc(', '.join(names[k] for k in chips) or 'none')}</li>"
        for party, chips in ((i_name, ch.chips_i), (j_name, ch.chips_j))
    )
    pair = ""
    if inp.scenario.n_parties > 2:
        pair = (
            f"<p>Chips and logrolls are defined between two parties; this section compares "
            f"{esc(i_name)} and {esc(j_name)}, the first two of the scenario's "
            f"{inp.scenario.n_parties} parties.</p>"
        )
    body = pair + (
        "<p>An issue is a bargaining chip for a side when conceding it costs that side little and is "
        "worth a lot to the other: a high exchange rate. A logroll is a pair of issues each side "
        "cares about unequally, so that each wins the one it values more.</p>"
        + figure("chips", "How much each issue matters to each side (weight × range of values).")
        + table(["issue", "interests", f"importance to {i_name}", f"importance to {j_name}",
                 f"exchange rate {i_name}→{j_name}"], rows, caption="Issues as bargaining chips")
        + f"<p>Chips, cheapest to give first:</p><ul>{chips_text}</ul>"
    )  # fmt: skip
    if ch.logrolls and not ch.baseline:
        body += (
            "<p>Issue-by-issue talks need a disagreement option on every issue, so the logrolls' "
            "gains over settling each issue alone are undefined here; the pairs are listed by "
            "issue.</p>"
            + table([f"{i_name} wins", f"{j_name} wins"],
                    [[lr.names[0], lr.names[1]] for lr in ch.logrolls[:10]],
                    caption=f"Logrolls ({len(ch.logrolls)} in all; the first ten)")
        )  # fmt: skip
    elif ch.logrolls:
        mutual = len(ch.mutual_logrolls)
        if not mutual:
            body += (
                "<p>None of the logrolls leaves both sides better off than settling the two "
                "issues separately: in each, one side's gain is the other's loss.</p>"
            )
        shown = min(10, len(ch.logrolls))
        body += table(
            [f"{i_name} wins", f"{j_name} wins", f"gain {i_name}", f"gain {j_name}", "joint gain"],
            [[lr.names[0], lr.names[1], *(Signed(g) for g in lr.gains or ()), Signed(lr.joint_gain or 0.0)]
             for lr in ch.logrolls[:shown]],
            caption=f"Logrolls against settling the two issues separately ({len(ch.logrolls)} in all, "
            f"{mutual} helping both sides; the {shown} with the largest joint gain)",
        )  # fmt: skip
    return Section(
        "chips", "Bargaining chips and logrolls", body, {"chips": figures.chips_figure(a)}
    )


@register_section(50)
def leverage_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    if a is None or a.leverage is None:
        return None
    lv = a.leverage
    s = a.scenario
    lines = []
    for j, p in enumerate(lv.parties):
        best = lv.best_threat(j)
        text = f"<li><b>{esc(p)}</b>: each 0.1 of better walk-away moves its deal by {0.1 * lv.slope(j):+.3f}"
        if best is not None:
            text += (
                f"; its strongest threat is that {esc(best.issue)} falls back to "
                f"<i>{esc(best.option)}</i> if talks fail ({best.change[j]:+.3f})"
            )
        lines.append(text + ".</li>")
    missing = without_fallback(s)
    figs = {"leverage": figures.leverage_figure(a)}
    body = (
        "<p>A better alternative to agreement moves the deal; so does changing what holds on an issue "
        "if talks fail — a threat, such as scrapping a treaty.</p>"
        f"<ul>{''.join(lines)}</ul>"
        + figure(
            "leverage",
            "The deal as one side's reservation value rises, "
            + ("the other's" if s.n_parties == 2 else "the others'")
            + " held fixed.",
        )
    )
    moving = figures.moving_threats(a)
    if moving:
        body += figure("threats", "How each possible threat would move each side's deal.")
        figs["threats"] = figures.threats_figure(a)
        idle = [t for t in lv.threats if t not in moving]
        if idle:
            body += (
                f"<p>{len(idle)} of the {len(lv.threats)} threats move no deal (by less than "
                "0.0005) and are left out of the chart: "
                + esc("; ".join(f"{t.issue} → {t.option}" for t in idle))
                + ".</p>"
            )
    elif lv.threats:
        body += (
            f"<p>None of the {len(lv.threats)} threats moves any side's deal (by 0.0005 or more), "
            "so there is no threat to chart.</p>"
        )
    if lv.threats and missing:
        body += (
            f"<p>{esc(', '.join(missing))} state{'' if len(missing) > 1 else 's'} nothing "
            "about what holds if talks fail, so there is no threat on "
            f"{'them' if len(missing) > 1 else 'it'}.</p>"
        )
    elif not lv.threats and len(missing) == s.n_issues:
        body += (
            "<p>No issue states what holds on it if talks fail, so there is no threat to weigh: "
            "only the walk-away values move the deal.</p>"
        )
    elif not lv.threats:
        body += (
            "<p>No issue has another option to fall back to, so there is no threat to weigh.</p>"
        )
    return Section("leverage", "Leverage: walk-away values and threats", body, figs)


@register_section(60)
def robustness_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    if a is None or a.robustness is None:
        return None
    rb = a.robustness
    helped, hurt = rb.share_helped(), rb.share_hurt()
    rows = [
        [p, f"{helped[j]:.0%}", f"{hurt[j]:.0%}", Signed(float(np.median(rb.gain[:, j]))),
         Signed(float(rb.gain[:, j].mean()))]
        for j, p in enumerate(rb.parties)
    ]  # fmt: skip
    body = (
        f"<p>Every number in the scenario is a judgement. zopa redrew them {rb.draws:,} times (seed "
        f"{rb.seed}): weights from a Dirichlet distribution around the stated ones (concentration "
        f"{rb.concentration:g}), option values ± {rb.value_noise:g}, stated reservation values ± "
        f"{rb.reservation_noise:g}, and compared package and issue-by-issue deals each time.</p>"
        + table(["party", "linkage helps", "linkage hurts", "median gain", "mean gain"], rows,
                caption="How often linking all issues helps each side")
        + figure("robustness", "Distribution of each side's gain from linkage across the draws.")
    )  # fmt: skip
    return Section(
        "robustness", "How robust is it?", body, {"robustness": figures.robustness_figure(a)}
    )


#: The forecast tables: numbers on the issues' scales to two decimals (as ``zopa forecast``).
forecast_table = partial(markup.table, css="data forecast", decimals=2)


def _spread_text(value: float | tuple[float, ...], what: str) -> str:
    if isinstance(value, tuple):
        return f"{what} per stakeholder"
    return f"{what} {value:g}"


def _span(lo: float, hi: float) -> str:
    return "–" if lo != lo or hi != hi else f"{lo:.2f}–{hi:.2f}"


@register_section(65)
def forecast_section(inp: ReportInput) -> Section | None:
    """Each model's forecast of every issue from the stakeholders, beside what happened; the
    dynamic models' rounds; where each forecast outcome lands in the outcome space."""
    f = inp.forecast
    s = inp.scenario
    if f is None or not s.stakeholders:
        return None
    models = "".join(
        f"<li><b>{esc(model_label(m.model))}</b>: {esc(model_meaning(m.model))}</li>"
        if model_meaning(m.model)
        else f"<li><b>{esc(model_label(m.model))}</b></li>"
        for m in f.models
    )
    sp = f.spread
    draws = (
        f"The intervals hold the middle 50% and 90% of the forecasts over {f.draws:,} Monte Carlo "
        f"draws of the inputs (seed {f.seed}; standard deviations: "
        + ", ".join(
            (
                _spread_text(sp.position, "position as a share of the scale"),
                _spread_text(sp.salience, "salience"),
                _spread_text(sp.capability, "log-capability"),
            )
        )
        + ")."
        if f.draws
        else "No Monte Carlo draws were made, so the forecasts have no intervals."
    )
    body = (
        f"<p>{len(s.stakeholders)} stakeholders pull on this negotiation. Each model reads their "
        "positions on each issue's scale, how much each issue matters to them (salience) and how "
        "much weight they carry (capability), and forecasts where each issue settles; the "
        "forecast is then mapped to the issue's nearest option. "
        + rounds_text(f)
        + f"{esc(draws)}</p>"
        f'<ul class="concepts">{models}</ul>'
    )  # fmt: skip
    known = s.observed is not None and bool(np.isfinite(f.observed).any())
    codes = s.observed.outcome if s.observed is not None else (None,) * s.n_issues
    tables = []
    for k, issue in enumerate(s.issues):
        lo, hi = issue.scale_range
        header = ["model", "forecast"]
        if f.draws:
            header += ["50% interval", "90% interval"]
        header.append("nearest option")
        if known:
            header.append("error")
        rows: list[list[Any]] = []
        for m in f.models:
            row: list[Any] = [model_label(m.model), float(m.point[k])]
            if f.draws:
                d = m.distribution
                row += ["–", "–"] if d is None else [_span(d.q25[k], d.q75[k]),
                                                     _span(d.q05[k], d.q95[k])]  # fmt: skip
            row.append(issue.options[m.nearest[k]] if m.nearest[k] >= 0 else None)
            if known:
                row.append(float(abs(m.point[k] - f.observed[k])))
            rows.append(row)
        if known:
            seen = float(f.observed[k])
            code = codes[k] if k < len(codes) else None
            last: list[Any] = ["what happened", seen]
            if f.draws:
                last += ["", ""]
            last += [issue.options[code] if code is not None else None, ""]
            rows.append(last)
        tables.append(forecast_table(header, rows, caption=f"{issue.name} (scale {lo:g}–{hi:g})"))
    body += "".join(tables)
    if known:
        body += f"<p>{esc(accuracy_text(f))}</p>"
    figs: dict[str, dict[str, Any]] = {}
    if figures.has_forecast_path(f):
        body += figure("forecast_path", path_caption(f, known))
        figs["forecast_path"] = figures.forecast_path_figure(f)
    body += placement_part(inp)
    return Section("forecast", "What the stakeholders forecast", body, figs)


def rounds_text(f: Forecast) -> str:
    """How many rounds the dynamic models played (and how many exchanges were made)."""
    names = [m.model for m in f.models]
    text = ""
    if "eum" in names and "exchange" in names:
        text = f"The expected utility and exchange models play {f.rounds} rounds"
    elif "eum" in names:
        text = f"The expected utility model plays {f.rounds} rounds"
    elif "exchange" in names:
        text = f"The exchange model plays {f.rounds} rounds"
    x = f.model("exchange").exchange if "exchange" in names else None
    if x is not None:
        n = len(x.trades)
        text += f"; the exchange model makes {n:,} exchange{'s' if n != 1 else ''} in them"
    p = f.model("smp").smp if "smp" in names else None
    if p is not None:
        text += (
            f"{'; ' if text else ''}the spatial model plays {p.turns} turn"
            f"{'s' if p.turns != 1 else ''} until KTAB's stop rule holds"
        )
    if not text:
        return ""
    return text[0].upper() + text[1:] + ". "


def path_caption(f: Forecast, known: bool) -> str:
    """The caption of the round-by-round figure: which lines it draws."""
    series = figures.path_series(f)
    parts = []
    for model in dict.fromkeys(m for m, _, _ in series):
        stats = [st for m, st, _ in series if m == model]
        if model == "eum":
            parts.append(
                "the expected utility model's weighted median of the positions (solid; after the "
                "last round it is the model's forecast) and weighted mean (dashed)"
            )
        elif model == "smp":
            parts.append(
                "the spatial model's positions weighted by their chances of winning (round 0 is "
                "where the stakeholders start; one point per turn until KTAB's stop rule, the "
                "last the model's forecast)"
            )
        elif model == "exchange":
            parts.append(
                "the exchange model's weighted mean of the voting positions (dashed; round 0 is "
                "the compromise before any exchange, the last round the model's forecast)"
            )
        else:
            parts.append(f"the {model_label(model)}'s {' and '.join(stats)}")
    text = "Round by round, issue by issue: " + "; ".join(parts) + ", from round 0, where the "
    text += "stakeholders start"
    return text + ("; dotted black: what happened." if known else ".")


def accuracy_text(f: Forecast) -> str:
    """How far each model's forecasts are from what happened, in one sentence."""
    s = f.scenario
    seen = np.isfinite(f.observed)
    n = int(seen.sum())
    codes = s.observed.outcome if s.observed is not None else ()
    parts = []
    for m in f.models:
        err = f.errors(m.model)[seen]
        err = err[np.isfinite(err)]
        hits = sum(
            1
            for k in range(s.n_issues)
            if k < len(codes) and codes[k] is not None and m.nearest[k] == codes[k]
        )
        mae = f"{float(err.mean()):.2f}" if len(err) else "–"
        parts.append(f"{model_label(m.model)} {mae} (right option on {hits} of {n})")
    return (
        f"Against what happened on the {n} issue{'s' if n != 1 else ''} with a known outcome, "
        "the mean absolute error on the issues' scales and how often the nearest option is the "
        "one that happened: " + "; ".join(parts) + "."
    )


def placement_part(inp: ReportInput) -> str:
    """Where each forecast outcome lands: its utilities, against the frontier and the solutions."""
    f = inp.forecast
    assert f is not None
    s = inp.scenario
    groups = inp.forecast_groups
    if not groups:
        return ""
    placed = {m for models, _ in groups for m in models}
    everyone = "both sides" if s.n_parties == 2 else f"all {s.n_parties} parties"
    a = inp.analysis
    observed = a.observed.outcome if a is not None and a.observed is not None else None
    items = []
    for models, pl in groups:
        who = " and ".join(model_label(m) for m in models)
        options = ", ".join(f"{k}: {v}" for k, v in s.describe(pl.outcome).items())
        text = (
            f"<li><b>{esc(who[0].upper() + who[1:])}</b> ({esc(options)}) gives "
            + ", ".join(f"{esc(p.name)} {u:.3f}" for p, u in zip(s.parties, pl.utilities, strict=True))
            + ". "
        )  # fmt: skip
        if pl.efficient:
            text += "It lies on the Pareto frontier"
        else:
            text += (
                f"It lies inside the Pareto frontier: {pl.dominating:,} frontier outcome"
                f"{'s' if pl.dominating != 1 else ''} would be better for {everyone}, and the "
                f"nearest frontier point is {pl.distance_to_frontier:.3f} away in utility space"
            )
        text += (
            "; it gives every party at least its reservation value."
            if pl.rational
            else "; it leaves some party below its reservation value."
        )
        if pl.distance_to:
            nearest = min(pl.distance_to, key=lambda c: pl.distance_to[c])
            text += (
                f" It is the outcome of the {esc(concept_title(nearest))}."
                if pl.distance_to[nearest] < 5e-4
                else f" The nearest solution is the {esc(concept_title(nearest))} "
                f"({pl.distance_to[nearest]:.3f} away)."
            )
        if observed is not None:
            differ = [
                i.name for i, x, o in zip(s.issues, pl.outcome, observed, strict=True) if x != o
            ]
            text += (
                " It is what actually happened."
                if not differ
                else f" It differs from what happened on {esc(', '.join(differ))}."
            )  # fmt: skip
        items.append(text + "</li>")
    missing = [m for m in f.models if m.model not in placed]
    for m in missing:
        open_issues = [i.name for i, c in zip(s.issues, m.nearest, strict=True) if c < 0]
        why = (
            f"no stakeholder takes a position on {', '.join(open_issues)}"
            if open_issues
            else "it was not placed"
        )
        items.append(
            f"<li>The {esc(model_label(m.model))}'s forecast is not placed: {esc(why)}.</li>"
        )
    return (
        "<h3>Where the forecast lands in the outcome space</h3>"
        "<p>Each model's nearest option on every issue, taken together, is one outcome: the "
        "stakeholders' forecast of the deal. It is marked with a pink star in the "
        '<a href="#outcomes">outcome-space chart</a>.</p>'
        f"<ul>{''.join(items)}</ul>"
    )


@register_section(70)
def observed_section(inp: ReportInput) -> Section | None:
    a = inp.analysis
    s = inp.scenario
    if s.observed is None:
        return None
    obs = s.observed
    known = [
        [i.name, i.options[c]] for i, c in zip(s.issues, obs.outcome, strict=True) if c is not None
    ]
    body = f"<p>{esc(obs.description or '')}</p>" + table(
        ["issue", "what happened"], known, caption=f"Observed outcome ({obs.date}; {obs.source})"
    )
    if a is not None and a.observed is not None:
        pl = a.observed
        nearest = min(pl.distance_to, key=lambda k: pl.distance_to[k]) if pl.distance_to else None
        verdict = (
            "on the Pareto frontier"
            if pl.efficient
            else f"inside the frontier: {pl.dominating} frontier outcome(s) would have been better for "
            f"{'both sides' if s.n_parties == 2 else f'all {s.n_parties} parties'} (distance to "
            f"the frontier {pl.distance_to_frontier:.3f})"
        )
        body += (
            "<p>Under the scenario's judgements, what happened gives "
            + ", ".join(
                f"{esc(p.name)} {u:.3f}" for p, u in zip(s.parties, pl.utilities, strict=True)
            )
            + f". It is {'individually rational' if pl.rational else 'below a reservation value'} and "
            f"{esc(verdict)}."
            + (
                f" The nearest solution is {esc(concept_label(nearest))} "
                f"(distance {pl.distance_to[nearest]:.3f})."
                if nearest
                else ""
            )
            + " It is marked with a black ring in the outcome-space chart.</p>"
        )
    return Section("observed", "What actually happened", body)
