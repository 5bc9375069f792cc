"""The one way zopa turns a ``seed`` argument into a random generator.

Every stochastic function takes ``seed: int | numpy.random.Generator | None`` and builds one
:class:`numpy.random.Generator` with :func:`generator`; nothing touches NumPy's or Python's global
random state. A generator passed in is used as it is (so a caller can chain draws); an int (or a
:class:`numpy.random.SeedSequence`) seeds a new one; ``None`` draws fresh entropy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zopa.model.errors import ArgumentError

__all__ = ["Seed", "generator"]

#: What a ``seed`` argument may be.
Seed = int | np.random.Generator | np.random.SeedSequence | None


def generator(seed: Any, name: str = "seed") -> np.random.Generator:
    """A :class:`numpy.random.Generator` for ``seed``, or :class:`ArgumentError` naming ``name``.

    Examples:
        >>> int(generator(1).integers(100)) == int(generator(1).integers(100))
        True
        >>> generator("a")
        Traceback (most recent call last):
        ...
        zopa.model.errors.ArgumentError: seed: expected an integer >= 0, a numpy Generator or None, got 'a'
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ArgumentError(
            f"{name}: expected an integer >= 0, a numpy Generator or None, got {seed!r}"
        )
    return np.random.default_rng(int(seed))
