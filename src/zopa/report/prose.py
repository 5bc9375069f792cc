"""Words for results: the name of each solution concept, and the headline of an analysis.

:data:`CONCEPT_NAMES` is the one place a solution concept gets its human name — in the terminal
(``zopa analyze``), in the report and its figures, in notebooks and in the headline. The engines
know concepts only by key (:data:`zopa.analysis.CONCEPTS`).

:func:`headline` states in a few sentences what the numbers of an
:class:`~zopa.analysis.Analysis` say; it is generated from the results, never written by hand.
``zopa analyze --quiet`` prints it, ``zopa analyze --json`` gives it as ``"headline"``, and the
report opens with it.

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

__all__ = [
    "CONCEPT_NAMES",
    "MODEL_NAMES",
    "UTILITY_TEXT",
    "ConceptName",
    "concept_label",
    "concept_meaning",
    "concept_title",
    "headline",
    "model_label",
    "model_meaning",
    "model_short",
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
