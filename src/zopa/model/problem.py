"""The bargaining problem: what every analysis engine reads, built once per scenario and parties.

A :class:`BargainingProblem` is the arrays of a negotiation between a set of parties: the outcome
space, each party's utility function (as per-issue value tables when additive), the disagreement
option of each issue, the reservation values (the disagreement point of Nash 1950) with a record of
which are stated and which follow from the disagreement options, bargaining powers and discount
factors. It is frozen and its arrays are read-only, so engines can share one without copying and a
variant (another reservation vector, another disagreement option) is a new object.

**The reservation-value rule** (the only place it is implemented): a party's stated reservation
value wins; otherwise it is the party's utility of the all-disagreement outcome, or 0 when some
issue has no disagreement option.

Reference: J. Nash (1950), "The bargaining problem", *Econometrica* 18(2): 155–162.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError, ScenarioError
from zopa.model.preferences import AdditiveUtility, Party
from zopa.model.space import OutcomeSpace

if TYPE_CHECKING:
    from zopa.model.preferences import Utility
    from zopa.model.scenario import Scenario

__all__ = ["BargainingProblem", "reservation_values"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def _frozen(a: npt.ArrayLike) -> FloatArray:
    out = np.array(a, dtype=np.float64)  # a copy: the caller's array stays the caller's
    out.setflags(write=False)
    return out


def reservation_values(
    stated: Sequence[float | None] | npt.ArrayLike,
    disagreement_utilities: npt.ArrayLike | None,
) -> FloatArray:
    """Each party's reservation value by the rule in the module docstring.

    Args:
        stated: per party, its stated reservation value, or ``None`` (or NaN) where it states
            none; an array ``(..., parties)`` works too (a batch of draws).
        disagreement_utilities: per party, its utility of the all-disagreement outcome
            (``(..., parties)``), or ``None`` when some issue has no disagreement option.

    Examples:
        >>> reservation_values([0.3, None], [0.5, 0.25]).tolist()
        [0.3, 0.25]
        >>> reservation_values([None, None], None).tolist()
        [0.0, 0.0]
    """
    given = np.asarray(
        [np.nan if x is None else x for x in stated]
        if isinstance(stated, (list, tuple))
        else stated,
        dtype=float,
    )
    base = (
        np.zeros(given.shape)
        if disagreement_utilities is None
        else np.asarray(disagreement_utilities, dtype=float)
    )
    return np.asarray(np.where(np.isnan(given), base, given), dtype=float)


@dataclass(frozen=True, eq=False)
class BargainingProblem:
    """A negotiation between ``parties`` over ``space``, as engines read it.

    Build one with :meth:`from_scenario` (or :meth:`zopa.model.Scenario.problem`).

    Attributes:
        space: the outcome space.
        parties: party names, in order (the columns of every utility array).
        utility_functions: each party's preferences (additive or hyper-rectangles).
        disagreement: per issue, the code of the option that holds if talks fail, or ``None``.
        stated: per party, its stated reservation value or ``None`` (then derived by the rule).
        reservation: each party's reservation value (read-only array ``(parties,)``).
        powers: bargaining power per party for the asymmetric Nash solution (``None`` when no
            party states one: the symmetric solution); unset powers count as 1.
        discounts: per-round discount factor per party (read-only array).
    """

    space: OutcomeSpace
    parties: tuple[str, ...]
    utility_functions: tuple[Utility, ...]
    disagreement: tuple[int | None, ...]
    stated: tuple[float | None, ...]
    reservation: FloatArray
    powers: FloatArray | None
    discounts: FloatArray
    _rows: tuple[tuple[FloatArray, ...] | None, ...] = field(repr=False, default=())

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_scenario(
        cls, scenario: Scenario, parties: Sequence[str] | None = None
    ) -> BargainingProblem:
        """The problem of ``scenario`` between the named parties (default: all, in order)."""
        if isinstance(parties, str):
            raise ArgumentError(
                f'parties: expected a list of party names, got the string "{parties}"'
            )
        chosen: tuple[Party, ...] = (
            scenario.parties
            if parties is None
            else tuple(scenario.parties[scenario.party_index(n)] for n in parties)
        )
        space = scenario.space
        return cls.build(
            space,
            chosen,
            disagreement=tuple(issue.disagreement for issue in space.issues),
        )

    @classmethod
    def build(
        cls,
        space: OutcomeSpace,
        parties: Sequence[Party],
        *,
        disagreement: Sequence[int | None],
        reservation: npt.ArrayLike | None = None,
    ) -> BargainingProblem:
        """A problem from model objects; ``reservation`` overrides the rule for every party."""
        if len({p.name for p in parties}) != len(parties):
            raise ArgumentError("parties: expected distinct party names")
        rows = tuple(_party_rows(p) for p in parties)
        given = [p.power for p in parties]
        powers = None if all(x is None for x in given) else [1.0 if x is None else x for x in given]
        problem = cls(
            space=space,
            parties=tuple(p.name for p in parties),
            utility_functions=tuple(p.utility for p in parties),
            disagreement=tuple(disagreement),
            stated=tuple(p.reservation for p in parties),
            reservation=_frozen(np.zeros(len(parties))),
            powers=None if powers is None else _frozen(powers),
            discounts=_frozen([p.discount for p in parties]),
            _rows=rows,
        )
        if reservation is not None:
            return problem.with_reservation(reservation)
        return replace(problem, reservation=_frozen(problem.derived_reservation()))

    # ------------------------------------------------------------------ queries
    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def n_issues(self) -> int:
        return self.space.n_issues

    @property
    def is_additive(self) -> bool:
        """Whether every party's preferences are additive (then :attr:`tables` exists)."""
        return all(rows is not None for rows in self._rows)

    @cached_property
    def tables(self) -> tuple[FloatArray, ...]:
        """Per issue, a read-only array ``(parties, options)`` of ``weight × value``.

        Additive utilities are sums of one entry per issue. Raises :class:`ScenarioError` when a
        party's preferences are not additive.
        """
        for name, rows in zip(self.parties, self._rows, strict=True):
            if rows is None:
                raise ScenarioError(
                    f'party "{name}" has non-additive preferences; this needs additive ones'
                )
        out = []
        for k, size in enumerate(self.space.sizes):
            t = (
                np.stack([rows[k] for rows in self._rows if rows is not None])
                if self._rows
                else np.zeros((0, size))
            )
            t.setflags(write=False)
            out.append(t)
        return tuple(out)

    def party_rows(self, party: int) -> tuple[FloatArray, ...] | None:
        """Party ``party``'s additive value rows (one read-only array per issue, its column of
        :attr:`tables`), or ``None`` when its preferences are not additive."""
        return self._rows[party]

    def party_index(self, name: str) -> int:
        """Position of the party called ``name``."""
        if name in self.parties:
            return self.parties.index(name)
        raise ArgumentError(f'party: expected one of {list(self.parties)}, got "{name}"')

    def utilities(self, outcomes: npt.ArrayLike) -> FloatArray:
        """Utility of every party for each outcome.

        Additive utilities are summed as ``0.0 + t_0 + t_1 + ...`` in issue order over the rows of
        :attr:`tables`; the exact frontier engine sums in the same order, so both give
        bit-identical numbers.

        Args:
            outcomes: integer option codes, shape ``(n, issues)`` (or one outcome ``(issues,)``).

        Returns:
            Array ``(n, parties)`` (or ``(parties,)`` for a single outcome).
        """
        codes = self.space.check_codes(outcomes)
        single = codes.ndim == 1
        codes = np.atleast_2d(codes)
        out = np.empty((codes.shape[0], self.n_parties), dtype=float)
        for j, (rows, fn) in enumerate(zip(self._rows, self.utility_functions, strict=True)):
            if rows is not None:
                out[:, j] = 0.0
                for k, row in enumerate(rows):
                    out[:, j] += row[codes[:, k]]
            else:
                out[:, j] = fn.evaluate(codes, self.space.issues)
        return out[0] if single else out

    @property
    def disagreement_outcome(self) -> IntArray | None:
        """The all-disagreement outcome as codes, or ``None`` if some issue has no disagreement."""
        if any(code is None for code in self.disagreement):
            return None
        return np.asarray(self.disagreement, dtype=np.int64)

    @property
    def complete_disagreement(self) -> bool:
        """Whether every issue has a disagreement option."""
        return all(code is not None for code in self.disagreement)

    def derived_reservation(self, disagreement: Sequence[int | None] | None = None) -> FloatArray:
        """Reservation values by the rule, for this problem's or another disagreement vector."""
        d = self.disagreement if disagreement is None else tuple(disagreement)
        base = None
        if all(code is not None for code in d):
            base = self.utilities(np.asarray(d, dtype=np.int64))
        return reservation_values(self.stated, base)

    # ------------------------------------------------------------------ variants
    def with_reservation(self, reservation: npt.ArrayLike) -> BargainingProblem:
        """The same problem with every party's reservation value set (all then count as stated)."""
        r = np.asarray(reservation, dtype=float)
        if r.shape != (self.n_parties,):
            raise ArgumentError(
                f"reservation: expected one value per party ({self.n_parties}), got shape {r.shape}"
            )
        if not np.isfinite(r).all():
            raise ArgumentError("reservation: expected finite values, got NaN or infinite ones")
        return replace(self, reservation=_frozen(r), stated=tuple(float(x) for x in r))

    def with_disagreement(self, issue: int, code: int) -> BargainingProblem:
        """The problem when ``issue`` falls back to option ``code`` if talks fail (a threat).

        Reservation values derived from the disagreement outcome follow; stated ones stay.
        """
        if not 0 <= issue < self.n_issues or not 0 <= code < self.space.sizes[issue]:
            raise ArgumentError(f"expected an issue and option code in range, got {issue}, {code}")
        d = tuple(code if k == issue else c for k, c in enumerate(self.disagreement))
        return replace(self, disagreement=d, reservation=_frozen(self.derived_reservation(d)))

    # ------------------------------------------------------------------ equality
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BargainingProblem):
            return NotImplemented
        return (
            self.space == other.space
            and self.parties == other.parties
            and self.utility_functions == other.utility_functions
            and self.disagreement == other.disagreement
            and self.stated == other.stated
            and np.array_equal(self.reservation, other.reservation)
            and _same(self.powers, other.powers)
            and np.array_equal(self.discounts, other.discounts)
        )

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (names, reservation values, powers, disagreement options)."""
        return {
            "parties": list(self.parties),
            "issues": list(self.space.names),
            "outcomes": self.space.cardinality,
            "additive": self.is_additive,
            "reservation": dict(zip(self.parties, self.reservation.tolist(), strict=True)),
            "reservation_stated": dict(
                zip(self.parties, [r is not None for r in self.stated], strict=True)
            ),
            "powers": None
            if self.powers is None
            else dict(zip(self.parties, self.powers.tolist(), strict=True)),
            "disagreement": {
                issue.name: None if code is None else issue.options[code]
                for issue, code in zip(self.space.issues, self.disagreement, strict=True)
            },
        }


def _same(a: FloatArray | None, b: FloatArray | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return bool(np.array_equal(a, b))


def _party_rows(party: Party) -> tuple[FloatArray, ...] | None:
    if not isinstance(party.utility, AdditiveUtility):
        return None
    rows = tuple(party.utility.tables())
    for row in rows:
        row.setflags(write=False)
    return rows
