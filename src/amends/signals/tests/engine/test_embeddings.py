"""The optional embeddings backend: the numpy encoder against torch, the model file's check, and the stacked
complaint head behind its switch. (Its benchmark figure: learning/test_evaluation.py.)

CI installs the extra (`make test` depends on `make embeddings`), so a missing model is a failure here, not
a skip: a skipped suite would let the backend rot unnoticed. The `encoder` fixture is in ../conftest.py."""

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from amends.signals.engine import classifiers, embeddings
from amends.signals.engine.model import ARTIFACTS

REFERENCE = Path(__file__).parent / "minilm_reference.json"


COMPLAINT = "Still waiting for my refund after three weeks and nobody answers my emails. Useless."


def test_numpy_encoder_reproduces_torch(encoder):
    """Reference vectors computed with torch and transformers (mean pooling, L2 norm), kept in the fixture."""
    ref = json.loads(REFERENCE.read_text())
    ours = embeddings.embed(ref["texts"])
    assert ours.shape == (4, 384)
    assert np.abs(ours - np.array(ref["embeddings"], np.float32)).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


@pytest.fixture
def switched_on(monkeypatch, encoder):
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    assert classifiers.stacked_complaint() is not None


def test_batched_and_single_texts_agree(encoder):
    """Padding in a batch must not move a text's embedding."""
    texts = json.loads(REFERENCE.read_text())["texts"]
    one_by_one = np.concatenate([embeddings.embed([t]) for t in texts])
    assert np.abs(embeddings.embed(texts) - one_by_one).max() < 1e-5


def test_a_tampered_model_file_is_refused(tmp_path, monkeypatch, encoder):
    source = embeddings.model_dir()
    assert source is not None
    shutil.copy(source / "tokenizer.json", tmp_path / "tokenizer.json")
    shutil.copy(source / "model.safetensors", tmp_path / "model.safetensors")
    with (tmp_path / "model.safetensors").open("r+b") as f:
        f.seek(5_000_000)
        byte = f.read(1)
        f.seek(5_000_000)
        f.write(bytes([byte[0] ^ 1]))
    monkeypatch.setenv(embeddings.ENV_MODEL_DIR, str(tmp_path))
    assert embeddings.available() is False
    with pytest.raises(embeddings.EmbeddingsUnavailable, match="sha256"):
        embeddings.embed(["hello"])


def test_no_model_folder_means_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv(embeddings.ENV_MODEL_DIR, str(tmp_path / "absent"))
    assert embeddings.available() is False
    with pytest.raises(embeddings.EmbeddingsUnavailable, match="make embeddings"):
        embeddings.embed(["hello"])


def test_the_switch_changes_the_complaint_probability_only(monkeypatch, encoder):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    # a complaint the two read a little differently (a blatant one is 0.998 to both)
    polite = "My mortgage payment was taken twice this month and I would like the second one refunded please."
    default = {s.type: s for s in classifiers.classify(polite)}
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    stacked = {s.type: s for s in classifiers.classify(polite)}
    assert stacked["complaint"].score >= 0.5
    assert stacked["complaint"].score != default["complaint"].score
    # the words still come from the TF-IDF head, and the other heads do not move
    assert stacked["complaint"].spans == default["complaint"].spans
    for kind in ("dissatisfaction", "anger", "abuse"):
        assert stacked[kind] == default[kind]


def test_classify_many_matches_classify_when_switched_on(switched_on):
    texts = [COMPLAINT, "Thanks, all sorted now.", ""]
    for one, batch in zip(map(classifiers.classify, texts), classifiers.classify_many(texts), strict=True):
        assert [s.score for s in one] == pytest.approx([s.score for s in batch], abs=1e-4)


def test_classify_is_unchanged_when_the_switch_is_off_or_not_1(monkeypatch):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    default = classifiers.classify(COMPLAINT)
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "0")
    assert classifiers.stacked_complaint() is None
    assert classifiers.classify(COMPLAINT) == default
    assert classifiers.classify_many([COMPLAINT]) == [default]


def test_the_default_path_does_not_import_tokenizers():
    code = (
        "import sys; from amends.signals.engine.analyser import analyse; analyse('my refund never came');"
        "assert 'tokenizers' not in sys.modules and 'amends.signals.engine.embeddings' not in sys.modules"
    )
    env = {k: v for k, v in os.environ.items() if k != classifiers.EMBEDDINGS_SWITCH}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)  # noqa: S603 (our own code string)


def test_switched_on_but_unavailable_warns_once_and_uses_the_default(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    default = classifiers.classify(COMPLAINT)
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    monkeypatch.setenv(embeddings.ENV_MODEL_DIR, str(tmp_path))
    classifiers._load_stacked.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="amends.signals.engine.classifiers"):
            assert classifiers.classify(COMPLAINT) == default
            assert classifiers.classify(COMPLAINT) == default
        assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
        assert classifiers.backend_version() == ""
    finally:
        classifiers._load_stacked.cache_clear()


def test_the_shipped_stacked_head_was_trained_on_this_model():
    meta = json.loads((ARTIFACTS / "complaint_embeddings.json").read_text())
    assert meta["embedding_model_sha256"] == embeddings.MODEL_SHA256
    with np.load(ARTIFACTS / "complaint_embeddings.npz") as z:
        assert z["coef"].shape == (385,)
