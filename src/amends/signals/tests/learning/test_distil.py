"""The model2vec distillation steps on small inputs: PCA and SIF weighting, int8 and 4-bit storage, token
outputs."""

import numpy as np

from amends.signals.engine import static
from amends.signals.learning import distil


def test_reduce_is_deterministic_and_weights_frequent_tokens_down():
    rng = np.random.default_rng(0)
    outputs = rng.normal(size=(500, 32)).astype(np.float32)
    a, variance = distil.reduce(outputs, dim=8)
    b, _ = distil.reduce(outputs, dim=8)
    assert a.shape == (500, 8) and np.array_equal(a, b)
    assert 0 < variance < 1
    plain, _ = distil.reduce(outputs, dim=8, sif=None)
    weight = np.linalg.norm(a, axis=1) / np.linalg.norm(plain, axis=1)
    assert weight[0] < weight[-1] < 1.0  # rank 0 is the most frequent: the smallest SIF weight


def test_quantise_round_trip_within_half_a_step():
    rng = np.random.default_rng(1)
    table = rng.normal(size=(50, 16)).astype(np.float32)
    table[3] = 0.0
    rows, scale = distil.quantise(table)
    assert rows.dtype == np.int8 and np.abs(rows).max() == 127
    assert np.all(np.abs(rows * scale[:, None] - table) <= scale[:, None] / 2 + 1e-7)
    assert not rows[3].any()


def test_quantise4_round_trip_within_half_a_step_of_each_row_and_column():
    rng = np.random.default_rng(2)
    # PCA-like columns: the later ones far smaller than the first
    table = (rng.normal(size=(60, 16)) * np.geomspace(4.0, 0.05, 16)).astype(np.float32)
    table[5] = 0.0
    packed, scale, column = distil.quantise4(table)
    assert packed.dtype == np.uint8 and packed.shape == (60, 8)
    q = static.unpack4(packed)
    assert np.abs(q).max() == 7 and set(np.unique(q)) <= set(range(-7, 8))
    back = q * scale[:, None] * column[None, :]
    step = scale[:, None] * column[None, :]
    assert np.all(np.abs(back - table) <= step / 2 + 1e-6)
    assert not back[5].any()
    # the column scale keeps the small dimensions: a row scale alone would round the last ones to zero
    assert np.corrcoef(back[:, -1], table[:, -1])[0, 1] > 0.9


def test_pack4_and_unpack4_are_inverse_over_every_nibble():
    q = np.arange(-8, 8, dtype=np.int8).reshape(2, 8)
    assert np.array_equal(static.unpack4(distil.pack4(q)), q.astype(np.float32))


def test_token_outputs_are_the_encoder_on_each_token_alone(encoder):
    vocab = distil.vocabulary(distil.embeddings.model_dir())
    shipped = static.load_static()
    assert list(shipped.wordpiece.vocab) == vocab
    small = vocab[:1100]  # [PAD], [unusedN], [CLS], [SEP] ... and single characters; id = position
    outputs = distil.token_outputs(encoder, small, log=lambda m: None)
    assert outputs.shape == (1100, 384) and np.isfinite(outputs).all()
    token = small.index("a")
    by_hand = encoder.hidden(np.array([[102, token, 101]]), np.ones((1, 3), np.float32))
    assert np.allclose(outputs[token], by_hand.mean(1)[0], atol=1e-5)
