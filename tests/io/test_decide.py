"""decide-exchange-model's input format: the example files read, the malformed one is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import DATA
from zopa.cli.app import app
from zopa.io import load_scenario, save_scenario
from zopa.io.decide import looks_like_decide, read_decide
from zopa.model.errors import ScenarioError

DECIDE = DATA / "forecast" / "decide"
runner = CliRunner()


def test_copenhagen_reads_as_stakeholders() -> None:
    s = load_scenario(DECIDE / "copenhagen.csv")
    assert s.name == "copenhagen"
    assert s.parties == ()
    assert [i.name for i in s.issues][:2] == ["Newtreaty", "DevlopC2020"]
    assert all(i.scale_range == (0.0, 100.0) for i in s.issues)
    assert len(s.stakeholders) == 11
    x = s.stakeholder_positions()
    assert x.shape == (11, 7)
    russia = [sh.name for sh in s.stakeholders].index("Russia")
    commitments = [i.name for i in s.issues].index("Commitments")
    assert np.isnan(x[russia, commitments])  # no #D row
    assert s.stakeholder_salience()[russia, commitments] == 0
    assert s.stakeholder_capability()[0, 0] == pytest.approx(0.26)
    assert s.stakeholder_salience()[0, 0] == pytest.approx(0.9)


def test_sample_data_keeps_its_scale() -> None:
    s = read_decide(DECIDE / "sample_data.txt")
    assert s.issue("tol-hoogte").scale_range == (0.5, 7.0)
    assert s.issue("wanneer-tol").description == "Wat is dit voor onzin?"
    assert s.stakeholder_positions()[0, 1] == 3.0


def test_malformed_file_gets_one_located_line() -> None:
    path = DECIDE / "copenhagen_with_errors.csv"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    err = caught.value
    assert err.line == 86 and err.source == str(path) and err.more == ()
    assert str(err) == (
        f"{path}:86: row 86 (#D Russia, Control): position: expected a position on the issue's "
        "scale [0, 100], got 160"
    )


@pytest.mark.parametrize("command", ["validate", "show"])
def test_cli_exits_2_with_one_error_line(command: str) -> None:
    result = runner.invoke(app, [command, str(DECIDE / "copenhagen_with_errors.csv")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "row 86" in lines[0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("#D\tUSA\tNewtreaty\t10\t0.9\t-1", "power: expected a power >= 0, got -1"),
        ("#D\tUSA\tNewtreaty\t10\t1.5\t1", "salience: expected a salience in [0, 1], got 1.5"),
        ("#D\tUSA\tNewtreaty\tten\t0.5\t1", 'position: expected a number, got "ten"'),
        ("#D\tNobody\tNewtreaty\t10\t0.5\t1", "actor: expected an actor defined by an #A row"),
        ("#D\tUSA\tNothing\t10\t0.5\t1", "issue: expected an issue defined by a #P row"),
        ("#D\tUSA\tNewtreaty\t10\t0.5", "expected actor, issue, position, salience and power"),
        ("#X\tUSA", "tag: expected a row tag"),
    ],
)
def test_each_mistake_is_named(tmp_path: Path, row: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"#A\tUSA\tUSA\n#P\tNewtreaty\tNew treaty\n{row}\n")
    with pytest.raises(ScenarioError, match="row 3") as caught:
        read_decide(path)
    assert message in str(caught.value)
    assert caught.value.line == 3


def test_duplicate_row_names_the_first(tmp_path: Path) -> None:
    path = tmp_path / "dup.txt"
    path.write_text("#A;USA;USA\n#P;p;p\n#D;USA;p;10;0.5;1\n#D;USA;p;20;0.5;1\n")
    with pytest.raises(ScenarioError, match=r"row 4 .*duplicate row .*also row 3"):
        read_decide(path)


def test_other_text_is_not_taken_for_decide(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text("Actor,Capability,Position,Salience\nA,1,2,3\n")
    assert not looks_like_decide(path.read_text())
    with pytest.raises(ScenarioError, match=r"a decide \.csv/\.txt input file or a KTAB"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="expected decide's format"):
        read_decide(path)


def test_converts_to_a_native_scenario(tmp_path: Path) -> None:
    s = load_scenario(DECIDE / "sample_data.txt")
    [out] = save_scenario(s, tmp_path / "sample.yaml")
    back = load_scenario(out)
    np.testing.assert_array_equal(back.stakeholder_positions(), s.stakeholder_positions())
    np.testing.assert_array_equal(back.stakeholder_capability(), s.stakeholder_capability())
    assert [i.scale_range for i in back.issues] == [i.scale_range for i in s.issues]
