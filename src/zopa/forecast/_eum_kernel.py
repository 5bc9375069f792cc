"""The compiled core of the expected utility model: one issue (one row) at a time, fused.

:func:`zopa.forecast.eum.run_eum` documents the model, its sources and its options; this module
is its inner loop, compiled with Numba (Lam, Pitrou & Seibert 2015, "Numba: a LLVM-based Python
JIT compiler", *Proc. LLVM-HPC*), because a round is n² dyads per issue and Monte Carlo draw and
each dyad goes through a few dozen operations, five of them transcendental: as NumPy array
operations each of those passes over memory on its own, here one row's dyads stay in the cache
and every operation on a dyad follows the last. Rows are independent: :func:`play` releases the
interpreter lock, so threads play disjoint ranges of rows at once, and each row's numbers depend
on that row alone, so the result is the same on any number of threads.

Per row, only the stakeholders that take a position play (``m`` of them, in their listed order,
which decides ties). Invariants the code keeps:

* ``perm`` lists the players by position, ties in listed order (a stable sort); ``xs = x[perm]``
  ascending.
* ``mid[i, j]`` (symmetric) is the number of players strictly left of the midpoint of x_i and
  x_j: the voters who back the left one of the pair are ``perm[:mid]``.
* ``cum[t, j] = Σ_{k < t} w_perm[k] · V[perm[k], j]``: the running vote sums over the voters in
  position order, ``V[k, j]`` voter k's distance to j raised to k's exponent.
* A voter backs the nearer of a pair by the difference of its distances, so the absolute votes
  of all pairs (the global denominator) are the sum of both shares over the pairs.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# offer kinds in the order an actor prefers them (Scholz §6.2); NONE: no offer
CONFLICT, COMPROMISE, CAPITULATION, NONE = 0, 1, 2, 3
# EUMOptions.offers
OFFERS_CODE, OFFERS_LEAST_MOVE, OFFERS_HIGHEST_EU = 0, 1, 2


# ----------------------------------------------------------------------------- exp and log
# The C library's exp and log are calls, which keep a loop from being vectorised, and cost five
# to six times as much per element as these loops, which the compiler turns into SIMD code.
# Both are the classic fdlibm algorithms (Sun Microsystems 1993; e_exp.c, e_log.c), with the
# exponent taken apart through an integer view of the same memory; both are within one unit in
# the last place of the correctly rounded result (tests/forecast/test_eum_kernel.py).
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LOG2E = 1.4426950408889634
_SQRT2 = 1.4142135623730951
_LG1, _LG2, _LG3 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01
_LG4, _LG5 = 2.222219843214978396e-01, 1.818357216161805012e-01
_LG6, _LG7 = 1.531383769920937332e-01, 1.479819860511658591e-01
#: below this the result is taken as 0 (e^-708 ≈ 3e-308, the smallest normal double)
_EXP_FLOOR = -708.0


@njit(cache=True, nogil=True, error_model="numpy")
def exp_into(x, out, bits):
    """``out = exp(x)`` for 1-D ``x <= 709`` (``bits``: int64 scratch of the same length).

    x = k ln2 + r with |r| <= ln2 / 2 (Cody & Waite's two-part ln2), exp(r) by its Taylor
    polynomial to degree 13 (remainder below 2e-16 relative), scaled by 2^k built in the
    exponent bits. Arguments below -708 (and -inf) give 0."""
    scale = bits.view(np.float64)
    for j in range(x.shape[0]):
        v = max(x[j], _EXP_FLOOR)
        k = math.floor(v * _LOG2E + 0.5)
        r = v - k * _LN2_HI - k * _LN2_LO
        p = 1.0 / 6227020800.0
        p = p * r + 1.0 / 479001600.0
        p = p * r + 1.0 / 39916800.0
        p = p * r + 1.0 / 3628800.0
        p = p * r + 1.0 / 362880.0
        p = p * r + 1.0 / 40320.0
        p = p * r + 1.0 / 5040.0
        p = p * r + 1.0 / 720.0
        p = p * r + 1.0 / 120.0
        p = p * r + 1.0 / 24.0
        p = p * r + 1.0 / 6.0
        p = p * r + 0.5
        p = p * r + 1.0
        out[j] = p * r + 1.0
        bits[j] = (np.int64(k) + 1023) << 52
    for j in range(x.shape[0]):
        out[j] = out[j] * scale[j] if x[j] >= _EXP_FLOOR else 0.0


@njit(cache=True, nogil=True, error_model="numpy")
def log_into(x, out, mant):
    """``out = log(x)`` for 1-D finite ``x >= 0`` (0 gives -inf; ``mant``: float scratch).

    x = 2^k m with m in [√2/2, √2), log m from s = (m − 1)/(m + 1) by fdlibm's minimax
    polynomial in s² (error below 2^-58.45), plus k ln2 in two parts. Subnormal x are scaled
    by 2^54 first."""
    mb = mant.view(np.int64)
    for j in range(x.shape[0]):
        v = x[j]
        small = v < 2.2250738585072014e-308
        mant[j] = v * 18014398509481984.0 if small else v
        out[j] = -54.0 if small else 0.0
    for j in range(x.shape[0]):
        b = mb[j]
        mb[j] = (b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000
        out[j] += np.float64((b >> 52) - 1023)
    for j in range(x.shape[0]):
        m = mant[j]
        k = out[j]
        big = m > _SQRT2
        m = m * 0.5 if big else m
        k = k + 1.0 if big else k
        f = m - 1.0
        s = f / (2.0 + f)
        z = s * s
        w = z * z
        t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
        t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
        half = 0.5 * f * f
        v = k * _LN2_HI - ((half - (s * (half + t2 + t1) + k * _LN2_LO)) - f)
        out[j] = v if x[j] > 0.0 else -np.inf


@njit(cache=True, nogil=True, error_model="numpy")
def _median(xa, wa, perm):
    """Lower weighted median of the players (positions ``xa`` sorted by ``perm``; NaN for none)."""
    m = xa.shape[0]
    if m == 0:
        return np.nan
    total = 0.0
    for k in range(m):
        total += wa[perm[k]]
    half = total / 2 * (1 - 1e-12)
    run = 0.0
    for k in range(m):
        run += wa[perm[k]]
        if run >= half:
            return xa[perm[k]]
    return xa[perm[m - 1]]


@njit(cache=True, nogil=True, error_model="numpy")
def _sort(xa, perm):
    """``perm`` = the stable order of ``xa`` (insertion sort: m is small and often sorted)."""
    m = xa.shape[0]
    for k in range(m):
        perm[k] = k
    for k in range(1, m):
        p = perm[k]
        v = xa[p]
        h = k - 1
        while h >= 0 and xa[perm[h]] > v:
            perm[h + 1] = perm[h]
            h -= 1
        perm[h + 1] = p


@njit(cache=True, nogil=True, error_model="numpy")
def _midpoints(xa, perm, mid, xs):
    """``mid[i, j]``: players strictly left of (x_i + x_j) / 2 (``xs``: scratch for the sorted
    positions). A count of comparisons over all players, which the compiler vectorises: on
    fresh data it is faster than a two-pointer merge, whose every exit is a mispredicted jump."""
    m = xa.shape[0]
    for t in range(m):
        xs[t] = xa[perm[t]]
    for i in range(m):
        for j in range(i, m):
            half = (xa[i] + xa[j]) / 2
            count = 0
            for t in range(m):
                count += xs[t] < half
            mid[i, j] = count
            mid[j, i] = count


@njit(cache=True, nogil=True, error_model="numpy")
def _probabilities(xa, wa, perm, mid, dist, logd, r, use_r, pairwise, vals, cum, p, tmp, bits):
    """``p[i, j]``: the probability that i beats j (Scholz et al. eqs. 30–31), with each voter's
    distances raised to its exponent ``r`` when ``use_r`` (``logd``: their logarithms; ``tmp``
    and ``bits``: scratch).

    Each voter backs the one of a pair it is nearer, by the difference of its (raised)
    distances, so a pair's votes for i and for j together are Σ_k w_k |v_ki − v_kj|; the
    global denominator, that sum over every ordered pair, is therefore the sum of both shares
    over the pairs, and needs no pass of its own."""
    m = xa.shape[0]
    # v[k, j] = voter k's distance to j, raised to r_k
    v = dist
    if use_r:
        for k in range(m):
            rk = r[k]
            for j in range(m):
                tmp[k, j] = rk * logd[k, j]
        exp_into(tmp.reshape(m * m), vals.reshape(m * m), bits)
        v = vals
    for j in range(m):
        cum[0, j] = 0.0
    for t in range(m):
        k = perm[t]
        wk = wa[k]
        for j in range(m):
            cum[t + 1, j] = cum[t, j] + wk * v[k, j]
    total = 0.0
    for i in range(m):
        xi = xa[i]
        top_i = cum[m, i]
        p[i, i] = 0.0
        tmp[i, i] = 0.0
        for j in range(i + 1, m):
            t = mid[i, j]
            low_j = cum[t, j]
            low_i = cum[t, i]
            # left of the midpoint: Σ w_k (v_kj − v_ki); right of it: Σ w_k (v_ki − v_kj). When
            # x_i < x_j the left voters back i, when x_i > x_j the right ones; where x_i = x_j
            # columns i and j of cum are equal and both are exactly 0. For (j, i) both change
            # sign exactly. tmp: the opponent's share (for the pairwise denominator).
            left = low_j - low_i
            right = (top_i - low_i) - (cum[m, j] - low_j)
            above = xi > xa[j]
            below = xa[j] > xi
            p[i, j] = max(-right if above else left, 0.0)
            tmp[i, j] = max(-left if above else right, 0.0)
            p[j, i] = max(right if below else -left, 0.0)
            tmp[j, i] = max(left if below else -right, 0.0)
            total += p[i, j] + tmp[i, j]
    total *= 2  # (i, j) and (j, i)
    if pairwise:
        for i in range(m):
            for j in range(m):
                den = p[i, j] + tmp[i, j]
                p[i, j] = p[i, j] / den if den > 0 else 0.0
    else:
        scale = 1 / total if total > 0 else 0.0
        for i in range(m):
            for j in range(m):
                p[i, j] *= scale


@njit(cache=True, nogil=True, error_model="numpy")
def _status_quo(xa, dist, span, mu, q, i, j, ri):
    """``(1 − Q)(T U_b + (1 − T) U_w)`` of eq. 25 for E^i(U_ij), priced with exponent ``ri``."""
    gap = abs(xa[i] - mu)
    both = gap / span + dist[i, j]
    if gap < abs(xa[i] - xa[j]):
        return (1 - q) * (2 - 4 * max(0.5 - 0.25 * both, 0.0) ** ri)
    return (1 - q) * (2 - 4 * (0.5 + 0.25 * both) ** ri)


@njit(cache=True, nogil=True, error_model="numpy")
def _powers(base_log, r, out, tmp, bits):
    """``out[i, j] = 2 − 4 exp(r_i · base_log[i, j])``: U_s or U_f priced with r_i."""
    m = r.shape[0]
    for i in range(m):
        ri = r[i]
        for j in range(m):
            tmp[i, j] = ri * base_log[i, j]
    exp_into(tmp.reshape(m * m), out.reshape(m * m), bits)
    for i in range(m):
        for j in range(m):
            out[i, j] = 2 - 4 * out[i, j]


@njit(cache=True, nogil=True, error_model="numpy")
def _round(
    xa,
    sa,
    wa,
    span,
    q,
    pairwise,
    vote_risk,
    mover,
    by_challengers,
    offers,
    conflict,
    capitulation,
    perm,
    mid,
    dist,
    logd,
    ls,
    lf,
    us,
    uf,
    vals,
    cum,
    p1,
    p2,
    e,
    r,
    ones,
    out,
    tmp,
    tmp2,
    bits,
    bb,
    kinds,
    keys,
):
    """One round on one row's players: new positions into ``out``, exponents into ``r``."""
    m = xa.shape[0]
    if m < 2:  # nobody to challenge: nobody moves, every exponent stays 1
        for i in range(m):
            out[i] = xa[i]
            r[i] = 1.0
        return
    mm = m * m
    _sort(xa, perm)
    _midpoints(xa, perm, mid, out)
    for i in range(m):
        for j in range(m):
            dist[i, j] = abs(xa[i] - xa[j]) / span
    # the logarithms every exponent of the round shares: log d, log(0.5 − 0.5 d), log(0.5 + 0.5 d)
    flat = dist.reshape(mm)
    scratch = tmp.reshape(mm)
    if vote_risk:
        log_into(flat, logd.reshape(mm), scratch)
    for h in range(mm):
        scratch[h] = max(0.5 - 0.5 * flat[h], 0.0)
    log_into(scratch, ls.reshape(mm), tmp2.reshape(mm))
    for h in range(mm):
        scratch[h] = 0.5 + 0.5 * flat[h]
    log_into(scratch, lf.reshape(mm), tmp2.reshape(mm))
    mu = _median(xa, wa, perm) if q < 1 else 0.0
    # first pass, every r = 1 (linear utilities): security and risk exponents
    _probabilities(xa, wa, perm, mid, dist, logd, ones, False, pairwise, vals, cum, p1, tmp, bits)
    # Option switches sit outside the loops (each loop has one straight body the compiler can
    # vectorise). tmp[i, j] = E^i(U_ij) with linear utilities, 2d (1 − 2 s_j (1 − P)), 0 where
    # x_i = x_j; the security S of eq. 34 is its column sums (challengers) or row sums.
    for i in range(m):
        for j in range(m):
            tmp[i, j] = (1 - (1 - p1[i, j]) * (2 * sa[j])) * (2 * dist[i, j])
    if q < 1:
        for i in range(m):
            for j in range(m):
                tmp[i, j] -= _status_quo(xa, dist, span, mu, q, i, j, 1.0)
    for i in range(m):
        for j in range(m):
            tmp[i, j] = tmp[i, j] if xa[i] != xa[j] else 0.0
    if by_challengers:
        for j in range(m):
            r[j] = 0.0
        for i in range(m):
            for j in range(m):
                r[j] += tmp[i, j]
    else:
        for i in range(m):
            acc = 0.0
            for j in range(m):
                acc += tmp[i, j]
            r[i] = acc
    hi = -np.inf
    lo = np.inf
    for i in range(m):
        hi = max(hi, r[i])
        lo = min(lo, r[i])
    width = hi - lo
    for i in range(m):
        big = (2 * r[i] - hi - lo) / width if width > 0 else 0.0
        r[i] = (1 - big / 3) / (1 + big / 3)
    # second pass with the r_i
    p = p1
    if vote_risk:
        _probabilities(xa, wa, perm, mid, dist, logd, r, True, pairwise, vals, cum, p2, tmp, bits)
        p = p2
    # U_s and U_f priced with r_i; e[i, j] = E^i(U_ij). With the mover's perspective b[i, j] =
    # E^j(U_ji) priced with r_i shares them (distances are symmetric) and is computed in the
    # loop of the moves below.
    _powers(ls, r, us, tmp, bits)
    _powers(lf, r, uf, tmp, bits)
    for i in range(m):
        ri = r[i]
        quo = q * (2 - 4 * 0.5**ri)
        for j in range(m):
            s_, f_ = us[i, j], uf[i, j]
            e[i, j] = (p[i, j] * s_ + (1 - p[i, j]) * f_) * sa[j] + (1 - sa[j]) * s_ - quo
    if q < 1:
        for i in range(m):
            for j in range(m):
                e[i, j] -= _status_quo(xa, dist, span, mu, q, i, j, r[i])
    # the moves: each mover i takes its best offer among the dyads (i, j), all at once
    for i in range(m):
        ri = r[i]
        xi = xa[i]
        # bb[j] = E^j(U_ji) as the mover sees it
        if mover:
            quo = q * (2 - 4 * 0.5**ri)
            si = sa[i]
            for j in range(m):
                s_, f_ = us[i, j], uf[i, j]
                bb[j] = (p[j, i] * s_ + (1 - p[j, i]) * f_) * si + (1 - si) * s_ - quo
            if q < 1:
                for j in range(m):
                    bb[j] -= _status_quo(xa, dist, span, mu, q, j, i, ri)
        else:
            for j in range(m):
                bb[j] = e[j, i]
        # each dyad's kind: they exclude each other (conflict a > 0; compromise and capitulation
        # a < 0 < b, with b > −a or b <= −a)
        best_kind = NONE
        for j in range(m):
            a = e[i, j]
            bj = bb[j]
            valid = xi != xa[j]
            # & rather than `and`: no short-circuit jumps
            confront = conflict & valid & (a > 0) & (bj > a) & (bj > 0)
            opposite = valid & (a < 0) & (bj > 0)
            comp = opposite & (bj > -a)
            cap = capitulation & opposite & (bj <= -a)
            kind = (
                CONFLICT if confront else (COMPROMISE if comp else (CAPITULATION if cap else NONE))
            )
            kinds[j] = kind
            best_kind = min(best_kind, kind)
        if best_kind == NONE:
            out[i] = xi
            continue
        # the key that ranks offers of one kind; a conflict or a capitulation moves to x_j
        if offers == OFFERS_HIGHEST_EU:
            for j in range(m):
                keys[j] = -bb[j]
        elif offers == OFFERS_LEAST_MOVE:
            for j in range(m):
                step = abs(xi + (xa[j] - xi) * (-e[i, j] / bb[j]) - xi)
                keys[j] = step if kinds[j] == COMPROMISE else abs(xi - xa[j])
        else:
            for j in range(m):
                a = e[i, j]
                pull = (-a * xi + bb[j] * xa[j]) / (-a + bb[j])
                keys[j] = pull if kinds[j] == COMPROMISE else abs(xi - xa[j])
        # lexicographic: kind first, then the key; ties to the stakeholder listed first
        pick = -1
        best_key = np.inf
        for j in range(m):
            if kinds[j] == best_kind and (pick < 0 or keys[j] < best_key):
                pick, best_key = j, keys[j]
        if best_kind == COMPROMISE:
            out[i] = xi + (xa[pick] - xi) * (-e[i, pick] / bb[pick])
        else:
            out[i] = xa[pick]


#: float64 and int64 scratch one row needs, in units of n² (plus the vectors, in units of n)
_FLOAT_SQUARES, _INT_SQUARES, _FLOAT_VECTORS, _INT_VECTORS = 16, 2, 12, 3


@njit(cache=True, nogil=True, error_model="numpy")
def play(
    x0,
    s0,
    c0,
    rounds,
    q,
    pairwise,
    vote_risk,
    mover,
    by_challengers,
    offers,
    conflict,
    capitulation,
    initial_scale,
    record,
    med,
    mean,
    pos,
    risk,
    start,
    stop,
):
    """Play ``rounds`` rounds on rows ``start:stop`` of ``x0`` (rows × stakeholders, NaN: no
    position); fills those columns of ``med`` and ``mean`` (rounds + 1, rows) and, when
    ``record``, of ``pos`` (rounds + 1, rows, stakeholders) and ``risk`` (rounds, rows,
    stakeholders).

    The scratch is allocated once for all the rows (a fresh allocation per row costs page
    faults, as much as a fifth of a round). The interpreter lock is released, so threads can
    play disjoint row ranges at once; a row's numbers depend on that row alone."""
    n = x0.shape[1]
    floats = np.empty(_FLOAT_SQUARES * n * n + _FLOAT_VECTORS * (n + 1))
    ints = np.empty(_INT_SQUARES * n * n + _INT_VECTORS * n, dtype=np.int64)
    for row in range(start, stop):
        _play_row(
            x0[row],
            s0[row],
            c0[row],
            rounds,
            q,
            pairwise,
            vote_risk,
            mover,
            by_challengers,
            offers,
            conflict,
            capitulation,
            initial_scale,
            record,
            med,
            mean,
            pos,
            risk,
            row,
            floats,
            ints,
        )


@njit(cache=True, nogil=True, error_model="numpy")
def _play_row(
    x0,
    s0,
    c0,
    rounds,
    q,
    pairwise,
    vote_risk,
    mover,
    by_challengers,
    offers,
    conflict,
    capitulation,
    initial_scale,
    record,
    med,
    mean,
    pos,
    risk,
    row,
    floats,
    ints,
):
    """Every round of one row (see :func:`play`), its scratch carved from ``floats`` and
    ``ints``."""
    n = x0.shape[0]
    players = ints[:n]
    m = 0
    for k in range(n):
        if not np.isnan(x0[k]):
            players[m] = k
            m += 1
    mm = m * m
    at = 0

    def square(start):
        return floats[start : start + mm].reshape((m, m))

    xa, sa, wa = floats[0:m], floats[m : 2 * m], floats[2 * m : 3 * m]
    r, ones, out = floats[3 * m : 4 * m], floats[4 * m : 5 * m], floats[5 * m : 6 * m]
    bb, keys = floats[6 * m : 7 * m], floats[7 * m : 8 * m]
    at = 12 * (n + 1)
    dist, logd, ls, lf = square(at), square(at + mm), square(at + 2 * mm), square(at + 3 * mm)
    us, uf, vals, p1 = (
        square(at + 4 * mm),
        square(at + 5 * mm),
        square(at + 6 * mm),
        square(at + 7 * mm),
    )
    p2, e, tmp, tmp2 = (
        square(at + 8 * mm),
        square(at + 9 * mm),
        square(at + 10 * mm),
        square(at + 11 * mm),
    )
    cum = floats[at + 12 * mm : at + 12 * mm + (m + 1) * m].reshape((m + 1, m))
    perm, kinds = ints[n : n + m], ints[2 * n : 2 * n + m]
    base = 3 * n
    mid = ints[base : base + mm].reshape((m, m))
    bits = ints[base + mm : base + 2 * mm]
    for a in range(m):
        k = players[a]
        xa[a] = x0[k]
        sa[a] = s0[k]
        wa[a] = c0[k] * s0[k]
        ones[a] = 1.0
    span0 = _span(xa)
    for t in range(rounds + 1):
        if t > 0:
            span = span0 if initial_scale else _span(xa)
            _round(
                xa,
                sa,
                wa,
                span,
                q,
                pairwise,
                vote_risk,
                mover,
                by_challengers,
                offers,
                conflict,
                capitulation,
                perm,
                mid,
                dist,
                logd,
                ls,
                lf,
                us,
                uf,
                vals,
                cum,
                p1,
                p2,
                e,
                r,
                ones,
                out,
                tmp,
                tmp2,
                bits,
                bb,
                kinds,
                keys,
            )
            xa[:] = out
        total = 0.0
        weighted = 0.0
        for a in range(m):
            total += wa[a]
            weighted += wa[a] * xa[a]
        if total > 0:
            _sort(xa, perm)
            med[t, row] = _median(xa, wa, perm)
            mean[t, row] = weighted / total
        else:
            med[t, row] = np.nan
            mean[t, row] = np.nan
        if record:
            for k in range(n):
                pos[t, row, k] = np.nan
                if t > 0:
                    risk[t - 1, row, k] = np.nan
            for a in range(m):
                pos[t, row, players[a]] = xa[a]
                if t > 0:
                    risk[t - 1, row, players[a]] = r[a]


@njit(cache=True, nogil=True, error_model="numpy")
def _span(xa):
    """The range of the players' positions (1 when it is empty or 0)."""
    m = xa.shape[0]
    if m == 0:
        return 1.0
    hi = xa.max()
    lo = xa.min()
    return hi - lo if hi - lo > 0 else 1.0


@njit(cache=True, error_model="numpy")
def win_probabilities_row(xa, wa, r, use_r, span, pairwise):
    """``P[i, j]`` for one row of players (see :func:`zopa.forecast.eum.win_probabilities`)."""
    m = xa.shape[0]
    perm = np.empty(m, dtype=np.int64)
    mid = np.empty((m, m), dtype=np.int64)
    dist = np.empty((m, m))
    logd = np.empty((m, m))
    tmp = np.empty((m, m))
    _sort(xa, perm)
    _midpoints(xa, perm, mid, np.empty(m))
    for i in range(m):
        for j in range(m):
            dist[i, j] = abs(xa[i] - xa[j]) / span
    log_into(dist.reshape(m * m), logd.reshape(m * m), tmp.reshape(m * m))
    p = np.empty((m, m))
    bits = np.empty(m * m, dtype=np.int64)
    vals = np.empty((m, m))
    cum = np.empty((m + 1, m))
    _probabilities(xa, wa, perm, mid, dist, logd, r, use_r, pairwise, vals, cum, p, tmp, bits)
    return p
