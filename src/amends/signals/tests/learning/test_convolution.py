"""Training the word-order reader (learning/convolution.py): its gradients against finite differences, that
it learns, determinism, and the stored form."""

import numpy as np
import pytest

from amends.signals.engine import static
from amends.signals.engine.convolution import Convolution, batch, from_arrays
from amends.signals.learning import convolution


def small_model(gen, vocab=20, dim=6, filters=4) -> Convolution:
    def u(*shape):
        return gen.uniform(-0.5, 0.5, shape)

    return Convolution(u(vocab, dim), u(3 * dim, filters), u(filters), u(2 * filters), u(1))


def test_gradients_match_finite_differences():
    gen = np.random.default_rng(1)
    model = small_model(gen)
    idx, mask = batch([[1, 2, 3, 4], [5, 6], [7, 8, 9, 1, 2, 3]])
    mask = mask.astype(np.float64)
    target, weight = np.array([1.0, 0.3, 0.0]), np.array([1.0, 0.5, 0.2])

    def loss():
        return convolution._gradients(model, idx, mask, target, weight)[0]

    _, grads, used, table_grad = convolution._gradients(model, idx, mask, target, weight)
    pairs = [
        (p, g) for p, g in zip([model.kernel, model.bias, model.out, model.out_bias], grads, strict=True)
    ]
    pairs.append((model.table[used], table_grad))
    checked = 0
    for param, grad in pairs[:-1]:
        for j in np.ndindex(param.shape):
            old = param[j]
            param[j] = old + 1e-6
            up = loss()
            param[j] = old - 1e-6
            down = loss()
            param[j] = old
            assert (up - down) / 2e-6 == pytest.approx(grad[j], abs=1e-6)
            checked += 1
    for r, row in enumerate(used):
        for c in range(model.table.shape[1]):
            old = model.table[row, c]
            model.table[row, c] = old + 1e-6
            up = loss()
            model.table[row, c] = old - 1e-6
            down = loss()
            model.table[row, c] = old
            assert (up - down) / 2e-6 == pytest.approx(table_grad[r, c], abs=1e-6)
    assert checked == sum(p.size for p, _ in pairs[:-1])


NEGATED = ["not {} at all", "I am not {}", "never {} with you"]
PLAIN = ["so {} today", "I am {}", "very {} with you"]
WORDS = ["pleased", "satisfied", "glad", "impressed", "thrilled", "delighted"]


def test_it_learns_a_pattern_and_carries_it_to_a_word_it_never_saw():
    """Negated praise is a complaint, plain praise is not; the held-out word's sentences are scored right
    only if training moved the weights and the token vectors the right way."""
    texts = [t.format(w) for w in WORDS[:-1] for t in NEGATED + PLAIN] * 8
    y = np.array(([1] * len(NEGATED) + [0] * len(PLAIN)) * (len(WORDS) - 1) * 8)
    model = convolution.fit(texts, y, np.ones(len(y)), seed=3)
    enc = static.load_static()
    held = [t.format(WORDS[-1]) for t in NEGATED + PLAIN]
    z = model.logits([enc.ids(t) for t in held])
    assert (z[: len(NEGATED)] > 0).all() and (z[len(NEGATED) :] < 0).all(), z


def test_training_is_deterministic_for_a_seed_and_stores_as_it_scores():
    texts = ["still no refund", "thanks a lot", "broken again", "lovely service"] * 20
    y = np.array([1, 0, 1, 0] * 20)
    enc = static.load_static()
    a = convolution.fit(texts, y, np.ones(len(y)), seed=5)
    b = convolution.fit(texts, y, np.ones(len(y)), seed=5)
    np.testing.assert_array_equal(a.kernel, b.kernel)
    np.testing.assert_array_equal(a.table, b.table)
    shipped, arrays = convolution.quantised(a, enc.table)
    np.testing.assert_array_equal(from_arrays(arrays, enc.table).table, shipped.table)
    ids = [enc.ids(t) for t in texts[:4]]
    np.testing.assert_allclose(shipped.logits(ids), a.logits(ids), atol=0.05)  # the change rounds finely
    assert set(arrays["moved"]) == {i for t in texts for i in enc.ids(t)}  # only rows the texts use


def test_rows_are_labelled_warm_then_taught():
    from amends.signals.learning.recipes import EXTRA_NOT_WEIGHT, Teaching

    texts, target, weight = convolution.rows(
        ["a", "b"], np.array([1, 0]), ["warm"], Teaching(["p"], np.array([0.7]))
    )
    assert texts == ["a", "b", "warm", "p"]
    np.testing.assert_allclose(target, [1, 0, 0, 0.7])
    np.testing.assert_allclose(weight, [1, 1, EXTRA_NOT_WEIGHT, 0.5])
