"""Agendas in play: package, issue by issue and user agendas with real strategies."""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pytest

from zopa.io import load_scenario
from zopa.model import AdditiveUtility, Issue, Party, Scenario
from zopa.model.errors import ArgumentError
from zopa.negotiation import Accept, EndNegotiation, Mind, Negotiator, Offer, PartyView, Turn
from zopa.negotiation.agenda import agenda_groups, compare_play, play_agenda, sub_problem
from zopa.negotiation.agents import agent


def two_issues(disagreement: bool = True) -> Scenario:
    """x and y, three options each (option 2 is the disagreement); A cares for x, B for y."""
    x = Issue.discrete("x", ["a", "b", "none"], disagreement="none" if disagreement else None)
    y = Issue.discrete("y", ["a", "b", "none"], disagreement="none" if disagreement else None)
    a = Party("A", AdditiveUtility((0.75, 0.25), ((1.0, 0.5, 0.0), (1.0, 0.5, 0.25))))
    b = Party("B", AdditiveUtility((0.25, 0.75), ((0.0, 0.5, 0.25), (0.0, 0.5, 1.0))))
    return Scenario("two", (x, y), (a, b))


@dataclass(frozen=True)
class Script(Negotiator):
    """Plays, in the one-issue sub-negotiation on issue ``name``, the moves ``plan[name]``
    ("k" offers option k, "accept", "end")."""

    plan: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def start(self, view: PartyView, rng: np.random.Generator) -> Mind:
        return _Mind(list(dict(self.plan)[view.space.names[0]]))


class _Mind(Mind):
    def __init__(self, moves: list[str]) -> None:
        self.moves = moves

    def act(self, turn: Turn) -> Offer | Accept | EndNegotiation:
        move = self.moves.pop(0) if self.moves else "end"
        if move == "accept":
            return Accept()
        if move == "end":
            return EndNegotiation()
        return Offer((int(move),))


def test_sub_problem_utilities_are_full_utilities_with_the_rest_fixed() -> None:
    p = load_scenario("mexico-us-2017").problem()
    rng = np.random.default_rng(3)
    for group in ([0], [2, 5], [1, 3, 6]):
        fixed = [int(rng.integers(n)) for n in p.space.sizes]
        sub = sub_problem(p, group, fixed)
        assert sub.space.names == tuple(p.space.names[k] for k in group)
        codes = sub.space.enumerate()
        full = np.tile(np.asarray(fixed), (len(codes), 1))
        full[:, group] = codes
        assert np.allclose(sub.utilities(codes), p.utilities(full), atol=1e-12)
        # reservation: the group at its disagreement options
        full_d = np.asarray(fixed)
        full_d[group] = [p.disagreement[k] for k in group]
        assert np.allclose(sub.reservation, p.utilities(full_d), atol=1e-12)


def test_issue_by_issue_by_hand() -> None:
    s = two_issues()
    # x: A offers a (0), B accepts. y: A offers a, B ends: y falls back to "none".
    a = Script((("x", ("0",)), ("y", ("0",))))
    b = Script((("x", ("accept",)), ("y", ("end",))))
    r = play_agenda(s, [a, b], "issue-by-issue")
    assert r.agenda == (("x",), ("y",)) and r.settled == (True, False) and not r.agreement
    assert r.outcome == (0, 2) and r.options == {"x": "a", "y": "none"}
    assert r.utilities == pytest.approx((0.75 + 0.25 * 0.25, 0.75))
    x, y = r.groups
    # in x, y is at its disagreement option: A gets .75·u_x + .0625, B .25·u_x + .75
    assert x.utilities == pytest.approx((0.8125, 0.75))
    assert x.issues == ("x",) and y.issues == ("y",)
    # in y, x is settled at a: A's reservation there is .75 + .0625, B's .75
    assert y.reason == "end" and y.utilities == pytest.approx((0.8125, 0.75))
    assert y.trace[0].utilities == pytest.approx((1.0, 0.0))
    assert r.rounds == 2


def test_failed_groups_fall_back_and_a_failed_package_gives_reservation_values() -> None:
    s = two_issues()
    hard = [agent("hardliner"), agent("hardliner")]
    r = play_agenda(s, hard, "issue-by-issue")
    assert r.settled == (False, False) and r.outcome == (2, 2)
    assert r.utilities == pytest.approx((0.0625, 0.8125))
    pkg = play_agenda(s, hard, "package")
    assert pkg.outcome is None and pkg.utilities == tuple(s.problem().reservation)
    assert pkg.groups[0].reason == "deadline"


def test_user_agenda_and_order() -> None:
    s = load_scenario("mexico-us-2017")
    agents = [agent("conceder"), agent("boulware")]
    r = play_agenda(s, agents, [["migrants", "wall"], ["nafta"]])
    assert r.agenda == (("migrants", "wall"), ("nafta",)) and len(r.groups) == 2
    assert r.groups[0].issues == ("migrants", "wall")
    # issues on no group stay at their disagreement options
    assert r.outcome is not None
    for k in (1, 3, 4, 5):
        assert r.outcome[k] == s.problem().disagreement[k]
    # the same seed plays the same
    assert play_agenda(s, agents, [["migrants", "wall"], ["nafta"]]) == r
    # a single group of every issue, in any order, is the package
    every = list(reversed(s.space.names))
    assert play_agenda(s, agents, [every]).groups[0] == play_agenda(s, agents, "package").groups[0]


def test_compare_play_on_the_flagship() -> None:
    s = load_scenario("mexico-us-2017")
    c = compare_play(s, [agent("conceder"), agent("boulware")])
    assert c.parties == ("United States", "Mexico")
    assert c.gain == pytest.approx(
        tuple(a - b for a, b in zip(c.package.utilities, c.issue_by_issue.utilities, strict=True))
    )
    assert len(c.issue_by_issue.groups) == 7 and len(c.package.groups) == 1
    json.dumps(c.to_dict())
    rev = compare_play(
        s, [agent("conceder"), agent("boulware")], order=list(reversed(s.space.names))
    )
    assert rev.issue_by_issue.agenda[0] == ("migrants",)
    with pytest.raises(ArgumentError, match="order"):
        compare_play(s, [agent("conceder"), agent("boulware")], order=["nafta"])


@pytest.mark.parametrize(
    ("agenda", "message"),
    [
        ([["nafta"], ["nafta"]], 'agenda\\[1\\]: issue "nafta" is already in an earlier group'),
        ([["tariffs"]], "agenda\\[0\\]: expected issue names"),
        ([[]], "agenda\\[0\\]: expected a non-empty list"),
        ("by-issue", "agenda: expected"),
        ([], "agenda: expected at least one group"),
    ],
)
def test_bad_agendas(agenda: object, message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        agenda_groups(load_scenario("mexico-us-2017"), agenda)  # type: ignore[arg-type]


def test_groups_need_disagreement_options() -> None:
    s = two_issues(disagreement=False)
    agents = [agent("boulware"), agent("conceder")]
    assert play_agenda(s, agents, "package").groups[0].issues == ("x", "y")
    with pytest.raises(ArgumentError) as info:
        play_agenda(s, agents, "issue-by-issue")
    assert str(info.value).count(".") <= 1 and "x, y have none" in str(info.value)


def test_the_cap_applies_to_every_group() -> None:
    from zopa.negotiation import Arena

    s = two_issues()
    heavy = Party("A", AdditiveUtility((1.0, 0.5), ((1.0, 0.5, 0.0), (1.0, 0.5, 0.25))))
    s = Scenario("heavy", s.issues, (heavy, s.parties[1]))
    agents = [agent("conceder"), agent("conceder")]
    capped = play_agenda(Arena(s.problem(), cap=1.0), agents, "issue-by-issue")
    assert capped == play_agenda(s, agents, "issue-by-issue", cap=1.0)
    for n in capped.groups:
        assert all(st.utilities is not None and max(st.utilities) <= 1.0 for st in n.trace)
    uncapped = play_agenda(s, agents, "issue-by-issue")
    assert any(
        st.utilities is not None and st.utilities[0] > 1.0
        for n in uncapped.groups
        for st in n.trace
    )


def test_split_deadline() -> None:
    from zopa.negotiation import Deadline

    s = load_scenario("mexico-us-2017")
    hard = [agent("hardliner"), agent("hardliner")]
    whole = play_agenda(s, hard, "issue-by-issue", deadline=Deadline(rounds=21))
    shared = play_agenda(s, hard, "issue-by-issue", deadline=Deadline(rounds=21), split=True)
    assert [n.rounds for n in whole.groups] == [21] * 7
    assert [n.rounds for n in shared.groups] == [3] * 7 and shared.rounds == 21
