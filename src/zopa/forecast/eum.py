"""Bueno de Mesquita's expected utility model, as unravelled by Scholz, Calbert & Smith (2011).

The model (Bueno de Mesquita 1985, "The war trap revisited", *American Political Science Review*
79:156–177; 1994, "Political forecasting: an expected utility method", in Bueno de Mesquita &
Stokman (eds.), *European Community Decision Making*, Yale University Press, pp. 71–104) as
specified step by step by Scholz, Calbert & Smith (2011), "Unravelling Bueno De Mesquita's group
decision model", *J. Theoretical Politics* 23(4):510–531 (equation numbers below are theirs).
Each issue is played separately; per round (Scholz's Appendix, steps 2–13):

1. Every risk exponent r_i = 1; the median μ is the Condorcet winner among the positions.
2. Basic utilities, distances divided by the range ``R`` (eqs. 15, 16, 22–24):
   ``U_s = 2 − 4(0.5 − 0.5 d_ij)^r``, ``U_f = 2 − 4(0.5 + 0.5 d_ij)^r``,
   ``U_b / U_w = 2 − 4(0.5 ∓ 0.25 (d_iμ + d_ij))^r``, ``U_sq = 2 − 4 · 0.5^r``.
3. Probability that i beats j, from everyone's votes ``a_k = u_k(x_i) − u_k(x_j)`` weighted by
   capability × salience (eqs. 30–31): ``P_ij = Σ_k w_k max(a_k, 0) / denominator``.
4. Expected utility of i challenging j (eqs. 5–7, 25): ``E^i(U_ij) = s_j (P_ij U_s + (1 − P_ij)
   U_f) + (1 − s_j) U_s − Q U_sq − (1 − Q)(T U_b + (1 − T) U_w)``, T = 1 iff
   ``|x_i − μ| < |x_i − x_j|``.
5. Security ``S_i`` = the sum of what the others expect from challenging i; risk
   ``R_i = (2 S_i − max S − min S) / (max S − min S)`` and ``r_i = (1 − R_i/3) / (1 + R_i/3)``
   (eqs. 32–34, the 1985 form); steps 2–4 again with these r_i.
6. Each ordered pair is classified by ``(a, b) = (E^i(U_ij), E^j(U_ji))`` (Scholz fig. 6), from
   the point of view of the actor who would move: *conflict* (a, b > 0: the one with the lower EU
   moves to the other's position), *compromise* (opposite signs, the positive side larger: the
   loser moves part way, ``|a/b| (x_j − x_i)``, eqs. 35–36), *capitulation* (opposite signs, the
   negative side larger: the loser moves all the way), *stalemate* (a, b < 0: nobody moves).
7. Each actor accepts one of the offers it received (conflict before compromise before
   capitulation, §6.2) and all move at once; the round's forecast is the median (and the mean).

Scholz et al. leave several things open; each is a field of :class:`EUMOptions`, and the defaults
are the reading that reproduces their Table 2 most closely (see ``docs/theory/forecast-eum.md``
for what matches and what does not). The readings marked "code" follow jmckib's Python
replication (GitHub ``jmckib/bdm-scholz-expected-utility-model``, ``bdm_scholz_model.py``), whose
comments say they are faithful to Scholz's own code; that is second-hand.

Each issue of each Monte Carlo draw is a row, played by a compiled kernel
(:mod:`zopa.forecast._eum_kernel`, Numba) one row at a time with all its dyads in the cache; rows
run on one thread per core. The vote sums of step 3 cost O(n²) per issue rather than the O(n³) of
the definition: the voters on either side of a pair's midpoint are a run of the sorted positions,
so each sum is a difference of running sums. What both passes of a round and both perspectives of
a dyad share (distances, sorted voters, midpoint counts, each voter's players by distance, the
logarithms and exponentials of U_s and U_f) is computed once. The NumPy implementation this
replaced is kept as the oracle (``tests/forecast/eum_reference.py``; the numbers agree to 1e-9,
not to the last bit); ``docs/theory/forecast-eum.md`` gives the speed.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays
from zopa.model.errors import ArgumentError

__all__ = ["EUMOptions", "EUMPath", "run_eum", "win_probabilities"]

F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]


@dataclass(frozen=True, kw_only=True)
class EUMOptions:
    """Every interpretation choice of the expected utility model, with its default.

    Attributes:
        q: probability that the status quo holds when i does not challenge (eq. 7). Scholz used
            1.0 to reproduce Bueno de Mesquita (1994) and noted 0.5 "produces very different
            results"; BdM & Lalman (1986) used 0.5. With 1.0 the median and T play no part.
        probability: denominator of P_ij (eq. 31). ``"global"`` (default): the sum of
            ``w_k |a_k|`` over every voter *and every pair of actors*, as jmckib reports
            Scholz's code does (P_ij + P_ji < 1, tiny probabilities); ``"pairwise"``: the sum
            over voters for this pair only, as printed (P_ij + P_ji = 1).
        vote_risk: whether the votes of step 3 use each voter's risk exponent,
            ``a_k = d_kj^r_k − d_ki^r_k`` (default ``True``, the code reading) or plain distances
            (``False``, eq. 30 with the linear utility of eq. 14).
        perspective: whose risk exponent prices the challenger's utilities. ``"mover"``
            (default, the code reading): the actor deciding whether to move evaluates both
            directions of the dyad with its own r; ``"challenger"``: every E^i(U_ij) uses r_i.
        security: ``"challengers"`` (default): S_i = Σ_j E^j(U_ji), what the others expect from
            challenging i (Scholz §5 prose); ``"challenges"``: S_i = Σ_j E^i(U_ij). (The printed
            superscript of eq. 34, E^i(U_ji), equals the first: security is computed in the
            first pass, where every r = 1.)
        offers: how an actor picks among the offers of its best kind (conflict, then
            compromise, then capitulation). ``"code"`` (default): the least move for conflict and
            capitulation, and for compromise the lowest ``(|a| x_i + |b| x_j) / (|a| + |b|)``
            (jmckib: Scholz's code); ``"least-move"``: the least move for all kinds (Scholz
            §6.2 text); ``"highest-eu"``: the proposer with the highest expected utility
            (concede to the most enforceable offer, BdM 1997 as quoted by Scholz).
        conflict: ``"loser-moves"`` (default): in a conflict the actor with the lower expected
            utility moves to the other's position (fig. 6, confrontation octants); ``"none"``:
            conflict has an uncertain outcome and nobody moves.
        capitulation: whether the capitulation octants (opposite signs, the negative side larger)
            move the loser all the way (default ``True``, fig. 6). jmckib's code never fires it;
            on the EC case it changes nothing.
        scale: the range R that divides distances: ``"initial"`` (default): max − min of the
            positions before round 1, fixed; ``"round"``: of the current positions.
    """

    q: float = 1.0
    probability: Literal["global", "pairwise"] = "global"
    vote_risk: bool = True
    perspective: Literal["mover", "challenger"] = "mover"
    security: Literal["challengers", "challenges"] = "challengers"
    offers: Literal["code", "least-move", "highest-eu"] = "code"
    conflict: Literal["loser-moves", "none"] = "loser-moves"
    capitulation: bool = True
    scale: Literal["initial", "round"] = "initial"

    def __post_init__(self) -> None:
        if not (isinstance(self.q, int | float) and 0 <= self.q <= 1):
            raise ArgumentError(f"q: expected a number in [0, 1], got {self.q}")
        choices: dict[str, tuple[object, ...]] = {
            "probability": ("global", "pairwise"),
            "vote_risk": (True, False),
            "perspective": ("mover", "challenger"),
            "security": ("challengers", "challenges"),
            "offers": ("code", "least-move", "highest-eu"),
            "conflict": ("loser-moves", "none"),
            "capitulation": (True, False),
            "scale": ("initial", "round"),
        }
        for name, allowed in choices.items():
            value = getattr(self, name)
            if value not in allowed:
                shown = ", ".join(repr(a) for a in allowed)
                raise ArgumentError(f"{name}: expected one of {shown}, got {value!r}")

    @classmethod
    def as_printed(cls) -> EUMOptions:
        """The reading of Scholz et al.'s printed equations: pairwise probabilities with linear
        votes, each challenger's own risk exponent, the least move."""
        return cls(
            probability="pairwise", vote_risk=False, perspective="challenger", offers="least-move"
        )


@dataclass(frozen=True)
class EUMPath:
    """The rounds of the expected utility model.

    Attributes:
        median: ``(rounds + 1, ..., issues)``: the weighted median before round 1 and after each
            round (the model's forecast is the last row).
        mean: same shape: the capability × salience weighted mean.
        positions: ``(rounds + 1, ..., stakeholders, issues)``, or ``None`` when not recorded.
        risk: ``(rounds, ..., stakeholders, issues)``: each round's risk exponents r_i (NaN
            where a stakeholder takes no position), or ``None`` when not recorded.
        options: the interpretation used.
    """

    median: F
    mean: F
    positions: F | None
    risk: F | None
    options: EUMOptions = field(default_factory=EUMOptions)

    @property
    def rounds(self) -> int:
        return int(self.median.shape[0]) - 1

    @property
    def forecast(self) -> F:
        """The median after the last round, ``(..., issues)``."""
        return np.asarray(self.median[-1])

    def to_dict(self) -> dict[str, Any]:
        """``{"rounds", "forecast", "median", "mean", "options"}`` with per-issue lists (round 0
        first); positions and risk are left out."""
        return {
            "rounds": self.rounds,
            "forecast": _clean(self.forecast),
            "median": _clean(np.moveaxis(self.median, 0, -1)),
            "mean": _clean(np.moveaxis(self.mean, 0, -1)),
            "options": asdict(self.options),
        }


def _clean(a: Any) -> Any:
    """Nested lists of floats, ``None`` for NaN."""
    if np.ndim(a) == 0:
        return None if np.isnan(a) else float(a)
    return [_clean(v) for v in a]


def run_eum(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike | None = None,
    *,
    rounds: int = 8,
    options: EUMOptions | None = None,
    record: bool = True,
) -> EUMPath:
    """Play ``rounds`` rounds of the expected utility model on every issue.

    Args:
        positions: ``(..., stakeholders, issues)`` (or ``(stakeholders,)``), NaN where a
            stakeholder takes no position (it takes no part in that issue).
        salience: same shape, in [0, 1].
        capability: same shape or ``(..., stakeholders)``; default 1.
        rounds: number of rounds, >= 0 (Scholz's Table 2 shows 8).
        options: the interpretation (:class:`EUMOptions`; default its defaults).
        record: keep every round's positions and risk exponents (off for Monte Carlo).

    The model is deterministic: ties between equally good offers go to the stakeholder listed
    first.

    Examples:
        The EC emission-standards case (Bueno de Mesquita 1994; Scholz et al. 2011, Table 1):

        >>> x = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
        >>> c = [.08, .08, .03, .16, .16, .16, .16, .05, .05, .08]
        >>> s = [.8, .4, .2, .8, .6, .6, .9, .1, 1, .7]
        >>> path = run_eum(x, s, c, rounds=8)
        >>> [round(float(m), 2) for m in path.median[:, 0]]
        [7.0, 8.42, 9.61, 9.96, 9.96, 9.96, 7.47, 8.82, 9.67]
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 0:
        raise ArgumentError(f"rounds: expected an integer >= 0, got {rounds}")
    opts = EUMOptions() if options is None else options
    x, s, c = as_arrays(positions, salience, capability)
    lead, (n, m) = x.shape[:-2], x.shape[-2:]
    # one row per (batch..., issue): (B, n)
    xb = np.ascontiguousarray(np.moveaxis(x, -1, -2).reshape(-1, n))
    sb = np.ascontiguousarray(np.moveaxis(s, -1, -2).reshape(-1, n))
    cb = np.ascontiguousarray(np.moveaxis(c, -1, -2).reshape(-1, n))
    total = xb.shape[0]
    med = np.empty((rounds + 1, total))
    mean = np.empty((rounds + 1, total))
    pos = np.empty((rounds + 1, total, n) if record else (0, 0, 0))
    risk = np.empty((rounds, total, n) if record else (0, 0, 0))
    kernel = _kernel()
    flags = (
        int(rounds),
        float(opts.q),
        opts.probability == "pairwise",
        opts.vote_risk,
        opts.perspective == "mover",
        opts.security == "challengers",
        _OFFERS[opts.offers],
        opts.conflict == "loser-moves",
        opts.capitulation,
        opts.scale == "initial",
        record,
    )

    def play(span: tuple[int, int]) -> None:
        kernel.play(xb, sb, cb, *flags, med, mean, pos, risk, *span)

    # Disjoint row ranges on threads (the kernel releases the interpreter lock); each row's
    # numbers depend on that row alone, so the split changes nothing.
    threads = _threads(total * n * n * max(rounds, 1))
    if threads == 1:
        play((0, total))
    else:
        cuts = np.linspace(0, total, 4 * threads + 1).astype(int)
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(play, zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)))

    def issues_last(a: F, extra: tuple[int, ...]) -> F:
        shaped = a.reshape(a.shape[0], *lead, m, *extra)
        return np.moveaxis(shaped, -1, -2) if extra else shaped

    return EUMPath(
        median=issues_last(med, ()),
        mean=issues_last(mean, ()),
        positions=issues_last(pos, (n,)) if record else None,
        risk=issues_last(risk, (n,)) if record else None,
        options=opts,
    )


#: EUMOptions.offers as the kernel's codes
_OFFERS = {"code": 0, "least-move": 1, "highest-eu": 2}

#: Dyad-rounds below which one thread plays them all (a thread costs more than it saves).
THREAD_WORK = 2_000_000


def _threads(work: int) -> int:
    """Threads for ``work`` dyad-rounds: one per usable core (``ZOPA_THREADS`` overrides), and
    one for small jobs."""
    setting = os.environ.get("ZOPA_THREADS", "")
    if setting.strip():
        try:
            wanted = int(setting)
        except ValueError:
            raise ArgumentError(
                f"ZOPA_THREADS: expected a whole number >= 1, got {setting!r}"
            ) from None
        if wanted < 1:
            raise ArgumentError(f"ZOPA_THREADS: expected a whole number >= 1, got {setting!r}")
        return wanted
    if work < THREAD_WORK:
        return 1
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


def _kernel() -> Any:
    """The compiled kernel, imported on first use (Numba takes a moment to import and, on the
    very first run, to compile; ``zopa --help`` and the other models never pay for it)."""
    from zopa.forecast import _eum_kernel

    return _eum_kernel


def win_probabilities(
    x: F, w: F, r: F | None, span: F, *, pairwise: bool, active: B | None = None
) -> F:
    """``P[b, i, j]``: the probability that i beats j (Scholz eqs. 30–31), for rows of positions.

    Voter k backs i against j with ``a_k = (|x_k − x_j|/R)^r_k − (|x_k − x_i|/R)^r_k`` votes
    weighted by ``w_k``; ``P_ij`` is the weighted positive votes over the denominator: the
    absolute votes of this pair (``pairwise``) or of every ordered pair of actors. Voters that
    back i are those on i's side of the midpoint of x_i and x_j, a run of the sorted positions,
    so each sum is a difference of prefix sums: O(n²) per row instead of O(n³).

    Args:
        x, w: ``(batch, n)`` positions and weights (capability × salience, 0 for absent actors).
        r: ``(batch, n)`` the voters' exponents, or ``None`` for 1.
        span: ``(batch,)`` the range R.
        pairwise: the denominator (see :class:`EUMOptions`).
        active: ``(batch, n)`` who takes part (default everyone); 0 for pairs with an absent actor.
    """
    x = np.asarray(x, dtype=float)
    nb, n = x.shape
    act = np.ones((nb, n), dtype=bool) if active is None else np.asarray(active, dtype=bool)
    kernel = _kernel()
    out = np.zeros((nb, n, n))
    for b in range(nb):
        idx = np.flatnonzero(act[b])
        rb = np.ones(idx.size) if r is None else np.asarray(r, dtype=float)[b, idx]
        p = kernel.win_probabilities_row(
            np.ascontiguousarray(x[b, idx]),
            np.ascontiguousarray(np.asarray(w, dtype=float)[b, idx]),
            np.ascontiguousarray(rb),
            r is not None,
            float(span[b]),
            pairwise,
        )
        out[b][np.ix_(idx, idx)] = p
    return out
