"""The CLI as a user meets it: exit codes, one line per problem, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zopa.cli.app import app

runner = CliRunner()

GOOD = """\
issues:
  - name: price
    options: [low, mid, high]
    disagreement: mid
  - name: term
    integer: {low: 1, high: 3}
parties:
  - name: buyer
    weights: {price: 2, term: 1}
    values:
      price: {low: 1, mid: 0.5, high: 0}
      term: {function: increasing}
  - name: seller
    weights: {price: 1, term: 1}
    values:
      price: {low: 0, mid: 0.5, high: 1}
      term: {function: decreasing}
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_validate_ok(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(write(tmp_path, GOOD))])
    assert result.exit_code == 0, result.output
    assert "2 issues, 2 parties, 9 outcomes" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "price: 2, term: 1",
            "price: high, term: 1",
            's.yaml:9: parties[0].weights.price: expected a number >= 0, got "high"',
        ),
        (
            "price: 2, term: 1",
            "price: -2, term: 1",
            "s.yaml:9: parties[0].weights.price: expected a number >= 0, got -2",
        ),
        (
            "price: 2, term: 1",
            "price: 2, length: 1",
            's.yaml:9: parties[0].weights.length: expected one of the issues price, term; got "length"',
        ),
        (
            "price: {low: 1, mid: 0.5, high: 0}",
            "price: {low: 1, middle: 0.5, high: 0}",
            's.yaml:11: parties[0].values.price.middle: expected one of the options of issue "price"',
        ),
        (
            "  - name: seller",
            "  - name: buyer",
            's.yaml:13: parties[1].name: duplicate party name "buyer" (also parties[0])',
        ),
        (
            "options: [low, mid, high]",
            "options: []",
            "s.yaml:3: issues[0].options: expected at least one option, got an empty list",
        ),
        (
            "disagreement: mid",
            "disagreement: medium",
            's.yaml:4: issues[0].disagreement: expected one of the options ("low", "mid", "high"), '
            'got "medium"',
        ),
        (
            "  - name: seller\n",
            "  - name: seller\n    reservation: 2\n",
            "s.yaml:14: parties[1].reservation: expected a number in [0, 1], got 2",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, old: str, new: str, message: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0], lines[0]
    assert str(tmp_path) in lines[0]
    assert "Traceback" not in result.output


def test_validate_many_paths_reports_each(tmp_path: Path) -> None:
    good = write(tmp_path, GOOD, "good.yaml")
    bad = write(tmp_path, GOOD.replace("price: 2", "price: x"), "bad.yaml")
    result = runner.invoke(app, ["validate", str(good), str(bad), str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "ok: " in result.stdout
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "bad.yaml:9" in errors[0]
    assert "none.yaml: no such file or folder" in errors[1]


@pytest.mark.parametrize("command", ["show", "validate"])
def test_missing_file(command: str, tmp_path: Path) -> None:
    result = runner.invoke(app, [command, str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr


def test_wrong_format(tmp_path: Path) -> None:
    path = write(tmp_path, "just some text", "notes.txt")
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 2
    assert "expected a .yaml, .yml or .json scenario" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_json_is_stable(tmp_path: Path) -> None:
    result = runner.invoke(app, ["show", str(write(tmp_path, GOOD)), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == [
        "name",
        "title",
        "description",
        "date",
        "outcomes",
        "additive",
        "issues",
        "parties",
        "stakeholders",
        "observed",
        "sources",
    ]
    assert data["outcomes"] == 9
    assert data["issues"][0]["disagreement"] == "mid"
    assert data["parties"][0]["reservation_value"] == 0.0
    assert data["parties"][0]["weights"] == {"price": 2 / 3, "term": 1 / 3}


def test_show_flagship_by_name() -> None:
    result = runner.invoke(app, ["show", "mexico-us-2017", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["name"] == "mexico-us-2017"
    assert [p["name"] for p in data["parties"]] == ["United States", "Mexico"]
    assert isinstance(data["outcomes"], int)


def test_show_renders_tables() -> None:
    result = runner.invoke(app, ["show", "mexico-us-2017"])
    assert result.exit_code == 0
    assert "outcome space" in result.stdout
    assert "Stakeholders" in result.stdout


def test_scenarios_lists_flagship() -> None:
    result = runner.invoke(app, ["scenarios", "--json"])
    assert result.exit_code == 0
    assert "mexico-us-2017" in [row["name"] for row in json.loads(result.stdout)]


def test_convert_yaml_to_json_and_back(tmp_path: Path) -> None:
    src = write(tmp_path, GOOD)
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["convert", str(src), str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["show", str(out), "--json"])
    assert json.loads(again.stdout)["outcomes"] == 9


def test_convert_needs_two_arguments() -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017"])
    assert result.exit_code == 2
    assert "expected a scenario and an output path" in result.stderr


def test_console_script_runs_as_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "zopa.cli.app", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "validate" in proc.stdout


def test_unwritable_output_is_one_line_naming_the_path(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.yaml"
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(target)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {target}: cannot write file: No such file or directory"


def test_argument_errors_name_the_argument() -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017"])
    assert result.stderr.strip() == (
        "error: PATHS: expected a scenario and an output path (or -o OUT), got only one argument"
    )


def test_show_prints_per_issue_capability_and_observed_points(tmp_path: Path) -> None:
    text = GOOD + (
        "stakeholders:\n"
        "  - {name: bank, capability: {price: 3, term: 1}, positions: {price: 1, term: 2},"
        " salience: {price: 0.5}}\n"
        "observed:\n  outcome: {price: {option: mid, point: 1.5}, term: 2}\n"
    )
    result = runner.invoke(app, ["show", str(write(tmp_path, text))])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "per issue" in flat
    assert "price 1 (0.50, capability 3)" in flat
    assert "price=mid (at 1.5), term=2" in flat
    summary = json.loads(runner.invoke(app, ["show", str(write(tmp_path, text)), "--json"]).stdout)
    assert summary["stakeholders"][0]["capability"] == {"price": 3.0, "term": 1.0}
    assert summary["observed"]["points"] == {"price": 1.5, "term": 2.0}


def test_help_imports_no_heavy_dependency() -> None:
    # `zopa --help` stays fast by importing neither NumPy nor the readers (no wall-clock assertion)
    code = (
        "import sys, zopa.cli.app; "
        "print([m for m in ('numpy', 'pydantic', 'yaml', 'rich') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# ---------------------------------------------------------------------------- convert (issue 8.9)
PLAIN = """\
issues:
  - name: price
    options: [low, high]
  - name: term
    options: [short, long]
parties:
  - name: seller
    weights: {price: 0.5, term: 0.5}
    values:
      price: {low: 0, high: 1}
      term: {short: 1, long: 0}
  - name: buyer
    weights: {price: 0.5, term: 0.5}
    values:
      price: {low: 1, high: 0}
      term: {short: 0, long: 1}
"""


def warning_lines(result: object) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]  # type: ignore[attr-defined]


def test_convert_to_genius_warns_one_line_per_kind_of_loss(tmp_path: Path) -> None:
    out = tmp_path / "mex-genius"
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(out)])
    assert result.exit_code == 0, result.output
    lines = warning_lines(result)
    kinds = [line.split(";")[0].removeprefix("warning: GENIUS XML cannot hold ") for line in lines]
    assert len(kinds) == len(set(kinds)) == len(lines)
    for kind in ("the description", "the stakeholders", "the observed outcome", "the party order"):
        assert any(k.startswith(kind) for k in kinds), kinds
    assert any(k.startswith('the "if talks fail" options') for k in kinds), kinds
    assert "seat them as United States, Mexico" in lines[-1]


def test_convert_round_trip_through_geniusweb_keeps_the_party_order(tmp_path: Path) -> None:
    web = tmp_path / "web"
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(web), "--to", "geniusweb"])
    assert result.exit_code == 0, result.output
    assert not any("party order" in line for line in warning_lines(result))
    back = tmp_path / "back.yaml"
    assert runner.invoke(app, ["convert", str(web), str(back)]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["show", str(back), "--json"]).stdout)
    assert [p["name"] for p in shown["parties"]] == ["United States", "Mexico"]


def test_convert_to_genius_then_domain_and_profiles_keeps_the_party_order(tmp_path: Path) -> None:
    src = write(tmp_path, PLAIN)
    result = runner.invoke(app, ["convert", str(src), str(tmp_path / "g")])
    assert result.exit_code == 0, result.output
    assert warning_lines(result) == [
        "warning: GENIUS XML cannot hold the party order: read as a folder, the profiles are "
        "taken in file-name order (buyer, seller); give the domain file then the profiles to seat "
        "them as seller, buyer"
    ]
    g = tmp_path / "g"
    files = [str(g / "s_domain.xml"), str(g / "seller.xml"), str(g / "buyer.xml")]
    shown = json.loads(runner.invoke(app, ["show", *files, "--json"]).stdout)
    assert [p["name"] for p in shown["parties"]] == ["seller", "buyer"]


def test_convert_strict_refuses_a_lossy_conversion_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "g"
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(out), "--strict"])
    assert result.exit_code == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) > 3
    assert all(line.startswith(f"error: {out}: --strict") for line in errors), errors
    assert all(line.endswith("nothing was written") for line in errors)
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_convert_strict_allows_a_lossless_conversion(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(tmp_path / "m.json"), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["out.txt"], "--to (to= in Python): cannot tell the format of {dir}/out.txt"),
        (
            ["out.txt", "--to", "xml"],
            '--to (to= in Python): expected one of yaml, json, genius, geniusweb, got "xml"',
        ),
        (
            ["out.yaml", "--to", "json"],
            "--to (to= in Python): json was asked for, but {dir}/out.yaml names a .yaml file",
        ),
    ],
)
def test_convert_format_errors_name_the_flag_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path / args[0]), *args[1:]]
    result = runner.invoke(app, ["convert", "mexico-us-2017", *args])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: " + message.format(dir=tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_convert_with_an_explicit_to_writes_what_was_asked(tmp_path: Path) -> None:
    src = write(tmp_path, PLAIN)
    result = runner.invoke(app, ["convert", str(src), str(tmp_path / "out.txt"), "--to", "yaml"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(tmp_path / "out.txt"), "--help"]).exit_code == 0
    assert (tmp_path / "out.txt").read_text().startswith("name: s\n")


def test_convert_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    src = write(tmp_path, PLAIN)
    out = tmp_path / "out.json"
    out.write_text("precious")
    result = runner.invoke(app, ["convert", str(src), str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {out}: already exists; pass --force (overwrite=True) to replace it"
    )
    assert out.read_text() == "precious"
    result = runner.invoke(app, ["convert", str(src), str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["name"] == "s"


def test_convert_refuses_to_overwrite_genius_files_without_force(tmp_path: Path) -> None:
    src = write(tmp_path, GOOD)
    out = tmp_path / "g"
    assert runner.invoke(app, ["convert", str(src), str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(app, ["convert", str(src), str(out)])
    assert result.exit_code == 2
    assert "already exists (and 2 more of the files to write); pass --force" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert runner.invoke(app, ["convert", str(src), str(out), "--force"]).exit_code == 0


def test_convert_refuses_a_folder_holding_another_scenario(tmp_path: Path) -> None:
    src = write(tmp_path, GOOD)
    out = tmp_path / "g"
    out.mkdir()
    (out / "old-party.xml").write_text("<utility_space/>")
    result = runner.invoke(app, ["convert", str(src), str(out), "--force"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {out}: already holds other GENIUS XML files (old-party.xml), which reading the "
        "folder would take as part of this scenario; write to a new or empty folder"
    )
    assert [p.name for p in out.iterdir()] == ["old-party.xml"]


def test_convert_trailing_slash_is_a_folder(tmp_path: Path) -> None:
    src = write(tmp_path, PLAIN)
    result = runner.invoke(app, ["convert", str(src), "-o", f"{tmp_path / 'newdir'}/"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newdir").is_dir()
    assert sorted(p.name for p in (tmp_path / "newdir").iterdir()) == [
        "buyer.xml",
        "s_domain.xml",
        "seller.xml",
    ]
    result = runner.invoke(
        app, ["convert", str(src), "-o", f"{tmp_path / 'native'}/", "--to", "yaml"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "native").iterdir()] == ["s.yaml"]


def test_convert_to_a_named_xml_file_writes_the_domain_there(tmp_path: Path) -> None:
    src = write(tmp_path, PLAIN)
    target = tmp_path / "sub" / "x.xml"
    result = runner.invoke(app, ["convert", str(src), str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"wrote {target}"
    assert sorted(p.name for p in target.parent.iterdir()) == ["buyer.xml", "seller.xml", "x.xml"]
    again = runner.invoke(app, ["validate", str(target), str(target.parent / "seller.xml")])
    assert again.exit_code == 0, again.output


def test_convert_leaves_no_temporary_file(tmp_path: Path) -> None:
    result = runner.invoke(app, ["convert", "mexico-us-2017", str(tmp_path / "g")])
    assert result.exit_code == 0
    assert not [p for p in (tmp_path / "g").iterdir() if p.name.startswith(".")]


# ---------------------------------------------------------------------------- validate (issue 8.10)
GENIUS_DOMAIN = """\
<negotiation_template><utility_space number_of_issues="2">
  <objective index="0" name="lease" type="objective">
    <issue index="1" name="price" type="discrete"><item index="1" value="low"/><item index="2" value="high"/></issue>
    <issue index="2" name="term" type="discrete"><item index="1" value="short"/><item index="2" value="long"/></issue>
  </objective>
</utility_space></negotiation_template>
"""
GENIUS_PROFILE = """\
<utility_space>
  <objective index="0" name="lease" type="objective">
    <issue index="1" name="price" type="discrete"><item index="1" value="low" evaluation="1"/><item index="2" value="high" evaluation="0"/></issue>
    <issue index="2" name="term" type="discrete"><item index="1" value="short" evaluation="0"/><item index="2" value="long" evaluation="1"/></issue>
    <weight index="1" value="0.6"/>
    <weight index="2" value="0.4"/>
  </objective>
  <reservation value="0.3"/>
</utility_space>
"""


def genius_files(tmp_path: Path, profile: str = GENIUS_PROFILE) -> list[str]:
    domain = write(tmp_path, GENIUS_DOMAIN, "d.xml")
    a = write(tmp_path, GENIUS_PROFILE, "a.xml")
    b = write(tmp_path, profile, "b.xml")
    return [str(domain), str(a), str(b)]


def test_validate_reads_a_domain_and_its_profiles_as_one_scenario(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", *genius_files(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [
        f"ok: {tmp_path}/d.xml {tmp_path}/a.xml {tmp_path}/b.xml: 2 issues, 2 parties, 4 outcomes"
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '<weight index="1" value="0.6"/>',
            '<weight index="1" value="heavy"/>',
            'b.xml: weight[index=1].value: expected a finite number, got "heavy"',
        ),
        (
            '<weight index="1" value="0.6"/>',
            '<weight index="1" value="-0.6"/>',
            "b.xml: weight[index=1]: expected a weight >= 0, got -0.6",
        ),
        (
            'value="high" evaluation="0"',
            'value="huge" evaluation="0"',
            'b.xml: issue[index=1 "price"].item["huge"]: expected one of the values of the domain',
        ),
        (
            '<reservation value="0.3"/>',
            '<reservation value="7"/>',
            "b.xml: reservation: expected a reservation value in [0, 1], got 7.0",
        ),
    ],
)
def test_validate_rejects_a_bad_profile_as_show_does(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GENIUS_PROFILE
    files = genius_files(tmp_path, GENIUS_PROFILE.replace(old, new))
    shown = runner.invoke(app, ["show", *files])
    result = runner.invoke(app, ["validate", *files])
    assert shown.exit_code == result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == shown.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_validate_a_profile_alone_says_it_needs_its_domain(tmp_path: Path) -> None:
    _, a, _ = genius_files(tmp_path)
    result = runner.invoke(app, ["validate", a])
    assert result.exit_code == 2
    assert "ok" not in result.stdout
    assert result.stderr.strip() == (
        f"error: {a}: expected a GENIUS domain, got a profile (one party's preferences), which "
        "needs its domain: give the domain file first, then the profile files"
    )


def test_validate_a_domain_alone_says_it_has_no_parties(tmp_path: Path) -> None:
    domain, _, _ = genius_files(tmp_path)
    result = runner.invoke(app, ["validate", domain])
    assert result.exit_code == 0
    assert "a domain alone, 2 issues, 4 outcomes, no parties" in result.stdout


def test_validate_several_scenarios_of_several_formats(tmp_path: Path) -> None:
    files = genius_files(tmp_path)
    good = write(tmp_path, GOOD, "good.yaml")
    result = runner.invoke(app, ["validate", str(good), *files, "mexico-us-2017", str(good)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 4
    assert lines[1].startswith(f"ok: {files[0]} {files[1]} {files[2]}: 2 issues, 2 parties")


# ---------------------------------------------------------------------------- errors name their flag (issue 8.12)
RECTANGLES = """\
issues:
  - name: a
    integer: {low: 1, high: 5}
  - name: b
    integer: {low: 1, high: 5}
parties:
  - name: p
    utility:
      type: hyperrectangles
      max_utility: 1
      rectangles:
        - {utility: 1, include: {a: [1, 3]}}
  - name: q
    weights: {a: 1, b: 1}
    values: {a: {function: increasing}, b: {function: decreasing}}
"""


def test_analyze_accepts_every_concept_the_outputs_name() -> None:
    result = runner.invoke(
        app, ["analyze", "mexico-us-2017", "--concept", "genius_kalai", "--draws", "0", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert "GENIUS-style Kalai" in result.stdout
    bad = runner.invoke(app, ["analyze", "mexico-us-2017", "--concept", "kalai"])
    assert bad.exit_code == 2
    assert bad.stderr.strip() == (
        "error: --concept: expected one of nash, kalai_smorodinsky, egalitarian, utilitarian, "
        'genius_kalai, got "kalai"'
    )


@pytest.mark.parametrize("command", ["analyze", "report"])
def test_a_space_too_large_names_limit(command: str, tmp_path: Path) -> None:
    path = write(tmp_path, RECTANGLES)
    result = runner.invoke(app, [command, str(path), "--limit", "10", "-q"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {path}: the outcome space has 25 outcomes, more than the limit of 10; raise it "
        "with --limit (limit= in Python) to enumerate anyway (time grows with the number of "
        "outcomes)"
    )


def test_convert_errors_say_what_to_do_instead(tmp_path: Path) -> None:
    path = write(tmp_path, RECTANGLES)
    result = runner.invoke(app, ["convert", str(path), str(tmp_path / "w"), "--to", "geniusweb"])
    assert result.exit_code == 2
    assert "(write native YAML or GENIUS XML instead)" in result.stderr
    assert not (tmp_path / "w").exists()
