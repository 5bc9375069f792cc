"""What every result promises: JSON-ready to_dict, read-only arrays, value equality, and a public
namespace where no function shadows its module."""

from __future__ import annotations

import importlib
import json
import pkgutil
import types

import numpy as np
import pytest

import zopa.analysis
from zopa.analysis import Analysis, analyze
from zopa.io import load_scenario


@pytest.fixture(scope="module")
def flagship() -> Analysis:
    return analyze(load_scenario("mexico-us-2017"), draws=200, seed=4)


def results(a: Analysis) -> dict[str, object]:
    return {
        "frontier": a.frontier,
        "zone": a.zone,
        "linkage": a.linkage,
        "agendas": a.agendas,
        "chips": a.chips,
        "leverage": a.leverage,
        "robustness": a.robustness,
        "solution": a.solutions["nash"],
        "analysis": a,
    }


def test_every_result_has_a_json_ready_to_dict(flagship: Analysis) -> None:
    for name, result in results(flagship).items():
        assert result is not None, name
        data = result.to_dict()  # type: ignore[attr-defined]
        json.dumps(data, allow_nan=False)


def test_arrays_in_results_are_read_only(flagship: Analysis) -> None:
    arrays = [
        flagship.frontier.utilities,
        flagship.frontier.outcomes,
        flagship.agendas.members,  # type: ignore[union-attr]
        flagship.agendas.utilities,  # type: ignore[union-attr]
        flagship.leverage.walkaway,  # type: ignore[union-attr]
        flagship.leverage.grid,  # type: ignore[union-attr]
        flagship.robustness.package,  # type: ignore[union-attr]
        flagship.robustness.separate,  # type: ignore[union-attr]
        flagship.scenario.problem().reservation,
        flagship.scenario.problem().tables[0],
    ]
    for arr in arrays:
        with pytest.raises(ValueError, match="read-only"):
            arr[(0,) * arr.ndim] = 0


def test_results_compare_by_value(flagship: Analysis) -> None:
    again = analyze(load_scenario("mexico-us-2017"), draws=200, seed=4)
    for (name, a), b in zip(results(flagship).items(), results(again).values(), strict=True):
        assert a == b, name
        assert a is not b
    other = analyze(load_scenario("mexico-us-2017"), draws=200, seed=5)
    assert other.robustness != flagship.robustness
    assert other != flagship
    with pytest.raises(TypeError):
        hash(flagship.robustness)


def test_no_function_shadows_its_module() -> None:
    modules = {m.name for m in pkgutil.iter_modules(zopa.analysis.__path__)}
    for name in zopa.analysis.__all__:
        assert name not in modules, f"zopa.analysis.{name} shadows the module of that name"
        assert not isinstance(getattr(zopa.analysis, name), types.ModuleType)
    for name in modules:
        module = importlib.import_module(f"zopa.analysis.{name}")
        assert isinstance(module, types.ModuleType)
        assert getattr(zopa.analysis, name, module) is module


def test_public_names_are_what_users_call() -> None:
    for name in zopa.analysis.__all__:
        assert not name.startswith("_")
        value = getattr(zopa.analysis, name)
        assert getattr(value, "__module__", "zopa.analysis").startswith("zopa.analysis")


def test_results_are_named_without_result() -> None:
    for name in zopa.analysis.__all__:
        assert not name.endswith("Result"), name


def test_problem_equality_and_variants() -> None:
    s = load_scenario("mexico-us-2017")
    p = s.problem()
    assert p == s.problem() and p is s.problem()
    assert p == type(p).from_scenario(s)
    q = p.with_reservation(np.zeros(2))
    assert q != p and q.stated == (0.0, 0.0)
    threat = p.with_disagreement(0, 1)
    assert threat.disagreement[0] == 1 and threat != p
    json.dumps(p.to_dict(), allow_nan=False)


def test_analyze_computes_the_frontier_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """One frontier per set of parties, shared by the solutions, the zone, linkage and leverage
    (agendas extend their own per-agenda frontiers; robustness draws other problems)."""
    from zopa.analysis import frontier as frontier_module
    from zopa.analysis import linkage as linkage_module
    from zopa.analysis import robustness as robustness_module

    calls: list[str] = []
    real = frontier_module.pareto_frontier

    def counting(*args: object, **kwargs: object) -> object:
        calls.append("pareto_frontier")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(frontier_module, "pareto_frontier", counting)
    monkeypatch.setattr(linkage_module, "pareto_frontier", counting)
    monkeypatch.setattr(robustness_module, "pareto_frontier", counting)
    s = load_scenario("mexico-us-2017")
    a = analyze(s, draws=0)
    assert calls == ["pareto_frontier"]
    assert a.zone.frontier is not None and len(a.zone.frontier) <= len(a.frontier)
