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
            default 100, as each draw is a full run (about 35 ms on copenhagen with 8 rounds,
            7 ms on the flagship); ``None`` runs every draw; 0 gives no interval.
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
        done = engine.run()
        vote = start.copy()
        nxt = start.copy()
        if done:
            # every side of every executed exchange, in decide's order (i, then j); where an
            # actor-issue moved twice, its last voting position counts
            issues = engine.sup[done]
            who, d = engine.actor[done].ravel(), issues.ravel()
            y, x0 = engine.sides(done, engine.y).ravel(), engine.sides(done, engine.x0).ravel()
            cells = who * m + d
            _, from_end = np.unique(cells[::-1], return_index=True)
            last = len(cells) - 1 - from_end
            vote.reshape(-1)[cells[last]] = y[last]
            s, y, x0 = sal_n[who, d][last], y[last], x0[last]
            # decide's new start position, in its order of operations
            nxt.reshape(-1)[cells[last]] = (1 - s) * sw * y + fw * y + (1 - (1 - s) * sw - fw) * x0
            before = back_points(engine.sides(done, engine.before), lo, step, issues)
            after = back_points(engine.sides(done, engine.y), lo, step, issues)
            for k, (a, b), (p, q), (s0, s1), (v0, v1) in zip(
                done, engine.actor[done].tolist(), issues.tolist(), before, after, strict=True
            ):
                trades.append(
                    Trade(
                        round=r,
                        gain=float(engine.gain[k]),
                        actors=(a, b),
                        issues=(p, q),
                        start=(s0, s1),
                        voting=(v0, v1),
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
    """One round's exchange search, vectorised, and its execution, one exchange at a time.

    Each candidate ``e`` has two sides (decide's ``i`` = 0 and ``j`` = 1), numbered ``f = 2e + s``
    in the per-side lists; side ``s`` is an actor supplying on ``sup[e, s]`` and demanding on
    ``sup[e, 1 - s]``. The search over issue pairs and actor pairs runs on arrays. The execution
    is sequential (each exchange changes what the next one sees) and recomputes the candidates
    that hold one of the executed exchange's actor-issues, a median of 15 on copenhagen, so it
    runs on Python scalars (floats or decimals): on arrays that small, NumPy spends its time in
    per-call overhead (on problems where an execution touches hundreds, arrays would be faster).
    Every formula is evaluated in decide's order of operations, so that ``arithmetic="decimal"``
    rounds as decide does.
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
        self.exact, self.ties, self.rng = num.exact, ties, rng
        n, m = pos.shape
        self.n = n
        denom = _sum_rows(sal * cap)
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
        # actor-issue slots (actor * issues + issue): per side what it supplies and demands, and
        # per slot the sides that supply and that demand it (the two sides of a candidate are
        # different actors, so a slot holds at most one side of each candidate)
        supply_slot, demand_slot = self.actor * m + self.sup, self.actor * m + dem
        self.supply_slot, self.demand_slot = (
            supply_slot.ravel().tolist(),
            demand_slot.ravel().tolist(),
        )
        self.suppliers = _holders(supply_slot, n * m)
        self.demanders = _holders(demand_slot, n * m)
        self.actor_of, self.sup_of = self.actor.ravel().tolist(), self.sup.ravel().tolist()
        x0s = pos[self.actor, self.sup]  # round-start supply positions
        ss, cs = sal[self.actor, self.sup], cap[self.actor, self.sup]
        sd = sal[self.actor, dem]
        own = ss * cs  # every supplier weighs: no division by zero
        # equal gains: the outcome shift on side 0's supply issue per unit of side 1's is
        # (s_1 + d_0) / (d_1 + s_0) (saliences s on the supply, d on the demand issue), and the
        # reverse for side 1. Per candidate, fixed for the round, the sides' demand positions,
        # supply and demand saliences, supply capabilities, Σ c s on the supply issues, own
        # weights s c and equal-gain factors, side 0 then side 1 (see _calculate's unpacking)
        gain_ratio = (ss[:, ::-1] + sd) / (sd[:, ::-1] + ss)
        self.fixed: list[list[Any]] = np.concatenate(
            [pos[self.actor, dem], ss, sd, cs, denom[self.sup], own, gain_ratio], axis=1
        ).tolist()
        zero = num.zero
        # per side: the round-start and current supply position, the last computed move and the
        # voting position it leads to, and the move history: the sum of the earlier moves and
        # their direction (0 none, +1 all up, -1 all down, 9 mixed or a zero)
        self.x0: list[Any] = x0s.ravel().tolist()
        self.xs, self.y = list(self.x0), list(self.x0)
        self.move: list[Any] = [zero] * (2 * e)
        self.hsum: list[Any] = [zero] * (2 * e)
        self.hsign = [0] * (2 * e)
        # positions recorded from executed exchanges, at side * actors + actor: the actor's
        # position on the side's supply issue as that side's outcome sees it
        self.upd: dict[int, Any] = {}
        if num.exact:  # outcomes are summed afresh, in row order, per issue column
            self.columns = [
                (pos[:, d].tolist(), sal[:, d].tolist(), cap[:, d].tolist()) for d in range(m)
            ]
        else:
            # floats sum outcomes incrementally: per side, Σ x s c over the other actors on its
            # supply issue with the recorded moves applied
            weight = sal * cap
            base = _sum_rows(pos * weight)[self.sup] - own * x0s
            self.base: list[float] = base.ravel().tolist()
            self.pos_at, self.weight_at = pos.tolist(), weight.tolist()
        self.scale = None if num.exact or not tie_tolerance else 1.0 / tie_tolerance
        self.gain: list[Any] = [zero] * e
        # the gain as sorted (rounded to the tie tolerance), an array: the list is sorted by it
        # after every execution, in C
        self.key = np.full(e, zero, dtype=object if num.exact else float)
        self.valid = [False] * e
        self.live: list[bool] = []  # valid and not yet executed: set by run
        self.before = list(self.x0)  # supply positions when executed (executed exchanges)
        for k in range(e):
            self._calculate(k)

    def _lower_ratio(self, sip: Any, siq: Any, sjp: Any, sjq: Any) -> npt.NDArray[np.bool_]:
        """decide's ``s_ip / s_iq < s_jp / s_jq`` (a zero salience on q counts as infinite)."""
        if not self.exact:
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
    def _calculate(self, e: int) -> None:
        """Candidate ``e`` from its sides' current positions: the moves, the gain, the outcome
        guard and whether it is valid. A function of the positions, move histories and recorded
        moves only, so recomputing a candidate twice gives the same values."""
        xd0, xd1, ss0, ss1, sd0, _, cs0, cs1, ds0, ds1, sc0, sc1, eg0, eg1 = self.fixed[e]
        f = 2 * e
        xs, move, y = self.xs, self.move, self.y
        xs0, xs1 = xs[f], xs[f + 1]
        dist_j = abs(xd0 - xs1)
        dist_i = abs(xd1 - xs0)
        # j moves all the way to i's position, i's move follows from equal gains ...
        dp = dist_j * ss1 * cs1 / ds1
        dq = eg0 * dp  # (s_j + d_i) / (d_j + s_i) · ΔO_p
        m0, m1 = dq * ds0 / sc0, dist_j
        if abs(m0) > dist_i:  # ... unless i would overshoot: then i moves all the way
            dq = dist_i * ss0 * cs0 / ds0
            dp = eg1 * dq
            m0, m1 = dist_i, dp * ds1 / sc1
        if xs0 > xd1:  # toward the partner's position
            m0 = -m0
        if xs1 > xd0:
            m1 = -m1
        move[f], move[f + 1] = m0, m1
        y[f], y[f + 1] = xs0 + m0, xs1 + m1
        gain = abs(dq * ss0 - dp * sd0)
        ok = gain >= VOID and self._moves_ok(f)
        if ok:
            cut = self._passing(f, xs0, y[f], xd1, ds0, sc0)
            if cut:  # side 0's cut moves side 1: it is tested after it
                gain = self._cut(e, 0)
            if self._passing(f + 1, xs1, y[f + 1], xd0, ds1, sc1):
                gain = self._cut(e, 1)
                cut = True
            if cut:  # only cut moves can have changed their validity
                ok = self._moves_ok(f)
        self.gain[e], self.valid[e] = gain, ok
        self.key[e] = gain if self.scale is None else round(gain * self.scale)

    def _weighted(self, f: int, at: Any) -> Any:
        """(decimals) Σ x s c on side ``f``'s supply issue, in row order, with the recorded moves
        applied and the side's actor at ``at``."""
        d, act = self.sup_of[f], self.actor_of[f]
        xs, sal, cap = self.columns[d]
        upd, row = self.upd, f * self.n
        total: Any = None
        for i in range(self.n):
            term = (at if i == act else upd.get(row + i, xs[i])) * sal[i] * cap[i]
            total = term if total is None else total + term
        return total

    def _passing(self, f: int, now: Any, then: Any, target: Any, ds: Any, own: Any) -> bool:
        """Whether side ``f``'s move from ``now`` to ``then`` would push the outcome on its supply
        issue past the partner's position ``target`` (decide's ``check_nbs`` with
        ``adjusted_nbs``: the actor's own recorded move, if any, is overridden); ``ds`` is Σ c s
        on the issue and ``own`` the actor's s c there."""
        if self.exact:
            exact = (target - self._weighted(f, now) / ds) * (target - self._weighted(f, then) / ds)
            return bool(exact < 0)
        base = self.base[f]
        before: float = target - (base + own * now) / ds
        after: float = target - (base + own * then) / ds
        # an outcome already on the target (to 1e-9) is not passing it
        return before * after < 0 and min(abs(before), abs(after)) > AT_TARGET

    def _cut(self, e: int, s: int) -> Any:
        """Cut side ``s``'s move of ``e`` so that the outcome stops at the partner's position,
        recompute the partner's move; the new gain."""
        o = 1 - s
        f, g = 2 * e + s, 2 * e + o
        # _calculate's unpacking: side s's entry of the pair at even offset j is fixed[j + s]
        fixed = self.fixed[e]
        xd_s, xd_o = fixed[s], fixed[o]
        ss_s, ss_o, sd_o, cs_s = fixed[2 + s], fixed[2 + o], fixed[4 + o], fixed[6 + s]
        ds_s, ds_o, sc_s, sc_o = fixed[8 + s], fixed[8 + o], fixed[10 + s], fixed[10 + o]
        eg_o = fixed[12 + o]
        # decide's adjusted_nbs_by_position: the actor at its position, then the recorded moves
        # (its own included) on top; the actor's own term stays in the sum
        xs = self.xs
        at = self.upd.get(f * self.n + self.actor_of[f], xs[f])
        nominator = self._weighted(f, at) if self.exact else self.base[f] + sc_s * at
        delta = abs((xd_o * ds_s - nominator) / sc_s)
        r_s = delta * ss_s * cs_s / ds_s
        r_o = eg_o * r_s
        m_o, m_s = abs(r_o * ds_o / sc_o), delta
        if xs[g] > xd_s:
            m_o = -m_o
        if xs[f] > xd_o:
            m_s = -m_s
        self.move[f], self.move[g] = m_s, m_o
        self.y[f], self.y[g] = xs[f] + m_s, xs[g] + m_o
        return abs(r_o * ss_o - r_s * sd_o)

    def _moves_ok(self, f: int) -> bool:
        """decide's ``is_move_valid`` for the last computed moves of sides ``f`` and ``f + 1``:
        longer than the void, inside the scale (so no longer than 100), summing with the side's
        earlier moves in the round to at most 100, and in their direction."""
        m0, m1, h0, h1 = self.move[f], self.move[f + 1], self.hsign[f], self.hsign[f + 1]
        return (
            abs(m0) > VOID
            and abs(m1) > VOID
            and abs(self.y[f] - 50) <= 50
            and abs(self.y[f + 1] - 50) <= 50
            and self.hsum[f] + m0 <= 100
            and self.hsum[f + 1] + m1 <= 100
            and (not h0 or h0 == (m0 > 0) - (m0 < 0))
            and (not h1 or h1 == (m1 > 0) - (m1 < 0))
        )

    # ------------------------------------------------------------------ execution
    def run(self) -> list[int]:
        """Execute the best exchange until none is valid; the executed ones, in order."""
        self.live = live = list(self.valid)
        alive = np.flatnonzero(self.valid)  # decide's list order
        gone = ~np.array(self.valid, dtype=bool)
        executed: list[int] = []
        while alive.size:
            keys = self.key[alive]
            if self.exact:  # stable, as decide's sort
                ranked = np.array(sorted(range(len(keys)), key=lambda i: -keys[i]), dtype=np.intp)
            else:
                ranked = np.argsort(-keys, kind="stable")
            alive = alive[ranked]
            pick = 0
            if self.ties == "random":
                tied = np.flatnonzero(keys[ranked] == keys[ranked[0]]).tolist()  # a prefix
                pick = int(self.rng.choice(tied))
            k = int(alive[pick])
            live[k] = False
            self.before[2 * k], self.before[2 * k + 1] = self.xs[2 * k], self.xs[2 * k + 1]
            executed.append(k)
            dropped = self._after(k)
            gone[k] = True
            gone[dropped] = True
            alive = alive[~gone[alive]]
        return executed

    def _live_holders(self, holders: list[list[int]], slot: int) -> list[int]:
        """The live sides in ``holders[slot]``, which is pruned to them (a candidate that is no
        longer live stays so for the round)."""
        now = holders[slot] = [f for f in holders[slot] if self.live[f >> 1]]
        return now

    def _after(self, k: int) -> list[int]:
        """Update and recompute the live exchanges touched by executing ``k``; the ones that
        became invalid (and are no longer live)."""
        live, redo = self.live, set()
        xs, move, hsign, hsum, y = self.xs, self.move, self.hsign, self.hsum, self.y
        for t in (0, 1):
            # a side that supplies what side t of k supplied starts from k's voting position;
            # its own last computed move enters its history
            moved = y[2 * k + t]
            for f in self._live_holders(self.suppliers, self.supply_slot[2 * k + t]):
                redo.add(f >> 1)
                xs[f] = moved
                last = move[f]
                way = (last > 0) - (last < 0) or 9
                hsign[f] = way if hsign[f] in (0, way) else 9
                hsum[f] = hsum[f] + last
        upd = self.upd
        for u in (0, 1):
            # a side that demands what side t = 1 - u of k supplied (k's side u demands it)
            # records the move for its partner's supply issue
            t = 1 - u
            mover, moved, start = self.actor_of[2 * k + t], y[2 * k + t], self.x0[2 * k + t]
            for g in self._live_holders(self.demanders, self.demand_slot[2 * k + u]):
                redo.add(g >> 1)
                f = g ^ 1  # the partner's side: the move is on its supply issue
                cell = f * self.n + mover
                prev = upd.get(cell)
                if prev is None:
                    new = moved
                else:  # the recorded position keeps the extreme of the moves
                    new = min(prev, moved) if start <= prev else max(prev, moved)
                if not self.exact and self.actor_of[f] != mover:
                    d = self.sup_of[f]
                    old = self.pos_at[mover][d] if prev is None else prev
                    self.base[f] += self.weight_at[mover][d] * (new - old)
                upd[cell] = new
        dropped = []
        for e in redo:
            self._calculate(e)
            if not self.valid[e]:
                live[e] = False
                dropped.append(e)
        return dropped

    def sides(self, done: list[int], values: list[Any]) -> npt.NDArray[Any]:
        """``values`` (a per-side list) of the exchanges ``done``, shape ``(len(done), 2)``."""
        out = np.empty((len(done), 2), dtype=object if self.exact else float)
        out.ravel()[:] = [values[2 * k + s] for k in done for s in (0, 1)]
        return out


def _holders(slots: npt.NDArray[np.intp], size: int) -> list[list[int]]:
    """Per slot below ``size``, the flat sides (``2 * exchange + side``) of an ``(exchanges, 2)``
    array that hold it, in increasing order."""
    flat = slots.ravel()
    order = np.argsort(flat, kind="stable").tolist()
    ends = np.cumsum(np.bincount(flat, minlength=size)).tolist()
    return [order[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


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
