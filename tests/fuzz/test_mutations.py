"""A mutation fuzzer over real scenario files: every reader either loads a mutant or refuses it
with a :class:`~zopa.model.errors.ZopaError` whose every line names the file, never a raw
Python error, and never slowly.

Seeds are the bundled flagship (YAML, and the same scenario as native JSON), a GENIUS additive
scenario (ANAC 2012 FlightBooking), a GENIUS non-linear one (ANAC 2014 10issues), a GeniusWeb one
(the flight booking conversion), a small GeniusWeb scenario with a number range, and KTAB's
``dummyData_3Dim`` as CSV and as XML (also through ``zopa forecast --model smp``). Mutations flip,
insert and delete bytes, drop and repeat lines, and swap number or word tokens for values that
broke the readers before (integers of thousands of digits, 1e308, impossible dates, deep
nesting, ...): see ``tests/io/test_bad_inputs.py`` for those inputs one by one.

Bounded in time: a few hundred examples in all, a deadline per example, no stored database.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zopa.cli.app import app
from zopa.io import bundled_scenarios, load_scenario
from zopa.io.native import dump_native
from zopa.model.errors import ScenarioError, ZopaError

DOMAINS = Path(__file__).resolve().parents[1] / "data" / "domains"

#: Tokens that once escaped the readers as raw errors, hung them, or were silently accepted.
NASTY: tuple[bytes, ...] = (
    b"9" * 5000,
    b"9" * 400,
    b"-" + b"9" * 320,
    b"1e308",
    b"1.7e308",
    b"1e999",
    b"1E-999999999",
    b"1E+999999999",
    b"0.0000000000000000000000000000001",
    b"5e-1",
    b"-1",
    b"0",
    b"-0",
    b"NaN",
    b"Infinity",
    b".nan",
    b".inf",
    b"2024-02-30",
    b"2024-13-01",
    b"null",
    b"true",
    b"[]",
    b"{}",
    b"[" * 700,
    b"{" * 700,
    b'"',
    b"'",
    b"<",
    b">",
    b"&amp;",
    b"&#0;",
    b"\xff\xfe",
    b"\x00",
    b"",
    b"x" * 3000,
    b"0x" + b"f" * 300,
    b"2147483648",
    b"99999999999999999999",
    b"*a",
    b"&a",
    b"!!python/object:os.system",
    b"<<: {}",
    b"\n- ",
    b": ",
)

TOKEN = re.compile(rb"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z_]+")


@st.composite
def mutants(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with one to four mutations."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["token", "token", "flip", "insert", "delete", "line"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "token":
            tokens = list(TOKEN.finditer(bytes(data)))
            if tokens:
                hit = tokens[draw(st.integers(0, len(tokens) - 1))]
                data[hit.start() : hit.end()] = draw(st.sampled_from(NASTY))
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(NASTY) | st.binary(min_size=1, max_size=8))
        elif op == "delete":
            data[at : at + draw(st.integers(1, 64))] = b""
        else:
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                lines.insert(k, lines[k])  # a repeated line: often a duplicate key
            else:
                del lines[k]
            data = bytearray(b"\n".join(lines))
    return bytes(data)


def check(load: Callable[[], object], folder: Path) -> None:
    """Loading either works or raises a ZopaError, each line naming a file in ``folder``."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load()
    except ZopaError as exc:
        problems = exc.problems if isinstance(exc, ScenarioError) else (exc,)
        for problem in problems:
            line = str(problem)
            assert "\n" not in line, line
            assert str(folder) in line, f"the error names no file: {line}"


#: Examples per test; ``ZOPA_FUZZ_EXAMPLES=5000 ZOPA_FUZZ_RANDOM=1 pytest tests/fuzz`` runs a
#: longer, freshly random campaign (the suite's run is the same every time).
EXAMPLES = int(os.environ.get("ZOPA_FUZZ_EXAMPLES", "200"))

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=3),
    database=None,
    derandomize=not os.environ.get("ZOPA_FUZZ_RANDOM"),
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _fresh(tmp_path_factory: pytest.TempPathFactory, files: dict[str, bytes]) -> Path:
    folder = tmp_path_factory.mktemp("mutant")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


FLAGSHIP = bundled_scenarios()["mexico-us-2017"].read_bytes()


@FUZZ
@given(data=st.data())
def test_native_yaml_mutants(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    folder = _fresh(tmp_path_factory, {"mexico.yaml": data.draw(mutants(FLAGSHIP))})
    check(lambda: load_scenario(folder / "mexico.yaml"), folder)
    shutil.rmtree(folder)


def _flagship_json() -> bytes:
    return dump_native(load_scenario("mexico-us-2017"), fmt="json").encode()


@FUZZ
@given(data=st.data())
def test_native_json_mutants(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    folder = _fresh(tmp_path_factory, {"mexico.json": data.draw(mutants(FLAGSHIP_JSON))})
    check(lambda: load_scenario(folder / "mexico.json"), folder)
    shutil.rmtree(folder)


FLAGSHIP_JSON = _flagship_json()


def _folder_files(name: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((DOMAINS / name).iterdir())}


GENIUS = _folder_files("anac2012-FlightBookingA")
NONLINEAR = {k: v for k, v in _folder_files("anac2014-10issues").items() if k != "pareto.xml"}
GENIUSWEB = _folder_files("geniusweb-flightbooking")
_RANGE_DOMAIN = {
    "name": "lease",
    "issuesValues": {
        "rent": {"values": ["low", "mid", "high"]},
        "term": {"range": {"low": 1, "high": 5, "step": 0.5}},
    },
}


def _range_profile(k: int) -> bytes:
    space = {
        "name": f"p{k}",
        "domain": _RANGE_DOMAIN,
        "issueUtilities": {
            "rent": {
                "DiscreteValueSetUtilities": {"valueUtilities": {"low": 1, "mid": 0.5, "high": 0}}
            },
            "term": {
                "NumberValueSetUtilities": {
                    "lowValue": 1,
                    "lowUtility": 0.2,
                    "highValue": 5,
                    "highUtility": 1.0,
                }
            },
        },
        "issueWeights": {"rent": 0.6, "term": 0.4},
        "reservationBid": {"issuevalues": {"rent": "mid", "term": 3}},
    }
    return json.dumps({"LinearAdditiveUtilitySpace": space}, indent=1).encode()


GENIUSWEB_RANGE = {
    "lease.json": json.dumps(_RANGE_DOMAIN, indent=1).encode(),
    "party1.json": _range_profile(1),
    "party2.json": _range_profile(2),
}


SEED_FOLDERS = {
    "genius": (GENIUS, "FlightBooking-A-domain.xml"),
    "genius-nonlinear": (NONLINEAR, "10issues-domain.xml"),
    "geniusweb": (GENIUSWEB, "flightbooking.json"),
    "geniusweb-range": (GENIUSWEB_RANGE, "lease.json"),
}


@pytest.mark.parametrize("seed", sorted(SEED_FOLDERS))
@FUZZ
@given(data=st.data())
def test_folder_mutants(
    tmp_path_factory: pytest.TempPathFactory, seed: str, data: st.DataObject
) -> None:
    """One file of a real folder mutated; read as a folder, and as a domain file then profiles."""
    files, domain = SEED_FOLDERS[seed]
    victim = data.draw(st.sampled_from(sorted(files)))
    mutated = dict(files, **{victim: data.draw(mutants(files[victim]))})
    folder = _fresh(tmp_path_factory, mutated)
    check(lambda: load_scenario(folder), folder)
    ordered = [folder / domain] + [folder / n for n in sorted(files) if n != domain]
    check(lambda: load_scenario(*ordered), folder)
    shutil.rmtree(folder)


@pytest.mark.parametrize("seed", sorted(SEED_FOLDERS))
def test_seed_folders_load(tmp_path: Path, seed: str) -> None:
    """The unmutated seeds are valid, so the mutants test the readers, not broken seeds."""
    files, domain = SEED_FOLDERS[seed]
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ordered = [tmp_path / domain] + [tmp_path / n for n in sorted(files) if n != domain]
        assert load_scenario(*ordered).n_parties == 2
        assert load_scenario(tmp_path).n_parties == 2


# ---------------------------------------------------------------------------- the CLI
runner = CliRunner()


@pytest.mark.parametrize("seed", ["yaml", "genius", "geniusweb"])
@settings(FUZZ, max_examples=max(EXAMPLES // 8, 10))
@given(data=st.data())
def test_cli_on_mutants(
    tmp_path_factory: pytest.TempPathFactory, seed: str, data: st.DataObject
) -> None:
    """validate, show and analyze on a mutant: exit 0 or 2, never a traceback; on exit 2 every
    stderr line is an ``error:`` or ``warning:`` line and the first error names the file."""
    files, _ = ({"m.yaml": FLAGSHIP}, "") if seed == "yaml" else SEED_FOLDERS[seed]
    victim = data.draw(st.sampled_from(sorted(files)))
    folder = _fresh(tmp_path_factory, dict(files, **{victim: data.draw(mutants(files[victim]))}))
    target = str(folder / "m.yaml") if seed == "yaml" else str(folder)
    for command in (["validate"], ["show"], ["analyze", "--draws", "20", "-q"]):
        result = runner.invoke(app, [*command, target])
        assert result.exit_code in (0, 2), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if result.exit_code == 2:
            lines = result.stderr.splitlines()
            assert all(line.startswith(("error: ", "warning: ")) for line in lines), lines
            errors = [line for line in lines if line.startswith("error: ")]
            assert errors, lines
            assert str(folder) in errors[0], errors[0]
            break
    shutil.rmtree(folder)


# ---------------------------------------------------------------------------- KTAB
KTAB = Path(__file__).resolve().parents[1] / "data" / "forecast" / "ktab"
KTAB_SEEDS = {"csv": KTAB / "dummyData_3Dim.csv", "xml": KTAB / "dummyData_3Dim.xml"}


@pytest.mark.parametrize("kind", sorted(KTAB_SEEDS))
@FUZZ
@given(data=st.data())
def test_ktab_mutants(
    tmp_path_factory: pytest.TempPathFactory, kind: str, data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("ktab")
    path = folder / f"k.{kind}"
    path.write_bytes(data.draw(mutants(KTAB_SEEDS[kind].read_bytes())))
    check(lambda: load_scenario(path), folder)
    shutil.rmtree(folder)


@pytest.mark.parametrize("kind", sorted(KTAB_SEEDS))
@settings(FUZZ, max_examples=max(EXAMPLES // 8, 10))
@given(data=st.data())
def test_cli_forecast_on_ktab_mutants(
    tmp_path_factory: pytest.TempPathFactory, kind: str, data: st.DataObject
) -> None:
    """``zopa forecast --model smp`` on a mutant: exit 0 or 2, never a traceback; on exit 2 one
    ``error:`` line naming the file."""
    folder = tmp_path_factory.mktemp("ktab")
    seed = KTAB_SEEDS[kind]
    path = folder / seed.name
    path.write_bytes(data.draw(mutants(seed.read_bytes())))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = runner.invoke(app, ["forecast", str(path), "--model", "smp", "--draws", "0"])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 2:
        errors = [s for s in result.stderr.splitlines() if s.startswith("error: ")]
        assert len(errors) == 1 and str(folder) in errors[0], result.stderr
    shutil.rmtree(folder)
