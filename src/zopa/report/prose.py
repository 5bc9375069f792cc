"""Words for results: the name of each solution concept, and the headline of an analysis.

:data:`CONCEPT_NAMES` is the one place a solution concept gets its human name — in the terminal
(``zopa analyze``), in the report and its figures, in notebooks and in the headline. The engines
know concepts only by key (:data:`zopa.analysis.CONCEPTS`).

:func:`headline` states in a few sentences what the numbers of an
:class:`~zopa.analysis.Analysis` say; it is generated from the results, never written by hand.
``zopa analyze --quiet`` prints it, ``zopa analyze --json`` gives it as ``"headline"``, and the
report opens with it.

:func:`meaning` is the report's "What this means" paragraph under the headline (``zopa analyze``
prints it too, not with ``--quiet``): the findings set against the strategy the scenario states
(:class:`zopa.model.Strategy`), with a verdict by the documented thresholds of
:func:`strategy_verdict`. It says nothing (``None``) when the scenario states no strategy.

Examples:
    >>> concept_title("kalai_smorodinsky"), concept_label("genius_kalai")
    ('Kalai–Smorodinsky solution', 'GENIUS Kalai')
    >>> concept_title("unknown")
    'unknown'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from zopa.analysis.run import Analysis
    from zopa.negotiation.leaderboard import Estimate

__all__ = [
    "CHIP_RATE",
    "CONCEPT_NAMES",
    "HOLDS_SHARE",
    "MAJORITY_SHARE",
    "MODEL_NAMES",
    "NEAR_BEST",
    "UTILITY_TEXT",
    "ConceptName",
    "concept_label",
    "concept_meaning",
    "concept_title",
    "estimate",
    "estimate_rate",
    "headline",
    "meaning",
    "model_label",
    "model_meaning",
    "model_short",
    "strategy_verdict",
]

#: What a utility is, said once for the reader of a report.
UTILITY_TEXT = (
    "A utility is one party's valuation of an outcome: its value (from 0 to 1) of the option "
    "the outcome picks on each issue, weighted by how much the issue matters to it and added up. "
    "With weights that add up to 1, 1 is the party's best possible outcome (a fully valued option "
    "on every issue) and 0 an outcome that gives it nothing it values. Each party has its own "
    "scale: 0.6 for one party and 0.6 for another are not the same amount of anything."
)


@dataclass(frozen=True)
class ConceptName:
    """How a solution concept is named: ``label`` in charts and table rows, ``title`` in prose
    ("under the Nash solution")."""

    label: str
    title: str
    meaning: str = ""


#: Every solution concept of :data:`zopa.analysis.CONCEPTS`, by key.
CONCEPT_NAMES: dict[str, ConceptName] = {
    "nash": ConceptName(
        "Nash",
        "Nash solution",
        "the outcome with the largest product of the parties' gains over their reservation "
        "values (Nash 1950): no side can be made much better off without another losing as much "
        "in proportion.",
    ),
    "kalai_smorodinsky": ConceptName(
        "Kalai–Smorodinsky",
        "Kalai–Smorodinsky solution",
        "every party gets the same fraction of the way from its reservation value to the most it "
        "could get in the zone of agreement (Kalai & Smorodinsky 1975).",
    ),
    "egalitarian": ConceptName(
        "egalitarian",
        "egalitarian solution",
        "the smallest gain over a reservation value is made as large as possible, so gains are "
        "equal in utility terms (Kalai 1977).",
    ),
    "utilitarian": ConceptName(
        "utilitarian",
        "utilitarian solution",
        "the outcome with the largest sum of utilities, whoever gets it (Harsanyi 1955).",
    ),
    "genius_kalai": ConceptName(
        "GENIUS Kalai",
        "GENIUS-style Kalai point",
        "the frontier outcome whose utilities are closest to equal, as the GENIUS and ANL "
        "tools define their 'Kalai' point.",
    ),
}


def concept_title(concept: str) -> str:
    """The concept's name in prose (the key itself for an unknown concept)."""
    found = CONCEPT_NAMES.get(concept)
    return concept if found is None else found.title


def concept_meaning(concept: str) -> str:
    """One sentence on what the concept picks (``""`` for an unknown concept)."""
    found = CONCEPT_NAMES.get(concept)
    return "" if found is None else found.meaning


def concept_label(concept: str) -> str:
    """The concept's short name for charts and table rows (the key itself for an unknown one)."""
    found = CONCEPT_NAMES.get(concept)
    return concept if found is None else found.label


#: The forecasting models of :mod:`zopa.forecast`, by key: (label in tables and prose, short
#: label in charts, what the model does). An unknown model is shown by its key.
MODEL_NAMES: dict[str, tuple[str, str, str]] = {
    "compromise": (
        "compromise",
        "compromise",
        "the stakeholders' positions averaged, each weighted by capability × salience.",
    ),
    "median": (
        "median voter",
        "median voter",
        "the weighted median of the positions (capability × salience): the position no "
        "weighted majority would vote to move.",
    ),
    "eum": (
        "expected utility model",
        "EUM",
        "Bueno de Mesquita's expected utility model (as unravelled by Scholz, Calbert & Smith "
        "2011): round by round, stakeholders challenge one another and give way, compromise or "
        "stand firm as their expected utilities say; its forecast is the weighted median after "
        "the last round.",
    ),
    "smp": (
        "spatial model",
        "SMP",
        "KTAB's Spatial Model of Politics (Wise, Lester & Efird): all issues at once, turn by "
        "turn, each stakeholder challenges the rival it gains most from and strikes a bargain, "
        "and a probabilistic vote decides which bargain each takes; its forecast is the final "
        "positions weighted by their chances of winning.",
    ),
    "exchange": (
        "exchange model",
        "exchange",
        "Stokman and Van Oosten's exchange model (Equal Gain form): stakeholders trade positions "
        "on issues they care little about for issues they care more about.",
    ),
}


def model_label(model: str) -> str:
    """A forecasting model's name in tables and prose (its key if unknown)."""
    found = MODEL_NAMES.get(model)
    return model if found is None else found[0]


def model_short(model: str) -> str:
    """A forecasting model's short name for charts (its key if unknown)."""
    found = MODEL_NAMES.get(model)
    return model if found is None else found[1]


def model_meaning(model: str) -> str:
    """One sentence on what the model does (``""`` if unknown)."""
    found = MODEL_NAMES.get(model)
    return "" if found is None else found[2]


def headline(analysis: Analysis) -> list[str]:
    """Two to four sentences on what the numbers say, generated from the results.

    Only claims that carry information are made: no "best agenda" when a single agenda was
    possible, no gain from linkage when issue-by-issue talks are undefined (the headline says so
    instead, in one sentence, when no issue states what holds if talks fail).
    """
    a = analysis
    s = a.scenario
    out: list[str] = []
    nash = a.solutions.get(a.concept)
    if not a.zone.exists:
        out.append(
            "No outcome gives every party its reservation value: there is no zone of "
            "agreement, so talks should fail."
        )
        return out
    if a.linkage is not None:
        lk = a.linkage
        pieces = []
        for j, party in enumerate(a.parties):
            pieces.append(
                f"{party} {lk.package.utilities[j]:.3f} against {lk.separate.utilities[j]:.3f} "
                f"({lk.gain[j]:+.3f})"
            )
        out.append(
            f"Negotiating all {s.n_issues} issues as one package under the "
            f"{concept_title(a.concept)} gives " + " and ".join(pieces) + " compared with "
            "settling each issue alone."
        )
    elif nash is not None:
        out.append(
            f"The {concept_title(a.concept)} gives "
            + ", ".join(f"{p} {u:.3f}" for p, u in zip(a.parties, nash.utilities, strict=True))
            + "."
        )
        missing = [issue.name for issue in s.issues if issue.disagreement is None]
        if len(missing) == s.n_issues:
            out.append(
                "No issue states what holds on it if talks fail, so the package is the only "
                "negotiation defined: the gain from linkage is undefined."
            )
        elif missing:
            many = len(missing) > 1
            out.append(
                f"{', '.join(missing)} state{'' if many else 's'} nothing about what holds if "
                "talks fail, so issue-by-issue talks and the gain from linkage are undefined."
            )
    if a.robustness is not None:
        rb = a.robustness
        helped = rb.share_helped()
        med = np.median(rb.gain, axis=0)
        out.append(
            f"Across {rb.draws:,} draws around the stated judgements, linking all issues helps "
            + " and ".join(
                f"{p} in {helped[j]:.0%} (median gain {med[j]:+.3f})"
                for j, p in enumerate(a.parties)
            )
            + "."
        )
    # With a single agenda (nothing can be left off the table) "the best agenda" says nothing.
    if a.agendas is not None and a.agendas.shapley is not None and len(a.agendas) > 1:
        sentences = []
        for j, party in enumerate(a.parties):
            best = a.agendas.best[j]
            names = a.agendas.agenda_names(best)
            carry = np.argsort(-a.agendas.shapley[:, j], kind="stable")[:2]
            carriers = [s.issues[int(k)].name for k in carry if a.agendas.shapley[k, j] > 1e-9]
            agenda = "all issues" if len(names) == s.n_issues else ", ".join(names) or "nothing"
            text = (
                f"{_possessive(party)} best agenda is {agenda} ({a.agendas.utilities[best, j]:.3f})"
            )
            if carriers:
                text += f"; the issues that carry its gain are {' and '.join(carriers)}"
            sentences.append(text)
        out.append("; ".join(sentences) + ".")
    if a.chips is not None:
        ch = a.chips
        names = [t.name for t in ch.issues]
        pieces = []
        for own, other, chips, rates in (
            (ch.parties[0], ch.parties[1], ch.chips_i, [t.rate for t in ch.issues]),
            (ch.parties[1], ch.parties[0], ch.chips_j, [t.reverse_rate for t in ch.issues]),
        ):
            top = [k for k in chips if np.isfinite(rates[k]) and rates[k] > 1][:2]
            if top:
                pieces.append(
                    f"{_possessive(own)} cheapest chips are "
                    + " and ".join(
                        f"{names[k]} (worth {rates[k]:.1f} times to {other} what it costs {own})"
                        for k in top
                    )
                )
        if pieces:
            out.append("; ".join(pieces) + ".")
    return out


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


# ---------------------------------------------------------------------------- what this means
#: The verdict's thresholds (documented in ``docs/scenario-format.md``, "Strategy"). A stated
#: strategy **holds** when its agenda beats issue-by-issue talks for its party (a gain above
#: :data:`~zopa.analysis.robustness.GAIN_TOLERANCE`), helps the party in at least
#: ``HOLDS_SHARE`` of the robustness draws, comes within ``NEAR_BEST`` of the party's best
#: agenda, and every stated chip is worth more to the other side than it costs the party (an
#: exchange rate above ``CHIP_RATE``). It **does not hold under these judgements** when the
#: agenda does not beat issue by issue, or helps the party in fewer than ``MAJORITY_SHARE`` of
#: the draws. Anything between **holds only weakly**; so does a strategy whose robustness was not
#: measured. With the gain over issue by issue undefined there is no verdict.
HOLDS_SHARE = 0.75
MAJORITY_SHARE = 0.5
NEAR_BEST = 0.01
CHIP_RATE = 1.0

HOLDS = "the strategy holds"
WEAK = "the strategy holds only weakly"
FAILS = "the strategy does not hold under these judgements"


def strategy_verdict(
    gain: float | None,
    share: float | None,
    shortfall: float | None,
    chips_ok: bool | None,
    party: str = "the party",
) -> tuple[str | None, str]:
    """The verdict on a stated strategy, and the reason, by the thresholds above.

    Args:
        gain: the party's utility of its stated agenda minus that of issue-by-issue talks
            (``None``: undefined, no verdict).
        share: the share of robustness draws in which the agenda helps it (``None``: not
            measured).
        shortfall: its best agenda's utility minus the stated agenda's (``None``: unknown).
        chips_ok: whether every stated chip has an exchange rate above :data:`CHIP_RATE`
            (``None``: no chips stated, or chips undefined).
        party: the party's name, for the reason.

    Examples:
        >>> strategy_verdict(0.1, 0.9, 0.0, True)[0]
        'the strategy holds'
        >>> strategy_verdict(0.1, 0.6, 0.0, True)[0]
        'the strategy holds only weakly'
        >>> strategy_verdict(0.1, 0.4, 0.0, True)[0]
        'the strategy does not hold under these judgements'
        >>> strategy_verdict(None, None, None, None)[0] is None
        True
    """
    from zopa.analysis.robustness import GAIN_TOLERANCE

    if gain is None:
        return None, "the gain over issue-by-issue talks is undefined"
    if gain <= GAIN_TOLERANCE:
        return FAILS, f"its agenda does not beat issue-by-issue talks for {party}"
    if share is not None and share < MAJORITY_SHARE:
        return FAILS, (
            f"its agenda helps {party} in fewer than {MAJORITY_SHARE:.0%} of the draws "
            f"({share:.0%})"
        )
    weak = []
    if share is None:
        weak.append("its robustness was not measured")
    elif share < HOLDS_SHARE:
        weak.append(
            f"its agenda helps {party} in fewer than {HOLDS_SHARE:.0%} of the draws ({share:.0%})"
        )
    if shortfall is not None and shortfall > NEAR_BEST:
        weak.append(
            f"its agenda falls {shortfall:.3f} short of {_possessive(party)} best agenda "
            f"(more than {NEAR_BEST:g})"
        )
    if chips_ok is False:
        weak.append("a stated chip is not worth more to the other side than it costs")
    if weak:
        return WEAK, "; ".join(weak)
    return HOLDS, (
        f"its agenda beats issue-by-issue talks in at least {HOLDS_SHARE:.0%} of the draws, "
        f"is within {NEAR_BEST:g} of the best agenda, and every stated chip is worth more to "
        "the other side than it costs"
    )


def meaning(analysis: Analysis) -> str | None:
    """ "What this means": the findings set against the scenario's stated strategy.

    ``None`` when the scenario states no strategy (or its party is not among those analysed).
    Otherwise one paragraph: whether the stated agenda beats issue-by-issue talks for the party
    (its gain, and the share of robustness draws in which it helps), whether it is the party's
    best agenda (if not, what the best one leaves out or adds, and what that is worth), whether
    the stated chips are among its cheapest by exchange rate, and a verdict by
    :func:`strategy_verdict`. A quantity the analysis could not compute is named as undefined,
    with the reason.
    """
    a = analysis
    s = a.scenario
    st = s.strategy
    if st is None or st.party not in a.parties:
        return None
    j = a.parties.index(st.party)
    party = st.party
    issues = [i.name for i in s.issues]
    on = st.agenda_issues(s.issues)
    broad = len(on) == len(issues)
    out: list[str] = []
    if st.text:
        out.append(f"The scenario states {_possessive(party)} strategy: {st.text.strip()}")
        if not out[-1].endswith((".", "!", "?")):
            out[-1] += "."
    else:
        out.append(f"The scenario states a strategy for {party}.")
    agenda_words = f"all {len(issues)} issues as one package" if broad else "only " + _and(list(on))

    # -- the stated agenda against issue by issue
    row = _agenda_row(a, on)
    utility: float | None = None
    gain: float | None = None
    share: float | None = None
    lk = a.linkage
    if broad and lk is not None:
        utility = lk.package.utilities[j]
    elif row is not None and a.agendas is not None:
        utility = float(a.agendas.utilities[row, j])
    if lk is not None and utility is not None:
        baseline = lk.separate.utilities[j]
        gain = utility - baseline
        text = (
            f"Its agenda, {agenda_words}, gives {party} {utility:.3f} against {baseline:.3f} "
            f"issue by issue under the {concept_title(a.concept)} ({gain:+.3f})"
        )
        if broad and a.robustness is not None:
            rb = a.robustness
            share = float(rb.share_helped()[j])
            text += (
                f", and helps {party} in {share:.0%} of {rb.draws:,} robustness draws around "
                "the stated judgements."
            )
        elif broad:
            text += "; the share of robustness draws in which it helps was not measured."
        else:
            text += (
                "; the share of robustness draws in which it helps is undefined (the draws "
                "redo only the full package)."
            )
        out.append(text)
    elif lk is None:
        missing = [i.name for i in s.issues if i.disagreement is None]
        why = (
            f"{_and(missing)} state{'s' if len(missing) == 1 else ''} no option that holds if "
            "talks fail"
            if missing
            else "issue-by-issue talks were not compared"
        )
        out.append(
            f"Whether its agenda, {agenda_words}, beats issue-by-issue talks is undefined: {why}."
        )
    else:
        out.append(
            f"The gain of its agenda, {agenda_words}, over issue-by-issue talks is undefined: "
            f"{_agendas_missing(a)}."
        )

    # -- is it the party's best agenda?
    shortfall: float | None = None
    ag = a.agendas
    if ag is not None and row is not None:
        best = ag.best[j]
        stated_u = float(ag.utilities[row, j])
        best_u = float(ag.utilities[best, j])
        shortfall = best_u - stated_u
        from zopa.analysis.robustness import GAIN_TOLERANCE

        if shortfall <= GAIN_TOLERANCE:
            out.append(f"It is {_possessive(party)} best agenda.")
        else:
            best_on = ag.agenda_names(best)
            dropped = [k for k in on if k not in best_on]
            added = [k for k in best_on if k not in on]
            change = []
            if dropped:
                change.append(f"leaves out {_and(dropped)}")
            if added:
                change.append(f"adds {_and(added)}")
            others = [f"{p} {ag.utilities[best, i]:.3f}" for i, p in enumerate(a.parties) if i != j]
            out.append(
                f"It is not {_possessive(party)} best agenda: that one "
                + " and ".join(change)
                + f", and gives {party} {best_u:.3f} ({shortfall:.3f} more)"
                + (f" and {_and(others)}." if others else ".")
            )
    else:
        out.append(
            f"Whether it is {_possessive(party)} best agenda is undefined: {_agendas_missing(a)}."
        )

    # -- the stated chips
    chips_ok: bool | None = None
    if st.chips:
        chips_ok, text = _chips_sentence(a, party, list(st.chips))
        out.append(text)

    verdict, reason = strategy_verdict(gain, share, shortfall, chips_ok, party)
    if verdict is None:
        out.append(f"No verdict: {reason}.")
    else:
        out.append(f"Verdict: {verdict}, because {reason}.")
    return " ".join(out)


def _and(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _agenda_row(a: Analysis, on: tuple[str, ...]) -> int | None:
    """The row of :attr:`Analysis.agendas` with exactly the issues ``on`` (``None``: absent)."""
    ag = a.agendas
    if ag is None:
        return None
    want = np.asarray([name in on for name in ag.issues], dtype=bool)
    rows = np.flatnonzero((ag.members == want).all(axis=1))
    return int(rows[0]) if rows.size else None


def _agendas_missing(a: Analysis) -> str:
    """Why the stated agenda is not among :attr:`Analysis.agendas`."""
    if a.agendas is not None:
        return "it is not among the agendas compared"
    if not a.scenario.is_additive:
        return "agendas need additive preferences"
    if all(i.disagreement is None for i in a.scenario.issues):
        return "no issue can be left off the table, so no agenda was compared"
    return "agendas were not compared"


def _chips_sentence(a: Analysis, party: str, stated: list[str]) -> tuple[bool | None, str]:
    ch = a.chips
    if ch is None:
        return None, "Its chips are undefined: chips need additive preferences."
    if party not in ch.parties:
        return None, (
            f"Its chips are undefined: chips are measured between {_and(list(ch.parties))} only."
        )
    first = ch.parties[0] == party
    other = ch.parties[1] if first else ch.parties[0]
    order = ch.chips_i if first else ch.chips_j
    rates = {t.name: (t.rate if first else t.reverse_rate) for t in ch.issues}
    ranked = [ch.issues[k].name for k in order]  # the party's chips, cheapest first
    top = ranked[: len(stated)]
    inside = [c for c in stated if c in top]
    outside = [c for c in stated if c in ranked and c not in top]
    not_chips = [c for c in stated if c not in ranked]
    pieces = []
    if inside:
        n = len(inside)
        where = (
            f"its cheapest of {len(ranked)} chips"
            if len(stated) == 1
            else f"among the {len(stated)} cheapest of its {len(ranked)} chips"
        )
        worth = _and([_rate(rates[c]) for c in inside])
        pieces.append(
            f"{_and(inside)} {'are' if n > 1 else 'is'} {where} by exchange rate (worth {worth} "
            f"to {other} what {'they cost' if n > 1 else 'it costs'} {party})"
        )
    for c in outside:
        cheaper = [x for x in ranked[: ranked.index(c)] if x not in stated]
        pieces.append(
            f"{c} ranks {_ordinal(ranked.index(c) + 1)} of its {len(ranked)} chips "
            f"({_rate(rates[c])}), behind {_and(cheaper)}"
        )
    for c in not_chips:
        pieces.append(f"{c} is no chip: {party} and {other} do not want opposite things on it")
    ok = not not_chips and all(rates[c] > CHIP_RATE for c in stated)
    text = "Of its stated chips, " + "; ".join(pieces) + "."
    if not ok:
        cheap = [c for c in stated if c in ranked and not rates[c] > CHIP_RATE]
        if cheap:
            text += (
                f" {_and(cheap)} cost{'s' if len(cheap) == 1 else ''} {party} at least as much "
                f"as {'it is' if len(cheap) == 1 else 'they are'} worth to {other}."
            )
    return ok, text


def _rate(x: float) -> str:
    if np.isinf(x):
        return "any amount (it costs nothing)"
    return f"{x:.1f} times"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def estimate(e: Estimate, digits: int = 3) -> str:
    """``0.512 [0.480, 0.544]``: a mean and its confidence interval (``–`` without a mean, the
    mean alone without an interval). The tournament report and ``zopa leaderboard`` both show
    estimates this way.

    >>> from zopa.negotiation.leaderboard import Estimate
    >>> estimate(Estimate(mean=0.5124, low=0.4801, high=0.5447, n=40))
    '0.512 [0.480, 0.545]'
    >>> estimate(Estimate(mean=None, low=None, high=None, n=0))
    '–'
    """
    if e.mean is None:
        return "–"
    if e.low is None or e.high is None:
        return f"{e.mean:.{digits}f}"
    return f"{e.mean:.{digits}f} [{e.low:.{digits}f}, {e.high:.{digits}f}]"


def estimate_rate(e: Estimate) -> str:
    """``83% [76%, 89%]``: a rate and its (Wilson) interval, in percent.

    >>> from zopa.negotiation.leaderboard import Estimate
    >>> estimate_rate(Estimate.of_rate(33, 40))
    '82% [68%, 91%]'
    """
    if e.mean is None:
        return "–"
    if e.low is None or e.high is None:
        return f"{e.mean:.0%}"
    return f"{e.mean:.0%} [{e.low:.0%}, {e.high:.0%}]"
