"""Every domain in tests/data loads through the front door and survives the round trips."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import DOMAINS
from zopa.cli.app import app
from zopa.io import load_scenario, save_scenario
from zopa.io.native import dump_native, parse_native
from zopa.model import Scenario

FOLDERS = sorted(p.name for p in DOMAINS.iterdir() if p.is_dir())
ENUMERATE = 200_000


def load(folder: str) -> Scenario:
    with warnings.catch_warnings():
        # Some real files warrant warnings (a discretised real issue, a skipped profile, GENIUS's
        # cap at 1); the readers' own tests check them. Here only the loading matters.
        warnings.simplefilter("ignore")
        return load_scenario(DOMAINS / folder)


def outcomes(s: Scenario) -> np.ndarray:
    if s.n_outcomes <= ENUMERATE:
        return s.enumerate()
    rng = np.random.default_rng(0)
    return np.stack([rng.integers(0, n, size=5_000) for n in s.sizes], axis=1)


def test_every_folder_is_covered() -> None:
    assert len(FOLDERS) == 37


@pytest.mark.parametrize("folder", FOLDERS)
def test_loads_with_parties(folder: str) -> None:
    s = load(folder)
    assert s.n_issues >= 1
    assert s.n_parties >= 1
    assert s.n_outcomes == int(np.prod([i.size for i in s.issues], dtype=object))


@pytest.mark.parametrize("folder", FOLDERS)
def test_native_round_trip_gives_identical_utilities(folder: str) -> None:
    s = load(folder)
    back = parse_native(dump_native(s), source="back.yaml")
    codes = outcomes(s)
    np.testing.assert_array_equal(s.utilities(codes), back.utilities(codes))
    np.testing.assert_array_equal(s.reservation_values(), back.reservation_values())


@pytest.mark.parametrize("folder", FOLDERS)
def test_genius_round_trip_gives_identical_utilities(folder: str, tmp_path: Path) -> None:
    s = load(folder)
    save_scenario(s, tmp_path / "out")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        back = load_scenario(tmp_path / "out")
    codes = outcomes(s)
    np.testing.assert_allclose(s.utilities(codes), back.utilities(codes), rtol=0, atol=1e-12)


def test_show_domain_then_profiles_seats_parties_in_order() -> None:
    folder = DOMAINS / "anac2011-Laptop"
    result = CliRunner().invoke(
        app,
        ["show", "--json", str(folder / "laptop_domain.xml"),
         str(folder / "laptop_seller_utility.xml"), str(folder / "laptop_buyer_utility.xml")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"laptop_seller_utility"' in result.stdout.split('"laptop_buyer_utility"')[0]


def test_convert_genius_to_yaml_and_back_to_genius(tmp_path: Path) -> None:
    folder = DOMAINS / "anac2010-ItexvsCypress"
    runner = CliRunner()
    yaml_path = tmp_path / "itex.yaml"
    assert runner.invoke(app, ["convert", str(folder), str(yaml_path)]).exit_code == 0
    out = tmp_path / "genius"
    result = runner.invoke(app, ["convert", str(yaml_path), str(out)])
    assert result.exit_code == 0, result.output
    a, b = load_scenario(folder), load_scenario(out)
    np.testing.assert_allclose(
        a.utilities(a.enumerate()), b.utilities(a.enumerate()), rtol=0, atol=1e-12
    )
