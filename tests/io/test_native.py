"""Native YAML/JSON scenarios: loading, located errors, writing, round trips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zopa.io import bundled_scenarios, load_scenario, save_scenario
from zopa.io.native import dump_native, parse_native, read_native
from zopa.model.errors import OutputError, ScenarioError

BASE = """\
    title: two issues
    issues:
      - name: trade
        options:
          - {name: scrapped, scale: 0}
          - {name: kept, scale: 50}
          - {name: better, scale: 100}
        disagreement: scrapped
      - name: tariff
        integer: {low: 0, high: 4}
        disagreement: 4
      - name: rate
        real: {low: 0, high: 1, steps: 5}
    parties:
      - name: A
        weights: {trade: 3, tariff: 1, rate: 1}
        values:
          trade: {scrapped: 0, kept: 0.5, better: 1}
          tariff: {function: decreasing}
          rate: {function: peak, at: 0.25, width: 0.5}
      - name: B
        weights: {trade: 1, tariff: 1, rate: 2}
        reservation: 0.3
        values:
          trade: {scrapped: 0.2, kept: 1, better: 0}
          tariff: {0: 0, 1: 0.25, 2: 0.5, 3: 0.75, 4: 1}
          rate: {function: increasing}
    stakeholders:
      - name: lobby
        capability: 10
        positions: {trade: better, tariff: 1}
        salience: {trade: 0.9, tariff: 0.2}
    observed:
      outcome: {trade: kept, tariff: 0}
      source: hand-made
    """


def parse(text: str) -> object:
    return parse_native(text, source="s.yaml")


def error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse_native(text, source="s.yaml")
    return info.value


def test_loads_and_evaluates_by_hand() -> None:
    s = parse_native(BASE, source="s.yaml", name="two")
    assert s.sizes == (3, 5, 5)
    assert s.n_outcomes == 75
    # weights normalised: A = (0.6, 0.2, 0.2); B = (0.25, 0.25, 0.5)
    u = s.utilities(s.outcome({"trade": "kept", "tariff": "1", "rate": "0.25"}))
    assert u[0] == pytest.approx(0.6 * 0.5 + 0.2 * 0.75 + 0.2 * 1.0)
    assert u[1] == pytest.approx(0.25 * 1 + 0.25 * 0.25 + 0.5 * 0.25)
    # A's reservation: utility of (scrapped, 4) and no disagreement on rate -> 0 (not stated)
    assert s.reservation_values().tolist() == [0.0, 0.3]
    assert s.stakeholders[0].positions == (100.0, 1.0, None)
    assert s.observed is not None and s.observed.outcome == (1, 0, None)


def test_reservation_defaults_to_disagreement_utility() -> None:
    text = BASE.replace(
        "      - name: rate\n        real: {low: 0, high: 1, steps: 5}\n",
        "      - name: rate\n        real: {low: 0, high: 1, steps: 5}\n"
        "        disagreement: 0.5\n",
    )
    s = parse(text)
    d = s.disagreement_outcome
    assert d is not None
    assert s.reservation_values()[0] == pytest.approx(s.utilities(d)[0])


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip_gives_identical_utilities(fmt: str) -> None:
    s = parse_native(BASE, source="s.yaml")
    back = parse_native(dump_native(s, fmt=fmt), source=f"t.{fmt}")  # type: ignore[arg-type]
    outcomes = s.enumerate()
    np.testing.assert_array_equal(s.utilities(outcomes), back.utilities(outcomes))
    np.testing.assert_array_equal(s.reservation_values(), back.reservation_values())
    assert back.stakeholders == s.stakeholders
    assert back.observed == s.observed


def test_unnormalised_weights_survive_round_trip() -> None:
    text = BASE.replace(
        "weights: {trade: 3, tariff: 1, rate: 1}",
        "normalize: false\n        weights: {trade: 0.5, tariff: 0.3, rate: 0.3}",
    )
    s = parse(text)
    assert sum(s.parties[0].utility.weights) == pytest.approx(1.1)  # type: ignore[union-attr]
    back = parse_native(dump_native(s), source="t.yaml")
    np.testing.assert_array_equal(s.utilities(s.enumerate()), back.utilities(s.enumerate()))


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            "weights: {trade: 1, tariff: 1, rate: 2}",
            "weights: {trade: 1, tariff: high, rate: 2}",
            22,
            'parties[1].weights.tariff: expected a number >= 0, got "high"',
        ),
        (
            "weights: {trade: 1, tariff: 1, rate: 2}",
            "weights: {trade: 1, tariff: -1, rate: 2}",
            22,
            "parties[1].weights.tariff: expected a number >= 0, got -1",
        ),
        (
            "weights: {trade: 1, tariff: 1, rate: 2}",
            "weights: {trade: 1, tarif: 1, rate: 2}",
            22,
            'parties[1].weights.tarif: expected one of the issues trade, tariff, rate; got "tarif"',
        ),
        (
            "trade: {scrapped: 0.2, kept: 1, better: 0}",
            "trade: {scrapped: 0.2, kept: 1, best: 0}",
            25,
            'parties[1].values.trade.best: expected one of the options of issue "trade"',
        ),
        (
            "trade: {scrapped: 0.2, kept: 1, better: 0}",
            "trade: {scrapped: 0.2, kept: 1}",
            25,
            'parties[1].values.trade: expected a value for every option, missing "better"',
        ),
        (
            "reservation: 0.3",
            "reservation: 1.5",
            23,
            "parties[1].reservation: expected a number in [0, 1], got 1.5",
        ),
        (
            "    disagreement: scrapped",
            "    disagreement: abolished",
            8,
            'issues[0].disagreement: expected one of the options ("scrapped", "kept", "better"), '
            'got "abolished"',
        ),
        (
            "      - name: B\n",
            "      - name: A\n",
            21,
            'parties[1].name: duplicate party name "A" (also parties[0])',
        ),
        (
            "      - name: tariff\n",
            "      - name: trade\n",
            9,
            'issues[1].name: duplicate issue name "trade" (also issues[0])',
        ),
        (
            "          - {name: better, scale: 100}\n",
            "          - {name: kept, scale: 100}\n",
            7,
            'issues[0].options[2]: duplicate option name "kept"',
        ),
        ("    observed:\n", "    bogus: 1\n    observed:\n", 33, 'bogus: unknown field "bogus"'),
        (
            "        capability: 10",
            "        capability: lots",
            30,
            'stakeholders[0].capability: expected a number >= 0, got "lots"',
        ),
    ],
)
def test_errors_name_file_line_path_and_expectation(
    old: str, new: str, line: int, message: str
) -> None:
    assert old in BASE
    err = error(BASE.replace(old, new, 1))
    text = str(err)
    assert text.startswith(f"s.yaml:{line}: "), text
    assert message in text, text
    assert "\n" not in text


def test_empty_option_list() -> None:
    text = BASE.replace(
        "        options:\n          - {name: scrapped, scale: 0}\n          - {name: kept, scale: 50}\n"
        "          - {name: better, scale: 100}\n        disagreement: scrapped\n",
        "        options: []\n",
    )
    assert "issues[0].options: expected at least one option, got an empty list" in str(error(text))


def test_several_problems_are_reported_together() -> None:
    text = BASE.replace("tariff: 1, rate: 2}", "tariff: x, rate: y}")
    err = error(text)
    assert len(err.problems) == 2
    assert [p.path for p in err.problems] == [
        "parties[1].weights.tariff",
        "parties[1].weights.rate",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected a mapping with issues and parties, got an empty file"),
        ("- a\n- b\n", "expected a mapping with issues and parties, got a list"),
        ("issues: [\n", "expected valid YAML"),
        ("a: &x [1]\nb: *x\n", "YAML anchors and aliases are not allowed"),
        ("parties: []\n", 'missing required field "issues"'),
    ],
)
def test_malformed_documents(text: str, message: str) -> None:
    assert message in str(error(text))


def test_yaml_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 30)]
    assert "anchors and aliases" in str(error("\n".join(lines)))


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(BASE)
    monkeypatch.setenv("ZOPA_MAX_FILE_BYTES", "100")
    with pytest.raises(ScenarioError, match="more than the limit of 100"):
        read_native(path)


def test_json_native_and_errors(tmp_path: Path) -> None:
    s = parse(BASE)
    path = tmp_path / "s.json"
    save_scenario(s, path)  # type: ignore[arg-type]
    assert load_scenario(path).n_outcomes == 75
    bad = tmp_path / "bad.json"
    bad.write_text('{"issues": [\n  {"name": 1,}\n]}')
    with pytest.raises(ScenarioError, match=r"bad\.json:2: expected valid JSON"):
        load_scenario(bad)


def test_writing_is_atomic_and_does_not_clobber_on_error(tmp_path: Path) -> None:
    target = tmp_path / "missing-folder" / "out.yaml"
    with pytest.raises(OutputError, match=r"out\.yaml: cannot write file: No such file"):
        save_scenario(parse(BASE), target)  # type: ignore[arg-type]
    assert not target.parent.exists()


def test_bundled_flagship_loads() -> None:
    assert "mexico-us-2017" in bundled_scenarios()
    s = load_scenario("mexico-us-2017")
    assert s.n_parties == 2
    assert s.observed is not None
    assert all(issue.disagreement is not None for issue in s.issues)
    assert {sh.name for sh in s.stakeholders} >= {"Canada"}


def test_mixed_additive_and_hyperrectangle_parties_evaluate() -> None:
    text = (
        "issues:\n  - {name: a, integer: {low: 0, high: 3}}\n"
        "parties:\n"
        "  - name: lin\n    weights: {a: 1}\n    values: {a: {function: increasing}}\n"
        "  - name: box\n    utility:\n      type: hyperrectangles\n      max_utility: 10\n"
        "      rectangles:\n        - {utility: 5, include: {a: [1, 2]}}\n"
    )
    s = parse_native(text, source="m.yaml")
    u = s.utilities(s.enumerate())
    np.testing.assert_allclose(u[:, 0], [0, 1 / 3, 2 / 3, 1])
    np.testing.assert_allclose(u[:, 1], [0, 0.5, 0.5, 0])
    assert s.reservation_values().tolist() == [0.0, 0.0]


def test_iter_outcomes_matches_enumerate_in_order() -> None:
    s = parse(BASE)
    chunks = list(s.iter_outcomes(chunk=7))  # type: ignore[attr-defined]
    np.testing.assert_array_equal(np.concatenate(chunks), s.enumerate())  # type: ignore[attr-defined]


def test_utilities_sum_in_issue_order() -> None:
    s = parse_native(BASE, source="s.yaml")
    codes = s.enumerate()
    expected = np.zeros((codes.shape[0], s.n_parties))
    for k, table in enumerate(s.value_tables()):
        expected += table[:, codes[:, k]].T
    np.testing.assert_array_equal(s.utilities(codes), expected)
