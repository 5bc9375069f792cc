"""Notebook HTML for scenarios and results: :func:`html` renders any of them as one ``<div>``.

IPython and Jupyter show zopa's objects through this module: ``import zopa`` inside a running
IPython (or ``%load_ext zopa``) registers :func:`html` as the ``text/html`` formatter of every type
it knows (see :func:`zopa.load_ipython_extension`), so the engines themselves carry no display code.
Anywhere else, ``html(result)`` gives the same markup as a string.

The ``*_parts`` functions give a result's paragraphs and tables without heading and wrapper, for
composing a larger display (the one of an :class:`~zopa.analysis.Analysis` is made of them).
Every piece is escaped (:mod:`zopa.report.markup`), numbers have four significant digits, and the
output sits in a ``zopa`` wrapper with its own scoped style sheet. Long lists are cut:
:data:`FRONTIER_ROWS` frontier points, :data:`AGENDA_ROWS` agendas, :data:`LOGROLL_ROWS` logrolls,
:data:`LEVERAGE_ROWS` walk-away and threat rows.

Examples:
    >>> import zopa
    >>> from zopa.analysis import solve
    >>> from zopa.report.display import html
    >>> html(solve(zopa.load_scenario("mexico-us-2017"))).count("<h3>Nash solution</h3>")
    1
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import singledispatch

import numpy as np

from zopa.analysis.chips import Chips
from zopa.analysis.frontier import Frontier
from zopa.analysis.leverage import Leverage
from zopa.analysis.linkage import Agendas, Linkage
from zopa.analysis.robustness import Robustness
from zopa.analysis.run import Analysis
from zopa.analysis.solutions import Solution
from zopa.analysis.zone import Zone
from zopa.model.issue import Issue
from zopa.model.preferences import AdditiveUtility
from zopa.model.scenario import Scenario
from zopa.report.markup import (
    Signed,
    block,
    capability_text,
    facts,
    heading,
    items,
    number,
    paragraph,
    table,
)
from zopa.report.prose import concept_title, headline, meaning

__all__ = [
    "AGENDA_ROWS",
    "FRONTIER_ROWS",
    "LEVERAGE_ROWS",
    "LOGROLL_ROWS",
    "agenda_parts",
    "chips_parts",
    "frontier_parts",
    "html",
    "leverage_parts",
    "linkage_parts",
    "robustness_parts",
    "zone_parts",
]

#: Frontier points listed for a :class:`~zopa.analysis.Frontier`.
FRONTIER_ROWS = 20

#: Agendas listed for an :class:`~zopa.analysis.Agendas` (the best by total utility).
AGENDA_ROWS = 16

#: Logrolls listed for :class:`~zopa.analysis.Chips` (the largest joint gains).
LOGROLL_ROWS = 10

#: Rows of the walk-away table and threats listed for a :class:`~zopa.analysis.Leverage`.
LEVERAGE_ROWS = 21


@singledispatch
def html(obj: object) -> str:
    """The notebook HTML of a scenario or result: one ``<div class="zopa">`` with its own style.

    Raises:
        TypeError: for an object zopa does not display.
    """
    raise TypeError(f"zopa has no HTML display for {type(obj).__name__}")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------------- scenario
@html.register
def _scenario(s: Scenario) -> str:
    """Issues with each party's weights, parties with their reservation values, stakeholders."""

    def options(issue: Issue, limit: int = 8) -> str:
        shown = ", ".join(issue.options[:limit])
        return shown + (f", … ({issue.size} in all)" if issue.size > limit else "")

    parts = [heading(s.title or s.name)]
    summary = f"{s.n_issues} issues, {s.n_parties} parties, {s.n_outcomes:,} outcomes"
    if s.title:
        summary = f"{s.name}: {summary}"
    parts.append(paragraph(summary + (f" ({s.date})." if s.date else ".")))
    weights = [
        p.utility.weights if isinstance(p.utility, AdditiveUtility) else None for p in s.parties
    ]
    parts.append(
        table(
            ["issue", "options", "disagreement", *(f"weight: {p.name}" for p in s.parties)],
            (
                [
                    issue.name,
                    options(issue),
                    issue.disagreement_option,
                    *(None if w is None else w[k] for w in weights),
                ]
                for k, issue in enumerate(s.issues)
            ),
            caption="Issues",
        )
    )
    reservations = s.reservation_values()
    parts.append(
        table(
            ["party", "preferences", "reservation value", "stated", "discount", "power"],
            (
                [
                    p.name,
                    "additive" if p.is_additive else "hyper-rectangles",
                    float(reservations[j]),
                    p.reservation is not None,
                    p.discount,
                    p.power,
                ]
                for j, p in enumerate(s.parties)
            ),
            caption="Parties",
        )
    )
    if s.stakeholders:
        parts.append(
            table(
                ["stakeholder", "party", "capability", *(i.name for i in s.issues)],
                (
                    [
                        sh.name,
                        sh.party,
                        capability_text(sh.capability),
                        *(
                            None if pos is None else f"{number(pos)} ({number(sal)})"
                            for pos, sal in zip(sh.positions, sh.salience, strict=True)
                        ),
                    ]
                    for sh in s.stakeholders
                ),
                caption="Stakeholders: position on each issue's scale (salience)",
            )
        )
    return block(*parts)


# ---------------------------------------------------------------------------------- frontier
@html.register
def _frontier(front: Frontier) -> str:
    return block(heading("Pareto frontier"), *frontier_parts(front))


def frontier_parts(front: Frontier) -> list[str]:
    shown = min(len(front), FRONTIER_ROWS)
    parts = [
        paragraph(
            f"{len(front):,} points, {front.n_parties} parties"
            + (f"; the first {shown} shown." if shown < len(front) else ".")
        )
    ]
    if len(front):
        parts.append(
            table(
                ["point", *(f"party {j}" for j in range(front.n_parties)), "outcome (codes)"],
                (
                    [i, *map(float, front.utilities[i]), ", ".join(map(str, front.outcomes[i]))]
                    for i in range(shown)
                ),
            )
        )
    return parts


# ---------------------------------------------------------------------------------- solutions
@html.register
def _solution(sol: Solution) -> str:
    if sol.outcome is None:
        text = (
            "No agreement: no outcome is individually rational; the utilities are the "
            "reservation values."
        )
    else:
        text = f"Outcome (option code per issue): {', '.join(map(str, sol.outcome))}."
    return block(
        heading(_capital(concept_title(sol.concept))),
        paragraph(text),
        table(
            [f"party {j}" for j in range(len(sol.utilities))],
            [sol.utilities],
            caption="Utilities",
        ),
    )


# ---------------------------------------------------------------------------------- zone
@html.register
def _zone(zone: Zone) -> str:
    return block(heading("Zone of possible agreement"), *zone_parts(zone))


def zone_parts(zone: Zone, parties: Sequence[str] | None = None) -> list[str]:
    names = (
        list(parties)
        if parties is not None
        else [f"party {j}" for j in range(len(zone.reservation))]
    )
    if zone.exists:
        verdict = "Some outcomes give every party at least its reservation value."
    elif zone.exists_exact:
        verdict = "No outcome gives every party its reservation value: there is no zone."
    else:
        verdict = "None of the sampled outcomes gives every party its reservation value."
    how = {
        "exact-dp": "exact, counted without enumeration",
        "enumeration": "exact, by enumeration",
        "sampled": f"estimated from {zone.samples:,} sampled outcomes",
    }[zone.method]

    def interval(ci: tuple[float, float] | None) -> str:
        return "" if ci is None else f" (95% CI {number(ci[0])}–{number(ci[1])})"

    rows: list[tuple[str, object]] = [
        ("outcomes in the zone", number(zone.count) + interval(zone.count_ci)),
        ("share of the outcome space", number(zone.share) + interval(zone.share_ci)),
        ("outcome space", zone.n_outcomes),
        ("counted", how),
        (
            "Pareto-optimal outcomes in the zone",
            None if zone.frontier is None else len(zone.frontier),
        ),
        *((f"reservation value: {n}", r) for n, r in zip(names, zone.reservation, strict=True)),
    ]
    return [paragraph(verdict), facts(rows)]


# ---------------------------------------------------------------------------------- linkage
@html.register
def _linkage(lk: Linkage) -> str:
    return block(heading("Package versus issue by issue"), *linkage_parts(lk))


def linkage_parts(lk: Linkage) -> list[str]:
    text = (
        "Every issue negotiated as one package, and each issue alone, under the "
        f"{concept_title(lk.concept)}."
    )
    if not lk.package.agreement:
        text += " The package talks fail: every party keeps its reservation value."
    utilities = table(
        ["party", "reservation value", "package", "issue by issue", "gain from linkage"],
        (
            [party, r, a, b, Signed(g)]
            for party, r, a, b, g in zip(
                lk.parties,
                lk.reservation,
                lk.package.utilities,
                lk.separate.utilities,
                lk.gain,
                strict=True,
            )
        ),
        caption="Utilities",
    )
    outcomes = table(
        ["issue", "package", "issue by issue", "settled alone"],
        (
            [
                issue,
                None if lk.package.outcome is None else opts[lk.package.outcome[k]],
                None if lk.separate.outcome is None else opts[lk.separate.outcome[k]],
                alone.agreement,
            ]
            for k, (issue, opts, alone) in enumerate(
                zip(lk.issues, lk.options, lk.per_issue, strict=True)
            )
        ),
        caption="Options",
    )
    return [paragraph(text), utilities, outcomes]


@html.register
def _agendas(ag: Agendas) -> str:
    return block(heading("Agendas"), *agenda_parts(ag))


def agenda_parts(ag: Agendas, *, brief: bool = False) -> list[str]:
    """Paragraph and tables; ``brief`` leaves out the list of agendas."""

    def agenda(i: int) -> str:
        return ", ".join(ag.agenda_names(i)) or "nothing"

    best = table(
        ["party", "best agenda", "utility", "reservation value"],
        (
            [party, agenda(b), float(ag.utilities[b, j]), ag.reservation[j]]
            for j, (party, b) in enumerate(zip(ag.parties, ag.best, strict=True))
        ),
        caption="Each party's best agenda",
    )
    shapley = [] if ag.shapley is None else [f"Shapley value: {p}" for p in ag.parties]
    contributions = table(
        ["issue", *shapley, *(f"added last: {p}" for p in ag.parties)],
        (
            [
                issue,
                *([] if ag.shapley is None else map(float, ag.shapley[k])),
                *map(float, ag.added_last[k]),
            ]
            for k, issue in enumerate(ag.issues)
        ),
        caption="What each issue adds",
    )
    parts = [
        paragraph(f"{len(ag):,} agendas evaluated under the {concept_title(ag.concept)}."),
        best,
        contributions,
    ]
    if brief:
        return parts
    shown = min(len(ag), AGENDA_ROWS)
    caption = "Agendas by total utility"
    if shown < len(ag):
        caption += f" (the best {shown} of {len(ag):,})"
    order = np.argsort(-ag.utilities.sum(axis=1), kind="stable")[:shown]
    listed = table(
        ["agenda", "issues on it", "agreement", *ag.parties],
        ([int(i), agenda(int(i)), bool(ag.outcomes[i, 0] >= 0), *ag.utilities[i]] for i in order),
        caption=caption,
    )
    return [*parts, listed]


# ---------------------------------------------------------------------------------- chips
@html.register
def _chips(ch: Chips) -> str:
    a, b = ch.parties
    return block(heading(f"Bargaining chips: {a} and {b}"), *chips_parts(ch))


def chips_parts(ch: Chips) -> list[str]:
    a, b = ch.parties
    names = [x.name for x in ch.issues]

    def chips(of: str, to: str, order: tuple[int, ...]) -> str:
        listed = ", ".join(names[k] for k in order) or "none"
        return (
            f"{of}'s bargaining chips, cheapest for {of} to give and most valuable to {to} "
            f"first: {listed}."
        )

    issues = table(
        [
            "issue",
            "relation",
            "Spearman ρ",
            *(f"importance: {p}" for p in (a, b)),
            f"exchange rate {a}→{b}",
            *(f"settled alone: {p}" for p in (a, b)),
        ],
        (
            [
                x.name,
                x.relation,
                x.correlation,
                *x.importance,
                x.rate,
                *(x.settlement or (None, None)),
            ]
            for x in ch.issues
        ),
        caption="Issues",
    )
    parts = [
        paragraph(chips(a, b, ch.chips_i)),
        paragraph(chips(b, a, ch.chips_j)),
        issues,
    ]
    shown = ch.logrolls[:LOGROLL_ROWS]
    if not shown:
        parts.append(paragraph("No logrolls."))
        return parts
    caption = "Logrolls, largest joint gain first"
    if len(shown) < len(ch.logrolls):
        caption += f" (the first {len(shown)} of {len(ch.logrolls)})"
    logrolls = table(
        [f"{a} wins", f"{b} wins", f"gain: {a}", f"gain: {b}", "joint gain", "both gain"],
        (
            [
                *lr.names,
                *((None, None) if lr.gains is None else map(Signed, lr.gains)),
                None if lr.joint_gain is None else Signed(lr.joint_gain),
                lr.mutual,
            ]
            for lr in shown
        ),
        caption=caption,
    )
    parts.append(logrolls)
    return parts


# ---------------------------------------------------------------------------------- leverage
@html.register
def _leverage(lv: Leverage) -> str:
    return block(heading("Leverage"), *leverage_parts(lv))


def leverage_parts(lv: Leverage, *, brief: bool = False) -> list[str]:
    """Paragraph and tables; ``brief`` keeps only the table of parties."""
    text = (
        f"How the deal under the {concept_title(lv.concept)} moves with each party's walk-away "
        "value (its reservation value) and with threats to change what holds on an issue if "
        "talks fail."
    )
    rows = []
    for j, party in enumerate(lv.parties):
        threat = lv.best_threat(j)
        rows.append(
            [
                party,
                lv.reservation[j],
                lv.baseline[j],
                lv.slope(j),
                None if threat is None else f"{threat.issue}: {threat.option}",
                None if threat is None else Signed(threat.change[j]),
            ]
        )
    parties = table(
        ["party", "reservation value", "deal", "slope", "best threat", "its gain"],
        rows,
        caption="Each party (slope: change of its own deal per unit of its walk-away value)",
    )
    if brief:
        return [paragraph(text), parties]
    g = len(lv.grid)
    picked = np.unique(np.linspace(0, g - 1, min(g, LEVERAGE_ROWS)).round().astype(int))
    curves = table(
        ["walk-away value", *lv.parties],
        (
            [
                float(lv.grid[k]),
                *(float(lv.walkaway[j, k, j]) for j in range(len(lv.parties))),
            ]
            for k in picked
        ),
        caption="Each party's own deal as its walk-away value moves (the others' stay)",
    )
    parts = [paragraph(text), parties, curves]
    if lv.threats:
        shown = lv.threats[:LEVERAGE_ROWS]
        caption = "Threats: the deal when an issue falls back to another option"
        if len(shown) < len(lv.threats):
            caption += f" (the first {len(shown)} of {len(lv.threats)})"
        parts.append(
            table(
                ["issue", "fallback", "agreement", *(f"change: {p}" for p in lv.parties)],
                ([t.issue, t.option, t.agreement, *map(Signed, t.change)] for t in shown),
                caption=caption,
            )
        )
    return parts


# ---------------------------------------------------------------------------------- robustness
@html.register
def _robustness(rb: Robustness) -> str:
    return block(heading("Robustness"), *robustness_parts(rb))


def robustness_parts(rb: Robustness) -> list[str]:
    seed = "" if rb.seed is None else f", seed {rb.seed}"
    text = (
        f"Package versus issue by issue under the {concept_title(rb.concept)}, redone in "
        f"{rb.draws:,} draws around the stated judgements{seed} (weight concentration "
        f"{number(rb.concentration)}, value noise ±{number(rb.value_noise)}, "
        f"reservation noise ±{number(rb.reservation_noise)}). The package talks "
        f"succeed in {float(rb.agreement.mean()):.0%} of the draws."
    )
    helped, hurt = rb.share_helped(), rb.share_hurt()
    q = np.quantile(rb.gain, [0.05, 0.5, 0.95], axis=0)
    shares = table(
        ["party", "linkage helps", "linkage hurts", "mean gain", "5%", "median", "95%"],
        (
            [
                party,
                f"{helped[j]:.0%}",
                f"{hurt[j]:.0%}",
                Signed(float(rb.gain[:, j].mean())),
                *(Signed(float(x)) for x in q[:, j]),
            ]
            for j, party in enumerate(rb.parties)
        ),
        caption="Gain from linkage (package minus issue by issue), per party",
    )
    return [paragraph(text), shares]


# ---------------------------------------------------------------------------------- analysis
@html.register
def _analysis(a: Analysis) -> str:
    """The headline and the key tables."""
    s = a.scenario
    summary = (
        f"{s.name}: {s.n_issues} issues, {s.n_parties} parties, {s.n_outcomes:,} outcomes; "
        f"{len(a.frontier):,} Pareto-optimal outcomes; linkage, agendas and leverage under "
        f"the {concept_title(a.concept)}."
    )
    parts = [
        heading(s.title or s.name),
        paragraph(summary, note=True),
        paragraph(" ".join(headline(a))),
        *([] if (said := meaning(a)) is None else [paragraph("What this means: " + said)]),
        items(a.notes, note=True),
    ]
    solutions = table(
        ["solution", "agreement", *a.parties, *(i.name for i in s.issues)],
        (
            [
                concept_title(name),
                sol.agreement,
                *sol.utilities,
                *([None] * s.n_issues if sol.outcome is None else s.describe(sol.outcome).values()),
            ]
            for name, sol in a.solutions.items()
        ),
    )
    sections: list[tuple[str, list[str]]] = [
        ("Bargaining solutions", [solutions]),
        ("Zone of possible agreement", zone_parts(a.zone, a.parties)),
    ]
    if a.linkage is not None:
        sections.append(("Package versus issue by issue", linkage_parts(a.linkage)))
    if a.robustness is not None:
        sections.append(("Robustness", robustness_parts(a.robustness)))
    if a.agendas is not None:
        sections.append(("Agendas", agenda_parts(a.agendas, brief=True)))
    if a.chips is not None:
        first, second = a.chips.parties
        sections.append((f"Bargaining chips: {first} and {second}", chips_parts(a.chips)))
    if a.leverage is not None:
        sections.append(("Leverage", leverage_parts(a.leverage, brief=True)))
    for title, body in sections:
        parts += [heading(title, 4), *body]
    return block(*parts)
