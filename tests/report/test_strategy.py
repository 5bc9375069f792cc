"""A scenario's stated strategy and the report's "What this means" paragraph (issue 8, item 4)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.analysis.run import Analysis, analyze
from zopa.cli.app import app
from zopa.io import load_scenario
from zopa.io.losses import conversion_losses
from zopa.io.native import dump_native, parse_native
from zopa.model import Strategy
from zopa.model.errors import ScenarioError
from zopa.report import build_report
from zopa.report.prose import (
    FAILS,
    HOLDS,
    HOLDS_SHARE,
    MAJORITY_SHARE,
    NEAR_BEST,
    WEAK,
    meaning,
    strategy_verdict,
)

runner = CliRunner()

#: Two parties who each care most about a different issue: linking helps both.
SMALL = """\
issues:
  - {name: a, options: [lo, mid, hi], disagreement: lo}
  - {name: b, options: [lo, mid, hi], disagreement: hi}
  - {name: c, options: [x, y], disagreement: x}
parties:
  - name: P
    weights: {a: 8, b: 2, c: 1}
    values: {a: {lo: 0, mid: 0.5, hi: 1}, b: {lo: 0, mid: 0.5, hi: 1}, c: {x: 0, y: 1}}
  - name: Q
    weights: {a: 2, b: 8, c: 1}
    values: {a: {lo: 1, mid: 0.5, hi: 0}, b: {lo: 1, mid: 0.5, hi: 0}, c: {x: 0, y: 1}}
"""


def small(strategy: str = "", **kw: str) -> Analysis:
    text = SMALL + strategy
    for old, new in kw.items():
        text = text.replace(old, new)
    return analyze(parse_native(text, source="s.yaml"), draws=100)


@pytest.fixture(scope="module")
def flagship() -> Analysis:
    return analyze(load_scenario("mexico-us-2017"), draws=100)


# ------------------------------------------------------------------------------- the model and file
def test_flagship_states_mexicos_strategy() -> None:
    s = load_scenario("mexico-us-2017")
    assert s.strategy is not None
    assert s.strategy.party == "Mexico" and s.strategy.agenda == "all"
    assert s.strategy.chips == ("northern-border", "southern-border", "heroin", "migrants")
    names = {i.name for i in s.issues}
    assert set(s.strategy.chips) <= names
    assert "as broad as possible" in s.description and "as broad as possible" in s.strategy.text


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(fmt: str) -> None:
    s = load_scenario("mexico-us-2017")
    back = parse_native(dump_native(s, fmt=fmt), source=f"t.{fmt}")  # type: ignore[arg-type]
    assert back.strategy == s.strategy
    listed = parse_native(
        SMALL + "strategy: {party: Q, agenda: [b, a], chips: [a]}\n", source="s.yaml"
    )
    again = parse_native(dump_native(listed, fmt=fmt), source=f"t.{fmt}")  # type: ignore[arg-type]
    assert again.strategy == listed.strategy == Strategy("Q", ("b", "a"), ("a",))


def test_other_formats_report_it_lost() -> None:
    s = load_scenario("mexico-us-2017")
    for fmt in ("genius", "geniusweb"):
        lines = [x for x in conversion_losses(s, fmt) if "strategy" in x]  # type: ignore[arg-type]
        assert len(lines) == 1 and "of Mexico" in lines[0]
    assert conversion_losses(s, "yaml") == ()


@pytest.mark.parametrize(
    ("block", "line", "message"),
    [
        (
            "strategy:\n  party: R\n",
            SMALL.count("\n") + 2,
            's.yaml:{line}: strategy.party: expected one of the parties ("P", "Q"), got "R"',
        ),
        (
            "strategy:\n  party: P\n  agenda: [a, nope]\n",
            SMALL.count("\n") + 3,
            's.yaml:{line}: strategy.agenda[1]: expected one of the issues ("a", "b", "c"), got '
            '"nope"',
        ),
        (
            "strategy:\n  party: P\n  chips: [zz]\n",
            SMALL.count("\n") + 3,
            's.yaml:{line}: strategy.chips[0]: expected one of the issues ("a", "b", "c"), got "zz"',
        ),
        (
            "strategy:\n  party: P\n  agenda: [a]\n  chips: [b]\n",
            SMALL.count("\n") + 4,
            's.yaml:{line}: strategy.chips[0]: a chip must be on the agenda; "b" is not',
        ),
        (
            "strategy:\n  party: P\n  agenda: some\n",
            SMALL.count("\n") + 3,
            's.yaml:{line}: strategy.agenda: expected "all" or a list of issue names, got "some"',
        ),
        (
            "strategy:\n  party: P\n  agenda: [a, a]\n",
            SMALL.count("\n") + 3,
            "s.yaml:{line}: strategy.agenda[1]: duplicate issue name",
        ),
        (
            "strategy:\n  party: P\n  wants: [a]\n",
            SMALL.count("\n") + 3,
            's.yaml:{line}: strategy.wants: unknown field "wants"',
        ),
    ],
)
def test_file_errors_are_located_one_liners(block: str, line: int, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_native(SMALL + block, source="s.yaml")
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(message.format(line=line)), text


def test_a_strategy_of_a_party_left_out_is_dropped() -> None:
    s = parse_native(SMALL + "strategy: {party: P}\n", source="s.yaml")
    assert s.with_parties(["Q", "P"]).strategy == s.strategy
    assert s.with_parties(["Q"]).strategy is None


# ------------------------------------------------------------------------------------ the verdict
@pytest.mark.parametrize(
    ("gain", "share", "shortfall", "chips_ok", "verdict"),
    [
        (0.1, 0.9, 0.0, True, HOLDS),
        (0.1, HOLDS_SHARE, NEAR_BEST, None, HOLDS),  # the thresholds themselves pass
        (0.1, HOLDS_SHARE - 0.01, 0.0, True, WEAK),
        (0.1, MAJORITY_SHARE, 0.0, True, WEAK),
        (0.1, MAJORITY_SHARE - 0.01, 0.0, True, FAILS),
        (0.1, 0.9, NEAR_BEST + 0.001, True, WEAK),
        (0.1, 0.9, 0.0, False, WEAK),
        (0.1, None, 0.0, True, WEAK),  # robustness not measured
        (0.1, 0.9, None, True, HOLDS),  # best agenda unknown: not held against it
        (0.0, 0.9, 0.0, True, FAILS),
        (-0.2, 1.0, 0.0, True, FAILS),
        (None, 0.9, 0.0, True, None),
    ],
)
def test_verdict_rule(
    gain: float | None,
    share: float | None,
    shortfall: float | None,
    chips_ok: bool | None,
    verdict: str | None,
) -> None:
    assert strategy_verdict(gain, share, shortfall, chips_ok)[0] == verdict


def test_a_strategy_that_holds() -> None:
    a = small("strategy: {party: P, agenda: all, chips: [b]}\n")
    text = meaning(a)
    assert text is not None and text.endswith(f"Verdict: {HOLDS}, " + text.split(HOLDS + ", ")[1])
    assert "It is P's best agenda." in text
    assert "b is its cheapest of 2 chips by exchange rate" in text


def test_a_narrow_agenda_holds_only_weakly() -> None:
    a = small("strategy: {party: P, agenda: [a, b]}\n")
    text = meaning(a)
    assert text is not None and f"Verdict: {WEAK}" in text
    assert "It is not P's best agenda: that one adds c" in text
    assert "the share of robustness draws in which it helps is undefined" in text


def test_a_chip_that_costs_more_than_it_is_worth() -> None:
    a = small("strategy: {party: P, chips: [a]}\n")
    text = meaning(a)
    assert text is not None and f"Verdict: {WEAK}" in text
    assert "a costs P at least as much as it is worth to Q" in text


def test_an_agenda_that_does_not_beat_issue_by_issue() -> None:
    # identical preferences: issue by issue already gives both their best outcome
    a = small(
        "strategy: {party: P}\n",
        **{
            "a: {lo: 1, mid: 0.5, hi: 0}, b: {lo: 1, mid: 0.5, hi: 0}": "a: {lo: 0, mid: 0.5, "
            "hi: 1}, b: {lo: 0, mid: 0.5, hi: 1}"
        },
    )
    text = meaning(a)
    assert text is not None and f"Verdict: {FAILS}, because its agenda does not beat" in text


# ------------------------------------------------------------------------------- the flagship
def test_flagship_paragraph_numbers_are_the_analysis(flagship: Analysis) -> None:
    a = flagship
    text = meaning(a)
    assert text is not None
    j = a.parties.index("Mexico")
    lk, rb, ag, ch = a.linkage, a.robustness, a.agendas, a.chips
    assert lk is not None and rb is not None and ag is not None and ch is not None
    gain = lk.gain[j]
    share = float(rb.share_helped()[j])
    assert (
        f"gives Mexico {lk.package.utilities[j]:.3f} against {lk.separate.utilities[j]:.3f} "
        f"issue by issue under the Nash solution ({gain:+.3f})" in text
    )
    assert f"helps Mexico in {share:.0%} of {rb.draws:,} robustness draws" in text
    best = ag.best[j]
    full = int(ag.members.all(axis=1).nonzero()[0][0])
    shortfall = float(ag.utilities[best, j] - ag.utilities[full, j])
    left_out = [x for x in ag.issues if x not in ag.agenda_names(best)]
    assert (
        f"It is not Mexico's best agenda: that one leaves out {' and '.join(left_out)}, and gives "
        f"Mexico {ag.utilities[best, j]:.3f} ({shortfall:.3f} more) and United States "
        f"{ag.utilities[best, 0]:.3f}." in text
    )
    ranked = [ch.issues[k].name for k in ch.chips_j]
    rates = {t.name: t.reverse_rate for t in ch.issues}
    for chip in ("heroin", "northern-border", "southern-border", "migrants"):
        assert f"{rates[chip]:.1f} times" in text
    assert f"migrants ranks {ranked.index('migrants') + 1}th of its {len(ranked)} chips" in text
    chips_ok = all(rates[c] > 1 for c in ("heroin", "northern-border", "southern-border"))
    verdict, reason = strategy_verdict(gain, share, shortfall, chips_ok and rates["migrants"] > 1)
    assert text.endswith(f"Verdict: {verdict}, because {reason.replace('the party', 'Mexico')}.")


def test_flagship_report_shows_it_under_the_headline(flagship: Analysis) -> None:
    s = flagship.scenario
    report = build_report(s, {"analysis": flagship})
    assert report.meaning == meaning(flagship)
    page = report.html.split('<script type="application/json"')[0]
    found = re.search(r'<div class="headline" id="headline">(.*?)<nav>', page, re.S)
    assert found and "<h3>What this means</h3>" in found.group(1)


def test_cli_prints_it_but_not_with_quiet() -> None:
    full = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "20"])
    assert full.exit_code == 0, full.output
    assert "What this means" in full.stdout and "Verdict:" in full.stdout
    quiet = runner.invoke(app, ["analyze", "mexico-us-2017", "--draws", "20", "--quiet"])
    assert "Verdict" not in quiet.stdout


# ------------------------------------------------------------------------ absence and undefined
def test_nothing_without_a_strategy(tmp_path: Path) -> None:
    a = small()
    assert a.scenario.strategy is None and meaning(a) is None
    report = build_report(a.scenario, {"analysis": a})
    assert report.meaning is None and "What this means" not in report.html
    path = tmp_path / "s.yaml"
    path.write_text(SMALL)
    out = runner.invoke(app, ["analyze", str(path), "--draws", "10"])
    assert out.exit_code == 0, out.output
    assert "What this means" not in out.stdout


def test_undefined_quantities_are_named() -> None:
    # no issue states what holds if talks fail: only the package is defined
    text = SMALL.replace(", disagreement: lo", "").replace(", disagreement: hi", "")
    text = text.replace(", disagreement: x", "") + "strategy: {party: P, chips: [b]}\n"
    s = parse_native(
        text.replace("  - name: Q\n", "  - name: Q\n    reservation: 0.1\n"), source="s.yaml"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        said = meaning(analyze(s, draws=50))
    assert said is not None
    assert "beats issue-by-issue talks is undefined: a, b and c state no option that holds" in said
    assert "best agenda is undefined: no issue can be left off the table" in said
    assert said.endswith("No verdict: the gain over issue-by-issue talks is undefined.")


def test_skipped_parts_are_named(flagship: Analysis) -> None:
    s = flagship.scenario
    a = analyze(s, robustness=False, agendas=False)
    text = meaning(a)
    assert text is not None
    assert "the share of robustness draws in which it helps was not measured" in text
    assert "Whether it is Mexico's best agenda is undefined: agendas were not compared" in text
    assert f"Verdict: {WEAK}" in text
