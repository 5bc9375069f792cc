"""Random scenarios for benchmarks, tests and teaching (seeded)."""

from __future__ import annotations

import string

import numpy as np

from zopa.model.errors import ArgumentError
from zopa.model.issue import Issue
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.scenario import Scenario

__all__ = ["random_scenario"]


def random_scenario(
    issues: int,
    options: int,
    *,
    parties: int = 2,
    seed: int | np.random.Generator | None = None,
    reservation: float | None = None,
    disagreement: int | None = None,
) -> Scenario:
    """An additive scenario with random preferences.

    Every issue has ``options`` options named ``o0, o1, ...``; each party (``A``, ``B``, ...) draws,
    in turn, its weights from a flat Dirichlet distribution and a value in [0, 1) for every option,
    all from one generator seeded with ``seed``, so the same seed gives the same scenario.

    Args:
        issues: number of issues (>= 1).
        options: number of options of every issue (>= 1).
        parties: number of parties, 1..26.
        seed: seed of the one generator every draw comes from.
        reservation: every party's reservation value (default: left to the disagreement rule).
        disagreement: the option code that holds on every issue if talks fail (default: none).

    Raises:
        ArgumentError: an argument is out of range (the message names it).

    Examples:
        >>> s = random_scenario(30, 10, seed=1)
        >>> s.n_outcomes == 10**30, [p.name for p in s.parties]
        (True, ['A', 'B'])
    """
    if issues < 1:
        raise ArgumentError(f"issues: expected an integer >= 1, got {issues}")
    if options < 1:
        raise ArgumentError(f"options: expected an integer >= 1, got {options}")
    if not 1 <= parties <= len(string.ascii_uppercase):
        raise ArgumentError(f"parties: expected an integer in 1..26, got {parties}")
    if disagreement is not None and not 0 <= disagreement < options:
        raise ArgumentError(
            f"disagreement: expected an option code in 0..{options - 1}, got {disagreement}"
        )
    rng = np.random.default_rng(seed)
    names = [f"o{j}" for j in range(options)]
    dis = None if disagreement is None else names[disagreement]
    drawn = tuple(Issue.discrete(f"i{k}", names, disagreement=dis) for k in range(issues))
    seated = []
    for name in string.ascii_uppercase[:parties]:
        weights = rng.dirichlet(np.ones(issues))
        table = rng.random((issues, options))
        utility = AdditiveUtility(
            weights=tuple(weights.tolist()), values=tuple(tuple(row) for row in table.tolist())
        )
        seated.append(Party(name, utility, reservation=reservation))
    return Scenario(name=f"random-{issues}x{options}", issues=drawn, parties=tuple(seated))
