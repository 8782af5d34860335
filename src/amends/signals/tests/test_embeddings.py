"""The optional embeddings backend: the numpy encoder against torch, the model file's check, the stacked
complaint head behind its switch, and its benchmark figure on tiny data.

CI installs the extra (`make test` depends on `make embeddings`), so a missing model is a failure here, not
a skip: a skipped suite would let the backend rot unnoticed."""

import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from amends.signals import classifiers, embeddings, evaluation, services, training
from amends.signals.tests.test_evaluation import tiny

REFERENCE = Path(__file__).parent / "minilm_reference.json"
COMPLAINT = "Still waiting for my refund after three weeks and nobody answers my emails. Useless."


@pytest.fixture(scope="module")
def encoder() -> embeddings.Encoder:
    try:
        return embeddings.encoder()
    except embeddings.EmbeddingsUnavailable as exc:
        pytest.fail(f"the embeddings extra is missing ({exc}): run make embeddings")


@pytest.fixture
def switched_on(monkeypatch, encoder):
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    assert classifiers.stacked_complaint() is not None


def test_numpy_encoder_reproduces_torch(encoder):
    """Reference vectors computed with torch and transformers (mean pooling, L2 norm), kept in the fixture."""
    ref = json.loads(REFERENCE.read_text())
    ours = embeddings.embed(ref["texts"])
    assert ours.shape == (4, 384)
    assert np.abs(ours - np.array(ref["embeddings"], np.float32)).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)


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
    default = {s.type: s for s in classifiers.classify(COMPLAINT)}
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    stacked = {s.type: s for s in classifiers.classify(COMPLAINT)}
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
        "import sys; from amends.signals.analyser import analyse; analyse('my refund never came');"
        "assert 'tokenizers' not in sys.modules and 'amends.signals.embeddings' not in sys.modules"
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
        with caplog.at_level(logging.WARNING, logger="amends.signals.classifiers"):
            assert classifiers.classify(COMPLAINT) == default
            assert classifiers.classify(COMPLAINT) == default
        assert len([r for r in caplog.records if "unavailable" in r.getMessage()]) == 1
        assert classifiers.backend_version() == ""
    finally:
        classifiers._load_stacked.cache_clear()


def test_the_analyser_version_names_the_backend(monkeypatch, encoder):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    default = services.analyser_version()
    monkeypatch.setenv(classifiers.EMBEDDINGS_SWITCH, "1")
    stacked = services.analyser_version()
    assert stacked == default + "+emb-" + embeddings.MODEL_SHA256[:10]
    from amends.signals.models import MessageAnalysis

    assert len(stacked) <= MessageAnalysis._meta.get_field("analyser_version").max_length


def test_the_shipped_stacked_head_was_trained_on_this_model():
    meta = json.loads((classifiers.ARTIFACTS / "complaint_embeddings.json").read_text())
    assert meta["embedding_model_sha256"] == embeddings.MODEL_SHA256
    with np.load(classifiers.ARTIFACTS / "complaint_embeddings.npz") as z:
        assert z["coef"].shape == (385,)


def test_the_benchmark_figure_runs_on_tiny_data(encoder):
    texts, y = tiny()
    value = evaluation.complaint_embeddings_cv(texts, y, embeddings.embed(texts), folds=2)
    assert 0.7 <= value <= 1.0


def test_without_the_extra_training_and_the_benchmark_skip_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    lines: list[str] = []
    assert training.train_complaint_embeddings(tmp_path, tmp_path, None, log=lines.append) is None
    texts, y = tiny()
    assert evaluation._complaint_embeddings_figure(texts, y, None, [], lines.append) == []
    assert evaluation._embeddings_throughput(texts, [], lines.append) == []
    assert not list(tmp_path.iterdir())
    assert all("make embeddings" in line for line in lines) and len(lines) == 3
