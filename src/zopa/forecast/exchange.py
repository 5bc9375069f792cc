"""Stokman & Van Oosten's exchange model of voting positions, Equal Gain form.

Stakeholders trade positions: an actor who cares little about issue *p* but much about *q* moves
its position on *p* toward a partner who feels the opposite way, and the partner moves on *q* in
return; both gain in expected outcome utility, and in the Equal Gain form the two gains are equal.
Exchanges are executed best first, every exchange that shares an actor-issue with an executed one
is recomputed, and the round's forecast is the compromise (capability × salience weighted mean) of
the moved, *voting* positions.

References:
    Stokman, F. N. & Van Oosten, R. (1994). "The exchange of voting positions: an object-oriented
    model of policy networks." In Bueno de Mesquita & Stokman (eds.), *European Community Decision
    Making*, Yale University Press, pp. 105–127.

    The Equal Gain computation, the outcome guard, the validity rules, the execution order and the
    multi-round start positions follow decide-exchange-model 2025.3.1 (Van Dijk, Stokman et al.;
    https://github.com/foarsitter/decide-exchange-model), read as described step by step in the
    project's forecasting reference (section 1.6); this module is written from that description,
    not from decide's code.

The model, per round (``x`` positions, ``s`` salience, ``c`` capability, ``O`` the compromise):

1. ``O_d = Σ_i c_id s_id x_id / Σ_i c_id s_id``; an actor is *left* on ``d`` when ``x_id <= O_d``.
2. For each pair of issues ``(p, q)`` in order, actors on opposite sides of both outcomes may
   trade: the one with the relatively lower salience on ``p`` supplies (moves) on ``p`` and
   demands on ``q``; the partner the reverse.
3. The supplier on ``p`` would move all the way to the partner's position, shifting the outcome
   by ``ΔO_p = |x_ip − x_jp| c_jp s_jp / Σ_k c_kp s_kp``; equal gains fix
   ``ΔO_q = ΔO_p (s_ip + s_jp) / (s_iq + s_jq)`` and the partner's move
   ``ΔO_q Σ_k c_kq s_kq / (c_iq s_iq)``. If that move is longer than the distance to the other
   actor, the roles swap (the partner moves fully on ``q``). Both gain
   ``|ΔO_p s_ip − ΔO_q s_iq|``.
4. A move may not push the outcome past the demanding actor's own position; it is then cut so the
   outcome lands on that position and the partner's move is recomputed.
5. Moves must stay in the scale, be longer than 1e-10, and keep the direction of that actor's
   earlier moves on the issue in the round; gains below 1e-10 are void.
6. The exchange with the largest gain is executed; every exchange sharing a supplying actor-issue
   with it starts from the moved position, every exchange whose demanding actor-issue it served
   records the move; those are recomputed and the invalid ones dropped, until none is left.
7. The round's forecast is ``O`` over the voting positions. Actors who traded start the next round
   from ``x' = (1 − w) x + w y`` with ``w = (1 − s)·salience_weight + fixed_weight``.

Interpretation choices (each a keyword argument with the default that reproduces decide):

- ``ties``: ``"order"`` (default) executes, among equal best gains, the exchange that comes first
  in decide's list order (issue pairs in issue order, then actor pairs in stakeholder order, the
  list re-sorted stably by gain after every execution); ``"random"`` picks one of the tied
  exchanges uniformly with ``seed``. decide itself breaks ties by a coin flip between the first
  two; its published reference numbers were measured with that switched off.
- ``tie_tolerance``: gains closer than this count as equal (decide computes in 28-digit decimals
  and ties at 1e-20; floats need a tolerance).
- ``normalise``: positions are mapped to 0–100 per issue (decide's internal scale) from
  ``bounds``; results are mapped back.
- ``salience_weight`` and ``fixed_weight``: decide's start-position update, 0.4 and 0.1.
- Lower-salience test ``s_ip/s_iq < s_jp/s_jq`` is evaluated as ``s_ip s_jq < s_jp s_iq`` so a
  salience of 0 does not divide by zero (decide fails there).
- A stakeholder without a position on an issue (NaN) takes no part in it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError
from zopa.model.random import generator

if TYPE_CHECKING:
    from zopa.model.scenario import Scenario

__all__ = [
    "ExchangeForecast",
    "ExchangeOptions",
    "Trade",
    "forecast_exchange",
    "forecast_exchange_for",
]

Array = npt.NDArray[np.float64]
TieRule = Literal["order", "random"]
Arithmetic = Literal["float", "decimal"]
ArithmeticChoice = Literal["auto", "float", "decimal"]

#: Gains and moves at or below this are void (decide's threshold).
VOID = 1e-10

#: In float arithmetic, an outcome this close to a demanding actor's position (on the 0–100
#: scale) counts as on it: earlier cuts leave outcomes exactly there, and float noise must not
#: decide whether the next move passes it.
AT_TARGET = 1e-9


@dataclass(frozen=True, kw_only=True)
class ExchangeOptions:
    """How :func:`zopa.forecast.forecast` runs the exchange model, each choice with its default.

    Attributes:
        arithmetic: ``"auto"`` (default): ``"decimal"`` (decide's 28-digit arithmetic, which
            reproduces decide round by round) when stakeholders × issues is at most
            ``exact_limit``, else ``"float"`` (decimals take about 2 s for 20 × 10 and minutes
            for 50 × 20; floats part from decide only where two gains tie to the 28th digit);
            or ``"float"`` / ``"decimal"`` always. Monte Carlo draws always use floats.
        exact_limit: the size up to which ``"auto"`` computes in decimals (default 100:
            copenhagen's 11 × 7 and the flagship's 7 × 7 are exact).
        draws: how many of the Monte Carlo draws (the first ones) run the exchange model:
            default 100, as each draw is a full run (about 45 ms on copenhagen with 8 rounds,
            12 ms on the flagship); ``None`` runs every draw; 0 gives no interval.
        ties, tie_tolerance, salience_weight, fixed_weight: :func:`forecast_exchange`'s
            arguments of the same name (random ties are seeded with the forecast's seed).
    """

    arithmetic: ArithmeticChoice = "auto"
    exact_limit: int = 100
    draws: int | None = 100
    ties: TieRule = "order"
    tie_tolerance: float = 1e-12
    salience_weight: float = 0.4
    fixed_weight: float = 0.1

    def __post_init__(self) -> None:
        if self.arithmetic not in ("auto", "float", "decimal"):
            raise ArgumentError(
                f'arithmetic: expected "auto", "float" or "decimal", got {self.arithmetic!r}'
            )
        if self.ties not in ("order", "random"):
            raise ArgumentError(f'ties: expected "order" or "random", got {self.ties!r}')
        for name in ("exact_limit", "draws"):
            value = getattr(self, name)
            if name == "draws" and value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ArgumentError(f"{name}: expected an integer >= 0, got {value!r}")
        for name in ("tie_tolerance", "salience_weight", "fixed_weight"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ArgumentError(f"{name}: expected a number >= 0, got {value!r}")

    def resolve(self, stakeholders: int, issues: int) -> Arithmetic:
        """The arithmetic of the point forecast for a problem of this size."""
        if self.arithmetic != "auto":
            return self.arithmetic
        return "decimal" if stakeholders * issues <= self.exact_limit else "float"

    def run_options(self) -> dict[str, Any]:
        """:func:`forecast_exchange`'s keyword arguments but ``arithmetic`` and ``seed``."""
        return {
            "ties": self.ties,
            "tie_tolerance": self.tie_tolerance,
            "salience_weight": self.salience_weight,
            "fixed_weight": self.fixed_weight,
        }


@dataclass(frozen=True)
class Trade:
    """One executed exchange: two actors, each supplying (moving) on one issue.

    Attributes:
        round: 0-based round.
        gain: each actor's (equal) gain in expected utility.
        actors: the two stakeholders (row indices), in decide's ``i, j`` order.
        issues: the issue each of them supplies on (column indices).
        start: each supplier's position on its supply issue before the exchange.
        voting: each supplier's voting position after it.
    """

    round: int
    gain: float
    actors: tuple[int, int]
    issues: tuple[int, int]
    start: tuple[float, float]
    voting: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        return {
            "round": self.round,
            "gain": self.gain,
            "actors": list(self.actors),
            "issues": list(self.issues),
            "start": list(self.start),
            "voting": list(self.voting),
        }


@dataclass(frozen=True)
class ExchangeForecast:
    """What the exchange model forecasts, round by round.

    Attributes:
        compromise: per issue, the compromise outcome before any exchange.
        outcomes: array ``(rounds, issues)``: the compromise over the voting positions after each
            round's exchanges.
        voting: array ``(rounds, stakeholders, issues)`` of voting positions.
        start: array ``(rounds + 1, stakeholders, issues)`` of the positions each round starts
            from (the last row is where a further round would start).
        trades: every executed exchange, in execution order.
    """

    compromise: Array
    outcomes: Array
    voting: Array
    start: Array
    trades: tuple[Trade, ...]

    @property
    def forecast(self) -> Array:
        """Per issue, the outcome after the last round (the compromise if no round ran)."""
        return self.outcomes[-1] if len(self.outcomes) else self.compromise

    def to_dict(self) -> dict[str, Any]:
        return {
            "compromise": self.compromise.tolist(),
            "forecast": self.forecast.tolist(),
            "outcomes": self.outcomes.tolist(),
            "trades": [t.to_dict() for t in self.trades],
        }


def forecast_exchange(
    positions: npt.ArrayLike,
    salience: npt.ArrayLike,
    capability: npt.ArrayLike,
    *,
    rounds: int = 10,
    bounds: npt.ArrayLike | None = None,
    ties: TieRule = "order",
    tie_tolerance: float = 1e-12,
    arithmetic: Arithmetic = "float",
    seed: int | np.random.Generator | None = None,
    salience_weight: float = 0.4,
    fixed_weight: float = 0.1,
) -> ExchangeForecast:
    """Run the Equal Gain exchange model (Stokman & Van Oosten 1994) for ``rounds`` rounds.

    Positions are mapped to 0–100 per issue from ``bounds`` (decide's internal scale), the rounds
    run there, and every result is mapped back to the issue's own scale.

    Args:
        positions: array ``(stakeholders, issues)`` of positions, NaN where a stakeholder takes
            none. Rows are the stakeholders in the order sums are taken.
        salience: same shape, saliences in [0, 1].
        capability: same shape, capabilities >= 0.
        rounds: number of rounds (>= 0).
        bounds: array ``(issues, 2)`` of each issue's scale ``(low, high)``; default: 0–100.
        ties: ``"order"`` (deterministic: decide's list order) or ``"random"`` (seeded).
        tie_tolerance: in ``"float"`` arithmetic, gains closer than this are ties.
        arithmetic: ``"float"`` (default, fast) or ``"decimal"``: every quantity a 28-digit
            :class:`decimal.Decimal` computed in decide's order of operations, so that exchanges
            whose gains are mathematically equal are ordered by the same rounding as in decide
            (see the module docstring); the inputs are taken at their shortest decimal text.
        seed: seed or generator for ``ties="random"``.
        salience_weight, fixed_weight: the next round's start-position weights.

    Returns:
        An :class:`ExchangeForecast` on the issues' own scales.

    Raises:
        ArgumentError: an argument is malformed (the message names it).

    Examples:
        Actor 0 cares about issue 0, actor 1 about issue 1; each gives way where it cares less:

        >>> x = [[10.0, 90.0], [90.0, 10.0], [50.0, 50.0]]
        >>> s = [[0.9, 0.3], [0.3, 0.9], [0.5, 0.5]]
        >>> f = forecast_exchange(x, s, np.ones((3, 2)), rounds=1)
        >>> f.compromise.round(2).tolist(), f.outcomes[0].round(2).tolist()
        ([35.88, 35.88], [21.76, 21.76])
        >>> [(t.actors, t.issues) for t in f.trades]
        [((0, 1), (1, 0))]
    """
    x = np.array(positions, dtype=float)
    sal = np.array(salience, dtype=float)
    cap = np.array(capability, dtype=float)
    if x.ndim != 2:
        raise ArgumentError(
            f"positions: expected a 2-D array (stakeholders × issues), got {x.ndim}-D"
        )
    for name, a in (("salience", sal), ("capability", cap)):
        if a.shape != x.shape:
            raise ArgumentError(f"{name}: expected shape {x.shape}, got {a.shape}")
    if not isinstance(rounds, int | np.integer) or isinstance(rounds, bool) or rounds < 0:
        raise ArgumentError(f"rounds: expected an integer >= 0, got {rounds!r}")
    if ties not in ("order", "random"):
        raise ArgumentError(f'ties: expected "order" or "random", got {ties!r}')
    if arithmetic not in ("float", "decimal"):
        raise ArgumentError(f'arithmetic: expected "float" or "decimal", got {arithmetic!r}')
    n, m = x.shape
    lohi = np.tile([0.0, 100.0], (m, 1)) if bounds is None else np.array(bounds, dtype=float)
    if lohi.shape != (m, 2) or not np.all(lohi[:, 1] > lohi[:, 0]):
        raise ArgumentError(f"bounds: expected {m} pairs (low, high) with high > low")
    rng = generator(seed)
    present = ~np.isnan(x)
    num = _Numbers(arithmetic)
    lo = num.array(lohi[:, 0])
    step = num.array(np.full(m, 100.0)) / (num.array(lohi[:, 1]) - lo)  # decide's step size
    pos = np.where(present, (num.array(np.where(present, x, 0.0)) - lo) * step, num.zero)
    sal_n = num.array(np.where(present, sal, 0.0))
    cap_n = num.array(np.where(present, cap, 0.0))
    sw, fw = num.scalar(salience_weight), num.scalar(fixed_weight)

    def back(a: npt.NDArray[Any]) -> Array:
        out = np.asarray(np.where(a == 0, lo, a / step + lo), dtype=float)
        return np.where(present, out, np.nan) if out.ndim == 2 else out

    start = pos
    starts = [start]
    voting_rows: list[npt.NDArray[Any]] = []
    outcome_rows: list[npt.NDArray[Any]] = []
    trades: list[Trade] = []
    compromise = _compromise(pos, sal_n, cap_n)
    for r in range(rounds):
        engine = _Round(start, sal_n, cap_n, present, num, ties, tie_tolerance, rng)
        done = np.asarray(engine.run(), dtype=np.intp)
        vote = start.copy()
        nxt = start.copy()
        if done.size:
            # every side of every executed exchange, in decide's order (i, then j); where an
            # actor-issue moved twice, its last voting position counts
            who, d = engine.actor[done].ravel(), engine.sup[done].ravel()
            y, x0, s = (a[done].ravel() for a in (engine.y, engine.x0s, engine.ss))
            cells = who * m + d
            _, from_end = np.unique(cells[::-1], return_index=True)
            last = len(cells) - 1 - from_end
            vote.reshape(-1)[cells[last]] = y[last]
            s, y, x0 = s[last], y[last], x0[last]
            # decide's new start position, in its order of operations
            nxt.reshape(-1)[cells[last]] = (1 - s) * sw * y + fw * y + (1 - (1 - s) * sw - fw) * x0
            issues = engine.sup[done]
            before = back_points(engine.xs_before[done], lo, step, issues)
            after = back_points(engine.y[done], lo, step, issues)
            for row, k in enumerate(done.tolist()):
                trades.append(
                    Trade(
                        round=r,
                        gain=float(engine.gain[k]),
                        actors=(int(engine.actor[k, 0]), int(engine.actor[k, 1])),
                        issues=(int(issues[row, 0]), int(issues[row, 1])),
                        start=(before[row][0], before[row][1]),
                        voting=(after[row][0], after[row][1]),
                    )
                )
        voting_rows.append(vote)
        outcome_rows.append(_compromise(vote, sal_n, cap_n))
        start = nxt
        starts.append(start)
    return ExchangeForecast(
        compromise=back(compromise),
        outcomes=np.array([back(o) for o in outcome_rows]).reshape(rounds, m),
        voting=np.array([back(v) for v in voting_rows]).reshape(rounds, n, m),
        start=np.array([back(s) for s in starts]).reshape(rounds + 1, n, m),
        trades=tuple(trades),
    )


def back_points(
    values: npt.NDArray[Any], lo: npt.NDArray[Any], step: npt.NDArray[Any], issues: Any
) -> list[list[float]]:
    """Supply positions (0–100, shape ``(k, 2)``) back on their issues' scales."""
    out = np.where(values == 0, lo[issues], values / step[issues] + lo[issues])
    return np.asarray(out, dtype=float).tolist()  # type: ignore[no-any-return]


class _Numbers:
    """Floats, or decide's 28-digit decimals, as arrays."""

    def __init__(self, arithmetic: Arithmetic) -> None:
        self.exact = arithmetic == "decimal"
        self.zero: Any = Decimal(0) if self.exact else 0.0

    def scalar(self, x: float) -> Any:
        # decide converts its two weights from floats: Decimal(0.4) is the binary 0.4
        return Decimal(x) if self.exact else float(x)

    def array(self, a: npt.ArrayLike) -> npt.NDArray[Any]:
        a = np.asarray(a, dtype=float)
        if not self.exact:
            return a
        out = np.empty(a.shape, dtype=object)
        out.flat[:] = [Decimal(repr(float(v))) for v in a.flat]
        return out

    def rank(self, keys: npt.NDArray[Any]) -> npt.NDArray[np.intp]:
        """Indices that sort ``keys`` from high to low, keeping the order of equal keys."""
        if self.exact:
            return np.array(sorted(range(len(keys)), key=lambda i: -keys[i]), dtype=np.intp)
        return np.argsort(-keys, kind="stable")

    def key(self, gains: npt.NDArray[Any], tol: float) -> npt.NDArray[Any]:
        """Sort keys: exact gains, or floats rounded to the tie tolerance."""
        if self.exact:
            return gains
        return np.round(gains * (1.0 / tol))


def _compromise(
    pos: npt.NDArray[Any], sal: npt.NDArray[Any], cap: npt.NDArray[Any]
) -> npt.NDArray[Any]:
    """Per issue ``Σ x s c / Σ s c``, summed in row order (decide's NBS); 0 where nobody weighs."""
    num = _sum_rows(pos * sal * cap)
    den = _sum_rows(sal * cap)
    return np.array(
        [a / b if b != 0 else b for a, b in zip(num, den, strict=True)], dtype=pos.dtype
    )


def _sum_rows(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Sum over axis 0, left to right (decimals round after every addition, as in decide)."""
    if a.dtype != object:
        return np.asarray(a.sum(axis=0))
    total = a[0].copy()
    for row in a[1:]:
        total = total + row
    return np.asarray(total)


def _sum_cols(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """Sum over axis 1, left to right."""
    return _sum_rows(a.T)


class _Round:
    """One round's exchange search and execution, over arrays of candidate exchanges.

    Each candidate ``e`` has two sides (decide's ``i`` = 0 and ``j`` = 1); side ``s`` is an actor
    supplying on ``sup[e, s]`` and demanding on ``sup[e, 1 - s]``. Every formula is evaluated in
    decide's order of operations, so that ``arithmetic="decimal"`` rounds as decide does.
    """

    def __init__(
        self,
        pos: npt.NDArray[Any],
        sal: npt.NDArray[Any],
        cap: npt.NDArray[Any],
        present: npt.NDArray[np.bool_],
        num: _Numbers,
        ties: TieRule,
        tie_tolerance: float,
        rng: np.random.Generator,
    ) -> None:
        self.pos, self.sal, self.cap, self.num = pos, sal, cap, num
        self.denom = _sum_rows(sal * cap)
        self.ties, self.tol, self.rng = ties, tie_tolerance, rng
        n, m = pos.shape
        outcome = _compromise(pos, sal, cap)
        left = present & (pos <= (outcome if num.exact else outcome + 1e-9))
        # ---- the pair search, vectorised over issue pairs and actor pairs
        p_idx, q_idx = np.triu_indices(m, 1)  # itertools.combinations(issues, 2) order
        both = present[:, p_idx] & present[:, q_idx]  # (n, pairs)
        group = np.where(both, left[:, p_idx] + 2 * left[:, q_idx], -1)  # a=0 b=1 c=2 d=3
        gi, gj = group[:, None, :], group[None, :, :]  # (n, n, pairs)
        block = np.where((gi == 0) & (gj == 3), 0, np.where((gi == 1) & (gj == 2), 1, -1))
        ei, ej, ep = np.nonzero(block >= 0)
        order = np.lexsort((ej, ei, block[ei, ej, ep], ep))  # decide's creation order
        ei, ej, ep = ei[order], ej[order], ep[order]
        p, q = p_idx[ep], q_idx[ep]
        i_lower = self._lower_ratio(sal[ei, p], sal[ei, q], sal[ej, p], sal[ej, q])
        # side 0 supplies on q, side 1 on p; actor i supplies on p when it cares relatively less
        actor = np.stack([np.where(i_lower, ej, ei), np.where(i_lower, ei, ej)], axis=1)
        sup = np.stack([q, p], axis=1)
        # a supplier without salience or capability cannot move an outcome (decide divides by
        # zero there): such pairs are no candidates
        weighs = (sal[actor, sup] * cap[actor, sup] != 0).all(axis=1)
        self.actor, self.sup = actor[weighs], sup[weighs]
        e = len(self.actor)
        dem = self.sup[:, ::-1]
        # actor-issue slots: what each side supplies and demands, as one integer each
        self.supply_slot = self.actor * m + self.sup
        self.demand_slot = self.actor * m + dem
        self.by_supply = _index(self.supply_slot, n * m)
        self.by_demand = _index(self.demand_slot, n * m)
        self.supply_pair = self.supply_slot.tolist()
        self.demand_pair = self.demand_slot.tolist()
        self.x0s = pos[self.actor, self.sup]  # round-start supply positions
        self.xs = self.x0s.copy()  # current supply positions
        self.xd = pos[self.actor, dem]  # demand positions (fixed in the round)
        self.ss = sal[self.actor, self.sup]
        self.sd = sal[self.actor, dem]
        self.cs = cap[self.actor, self.sup]
        self.ds = self.denom[self.sup]
        # equal gains: the outcome shift on side 0's supply issue per unit of side 1's is
        # (s_1 + d_0) / (d_1 + s_0) (saliences s on the supply, d on the demand issue), and the
        # reverse for side 1; fixed for the round, so computed once
        sj, sk = self.ss[:, ::-1], self.sd[:, ::-1]
        gain_ratio = (sj + self.sd) / (sk + self.ss)
        self.par = np.stack(
            [self.xd, self.ss, self.sd, self.cs, self.ds, self.ss * self.cs, gain_ratio]
        )
        # float arithmetic sums adjusted outcomes incrementally: Σ x s c per issue, each side's
        # own weight, and the weighted shift of the recorded moves of the others
        self.weight = sal * cap
        self.weighted = _sum_rows(pos * self.weight)[self.sup]
        self.own = self.ss * self.cs
        # Σ x s c over the others, recorded moves applied (float arithmetic only)
        self.base = self.weighted - self.own * self.x0s
        # move history per side: the moves before the last (min, max, running sum) and the last
        # direction of the earlier moves: 0 none, +1 all up, -1 all down, 9 mixed (or a zero)
        self.hsign = np.zeros((e, 2), dtype=np.int8)
        self.hsum = np.full((e, 2), num.zero, dtype=pos.dtype)
        self.move = np.full((e, 2), num.zero, dtype=pos.dtype)
        self.y = self.x0s.copy()
        self.gain = np.full(e, num.zero, dtype=pos.dtype)
        self.valid = np.zeros(e, dtype=bool)
        # positions recorded from executed exchanges, per side's supply issue and actor
        self.upd = np.full((e, 2, n), num.zero, dtype=pos.dtype)
        self.has_upd = np.zeros((e, 2, n), dtype=bool)
        self.xs_before = np.full((e, 2), num.zero, dtype=pos.dtype)
        # flat views (2 * exchange + side) for the execution step
        self.flat_xs, self.flat_move = self.xs.reshape(-1), self.move.reshape(-1)
        self.flat_sign, self.flat_sum = self.hsign.reshape(-1), self.hsum.reshape(-1)
        self.flat_upd, self.flat_has = self.upd.reshape(-1), self.has_upd.reshape(-1)
        self.flat_sup, self.flat_actor = self.sup.reshape(-1), self.actor.reshape(-1)
        self.flat_base = self.base.reshape(-1)
        self.flat_pos, self.flat_weight = pos.reshape(-1), self.weight.reshape(-1)
        self._calculate(np.arange(e))

    def _lower_ratio(self, sip: Any, siq: Any, sjp: Any, sjq: Any) -> npt.NDArray[np.bool_]:
        """decide's ``s_ip / s_iq < s_jp / s_jq`` (a zero salience on q counts as infinite)."""
        if not self.num.exact:
            with np.errstate(divide="ignore", invalid="ignore"):
                left = np.where(siq != 0, sip / siq, np.inf)
                right = np.where(sjq != 0, sjp / sjq, np.inf)
            tie = np.isclose(left, right, rtol=1e-12, atol=0) | (left == right)
            return np.asarray((left < right) & ~tie)
        out = np.zeros(len(sip), dtype=bool)
        for k, (a, b, c, d) in enumerate(zip(sip, siq, sjp, sjq, strict=True)):
            mine: Any = a / b if b != 0 else math.inf
            theirs: Any = c / d if d != 0 else math.inf
            out[k] = mine < theirs
        return out

    # ------------------------------------------------------------------ the equal-gain exchange
    def _calculate(self, idx: npt.NDArray[np.intp]) -> None:
        if idx.size == 0:
            return
        xs = self.xs[idx]
        par = self.par[:, idx]  # (7, k, 2)
        # demand position, saliences, capability, Σ c s, s c, equal-gain factor
        xd, ss, sd, cs, ds, sc, eg = par
        dist_j = abs(xd[:, 0] - xs[:, 1])
        dist_i = abs(xd[:, 1] - xs[:, 0])
        # every supplier weighs (see __init__): no division by zero
        # j moves all the way to i's position, i's move follows from equal gains ...
        dp = dist_j * ss[:, 1] * cs[:, 1] / ds[:, 1]
        dq = eg[:, 0] * dp  # (s_j + d_i) / (d_j + s_i) · ΔO_p
        m_i = dq * ds[:, 0] / sc[:, 0]
        # ... unless i would overshoot: then i moves all the way and j's move follows
        over = abs(m_i) > dist_i
        dq = np.where(over, dist_i * ss[:, 0] * cs[:, 0] / ds[:, 0], dq)
        dp = np.where(over, eg[:, 1] * dq, dp)
        move = np.empty_like(xs)
        move[:, 0] = np.where(over, dist_i, m_i)
        move[:, 1] = np.where(over, dp * ds[:, 1] / sc[:, 1], dist_j)
        move = np.where(xs > xd[:, ::-1], -move, move)  # toward the partner's position
        self.move[idx] = move
        y = xs + move
        self.y[idx] = y
        gain = abs(dq * ss[:, 0] - dp * sd[:, 0])
        self.gain[idx] = gain
        ok = self._moves_ok(idx, move, y) & (gain >= VOID)
        self.valid[idx] = ok
        if ok.all():
            live, passing = idx, self._passing(idx, xs, y, par)
        else:
            live = idx[ok]
            if live.size == 0:
                return
            passing = self._passing(live, xs[ok], y[ok], par[:, ok])
        rows = np.flatnonzero(passing[:, 0])
        first = self._check_outcome(live[rows], 0) if rows.size else _EMPTY
        if rows.size:  # side 0's cut moved side 1: test those again
            passing[rows, 1] = self._passing(first)[:, 1]
        rows = np.flatnonzero(passing[:, 1])
        second = self._check_outcome(live[rows], 1) if rows.size else _EMPTY
        cut = np.concatenate([first, second])
        if cut.size:  # only cut moves can have changed their validity
            self.valid[cut] = self._moves_ok(cut, self.move[cut], self.y[cut])

    def _positions_on(self, idx: npt.NDArray[np.intp], side: int) -> npt.NDArray[Any]:
        """Per candidate, every actor's position on ``side``'s supply issue with the recorded
        moves applied (shape ``(k, actors)``)."""
        d = self.sup[idx, side]
        return np.where(self.has_upd[idx, side], self.upd[idx, side], self.pos[:, d].T)

    def _weighted(
        self, idx: npt.NDArray[np.intp], side: int, at: npt.NDArray[Any]
    ) -> npt.NDArray[Any]:
        d = self.sup[idx, side]
        return _sum_cols(at * self.sal[:, d].T * self.cap[:, d].T)

    def _adjusted(
        self, idx: npt.NDArray[np.intp], side: int, now: npt.NDArray[Any], then: npt.NDArray[Any]
    ) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        """The outcome on ``side``'s supply issue with the recorded moves and the actor at
        ``now`` and at ``then`` (decide's ``adjusted_nbs``: the actor's own recorded move, if any,
        is overridden)."""
        if not self.num.exact:
            base, own, ds = self.base[idx, side], self.own[idx, side], self.ds[idx, side]
            return (base + own * now) / ds, (base + own * then) / ds
        out = []
        for at in (now, then):
            grid = self._positions_on(idx, side)
            grid[np.arange(idx.size), self.actor[idx, side]] = at
            out.append(self._weighted(idx, side, grid) / self.denom[self.sup[idx, side]])
        return out[0], out[1]

    def _passing(
        self,
        idx: npt.NDArray[np.intp],
        xs: npt.NDArray[Any] | None = None,
        y: npt.NDArray[Any] | None = None,
        par: npt.NDArray[Any] | None = None,
    ) -> npt.NDArray[np.bool_]:
        """``(len(idx), 2)``: whether each side's move would push the outcome on its supply
        issue past the partner's position (decide's ``check_nbs`` test); ``xs``, ``y`` and
        ``par`` are the rows of ``idx`` when the caller has them."""
        if self.num.exact:
            cols = []
            for s in (0, 1):
                nbs0, nbs1 = self._adjusted(idx, s, self.xs[idx, s], self.y[idx, s])
                target = self.xd[idx, 1 - s]
                cols.append((target - nbs0) * (target - nbs1) < 0)
            return np.stack(cols, axis=1)
        xs = self.xs[idx] if xs is None else xs
        y = self.y[idx] if y is None else y
        par = self.par[:, idx] if par is None else par
        base, own, ds, target = self.base[idx], par[5], par[4], par[0][:, ::-1]
        before = target - (base + own * xs) / ds
        after = target - (base + own * y) / ds
        # an outcome already on the target (to 1e-9) is not passing it
        near = np.minimum(abs(before), abs(after)) > AT_TARGET
        return np.asarray(near & (before * after < 0))

    def _check_outcome(self, k: npt.NDArray[np.intp], s: int) -> npt.NDArray[np.intp]:
        """Cut side ``s``'s move of the exchanges ``k`` so that the outcome stops at the
        partner's position; ``k``."""
        if k.size == 0:
            return k
        o = 1 - s
        target = self.xd[k, o]
        d = self.sup[k, s]
        act = self.actor[k, s]
        # decide's adjusted_nbs_by_position: the actor at its position, then the recorded moves
        # (its own included) on top; the actor's own term stays in the sum
        own = self.has_upd[k, s, act]
        at = np.where(own, self.upd[k, s, act], self.xs[k, s])
        if self.num.exact:
            grid = np.where(self.has_upd[k, s], self.upd[k, s], self.pos[:, d].T)
            grid[np.arange(k.size), act] = at
            nominator = self._weighted(k, s, grid)
        else:
            nominator = self.base[k, s] + self.own[k, s] * at
        left = target * self.denom[d] - nominator
        delta = abs(left / (self.sal[act, d] * self.cap[act, d]))
        r_s = delta * self.ss[k, s] * self.cs[k, s] / self.ds[k, s]
        r_o = self.par[6, k, o] * r_s
        m_o = abs(r_o * self.ds[k, o] / self.par[5, k, o])
        m_s = delta
        m_o = np.where(self.xs[k, o] > self.xd[k, s], -m_o, m_o)
        m_s = np.where(self.xs[k, s] > self.xd[k, o], -m_s, m_s)
        self.move[k, s], self.move[k, o] = m_s, m_o
        self.y[k] = self.xs[k] + self.move[k]
        self.gain[k] = abs(r_o * self.ss[k, o] - r_s * self.sd[k, o])
        return k

    def _moves_ok(
        self, idx: npt.NDArray[np.intp], mv: npt.NDArray[Any], new: npt.NDArray[Any]
    ) -> npt.NDArray[np.bool_]:
        """decide's ``is_move_valid`` for both sides of ``idx``, moving by ``mv`` to ``new``."""
        # |move| <= 100 follows: positions stay in [0, 100]
        ok = (abs(mv) > VOID) & (abs(new - 50) <= 50) & (self.hsum[idx] + mv <= 100)
        before = self.hsign[idx]
        ok &= (before == 0) | (before == (_sign(mv) if self.num.exact else np.sign(mv)))
        return np.asarray(ok[:, 0] & ok[:, 1])

    # ------------------------------------------------------------------ execution
    def run(self) -> list[int]:
        alive = np.flatnonzero(self.valid)  # decide's list order
        self.live = self.valid.copy()
        executed: list[int] = []
        while alive.size:
            keys = self.num.key(self.gain[alive], self.tol)
            ranked = self.num.rank(keys)  # stable, as decide's sort
            alive = alive[ranked]
            if self.ties == "random":
                best = keys[ranked[0]]
                tied = [i for i, r in enumerate(ranked) if keys[r] == best]  # a prefix
                pick = int(self.rng.choice(tied))
                alive = np.concatenate([alive[pick : pick + 1], np.delete(alive, pick)])
            k = int(alive[0])
            self.live[k] = False
            self.xs_before[k] = self.xs[k]
            executed.append(k)
            self._after(k)
            alive = alive[self.live[alive]]
        return executed

    def _holding(self, index: _SlotIndex, slots: list[int]) -> tuple[Any, Any, Any]:
        """The live exchanges holding either actor-issue of ``slots`` in ``index``: exchange,
        flat ``2 * exchange + side`` of the side that holds it, and which slot (0 or 1)."""
        order, starts = index
        a0, b0 = starts[slots[0]], starts[slots[0] + 1]
        a1, b1 = starts[slots[1]], starts[slots[1] + 1]
        flat = np.concatenate([order[a0:b0], order[a1:b1]])
        ex = flat >> 1
        which = np.zeros(len(flat), dtype=np.intp)
        which[b0 - a0 :] = 1
        keep = self.live[ex]
        return ex[keep], flat[keep], which[keep]

    def _after(self, k: int) -> None:
        """Update and recompute the exchanges touched by executing ``k``; drop invalid ones."""
        # a side that supplies what side t of k supplied starts from k's voting position
        h1, f, t = self._holding(self.by_supply, self.supply_pair[k])
        if h1.size:
            self.flat_xs[f] = self.y[k][t]
            last = self.flat_move[f]
            way = _sign(last) if self.num.exact else np.sign(last).astype(np.int8)
            way[way == 0] = 9
            before = self.flat_sign[f]
            self.flat_sign[f] = np.where((before == 0) | (before == way), way, 9)
            self.flat_sum[f] = self.flat_sum[f] + last
        # a side that demands what side t of k supplied (k's side 1 - t demands it) records the
        # move for its partner's supply issue
        h2, f, u = self._holding(self.by_demand, self.demand_pair[k])
        if h2.size:
            f = f ^ 1  # the partner's side: the move is on its supply issue
            t = 1 - u
            mover = self.actor[k][t]
            cell = f * self.upd.shape[2] + mover
            had = self.flat_has[cell]
            prev = self.flat_upd[cell]
            y, start = self.y[k][t], self.x0s[k][t]
            kept = np.where(start <= prev, np.minimum(prev, y), np.maximum(prev, y))
            new = np.where(had, kept, y)
            if not self.num.exact:
                on = mover * self.pos.shape[1] + self.flat_sup[f]  # the mover on that issue
                old = np.where(had, prev, self.flat_pos[on])
                gained = self.flat_weight[on] * (new - old)
                self.flat_base[f] += np.where(self.flat_actor[f] != mover, gained, 0.0)
            self.flat_upd[cell] = new
            self.flat_has[cell] = True
        if h1.size or h2.size:
            # an exchange touched twice is recomputed twice, to the same values
            redo = np.concatenate([h1, h2])
            self._calculate(redo)
            self.live[redo] = self.valid[redo]


#: A slot index: flat sides sorted by slot, and where each slot's run starts.
_SlotIndex = tuple[npt.NDArray[np.intp], list[int]]
_EMPTY = np.zeros(0, dtype=np.intp)


def _sign(a: npt.NDArray[Any]) -> npt.NDArray[np.int8]:
    """-1, 0 or +1 per element (floats or decimals)."""
    return (a > 0).astype(np.int8) - (a < 0).astype(np.int8)


def _index(slots: npt.NDArray[np.intp], size: int) -> _SlotIndex:
    """The flat sides (``2 * exchange + side``) holding each slot of an ``(exchanges, 2)``
    array, as ``order[starts[slot]:starts[slot + 1]]`` (slots below ``size``)."""
    flat = slots.ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(flat, minlength=size))])
    return order, starts.tolist()


def forecast_exchange_for(scenario: Scenario, **options: Any) -> ExchangeForecast:
    """:func:`forecast_exchange` over a scenario's stakeholders, on its issues' scales.

    ``options`` are :func:`forecast_exchange`'s keyword arguments (``bounds`` defaults to each
    issue's scale range).
    """
    options.setdefault("bounds", [issue.scale_range for issue in scenario.issues])
    return forecast_exchange(
        scenario.stakeholder_positions(),
        scenario.stakeholder_salience(),
        scenario.stakeholder_capability(),
        **options,
    )
