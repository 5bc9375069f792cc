"""KTAB's CSV and XML scenario readers: the example files, and malformed ones refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app
from zopa.forecast.smp import run_smp
from zopa.io import load_scenario
from zopa.io.ktab import looks_like_ktab_csv, looks_like_ktab_xml, read_ktab_csv, read_ktab_xml
from zopa.model.errors import ConversionWarning, ScenarioError, UnsafeInputError

KTAB = DATA / "forecast" / "ktab"
CSV = KTAB / "dummyData_3Dim.csv"
XML = KTAB / "dummyData_3Dim.xml"
runner = CliRunner()


def test_csv_and_xml_of_dummy_data_are_one_scenario() -> None:
    a, b = load_scenario(CSV), load_scenario(XML)
    for s in (a, b):
        assert s.name == "DummyData_3Dim"
        assert s.description == "Dummy scenario to test reading format"
        assert [i.name for i in s.issues] == ["Pstn1", "Pstn2", "Pstn3"]
        assert [i.scale_range for i in s.issues] == [(0.0, 100.0)] * 3
        assert s.n_parties == 0 and len(s.stakeholders) == 7
        assert s.stakeholders[0].name == "SActor-00"
        assert s.stakeholders[0].description == "Random Spatial Actor"
    np.testing.assert_array_equal(a.stakeholder_positions(), b.stakeholder_positions())
    np.testing.assert_array_equal(a.stakeholder_salience(), b.stakeholder_salience())
    np.testing.assert_array_equal(a.stakeholder_capability(), b.stakeholder_capability())
    assert a.stakeholder_positions()[2].tolist() == [82.45, 90.89, 0.07]
    assert a.stakeholder_salience()[2].tolist() == (np.array([48.47, 13.55, 34.62]) / 100).tolist()
    assert a.stakeholder_capability()[2].tolist() == [129.643] * 3


@pytest.mark.parametrize(
    ("name", "actors", "dims"),
    [
        ("dummyData-a040.csv", 40, 1),
        ("dummyData-a080.csv", 80, 1),
        ("dummyData-a160.csv", 160, 1),
        ("dummyData_6Dim.csv", 27, 6),
        ("SOE-Policy.csv", 26, 1),
        ("SOE-Competitive.csv", 34, 1),
        ("SOE-Pol-Comp.csv", 13, 2),
    ],
)
def test_every_ktab_example_reads(name: str, actors: int, dims: int) -> None:
    s = read_ktab_csv(KTAB / name)
    assert len(s.stakeholders) == actors and s.n_issues == dims
    assert looks_like_ktab_csv((KTAB / name).read_text())


def test_the_scenario_runs_ktabs_reference() -> None:
    """Read from either file, the SMP reproduces KTAB's final positions (the log's history)."""
    for path in (CSV, XML):
        s = load_scenario(path)
        run = run_smp(
            s.stakeholder_positions(), s.stakeholder_salience(), s.stakeholder_capability()
        )
        assert run.turns == 10
        np.testing.assert_allclose(run.positions[-1, 0], [78.6, 31.8, 74.1], atol=0.05)


def test_sniffing() -> None:
    assert looks_like_ktab_xml(XML.read_bytes()[:4096])
    assert not looks_like_ktab_xml(b'<?xml version="1.0"?><utility_space/>')
    assert not looks_like_ktab_csv("Actor,Capability,Position,Salience\nA,1,2,0.5\n")


def _write(tmp_path: Path, text: str, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = (
    "S,demo,3,2,\n"
    "Actor,Description,Power,P1,S1,P2,S2,\n"
    "A,first,10,10,40,20,30,\n"
    "B,second,20,50,50,50,10,\n"
    "C,third,30,90,20,80,20,\n"
)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("", ":1: ", "got an empty file"),
        ("S,demo,3\n", ":1: header: ", "expected the row name,desc,#actors,#dims, got 3 cell(s)"),
        (
            GOOD.replace("S,demo,3,2", "S,demo,x,2"),
            ":1: #actors: ",
            'expected an integer >= 3, got "x"',
        ),
        (
            GOOD.replace("S,demo,3,2", "S,demo,2,2"),
            ":1: #actors: ",
            "expected an integer >= 3, got 2",
        ),
        (
            GOOD.replace("S,demo,3,2", "S,demo,3,0"),
            ":1: #dims: ",
            "expected an integer >= 1, got 0",
        ),
        (
            GOOD.replace("S,demo,3,2", "S,demo,3,2.5"),
            ":1: #dims: ",
            "expected an integer >= 1, got 2.5",
        ),
        ("S,demo,3,2\n", ":2: ", "expected the column names"),
        (GOOD.replace(",P2,S2,", ","), ":2: columns: ", "expected 7 column names"),
        (
            GOOD.replace("P2,S2", "P1,S2"),
            ":2: P1: ",
            'expected unique dimension names, got "P1" twice',
        ),
        (
            GOOD.replace("C,third,30,90,20,80,20,\n", ""),
            ":5: ",
            "expected 3 actor rows (#actors in the first row), got 2",
        ),
        (
            GOOD + "D,x,1,1,1,1,1\n",
            ":6: ",
            "expected 3 actor rows (#actors in the first row), got 4",
        ),
        (
            GOOD.replace("B,second,20,50,50,50,10", "B,second,20,50,50"),
            ":4: B: ",
            "expected 7 cells (as the column names), got 5",
        ),
        (
            GOOD.replace("B,second", "A,second"),
            ":4: Actor: ",
            'duplicate actor name "A" (also line 3)',
        ),
        (
            GOOD.replace("B,second,20", "B,second,-1"),
            ":4: Power: ",
            "expected a capability >= 0, got -1",
        ),
        (
            GOOD.replace("B,second,20", "B,second,lots"),
            ":4: Power: ",
            'expected a capability >= 0, got "lots"',
        ),
        (
            GOOD.replace("B,second,20,50", "B,second,20,150"),
            ":4: P1: ",
            "expected a position in [0, 100], got 150",
        ),
        (
            GOOD.replace("B,second,20,50", "B,second,20,nan"),
            ":4: P1: ",
            "expected a position in [0, 100], got nan",
        ),
        (
            GOOD.replace("20,50,50,50,10", "20,50,-5,50,10"),
            ":4: S1: ",
            "expected a salience in [0, 100], got -5",
        ),
        (
            GOOD.replace("20,50,50,50,10", "20,50,60,50,50"),
            ":4: B: ",
            "expected saliences totalling at most 100, got 110",
        ),
    ],
)
def test_malformed_csv_gives_one_located_line(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        read_ktab_csv(path)
    line = str(caught.value)
    assert "\n" not in line and len(caught.value.problems) == 1
    assert line == f"{path}{where}{message}" or (
        line.startswith(f"{path}{where}") and message in line
    )


def test_a_good_small_file_reads(tmp_path: Path) -> None:
    s = read_ktab_csv(_write(tmp_path, GOOD))
    assert (
        s.stakeholder_salience().tolist()
        == (np.array([[40, 30], [50, 10], [20, 20]]) / 100).tolist()
    )
    assert s.stakeholders[1].description == "second"


def _xml(actors: str, dims: str = "<dName>P1</dName><dName>P2</dName>", extra: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<Scenario>\n<name>S</name><desc>demo</desc>'
        f"{extra}<Dimensions>{dims}</Dimensions><Actors>{actors}</Actors></Scenario>\n"
    )


def _actor(name: str, cap: str = "1", pos: str = "10 20", sal: str = "30 40") -> str:
    coords = "".join(f"<dCoord>{v}</dCoord>" for v in pos.split())
    sals = "".join(f"<dSal>{v}</dSal>" for v in sal.split())
    return (
        f"<Actor><name>{name}</name><description>d</description><capability>{cap}</capability>"
        f"<Position>{coords}</Position><Salience>{sals}</Salience></Actor>"
    )


THREE = _actor("A") + _actor("B", pos="50 50") + _actor("C", pos="90 10")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (_xml(THREE, dims=""), "Dimensions: expected at least one <dName>, found none"),
        (
            _xml(THREE, dims="<dName>P1</dName><dName>P1</dName>"),
            'Dimensions/dName[2]: expected unique dimension names, got "P1" twice',
        ),
        (_xml(_actor("A") + _actor("B")), "Actors: expected at least 3 <Actor> elements, got 2"),
        (_xml(THREE + _actor("A")), 'Actors/Actor[4]/name: duplicate actor name "A"'),
        (
            _xml(THREE + _actor("D", cap="x")),
            'Actors/Actor[4]/capability: expected a capability >= 0, got "x"',
        ),
        (
            _xml(THREE + _actor("D", pos="10")),
            "Actors/Actor[4]/Position: expected 2 <dCoord> (one per dimension), got 1",
        ),
        (
            _xml(THREE + _actor("D", pos="10 101")),
            "Actors/Actor[4]/Position/dCoord[2]: expected a position in [0, 100], got 101",
        ),
        (
            _xml(THREE + _actor("D", sal="60 60")),
            "Actors/Actor[4]/Salience: expected saliences totalling at most 100, got 120",
        ),
        (
            _xml(THREE).replace("<name>A</name>", ""),
            "Actors/Actor[1]: expected a <name> element, found none",
        ),
        (_xml(THREE)[:-20], "expected well-formed XML"),
    ],
)
def test_malformed_xml_gives_one_located_line(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text, "bad.xml")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    line = str(caught.value)
    assert "\n" not in line and line.startswith(str(path)) and message in line, line


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    text = _xml(THREE).replace("<Scenario>", '<!DOCTYPE s [<!ENTITY x "y">]>\n<Scenario>', 1)
    with pytest.raises(UnsafeInputError):
        read_ktab_xml(_write(tmp_path, text, "bad.xml"))


def test_run_parameters_in_xml_are_not_kept_and_said_so(tmp_path: Path) -> None:
    extra = "<ModelParameters><VotingRule>Binary</VotingRule></ModelParameters>"
    path = _write(tmp_path, _xml(THREE, extra=extra), "s.xml")
    with pytest.warns(ConversionWarning, match="<ModelParameters> not kept"):
        s = read_ktab_xml(path)
    assert len(s.stakeholders) == 3


# ---------------------------------------------------------------------------- the CLI
@pytest.mark.parametrize("path", [CSV, XML])
def test_cli_forecasts_ktab_files_with_smp(path: Path) -> None:
    result = runner.invoke(app, ["forecast", str(path), "--model", "smp", "--draws", "0", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    smp = doc["models"]["smp"]
    assert smp["turns"] == 10
    assert [
        round(v, 1)
        for v in (smp["positions"]["SActor-03"][k][-1] for k in ("Pstn1", "Pstn2", "Pstn3"))
    ] == [67.1, 50.1, 63.7]
    assert set(smp["path"]["Pstn1"]) == {"expected"} and len(smp["path"]["Pstn1"]["expected"]) == 11
    table = runner.invoke(
        app, ["forecast", str(path), "--model", "smp", "--draws", "10", "--smp-draws", "5"]
    )
    assert table.exit_code == 0, table.output
    out = " ".join(table.stdout.split())
    assert "turn by turn" in out and "10 turns (KTAB's stop rule)" in out


def test_cli_refuses_a_malformed_ktab_file_in_one_line(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("B,second,20,50", "B,second,20,150"))
    result = runner.invoke(app, ["forecast", str(path), "--model", "smp"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {path}:4: P1: expected a position in [0, 100], got 150"
    ]
