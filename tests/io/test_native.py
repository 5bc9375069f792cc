"""Native YAML/JSON scenarios: loading, located errors, writing, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from zopa.io import bundled_scenarios, load_scenario, save_scenario
from zopa.io.native import dump_native, parse_native, read_native, scenario_to_dict
from zopa.model import Spread
from zopa.model.errors import OutputError, ScenarioError, UnsafeInputError

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


# ------------------------------------------------------------------ stakeholders, per issue
def stakeholder_with(capability: str, positions: str = "{trade: better, tariff: 1}") -> str:
    old = "        capability: 10\n        positions: {trade: better, tariff: 1}\n"
    assert old in BASE
    return BASE.replace(old, f"        capability: {capability}\n        positions: {positions}\n")


def test_one_number_capability_equals_the_per_issue_form() -> None:
    short = parse_native(BASE, source="s.yaml")
    full = parse_native(stakeholder_with("{trade: 10, tariff: 10, rate: 10}"), source="s.yaml")
    assert short.stakeholders == full.stakeholders
    assert short.stakeholders[0].capability == (10.0, 10.0, 10.0)
    np.testing.assert_array_equal(short.stakeholder_capability(), full.stakeholder_capability())


def test_capability_per_issue_and_the_arrays() -> None:
    s = parse_native(stakeholder_with("{trade: 3, tariff: 1.5}"), source="s.yaml")
    (lobby,) = s.stakeholders
    assert lobby.capability == (3.0, 1.5, 0.0)  # no position on rate: 0 unless given
    positions = s.stakeholder_positions()
    assert positions.shape == (1, 3)
    assert positions[0, :2].tolist() == [100.0, 1.0] and np.isnan(positions[0, 2])
    assert s.stakeholder_salience().tolist() == [[0.9, 0.2, 0.0]]
    assert s.stakeholder_capability().tolist() == [[3.0, 1.5, 0.0]]
    for array in (positions, s.stakeholder_salience(), s.stakeholder_capability()):
        assert not array.flags.writeable


@pytest.mark.parametrize(
    ("capability", "message"),
    [
        (
            "{trade: -1, tariff: 1}",
            "stakeholders[0].capability.trade: expected a number >= 0, got -1",
        ),
        (
            "{trade: 1, tariff: lots}",
            'stakeholders[0].capability.tariff: expected a number >= 0, got "lots"',
        ),
        (
            "{trad: 1, tariff: 1}",
            'stakeholders[0].capability.trad: expected one of the issues trade, tariff, rate; got "trad"',
        ),
        (
            "{trade: 2}",
            "stakeholders[0].capability: expected a capability on every issue the stakeholder takes "
            "a position on, missing tariff",
        ),
        ("[1, 2]", "stakeholders[0].capability: expected a number >= 0, got a list"),
    ],
)
def test_capability_errors_are_located(capability: str, message: str) -> None:
    text = str(error(stakeholder_with(capability)))
    assert text.startswith("s.yaml:30: "), text
    assert message in text, text
    assert "\n" not in text


# ------------------------------------------------------------------ observed outcome: options and points
def observed_with(outcome: str) -> str:
    old = "      outcome: {trade: kept, tariff: 0}\n"
    assert old in BASE
    return BASE.replace(old, f"      outcome: {outcome}\n")


@pytest.mark.parametrize(
    ("outcome", "codes", "points"),
    [
        # an option alone: its point is the option's scale number
        ("{trade: kept, tariff: 0}", (1, 0, None), (50.0, 0.0, None)),
        # a number on a numeric scale is a point, and the option that sits on it, if any
        ("{trade: 50, tariff: 3}", (1, 3, None), (50.0, 3.0, None)),
        ("{trade: 37.5, rate: 0.3}", (None, None, None), (37.5, None, 0.3)),
        # both, where the point is not the option's own
        ("{trade: {option: kept, point: 55}}", (1, None, None), (55.0, None, None)),
        ("{trade: {point: 100}, tariff: {option: '2'}}", (2, 2, None), (100.0, 2.0, None)),
    ],
)
def test_observed_outcome_options_and_points(
    outcome: str, codes: tuple[int | None, ...], points: tuple[float | None, ...]
) -> None:
    s = parse_native(observed_with(outcome), source="s.yaml")
    assert s.observed is not None
    assert s.observed.outcome == codes
    assert s.observed.points == points


@pytest.mark.parametrize(
    ("outcome", "message"),
    [
        (
            "{trade: 150}",
            "observed.outcome.trade: expected a point on the issue's scale [0, 100], got 150",
        ),
        (
            "{trade: {option: kept, point: -5}}",
            "observed.outcome.trade.point: expected a point on the issue's scale [0, 100], got -5",
        ),
        (
            "{trade: {option: kep}}",
            'observed.outcome.trade.option: expected one of the options of issue "trade"',
        ),
        ("{trade: {}}", "observed.outcome.trade: expected an option, a point or both, got neither"),
        ("{trade: {point: high}}", 'observed.outcome.trade.point: expected a number, got "high"'),
        ("{trade: {option: kept, at: 3}}", 'observed.outcome.trade.at: unknown field "at"'),
        (
            "{tarif: 3}",
            'observed.outcome.tarif: expected one of the issues trade, tariff, rate; got "tarif"',
        ),
    ],
)
def test_observed_errors_are_located(outcome: str, message: str) -> None:
    text = str(error(observed_with(outcome)))
    assert text.startswith("s.yaml:34: "), text
    assert message in text, text


def test_a_number_on_an_issue_without_a_scale_names_an_option() -> None:
    text = (
        "issues:\n  - {name: seats, options: [1, 2, 3]}\n  - {name: chair, options: [a, b]}\n"
        "observed:\n  outcome: {seats: 2}\n"
    )
    s = parse_native(text, source="o.yaml")
    assert s.observed is not None and s.observed.outcome == (1, None)
    assert s.observed.points == (1.0, None)  # the option's place on the 0, 1, 2 scale
    bad = text.replace("{seats: 2}", "{chair: 2}")
    with pytest.raises(ScenarioError) as info:
        parse_native(bad, source="o.yaml")
    assert str(info.value) == (
        'o.yaml:5: observed.outcome.chair: expected one of the options of issue "chair" '
        '("a", "b") (it has no numeric scale for a point), got 2'
    )


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip_keeps_capabilities_and_points(fmt: str) -> None:
    text = stakeholder_with("{trade: 3, tariff: 1.5, rate: 2}")
    text = text.replace(
        "      outcome: {trade: kept, tariff: 0}\n",
        "      outcome: {trade: {option: kept, point: 55}, tariff: 2, rate: 0.3}\n",
    )
    s = parse_native(text, source="s.yaml")
    back = parse_native(dump_native(s, fmt=fmt), source=f"t.{fmt}")  # type: ignore[arg-type]
    assert back.stakeholders == s.stakeholders
    assert back.observed == s.observed
    assert s.observed is not None and s.observed.points == (55.0, 2.0, 0.3)
    native = scenario_to_dict(s)
    assert native["stakeholders"][0]["capability"] == {"trade": 3.0, "tariff": 1.5, "rate": 2.0}
    assert native["observed"]["outcome"] == {
        "trade": {"option": "kept", "point": 55.0},
        "tariff": "2",
        "rate": 0.3,
    }
    # the shorthand is written back as one number
    assert scenario_to_dict(parse(BASE))["stakeholders"][0]["capability"] == 10.0  # type: ignore[arg-type]


def test_summary_dict_has_capabilities_and_points() -> None:
    s = parse_native(observed_with("{trade: 37.5, tariff: 2}"), source="s.yaml")
    summary = s.to_dict()
    assert summary["stakeholders"][0]["capability"] == {"trade": 10.0, "tariff": 10.0, "rate": 10.0}
    assert summary["observed"]["outcome"] == {"tariff": "2"}
    assert summary["observed"]["points"] == {"trade": 37.5, "tariff": 2.0}
    assert json.loads(json.dumps(summary)) == summary


# ------------------------------------------------------------------ robustness spread
@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{value_noise: 2}", "robustness.value_noise: expected a number in [0, 1], got 2.0"),
        ("{concentration: 0}", "robustness.concentration: expected a number > 0, got 0.0"),
        ("{concentration: many}", 'robustness.concentration: expected a number, got "many"'),
    ],
)
def test_spread_is_validated_by_spread_and_located(block: str, message: str) -> None:
    text = BASE.rstrip(" ") + f"    robustness: {block}\n"
    err = str(error(text))
    assert err.startswith("s.yaml:36: "), err
    assert message in err, err


def test_spread_defaults_come_from_spread() -> None:
    s = parse(BASE.rstrip(" ") + "    robustness: {value_noise: 0.1}\n")
    assert s.spread == Spread(value_noise=0.1)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ parsing once
def test_yaml_is_parsed_once_without_the_pure_python_passes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    import zopa.io.native as native

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a second YAML pass")

    for name in ("parse", "compose", "safe_load", "load", "scan"):
        monkeypatch.setattr(yaml, name, refuse)
    calls: list[str] = []
    original = native._load_yaml

    def counting(text: str, source: str) -> object:
        calls.append(source)
        return original(text, source)

    monkeypatch.setattr(native, "_load_yaml", counting)
    s = load_scenario("mexico-us-2017")
    assert s.n_outcomes == 972
    assert len(calls) == 1


def test_libyaml_parser_is_used_where_installed() -> None:
    import yaml

    import zopa.io.native as native

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml here")
    from yaml._yaml import CParser

    assert issubclass(native._Loader, CParser)


def test_anchor_is_refused_at_its_line() -> None:
    err = error("issues:\n  - name: a\n    options: &o [x, y]\n")
    assert isinstance(err, UnsafeInputError)
    assert str(err) == "s.yaml:3: YAML anchors and aliases are not allowed in scenario files"


def test_json_file_is_parsed_once_and_errors_are_located(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import zopa.io.jsonfile as jsonfile

    path = tmp_path / "s.json"
    path.write_text(dump_native(parse(BASE), fmt="json"))  # type: ignore[arg-type]
    calls: list[str] = []
    original = json.loads

    def counting(text: str, **kwargs: object) -> object:
        calls.append("parse")
        return original(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonfile.json, "loads", counting)
    assert load_scenario(path).n_outcomes == 75
    assert len(calls) == 1
    monkeypatch.undo()
    text = path.read_text()
    assert '"reservation": 0.3' in text
    path.write_text(text.replace('"reservation": 0.3', '"reservation": 3'))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    line = text[: text.index('"reservation": 0.3')].count("\n") + 1
    assert (
        str(info.value)
        == f"{path}:{line}: parties[1].reservation: expected a number in [0, 1], got 3"
    )
