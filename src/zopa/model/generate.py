"""Random scenarios for benchmarks, tests and teaching (seeded)."""

from __future__ import annotations

import math
import string

import numpy as np

from zopa.model.errors import ArgumentError
from zopa.model.issue import Issue
from zopa.model.preferences import AdditiveUtility, HyperRectangle, HyperRectangleUtility, Party
from zopa.model.random import generator
from zopa.model.scenario import Scenario

__all__ = ["random_box_scenario", "random_scenario"]


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


def random_box_scenario(
    issues: int,
    *,
    boxes: int = 20,
    values: int = 10,
    parties: int = 2,
    max_bounds: int = 4,
    cap: float = 0.7,
    excludes: float = 0.0,
    seed: int | np.random.Generator | None = None,
) -> Scenario:
    """A non-linear scenario of the ANAC 2014 shape: integer issues and hyper-rectangle utilities.

    Every issue takes the integers ``0..values-1``. Each party (``A``, ``B``, ...) draws ``boxes``
    boxes, each bounding ``1..max_bounds`` distinct issues (uniformly; at most all of them) to an interval of
    ``1..values-1`` consecutive integers placed uniformly, worth an integer in ``1..99``; its
    ``max_utility`` is ``ceil(cap × Σ box values)``, so that with the default ``cap`` the
    utility cap binds as it does in most ANAC 2014 profiles (whose ratio is 0.62-0.76). With
    ``excludes > 0`` that share of the boxes (on average) pays outside its bounds, as a GENIUS
    ``EXCLUDES`` rectangle does: it is stored as the reader stores one, an everywhere box plus the
    box with the opposite value. All draws come from one generator seeded with ``seed``.

    Raises:
        ArgumentError: an argument is out of range (the message names it).

    Examples:
        >>> s = random_box_scenario(40, boxes=80, seed=3)
        >>> s.n_outcomes == 10**40, len(s.parties[0].utility.rectangles)
        (True, 80)
    """
    if issues < 1:
        raise ArgumentError(f"issues: expected an integer >= 1, got {issues}")
    if values < 2:
        raise ArgumentError(f"values: expected an integer >= 2, got {values}")
    if boxes < 1:
        raise ArgumentError(f"boxes: expected an integer >= 1, got {boxes}")
    if max_bounds < 1:
        raise ArgumentError(f"max_bounds: expected an integer >= 1, got {max_bounds}")
    if not 1 <= parties <= len(string.ascii_uppercase):
        raise ArgumentError(f"parties: expected an integer in 1..26, got {parties}")
    if not 0.0 < cap <= 1.0:
        raise ArgumentError(f"cap: expected a number in (0, 1], got {cap}")
    if not 0.0 <= excludes <= 1.0:
        raise ArgumentError(f"excludes: expected a number in [0, 1], got {excludes}")
    rng = generator(seed)
    drawn = tuple(Issue.integer(f"i{k}", 0, values - 1) for k in range(issues))
    seated = []
    for name in string.ascii_uppercase[:parties]:
        rectangles: list[HyperRectangle] = []
        total = 0
        for _ in range(boxes):
            chosen = np.sort(
                rng.choice(
                    issues, size=int(rng.integers(1, min(max_bounds, issues) + 1)), replace=False
                )
            )
            bounds = []
            for k in chosen.tolist():
                width = int(rng.integers(1, values))
                low = int(rng.integers(0, values - width + 1))
                bounds.append((int(k), float(low), float(low + width - 1)))
            worth = int(rng.integers(1, 100))
            total += worth
            if rng.random() < excludes:
                rectangles += [
                    HyperRectangle(float(worth), ()),
                    HyperRectangle(-float(worth), tuple(bounds)),
                ]
            else:
                rectangles.append(HyperRectangle(float(worth), tuple(bounds)))
        utility = HyperRectangleUtility(
            rectangles=tuple(rectangles), max_utility=float(math.ceil(cap * total))
        )
        seated.append(Party(name, utility))
    return Scenario(name=f"boxes-{issues}x{values}", issues=drawn, parties=tuple(seated))
