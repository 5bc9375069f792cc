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

The implementation is vectorised over any batch of issues and Monte Carlo draws: all dyads of one
round are arrays ``(batch, n, n)``, and the vote sums of step 3 cost O(n² log n) per issue (the
voters on either side of a pair's midpoint are a prefix of the sorted positions) rather than the
O(n³) of the definition, which the tests keep as an oracle. What both passes of a round and both
perspectives of a dyad share (distances, sorted voters, midpoint counts, the logarithms and
exponentials of U_s and U_f) is computed once, in the same floating-point operations as before, so
the numbers are those of the plain implementation bit for bit (``tests/forecast/eum_reference.py``
keeps it as the oracle; ``docs/theory/forecast-eum.md`` gives the speed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays
from zopa.model.errors import ArgumentError

__all__ = ["EUMOptions", "EUMPath", "run_eum", "win_probabilities"]

F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]
Ix = npt.NDArray[np.signedinteger[Any]]

#: Largest number of dyad entries (batch × n × n) one chunk holds at once (about 0.2 MB per
#: array, so a round's temporaries stay in the second-level cache: measured 1.5 times faster than
#: 0.8 MB chunks, and 2 times faster than 1.6 MB).
CHUNK_ENTRIES = 25_000

#: The midpoint search compares positions rescaled to [0, 1] and offset by 4 × the row's place in
#: a chunk of this many entries: the rounding of zopa's first implementation (one search over
#: each chunk of 100,000 entries), kept so that results are the same whatever CHUNK_ENTRIES is.
LEGACY_ENTRIES = 100_000


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
    xb = np.moveaxis(x, -1, -2).reshape(-1, n)
    sb = np.moveaxis(s, -1, -2).reshape(-1, n)
    cb = np.moveaxis(c, -1, -2).reshape(-1, n)
    total = xb.shape[0]
    med = np.empty((rounds + 1, total))
    mean = np.empty((rounds + 1, total))
    pos = np.empty((rounds + 1, total, n)) if record else None
    risk = np.empty((rounds, total, n)) if record else None
    step = max(1, CHUNK_ENTRIES // max(1, n * n))
    cycle = max(1, LEGACY_ENTRIES // max(1, n * n))
    for lo in range(0, total, step):
        hi = min(total, lo + step)
        rows = np.arange(lo, hi) % cycle
        out = _play(xb[lo:hi], sb[lo:hi], cb[lo:hi], rounds, opts, record, rows)
        med[:, lo:hi], mean[:, lo:hi] = out[0], out[1]
        if pos is not None and risk is not None:
            pos[:, lo:hi], risk[:, lo:hi] = out[2], out[3]

    def issues_last(a: F, extra: tuple[int, ...]) -> F:
        shaped = a.reshape(a.shape[0], *lead, m, *extra)
        return np.moveaxis(shaped, -1, -2) if extra else shaped

    return EUMPath(
        median=issues_last(med, ()),
        mean=issues_last(mean, ()),
        positions=None if pos is None else issues_last(pos, (n,)),
        risk=None if risk is None else issues_last(risk, (n,)),
        options=opts,
    )


# ---------------------------------------------------------------------------- one batch
def _play(
    x0: F, s: F, c: F, rounds: int, o: EUMOptions, record: bool, rows: npt.NDArray[np.int_]
) -> tuple[F, F, F | None, F | None]:
    active = ~np.isnan(x0)
    x = np.where(active, x0, 0.0)
    s = np.where(active, s, 0.0)
    w = np.where(active, c * s, 0.0)
    nb, n = x.shape
    med = np.empty((rounds + 1, nb))
    mean = np.empty((rounds + 1, nb))
    pos = np.empty((rounds + 1, nb, n)) if record else None
    risk = np.empty((rounds, nb, n)) if record else None
    initial = _span(x, active)
    everyone = bool(active.all())
    pair = None if everyone else active[:, :, None] & active[:, None, :] & ~np.eye(n, dtype=bool)
    fixed = _Fixed(active)
    med[0], mean[0] = _summary(x, w, active)
    if pos is not None:
        pos[0] = np.where(active, x, np.nan)
    pairwise = o.probability == "pairwise"
    for t in range(rounds):
        span = initial if o.scale == "initial" else _span(x, active)
        mu = _median(x, w, active) if o.q < 1 else None
        g = _Geometry(x, span, fixed, rows)
        # pairs of active actors at different positions (with everyone active, x_i != x_j says it)
        same = g.lower | g.upper if pair is None else pair & (g.lower | g.upper)
        # first pass, r = 1 (linear utilities): security and risk exponents
        p1 = g.probabilities(w, None, pairwise=pairwise, active=active)
        e1 = _expected_linear(g, s, p1, mu, o.q)
        np.multiply(e1, same, out=e1)
        sec = e1.sum(axis=1) if o.security == "challengers" else e1.sum(axis=2)
        r = _risk_exponents(sec, active)
        # second pass with the r_i
        p2 = g.probabilities(w, r, pairwise=pairwise, active=active) if o.vote_risk else p1
        a, b = _expected_pair(g, s, r, p2, mu, o.q, mover=o.perspective == "mover")
        x = _moves(x, a, b, same, o, g)
        med[t + 1], mean[t + 1] = _summary(x, w, active)
        if pos is not None and risk is not None:
            pos[t + 1] = np.where(active, x, np.nan)
            risk[t] = np.where(active, r, np.nan)
    return med, mean, pos, risk


def _span(x: F, active: B) -> F:
    hi = np.where(active, x, -np.inf).max(axis=1)
    lo = np.where(active, x, np.inf).min(axis=1)
    span = hi - lo
    return np.where(np.isfinite(span) & (span > 0), span, 1.0)


def _summary(x: F, w: F, active: B) -> tuple[F, F]:
    total = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(total > 0, (w * x).sum(axis=1) / total, np.nan)
    med = _median(x, w, active)
    return np.where(total > 0, med, np.nan), mean


def _median(x: F, w: F, active: B) -> F:
    """Lower weighted median per row (the Condorcet winner among the positions)."""
    filled = np.where(active, x, np.inf)
    order = np.argsort(filled, axis=1, kind="stable")
    xs = np.take_along_axis(filled, order, axis=1)
    cw = np.cumsum(np.take_along_axis(w, order, axis=1), axis=1)
    half = cw[:, -1:] / 2
    k = np.argmax(cw >= half * (1 - 1e-12), axis=1)
    return np.asarray(np.take_along_axis(xs, k[:, None], axis=1)[:, 0])


class _Fixed:
    """What stays the same in every round of one batch: who is active, the coefficients of the
    global vote sum, and the index arithmetic of the midpoint search."""

    def __init__(self, active: B) -> None:
        nb, n = active.shape
        self.active = active
        self.everyone = bool(active.all())
        count = active.sum(axis=1)[:, None, None]
        idx = np.arange(n)[None, None, :]
        # weight of the k-th smallest of m values in Σ_{i, j} |v_i − v_j| (see _all_votes)
        self.coef = np.where(idx < count, 2 * idx - count + 1, 0).astype(np.float64)
        # the branch-free binary search runs over rows padded with +inf to a power of two > n
        self.width = 1 << int(n).bit_length()
        # indices as intp: take() converts any other integer type first (ten times slower)
        self.itype: np.dtype[np.signedinteger[Any]] = np.dtype(np.intp)
        rows = np.arange(nb, dtype=self.itype)[:, None, None]
        self.base: Ix = rows * self.width
        # flat index of cum[b, t, j] (cum: (nb, n + 1, n)) is (b (n + 1) + t) n + j, and the
        # search returns b · width + t
        self.shift: Ix = rows * ((n + 1 - self.width) * n) + np.arange(n, dtype=self.itype)


class _Geometry:
    """What one round's positions fix for both passes: distances, the voters in sorted order and,
    per pair, how many voters lie left of its midpoint."""

    def __init__(
        self, x: F, span: F, fixed: _Fixed | None = None, rows: npt.NDArray[np.int_] | None = None
    ) -> None:
        nb, n = x.shape
        fx = _Fixed(np.ones_like(x, dtype=bool)) if fixed is None else fixed
        self.fixed = fx
        self.x = x
        self.span = span
        xi, xj = x[:, :, None], x[:, None, :]
        gap = np.subtract(xi, xj)
        np.abs(gap, out=gap)
        self.gap = gap  # |x_i − x_j|
        self.dist = gap / span[:, None, None]
        self.order = np.argsort(x, axis=1, kind="stable")
        xs = np.take_along_axis(x, self.order, axis=1)
        # voter k (sorted) to actor j (original order)
        self.voter_dist = self.dist[np.arange(nb)[:, None], self.order]
        # The voters left of the midpoint of (i, j): a count over the sorted positions, rescaled
        # to [0, 1] and offset by 4 × the row's place in its chunk, as zopa's first
        # implementation compared them (one search over a whole chunk, rows kept apart by the
        # offsets): the same rounding, so the same counts at near-ties.
        lo = xs[:, :1]
        width = np.maximum(xs[:, -1:] - lo, 1e-300)
        offset = 4.0 * (np.arange(nb) if rows is None else rows)[:, None]
        padded = np.full((nb, fx.width), np.inf)
        padded[:, :n] = (xs - lo) / width + offset
        flat = padded.ravel()
        query = np.add(xi, xj)
        query /= 2
        query -= lo[:, :, None]
        query /= width[:, :, None]
        query += offset[:, :, None]
        # branch-free lower bound: the number of padded values < query, per row
        at: Ix = np.array(np.broadcast_to(fx.base, query.shape))
        probe = np.empty(query.shape, dtype=fx.itype)
        below = np.empty(query.shape, dtype=bool)
        step = fx.width // 2
        while step:
            np.add(at, step - 1, out=probe)
            np.less(flat.take(probe), query, out=below)
            at += np.multiply(below, step, dtype=fx.itype)
            step //= 2
        at *= n
        at += fx.shift
        self.take = at  # flat index into cum (nb, n + 1, n) of [b, t_ij, j]
        self.lower = x[:, :, None] < x[:, None, :]
        self.upper = np.ascontiguousarray(np.swapaxes(self.lower, 1, 2))  # x_i > x_j
        self._logs: tuple[F, F] | None = None

    def logs(self) -> tuple[F, F]:
        """``log(0.5 − 0.5 d)`` and ``log(0.5 + 0.5 d)``, shared by every exponent."""
        if self._logs is None:
            half = 0.5 * self.dist
            low = np.subtract(0.5, half)
            np.maximum(low, 0, out=low)
            np.add(0.5, half, out=half)
            with np.errstate(divide="ignore"):
                np.log(low, out=low)
            np.log(half, out=half)
            self._logs = (low, half)
        return self._logs

    def probabilities(self, w: F, r: F | None, *, pairwise: bool, active: B) -> F:
        nb, n = self.x.shape
        ws = np.take_along_axis(w, self.order, axis=1)
        d = self.voter_dist
        if r is not None:
            d = d ** np.take_along_axis(r, self.order, axis=1)[:, :, None]
        cum = np.empty((nb, n + 1, n))
        cum[:, 0, :] = 0.0
        part = ws[:, :, None] * d
        np.cumsum(part, axis=1, out=cum[:, 1:, :])
        low_j = cum.ravel().take(self.take)  # L[b, i, j] = Σ_{k < t_ij} w_k D_kj
        low_i = np.swapaxes(low_j, 1, 2)  # t is symmetric: L[b, j, i] = Σ_{k < t_ij} w_k D_ki
        high_j = np.subtract(cum[:, n, None, :], low_j)  # H[b, i, j] = Σ_{k >= t_ij} w_k D_kj
        # left of the midpoint: Σ w_k (D_kj − D_ki) = L_ij − L_ji; right of it: Σ w_k (D_ki − D_kj)
        # = H_ji − H_ij. When x_i < x_j the left voters back i and the right ones j; when
        # x_i > x_j the other way.
        left = low_j - low_i
        right = np.subtract(np.swapaxes(high_j, 1, 2), high_j)
        # Where x_i = x_j, columns i and j of cum are equal, so left and right are exactly 0
        # and need no mask of their own.
        np.negative(right, out=part)
        support = np.where(self.upper, part, left)
        np.maximum(support, 0, out=support)
        if pairwise:
            np.negative(left, out=part)
            oppose = np.where(self.upper, part, right)
            np.maximum(oppose, 0, out=oppose)
            den = support + oppose
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, support / np.where(den > 0, den, 1.0), 0.0)
        act = np.take_along_axis(active, self.order, axis=1)
        total = _all_votes(d, ws, act, active, self.fixed)
        ok = total > 0
        np.divide(support, np.where(ok, total, 1.0)[:, None, None], out=support)
        support[~ok] = 0.0
        return support


def win_probabilities(
    x: F, w: F, r: F | None, span: F, *, pairwise: bool, active: B | None = None
) -> F:
    """``P[b, i, j]``: the probability that i beats j (Scholz eqs. 30–31), for rows of positions.

    Voter k backs i against j with ``a_k = (|x_k − x_j|/R)^r_k − (|x_k − x_i|/R)^r_k`` votes
    weighted by ``w_k``; ``P_ij`` is the weighted positive votes over the denominator: the
    absolute votes of this pair (``pairwise``) or of every ordered pair of actors. Voters that
    back i are those on i's side of the midpoint of x_i and x_j, a run of the sorted positions,
    so each sum is a difference of prefix sums: O(n² log n) per row instead of O(n³).

    Args:
        x, w: ``(batch, n)`` positions and weights (capability × salience, 0 for absent actors).
        r: ``(batch, n)`` the voters' exponents, or ``None`` for 1.
        span: ``(batch,)`` the range R.
        pairwise: the denominator (see :class:`EUMOptions`).
        active: ``(batch, n)`` who takes part (default everyone).
    """
    act = np.ones_like(x, dtype=bool) if active is None else active
    return _Geometry(x, span, _Fixed(act)).probabilities(w, r, pairwise=pairwise, active=act)


def _all_votes(d: F, ws: F, act_sorted: B, active: B, fixed: _Fixed) -> F:
    """Σ_k w_k Σ_{i, j} |D_ki − D_kj| over the ordered pairs of active actors, per row
    (``d`` and ``ws`` with voters sorted, actors in their order): with a voter's m values
    sorted, the k-th smallest (from 0) counts ``2k − m + 1`` times."""
    if fixed.everyone:
        vals = np.sort(d, axis=2)
    else:
        vals = np.sort(np.where(active[:, None, :], d, np.nan), axis=2)  # absent actors last
        np.nan_to_num(vals, copy=False)
    vals *= fixed.coef
    per_voter = 2 * vals.sum(axis=2)
    return np.asarray((np.where(act_sorted, ws, 0.0) * per_voter).sum(axis=1))


def _expected_linear(g: _Geometry, s: F, p: F, mu: F | None, q: float) -> F:
    """``E[b, i, j]`` = E^i(U_ij) (eq. 25) with every r = 1, where the utilities are linear:
    U_s = 2d, U_f = −2d, U_sq = 0: ``s_j (P 2d − (1 − P) 2d) + (1 − s_j) 2d``."""
    e = np.subtract(1, p)
    e *= 2 * s[:, None, :]
    np.subtract(1, e, out=e)
    e *= 2 * g.dist
    if q < 1:
        assert mu is not None
        e -= _status_quo(g, None, mu, q)
    return e


def _expected_pair(
    g: _Geometry, s: F, r: F, p: F, mu: F | None, q: float, *, mover: bool
) -> tuple[F, F]:
    """``(a, b)``: a[b, i, j] = E^i(U_ij) priced with r_i (eq. 25); b[b, i, j] = E^j(U_ji) as the
    mover i sees it: priced with r_i (``mover``) or with r_j.

    Priced with r_i, both directions of a dyad share U_s and U_f (distances are symmetric), so
    each exponential is taken once: b is a with s and P read the other way round."""
    log_s, log_f = g.logs()
    ri = r[:, :, None]
    success = ri * log_s
    np.exp(success, out=success)
    success *= 4
    np.subtract(2, success, out=success)
    failure = ri * log_f
    np.exp(failure, out=failure)
    failure *= 4
    np.subtract(2, failure, out=failure)
    quo = q * (2 - 4 * 0.5**ri)

    def combine(sj: F, pp: F, qp: F) -> F:
        # sj (P U_s + (1 − P) U_f) + (1 − s_j) U_s − Q U_sq
        e = pp * success
        e += qp * failure
        e *= sj
        e += (1 - sj) * success
        e -= quo
        return e

    miss = np.subtract(1, p)
    a = combine(s[:, None, :], p, miss)
    if q < 1:
        assert mu is not None
        a -= _status_quo(g, ri, mu, q)
    if not mover:
        return a, np.swapaxes(a, 1, 2)
    b = combine(s[:, :, None], np.swapaxes(p, 1, 2), np.swapaxes(miss, 1, 2))
    if q < 1:
        assert mu is not None
        b -= np.swapaxes(_status_quo(g, r[:, None, :], mu, q), 1, 2)
    return a, b


def _status_quo(g: _Geometry, r: F | None, mu: F, q: float) -> F:
    """``(1 − Q)(T U_b + (1 − T) U_w)`` of eq. 25 for E^i(U_ij), exponent ``r`` broadcast to
    ``(batch, n, n)`` (``None``: 1)."""
    dist = g.dist
    x = g.x
    gap = np.abs(x - mu[:, None])[:, :, None]
    dmu = gap / g.span[:, None, None]
    exponent = 1.0 if r is None else r
    better = 2 - 4 * (0.5 - 0.25 * (dmu + dist)).clip(min=0) ** exponent
    worse = 2 - 4 * (0.5 + 0.25 * (dmu + dist)) ** exponent
    closer = gap < g.gap
    return np.asarray((1 - q) * np.where(closer, better, worse))


def _risk_exponents(sec: F, active: B) -> F:
    hi = np.where(active, sec, -np.inf).max(axis=1, keepdims=True)
    lo = np.where(active, sec, np.inf).min(axis=1, keepdims=True)
    width = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        big_r = np.where(width > 0, (2 * sec - hi - lo) / np.where(width > 0, width, 1.0), 0.0)
    big_r = np.where(active, big_r, 0.0)
    return np.asarray((1 - big_r / 3) / (1 + big_r / 3))


#: Offer kinds in the order an actor prefers them (Scholz §6.2); NONE means no offer.
CONFLICT, COMPROMISE, CAPITULATION, NONE = 0, 1, 2, 3


def _moves(x: F, a: F, b: F, valid: B, o: EUMOptions, g: _Geometry) -> F:
    """New positions: each mover i takes its best offer among the dyads (i, j)."""
    nb, n = x.shape
    xi, xj = x[:, :, None], x[:, None, :]
    # the kinds exclude each other (conflict: a > 0; compromise, capitulation: a < 0, b > −a or
    # b <= −a), so kind = NONE − 3 [conflict] − 2 [compromise] − [capitulation]
    kind = np.full(a.shape, NONE, dtype=np.int8)
    bpos = b > 0
    if o.conflict == "loser-moves":
        conflict = a > 0
        conflict &= b > a
        conflict &= bpos
        conflict &= valid
        kind -= conflict.view(np.int8) * np.int8(NONE - CONFLICT)
    opposite = a < 0
    opposite &= bpos
    opposite &= valid
    nega = np.negative(a)
    comp = b > nega
    comp &= opposite
    kind -= comp.view(np.int8) * np.int8(NONE - COMPROMISE)
    if o.capitulation:
        cap = b <= nega
        cap &= opposite
        kind -= cap.view(np.int8) * np.int8(NONE - CAPITULATION)
    # the secondary key among offers of one kind; a conflict or a capitulation moves to x_j
    if o.offers == "highest-eu":
        second = np.negative(b)
    else:
        if o.offers == "least-move":
            with np.errstate(invalid="ignore", divide="ignore"):
                ratio = nega / np.where(comp, b, 1.0)
            step = xi + (xj - xi) * ratio
            step -= xi
            np.abs(step, out=step)
            second = np.where(comp, step, g.gap)  # g.gap: |x_j − x_i|
        else:
            # on a compromise a < 0 < b: (|a| x_i + |b| x_j) / (|a| + |b|)
            with np.errstate(invalid="ignore", divide="ignore"):
                key = nega * xi
                key += b * xj
                key /= nega + b
            second = np.where(comp, key, g.gap)
    # lexicographic: kind first, then the secondary key; ties to the first stakeholder
    best_kind = kind.min(axis=2)
    score = np.where(kind == best_kind[:, :, None], second, np.inf)
    pick = np.argmin(score, axis=2)
    rows = np.arange(nb)[:, None]
    movers = np.arange(n)[None, :]
    xp = x[rows, pick]
    chosen = xp
    compromise = best_kind == COMPROMISE
    if compromise.any():
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio_p = nega[rows, movers, pick] / np.where(compromise, b[rows, movers, pick], 1.0)
            chosen = np.where(compromise, x + (xp - x) * ratio_p, xp)
    return np.where(best_kind < NONE, chosen, x)
