"""The outcome space: every way the issues on the table can be settled.

An outcome picks one option per issue. zopa names it three ways, and :class:`OutcomeSpace`
converts between them:

- **option names** ``{issue: option}`` (what files and people write);
- **option codes** ``(c_0, ..., c_{m-1})`` with ``0 <= c_k < sizes[k]`` (what engines compute on,
  as ``int64`` arrays of shape ``(n, m)``);
- **flat index** ``0 <= i < cardinality``, the mixed-radix number whose digits are the codes, last
  issue fastest (GENIUS's enumeration order): ``i = Σ_k c_k · Π_{l>k} sizes[l]``. The size of a real
  space easily exceeds ``2**63`` (30 issues of 10 options), so indices are Python ints.

Every enumeration and every uniform sample of outcomes in zopa goes through this class, so all
engines see outcomes in the same order and the same seed draws the same sample everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError, ScenarioError, SpaceTooLargeError
from zopa.model.issue import Issue
from zopa.model.random import generator

__all__ = ["DEFAULT_CHUNK", "DEFAULT_LIMIT", "OutcomeSpace"]

IntArray = npt.NDArray[np.int64]
Seed = int | np.random.Generator | None

#: Largest space :meth:`OutcomeSpace.enumerate` lists unless told otherwise.
DEFAULT_LIMIT = 10_000_000

#: Outcomes per chunk of :meth:`OutcomeSpace.chunks`.
DEFAULT_CHUNK = 1_000_000

#: Largest cardinality whose flat indices fit in ``int64`` arithmetic.
_INT64_SAFE = 1 << 62


@dataclass(frozen=True)
class OutcomeSpace:
    """The Cartesian product of the issues' options.

    Attributes:
        issues: the issues, in order; codes and indices follow this order.

    Examples:
        >>> from zopa.model.issue import Issue
        >>> space = OutcomeSpace((Issue.discrete("a", ["x", "y"]), Issue.integer("b", 0, 2)))
        >>> space.sizes, space.cardinality
        ((2, 3), 6)
        >>> space.encode({"a": "y", "b": 1}).tolist(), space.index([1, 1])
        ([1, 1], 4)
        >>> space.decode(space.codes_at(4))
        {'a': 'y', 'b': '1'}
        >>> space.enumerate().tolist()
        [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]
    """

    issues: tuple[Issue, ...]

    def __post_init__(self) -> None:
        if not self.issues:
            raise ScenarioError("expected at least one issue, got none", path="issues")

    @classmethod
    def of_sizes(cls, sizes: Sequence[int]) -> OutcomeSpace:
        """An anonymous space: issue ``k`` is named ``"k"`` and its options ``"0", "1", ...``."""
        shape = [int(s) for s in sizes]
        if not shape or min(shape) < 1:
            raise ArgumentError(
                f"sizes: expected at least one issue, each with an option, got {shape}"
            )
        return cls(
            tuple(
                Issue(name=str(k), options=tuple(map(str, range(n)))) for k, n in enumerate(shape)
            )
        )

    # ------------------------------------------------------------------ sizes
    @property
    def names(self) -> tuple[str, ...]:
        """Issue names, in order."""
        return tuple(issue.name for issue in self.issues)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of options of each issue."""
        return tuple(issue.size for issue in self.issues)

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    @cached_property
    def cardinality(self) -> int:
        """Number of outcomes, an exact Python int (it may exceed ``2**63``)."""
        return math.prod(self.sizes)

    def __len__(self) -> int:
        """The cardinality, when it fits an index (Python's ``len`` is limited to ``2**63``)."""
        return self.cardinality

    @cached_property
    def _strides(self) -> tuple[int, ...]:
        """Place value of each issue's code in the flat index (last issue 1)."""
        out = [1] * self.n_issues
        for k in range(self.n_issues - 2, -1, -1):
            out[k] = out[k + 1] * self.issues[k + 1].size
        return tuple(out)

    # ------------------------------------------------------------------ conversions
    def encode(self, outcome: Mapping[str, str | float] | Sequence[str | float]) -> IntArray:
        """Codes of one outcome given by option names (or numbers, for numeric issues).

        Args:
            outcome: ``{issue name: option}`` naming every issue, or one option per issue in order.

        Raises:
            ScenarioError: an issue is missing or unknown, or an option is not one of the issue's.
        """
        if isinstance(outcome, (str, bytes)) or not isinstance(outcome, (Mapping, Sequence)):
            raise ArgumentError(
                "outcome: expected {issue: option} or one option per issue, "
                f"got {type(outcome).__name__}"
            )
        if isinstance(outcome, Mapping):
            unknown = [name for name in outcome if name not in self.names]
            if unknown:
                raise ScenarioError(
                    f"expected issues among {list(self.names)}, got unknown {unknown}"
                )
            missing = [name for name in self.names if name not in outcome]
            if missing:
                raise ScenarioError(f"expected an option for every issue, missing {missing}")
            options: Sequence[str | float] = [outcome[name] for name in self.names]
        else:
            options = list(outcome)
            if len(options) != self.n_issues:
                raise ScenarioError(
                    f"expected one option per issue ({self.n_issues}), got {len(options)}"
                )
        return np.asarray(
            [issue.code(o) for issue, o in zip(self.issues, options, strict=True)], dtype=np.int64
        )

    def decode(self, codes: Sequence[int] | IntArray) -> dict[str, str]:
        """``{issue name: option name}`` of one outcome given as codes."""
        row = self.check_codes(codes)
        return {
            issue.name: issue.options[int(c)] for issue, c in zip(self.issues, row, strict=True)
        }

    def check_codes(self, codes: npt.ArrayLike) -> IntArray:
        """Codes as an ``int64`` array of shape ``(m,)`` or ``(n, m)``, each within its issue.

        Raises:
            ArgumentError: wrong shape, or a code outside ``0 .. sizes[k] - 1``.
        """
        try:
            raw = np.asarray(codes)
            if raw.dtype.kind == "f" and not np.array_equal(raw, np.floor(raw)):
                raise ValueError("numbers that are not whole")
            if raw.dtype.kind not in "iuf" and raw.size:
                raise ValueError(f"values of type {raw.dtype}")
            arr = raw.astype(np.int64)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ArgumentError(f"outcomes: expected integer option codes, got {exc}") from None
        if arr.ndim not in (1, 2) or arr.shape[-1] != self.n_issues:
            raise ArgumentError(
                f"outcomes: expected codes of shape (n, {self.n_issues}) or ({self.n_issues},), "
                f"got shape {arr.shape}"
            )
        if arr.size:
            sizes = np.asarray(self.sizes, dtype=np.int64)
            bad = (arr < 0) | (arr >= sizes)
            if bad.any():
                where = np.argwhere(np.atleast_2d(bad))[0]
                k = int(where[-1])
                value = int(np.atleast_2d(arr)[where[0], k])
                raise ArgumentError(
                    f'outcomes: expected a code in 0..{sizes[k] - 1} for issue "{self.names[k]}", '
                    f"got {value}"
                )
        return arr

    def index(self, codes: Sequence[int] | IntArray) -> int:
        """Flat index (a Python int) of one outcome given as codes."""
        row = self.check_codes(codes)
        if row.ndim != 1:
            raise ArgumentError(f"outcomes: expected one outcome, got shape {row.shape}")
        return sum(int(c) * s for c, s in zip(row.tolist(), self._strides, strict=True))

    def codes_at(self, index: int) -> IntArray:
        """Codes of the outcome with flat index ``index``."""
        i = int(index)
        if not 0 <= i < self.cardinality:
            raise ArgumentError(f"index: expected 0..{self.cardinality - 1}, got {index}")
        out = []
        for s, size in zip(self._strides, self.sizes, strict=True):
            out.append((i // s) % size)
        return np.asarray(out, dtype=np.int64)

    def codes_of(self, indices: npt.ArrayLike) -> IntArray:
        """Codes ``(n, m)`` of many flat indices at once (spaces below ``2**62`` only)."""
        if self.cardinality > _INT64_SAFE:
            raise SpaceTooLargeError(
                f"the outcome space has {self.cardinality:,} outcomes, too many for array indices; "
                "use codes_at for single outcomes"
            )
        idx = np.asarray(indices, dtype=np.int64)
        strides = np.asarray(self._strides, dtype=np.int64)
        sizes = np.asarray(self.sizes, dtype=np.int64)
        return np.asarray((idx[..., None] // strides) % sizes, dtype=np.int64)

    # ------------------------------------------------------------------ enumeration
    def enumerate(self, *, limit: int = DEFAULT_LIMIT) -> IntArray:
        """Every outcome as codes, shape ``(cardinality, m)``, in flat-index order.

        Raises:
            SpaceTooLargeError: the space has more than ``limit`` outcomes (``--limit`` on the
                command line raises the guard).
        """
        self.check_limit(limit)
        return self.codes_of(np.arange(self.cardinality, dtype=np.int64))

    def chunks(self, *, chunk: int = DEFAULT_CHUNK, limit: int | None = None) -> Iterator[IntArray]:
        """Every outcome in flat-index order, in arrays of at most ``chunk`` rows."""
        if chunk < 1:
            raise ArgumentError(f"chunk: expected an integer >= 1, got {chunk}")
        if limit is not None:
            self.check_limit(limit)
        total = self.cardinality
        for start in range(0, total, chunk):
            yield self.codes_of(np.arange(start, min(start + chunk, total), dtype=np.int64))

    def check_limit(self, limit: int) -> None:
        """Raise :class:`SpaceTooLargeError` when the space has more than ``limit`` outcomes."""
        if self.cardinality > limit:
            raise SpaceTooLargeError(
                f"the outcome space has {self.cardinality:,} outcomes, more than the limit of "
                f"{limit:,}; raise it with --limit (limit= in Python) to enumerate anyway "
                "(time grows with the number of outcomes)"
            )

    def sample(self, n: int, *, seed: Seed = None) -> IntArray:
        """``n`` outcomes drawn uniformly, independently and with replacement (seeded).

        Each issue's code is drawn in turn from one :class:`numpy.random.Generator`, so any space
        size works and the same seed gives the same sample.
        """
        if n < 0:
            raise ArgumentError(f"n: expected an integer >= 0, got {n}")
        rng = generator(seed)
        if n == 0:
            return np.zeros((0, self.n_issues), dtype=np.int64)
        return np.stack([rng.integers(0, size, size=n) for size in self.sizes], axis=1).astype(
            np.int64
        )
