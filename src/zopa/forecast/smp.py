"""KTAB's Spatial Model of Politics (SMP): multi-dimensional bargaining with probabilistic votes.

Every actor holds a position in a space of several issues (dimensions) at once, cares about each
issue with some salience, and brings one capability. Turn by turn each actor looks for the rival
it expects to gain most from challenging, the two strike an interpolated bargain, and every actor
then takes the bargain that a probabilistic Condorcet election among the bargains open to it
favours; the run stops when the positions settle.

References:
    Wise, B. P., Lester, L. & Efird, B. (2015). "An introduction to the KAPSARC Toolkit for
    Behavioral Analysis (KTAB) using one-dimensional spatial models." KAPSARC discussion paper
    KS-1517-DP011A.

    Efird, B., Lester, L. & Wise, B. P. (2016). "China's Coalitions and Reform of Upstream Oil and
    Gas Sector." *Journal of East Asian Studies* 16:117–145 (the SMP applied; its data are
    KTAB's ``SOE-*.csv`` examples).

    KTAB (KAPSARC, MIT licence, "Copyright (c) 2015 KAPSARC"; GitHub ``KAPSARC/KTAB``, read at
    the fork ``lsyaseen/KTAB``): ``examples/smp/libsrc/smp.cpp`` (utilities, risk attitudes,
    bargain interpolation, stop rule), ``smpbcn.cpp`` (challenges, bargains, state transition),
    ``KTAB/kmodel/libsrc/kmodel.cpp`` (votes, coalitions, victory probabilities, probabilistic
    Condorcet elections, risk from probabilities, third-party votes) and the tutorial
    ``web/tutorial/SMPTutorial.md`` (the parameters and their defaults). This module
    reimplements that code's arithmetic, in its order of operations except the order in which
    some sums are taken (a difference of about 1e-16), over NumPy arrays.

The model, per state (positions ``x`` and saliences ``s`` on KTAB's internal [0, 1] scale;
capability ``c``; ``σ_i = Σ_k s_ik`` the actor's total salience, at most 1):

1. Distance of ``j``'s position from ``i``'s, weighted by ``i``'s saliences,
   ``d_ij = sqrt(Σ_k (s_ik (x_ik − x_jk))² / Σ_k s_ik²)``, and utility
   ``u(d, R) = (1 − d)(1 + d R)`` for risk attitude ``R ∈ [−1/2, 1]`` (``SMPModel::bsUtil``,
   ``bvDiff``).
2. Risk attitudes: with risk-neutral utilities ``u(d_ij, 0)`` every actor ``k`` votes between
   every pair of positions with weight ``c_k`` (:attr:`SMPOptions.voting`, default
   proportional: ``c_k (u_ki − u_kj)``); coalition strengths ``C_ij`` add the positive votes
   (``Model::coalitions``); ``p(i > j) = C_ij / (C_ij + C_ji)`` (:attr:`SMPOptions.victory`);
   the probabilistic Condorcet election gives each position's chance ``p_i`` (default
   *Conditional*: ``Π_j p(i > j)`` renormalised); ``R_i`` maps ``p_i`` linearly onto [−1/2, 1]
   (:attr:`SMPOptions.risk_range` *Mid*: ``(3 p_i − p_max − 2 p_min) / (2 (p_max − p_min))``).
   Actor ``h`` estimates ``i``'s attitude as ``(2 R_h + R_i) / 3``
   (:attr:`SMPOptions.risk_adjust` *OneThird*).
3. Challenges (``SMPState::probEduChlg``): as ``h`` sees it, ``i`` and ``j`` vote for
   themselves with weight ``σ c``, each third party ``n`` joins the side its little three-actor
   contest favours (:attr:`SMPOptions.third_party`, *SemiCommit*), giving ``p^h(i > j)``; the
   expected gain to ``k`` is ``(1 − σ_j) 2u_ki + σ_j (p 2u_ki + (1 − p) 2u_kj) − (u_ki + u_kj)``.
   Each actor targets the ``j`` of largest own expected gain, if above 1e-5.
4. Bargains (``SMPActor::interpolateBrgn``): per dimension, both adopt
   ``(w_i x_ik + w_j x_jk) / (w_i + w_j)`` with ``w = (s_k p)²`` (*S2P2*; the initiator's
   weight gets 1e-6 more, and the result is rounded to 4 decimals), ``p`` the initiator's
   estimate of its chance (*InitOnlyInterp*: only the initiator's view is offered).
5. State transition (``SMPState::doBCN``): every actor ``k`` weighs its own status quo and every
   bargain it is part of by the mean utility of the resulting positions to each voter, a
   probabilistic Condorcet election (capability-weighted votes) picks the most likely bargain
   (*Deterministic*), and ``k`` moves to its side of it. All move at once.
6. Stop (``smpStopFn``): after at least 2 turns, when ``Σ_i ‖x_i(t) − x_i(t−1)‖`` is below
   0.02 × (that of the first turn + 1e-4), or after 100 turns.

Every option KTAB exposes is a field of :class:`SMPOptions`, named and valued as in KTAB's
scenario files (``ModelParameters`` of its XML), each with KTAB's default. The default run is
deterministic: KTAB's pseudo-random generator is used only by the *Stochastic* state transition
(``PRNG::probSel``), which here draws from a seeded NumPy generator instead (so a stochastic run
cannot match KTAB's draw for draw).

Two slips of KTAB's code are kept by default (:attr:`SMPOptions.receiver_view`): the receiver's
bargain of *InitRcvrInterp* / *PWCompInterp* is interpolated with the receiver's estimate of the
initiator's *expected gain* where a probability is meant, and the power-weighted compromise
weighs the receiver by the initiator's capability. Neither touches the default *InitOnlyInterp*.

Where KTAB would divide by zero this module chooses: equal winning chances everywhere give every
actor ``R = 0`` (KTAB's ``bigRfromProb`` returns NaN); an actor without salience on any issue is
indifferent (utility 1 everywhere); a capability of 0 casts no vote (KTAB refuses weights <= 0).

The work of one turn is vectorised over actors: every challenge is an array over the third
parties, challenges are evaluated in batches, and a challenger's targets are taken in decreasing
order of a bound on its gain (``|1 − u_ij|``) until no remaining target can beat the best found,
which gives KTAB's target without evaluating every pair (``best_challenges``). The bargains of all
actors are valued at once and their elections batched by size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError
from zopa.model.random import generator

__all__ = [
    "Bargain",
    "SMPOptions",
    "SMPPath",
    "SMPTurn",
    "run_smp",
    "smp_turn",
]

F = npt.NDArray[np.float64]
I = npt.NDArray[np.intp]  # noqa: E741

VotingRule = Literal["Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"]
VictoryModel = Literal["Linear", "Square", "Quartic", "Octic", "Binary"]
PCEModel = Literal["Conditional", "MarkovIncentive", "MarkovUniform"]
StateTransitions = Literal["Deterministic", "Stochastic"]
BigRRange = Literal["Min", "Mid", "Max"]
BigRAdjust = Literal["None", "OneThird", "Half", "TwoThirds", "Full"]
ThirdPartyCommit = Literal["NoCommit", "SemiCommit", "FullCommit"]
InterVecBrgn = Literal["S1P1", "S2P2", "S2PMax"]
BargnModel = Literal["InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"]

#: KTAB's constants (kmodel.cpp, smp.cpp, smpbcn.cpp).
MIN_COALITION = 1e-8  # Model::coalitions minC
MIN_CHALLENGE_COALITION = 1e-10  # probEduChlg minCltn
BINARY_VOTE_TOL = 1e-8  # Model::vote sTol
MIN_SIG_EDU = 1e-5  # bestChallenge minSigEDU
MIN_BARGAIN_WEIGHT = 1e-6  # interpBrgnSnPm / S2PMax minW
PCE_TOL = 1e-8
PCE_MAX_ITER = 1000

#: Largest number of entries (challenges × third parties) one chunk holds.
CHUNK_ENTRIES = 400_000

_CHOICES: dict[str, tuple[str, ...]] = {
    "voting": ("Binary", "PropBin", "Prop", "PropCbc", "Cubic", "ASymProsp"),
    "victory": ("Linear", "Square", "Quartic", "Octic", "Binary"),
    "condorcet": ("Conditional", "MarkovIncentive", "MarkovUniform"),
    "transitions": ("Deterministic", "Stochastic"),
    "risk_range": ("Min", "Mid", "Max"),
    "risk_adjust": ("None", "OneThird", "Half", "TwoThirds", "Full"),
    "third_party": ("NoCommit", "SemiCommit", "FullCommit"),
    "interpolation": ("S1P1", "S2P2", "S2PMax"),
    "bargains": ("InitOnlyInterp", "InitRcvrInterp", "PWCompInterp"),
    "receiver_view": ("ktab", "corrected"),
    "forecast": ("expected", "likely"),
    "salience_total": ("scale", "reject"),
}


@dataclass(frozen=True, kw_only=True)
class SMPOptions:
    """Every choice of KTAB's SMP, with KTAB's default (the XML ``ModelParameters`` names).

    Attributes:
        voting: ``VotingRule`` of coalitions and bargains (``Model::vote``, weight ``w``,
            utility difference ``Δ``): ``"Prop"`` (default) ``wΔ``; ``"Binary"`` ``w·clip(Δ/1e-8,
            ±1)``; ``"PropBin"`` 0.8 prop + 0.2 binary; ``"Cubic"`` ``wΔ³``; ``"PropCbc"`` ½ prop
            + ½ cubic; ``"ASymProsp"`` ``wΔ`` for losses, ``⅔wΔ`` for gains.
        victory: ``VictoryProbModel``, ``p(i > j) = C_ij^n / (C_ij^n + C_ji^n)``: ``"Linear"``
            (default, n = 1), ``"Square"``, ``"Quartic"``, ``"Octic"``; ``"Binary"``: certain
            beyond a 10 % edge, linear in between.
        condorcet: ``PCEModel``, each option's chance in the probabilistic Condorcet election:
            ``"Conditional"`` (default, ``Π_j p(i > j)`` renormalised), ``"MarkovIncentive"``,
            ``"MarkovUniform"``.
        transitions: ``StateTransitions``: ``"Deterministic"`` (default: the most likely bargain)
            or ``"Stochastic"`` (drawn with those chances, from ``seed``).
        risk_range: ``BigRRange``, the interval risk attitudes span: ``"Min"`` [0, 1],
            ``"Mid"`` (default) [−1/2, 1], ``"Max"`` [−1, 1].
        risk_adjust: ``BigRAdjust``, how ``h`` estimates ``i``'s attitude: ``"None"`` (own),
            ``"OneThird"`` (default, ``(2R_h + R_i)/3``), ``"Half"``, ``"TwoThirds"``,
            ``"Full"`` (``R_i``).
        third_party: ``ThirdPartyCommit``: ``"SemiCommit"`` (default), ``"FullCommit"``,
            ``"NoCommit"`` (what a third party expects to keep of its own position).
        interpolation: ``InterVecBrgn``: ``"S2P2"`` (default, weights ``(s p)²``), ``"S1P1"``
            (``s p``), ``"S2PMax"``.
        bargains: ``BargnModel``: ``"InitOnlyInterp"`` (default: the initiator's bargain),
            ``"InitRcvrInterp"`` (both sides' bargains offered), ``"PWCompInterp"`` (their
            power-weighted compromise).
        receiver_view: ``"ktab"`` (default) keeps KTAB's two slips in the receiver's bargain (see
            the module docstring); ``"corrected"`` uses the receiver's estimate of the
            probability and the receiver's own capability.
        min_turns, max_turns, min_delta_ratio, min_sig_delta: the stop rule (``configExec``:
            2, 100, 0.02, 1e-4).
        position_tolerance: positions closer than this (Euclidean, on the [0, 1] scale) are one
            option in the final election (``SMPModel::posTol``, 1e-3).
        forecast: the forecast per issue from a state: ``"expected"`` (default): the positions
            weighted by their chances of winning (KTAB's "prob" of each actor's position, unique
            positions counted once); ``"likely"``: the most likely position. KTAB itself reports
            the positions and chances, not one number; this is zopa's reading.
        salience_total: an actor's saliences must total at most 1 (KTAB: 100 %); ``"scale"``
            (default) scales larger totals down to 1, ``"reject"`` refuses them.
        draws: how many Monte Carlo draws (the first ones) :func:`zopa.forecast.forecast` runs
            the model on (each is a full run); ``None`` every draw.
    """

    voting: VotingRule = "Prop"
    victory: VictoryModel = "Linear"
    condorcet: PCEModel = "Conditional"
    transitions: StateTransitions = "Deterministic"
    risk_range: BigRRange = "Mid"
    risk_adjust: BigRAdjust = "OneThird"
    third_party: ThirdPartyCommit = "SemiCommit"
    interpolation: InterVecBrgn = "S2P2"
    bargains: BargnModel = "InitOnlyInterp"
    receiver_view: Literal["ktab", "corrected"] = "ktab"
    min_turns: int = 2
    max_turns: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    position_tolerance: float = 1e-3
    forecast: Literal["expected", "likely"] = "expected"
    salience_total: Literal["scale", "reject"] = "scale"
    draws: int | None = 100

    def __post_init__(self) -> None:
        for name, allowed in _CHOICES.items():
            value = getattr(self, name)
            if value not in allowed:
                shown = ", ".join(repr(a) for a in allowed)
                raise ArgumentError(f"{name}: expected one of {shown}, got {value!r}")
        for name in ("min_turns", "max_turns", "draws"):
            value = getattr(self, name)
            if name == "draws" and value is None:
                continue
            low = 1 if name == "max_turns" else 0
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ArgumentError(f"{name}: expected an integer >= {low}, got {value!r}")
        for name in ("min_delta_ratio", "min_sig_delta", "position_tolerance"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
                raise ArgumentError(f"{name}: expected a number >= 0, got {value!r}")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------------------- kmodel.cpp
def vote(rule: str, weight: npt.ArrayLike, delta: npt.ArrayLike) -> F:
    """``Model::vote``: the vote of weight ``weight`` for an option better by ``delta``.

    Examples:
        >>> vote("Prop", 2.0, [0.25, -0.5]).tolist()
        [0.5, -1.0]
        >>> vote("ASymProsp", 3.0, [0.5, -0.5]).tolist()
        [1.0, -1.5]
    """
    w = np.asarray(weight, dtype=float)
    du = np.asarray(delta, dtype=float)
    if rule == "Prop":
        return np.asarray(w * du)
    if rule == "Cubic":
        return np.asarray(w * (du * du * du))
    if rule == "PropCbc":
        return np.asarray(w * ((1 - 0.5) * du + 0.5 * (du * du * du)))
    binary = np.clip(du / BINARY_VOTE_TOL, -1.0, 1.0)
    if rule == "Binary":
        return np.asarray(w * binary)
    if rule == "PropBin":
        return np.asarray(w * ((1 - 0.2) * du + 0.2 * binary))
    if rule == "ASymProsp":
        return np.asarray(np.where(du < 0, w * du, np.where(du > 0, (2.0 * w * du) / 3.0, 0.0)))
    raise ArgumentError(f"voting: unknown rule {rule!r}")


def coalitions(utility: F, weight: F, rule: str) -> F:
    """``Model::coalitions``: ``C[i, j]``, the strength of the votes for option ``i`` over ``j``.

    ``utility`` is ``(..., voters, options)`` (any leading batch of elections), ``weight``
    ``(voters,)``. As in KTAB only the votes ``v_k(i, j)`` for ``i > j`` are cast (this matters
    for the asymmetric ``"ASymProsp"``); ``C[j, i]`` sums the negative ones.
    """
    u = np.asarray(utility, dtype=float)
    lead, (na, no) = u.shape[:-2], u.shape[-2:]
    ub = u.reshape(-1, na, no)
    # Every rule but ASymProsp is odd, v(−Δ) = −v(Δ) exactly, so the votes against i in (i, j)
    # are the votes for j in (j, i): one sum of positive votes over all ordered pairs gives both.
    odd = rule != "ASymProsp"
    pos = np.zeros((ub.shape[0], no, no))
    neg = np.zeros((ub.shape[0], no, no))
    per = max(1, CHUNK_ENTRIES // max(1, na * no * no))
    step = max(1, CHUNK_ENTRIES // max(1, no * no))
    for b0 in range(0, ub.shape[0], per):
        for lo in range(0, na, step if per == 1 else na):
            part = ub[b0 : b0 + per, lo : lo + step if per == 1 else na]
            w = weight[lo : lo + part.shape[1]]
            du = part[..., :, None] - part[..., None, :]
            if rule == "Prop":  # w max(Δ, 0) = max(wΔ, 0) for w >= 0: a weighted sum
                pos[b0 : b0 + per] += np.einsum("k,bkij->bij", w, np.maximum(du, 0.0))
                continue
            v = vote(rule, w[:, None, None], du)
            pos[b0 : b0 + per] += np.maximum(v, 0.0).sum(axis=-3)
            if not odd:
                neg[b0 : b0 + per] += np.maximum(-v, 0.0).sum(axis=-3)
    if odd:
        neg = np.swapaxes(pos, -1, -2)
    low = np.tril(np.ones((no, no), dtype=bool), -1)
    c = np.where(low, MIN_COALITION + pos, 0.0) + np.swapaxes(
        np.where(low, MIN_COALITION + neg, 0.0), -1, -2
    )
    c[:, np.arange(no), np.arange(no)] = MIN_COALITION
    return c.reshape(*lead, no, no)


def victory_probabilities(c: F, model: str) -> F:
    """``Model::vProb``: ``P[..., i, j]``, the chance option ``i`` beats ``j`` (``P + Pᵀ = 1``)."""
    n = c.shape[-1]
    ii, jj = np.tril_indices(n, -1)
    s1, s2 = c[..., ii, jj], c[..., jj, ii]
    if model == "Binary":
        thresh = 1.10
        r12 = s1 / (s1 + s2)
        p12 = (r12 * (thresh + 1.0) - 1.0) / (thresh - 1.0)
        x1 = np.where(s1 >= thresh * s2, 1.0, np.where(s2 >= thresh * s1, 1e-6, p12))
        x2 = np.where(s1 >= thresh * s2, 1e-6, np.where(s2 >= thresh * s1, 1.0, 1 - p12))
    else:
        squarings = {"Linear": 0, "Square": 1, "Quartic": 2, "Octic": 3}[model]
        x1, x2 = s1, s2
        for _ in range(squarings):  # KBase::sqr, qrtc = sqr(sqr), octic = sqr(qrtc)
            x1, x2 = x1 * x1, x2 * x2
    p = np.full(c.shape, 0.5)
    p[..., ii, jj] = x1 / (x1 + x2)
    p[..., jj, ii] = x2 / (x1 + x2)
    return p


def condorcet_probabilities(c: F, options: SMPOptions) -> tuple[F, F]:
    """``Model::probCE2``: each option's chance in the probabilistic Condorcet election, and the
    pairwise victory probabilities, from coalition strengths ``c``."""
    pv = victory_probabilities(c, options.victory)
    n = c.shape[0]
    if options.condorcet == "Conditional":
        raw = np.prod(pv, axis=1)
        total = raw.sum()
        if not (total > 0 and np.isfinite(total)):  # the product underflowed: same in logs
            logs = np.log(pv).sum(axis=1)
            raw = np.exp(logs - logs.max())
            total = raw.sum()
        return raw / total, pv
    p = np.full(n, 1.0 / n)
    if options.condorcet == "MarkovUniform":
        tol = 1e-6
        for _ in range(PCE_MAX_ITER):
            q = (pv * (p[:, None] + p[None, :])).sum(axis=1) / n
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if not change > tol:
                return p, pv
    else:
        incentive = c * pv
        incentive[np.diag_indices(n)] += 1e-10
        chlg = incentive / incentive.sum(axis=0, keepdims=True)  # P[i -> j]
        for _ in range(PCE_MAX_ITER):
            ct = p[:, None] * chlg.T
            q = (pv * (ct + ct.T)).sum(axis=1)
            change = np.abs(q - p).max()
            p = (p + q) / 2.0
            if not change > PCE_TOL:
                return p, pv
    raise ArgumentError(f"condorcet: the {options.condorcet} election did not converge")


def election(utility: F, weight: F, options: SMPOptions, rule: str | None = None) -> F:
    """``Model::scalarPCE``: each option's chance, voters ``utility`` ``(voters, options)``."""
    c = coalitions(utility, weight, options.voting if rule is None else rule)
    return condorcet_probabilities(c, options)[0]


def risk_from_probabilities(p: F, risk_range: str) -> F:
    """``Model::bigRfromProb``: risk attitudes from the chances ``p`` (0 if all are equal)."""
    lo, hi = float(p.min()), float(p.max())
    if not hi > lo:
        return np.zeros_like(p)
    if risk_range == "Min":
        return (p - lo) / (hi - lo)
    if risk_range == "Mid":
        return (3 * p - (hi + 2 * lo)) / (2 * (hi - lo))
    return (2 * p - (hi + lo)) / (hi - lo)


def estimated_risk(rh: npt.ArrayLike, ri: npt.ArrayLike, adjust: str) -> F:
    """``Model::estNRA``: ``h``'s estimate of ``i``'s risk attitude."""
    a, b = np.asarray(rh, dtype=float), np.asarray(ri, dtype=float)
    if adjust == "Full":
        return np.asarray(b + 0.0 * a)
    if adjust == "TwoThirds":
        return np.asarray((a + (2.0 * b)) / 3.0)
    if adjust == "Half":
        return np.asarray((a + b) / 2)
    if adjust == "OneThird":
        return np.asarray(((2.0 * a) + b) / 3.0)
    return np.asarray(a + 0.0 * b)


# ---------------------------------------------------------------------------- smp.cpp
def utility(d: npt.ArrayLike, risk: npt.ArrayLike) -> F:
    """``SMPModel::bsUtil``: ``(1 − d)(1 + d R)`` (``(1 − d)(1 + R)`` past ``d = 1``).

    Examples:
        >>> utility([0.0, 0.5, 1.0], 1.0).tolist()
        [1.0, 0.75, 0.0]
    """
    dd = np.asarray(d, dtype=float)
    r = np.asarray(risk, dtype=float)
    return np.asarray(np.where(dd <= 1, (1 - dd) * (1 + dd * r), (1 - dd) * (1 + r)))


def distances(x: F, s: F, to: F | None = None) -> F:
    """``SMPModel::bvDiff``: ``D[i, j]``, the salience-weighted distance of position ``j`` of
    ``to`` (default ``x``) from ``x_i``, weighted by ``s_i`` (0 for an actor without salience)."""
    y = x if to is None else to
    ds = (x[:, None, :] - y[None, :, :]) * s[:, None, :]
    ss = (s * s).sum(axis=1)
    num = (ds * ds).sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(ss[:, None] > 0, np.sqrt(num / np.where(ss > 0, ss, 1.0)[:, None]), 0.0)


@dataclass(frozen=True)
class Bargain:
    """One bargain: the initiator ``init`` and receiver ``rcvr`` adopt these positions.

    Attributes:
        init, rcvr: actor indices (equal for an actor's own status quo).
        init_position, rcvr_position: ``(issues,)`` on the [0, 1] scale.
        kind: ``"status quo"``, ``"initiator"`` (the initiator's interpolation, KTAB's
            ``brgnIIJ``), ``"receiver"`` (``brgnJIJ``) or ``"compromise"`` (``brgnIJ``).
    """

    init: int
    rcvr: int
    init_position: F
    rcvr_position: F
    kind: str


@dataclass(frozen=True)
class SMPTurn:
    """Everything one turn computes (positions on the [0, 1] scale).

    Attributes:
        distance: ``(n, n)`` salience-weighted distances ``D[i, j]``.
        neutral: ``(n, n)`` risk-neutral utilities ``u(D, 0)`` (KTAB's "raw actor-pos value").
        neutral_probability: ``(n,)`` each position's chance with those utilities.
        risk: ``(n,)`` the inferred risk attitudes ``R_i``.
        objective: ``(n, n)`` risk-aware utilities ``u(D_ij, R_i)``.
        target: ``(n,)`` each actor's best target (-1: none worth challenging).
        target_probability: ``(n,)`` its own estimate of beating that target.
        target_gain: ``(n,)`` its expected gain from the challenge.
        bargains: ``bargains[k]``: the bargains open to actor ``k``, its status quo first.
        bargain_utility: ``bargain_utility[k]``: ``(n, len(bargains[k]))``, each voter's mean
            utility of the positions after each bargain.
        bargain_probability: ``bargain_probability[k]``: the election among ``k``'s bargains,
            each one's chance.
        chosen: ``(n,)`` the index of the bargain each actor takes.
        positions: ``(n, issues)``: the positions after the turn.
    """

    distance: F
    neutral: F
    neutral_probability: F
    risk: F
    objective: F
    target: I
    target_probability: F
    target_gain: F
    bargains: tuple[tuple[Bargain, ...], ...]
    bargain_utility: tuple[F, ...]
    bargain_probability: tuple[F, ...]
    chosen: I
    positions: F


@dataclass(frozen=True)
class _State:
    x: F
    s: F
    c: F
    sigma: F
    distance: F
    neutral: F
    neutral_probability: F
    risk: F
    objective: F
    options: SMPOptions

    @property
    def own(self) -> F:
        """``(n, n)``: ``aUtil[a](a, n)``, each actor's own estimate of its utilities (its risk
        attitude through ``risk_adjust`` with itself: ``R_a``, up to rounding)."""
        r = estimated_risk(self.risk, self.risk, self.options.risk_adjust)
        return utility(self.distance, r[:, None])

    def estimates(self, h: I) -> F:
        """``(len(h), n, n)``: ``aUtil[h]``, each ``h``'s estimate of everyone's utilities."""
        r = estimated_risk(self.risk[h][:, None], self.risk[None, :], self.options.risk_adjust)
        return utility(self.distance[None, :, :], r[:, :, None])


def _setup(x: F, s: F, c: F, options: SMPOptions) -> _State:
    """``SMPState::setAllAUtil``: distances, risk-neutral election, risk attitudes."""
    d = distances(x, s)
    neutral = utility(d, 0.0)
    p0, _ = condorcet_probabilities(coalitions(neutral, c, options.voting), options)
    risk = risk_from_probabilities(p0, options.risk_range)
    objective = utility(d, risk[:, None])
    return _State(x, s, c, s.sum(axis=1), d, neutral, p0, risk, objective, options)


def _contest(
    o: SMPOptions,
    wi: F,
    wj: F,
    sj: F,
    u: tuple[F, F, F, F],
    third: tuple[F, F, F, F],
    mask: npt.NDArray[np.bool_],
    k: tuple[F, F],
) -> tuple[F, F]:
    """The arithmetic of ``probEduChlg`` over broadcastable arrays, the last axis of ``third``
    being the third parties: ``u = (u_ii, u_ij, u_ji, u_jj)``, ``third = (u_ni, u_nj, u_nn,
    w_n)``, ``mask`` the third parties that vote (not i or j), ``k = (u_ki, u_kj)``."""
    rule = o.voting
    uii, uij, uji, ujj = u
    uni, unj, unn, wn = third
    ci = vote(rule, wi, uii - uij)
    cj = vote(rule, wj, uji - ujj)
    chij = (MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0)) + np.maximum(cj, 0.0)
    chji = (MIN_CHALLENGE_COALITION + np.maximum(-ci, 0.0)) + np.maximum(-cj, 0.0)
    cn = vote(rule, wn, uni - unj)
    cni = chij[..., None] + np.maximum(cn, 0.0)
    cnj = chji[..., None] + np.maximum(-cn, 0.0)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    if o.third_party == "FullCommit":
        a1, a2, a3, a4 = uni + uni + uni, unj + unj + unj, uni + uni + uni, unj + unj + unj
    elif o.third_party == "SemiCommit":
        a1, a2, a3, a4 = uni + uni + unn, unj + unj + unj, uni + uni + uni, unj + unj + unn
    else:
        a1, a2, a3, a4 = uni + uni + unn, unj + unj + unn, uni + uni + unn, unj + unj + unn
    vn = vote(rule, wn, ((pin * a1) + (pjn * a2)) - ((pin * a3) + (pjn * a4)))
    vn = np.where(mask, vn, 0.0)
    chij = chij + np.maximum(vn, 0.0).sum(axis=-1)
    chji = chji + np.maximum(-vn, 0.0).sum(axis=-1)
    phij = chij / (chij + chji)
    phji = chji / (chij + chji)
    uki, ukj = k
    eu_sq = uki + ukj
    eu_vict = uki + uki
    eu_cntst = phij * eu_vict + phji * (ukj + ukj)
    eu_chlg = (1 - sj) * eu_vict + sj * eu_cntst
    return phij, eu_chlg - eu_sq


def challenge(
    st: _State, h: npt.ArrayLike, i: npt.ArrayLike, j: npt.ArrayLike, k: npt.ArrayLike
) -> tuple[F, F]:
    """``SMPState::probEduChlg``, batched over index arrays ``(B,)``: ``h``'s estimate of the
    chance that ``i`` beats ``j``, and of the expected gain to ``k`` of ``i`` challenging ``j``.

    Only columns ``i`` and ``j`` of ``h``'s utility matrix enter (``aUtil[h](n, i)`` and
    ``(n, j)`` for every ``n``), so one challenge costs O(actors)."""
    hb, ib, jb, kb = (np.atleast_1d(np.asarray(a, dtype=np.intp)) for a in (h, i, j, k))
    n = st.x.shape[0]
    w = st.sigma * st.c
    phij = np.empty(len(ib))
    gain = np.empty(len(ib))
    step = max(1, CHUNK_ENTRIES // max(1, n))
    everyone = np.arange(n)
    for lo in range(0, len(ib), step):
        hh, ii, jj, kk = (a[lo : lo + step] for a in (hb, ib, jb, kb))
        b = np.arange(len(ii))
        r = estimated_risk(st.risk[hh][:, None], st.risk[None, :], st.options.risk_adjust)
        uni = utility(st.distance[:, ii].T, r)  # (B, n): aUtil[h](n, i)
        unj = utility(st.distance[:, jj].T, r)
        unn = utility(0.0, r)  # aUtil[h](n, n) = 1
        p, g = _contest(
            st.options,
            w[ii],
            w[jj],
            st.sigma[jj],
            (uni[b, ii], unj[b, ii], uni[b, jj], unj[b, jj]),
            (uni, unj, unn, w[None, :]),
            (everyone[None, :] != ii[:, None]) & (everyone[None, :] != jj[:, None]),
            (uni[b, kk], unj[b, kk]),
        )
        phij[lo : lo + step] = p
        gain[lo : lo + step] = g
    return phij, gain


def best_challenges(st: _State) -> tuple[I, F, F]:
    """``SMPState::bestChallenge`` for every actor: its target (-1: none worth it), its estimate
    ``p^i(i > j)`` of winning, and its expected gain.

    KTAB evaluates every target. Here a target is skipped only when it provably cannot be best:
    with ``u_ii = 1`` the challenger's expected gain is ``(1 − u_ij)(1 − 2 σ_j (1 − p))``, at
    most ``|1 − u_ij|`` in size, so targets are taken in decreasing order of that bound until it
    falls below the best gain found (or 1e-5); the result is the same target, probability and
    gain, at a cost of a few targets per challenger instead of all of them."""
    n = st.x.shape[0]
    everyone = np.arange(n)
    bound = np.abs(1.0 - st.objective) * (1 + 1e-9) + 1e-12  # u_ij as i sees it = u(D_ij, R_i)
    bound[everyone, everyone] = -np.inf
    gains = np.full((n, n), -np.inf)
    probs = np.zeros((n, n))
    done = np.zeros((n, n), dtype=bool)
    done[everyone, everyone] = True
    order = np.argsort(-bound, axis=1, kind="stable")
    first = min(n - 1, 8)
    todo = np.zeros((n, n), dtype=bool)
    todo[everyone[:, None], order[:, :first]] = True
    todo &= ~done
    while todo.any():
        ii, jj = np.nonzero(todo)
        p, g = challenge(st, ii, ii, jj, ii)
        gains[ii, jj] = g
        probs[ii, jj] = p
        done |= todo
        best = np.max(np.where(gains > MIN_SIG_EDU, gains, -np.inf), axis=1)
        open_ = ~done & (bound >= np.maximum(best, MIN_SIG_EDU)[:, None])
        # the next few open targets of each challenger, in decreasing order of the bound
        ranked = np.take_along_axis(open_, order, axis=1)
        pick = ranked & (np.cumsum(ranked, axis=1) <= first)
        todo = np.zeros((n, n), dtype=bool)
        np.put_along_axis(todo, order, pick, axis=1)
    masked = np.where(gains > MIN_SIG_EDU, gains, -np.inf)
    target = np.argmax(masked, axis=1)
    ok = np.isfinite(masked[everyone, target])
    target = np.where(ok, target, -1).astype(np.intp)
    tp = np.where(ok, probs[everyone, np.maximum(target, 0)], np.nan)
    tg = np.where(ok, gains[everyone, np.maximum(target, 0)], np.nan)
    return target, tp, tg


def interpolate(
    xi: F, si: F, pi: npt.ArrayLike, xj: F, sj: F, pj: npt.ArrayLike, method: str
) -> tuple[F, F]:
    """``SMPActor::interpolateBrgn``: the positions ``i`` and ``j`` adopt, per issue (arrays
    broadcast: several bargains at once take ``(bargains, issues)`` and ``(bargains, 1)``)."""
    p_i, p_j = np.asarray(pi, dtype=float), np.asarray(pj, dtype=float)
    if method == "S2PMax":
        di = np.where(p_j > p_i, p_j - p_i, 0.0)
        dj = np.where(p_i > p_j, p_i - p_j, 0.0)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + MIN_BARGAIN_WEIGHT + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + MIN_BARGAIN_WEIGHT + ((1 - dj) * sj2))
        return xi + dik * (xj - xi), xj + djk * (xi - xj)
    power = 2 if method == "S2P2" else 1
    wik = (si**power) * (p_i**power)
    wjk = (sj**power) * (p_j**power)
    total = wik + MIN_BARGAIN_WEIGHT + wjk
    bi = ((wik + MIN_BARGAIN_WEIGHT) * xi + wjk * xj) / total
    bj = (wik * xi + (MIN_BARGAIN_WEIGHT + wjk) * xj) / total
    return _round4(bi), _round4(bj)


def _round4(a: F) -> F:
    """KTAB's ``round4``: ``((int)(0.5 + 10000 x)) / 10000``."""
    return np.trunc(0.5 + (a * 10000.0)) / 10000.0


def _bargains(st: _State, target: I, tp: F) -> list[list[Bargain]]:
    """``SMPState::doBCN``'s bargains: each actor's status quo, then every bargain it is part
    of, in the order of the initiators."""
    o = st.options
    n = st.x.shape[0]
    out: list[list[Bargain]] = [[Bargain(k, k, st.x[k], st.x[k], "status quo")] for k in range(n)]
    ii = np.flatnonzero(target >= 0)
    if not len(ii):
        return out
    jj = target[ii]
    xi, xj, si, sj = st.x[ii], st.x[jj], st.s[ii], st.s[jj]
    p = tp[ii][:, None]
    bi, bj = interpolate(xi, si, p, xj, sj, 1 - p, o.interpolation)
    pairs = list(zip(ii.tolist(), jj.tolist(), strict=True))
    offered = [[Bargain(i, j, bi[r], bj[r], "initiator")] for r, (i, j) in enumerate(pairs)]
    if o.bargains != "InitOnlyInterp":
        pr, gain = challenge(st, jj, ii, jj, ii)  # j's view of i's challenge
        q = (gain if o.receiver_view == "ktab" else pr)[:, None]
        ri, rj = interpolate(xi, si, q, xj, sj, 1 - q, o.interpolation)
        wi = (st.c[ii] * st.sigma[ii])[:, None]
        wj = ((st.c[ii] if o.receiver_view == "ktab" else st.c[jj]) * st.sigma[jj])[:, None]
        ci = (wi * bi + wj * ri) / (wi + wj)
        cj = (wi * bj + wj * rj) / (wi + wj)
        for r, (i, j) in enumerate(pairs):
            if o.bargains == "InitRcvrInterp":
                offered[r].append(Bargain(i, j, ri[r], rj[r], "receiver"))
            else:
                offered[r] = [Bargain(i, j, ci[r], cj[r], "compromise")]
    for r, (i, j) in enumerate(pairs):
        for b in offered[r]:
            out[i].append(b)
            out[j].append(b)
    return out


def _bargain_utilities(st: _State, bargains: list[list[Bargain]]) -> list[F]:
    """Per actor ``k``, ``(n, len(bargains[k]))``: each voter's mean utility of the positions
    after each of ``k``'s bargains (``brgnUtil``: the voter's own risk attitude, everyone else
    where they are). Every distinct bargain is evaluated once."""
    n = st.x.shape[0]
    own = st.own
    total = own.sum(axis=1)
    distinct: dict[int, int] = {}
    moved: list[Bargain] = []
    for bs in bargains:
        for b in bs:
            if b.init != b.rcvr and id(b) not in distinct:
                distinct[id(b)] = len(moved)
                moved.append(b)
    column = np.empty((n, len(moved)))
    if moved:
        ys = np.stack([y for b in moved for y in (b.init_position, b.rcvr_position)])
        u = utility(distances(st.x, st.s, ys), st.risk[:, None]).reshape(n, len(moved), 2)
        init = np.array([b.init for b in moved])
        rcvr = np.array([b.rcvr for b in moved])
        rest = total[:, None] - own[:, init] - own[:, rcvr]
        column = (u[:, :, 0] + u[:, :, 1] + rest) / n
    sq = total / n
    return [
        np.stack([sq if b.init == b.rcvr else column[:, distinct[id(b)]] for b in bs], axis=1)
        for bs in bargains
    ]


def _elections(utilities: list[F], weight: F, o: SMPOptions) -> list[F]:
    """``scalarPCE`` of each actor's bargains; with Conditional elections, those of all actors
    with the same number of bargains at once."""
    if o.condorcet != "Conditional":
        return [election(u, weight, o) for u in utilities]
    out: list[F] = [np.empty(0)] * len(utilities)
    sizes: dict[int, list[int]] = {}
    for k, u in enumerate(utilities):
        sizes.setdefault(u.shape[1], []).append(k)
    for ks in sizes.values():
        pv = victory_probabilities(
            coalitions(np.stack([utilities[k] for k in ks]), weight, o.voting), o.victory
        )
        raw = np.prod(pv, axis=-1)
        total = raw.sum(axis=-1)
        for row, k in enumerate(ks):
            if total[row] > 0 and np.isfinite(total[row]):
                out[k] = raw[row] / total[row]
            else:  # the product underflowed: condorcet_probabilities works in logs
                out[k] = election(utilities[k], weight, o)
    return out


def _turn(st: _State, rng: np.random.Generator | None) -> SMPTurn:
    o = st.options
    n = st.x.shape[0]
    target, tp, tg = best_challenges(st)
    bargains = _bargains(st, target, tp)
    utils = _bargain_utilities(st, bargains)
    probs = _elections(utils, st.c, o)
    chosen = np.zeros(n, dtype=np.intp)
    new = st.x.copy()
    for k in range(n):
        p = probs[k]
        if o.transitions == "Deterministic":
            m = int(np.argmax(np.abs(p)))
        else:
            assert rng is not None
            m = int(rng.choice(len(p), p=p / p.sum()))
        chosen[k] = m
        b = bargains[k][m]
        if b.init != b.rcvr:
            new[k] = b.init_position if b.init == k else b.rcvr_position
    return SMPTurn(
        distance=st.distance,
        neutral=st.neutral,
        neutral_probability=st.neutral_probability,
        risk=st.risk,
        objective=st.objective,
        target=target,
        target_probability=tp,
        target_gain=tg,
        bargains=tuple(tuple(b) for b in bargains),
        bargain_utility=tuple(utils),
        bargain_probability=tuple(probs),
        chosen=chosen,
        positions=new,
    )


def smp_turn(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike,
    *,
    options: SMPOptions | None = None,
    seed: int | np.random.Generator | None = None,
) -> SMPTurn:
    """One turn of the SMP from ``positions`` and ``salience`` ``(actors, issues)`` on KTAB's
    [0, 1] scale and ``capability`` ``(actors,)``: every intermediate quantity (see
    :class:`SMPTurn`). :func:`run_smp` chains turns."""
    o = SMPOptions() if options is None else options
    x, s, c = _checked(positions, salience, capability, o)
    rng = generator(seed) if o.transitions == "Stochastic" else None
    return _turn(_setup(x, s, c, o), rng)


def final_election(st: _State) -> tuple[F, F]:
    """``SMPState::pDist(-1)`` and ``posProb``: each actor's position's chance of winning (equal
    positions share one option) and the chance of each distinct position (rows of ``st.x``,
    NaN for positions that repeat an earlier one)."""
    n = st.x.shape[0]
    tol = st.options.position_tolerance
    gap = np.sqrt(((st.x[:, None, :] - st.x[None, :, :]) ** 2).sum(axis=2))
    unique: list[int] = []
    for a in range(n):
        if not any(gap[a, u] < tol for u in unique):
            unique.append(a)
    p = election(st.own[:, unique], st.c, st.options, rule="Prop")
    per_actor = np.empty(n)
    for a in range(n):
        last = max(m for m, u in enumerate(unique) if gap[a, u] < tol)
        per_actor[a] = p[last]
    per_unique = np.full(n, np.nan)
    per_unique[unique] = p
    return per_actor, per_unique


# ---------------------------------------------------------------------------- the run
@dataclass(frozen=True)
class SMPPath:
    """The states of one SMP run, on the issues' own scales.

    Attributes:
        positions: ``(turns + 1, actors, issues)``: state 0 is the input.
        probability: ``(turns + 1, actors)``: the chance of each actor's position in the state's
            probabilistic Condorcet election (KTAB's "History of actors' winning probabilities";
            actors at one position share it).
        risk: ``(turns + 1, actors)``: the risk attitudes ``R_i`` inferred in each state.
        expected: ``(turns + 1, issues)``: the positions weighted by their chances of winning.
        likely: ``(turns + 1, issues)``: the most likely position.
        options: the options of the run.
    """

    positions: F
    probability: F
    risk: F
    expected: F
    likely: F
    options: SMPOptions = field(default_factory=SMPOptions)

    @property
    def turns(self) -> int:
        return int(self.positions.shape[0]) - 1

    @property
    def path(self) -> F:
        """``(turns + 1, issues)``: the forecast of each state (:attr:`SMPOptions.forecast`)."""
        return self.expected if self.options.forecast == "expected" else self.likely

    @property
    def forecast(self) -> F:
        """``(issues,)``: the forecast of the last state."""
        return np.asarray(self.path[-1])

    def to_dict(self) -> dict[str, Any]:
        return {
            "turns": self.turns,
            "forecast": self.forecast.tolist(),
            "expected": self.expected.tolist(),
            "likely": self.likely.tolist(),
            "positions": self.positions.tolist(),
            "probability": self.probability.tolist(),
            "risk": self.risk.tolist(),
            "options": self.options.to_dict(),
        }


def _checked(
    positions: npt.ArrayLike, salience: npt.ArrayLike, capability: npt.ArrayLike, o: SMPOptions
) -> tuple[F, F, F]:
    x = np.array(positions, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] < 1:
        raise ArgumentError(f"positions: expected an array (actors, issues), got shape {x.shape}")
    s = np.array(salience, dtype=float)
    if s.shape != x.shape:
        raise ArgumentError(f"salience: expected shape {x.shape} (as positions), got {s.shape}")
    c = np.array(capability, dtype=float)
    if c.ndim == 2 and c.shape == x.shape:
        c = c.mean(axis=1)
    if c.shape != (x.shape[0],):
        raise ArgumentError(f"capability: expected shape ({x.shape[0]},), got {c.shape}")
    if not np.isfinite(x).all():
        raise ArgumentError("positions: expected finite numbers")
    if not (np.isfinite(s) & (s >= 0) & (s <= 1)).all():
        raise ArgumentError("salience: expected numbers in [0, 1]")
    if not (np.isfinite(c) & (c >= 0)).all():
        raise ArgumentError("capability: expected finite numbers >= 0")
    total = s.sum(axis=1)
    over = total > 1 + 1e-12
    if over.any():
        if o.salience_total == "reject":
            a = int(np.argmax(over))
            raise ArgumentError(
                f"salience: expected each actor's saliences to total at most 1, "
                f"got {total[a]:g} for actor {a}"
            )
        s = np.where(over[:, None], s / np.where(over, total, 1.0)[:, None], s)
    return x, s, c


def run_smp(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike,
    *,
    bounds: npt.ArrayLike | None = None,
    options: SMPOptions | None = None,
    seed: int | np.random.Generator | None = None,
) -> SMPPath:
    """Run KTAB's Spatial Model of Politics until its stop rule holds.

    Args:
        positions: ``(actors, issues)`` positions on each issue's scale; NaN where an actor takes
            none (it then starts at the capability × salience weighted mean of the others there
            and gives the issue no salience).
        salience: same shape, in [0, 1]; each actor's total at most 1 (KTAB's 100 %; see
            :attr:`SMPOptions.salience_total`).
        capability: ``(actors,)`` (or ``(actors, issues)``: its mean over issues), >= 0.
        bounds: ``(issues, 2)`` each issue's scale ``(low, high)``, mapped to KTAB's [0, 1];
            default 0–100 (KTAB's input scale).
        options: :class:`SMPOptions` (default KTAB's defaults).
        seed: seed of the *Stochastic* state transitions (unused by the default run).

    Returns:
        An :class:`SMPPath` on the issues' scales.

    Raises:
        ArgumentError: a malformed argument (the message names it).

    Examples:
        Two close actors and a strong third on two issues: the two settle together, the third
        gives a little ground, and the forecast weighs the positions by their chances:

        >>> x = [[20.0, 50.0], [30.0, 40.0], [80.0, 90.0]]
        >>> s = [[0.5, 0.3], [0.5, 0.2], [0.6, 0.3]]
        >>> path = run_smp(x, s, [1.0, 1.0, 3.0])
        >>> path.turns, path.positions[-1].round(1).tolist()
        (2, [[29.8, 40.4], [29.8, 40.4], [75.3, 85.6]])
        >>> path.forecast.round(2).tolist()
        [45.66, 56.2]
    """
    o = SMPOptions() if options is None else options
    x = np.array(positions, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ArgumentError(f"positions: expected an array (actors, issues), got shape {x.shape}")
    n, m = x.shape
    lohi = np.tile([0.0, 100.0], (m, 1)) if bounds is None else np.array(bounds, dtype=float)
    if lohi.shape != (m, 2) or not np.all(lohi[:, 1] > lohi[:, 0]):
        raise ArgumentError(f"bounds: expected {m} pairs (low, high) with high > low")
    sal = np.array(salience, dtype=float)
    if sal.shape != x.shape:
        raise ArgumentError(f"salience: expected shape {x.shape} (as positions), got {sal.shape}")
    cap = np.array(capability, dtype=float)
    if cap.ndim == 2 and cap.shape == x.shape:  # per issue: the mean where it takes a position
        taken = ~np.isnan(x)
        count = taken.sum(axis=1)
        cap = np.where(taken, cap, 0.0).sum(axis=1) / np.maximum(count, 1)
    missing = np.isnan(x)
    if missing.any():
        x, sal = _fill_missing(x, sal, np.broadcast_to(np.reshape(cap, (-1, 1)), x.shape), lohi)
    lo, span = lohi[:, 0], lohi[:, 1] - lohi[:, 0]
    xs, s, c = _checked((x - lo) / span, sal, cap, o)
    rng = generator(seed) if o.transitions == "Stochastic" else None
    states = [_setup(xs, s, c, o)]
    history = [xs]
    while True:
        turn = _turn(states[-1], rng)
        history.append(turn.positions)
        states.append(_setup(turn.positions, s, c, o))
        t = len(history) - 1
        d01 = _state_distance(history[0], history[1]) + o.min_sig_delta
        dxy = _state_distance(history[t], history[t - 1])
        if o.max_turns <= t or (o.min_turns <= t and dxy / d01 < o.min_delta_ratio):
            break
    probability = np.empty((len(states), n))
    expected = np.empty((len(states), m))
    likely = np.empty((len(states), m))
    for t, st in enumerate(states):
        per_actor, per_unique = final_election(st)
        probability[t] = per_actor
        ok = ~np.isnan(per_unique)
        expected[t] = (per_unique[ok, None] * st.x[ok]).sum(axis=0)
        likely[t] = st.x[int(np.nanargmax(per_unique))]
    return SMPPath(
        positions=np.stack(history) * span + lo,
        probability=probability,
        risk=np.stack([st.risk for st in states]),
        expected=expected * span + lo,
        likely=likely * span + lo,
        options=o,
    )


def _fill_missing(x: F, s: F, c: F, lohi: F) -> tuple[F, F]:
    """Where an actor takes no position (NaN): the capability × salience weighted mean of the
    others on that issue (the scale's middle if nobody weighs in), with salience 0."""
    missing = np.isnan(x)
    s = np.where(missing, 0.0, s)
    w = np.where(missing | ~np.isfinite(c), 0.0, s * np.where(np.isfinite(c), c, 0.0))
    total = w.sum(axis=0)
    middle = 0.5 * (lohi[:, 0] + lohi[:, 1])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (np.where(missing, 0.0, x) * w).sum(axis=0) / total
    fill = np.where(total > 0, mean, middle)
    return np.where(missing, fill[None, :], x), s


def _state_distance(a: F, b: F) -> float:
    """``SMPModel::stateDist``: the sum over actors of the Euclidean distance moved."""
    return float(np.sqrt(((a - b) ** 2).sum(axis=1)).sum())
