"""The exact Pareto frontier of hyper-rectangle ("box") utilities, without enumerating outcomes.

The ANAC 2014 profiles of GENIUS are non-additive: a party's utility of an outcome is the sum of the
values of the boxes (ranges of a few integer issues) that contain it, divided by ``max_utility`` and
capped at 1 (Ito, Klein & Hattori 2008, "A multi-issue negotiation protocol among agents with
nonlinear utility functions", *Multiagent and Grid Systems* 4(1): 67-83; the model is
:class:`~zopa.model.HyperRectangleUtility`). Their spaces hold ``10**10`` to ``10**40`` outcomes,
far beyond enumeration, but the frontier is small: :func:`box_frontier` finds it point by point.

**Method.** The epsilon-constraint method (Haimes, Lasdon & Wismer 1971, "On a bicriterion
formulation of the problems of integrated system identification and system optimization", *IEEE
Transactions on Systems, Man, and Cybernetics* SMC-1(3): 296-297; Chankong & Haimes 1983,
*Multiobjective Decision Making: Theory and Methodology*, ch. 4) with one mixed-integer linear
programme per frontier point, solved by HiGHS (Huangfu & Hall 2018, "Parallelizing the dual revised
simplex method", *Mathematical Programming Computation* 10: 119-142) through
:func:`scipy.optimize.milp`:

- one binary ``x[k, c]`` per issue ``k`` and class ``c`` of its options, with ``Σ_c x[k, c] = 1``.
  Options that every box and every additive value treat alike form one class, represented by the
  smallest option code, and a class that another is at least as good as for every box and value of
  both parties is dropped (moving an outcome to the better class lowers no party's sum, so no
  frontier vector is lost); an issue left with one class is fixed. When at most
  ``enumeration_limit`` combinations of classes remain (the ANAC 2014 10-issue domains: 1,152 and
  1,620 of their ``10**10`` outcomes), they are enumerated instead and no solver is needed;
- one binary ``y[b]`` per box, linked to the issues it bounds: ``y[b] <= Σ_{c in range}
  x[k, c]`` for each bounded issue when the box's value is positive (so ``y`` can be 1 only when the
  outcome lies in the box, and a maximiser sets it to 1 then), ``y[b] >= Σ_k Σ_{c in range} x[k, c]
  - (m - 1)`` over its ``m`` bounded issues when it is negative (the box of an ``EXCLUDES``
  rectangle, stored as an everywhere box minus the box: ``y`` must be 1 inside). Both directions
  favour a higher raw sum and each box belongs to one party, so one link per box suffices (``y``
  could be continuous; declared binary, HiGHS solves these programmes about twice as fast);
- each party's raw sum ``L_p`` is linear in ``x`` and ``y`` (additive parties, for mixed scenarios,
  contribute ``Σ_k value[k, x_k]``), and its capped utility ``u_p = min(T_p, L_p)`` is a
  continuous variable with ``u_p <= L_p`` and ``u_p <= T_p`` (``T_p`` is ``max_utility /
  ufun_weight`` in raw units, infinite for additive parties).

The sweep starts from the floor ``-inf`` on party 1: maximise ``u_0`` subject to ``L_1 >= floor``,
then, lexicographically, maximise ``u_1`` subject to ``u_0`` staying at that optimum; the outcome
found is non-dominated. The floor then rises just above party 1's utility there, and the sweep stops
when the programme is infeasible or party 1 reaches its cap. Points come out with party 0's utility
strictly decreasing. On the integer grid (below) the two stages are one programme, ``u_0``
weighted by more than ``u_1``'s whole range (Sherali 1982, "Equivalent weights for lexicographic
multi-objective programs", *European Journal of Operational Research* 11(4): 367-379), so the sweep
solves one programme per point; off it, two.

**Exactness.** Raw sums are put on an integer grid when every coefficient is an integer multiple of
``10**-d`` for some ``d <= 6`` (GENIUS box utilities are integers): then "just above" is one grid
step, every programme's optimum is an integer far from the solver's tolerances (``mip_rel_gap=0``),
and the frontier is exact. Otherwise (arbitrary float values, such as normalised additive weights
in a mixed scenario) the step is :data:`STEP` times the largest raw sum, and the sums are scaled to
make it one unit, as on the grid, far above the solver's feasibility tolerance: points closer than
that in party 1's utility to a found one may be missed. In every case each point's outcome is
decoded and evaluated with the parties' own utility functions (:meth:`zopa.model.problem.BargainingProblem.utilities`),
the reported utilities are those evaluated ones, and a final exact non-dominance filter removes
anything the solver's tolerances let through. Among outcomes sharing a frontier vector, the one
returned is the solver's (not necessarily the lexicographically smallest, unlike
:func:`~zopa.analysis.frontier.pareto_frontier_enumerated`).

**More parties.** The epsilon-constraint method extends to ``n`` parties with floors on parties
``1..n-1`` (Chankong & Haimes 1983, §4.3), but enumerating every non-dominated vector then needs a
search over the floor boxes (e.g. Kirlik & Sayın 2014, "A new algorithm for generating all
nondominated solutions of multiobjective discrete optimization problems", *European Journal of
Operational Research* 232(3): 479-488); that is not implemented: :func:`box_frontier` takes two
parties (or any number when the combinations of option classes are few enough to enumerate), and
:func:`~zopa.analysis.frontier.frontier_of` enumerates the outcomes (under its size guard) for more
otherwise.

HiGHS comes with SciPy, in the optional ``exact`` extra (``pip install 'zopa[exact]'``); it is
imported only when a frontier is computed.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.analysis.frontier import (
    ENUMERATION_FASTER,
    IR_TOLERANCE,
    Frontier,
    _frontier,
    _nondominated,
    as_problem,
    check_limit,
    check_reservation,
    pareto_frontier_enumerated,
    rational_part,
)
from zopa.model.errors import ArgumentError, ZopaError
from zopa.model.preferences import AdditiveUtility, HyperRectangleUtility
from zopa.model.problem import BargainingProblem
from zopa.model.scenario import Scenario

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult

__all__ = [
    "INSTALL",
    "STEP",
    "BoxFrontierStats",
    "box_frontier",
    "has_solver",
    "needs_solver",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: What to run to get the solver.
INSTALL = "pip install 'zopa[exact]'"

#: Off the integer grid, the epsilon step as a share of the largest raw sum.
STEP = 1e-6

#: The decimal grids tried for raw sums: coefficients that are multiples of ``10**-d``.
_MAX_DECIMALS = 6
#: Largest raw sum kept on the integer grid (far inside the solver's exact integer range).
_MAX_GRID_SUM = 2**40
#: How far a coefficient may sit from the grid, relative to its size, and still be on it.
_GRID_TOLERANCE = 1e-9


def has_solver() -> bool:
    """Whether SciPy's HiGHS solver (the ``exact`` extra) is importable."""
    try:
        import scipy.optimize  # noqa: F401
    except ModuleNotFoundError:
        return False
    return True


@contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Keep the solver's own prints (HiGHS writes a stray debug line to the C ``stdout`` in some
    solves) out of the process's standard output, where ``zopa analyze --json`` writes."""
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptor: nothing to guard
        yield
        return
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as sink:
            os.dup2(sink.fileno(), fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _milp() -> Any:
    try:
        from scipy.optimize import milp
    except ModuleNotFoundError:
        raise ZopaError(
            f"the exact frontier of hyper-rectangle utilities needs SciPy's HiGHS solver: {INSTALL}"
        ) from None
    return milp


@dataclass(frozen=True)
class BoxFrontierStats:
    """What one :func:`box_frontier` run did (returned with ``stats=True``).

    Attributes:
        programmes: mixed-integer programmes solved.
        binaries: binary variables per programme (option classes of issues that matter).
        boxes: box variables per programme (after merging equal boxes and dropping trivial ones).
        grid: whether raw sums were on an integer grid (then the frontier is exact).
    """

    programmes: int
    binaries: int
    boxes: int
    grid: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "programmes": self.programmes,
            "binaries": self.binaries,
            "boxes": self.boxes,
            "grid": self.grid,
        }


# ---------------------------------------------------------------------------------- the model
Box = tuple[tuple[int, frozenset[int]], ...]


@dataclass(frozen=True)
class _Model:
    """The linear structure shared by every programme of a sweep (columns: ``x``, ``y``, ``u``)."""

    reps: tuple[IntArray, ...]  # per issue, the representative (smallest) code of each class
    offsets: IntArray  # first x column of each issue
    n_x: int
    boxes: tuple[Box, ...]  # per y column: (issue, classes inside) for each bounded issue
    a_rows: Any  # sparse structural rows over every column
    a_lb: FloatArray
    a_ub: FloatArray
    forms: FloatArray  # (2, n_x + n_y): each party's raw sum, less its constant
    constants: FloatArray  # (2,)
    caps: FloatArray  # (2,) the cap T_p in raw units (inf: uncapped)
    scales: FloatArray  # (2,) raw units per unit of the party's own sum (its grid scale)
    units: FloatArray  # (2,) utility per unit of the party's own sum (|ufun_weight / max_utility|)
    grid: npt.NDArray[np.bool_]  # (2,) whether the party's raw sums are integers

    @property
    def n_y(self) -> int:
        return len(self.boxes)


def _party_terms(
    utility: AdditiveUtility | HyperRectangleUtility, prob: BargainingProblem
) -> tuple[list[tuple[float, dict[int, frozenset[int]]]], list[FloatArray] | None, float, float]:
    """A party's sum as boxes ``(value, {issue: codes inside})`` or additive tables, with its
    constant and its utility per unit of the sum (the sum's cap is ``1 / unit``)."""
    issues = prob.space.issues
    if isinstance(utility, AdditiveUtility):
        return [], [np.asarray(t, dtype=float) for t in utility.tables()], 0.0, 0.0
    c = utility.ufun_weight / utility.max_utility
    if c == 0:  # worth 0 everywhere
        return [], None, 0.0, 0.0
    sign = 1.0 if c > 0 else -1.0
    merged: dict[tuple[tuple[int, tuple[int, ...]], ...], float] = {}
    constant = 0.0
    for rect in utility.rectangles:
        allowed: dict[int, set[int]] = {}
        for k, low, high in rect.bounds:
            x = issues[k].scale_points
            codes = set(np.flatnonzero((x >= low) & (x <= high)).tolist())
            allowed[k] = allowed[k] & codes if k in allowed else codes
        if any(not codes for codes in allowed.values()):
            continue  # contains nothing
        value = sign * rect.utility * rect.weight
        key = tuple(
            sorted(
                (k, tuple(sorted(codes)))
                for k, codes in allowed.items()
                if len(codes) < issues[k].size
            )
        )
        if key:
            merged[key] = merged.get(key, 0.0) + value
        else:
            constant += value
    boxes = [
        (value, {k: frozenset(codes) for k, codes in key})
        for key, value in merged.items()
        if value != 0
    ]
    return boxes, None, constant, abs(c)


def _grid_scale(coefficients: FloatArray) -> float | None:
    """The smallest ``10**d`` (``d <= 6``) that puts every coefficient on the integers, keeping
    their total far inside the solver's exact range; ``None`` if there is none."""
    total = float(np.abs(coefficients).sum())
    for d in range(_MAX_DECIMALS + 1):
        s = 10.0**d
        if total * s > _MAX_GRID_SUM:
            return None
        scaled = coefficients * s
        whole = np.round(scaled)
        nonzero = coefficients != 0
        if np.all(np.abs(scaled - whole) <= _GRID_TOLERANCE * np.abs(scaled)) and np.all(
            whole[nonzero] != 0
        ):
            return s
    return None


Terms = list[
    tuple[list[tuple[float, dict[int, frozenset[int]]]], list[FloatArray] | None, float, float]
]


def _classes(prob: BargainingProblem) -> tuple[Terms, list[IntArray]]:
    """Each party's terms, and per issue the representative codes of the classes kept."""
    sizes = prob.space.sizes
    terms = [_party_terms(u, prob) for u in prob.utility_functions]
    # Option classes. On each issue, an option is described by what it is worth to each box and
    # additive value touching the issue (in a box: 1 inside, 0 outside, negated for a box of
    # negative value). Options described alike form one class (its smallest code represents it),
    # and a class whose description another's dominates is dropped: moving an outcome to the
    # dominating option never lowers a party's sum, so no frontier vector is lost.
    reps: list[IntArray] = []
    for k, size in enumerate(sizes):
        signature: list[list[float]] = [[] for _ in range(size)]
        for party_boxes, tables, _, _ in terms:
            for value, allowed in party_boxes:
                if k in allowed:
                    sign = 1.0 if value > 0 else -1.0
                    for code in range(size):
                        signature[code].append(sign * float(code in allowed[k]))
            if tables is not None:
                for code in range(size):
                    signature[code].append(float(tables[k][code]))
        described = np.asarray(signature, dtype=float).reshape(size, -1)
        reps.append(np.flatnonzero(_nondominated(described, prefilter=False)).astype(np.int64))
    return terms, reps


def _build(prob: BargainingProblem, terms: Terms, reps: list[IntArray]) -> _Model:
    from scipy.sparse import coo_matrix

    sizes = prob.space.sizes
    widths = np.array([len(r) for r in reps], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int64)
    n_x = int(widths.sum())
    constants = np.array([t[2] for t in terms], dtype=float)
    # Boxes over the classes: a bound every class meets is dropped, a box no class meets is too,
    # and a box left with no bound pays everywhere.
    owned: list[tuple[int, float]] = []
    kept: list[Box] = []
    for p, t in enumerate(terms):
        for value, allowed in t[0]:
            bounded: list[tuple[int, frozenset[int]]] = []
            for k, codes in sorted(allowed.items()):
                inside = frozenset(c for c, code in enumerate(reps[k].tolist()) if code in codes)
                if not inside:
                    break
                if len(inside) < widths[k]:
                    bounded.append((k, inside))
            else:
                if bounded:
                    owned.append((p, value))
                    kept.append(tuple(bounded))
                else:
                    constants[p] += value
    n_y = len(kept)
    n = n_x + n_y + 2

    forms = np.zeros((2, n_x + n_y))
    units = np.array([t[3] for t in terms], dtype=float)
    for p, (_, tables, _, _) in enumerate(terms):
        if tables is not None:
            for k in range(len(sizes)):
                forms[p, offsets[k] : offsets[k] + widths[k]] = tables[k][reps[k]]
    for b, (p, value) in enumerate(owned):
        forms[p, n_x + b] = value
    caps = np.where(units > 0, 1.0 / np.where(units > 0, units, 1.0), np.inf)
    units = np.where(units > 0, units, 1.0)  # additive (or a zero ufun weight): no cap, unit 1

    # The integer grid: each party's sums scaled, on their own, to integers where possible.
    scales = np.ones(2)
    grid = np.zeros(2, dtype=bool)
    for p in range(2):
        coefficients = np.concatenate([forms[p][forms[p] != 0], [constants[p]]])
        s = _grid_scale(coefficients)
        if s is not None:
            grid[p] = True
            scales[p] = s
            forms[p] = np.round(forms[p] * s)
            constants[p] = round(constants[p] * s)
            if math.isfinite(caps[p]):  # sums are integers: U = 1 from the first one >= T
                caps[p] = math.ceil(caps[p] * s * (1.0 - 1e-12))
        else:
            # Off the grid, the sums are scaled so that the epsilon step (STEP times the largest
            # raw sum, the sum of the absolute coefficients) is one unit, as on the grid.
            # Invariant: every floor lies a whole unit above the previous point's sum, a million
            # times HiGHS's MIP feasibility tolerance (1e-6, absolute, not settable through
            # scipy's milp). Scaled to a largest coefficient of 1 instead, a party with a single
            # box had a step of 1e-6, exactly that tolerance: "y <= 1 - 1e-6" on a binary sits on
            # the solver's feasibility boundary and HiGHS stopped with "Solve error".
            # (Sums below about 1e-302, such as a rounding residue of a constant, cannot be
            # scaled that far: the scale stops at 1 / the smallest normal float, and their step
            # is smaller.)
            largest = float(np.abs(coefficients).max(initial=0.0))
            share = float(np.abs(coefficients / largest).sum()) * STEP if largest > 0 else 1.0
            s = 1.0 / max(largest * share, float(np.finfo(float).tiny)) if largest else 1.0
            scales[p] = s
            forms[p] = forms[p] * s
            constants[p] = float(constants[p]) * s
            caps[p] = float(caps[p]) * s  # a cap beyond the largest float: never reached

    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    lb: list[float] = []
    ub: list[float] = []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        for col, v in entries:
            rows.append(len(lb))
            cols.append(col)
            vals.append(v)
        lb.append(low)
        ub.append(high)

    for k in range(len(sizes)):
        if widths[k] > 1:
            row([(int(offsets[k]) + c, 1.0) for c in range(int(widths[k]))], 1.0, 1.0)
    for b, box in enumerate(kept):
        ranges = [[int(offsets[k]) + c for c in sorted(inside)] for k, inside in box]
        p = owned[b][0]
        if forms[p, n_x + b] > 0:  # y <= each range's indicator
            for cols_k in ranges:
                row([(n_x + b, 1.0)] + [(c, -1.0) for c in cols_k], -np.inf, 0.0)
        else:  # y >= (sum of the range indicators) - (m - 1)
            entries = [(c, 1.0) for cols_k in ranges for c in cols_k] + [(n_x + b, -1.0)]
            row(entries, -np.inf, len(ranges) - 1.0)
    for p in range(2):  # u_p - L_p <= constant_p
        entries = [(n_x + n_y + p, 1.0)]
        entries += [(int(j), -float(forms[p, j])) for j in np.flatnonzero(forms[p])]
        row(entries, -np.inf, float(constants[p]))
    a_rows = coo_matrix((vals, (rows, cols)), shape=(len(lb), n)).tocsr()
    return _Model(
        reps=tuple(reps),
        offsets=offsets,
        n_x=n_x,
        boxes=tuple(kept),
        a_rows=a_rows,
        a_lb=np.asarray(lb, dtype=float),
        a_ub=np.asarray(ub, dtype=float),
        forms=forms,
        constants=constants,
        caps=caps,
        scales=scales,
        units=units,
        grid=grid,
    )


def _raw(model: _Model, p: int, chosen: IntArray) -> float:
    """Party ``p``'s raw sum (model units) at the chosen classes, recomputed from them: exact on
    the integer grid."""
    z = np.zeros(model.n_x + model.n_y)
    z[model.offsets + chosen] = 1.0
    for b, box in enumerate(model.boxes):
        z[model.n_x + b] = float(all(int(chosen[k]) in inside for k, inside in box))
    return float(model.constants[p] + model.forms[p] @ z)


def _decode(model: _Model, x: FloatArray) -> IntArray:
    """The class chosen on each issue (the largest ``x``: robust to the solver's tolerances)."""
    return np.array(
        [
            int(np.argmax(x[int(start) : int(start) + reps.shape[0]]))
            for start, reps in zip(model.offsets, model.reps, strict=True)
        ],
        dtype=np.int64,
    )


def _codes(model: _Model, chosen: IntArray) -> IntArray:
    return np.array([int(model.reps[k][c]) for k, c in enumerate(chosen)], dtype=np.int64)


# ---------------------------------------------------------------------------------- the sweep
def box_frontier(
    problem: Scenario | BargainingProblem,
    *,
    individually_rational: bool = False,
    reservation: npt.ArrayLike | None = None,
    time_limit: float | None = None,
    stats: bool = False,
    enumeration_limit: int = ENUMERATION_FASTER,
) -> Any:
    """The exact Pareto frontier of two parties with hyper-rectangle (or additive) utilities (of any
    number of parties when the combinations of option classes are few enough to enumerate).

    The epsilon-constraint sweep of the module docstring, one lexicographic mixed-integer
    programme per frontier point (two off the integer grid); no outcome is enumerated, except the
    combinations of option classes when at most ``enumeration_limit`` remain.

    Args:
        problem: a scenario or its bargaining problem, with two parties (or more, where the
            option classes are enumerated); each party's preferences may be hyper-rectangles or
            additive.
        individually_rational: keep only outcomes every party prefers, within
            :data:`~zopa.analysis.frontier.IR_TOLERANCE`, to its reservation value (the
            programmes carry the floors, so fewer are solved).
        reservation: the reservation values to use instead of the problem's (implies
            ``individually_rational``).
        time_limit: seconds allowed per programme (default: none).
        stats: also return a :class:`BoxFrontierStats`.
        enumeration_limit: when at most this many combinations of option classes remain, they are
            enumerated instead (no solver needed); 0 always solves programmes.

    Returns:
        A :class:`~zopa.analysis.frontier.Frontier` (with ``stats``: a pair ``(frontier, stats)``).

    Raises:
        ArgumentError: not two parties where programmes are needed, or a bad ``time_limit``.
        ZopaError: SciPy is not installed (the message says how to install the extra), or a
            programme hit ``time_limit``.

    Examples:
        >>> from zopa.model import HyperRectangle, HyperRectangleUtility, Issue, Party, Scenario
        >>> box = lambda v, k, lo, hi: HyperRectangle(v, ((k, lo, hi),))
        >>> a = HyperRectangleUtility((box(3.0, 0, 0, 4), box(1.0, 1, 5, 9)), max_utility=4.0)
        >>> b = HyperRectangleUtility((box(2.0, 0, 5, 9), box(2.0, 1, 0, 4)), max_utility=4.0)
        >>> s = Scenario("two", tuple(Issue.integer(f"i{k}", 0, 9) for k in range(2)),
        ...              (Party("a", a), Party("b", b)))
        >>> f = box_frontier(s)
        >>> f.utilities.tolist(), s.utilities(f.outcomes).tolist()
        ([[1.0, 0.0], [0.75, 0.5], [0.0, 1.0]], [[1.0, 0.0], [0.75, 0.5], [0.0, 1.0]])
    """
    prob = as_problem(problem)
    if time_limit is not None and (
        isinstance(time_limit, bool)
        or not isinstance(time_limit, (int, float))
        or not time_limit > 0
    ):
        raise ArgumentError(f"time_limit: expected a number of seconds > 0, got {time_limit!r}")
    rational: FloatArray | None = None
    if reservation is not None:
        rational = check_reservation(reservation, prob.n_parties)
    elif individually_rational:
        rational = np.asarray(prob.reservation, dtype=float)
    terms, reps = _classes(prob)
    check_limit(enumeration_limit)
    if math.prod(r.shape[0] for r in reps) <= enumeration_limit:
        # few combinations of classes are left: visiting them all is faster than any programme
        front = _enumerated(prob, reps, rational)
        if stats:
            return front, BoxFrontierStats(
                programmes=0, binaries=sum(r.shape[0] for r in reps), boxes=0, grid=True
            )
        return front
    if prob.n_parties != 2:
        raise ArgumentError(
            f"box_frontier: expected two parties, got {prob.n_parties} (the sweep is bilateral; "
            f"{math.prod(r.shape[0] for r in reps):,} combinations of option classes are too many "
            "to enumerate)"
        )
    milp = _milp()
    from scipy.optimize import Bounds, LinearConstraint

    model = _build(prob, terms, reps)
    n_x, n_y = model.n_x, model.n_y
    n = n_x + n_y + 2
    integrality = np.zeros(n)
    integrality[: n_x + n_y] = 1
    lower = np.zeros(n)
    upper = np.ones(n)
    # u_p is at least the least L_p can be (capped): finite bounds (HiGHS fails on some free u)
    least = model.constants + np.minimum(model.forms, 0.0).sum(axis=1)
    lower[n_x + n_y :] = np.minimum(model.caps, least)
    upper[n_x + n_y + 1] = model.caps[1]
    for start, kept in zip(model.offsets, model.reps, strict=True):
        if kept.shape[0] == 1:  # an issue no party distinguishes: fixed
            lower[int(start)] = 1.0
    structure = LinearConstraint(model.a_rows, model.a_lb, model.a_ub)
    forms = np.zeros((2, n))
    forms[:, : n_x + n_y] = model.forms
    # "Just above" a raw sum: one grid step, else a share of the party's largest sum (one unit
    # too, as _build scales sums off the grid, so floors stay far from HiGHS's tolerances).
    size = np.abs(model.forms).sum(axis=1) + np.abs(model.constants)
    step = np.where(model.grid, 1.0, STEP * np.maximum(size, 1.0))
    options: dict[str, Any] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = float(time_limit)
    solved = 0

    def solve(weights: tuple[float, float], floor: FloatArray) -> IntArray | None:
        """Classes maximising ``weights · (u_0, u_1)`` with every ``L_p >= floor[p]``."""
        nonlocal solved
        if (floor == np.inf).any():
            return None
        c = np.zeros(n)
        c[n_x + n_y :] = -np.asarray(weights)
        constraints = [structure] + [
            LinearConstraint(forms[p][None, :], floor[p] - model.constants[p], np.inf)
            for p in range(2)
            if np.isfinite(floor[p])
        ]
        solved += 1
        upper[n_x + n_y] = ceiling
        bounds = Bounds(lower, upper)
        with _quiet_stdout():
            result: OptimizeResult = milp(
                c, integrality=integrality, bounds=bounds, constraints=constraints, options=options
            )
        if result.status == 1:
            raise ZopaError(
                f"box_frontier: a programme hit the time limit of {time_limit:g} s; raise time_limit"
            )
        if result.status == 2:  # infeasible: no outcome above the floors
            return None
        if result.x is None:  # unbounded or a solver failure: a bug, not a user mistake
            raise RuntimeError(f"box_frontier: HiGHS failed: {result.message}")
        return _decode(model, np.asarray(result.x, dtype=float))

    # On the grid, one programme gives the lexicographic optimum: u_0 moves in whole steps, so
    # weighting it by more than u_1's whole range puts it first (Sherali 1982, "Equivalent weights
    # for lexicographic multi-objective programs", EJOR 11(4): 367-379). Off the grid, two
    # programmes: u_0's optimum, then u_1's with u_0 held there.
    cap1 = float(model.caps[1])
    low1 = min(cap1, float(model.constants[1] + np.minimum(model.forms[1], 0.0).sum()))
    high1 = min(cap1, float(model.constants[1] + np.maximum(model.forms[1], 0.0).sum()))
    weight0 = high1 - low1 + 1.0
    single = bool(model.grid.all()) and weight0 * (np.abs(model.forms[0]).sum() + 1.0) < 2**50

    def lexicographic(floor: FloatArray) -> IntArray | None:
        if single:  # u_1 ranges over [max(low1, floor), high1] here
            return solve((high1 - max(low1, min(float(floor[1]), high1)) + 1.0, 1.0), floor)
        best = solve((1.0, 0.0), floor)
        if best is None:
            return None
        top = min(float(model.caps[0]), _raw(model, 0, best))
        fixed = floor.copy()
        fixed[0] = max(floor[0], top if model.grid[0] else top - step[0])
        point = solve((0.0, 1.0), fixed)
        return best if point is None else point

    # The floors that keep a party individually rational, a little below the exact test (the
    # final filter applies it exactly).
    floor = np.full(2, -np.inf)
    if rational is not None:
        for p in range(2):
            target = float(rational[p]) - IR_TOLERANCE
            if target > 1.0 and math.isfinite(model.caps[p]):
                floor[p] = np.inf
            elif target > -np.inf:
                raw = target / model.units[p] * model.scales[p]
                floor[p] = math.floor(raw) if model.grid[p] else raw - step[p]
    # Each point found is the lexicographic optimum above its floor, so the next one, above a
    # higher floor, is strictly worse for party 0: a ceiling on u_0 (party 0's cap at first).
    ceiling = float(model.caps[0])
    found: list[IntArray] = []
    unbounded = not np.isfinite(floor).any()
    while (point := lexicographic(floor)) is not None:
        found.append(point)
        raw1 = _raw(model, 1, point)
        if raw1 >= model.caps[1]:
            break
        floor[1] = max(floor[1], raw1) + step[1]
        top = min(float(model.caps[0]), _raw(model, 0, point))
        ceiling = top - 1.0 if model.grid[0] else top
    if unbounded and not found:  # every outcome is feasible without floors
        raise RuntimeError("box_frontier: HiGHS found no outcome at all (numerical trouble)")
    outcomes = np.array([_codes(model, x) for x in found], dtype=np.int64).reshape(
        len(found), prob.n_issues
    )
    utilities = np.asarray(prob.utilities(outcomes), dtype=float).reshape(len(found), 2)
    keep = _nondominated(utilities, prefilter=False)
    front = _frontier(utilities[keep], outcomes[keep])
    if rational is not None:
        front = rational_part(front, rational)
    if stats:
        return front, BoxFrontierStats(
            programmes=solved, binaries=n_x, boxes=n_y, grid=bool(model.grid.all())
        )
    return front


def _enumerated(
    prob: BargainingProblem, reps: list[IntArray], reservation: FloatArray | None
) -> Frontier:
    """The frontier by enumerating the combinations of classes (their representatives)."""

    def utility(chosen: IntArray) -> FloatArray:
        codes = np.stack([r[chosen[:, k]] for k, r in enumerate(reps)], axis=1)
        return np.asarray(prob.utilities(codes), dtype=float).reshape(chosen.shape[0], -1)

    sizes = [r.shape[0] for r in reps]
    front = pareto_frontier_enumerated(
        utility, sizes, reservation=reservation, limit=math.prod(sizes)
    )
    codes = np.stack([r[front.outcomes[:, k]] for k, r in enumerate(reps)], axis=1)
    return _frontier(np.array(front.utilities), codes.reshape(len(front), len(reps)))


def needs_solver(problem: Scenario | BargainingProblem) -> bool:
    """Whether :func:`box_frontier` needs SciPy for ``problem``: more than
    :data:`~zopa.analysis.frontier.ENUMERATION_FASTER` combinations of option classes remain."""
    _, reps = _classes(as_problem(problem))
    return bool(math.prod(int(r.shape[0]) for r in reps) > ENUMERATION_FASTER)
