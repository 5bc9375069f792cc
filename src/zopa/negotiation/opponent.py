"""Opponent models: what an agent learns of the other party's preferences from its offers alone.

An agent never sees another party's preferences; it may only watch its offers. An
:class:`OpponentModel` is fed every offer the opponent makes (:meth:`~OpponentModel.update`) and
predicts the opponent's utility of any outcomes (:meth:`~OpponentModel.utility`, one row of
option codes per outcome, vectorised over NumPy arrays such as a
:class:`~zopa.negotiation.ranking.Ranking`'s ``codes``). Both models are additive: a weight per
issue times an evaluation per option, so a prediction is one table look-up per issue.

- :class:`FrequencyModel`: HardHeaded's frequency model (van Krimpen, Looije & Hajizadeh,
  "HardHeaded", in *Complex Automated Negotiations: Theories, Models, and Software
  Competitions*, SCI 435, Springer 2013; GENIUS 10.4
  ``negotiator/boaframework/opponentmodel/HardHeadedFrequencyModel.java``): an issue whose value
  the opponent keeps gains weight; an option it offers often gains value.
- :class:`BayesianModel`: the Bayesian model of Hindriks & Tykhonov, "Opponent modelling in
  automated multi-issue negotiation using Bayesian learning", AAMAS 2008, in its scalable form
  with one posterior per issue (GENIUS 10.4
  ``agents/bayesianopponentmodel/BayesianOpponentModelScalable.java``): hypotheses on each
  issue's weight rank and on the shape of each issue's evaluation function, weighed by how well
  they explain an opponent that concedes at a constant pace.

Both follow section 5.9 of the negotiation reference; the details it leaves open are stated in
each class's docstring.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from zopa.model.errors import ArgumentError

__all__ = ["BayesianModel", "FrequencyModel", "OpponentModel", "evaluation_shapes"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class OpponentModel(ABC):
    """A running estimate of the opponent's utility function, learnt from its offers."""

    #: Number of options of each issue (the outcome space's sizes).
    sizes: tuple[int, ...]

    @abstractmethod
    def update(self, bid: Sequence[int] | npt.ArrayLike) -> None:
        """Learn from the opponent's next offer (option codes, one per issue)."""

    @abstractmethod
    def tables(self) -> tuple[FloatArray, tuple[FloatArray, ...]]:
        """The current estimate: issue weights and each issue's option evaluations."""

    def utility(self, codes: npt.ArrayLike) -> FloatArray:
        """Predicted opponent utility of each row of ``codes`` (option codes), ``Σ_i w_i·e_i``.

        One outcome (a 1-d array) gives a 0-d array; use ``float(...)`` on it.
        """
        c = np.asarray(codes, dtype=np.int64)
        weights, evaluations = self.tables()
        rows = np.atleast_2d(c)
        out = np.zeros(rows.shape[0], dtype=float)
        for k, (w, e) in enumerate(zip(weights, evaluations, strict=True)):
            out += w * e[rows[:, k]]
        return out.reshape(c.shape[:-1])


def _sizes(sizes: Sequence[int]) -> tuple[int, ...]:
    out = tuple(int(s) for s in sizes)
    if not out or min(out) < 1:
        raise ArgumentError(f"sizes: expected at least one issue with an option, got {list(out)}")
    return out


def _bid(bid: Sequence[int] | npt.ArrayLike, sizes: tuple[int, ...]) -> IntArray:
    b = np.asarray(bid, dtype=np.int64).reshape(-1)
    if b.shape[0] != len(sizes) or np.any(b < 0) or np.any(b >= np.asarray(sizes)):
        raise ArgumentError(f"bid: expected option codes for sizes {list(sizes)}, got {b.tolist()}")
    return b


class FrequencyModel(OpponentModel):
    """HardHeaded's frequency model (sections 5.3 and 5.9 of the negotiation reference).

    With ``n`` issues and learning coefficient ``l`` (0.2), ``ε = l/n``:

    1. Issue weights start equal, ``1/n``; every option's count starts at 1.
    2. The first bid only becomes "the previous bid". From the second bid on, each bid is
       compared with the previous one. Let ``k`` be the number of issues whose value did not
       change and ``T = 1 + ε·k``. An unchanged issue whose weight is below the cap
       ``1 − n·ε/T`` gets ``w ← (w + ε)/T``; every other issue gets ``w ← w/T`` (so the
       weights sum to 1 unless the cap held one back).
    3. From the second bid on, the count of the option the bid offers in every issue goes up by
       one. An option's evaluation is its count over the issue's largest count.

    The predicted utility is ``Σ_i w_i · count_i(b_i) / max_v count_i(v)``. The reference puts
    the count increase inside the "from the 2nd bid on" update, so the first bid's options are
    not counted; that reading is the one implemented.

    Examples:
        >>> m = FrequencyModel((2, 2))
        >>> for bid in [(0, 0), (0, 1), (1, 1)]:
        ...     m.update(bid)
        >>> [round(float(w), 6) for w in m.weights]
        [0.495868, 0.504132]
        >>> m.utility([[0, 1], [1, 0]]).round(6).tolist()
        [1.0, 0.663912]
    """

    def __init__(self, sizes: Sequence[int], *, learning: float = 0.2) -> None:
        self.sizes = _sizes(sizes)
        if not 0 < learning < 1:
            raise ArgumentError(f"learning: expected a number in (0, 1), got {learning!r}")
        n = len(self.sizes)
        self.learning = float(learning)
        self.epsilon = self.learning / n
        self.weights: FloatArray = np.full(n, 1.0 / n)
        self.counts: list[FloatArray] = [np.ones(m) for m in self.sizes]
        self.previous: IntArray | None = None
        self.bids = 0

    def update(self, bid: Sequence[int] | npt.ArrayLike) -> None:
        b = _bid(bid, self.sizes)
        self.bids += 1
        previous, self.previous = self.previous, b
        if previous is None:
            return
        n = len(self.sizes)
        unchanged = b == previous
        total = 1.0 + self.epsilon * int(unchanged.sum())
        cap = 1.0 - n * self.epsilon / total
        gain = unchanged & (self.weights < cap)
        self.weights = (self.weights + np.where(gain, self.epsilon, 0.0)) / total
        for k, c in enumerate(b):
            self.counts[k][c] += 1.0

    def tables(self) -> tuple[FloatArray, tuple[FloatArray, ...]]:
        return self.weights, tuple(c / c.max() for c in self.counts)


def evaluation_shapes(size: int) -> FloatArray:
    """The evaluation-function hypotheses of one issue with ``size`` ordered options: downhill
    linear, uphill linear, then a triangle peaking at each interior option (Hindriks & Tykhonov
    2008), one row each, values in ``[0, 1]``.

    Examples:
        >>> evaluation_shapes(3).tolist()
        [[1.0, 0.5, 0.0], [0.0, 0.5, 1.0], [0.0, 1.0, 0.0]]
        >>> evaluation_shapes(1).tolist()
        [[1.0]]
    """
    if size == 1:
        return np.ones((1, 1))
    v = np.arange(size, dtype=float)
    top = size - 1.0
    rows = [(top - v) / top, v / top]
    for peak in range(1, size - 1):
        rows.append(np.where(v <= peak, v / peak, (top - v) / (top - peak)))
    return np.vstack(rows)


class BayesianModel(OpponentModel):
    """The Bayesian opponent model of Hindriks & Tykhonov (2008), scalable per-issue form
    (section 5.9 of the negotiation reference).

    Hypotheses, each issue on its own (which keeps the model linear in the number of issues):

    - **weight rank**: issue ``i`` is the ``k``-th least important of ``n`` (``k = 1..n``), with
      weight ``w_k = 2k / (n(n+1))`` (the paper's ranking-to-weights map; the ``n`` ranks'
      weights sum to 1);
    - **evaluation shape**: downhill, uphill or triangular (:func:`evaluation_shapes`), over the
      issue's options in their domain order.

    Priors are uniform. The estimate is the posterior mean: ``ŵ_i = Σ_k P_i(k)·w_k``,
    normalised to sum 1, and ``ê_i = Σ_h P_i(h)·shape_h``.

    Update on a bid ``b`` the opponent has not offered before (repeats teach nothing): the
    opponent is assumed to concede at a constant pace, so its ``j``-th new bid (``j`` from 0)
    is expected to be worth ``E = 1 − j·step`` to it (``step`` = 0.035, GENIUS's
    ``EXPECTED_CONCESSION_STEP``). A hypothesis that values ``b`` at ``u`` has likelihood 0 if
    ``u > E``, else the ``N(0, σ = 0.25)`` density at ``(E − u)/E``. For issue ``i``, ``u`` is
    the current estimate with that one part replaced by the hypothesis: with ``R_i`` the other
    issues' ``Σ_{j≠i} ŵ_j·ê_j(b_j)``,

    - weight rank ``k``: ``u = w_k·ê_i(b_i) + (1 − w_k)·R_i/(1 − ŵ_i)`` (the other weights
      rescaled to fill ``1 − w_k``; ``R_i`` is 0 with one issue);
    - shape ``h``: ``u = ŵ_i·shape_h(b_i) + R_i``.

    Every issue's likelihoods are computed from the estimate before the bid, then each
    posterior ``∝ prior × likelihood`` is normalised. Choices of zopa where the reference is
    silent: a posterior whose likelihoods are all 0 is left as it was, and learning stops once
    ``E ≤ 0`` (after ``⌈1/step⌉`` new bids) since ``(E − u)/E`` is then undefined.

    Examples:
        >>> m = BayesianModel((2, 2))
        >>> m.update((0, 0))
        >>> m.shape_posteriors[0].round(6).tolist()
        [0.982014, 0.017986]
    """

    def __init__(self, sizes: Sequence[int], *, step: float = 0.035, sigma: float = 0.25) -> None:
        self.sizes = _sizes(sizes)
        if not 0 < step < 1:
            raise ArgumentError(f"step: expected a number in (0, 1), got {step!r}")
        if not sigma > 0:
            raise ArgumentError(f"sigma: expected a number > 0, got {sigma!r}")
        n = len(self.sizes)
        self.step = float(step)
        self.sigma = float(sigma)
        self.rank_weights: FloatArray = 2.0 * np.arange(1, n + 1) / (n * (n + 1))
        self.rank_posteriors: FloatArray = np.full((n, n), 1.0 / n)
        self.shapes: tuple[FloatArray, ...] = tuple(evaluation_shapes(m) for m in self.sizes)
        self.shape_posteriors: list[FloatArray] = [
            np.full(s.shape[0], 1.0 / s.shape[0]) for s in self.shapes
        ]
        self.seen: set[tuple[int, ...]] = set()
        self.learnt = 0
        self._cache: tuple[FloatArray, tuple[FloatArray, ...]] | None = None

    @property
    def expected(self) -> float:
        """``E``, what the opponent's next new bid is expected to be worth to it."""
        return 1.0 - self.learnt * self.step

    def likelihood(self, u: FloatArray) -> FloatArray:
        """Likelihood of bids valued at ``u`` under the hypotheses, with ``E`` = :attr:`expected`."""
        e = self.expected
        x = (e - u) / e
        density = np.exp(-(x * x) / (2 * self.sigma**2)) / (self.sigma * np.sqrt(2 * np.pi))
        return np.where(u > e, 0.0, density)

    def update(self, bid: Sequence[int] | npt.ArrayLike) -> None:
        b = _bid(bid, self.sizes)
        key = tuple(int(c) for c in b)
        if key in self.seen:
            return
        self.seen.add(key)
        if self.expected <= 0:
            return
        weights, evaluations = self.tables()
        n = len(self.sizes)
        parts = np.array([weights[i] * evaluations[i][b[i]] for i in range(n)])
        rest = parts.sum() - parts
        new_ranks = self.rank_posteriors.copy()
        new_shapes = list(self.shape_posteriors)
        for i in range(n):
            others = rest[i] / (1.0 - weights[i]) if n > 1 else 0.0
            w = self.rank_weights
            u = w * evaluations[i][b[i]] + (1.0 - w) * others
            new_ranks[i] = _posterior(self.rank_posteriors[i], self.likelihood(u))
            u = weights[i] * self.shapes[i][:, b[i]] + rest[i]
            new_shapes[i] = _posterior(self.shape_posteriors[i], self.likelihood(u))
        self.rank_posteriors = new_ranks
        self.shape_posteriors = new_shapes
        self.learnt += 1
        self._cache = None

    def tables(self) -> tuple[FloatArray, tuple[FloatArray, ...]]:
        if self._cache is None:
            w = self.rank_posteriors @ self.rank_weights
            evaluations = tuple(
                p @ s for p, s in zip(self.shape_posteriors, self.shapes, strict=True)
            )
            self._cache = (w / w.sum(), evaluations)
        return self._cache


def _posterior(prior: FloatArray, likelihood: FloatArray) -> FloatArray:
    joint = prior * likelihood
    total = joint.sum()
    return prior if not total > 0 else joint / total
