"""The DEU III reader: the odd-proposals file read as decisions, a row checked by hand, bad rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from zopa.io.deu import read_deu
from zopa.model.errors import ScenarioError

DEU = DATA / "forecast" / "deu3" / "deu3-odd-proposals.csv"
ACTORS = [
    "com",
    "ep",
    "at",
    "be",
    "bu",
    "cr",
    "cy",
    "cz",
    "dk",
    "ee",
    "fi",
    "fr",
    "de",
    "el",
    "hu",
    "ie",
    "it",
    "lv",
    "lt",
    "lu",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "si",
    "sk",
    "es",
    "se",
    "uk",
]


def test_counts() -> None:
    d = read_deu(DEU)
    assert d.actors == tuple(ACTORS)
    assert len(d.decisions) == 71
    assert d.n_issues == 188
    assert d.positions.shape == d.salience.shape == (30, 188)
    assert int(np.isnan(d.outcome).sum()) == 8  # issues whose outcome is not coded
    assert int(d.scoreable.sum()) == 180
    assert [x.number for x in d.decisions][:4] == [1, 3, 5, 7]  # odd proposals only
    # proposal 71 lists 4 issues and has 2 rows: kept as read
    assert len(next(x for x in d.decisions if x.number == 71).issues) == 2
    # an actor takes part where both a position and a salience are given
    assert int((~np.isnan(d.positions)).sum()) == 3614  # 172 of them with salience 0 (weight 0)
    assert not np.any(np.isnan(d.salience))
    assert np.all(d.salience[np.isnan(d.positions)] == 0)


def test_capability_row_is_the_gdp_line() -> None:
    d = read_deu(DEU)
    assert d.has_capability_row
    cap = dict(zip(d.actors, d.capability.tolist(), strict=True))
    assert cap["com"] == cap["ep"] == cap["de"] == 4.1
    assert cap["uk"] == 2.64 and cap["mt"] == 0.02


def test_first_row_by_hand() -> None:
    # line 3: proposal 1 "d00032" (documents), issue d00032i1; rp 0, out 100
    x = read_deu(DEU).decisions[0]
    assert (x.number, x.code, x.name) == (1, "d00032", "documents")
    assert x.issues == ("d00032i1", "d00032i2", "d00032i3", "d00032i4")
    assert x.lines == (3, 4, 5, 6)
    at = {a: k for k, a in enumerate(ACTORS)}
    pos, sal = x.positions[:, 0], x.salience[:, 0]
    assert (pos[at["com"]], sal[at["com"]]) == (100.0, 0.5)
    assert (pos[at["de"]], sal[at["de"]]) == (0.0, 0.8)
    assert (pos[at["fr"]], sal[at["fr"]]) == (40.0, 0.2)
    assert np.isnan(pos[at["bu"]]) and sal[at["bu"]] == 0.0  # no position, salience 0 in the file
    assert np.isnan(pos[at["pl"]]) and sal[at["pl"]] == 0.0  # neither given
    assert int((~np.isnan(pos)).sum()) == 17  # com ep at be dk fi fr de el ie it lu nl pt es se uk
    assert x.outcome.tolist() == [100.0, 0.0, 100.0, 50.0]
    assert x.reference[0] == 0.0 and np.isnan(x.reference[1])


HEAD = "\t".join(["prnrnmc", "isnrnmc", "prnr", "prname", "isnr", "pa", "pb", "pc"])
HEAD += "\t" + "\t".join(["sa", "sb", "sc", "rp", "out"])


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(HEAD + "\n" + "".join(r.replace(",", "\t") + "\n" for r in rows))
    return path


def test_reads_a_small_table_with_a_capability_row(tmp_path: Path) -> None:
    d = read_deu(
        write(
            tmp_path,
            ",,,,,1,2,0.5,,,,,",
            "1,1,d1,x,d1i1,0,50,100,50,100,50,0,60",
            "1,2,d1,x,d1i2,10,,30,20,40,,,",
            "3,1,d3,y,d3i1,0,0,0,0,0,0,0,0",
        )
    )
    assert d.capability.tolist() == [1.0, 2.0, 0.5]
    assert [x.issues for x in d.decisions] == [("d1i1", "d1i2"), ("d3i1",)]
    second = d.decisions[0]
    assert second.positions[:, 1].tolist()[0] == 10.0
    assert np.isnan(second.positions[1:, 1]).all()  # b: salience without position; c: no salience
    assert second.salience[:, 1].tolist() == [0.2, 0.0, 0.0]
    assert d.scoreable.tolist() == [True, False, True]


def test_bad_rows_are_one_located_line_each(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "1,1,d1,x,d1i1,0,50,150,50,100,50,0,60",
        "1,2,d1,z,d1i2,0,50,10,50,x,50,0,60",
        "1,1,d1,x,d1i3,0,50,10,50,50,50,0,60",
        "2,1,d2,y,d2i1,0,50",
        "a,1,d3,y,d3i1,0,50,10,50,50,50,0,101",
    )
    with pytest.raises(ScenarioError) as info:
        read_deu(path)
    lines = [str(p) for p in info.value.problems]
    assert lines == [
        f"{path}:2: pc: expected a number in [0, 100], got 150",
        f'{path}:3: prname: expected "x" (as line 2, the same proposal 1), got "z"',
        f'{path}:3: sb: expected a number in [0, 100], got "x"',
        f"{path}:4: isnrnmc: duplicate issue 1 of proposal 1 (also line 2)",
        f"{path}:5: row: expected 13 fields (as the header), got 7",
        f'{path}:6: prnrnmc: expected a whole number >= 0, got "a"',
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "t.csv:1: expected a tab-separated header"),
        ("a,b,c\n", "t.csv:1: header: expected the columns prnrnmc"),
        (HEAD.replace("\t", ",") + "\n", "t.csv:1: header: expected the columns"),
        (HEAD + "\n", "t.csv: expected one row per issue after the header, got none"),
        (HEAD + "\n\t\t\t\t\t1\t-2\t1\t\t\t\t\t\n", "t.csv:2: pb: expected a number >= 0, got -2"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(text)
    with pytest.raises(ScenarioError, match="^" + str(tmp_path).replace("\\", "\\\\")) as info:
        read_deu(path)
    assert message in str(info.value)


def test_missing_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError):
        read_deu(tmp_path / "none.csv")
