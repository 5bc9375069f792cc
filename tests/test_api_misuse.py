"""Misusing the Python API raises the documented zopa errors, never a raw built-in exception.

Each call below passes something a user could plausibly pass by mistake (None, a string for a
list, a number out of range, NaN, a wrong shape, a bad seed); every one must raise a
:class:`zopa.ZopaError` (an :class:`~zopa.model.errors.ArgumentError` for arguments) with a
message, and none may succeed silently.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

import zopa
from zopa import analysis as A
from zopa.forecast import forecast

s = zopa.load_scenario("mexico-us-2017")
p = s.problem()
f = A.frontier_of(s)
nan = float("nan")
CASES: dict[str, Callable[[], Any]] = {
    "load_scenario(None)": lambda: zopa.load_scenario(None),
    "load_scenario(42)": lambda: zopa.load_scenario(42),
    "load_scenario(b'x')": lambda: zopa.load_scenario(b"x"),
    "load_scenario('nope')": lambda: zopa.load_scenario("nope"),
    "save_scenario(None, x)": lambda: zopa.save_scenario(None, "/tmp/x.yaml"),
    "save_scenario(s, None)": lambda: zopa.save_scenario(s, None),
    "s.utilities(None)": lambda: s.utilities(None),
    "s.utilities('a')": lambda: s.utilities("a"),
    "s.utilities([[99]*7])": lambda: s.utilities([[99] * 7]),
    "s.utilities([[0]*3])": lambda: s.utilities([[0] * 3]),
    "s.utilities([[-1]*7])": lambda: s.utilities([[-1] * 7]),
    "s.utilities([[0.5]*7])": lambda: s.utilities([[0.5] * 7]),
    "s.outcome(None)": lambda: s.outcome(None),
    "s.outcome({'x':'y'})": lambda: s.outcome({"x": "y"}),
    "s.describe([0])": lambda: s.describe([0]),
    "s.describe(None)": lambda: s.describe(None),
    "s.problem('Mexico')": lambda: s.problem("Mexico"),
    "s.problem(['X'])": lambda: s.problem(["X"]),
    "s.with_parties('Mexico')": lambda: s.with_parties("Mexico"),
    "s.with_parties(['X'])": lambda: s.with_parties(["X"]),
    "s.issue(None)": lambda: s.issue(None),
    "s.party_index(3)": lambda: s.party_index(3),
    "frontier_of(None)": lambda: A.frontier_of(None),
    "frontier_of(s, limit=-1)": lambda: A.frontier_of(s, limit=-1),
    "pareto_frontier(None)": lambda: A.pareto_frontier(None),
    "pareto_frontier([])": lambda: A.pareto_frontier([]),
    "pareto_frontier([[1,2]])": lambda: A.pareto_frontier([[1, 2]]),
    "pareto_frontier(t, reservation=[nan,0])": lambda: A.pareto_frontier(
        p.tables, reservation=[nan, 0]
    ),
    "solve(s, 'x')": lambda: A.solve(s, "x"),
    "solve(s, reservation=[1])": lambda: A.solve(s, reservation=[1]),
    "solve(s, powers=[-1,1])": lambda: A.solve(s, powers=[-1, 1]),
    "solve(s, powers='a')": lambda: A.solve(s, powers="a"),
    "solve(None)": lambda: A.solve(None),
    "solve_all(s, ['x'])": lambda: A.solve_all(s, ["x"]),
    "solve_all(s, 'nash')": lambda: A.solve_all(s, "nash"),
    "settle(None, [0,0])": lambda: A.settle(None, [0, 0]),
    "settle(f, None)": lambda: A.settle(f, None),
    "settle(f, [0,0], 'x')": lambda: A.settle(f, [0, 0], "x"),
    "zone(s, samples=0)": lambda: A.zone_of_agreement(s, samples=0),
    "zone(s, reservation='a')": lambda: A.zone_of_agreement(s, reservation="a"),
    "zone(s, seed='a')": lambda: A.zone_of_agreement(s, seed="a", max_states=1),
    "zone(s, max_states=0)": lambda: A.zone_of_agreement(s, max_states=0),
    "compare_linkage(s,'x')": lambda: A.compare_linkage(s, "x"),
    "compare_linkage(s, reservation=[nan,0])": lambda: A.compare_linkage(s, reservation=[nan, 0]),
    "compare_agendas(s, only='nafta')": lambda: A.compare_agendas(s, only="nafta"),
    "compare_agendas(s, only=[['x']])": lambda: A.compare_agendas(s, only=[["x"]]),
    "compare_agendas(s, only=[5])": lambda: A.compare_agendas(s, only=[5]),
    "issue_by_issue(s,'x')": lambda: A.issue_by_issue(s, "x"),
    "chips(s, 0, 0)": lambda: A.bargaining_chips(s, 0, 0),
    "chips(s, 5, 0)": lambda: A.bargaining_chips(s, 5, 0),
    "chips(s, 'X')": lambda: A.bargaining_chips(s, "X"),
    "chips(s, 0.5)": lambda: A.bargaining_chips(s, 0.5),
    "leverage(s, grid='a')": lambda: A.measure_leverage(s, grid="a"),
    "leverage(s, grid=[nan])": lambda: A.measure_leverage(s, grid=[nan]),
    "leverage(s, 'x')": lambda: A.measure_leverage(s, "x"),
    "robustness(s, draws=0)": lambda: A.check_robustness(s, draws=0),
    "robustness(s, draws='a')": lambda: A.check_robustness(s, draws="a"),
    "robustness(s, seed='a')": lambda: A.check_robustness(s, draws=2, seed="a"),
    "robustness(s, value_noise=nan)": lambda: A.check_robustness(s, draws=2, value_noise=nan),
    "robustness(s, concentration=-1)": lambda: A.check_robustness(s, draws=2, concentration=-1),
    "analyze(None)": lambda: A.analyze(None),
    "analyze(s, draws=-1)": lambda: A.analyze(s, draws=-1),
    "analyze(s, draws=1.5)": lambda: A.analyze(s, draws=1.5),
    "analyze(s, parties='Mexico')": lambda: A.analyze(s, parties="Mexico"),
    "analyze(s, parties=['Mexico'])": lambda: A.analyze(s, parties=["Mexico"]),
    "analyze(s, concept='x')": lambda: A.analyze(s, concept="x"),
    "analyze(s, value_noise=5)": lambda: A.analyze(s, value_noise=5),
    "analyze(s, seed='a')": lambda: A.analyze(s, seed="a", draws=2),
    "analyze(s, limit=-1)": lambda: A.analyze(s, limit=-1),
    "analyze(s, agenda_list='nafta')": lambda: A.analyze(s, agenda_list="nafta", draws=0),
    "forecast(None)": lambda: forecast(None),
    "forecast(s, draws=-1)": lambda: forecast(s, draws=-1),
    "forecast(s, models=('x',))": lambda: forecast(s, models=("x",)),
    "forecast(s, rounds=-1)": lambda: forecast(s, rounds=-1),
    "forecast(s, seed='a')": lambda: forecast(s, seed="a", draws=2),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_misuse_raises_a_zopa_error(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(zopa.ZopaError) as info:
            CASES[name]()
    assert str(info.value).strip()
