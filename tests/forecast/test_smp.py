"""KTAB's Spatial Model of Politics against KTAB's own reference run of ``dummyData_3Dim``.

``20170530_ref-dummyData_3Dim.txt`` is the log of KTAB's ``smpc`` (default parameters, which
the log lists) on ``dummyData_3Dim.csv``: every state's utility matrices and risk attitudes,
every challenge, bargain and election of every turn, the positions after each turn, and the
history of positions and winning probabilities. Each test below checks one step of the model,
every turn (utilities and risk attitudes; challenges; bargains, the votes, coalitions and victory
probabilities of each election, the choices; the positions after the turn), to the precision the
log prints (3 or 4 decimals; bargains and positions are rounded
to 4 decimals on KTAB's [0, 1] scale by KTAB itself, so they match exactly).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pytest

from conftest import DATA
from zopa.forecast.smp import (
    SMPOptions,
    SMPPath,
    _setup,
    _state_distance,
    _turn,
    best_challenges,
    challenge,
    coalitions,
    condorcet_probabilities,
    interpolate,
    run_smp,
    smp_turn,
    utility,
    victory_probabilities,
    vote,
)
from zopa.model.errors import ArgumentError

KTAB = DATA / "forecast" / "ktab"
LOG = KTAB / "20170530_ref-dummyData_3Dim.txt"
NUMBER = r"[-+]?\d+\.\d+"


def inputs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dummyData_3Dim.csv as KTAB reads it: positions and saliences / 100, capabilities."""
    rows = list(csv.reader(KTAB.joinpath("dummyData_3Dim.csv").read_text().splitlines()))[2:]
    cap = np.array([float(r[2]) for r in rows])
    x = np.array([[float(r[3 + 2 * k]) for k in range(3)] for r in rows]) / 100.0
    s = np.array([[float(r[4 + 2 * k]) for k in range(3)] for r in rows]) / 100.0
    return x, s, cap


@dataclass
class Setup:
    neutral: np.ndarray
    risk: np.ndarray
    objective: np.ndarray
    estimates: dict[int, np.ndarray] = field(default_factory=dict)


@dataclass
class Turn:
    targets: dict[int, tuple[int, float]] = field(default_factory=dict)
    estimates: list[tuple[int, float, int, int, int, float]] = field(default_factory=list)
    bargains: dict[int, tuple[int, int, str, np.ndarray, np.ndarray]] = field(default_factory=dict)
    involving: dict[int, list[int]] = field(default_factory=dict)
    pce: dict[int, np.ndarray] = field(default_factory=dict)
    utility: dict[int, np.ndarray] = field(default_factory=dict)  # u_im, 5 decimals
    coalitions: dict[int, np.ndarray] = field(default_factory=dict)
    pairwise: dict[int, np.ndarray] = field(default_factory=dict)
    chosen: dict[int, int] = field(default_factory=dict)
    positions: dict[int, np.ndarray] = field(default_factory=dict)


@dataclass
class Log:
    setups: list[Setup]
    turns: list[Turn]
    history: np.ndarray  # (actors, dims, states), one decimal
    probability: np.ndarray  # (actors, states)


def _matrix(lines: list[str], at: int, rows: int) -> np.ndarray:
    return np.array([[float(v) for v in re.findall(NUMBER, lines[at + r])] for r in range(rows)])


@cache
def reference() -> Log:
    """Everything the reference log prints, by state and turn."""
    lines = LOG.read_text().splitlines()
    n = 7
    setups: list[Setup] = []
    turns: list[Turn] = []
    turn: Turn | None = None
    pce_actor = -1
    u_im = np.zeros((n, 0))
    k = 0
    while k < len(lines):
        line = lines[k]
        if line.startswith("Raw actor-pos value matrix"):
            setups.append(Setup(_matrix(lines, k + 1, n), np.zeros(n), np.zeros((n, n))))
            turn = None
            k += n
        elif line.startswith("Inferred risk attitudes"):
            setups[-1].risk = _matrix(lines, k + 1, n)[:, 0]
            k += n
        elif line.startswith("Risk-aware actor-pos utility matrix"):
            setups[-1].objective = _matrix(lines, k + 1, n)
            k += n
        elif m := re.match(r"Estimate by (\d+) of risk-aware", line):
            setups[-1].estimates[int(m[1])] = _matrix(lines, k + 1, n)
            k += n
        elif m := re.match(
            r"In turn (\d+) actor (\d+) has most advantageous target (\d+) worth", line
        ):
            if turn is None:
                turn = Turn()
                turns.append(turn)
            turn.targets[int(m[2])] = (int(m[3]), float(line.split()[-1]))
        elif m := re.match(r"In turn (\d+) Actor (\d+) has no advantageous", line):
            if turn is None:
                turn = Turn()
                turns.append(turn)
        elif m := re.match(
            rf"Est by +(\d+) of prob ({NUMBER}) that \[ *(\d+)> *(\d+)\], with expected gain "
            rf"to +(\d+) of ({NUMBER})",
            line,
        ):
            assert turn is not None
            h, p, i, j, kk, g = m.groups()
            turn.estimates.append((int(h), float(p), int(i), int(j), int(kk), float(g)))
        elif m := re.match(r"(?:Bargain|Power-weighted compromise) \[(\d+), (\d+):(\d+)\]", line):
            assert turn is not None
            bid, i, j = int(m[1]), int(m[2]), int(m[3])
            label = "compromise"
            if who := re.search(r"from +(\d+)'s", line):
                label = "initiator" if int(who[1]) == i else "receiver"
            # threads interleave KTAB's output: the next two "proposes" lines are this bargain's
            a, b = (
                np.array([float(v) for v in re.findall(NUMBER, s.split(":")[1])])
                for s in [s for s in lines[k + 1 : k + 6] if "proposes" in s][:2]
            )
            turn.bargains[bid] = (i, j, label, a, b)
        elif m := re.match(r"Bargains involving actor +(\d+): (.*)", line):
            assert turn is not None
            turn.involving[int(m[1])] = [int(v) for v in re.findall(r"\[(\d+),", m[2])]
        elif line.startswith("u_im:"):
            assert turn is not None
            u_im = _matrix(lines, k + 1, n)
            k += n
        elif m := re.match(r"Doing scalarPCE for the (\d+) bargains of actor (\d+)", line):
            assert turn is not None
            pce_actor = int(m[2])
            turn.utility[pce_actor] = u_im
        elif line.startswith("Coalition strengths of (i:j)"):
            assert turn is not None
            nb = len(turn.involving[pce_actor])
            turn.coalitions[pce_actor] = _matrix(lines, k + 1, nb)
            k += nb
        elif line.startswith("Probability Opt_i > Opt_j"):
            assert turn is not None
            nb = len(turn.involving[pce_actor])
            turn.pairwise[pce_actor] = _matrix(lines, k + 1, nb)
            k += nb
        elif line.startswith("Probability Opt_i") and not line.startswith("Probability Opt_i >"):
            assert turn is not None
            nb = len(turn.involving[pce_actor])
            turn.pce[pce_actor] = _matrix(lines, k + 1, nb)[:, 0]
            k += nb
        elif m := re.match(r"Chosen bargain \( \w+ \): (\d+)", line):
            assert turn is not None
            turn.chosen[pce_actor] = int(m[1])
        elif m := re.match(r"postn +(\d+) , +0 :", line):
            assert turn is not None
            turn.positions[int(m[1])] = np.array(
                [float(v) for v in re.findall(NUMBER, lines[k + 1])]
            )
            k += 1
        k += 1
    start = next(i for i, s in enumerate(lines) if s.startswith("History of actor positions"))
    history = np.zeros((n, 3, len(setups)))
    for r in range(n * 3):
        _head, values = lines[start + 1 + r].split(":")
        history[r // 3, r % 3] = [float(v) for v in values.split()]
    start = next(i for i, s in enumerate(lines) if s.startswith("History of actors' winning"))
    prob = np.array(
        [[float(v) for v in lines[start + 1 + a].split(":")[1].split()] for a in range(n)]
    )
    return Log(setups, turns, history, prob)


@cache
def states() -> list[np.ndarray]:
    """The positions of every state of our run (on [0, 1]), state 0 the input."""
    x, s, c = inputs()
    path = run_smp(x * 100, s, c)
    return [p / 100 for p in path.positions]


def test_the_log_is_parsed_whole() -> None:
    log = reference()
    assert len(log.setups) == 11 and len(log.turns) == 10
    assert all(len(t.positions) == 7 and len(t.pce) == 7 for t in log.turns)
    assert all(len(t.coalitions) == 7 and len(t.utility) == 7 for t in log.turns)


def test_the_run_stops_after_ktabs_ten_turns_with_its_position_history() -> None:
    x, s, c = inputs()
    path = run_smp(x * 100, s, c)
    assert path.turns == 10
    # KTAB prints the history with one decimal ("%5.1f" of 100 x)
    np.testing.assert_allclose(
        np.moveaxis(path.positions, 0, -1), reference().history, atol=0.05 + 1e-9
    )
    final = path.positions[-1]
    np.testing.assert_allclose(final[0], [78.6, 31.8, 74.1], atol=0.05)
    np.testing.assert_allclose(final[2], [82.45, 90.89, 0.07], atol=1e-9)  # never moves
    np.testing.assert_allclose(final[3], [67.1, 50.1, 63.7], atol=0.05)


def test_positions_after_every_turn_match_to_the_last_printed_digit() -> None:
    log = reference()
    ours = states()
    for t, turn in enumerate(log.turns):
        got = ours[t + 1] * 100
        want = np.array([turn.positions[a] for a in range(7)])
        np.testing.assert_allclose(got, want, atol=5e-5, err_msg=f"after turn {t + 1}")


@pytest.mark.parametrize("t", range(11))
def test_utilities_and_risk_attitudes_of_every_state(t: int) -> None:
    _x, s, c = inputs()
    st = _setup(states()[t], s, c, SMPOptions())
    want = reference().setups[t]
    np.testing.assert_allclose(st.neutral, want.neutral, atol=5e-4 + 1e-12)
    np.testing.assert_allclose(st.risk, want.risk, atol=5e-4 + 1e-12)
    np.testing.assert_allclose(st.objective, want.objective, atol=5e-5 + 1e-12)
    estimates = st.estimates(np.arange(7))
    for h, m in want.estimates.items():
        np.testing.assert_allclose(estimates[h], m, atol=5e-5 + 1e-12, err_msg=f"by {h}")


@pytest.mark.parametrize("t", range(10))
def test_challenges_targets_and_estimates_of_every_turn(t: int) -> None:
    _x, s, c = inputs()
    st = _setup(states()[t], s, c, SMPOptions())
    turn = reference().turns[t]
    target, _, tg = best_challenges(st)
    assert {i: int(target[i]) for i in range(7) if target[i] >= 0} == {
        i: j for i, (j, _) in turn.targets.items()
    }
    for i, (_, worth) in turn.targets.items():
        assert abs(tg[i] - worth) <= 5e-4 + 1e-12
    for h, p, i, j, k, g in turn.estimates:
        pr, gain = challenge(st, h, i, j, k)
        assert abs(pr[0] - p) <= 5e-5 + 1e-12 and abs(gain[0] - g) <= 5e-5 + 1e-12


@pytest.mark.parametrize("t", range(10))
def test_bargains_elections_and_choices_of_every_turn(t: int) -> None:
    _x, s, c = inputs()
    ours = _turn(_setup(states()[t], s, c, SMPOptions()), None)
    turn = reference().turns[t]
    for k in range(7):
        ids = turn.involving[k]
        key = {(b.init, b.rcvr): m for m, b in enumerate(ours.bargains[k])}
        assert len(ids) == len(key)
        for slot, bid in enumerate(ids):
            init, rcvr = (k, k) if bid not in turn.bargains else turn.bargains[bid][:2]
            m = key[(init, rcvr)]
            assert abs(ours.bargain_probability[k][m] - turn.pce[k][slot]) <= 5e-5 + 1e-12
            if bid in turn.bargains:
                b = ours.bargains[k][m]
                _, _, _, a, bb = turn.bargains[bid]
                np.testing.assert_allclose(b.init_position * 100, a, atol=5e-4 + 1e-9)
                np.testing.assert_allclose(b.rcvr_position * 100, bb, atol=5e-4 + 1e-9)
        # the election's inputs: each voter's utility of each bargain, coalitions, p(i > j)
        slots = [key[(k, k) if bid not in turn.bargains else turn.bargains[bid][:2]] for bid in ids]
        u = ours.bargain_utility[k][:, slots]
        np.testing.assert_allclose(u, turn.utility[k], atol=5e-6 + 1e-12)
        c = coalitions(u, inputs()[2], "Prop")
        np.testing.assert_allclose(c, turn.coalitions[k], atol=5e-4 + 1e-12)
        pv = victory_probabilities(c, "Linear")
        np.testing.assert_allclose(pv, turn.pairwise[k], atol=5e-5 + 1e-12)
        chosen = ours.bargains[k][ours.chosen[k]]
        bid = turn.chosen[k]
        init, rcvr = (k, k) if bid not in turn.bargains else turn.bargains[bid][:2]
        assert (chosen.init, chosen.rcvr) == (init, rcvr)


def test_the_receivers_bargain_and_the_compromise_keep_ktabs_slips() -> None:
    """KTAB also prints the receiver's bargain (interpolated with the receiver's estimate of
    the initiator's expected gain in place of a probability) and the power-weighted compromise
    (the receiver weighted by the initiator's capability); both are reproduced."""
    x, s, c = inputs()
    turn = reference().turns[0]
    for option, label in (("InitRcvrInterp", "receiver"), ("PWCompInterp", "compromise")):
        ours = smp_turn(x, s, c, options=SMPOptions(bargains=option))
        found = {(b.init, b.rcvr): b for bs in ours.bargains for b in bs if b.kind == label}
        for i, j, kind, a, b in turn.bargains.values():
            if kind == label:
                np.testing.assert_allclose(found[(i, j)].init_position * 100, a, atol=5e-4)
                np.testing.assert_allclose(found[(i, j)].rcvr_position * 100, b, atol=5e-4)


def test_winning_probabilities_of_every_state() -> None:
    x, s, c = inputs()
    path = run_smp(x * 100, s, c)
    np.testing.assert_allclose(path.probability.T, reference().probability, atol=5e-5 + 1e-12)


def test_the_forecast_is_the_chance_weighted_position() -> None:
    x, s, c = inputs()
    path = run_smp(x * 100, s, c)
    assert isinstance(path, SMPPath)
    last = path.positions[-1]
    p = path.probability[-1]
    # unique positions: 0 = 1, 4 = 6
    unique = [0, 2, 3, 4, 5]
    assert abs(p[unique].sum() - 1) < 1e-12
    np.testing.assert_allclose(path.forecast, (p[unique, None] * last[unique]).sum(axis=0))
    likely = run_smp(x * 100, s, c, options=SMPOptions(forecast="likely")).forecast
    np.testing.assert_allclose(likely, last[5])


# ---------------------------------------------------------------------------- the pieces
def test_votes_and_coalitions_follow_kmodel() -> None:
    assert vote("Binary", 2.0, [1e-9, -1.0, 0.0]).tolist() == pytest.approx([0.2, -2.0, 0.0])
    assert vote("Cubic", 1.0, [0.5]).tolist() == [0.125]
    assert vote("PropCbc", 1.0, [0.5]).tolist() == [0.3125]
    u = np.array([[1.0, 0.5], [0.0, 1.0]])
    c = coalitions(u, np.array([2.0, 1.0]), "Prop")
    assert c[1, 0] == pytest.approx(1.0 + 1e-8) and c[0, 1] == pytest.approx(1.0 + 1e-8)
    # ASymProsp: the votes are cast for the lower-left pair only (i > j), as in KTAB
    c = coalitions(u, np.array([2.0, 1.0]), "ASymProsp")
    assert c[1, 0] == pytest.approx(2 / 3 + 1e-8) and c[0, 1] == pytest.approx(1.0 + 1e-8)


def test_victory_models_and_elections() -> None:
    c = np.array([[1e-8, 1.0], [3.0, 1e-8]])
    assert victory_probabilities(c, "Linear")[1, 0] == pytest.approx(0.75)
    assert victory_probabilities(c, "Square")[1, 0] == pytest.approx(0.9)
    assert victory_probabilities(c, "Binary")[1, 0] == pytest.approx(1 / (1 + 1e-6))
    for pcem in ("Conditional", "MarkovIncentive", "MarkovUniform"):
        p, pv = condorcet_probabilities(c, SMPOptions(condorcet=pcem))
        assert p.sum() == pytest.approx(1.0) and p[1] > p[0]
        assert np.allclose(pv + pv.T, 1.0)


def test_interpolation_and_utility() -> None:
    bi, bj = interpolate(
        np.array([0.2]), np.array([0.5]), 1.0, np.array([0.8]), np.array([0.5]), 0.0, "S2P2"
    )
    assert bi.tolist() == bj.tolist() == [0.2]
    bi, bj = interpolate(
        np.array([0.2]), np.array([0.5]), 0.5, np.array([0.8]), np.array([0.5]), 0.5, "S2PMax"
    )
    assert bi.tolist() == [0.2] and bj.tolist() == [0.8]
    assert utility(1.5, 0.5).tolist() == pytest.approx(-0.75)


@pytest.mark.parametrize(
    "options",
    [SMPOptions(voting=v) for v in ("Binary", "PropBin", "PropCbc", "Cubic", "ASymProsp")]
    + [SMPOptions(victory=v) for v in ("Square", "Quartic", "Octic", "Binary")]
    + [SMPOptions(condorcet="MarkovIncentive"), SMPOptions(condorcet="MarkovUniform")]
    + [SMPOptions(risk_range=r) for r in ("Min", "Max")]
    + [SMPOptions(risk_adjust=a) for a in ("None", "Half", "TwoThirds", "Full")]
    + [SMPOptions(third_party=t) for t in ("NoCommit", "FullCommit")]
    + [SMPOptions(interpolation=i) for i in ("S1P1", "S2PMax")]
    + [
        SMPOptions(bargains="InitRcvrInterp"),
        SMPOptions(bargains="PWCompInterp", receiver_view="corrected"),
    ],
    ids=repr,
)
def test_every_option_runs_and_stays_in_the_space(options: SMPOptions) -> None:
    x, s, c = inputs()
    path = run_smp(x * 100, s, c, options=options)
    assert 1 <= path.turns <= options.max_turns
    assert np.all((path.positions >= 0) & (path.positions <= 100))
    assert np.all(np.isfinite(path.forecast))


def test_stochastic_transitions_are_seeded() -> None:
    x, s, c = inputs()
    o = SMPOptions(transitions="Stochastic")
    a = run_smp(x * 100, s, c, options=o, seed=3)
    b = run_smp(x * 100, s, c, options=o, seed=3)
    np.testing.assert_array_equal(a.positions, b.positions)


def test_scales_missing_positions_and_degenerate_inputs() -> None:
    x, s, c = inputs()
    path = run_smp(x * 100, s, c)
    # the same run on a 0-10 scale is the same run, scaled
    tenth = run_smp(x * 10, s, c, bounds=[(0, 10)] * 3)
    np.testing.assert_allclose(tenth.positions * 10, path.positions, atol=1e-9)
    # everyone at one place: nothing moves, every chance equal
    same = run_smp(np.full((3, 2), 40.0), np.full((3, 2), 0.4), [1.0, 2.0, 3.0])
    assert same.turns == 2 and np.all(same.positions == 40.0)
    np.testing.assert_allclose(same.risk, 0.0)
    # a missing position starts at the others' weighted mean and carries no salience
    gap = x * 100
    gap[1, 0] = np.nan
    run = run_smp(gap, s, c)
    assert np.all(np.isfinite(run.positions))
    others = np.arange(7) != 1
    w = s[others, 0] * c[others]
    assert run.positions[0, 1, 0] == pytest.approx((w * x[others, 0] * 100).sum() / w.sum())
    # capability per issue: its mean over the issues an actor takes a position on
    per_issue = np.repeat(c[:, None], 3, axis=1)
    per_issue[1, 0] = 1e9  # ignored: actor 1 takes no position on issue 0
    np.testing.assert_array_equal(run_smp(gap, s, per_issue).positions, run.positions)
    # totals over 1 are scaled down, or refused
    big = np.full((3, 2), 0.9)
    run_smp([[10.0, 10.0], [50.0, 50.0], [90.0, 90.0]], big, [1.0, 1.0, 1.0])
    with pytest.raises(ArgumentError, match="total at most 1"):
        run_smp(
            [[10.0, 10.0], [50.0, 50.0], [90.0, 90.0]],
            big,
            [1.0, 1.0, 1.0],
            options=SMPOptions(salience_total="reject"),
        )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"voting": "Majority"}, "voting"),
        ({"max_turns": 0}, "max_turns"),
        ({"min_delta_ratio": -1}, "min_delta_ratio"),
        ({"draws": -1}, "draws"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ArgumentError, match=match):
        SMPOptions(**kwargs)  # type: ignore[arg-type]


def test_bad_arrays_are_refused() -> None:
    with pytest.raises(ArgumentError, match="salience"):
        run_smp([[1.0], [2.0]], [[0.5]], [1.0, 1.0])
    with pytest.raises(ArgumentError, match="bounds"):
        run_smp([[1.0], [2.0]], [[0.5], [0.5]], [1.0, 1.0], bounds=[(5, 1)])
    with pytest.raises(ArgumentError, match="capability"):
        run_smp([[1.0], [2.0]], [[0.5], [0.5]], [1.0, -1.0])


@pytest.mark.parametrize("name", ["dummyData-a040.csv", "dummyData_6Dim.csv", "SOE-Policy.csv"])
def test_the_pruned_target_search_equals_evaluating_every_target(name: str) -> None:
    """best_challenges skips targets whose bound |1 − u_ij| is below the best gain found; the
    oracle evaluates every pair, as KTAB does."""
    rows = list(csv.reader(KTAB.joinpath(name).read_text().splitlines()))
    n, m = int(rows[0][2]), int(rows[0][3])
    body = rows[2 : 2 + n]
    c = np.array([float(r[2]) for r in body])
    x = np.array([[float(r[3 + 2 * k]) for k in range(m)] for r in body])
    s = np.array([[float(r[4 + 2 * k]) for k in range(m)] for r in body]) / 100
    path = run_smp(x, s, c)
    for t in (0, path.turns // 2, path.turns):
        st = _setup(path.positions[t] / 100, s, c, SMPOptions())
        ii, jj = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n), indexing="ij"))
        keep = ii != jj
        _p, g = challenge(st, ii[keep], ii[keep], jj[keep], ii[keep])
        gains = np.full((n, n), -np.inf)
        gains[ii[keep], jj[keep]] = g
        masked = np.where(gains > 1e-5, gains, -np.inf)
        want = np.where(np.isfinite(masked.max(axis=1)), np.argmax(masked, axis=1), -1)
        target, _, tg = best_challenges(st)
        np.testing.assert_array_equal(target, want)
        ok = want >= 0
        np.testing.assert_array_equal(tg[ok], gains[np.arange(n)[ok], want[ok]])


def test_the_stop_rule_measures_what_ktab_prints() -> None:
    """KTAB prints, after each turn t, Σ‖x(t) − x(t−1)‖ / (Σ‖x(1) − x(0)‖ + 1e-4) and stops once
    it is below 0.02 after at least 2 turns."""
    printed = [
        float(m[1])
        for m in re.finditer(
            r"Fractional change compared to first step: (\d+\.\d+)", LOG.read_text()
        )
    ]
    ours = states()
    first = _state_distance(ours[0], ours[1]) + 1e-4
    ratios = [_state_distance(ours[t], ours[t - 1]) / first for t in range(1, len(ours))]
    np.testing.assert_allclose(ratios, printed, atol=5e-5 + 1e-12)
    assert [r < 0.02 for r in ratios[1:]] == [False] * 8 + [True]


def test_in_forecast_missing_positions_are_null_in_the_json() -> None:
    from zopa.forecast import forecast
    from zopa.io import load_scenario

    s = load_scenario(DATA / "forecast" / "decide" / "copenhagen.csv")
    x = s.stakeholder_positions()
    a, k = (int(v[0]) for v in np.nonzero(np.isnan(x)))
    doc = forecast(s, models=("smp",), draws=0).to_dict()["models"]["smp"]
    shown = doc["positions"][s.stakeholders[a].name][s.issues[k].name]
    assert shown == [None] * (doc["turns"] + 1)
    assert all(v is not None for v in doc["forecast"].values())
