"""The expected utility model as zopa implemented it before the speed work of issue 9: the oracle.

A verbatim copy of ``src/zopa/forecast/eum.py``'s ``run_eum`` and its helpers at commit 4581f00
(only this docstring and the import lines differ, and the doctest example is left out).
``test_eum_speed.py`` checks that the optimised implementation gives the same numbers. Not imported
by zopa.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from zopa.forecast._common import as_arrays
from zopa.forecast.eum import EUMOptions, EUMPath
from zopa.model.errors import ArgumentError

F = npt.NDArray[np.float64]
B = npt.NDArray[np.bool_]

CHUNK_ENTRIES = 100_000


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
    for lo in range(0, total, step):
        hi = min(total, lo + step)
        out = _play(xb[lo:hi], sb[lo:hi], cb[lo:hi], rounds, opts, record)
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
    x0: F, s: F, c: F, rounds: int, o: EUMOptions, record: bool
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
    pair = active[:, :, None] & active[:, None, :] & ~np.eye(n, dtype=bool)
    med[0], mean[0] = _summary(x, w, active)
    if pos is not None:
        pos[0] = np.where(active, x, np.nan)
    pairwise = o.probability == "pairwise"
    for t in range(rounds):
        span = initial if o.scale == "initial" else _span(x, active)
        mu = _median(x, w, active)
        same = pair & (x[:, :, None] != x[:, None, :])
        g = _Geometry(x, span)
        # first pass, r = 1 (linear utilities): security and risk exponents
        p1 = g.probabilities(w, None, pairwise=pairwise, active=active)
        e1 = _expected(g, s, None, p1, mu, o.q) * same
        sec = e1.sum(axis=1) if o.security == "challengers" else e1.sum(axis=2)
        r = _risk_exponents(sec, active)
        # second pass with the r_i
        p2 = g.probabilities(w, r if o.vote_risk else None, pairwise=pairwise, active=active)
        own = _expected(g, s, r[:, :, None], p2, mu, o.q)
        # a[i, j]: the mover i's EU of challenging j; b[i, j]: j's EU of challenging i, as i sees it
        a = own
        if o.perspective == "mover":
            b = np.swapaxes(_expected(g, s, r[:, None, :], p2, mu, o.q), 1, 2)
        else:
            b = np.swapaxes(own, 1, 2)
        x = _moves(x, a, b, same, o)
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


class _Geometry:
    """What one round's positions fix for both passes: distances, the voters in sorted order and,
    per pair, how many voters lie left of its midpoint."""

    def __init__(self, x: F, span: F) -> None:
        nb, n = x.shape
        self.x = x
        self.span = span
        self.dist = np.abs(x[:, :, None] - x[:, None, :]) / span[:, None, None]
        self.order = np.argsort(x, axis=1, kind="stable")
        xs = np.take_along_axis(x, self.order, axis=1)
        # voter k (sorted) to actor j (original order)
        self.voter_dist = np.take_along_axis(self.dist, self.order[:, :, None], axis=1)
        lo = xs[:, :1]
        width = np.maximum(xs[:, -1:] - lo, 1e-300)
        offset = 4.0 * np.arange(nb)[:, None]
        flat = ((xs - lo) / width + offset).ravel()
        mid = (x[:, :, None] + x[:, None, :]) / 2
        query = (mid - lo[:, :, None]) / width[:, :, None] + offset[:, :, None]
        t = np.searchsorted(flat, query.ravel(), side="left").reshape(nb, n, n)
        self.split = np.clip(t - n * np.arange(nb)[:, None, None], 0, n)
        self.lower = x[:, :, None] < x[:, None, :]
        self.upper = x[:, :, None] > x[:, None, :]
        self._logs: tuple[F, F] | None = None

    def logs(self) -> tuple[F, F]:
        """``log(0.5 − 0.5 d)`` and ``log(0.5 + 0.5 d)``, shared by every exponent."""
        if self._logs is None:
            with np.errstate(divide="ignore"):
                self._logs = (
                    np.log((0.5 - 0.5 * self.dist).clip(min=0)),
                    np.log(0.5 + 0.5 * self.dist),
                )
        return self._logs

    def probabilities(self, w: F, r: F | None, *, pairwise: bool, active: B) -> F:
        nb, n = self.x.shape
        ws = np.take_along_axis(w, self.order, axis=1)
        d = self.voter_dist
        if r is not None:
            d = d ** np.take_along_axis(r, self.order, axis=1)[:, :, None]
        cum = np.zeros((nb, n + 1, n))
        np.cumsum(ws[:, :, None] * d, axis=1, out=cum[:, 1:, :])
        left_j = np.take_along_axis(cum, self.split, axis=1)  # [b, i, j] = Σ_{k < t_ij} w_k D_kj
        left_i = np.swapaxes(left_j, 1, 2)  # t is symmetric: Σ_{k < t_ij} w_k D_ki
        tot = cum[:, n, :]
        # left of the midpoint: Σ w_k (D_kj − D_ki); right of it: Σ w_k (D_ki − D_kj). When
        # x_i < x_j the left voters back i and the right ones j; when x_i > x_j the other way.
        left = left_j - left_i
        right = (tot[:, :, None] - left_i) - (tot[:, None, :] - left_j)
        support = np.where(self.lower, left, np.where(self.upper, -right, 0.0)).clip(min=0)
        if pairwise:
            oppose = np.where(self.lower, right, np.where(self.upper, -left, 0.0)).clip(min=0)
            den = support + oppose
        else:
            act = np.take_along_axis(active, self.order, axis=1)
            den = np.broadcast_to(_all_votes(d, ws, act, active)[:, None, None], support.shape)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, support / np.where(den > 0, den, 1.0), 0.0)


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
    return _Geometry(x, span).probabilities(w, r, pairwise=pairwise, active=act)


def _all_votes(d: F, ws: F, act_sorted: B, active: B) -> F:
    """Σ_k w_k Σ_{i, j} |D_ki − D_kj| over the ordered pairs of active actors, per row
    (``d`` and ``ws`` with voters sorted, actors in their order)."""
    vals = np.sort(np.where(active[:, None, :], d, np.nan), axis=2)  # absent actors last
    count = active.sum(axis=1)[:, None, None]
    idx = np.arange(d.shape[2])[None, None, :]
    coef = np.where(idx < count, 2 * idx - count + 1, 0)
    per_voter = 2 * (np.nan_to_num(vals) * coef).sum(axis=2)
    return np.asarray((np.where(act_sorted, ws, 0.0) * per_voter).sum(axis=1))


def _expected(g: _Geometry, s: F, r: F | None, p: F, mu: F, q: float) -> F:
    """``E[b, i, j]`` = E^i(U_ij) (eq. 25) with exponent ``r`` broadcast to ``(batch, n, n)``
    (``None``: every r = 1, where the utilities are linear: U_s = 2d, U_f = −2d, U_sq = 0)."""
    dist = g.dist
    sj = s[:, None, :]
    if r is None:
        # s_j (P 2d − (1 − P) 2d) + (1 − s_j) 2d
        e = 2 * dist * (1 - 2 * sj * (1 - p))
    else:
        log_s, log_f = g.logs()
        success = 2 - 4 * np.exp(r * log_s)
        failure = 2 - 4 * np.exp(r * log_f)
        quo = 2 - 4 * 0.5**r
        e = sj * (p * success + (1 - p) * failure) + (1 - sj) * success - q * quo
    if q < 1:
        x = g.x
        gap = np.abs(x - mu[:, None])[:, :, None]
        dmu = gap / g.span[:, None, None]
        exponent = 1.0 if r is None else r
        better = 2 - 4 * (0.5 - 0.25 * (dmu + dist)).clip(min=0) ** exponent
        worse = 2 - 4 * (0.5 + 0.25 * (dmu + dist)) ** exponent
        closer = gap < np.abs(x[:, :, None] - x[:, None, :])
        e = e - (1 - q) * np.where(closer, better, worse)
    return np.asarray(e)


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


def _moves(x: F, a: F, b: F, valid: B, o: EUMOptions) -> F:
    """New positions: each mover i takes its best offer among the dyads (i, j)."""
    xi, xj = x[:, :, None], x[:, None, :]
    kind = np.full(a.shape, NONE)
    target = np.broadcast_to(xi, a.shape).copy()
    conflict = valid & (a > 0) & (b > 0) & (b > a)
    if o.conflict == "loser-moves":
        kind = np.where(conflict, CONFLICT, kind)
        target = np.where(conflict, np.broadcast_to(xj, a.shape), target)
    opposite = valid & (b > 0) & (a < 0)
    comp = opposite & (b > -a)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(comp, -a / np.where(comp, b, 1.0), 0.0)
    kind = np.where(comp, COMPROMISE, kind)
    target = np.where(comp, xi + (xj - xi) * ratio, target)
    if o.capitulation:
        cap = opposite & (b <= -a)
        kind = np.where(cap, CAPITULATION, kind)
        target = np.where(cap, np.broadcast_to(xj, a.shape), target)
    move = np.abs(target - xi)
    if o.offers == "least-move":
        second = move
    elif o.offers == "highest-eu":
        second = -b
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            key = (np.abs(a) * xi + np.abs(b) * xj) / (np.abs(a) + np.abs(b))
        second = np.where(kind == COMPROMISE, key, move)
    # lexicographic: kind first, then the secondary key; ties to the first stakeholder
    score = np.where(kind == NONE, np.inf, second)
    best_kind = kind.min(axis=2, keepdims=True)
    score = np.where(kind == best_kind, score, np.inf)
    pick = np.argmin(score, axis=2)
    chosen = np.take_along_axis(target, pick[:, :, None], axis=2)[:, :, 0]
    has = best_kind[:, :, 0] < NONE
    return np.where(has, chosen, x)
