"""The leaderboard of a tournament: per agent (and per scenario, and per opponent) mean utility,
agreement rate, social welfare and distances to the Pareto frontier and the Nash point, with 95%
confidence intervals; computed by DuckDB over the results database, so it scales with it.

What is averaged (GENIUS ``logStats.xml``: ``meanUndiscounted``, ``meanDiscounted``,
``meanWelfare``, ``meanPareto``, ``meanNashDistance``; section 6.5 of the negotiation reference):
each seat an agent took in a *completed* negotiation — status ``ok`` or ``violation``, the ones
with utilities (a rule breaker gets its reservation value, GENIUS's convention) — counts once.
Welfare and the distances are the negotiation's, counted once for each agent at the table.
Negotiations that did not finish (``timeout``, ``crashed``, ``error``) are counted in
``failures`` and left out of the means.

Intervals (no resampling, hence no seed, and the same for 10 rows or 10^7):

- means: Student's t interval ``mean ± t(0.975, n − 1) · s / √n`` (``s`` the sample standard
  deviation); ``t`` from a table for ``n − 1 ≤ 30`` and the Cornish–Fisher expansion of
  Abramowitz & Stegun 26.7.5 beyond (error below 1e-4);
- agreement rates: the Wilson score interval (Wilson 1927, "Probable inference, the law of
  succession, and statistical inference", *JASA* 22: 209–212), which stays inside [0, 1] and is
  sound near 0 and 1.

An interval is ``None`` with fewer than two values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zopa.negotiation.store import ResultStore

__all__ = [
    "BINS",
    "Estimate",
    "Leaderboard",
    "Meeting",
    "Standing",
    "leaderboard",
    "t_quantile",
    "wilson",
]

Z = 1.959963984540054

#: Bins of the utility histograms (:attr:`Leaderboard.histograms`).
BINS = 20

_T975 = (
    12.7062,
    4.3027,
    3.1824,
    2.7764,
    2.5706,
    2.4469,
    2.3646,
    2.3060,
    2.2622,
    2.2281,
    2.2010,
    2.1788,
    2.1604,
    2.1448,
    2.1314,
    2.1199,
    2.1098,
    2.1009,
    2.0930,
    2.0860,
    2.0796,
    2.0739,
    2.0687,
    2.0639,
    2.0595,
    2.0555,
    2.0518,
    2.0484,
    2.0452,
    2.0423,
)


def t_quantile(df: int) -> float:
    """The 0.975 quantile of Student's t with ``df`` degrees of freedom (module docstring).

    Examples:
        >>> t_quantile(1), round(t_quantile(60), 4), round(t_quantile(10**6), 4)
        (12.7062, 2.0003, 1.96)
    """
    if df < 1:
        raise ValueError("df: expected an integer >= 1")
    if df <= len(_T975):
        return _T975[df - 1]
    z, v = Z, float(df)
    return (
        z
        + (z**3 + z) / (4 * v)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * v**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * v**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * v**4)
    )


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """The 95% Wilson score interval of a proportion.

    Examples:
        >>> [round(x, 4) for x in wilson(8, 10)]
        [0.4902, 0.9433]
    """
    if n < 1:
        return None
    p = successes / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over ``n`` values with its 95% interval (``None`` bounds below two values)."""

    mean: float | None
    low: float | None
    high: float | None
    n: int

    @classmethod
    def of_mean(cls, mean: float | None, sd: float | None, n: int) -> Estimate:
        if mean is None or n == 0:
            return cls(None, None, None, n)
        if n < 2 or sd is None:
            return cls(float(mean), None, None, n)
        half = t_quantile(n - 1) * float(sd) / math.sqrt(n)
        return cls(float(mean), float(mean) - half, float(mean) + half, n)

    @classmethod
    def of_rate(cls, successes: int, n: int) -> Estimate:
        if n == 0:
            return cls(None, None, None, 0)
        bounds = wilson(successes, n) if n >= 2 else None
        if bounds is None:
            return cls(successes / n, None, None, n)
        return cls(successes / n, bounds[0], bounds[1], n)

    def to_dict(self) -> dict[str, Any]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}


@dataclass(frozen=True, slots=True)
class Standing:
    """One agent's line (overall, or on one scenario when ``scenario`` is set).

    Attributes:
        agent: the agent's key.
        scenario: the scenario, or ``None`` for all of them.
        seats: seats taken (negotiations counted once per seat).
        failures: of those, in negotiations that did not finish (timeout, crashed, error).
        violations: of those, in negotiations ended by a rule breaker (any party).
        utility: mean undiscounted utility.
        discounted: mean discounted utility.
        agreement: agreement rate.
        welfare: mean social welfare of its negotiations.
        distance_to_pareto: mean distance to the Pareto frontier.
        distance_to_nash: mean distance to the Nash point.
    """

    agent: str
    scenario: str | None
    seats: int
    failures: int
    violations: int
    utility: Estimate
    discounted: Estimate
    agreement: Estimate
    welfare: Estimate
    distance_to_pareto: Estimate
    distance_to_nash: Estimate

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"agent": self.agent}
        if self.scenario is not None:
            out["scenario"] = self.scenario
        out.update(
            seats=self.seats,
            failures=self.failures,
            violations=self.violations,
            utility=self.utility.to_dict(),
            discounted=self.discounted.to_dict(),
            agreement=self.agreement.to_dict(),
            welfare=self.welfare.to_dict(),
            distance_to_pareto=self.distance_to_pareto.to_dict(),
            distance_to_nash=self.distance_to_nash.to_dict(),
        )
        return out

    def flat(self) -> dict[str, Any]:
        """One flat record (``utility``, ``utility_low``, ``utility_high``, ...) for tables."""
        out: dict[str, Any] = {"agent": self.agent}
        if self.scenario is not None:
            out["scenario"] = self.scenario
        out.update(seats=self.seats, failures=self.failures, violations=self.violations)
        for name in (
            "utility",
            "discounted",
            "agreement",
            "welfare",
            "distance_to_pareto",
            "distance_to_nash",
        ):
            e: Estimate = getattr(self, name)
            out[name] = e.mean
            out[f"{name}_low"] = e.low
            out[f"{name}_high"] = e.high
        return out


@dataclass(frozen=True, slots=True)
class Meeting:
    """How ``agent`` fared against ``opponent`` (at the same table): its mean utility."""

    agent: str
    opponent: str
    utility: Estimate
    agreement: Estimate

    def to_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "opponent": self.opponent,
            "utility": self.utility.to_dict(),
            "agreement": self.agreement.to_dict(),
        }


@dataclass(frozen=True)
class Leaderboard:
    """A tournament's standings (module docstring).

    Attributes:
        negotiations: negotiations stored.
        statuses: how many ended with each status.
        agents: one standing per agent, best mean utility first.
        scenarios: one standing per scenario and agent (scenario order, then best first).
        head_to_head: each agent's results against each opponent.
        scenario_agreement: each scenario's agreement rate over its completed negotiations.
        histograms: each agent's utilities in :data:`BINS` equal bins of [0, 1]: ``(agent, bin,
            count)`` for the bins that are not empty (bin ``k`` holds ``[k/BINS, (k+1)/BINS)``,
            the last one 1 too).
    """

    negotiations: int
    statuses: dict[str, int]
    agents: tuple[Standing, ...]
    scenarios: tuple[Standing, ...]
    head_to_head: tuple[Meeting, ...]
    scenario_agreement: tuple[tuple[str, Estimate], ...]
    histograms: tuple[tuple[str, int, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "negotiations": self.negotiations,
            "statuses": dict(self.statuses),
            "level": 0.95,
            "agents": [s.to_dict() for s in self.agents],
            "scenarios": [s.to_dict() for s in self.scenarios],
            "head_to_head": [m.to_dict() for m in self.head_to_head],
            "scenario_agreement": [
                {"scenario": k, **e.to_dict()} for k, e in self.scenario_agreement
            ],
            "histograms": {
                "bins": BINS,
                "counts": [{"agent": a, "bin": b, "count": n} for a, b, n in self.histograms],
            },
        }

    def to_frame(self, which: str = "agents") -> Any:
        """``agents`` or ``scenarios`` standings as a flat pandas DataFrame (needs pandas)."""
        from zopa.analysis._pandas import data_frame

        rows = [s.flat() for s in (self.agents if which == "agents" else self.scenarios)]
        keys = list(rows[0]) if rows else ["agent"]
        return data_frame({k: [r.get(k) for r in rows] for k in keys})


_SEATS = """
    WITH seats AS (
        SELECT id, scenario, idx, status, agreement, social_welfare AS welfare,
               distance_to_pareto AS pareto, distance_to_nash AS nash,
               unnest(agents) AS agent, unnest(utilities) AS utility,
               unnest(discounted) AS disc, unnest(generate_series(1, len(agents))) AS seat
        FROM negotiations
    )
"""

_STATS = """
    count(*) AS seats,
    count(*) FILTER (WHERE status NOT IN ('ok', 'violation')) AS failures,
    count(*) FILTER (WHERE status = 'violation') AS violations,
    avg(utility), stddev_samp(utility), count(utility),
    avg(disc), stddev_samp(disc),
    count(*) FILTER (WHERE utility IS NOT NULL AND agreement),
    avg(welfare) FILTER (WHERE utility IS NOT NULL),
    stddev_samp(welfare) FILTER (WHERE utility IS NOT NULL),
    count(welfare) FILTER (WHERE utility IS NOT NULL),
    avg(pareto) FILTER (WHERE utility IS NOT NULL),
    stddev_samp(pareto) FILTER (WHERE utility IS NOT NULL),
    count(pareto) FILTER (WHERE utility IS NOT NULL),
    avg(nash) FILTER (WHERE utility IS NOT NULL),
    stddev_samp(nash) FILTER (WHERE utility IS NOT NULL),
    count(nash) FILTER (WHERE utility IS NOT NULL),
    min(idx)
"""


def _standing(agent: str, scenario: str | None, v: tuple[Any, ...]) -> Standing:
    seats, failures, violations, u, su, n, d, sd, agreed, w, sw, nw, p, sp, np_, q, sq, nq = v
    return Standing(
        agent=agent,
        scenario=scenario,
        seats=int(seats),
        failures=int(failures),
        violations=int(violations),
        utility=Estimate.of_mean(u, su, int(n)),
        discounted=Estimate.of_mean(d, sd, int(n)),
        agreement=Estimate.of_rate(int(agreed), int(n)),
        welfare=Estimate.of_mean(w, sw, int(nw)),
        distance_to_pareto=Estimate.of_mean(p, sp, int(np_)),
        distance_to_nash=Estimate.of_mean(q, sq, int(nq)),
    )


def _rank(s: Standing) -> tuple[float, str]:
    return (-(s.utility.mean if s.utility.mean is not None else -math.inf), s.agent)


def leaderboard(results: ResultStore | str | Path) -> Leaderboard:
    """The leaderboard of a results database (a :class:`ResultStore` or its file)."""
    store = results if isinstance(results, ResultStore) else ResultStore(results, read_only=True)
    try:
        db = store.db
        store.flush()
        total_row = db.execute("SELECT count(*) FROM negotiations").fetchone()
        total = int(total_row[0]) if total_row else 0
        statuses = {
            str(k): int(n)
            for k, n in db.execute(
                "SELECT status, count(*) FROM negotiations GROUP BY status ORDER BY status"
            ).fetchall()
        }
        agents = [
            _standing(r[0], None, r[1:-1])
            for r in db.execute(
                f"{_SEATS} SELECT agent, {_STATS} FROM seats GROUP BY agent"
            ).fetchall()
        ]
        by_scenario = db.execute(
            f"{_SEATS} SELECT scenario, agent, {_STATS} FROM seats GROUP BY scenario, agent"
        ).fetchall()
        first: dict[str, int] = {}
        for r in by_scenario:
            first[r[0]] = min(first.get(r[0], r[-1]), r[-1])
        scenarios = sorted(
            (_standing(r[1], r[0], r[2:-1]) for r in by_scenario),
            key=lambda s: (first[s.scenario or ""], *_rank(s)),
        )
        meetings = [
            Meeting(
                agent=a,
                opponent=b,
                utility=Estimate.of_mean(u, su, int(n)),
                agreement=Estimate.of_rate(int(agreed), int(n)),
            )
            for a, b, u, su, n, agreed in db.execute(
                f"""{_SEATS}
                SELECT x.agent, y.agent, avg(x.utility), stddev_samp(x.utility),
                       count(x.utility), count(*) FILTER (WHERE x.utility IS NOT NULL
                                                          AND x.agreement)
                FROM seats x JOIN seats y ON x.id = y.id AND x.seat <> y.seat
                GROUP BY x.agent, y.agent ORDER BY x.agent, y.agent"""
            ).fetchall()
        ]
        rates = [
            (str(s), Estimate.of_rate(int(a), int(n)))
            for s, a, n, _ in db.execute(
                """SELECT scenario, count(*) FILTER (WHERE agreement), count(utilities), min(idx)
                   FROM negotiations GROUP BY scenario ORDER BY min(idx)"""
            ).fetchall()
        ]
        histograms = [
            (str(a), int(b), int(n))
            for a, b, n in db.execute(
                f"""{_SEATS}
                SELECT agent, least(greatest(floor(utility * {BINS}), 0), {BINS - 1})::INTEGER
                       AS bin, count(*)
                FROM seats WHERE utility IS NOT NULL GROUP BY agent, bin ORDER BY agent, bin"""
            ).fetchall()
        ]
    finally:
        if store is not results:
            store.close()
    return Leaderboard(
        negotiations=total,
        statuses=statuses,
        agents=tuple(sorted(agents, key=_rank)),
        scenarios=tuple(scenarios),
        head_to_head=tuple(meetings),
        scenario_agreement=tuple(rates),
        histograms=tuple(histograms),
    )
