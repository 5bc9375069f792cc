"""The opponent models of zopa.negotiation.opponent, each update checked by hand."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from zopa.model.errors import ArgumentError
from zopa.negotiation.opponent import BayesianModel, FrequencyModel, evaluation_shapes


def close(a: np.ndarray, b: object) -> None:
    np.testing.assert_allclose(a, np.asarray(b, dtype=float), rtol=1e-9, atol=1e-12)


# ------------------------------------------------------------------------------- frequency


def test_frequency_model_starts_flat_and_ignores_the_first_bid() -> None:
    m = FrequencyModel((2, 3, 2))
    m.update((1, 2, 0))
    assert m.weights.tolist() == pytest.approx([1 / 3] * 3)
    assert [c.tolist() for c in m.counts] == [[1, 1], [1, 1, 1], [1, 1]]
    assert m.utility([[0, 0, 0], [1, 2, 1]]).tolist() == pytest.approx([1.0, 1.0])


def test_frequency_model_three_bids_by_hand() -> None:
    # n = 3 issues, l = 0.2, ε = l/n = 1/15. Bids (0,0,0), (0,1,0), (1,1,0).
    m = FrequencyModel((2, 3, 2))
    m.update((0, 0, 0))
    # Bid 2: issues 0 and 2 unchanged, k = 2, T = 1 + 2/15 = 17/15, cap = 1 − 3·(1/15)/T = 14/17.
    # Both weights (1/3) are below the cap: w0 = w2 = (1/3 + 1/15)/T = 6/17, w1 = (1/3)/T = 5/17.
    m.update((0, 1, 0))
    assert m.weights.tolist() == pytest.approx([6 / 17, 5 / 17, 6 / 17])
    assert [c.tolist() for c in m.counts] == [[2, 1], [1, 2, 1], [2, 1]]
    # Bid 3: issues 1 and 2 unchanged: w1 = (5/17 + 1/15)/T = 92/289, w2 = (6/17 + 1/15)/T =
    # 107/289, w0 = (6/17)/T = 90/289 (sum 1).
    m.update((1, 1, 0))
    assert m.weights.tolist() == pytest.approx([90 / 289, 92 / 289, 107 / 289])
    assert [c.tolist() for c in m.counts] == [[2, 2], [1, 3, 1], [3, 1]]
    # Evaluations count / max count: issue 0 (1, 1), issue 1 (1/3, 1, 1/3), issue 2 (1, 1/3).
    _, evaluations = m.tables()
    for e, want in zip(evaluations, [[1, 1], [1 / 3, 1, 1 / 3], [1, 1 / 3]], strict=True):
        assert e.tolist() == pytest.approx(want)
    # Predicted utility Σ w_i · eval_i: (1,1,0) → 1; (0,0,1) → 90/289 + (92 + 107)/(3·289).
    assert m.utility([[1, 1, 0], [0, 0, 1]]).tolist() == pytest.approx([1.0, 469 / 867])
    assert float(m.utility(np.array([0, 0, 1]))) == pytest.approx(469 / 867)


def test_frequency_model_cap_holds_a_heavy_issue_back() -> None:
    # n = 2, ε = 0.1, one unchanged issue: T = 1.1, cap = 1 − 2·0.1/1.1 = 0.8181...
    m = FrequencyModel((2, 2))
    m.weights = np.array([0.85, 0.15])
    m.update((0, 0))
    m.update((0, 1))  # issue 0 unchanged but 0.85 ≥ cap: it is only divided by T
    assert m.weights.tolist() == pytest.approx([0.85 / 1.1, 0.15 / 1.1])
    m.weights = np.array([0.8, 0.2])
    m.update((0, 0))  # issue 0 unchanged, 0.8 < cap: (0.8 + 0.1)/1.1
    assert m.weights.tolist() == pytest.approx([0.9 / 1.1, 0.2 / 1.1])


def test_frequency_model_checks_its_input() -> None:
    with pytest.raises(ArgumentError, match="sizes"):
        FrequencyModel(())
    with pytest.raises(ArgumentError, match="learning"):
        FrequencyModel((2,), learning=1.5)
    with pytest.raises(ArgumentError, match="bid"):
        FrequencyModel((2, 2)).update((0, 2))


# ------------------------------------------------------------------------------- bayesian


def test_evaluation_shapes() -> None:
    assert evaluation_shapes(2).tolist() == [[1.0, 0.0], [0.0, 1.0]]
    close(
        evaluation_shapes(4),
        [
            [1, 2 / 3, 1 / 3, 0],  # downhill
            [0, 1 / 3, 2 / 3, 1],  # uphill
            [0, 1, 0.5, 0],  # peak at option 1
            [0, 0.5, 1, 0],  # peak at option 2
        ],
    )


def test_bayesian_posterior_after_one_bid_by_hand() -> None:
    # Two issues of two options. Hypotheses per issue: rank 1 or 2 (weights 1/3, 2/3), shape
    # downhill (1, 0) or uphill (0, 1). Uniform priors: ŵ = (1/2, 1/2), ê_i = (1/2, 1/2).
    m = BayesianModel((2, 2))
    assert m.rank_weights.tolist() == pytest.approx([1 / 3, 2 / 3])
    assert m.expected == 1.0
    m.update((0, 0))
    # Shape of issue 0, the rest R = ŵ_1·ê_1(0) = 1/4: downhill u = 1/2·1 + 1/4 = 3/4, uphill
    # u = 1/2·0 + 1/4 = 1/4. E = 1, σ = 0.25: likelihoods ∝ exp(−x²/(2σ²)) at x = 1/4 and 3/4,
    # i.e. exp(−1/2) and exp(−9/2): posterior downhill = 1/(1 + e^−4).
    p = 1 / (1 + math.exp(-4))
    for i in range(2):
        assert m.shape_posteriors[i].tolist() == pytest.approx([p, 1 - p])
    # Rank of issue 0: u = w·ê_0(0) + (1 − w)·R/(1 − ŵ_0) = w/2 + (1 − w)/2 = 1/2 for both
    # ranks, so the rank posterior stays uniform.
    close(m.rank_posteriors, [[0.5, 0.5], [0.5, 0.5]])
    assert m.expected == pytest.approx(0.965)
    weights, evaluations = m.tables()
    assert weights.tolist() == pytest.approx([0.5, 0.5])
    assert evaluations[0].tolist() == pytest.approx([p, 1 - p])
    # Predicted utility of (0, 0): 1/2·p + 1/2·p; of (1, 0): 1/2·(1 − p) + 1/2·p.
    assert m.utility([[0, 0], [1, 0]]).tolist() == pytest.approx([p, 0.5])


def test_bayesian_weights_follow_the_issue_the_opponent_keeps() -> None:
    m = BayesianModel((2, 2))
    m.update((0, 0))
    m.update((0, 1))  # keeps its favourite on issue 0, gives way on issue 1
    weights, _ = m.tables()
    assert weights[0] > 0.5 > weights[1]
    assert m.rank_posteriors[0, 1] > m.rank_posteriors[0, 0]


def test_bayesian_likelihood_is_zero_above_the_expected_utility() -> None:
    m = BayesianModel((3,))
    m.learnt = 2  # E = 1 − 2·0.035 = 0.93
    e = m.expected
    assert e == pytest.approx(0.93)
    lik = m.likelihood(np.array([0.95, e, 0.5]))
    density = 1 / (0.25 * math.sqrt(2 * math.pi))
    x = (0.93 - 0.5) / 0.93
    assert lik.tolist() == pytest.approx([0.0, density, density * math.exp(-(x * x) / 0.125)])


def test_bayesian_learns_from_new_bids_only_and_stops_at_zero() -> None:
    m = BayesianModel((3, 3))
    m.update((0, 0))
    before = [p.copy() for p in m.shape_posteriors]
    m.update((0, 0))  # a repeat teaches nothing
    assert m.learnt == 1
    assert all((a == b).all() for a, b in zip(before, m.shape_posteriors, strict=True))
    seen = 1
    for a in range(3):
        for b in range(3):
            if (a, b) != (0, 0):
                m.update((a, b))
                seen += 1
    assert m.learnt == seen == 9
    late = BayesianModel((3, 3))
    late.learnt = 29  # E = 1 − 29·0.035 < 0: (E − u)/E is undefined, learning has stopped
    late.update((1, 1))
    assert late.learnt == 29 and (1, 1) in late.seen
    close(late.rank_posteriors, [[0.5, 0.5], [0.5, 0.5]])


def test_models_predict_whole_rankings_and_pickle() -> None:
    codes = (
        np.array(np.meshgrid(*[np.arange(s) for s in (4, 3, 5)], indexing="ij")).reshape(3, -1).T
    )
    for model in (FrequencyModel((4, 3, 5)), BayesianModel((4, 3, 5))):
        for bid in [(0, 0, 0), (0, 1, 0), (1, 1, 4), (3, 2, 4)]:
            model.update(bid)
        u = model.utility(codes)
        assert u.shape == (60,) and (u >= 0).all() and (u <= 1 + 1e-12).all()
        copy = pickle.loads(pickle.dumps(model))
        assert (copy.utility(codes) == u).all()


def test_bayesian_checks_its_input() -> None:
    with pytest.raises(ArgumentError, match="step"):
        BayesianModel((2,), step=0)
    with pytest.raises(ArgumentError, match="sigma"):
        BayesianModel((2,), sigma=0)
