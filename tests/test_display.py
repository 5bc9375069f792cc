"""Notebook displays (:func:`zopa.report.display.html`, registered with IPython by ``import zopa``)
and pandas exports (``to_frame``) of scenarios and results."""

from __future__ import annotations

import html
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

import zopa
from zopa.analysis import (
    Agendas,
    Analysis,
    Chips,
    Frontier,
    Leverage,
    Linkage,
    Robustness,
    bargaining_chips,
    check_robustness,
    compare_agendas,
    compare_linkage,
    frontier_of,
    measure_leverage,
    solve,
    zone_of_agreement,
)
from zopa.analysis.solutions import NoAgreementWarning
from zopa.report import display
from zopa.report import markup as pieces
from zopa.report.display import html as display_html
from zopa.report.prose import headline

NASTY = "<b>&"
NASTY_ESCAPED = "&lt;b&gt;&amp;"


def logroll(a_name: str = "A", issue_name: str = "X") -> zopa.Scenario:
    """Two opposed issues; A cares 3:1 about the first, B 1:3; 'none' is the disagreement option.

    Settled alone each issue splits, giving (0.5, 0.5); as a package A wins the first issue and B
    the second, giving (0.75, 0.75).
    """
    opts = ["a-wins", "split", "b-wins", "none"]
    a_vals = (1.0, 0.5, 0.0, 0.0)
    b_vals = (0.0, 0.5, 1.0, 0.0)
    issues = (
        zopa.Issue.discrete(issue_name, opts, disagreement="none"),
        zopa.Issue.discrete("Y", opts, disagreement="none"),
    )
    a = zopa.Party(a_name, zopa.AdditiveUtility((0.75, 0.25), (a_vals, a_vals)))
    b = zopa.Party("B", zopa.AdditiveUtility((0.25, 0.75), (b_vals, b_vals)))
    return zopa.Scenario("logroll", issues, (a, b))


@pytest.fixture(scope="module")
def mexico() -> zopa.Scenario:
    return zopa.load_scenario("mexico-us-2017")


@pytest.fixture(scope="module")
def mexico_analysis(mexico: zopa.Scenario) -> Analysis:
    return zopa.analyze(mexico, draws=50)


def text_of(markup: str) -> str:
    """The markup with its style sheet removed, so that assertions look at content only."""
    start, end = markup.index("<style>"), markup.index("</style>") + len("</style>")
    return markup[:start] + markup[end:]


# ---------------------------------------------------------------------------------- builder
def test_number_formatting() -> None:
    assert pieces.number(0.123456) == "0.1235"
    assert pieces.number(0.75) == "0.75"
    assert pieces.number(12345) == "12,345"
    assert pieces.number(np.int64(972)) == "972"
    assert pieces.number(0.006, signed=True) == "+0.006"
    assert pieces.number(-0.25, signed=True) == "-0.25"
    assert pieces.number(1e-17) == "0"
    assert pieces.number(3.2e-8) == "3.2e-08"
    assert pieces.number(float("nan")) == "—"


def test_table_escapes_and_formats_cells() -> None:
    markup = pieces.table(
        [NASTY, "n"],
        [
            [NASTY, 0.5],
            [None, np.float64(2 / 3)],
            [True, pieces.Signed(0.25)],
            [np.bool_(False), 3],
        ],
        caption="<i>",
    )
    assert "<b>" not in markup and "<i>" not in markup
    assert markup.count(NASTY_ESCAPED) == 2
    assert "<caption>&lt;i&gt;</caption>" in markup
    assert '<td class="num">0.6667</td>' in markup
    assert '<td class="num">+0.25</td>' in markup
    assert "<td>yes</td>" in markup and "<td>no</td>" in markup and "<td>—</td>" in markup
    assert markup.count("<tr>") == 5


def test_block_scopes_its_style() -> None:
    markup = pieces.block(pieces.heading("h"), pieces.paragraph("a < b"))
    assert markup.startswith('<div class="zopa"><style>') and markup.endswith("</div>")
    assert "<p>a &lt; b</p>" in markup
    rules = text_of(markup)
    assert "zopa-table" not in rules  # the rules live only in the style sheet
    style = markup[markup.index("<style>") : markup.index("</style>")]
    assert all(rule.startswith(".zopa ") for rule in style[7:].split("}") if rule)


# ---------------------------------------------------------------------------------- scenario
def test_scenario_html_shows_issues_weights_parties_and_stakeholders(
    mexico: zopa.Scenario,
) -> None:
    markup = text_of(display_html(mexico))
    assert html.escape(mexico.title) in markup
    assert f"{mexico.n_outcomes:,} outcomes" in markup
    for issue in mexico.issues:
        assert f"<td>{html.escape(issue.name)}</td>" in markup
        assert html.escape(issue.options[0]) in markup
    for party, rv in zip(mexico.parties, mexico.reservation_values(), strict=True):
        assert f"<th>weight: {party.name}</th>" in markup
        assert f"<td>{party.name}</td>" in markup
        assert f'<td class="num">{pieces.number(rv)}</td>' in markup
    weights = mexico.weights()
    assert f'<td class="num">{pieces.number(weights[1, 0])}</td>' in markup
    assert mexico.stakeholders
    for stakeholder in mexico.stakeholders:
        assert html.escape(stakeholder.name) in markup


def test_scenario_html_escapes_names() -> None:
    markup = display_html(logroll(a_name=NASTY, issue_name="x<y"))
    assert NASTY_ESCAPED in markup and "x&lt;y" in markup
    assert NASTY not in markup and "x<y" not in markup
    assert "Stakeholders" not in markup


def test_scenario_html_lists_long_option_lists_in_part() -> None:
    issue = zopa.Issue.integer("n", 0, 99)
    party = zopa.Party("p", zopa.AdditiveUtility((1.0,), (tuple(i / 99 for i in range(100)),)))
    markup = display_html(zopa.Scenario("long", (issue,), (party,)))
    assert "0, 1, 2, 3, 4, 5, 6, 7, … (100 in all)" in markup
    assert ", 99" not in markup


# ---------------------------------------------------------------------------------- results
def test_solution_html() -> None:
    deal = solve(logroll())
    markup = text_of(display_html(deal))
    assert "<h3>Nash solution</h3>" in markup
    assert "0, 2" in markup
    assert markup.count('<td class="num">0.75</td>') == 2


def test_solution_html_without_agreement() -> None:
    with pytest.warns(NoAgreementWarning):
        deal = solve(logroll(), "egalitarian", reservation=[0.9, 0.9])
    markup = text_of(display_html(deal))
    assert "<h3>Egalitarian solution</h3>" in markup
    assert "No agreement" in markup
    assert markup.count('<td class="num">0.9</td>') == 2


def test_frontier_html_shows_size_and_first_points(mexico: zopa.Scenario) -> None:
    front = frontier_of(mexico)
    assert len(front) > 20
    markup = text_of(display_html(front))
    assert f"{len(front):,} points, 2 parties; the first 20 shown." in markup
    assert markup.count("<tr>") == 21  # header and 20 points
    assert f'<td class="num">{pieces.number(front.utilities[0, 1])}</td>' in markup
    assert ", ".join(map(str, front.outcomes[19])) in markup
    small = frontier_of(logroll())
    assert "shown" not in display_html(small)


def test_frontier_to_frame_with_scenario(mexico: zopa.Scenario) -> None:
    front = frontier_of(mexico)
    frame = front.to_frame(mexico)
    assert frame.shape == (len(front), mexico.n_parties + mexico.n_issues)
    assert frame.index.name == "point"
    assert list(frame["utility"].columns) == [p.name for p in mexico.parties]
    assert list(frame["outcome"].columns) == [i.name for i in mexico.issues]
    assert np.array_equal(frame["utility"].to_numpy(), front.utilities)
    for i in (0, len(front) - 1):
        assert frame["outcome"].iloc[i].to_dict() == mexico.describe(front.outcomes[i])


def test_frontier_to_frame_without_scenario(mexico: zopa.Scenario) -> None:
    front = frontier_of(mexico)
    frame = front.to_frame()
    assert list(frame["utility"].columns) == [0, 1]
    assert np.array_equal(frame["utility"].to_numpy(), front.utilities)
    assert np.array_equal(frame["outcome"].to_numpy(), front.outcomes)
    with pytest.raises(ValueError, match="expected a scenario with 2 parties and 7 issues"):
        front.to_frame(logroll())


def test_empty_frontier_to_frame() -> None:
    empty = Frontier(np.zeros((0, 2)), np.zeros((0, 3), dtype=np.int64))
    assert empty.to_frame().shape == (0, 5)
    assert "0 points" in display_html(empty)


def test_zone_html(mexico: zopa.Scenario) -> None:
    zone = zone_of_agreement(mexico)
    markup = text_of(display_html(zone))
    assert "<h3>Zone of possible agreement</h3>" in markup
    assert f"<td>{pieces.number(zone.count)}</td>" in markup
    assert f"<td>{pieces.number(zone.share)}</td>" in markup
    assert f"<td>{mexico.n_outcomes:,}</td>" in markup
    assert zone.frontier is not None
    assert f"<td>{len(zone.frontier)}</td>" in markup


def test_zone_html_without_zone() -> None:
    with pytest.warns(UserWarning, match="no zone"):
        zone = zone_of_agreement(logroll(), reservation=[0.9, 0.9])
    assert "there is no zone" in display_html(zone)


def test_linkage_html() -> None:
    result = compare_linkage(logroll())
    markup = text_of(display_html(result))
    assert "<td>A</td>" in markup and "<td>B</td>" in markup
    assert '<td class="num">+0.25</td>' in markup  # the gain from linkage
    # package: A wins X and B wins Y; issue by issue, both split
    assert "<tr><td>X</td><td>a-wins</td><td>split</td><td>yes</td></tr>" in markup
    assert "<tr><td>Y</td><td>b-wins</td><td>split</td><td>yes</td></tr>" in markup


def test_agendas_html(mexico: zopa.Scenario) -> None:
    result = compare_agendas(mexico)
    markup = text_of(display_html(result))
    assert f"{len(result):,} agendas evaluated under the Nash solution." in markup
    for j, b in enumerate(result.best):
        assert html.escape(", ".join(result.agenda_names(b))) in markup
        assert pieces.number(float(result.utilities[b, j])) in markup
    assert "Shapley value: Mexico" in markup
    assert "the best 16 of 128" in markup
    assert "Agendas by total utility" not in "".join(display.agenda_parts(result, brief=True))


def test_agendas_to_frame(mexico: zopa.Scenario) -> None:
    result = compare_agendas(mexico)
    frame = result.to_frame()
    m, p = mexico.n_issues, mexico.n_parties
    assert frame.shape == (2**m, m + p + 1)
    assert frame.index.name == "agenda"
    assert list(frame["on_agenda"].columns) == [i.name for i in mexico.issues]
    assert list(frame["utility"].columns) == [party.name for party in mexico.parties]
    assert frame["on_agenda"].dtypes.eq(bool).all()
    assert np.array_equal(frame["on_agenda"].to_numpy(), result.members)
    assert np.array_equal(frame["utility"].to_numpy(), result.utilities)
    assert frame["agreement"].tolist() == (result.outcomes[:, 0] >= 0).tolist()


def test_agendas_from_a_list() -> None:
    result = compare_agendas(logroll(), only=[["X"], ["X", "Y"]])
    frame = result.to_frame()
    assert frame.shape == (2, 5)
    assert frame["on_agenda"].to_numpy().tolist() == [[True, False], [True, True]]
    assert frame["utility"].to_numpy()[1] == pytest.approx([0.75, 0.75])
    markup = display_html(result)
    assert "Shapley" not in markup and "added last: A" in markup


def test_chips_html_and_frame() -> None:
    chips = bargaining_chips(logroll())
    markup = text_of(display_html(chips))
    assert "<h3>Bargaining chips: A and B</h3>" in markup
    assert "A&#x27;s bargaining chips" in markup
    assert "<td>X</td><td>Y</td>" in markup  # the logroll: A wins X, B wins Y
    frame = chips.to_frame()
    assert frame.index.tolist() == ["X", "Y"]
    assert frame.index.name == "issue"
    assert frame["importance"].to_numpy().tolist() == [[0.75, 0.25], [0.25, 0.75]]
    assert list(frame["importance"].columns) == ["A", "B"]
    assert frame["relation"].tolist() == ["opposed", "opposed"]
    assert frame["rate"].tolist() == pytest.approx([1 / 3, 3.0])
    assert frame["correlation"].tolist() == [t.correlation for t in chips.issues]


def test_chips_frame_on_mexico(mexico: zopa.Scenario) -> None:
    chips = bargaining_chips(mexico)
    frame = chips.to_frame()
    assert frame.shape == (mexico.n_issues, 15)
    assert frame["share"].sum().to_numpy() == pytest.approx([1.0, 1.0])
    assert frame["settlement"].to_numpy().tolist() == [list(t.settlement) for t in chips.issues]


def test_leverage_html_and_frame(mexico: zopa.Scenario) -> None:
    result = measure_leverage(mexico)
    markup = text_of(display_html(result))
    for j, party in enumerate(result.parties):
        threat = result.best_threat(j)
        assert threat is not None
        assert html.escape(f"{threat.issue}: {threat.option}") in markup
        assert pieces.number(threat.change[j], signed=True) in markup
        assert f"<th>change: {party}</th>" in markup
    frame = result.to_frame()
    p, g = len(result.parties), len(result.grid)
    assert frame.shape == (p * g * p, 4)
    assert list(frame.columns) == ["moved", "reservation", "party", "utility"]
    row = frame[
        (frame["moved"] == "Mexico")
        & (frame["reservation"] == result.grid[7])
        & (frame["party"] == "United States")
    ]
    assert row["utility"].tolist() == [result.walkaway[1, 7, 0]]
    wide = frame.pivot_table(index="reservation", columns=["moved", "party"], values="utility")
    assert np.array_equal(wide[("Mexico", "Mexico")].to_numpy(), result.walkaway[1, :, 1])


def test_robustness_html_and_frame(mexico: zopa.Scenario) -> None:
    result = check_robustness(mexico, draws=50, seed=3)
    markup = text_of(display_html(result))
    assert "redone in 50 draws" in markup and "seed 3" in markup
    helped = result.share_helped()
    assert f"<td>United States</td><td>{helped[0]:.0%}</td>" in markup
    frame = result.to_frame()
    assert frame.shape == (50, 3 * 2 + 1)
    assert frame.index.name == "draw"
    assert np.array_equal(frame["package"].to_numpy(), result.package)
    assert np.array_equal(frame["separate"].to_numpy(), result.separate)
    assert np.array_equal(frame["gain"].to_numpy(), result.gain)
    assert list(frame["gain"].columns) == ["United States", "Mexico"]
    assert frame["agreement"].tolist() == result.agreement.tolist()


def test_analysis_html(mexico_analysis: Analysis) -> None:
    markup = text_of(display_html(mexico_analysis))
    for sentence in headline(mexico_analysis):
        assert html.escape(sentence) in markup
    for heading in (
        "Bargaining solutions",
        "Zone of possible agreement",
        "Package versus issue by issue",
        "Robustness",
        "Agendas",
        "Leverage",
    ):
        assert f"<h4>{heading}</h4>" in markup
    nash = mexico_analysis.solutions["nash"]
    assert nash.outcome is not None
    row = "".join(
        f"<td>{html.escape(o)}</td>"
        for o in mexico_analysis.scenario.describe(nash.outcome).values()
    )
    assert row in markup
    assert "Agendas by total utility" not in markup  # the brief form
    assert markup.count("<style>") == 0 and display_html(mexico_analysis).count("<style>") == 1


# ---------------------------------------------------------------------------------- escaping
@pytest.fixture(scope="module")
def nasty_results() -> dict[str, Any]:
    """Every result of a scenario whose party and issue names hold HTML."""
    s = logroll(a_name=NASTY, issue_name="x<y")
    return {
        "linkage": compare_linkage(s),
        "agendas": compare_agendas(s),
        "chips": bargaining_chips(s),
        "leverage": measure_leverage(s),
        "robustness": check_robustness(s, draws=50),
        "analysis": zopa.analyze(s, draws=50),
    }


@pytest.mark.parametrize(
    "name", ["linkage", "agendas", "chips", "leverage", "robustness", "analysis"]
)
def test_results_escape_names(name: str, nasty_results: dict[str, Any]) -> None:
    markup = display_html(nasty_results[name])
    assert NASTY_ESCAPED in markup
    assert NASTY not in markup and "x<y" not in markup


# ---------------------------------------------------------------------------------- pandas
FRAMES = [
    lambda: frontier_of(logroll()).to_frame(),
    lambda: compare_agendas(logroll()).to_frame(),
    lambda: check_robustness(logroll(), draws=5).to_frame(),
    lambda: bargaining_chips(logroll()).to_frame(),
    lambda: measure_leverage(logroll()).to_frame(),
]


@pytest.mark.parametrize(
    "make", FRAMES, ids=["frontier", "agendas", "robustness", "chips", "leverage"]
)
def test_to_frame_says_how_to_install_pandas(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes ``import pandas`` fail
    with pytest.raises(ImportError, match=r"to_frame needs pandas: pip install 'zopa\[pandas\]'"):
        make()


def test_frames_are_dataframes() -> None:
    for make in FRAMES:
        assert isinstance(make(), pd.DataFrame)


def test_import_does_not_load_pandas() -> None:
    code = "import sys, zopa.analysis; zopa.load_scenario; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]


def test_result_types_have_displays() -> None:
    for kind in (Agendas, Chips, Frontier, Leverage, Linkage, Robustness):
        assert kind in display_html.registry
        assert not hasattr(kind, "_repr_html_")  # engines carry no display code
    for kind in (Agendas, Chips, Frontier, Leverage, Robustness):
        assert callable(kind.to_frame)


def test_ipython_registry_follows_the_display() -> None:
    """Every type :func:`display.html` renders is registered with IPython under its current module
    and class name, and nothing else is (renaming or moving a result class must update both)."""
    rendered = {(k.__module__, k.__qualname__) for k in display_html.registry if k is not object}
    assert set(zopa._DISPLAYED_TYPES) == rendered
    assert len(zopa._DISPLAYED_TYPES) == len(rendered)


def test_html_refuses_other_objects() -> None:
    with pytest.raises(TypeError, match="no HTML display for int"):
        display_html(3)


# ---------------------------------------------------------------------------------- IPython
@pytest.fixture
def shell() -> Any:
    pytest.importorskip("IPython", reason="IPython is in the dev extra; the display needs it")
    from IPython.core.interactiveshell import InteractiveShell

    instance = InteractiveShell.instance()
    yield instance
    InteractiveShell.clear_instance()


def test_ipython_extension_shows_every_result_as_html(
    shell: Any, nasty_results: dict[str, Any], mexico: zopa.Scenario
) -> None:
    zopa.load_ipython_extension(shell)
    shown = [mexico, solve(logroll()), frontier_of(logroll())]
    shown += [zone_of_agreement(logroll()), *nasty_results.values()]
    for obj in shown:
        data, _ = shell.display_formatter.format(obj)
        assert data["text/html"] == display_html(obj), type(obj).__name__
        assert "text/plain" in data


def test_import_inside_ipython_registers_the_display() -> None:
    pytest.importorskip("IPython", reason="IPython is in the dev extra; the display needs it")
    code = (
        "import sys\n"
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import zopa\n"
        "print('numpy' in sys.modules, 'zopa.report.display' in sys.modules)\n"
        "data, _ = shell.display_formatter.format(zopa.load_scenario('mexico-us-2017'))\n"
        "print(data['text/html'].startswith('<div class=\"zopa\">'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True"]


def test_import_outside_ipython_does_not_load_it() -> None:
    code = "import sys, zopa; print('IPython' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False"]
