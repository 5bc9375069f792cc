"""What every result type shares: value equality over NumPy arrays and read-only arrays."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np

__all__ = ["ArrayRecord"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


class ArrayRecord:
    """Mixin for frozen dataclasses (declared with ``eq=False``) that hold NumPy arrays.

    Two records are equal when they are of the same type and every field is equal, arrays by
    value (NaN equal to NaN); records are unhashable, like the arrays they hold. Every array field
    is made read-only when the record is built.
    """

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name))
            for f in fields(self)  # type: ignore[arg-type]
        )

    __hash__ = None  # type: ignore[assignment]
