"""Training writes artifacts the numpy runtime reads with scikit-learn's logits; without the embeddings
extra, the optional head is skipped with a reason."""

import numpy as np

from amends.signals.engine import embeddings
from amends.signals.learning import training
from amends.signals.learning.recipes import fit_linear


def test_training_export_and_runtime_agree(tmp_path):
    """Tiny in-memory heads through fit_linear -> export -> numpy Model: same logits as scikit-learn."""
    texts = [
        "still waiting for my refund",
        "where is my parcel, still nothing",
        "thanks for the quick reply",
        "great service, thank you",
        "you charged me twice",
        "lovely staff, all sorted",
    ] * 3
    y = np.array([1, 1, 0, 0, 1, 0] * 3)
    products = np.array(["a", "b", "c", "a", "b", "c"] * 3)
    heads = {
        # the complaint head's char n-grams at half idf: the weight must reach the runtime through the idf
        "complaint": (fit_linear(texts, y, C=10.0, char_weight=0.5), {"classes": ["1"]}),
        "product": (fit_linear(texts, products, C=10.0), {"classes": ["a", "b", "c"]}),
    }
    training.export(heads, tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    probe = ["still waiting, you charged me twice!", "thank you", "unseen words only", ""]
    assert training.parity(heads, tmp_path, probe) < 0.01


def test_without_the_extra_training_skips_the_stacked_head_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(embeddings, "available", lambda: False)
    lines: list[str] = []
    assert training.train_complaint_embeddings(tmp_path, tmp_path, None, log=lines.append) is None
    assert not list(tmp_path.iterdir())
    assert len(lines) == 1 and "make embeddings" in lines[0]


def test_one_head_refits_into_existing_artifacts_without_touching_the_others(tmp_path):
    """export_one appends the head's new features to the vocabulary: every other head's file is unchanged
    byte for byte and still scores as before; the refitted head scores as scikit-learn does."""
    texts = ["you idiot", "thanks a lot", "useless muppet", "lovely service"] * 3
    y = np.array([1, 0, 1, 0] * 3)
    heads = {
        "complaint": (fit_linear(texts, y, C=10.0), {"classes": ["1"]}),
        "abuse": (fit_linear(texts, y, C=10.0), {"classes": ["1"]}),
    }
    training.export(heads, tmp_path)
    before = (tmp_path / "complaint.npz").read_bytes()
    words_before = len(training.Model(tmp_path).vocab)
    new_texts = ["you absolute muppet", "thank you kindly", "you plonker", "kind regards"] * 3
    refit = fit_linear(new_texts, y, C=10.0)
    added = training.export_one("abuse", refit, {"classes": ["1"]}, tmp_path)
    assert added > 0 and (tmp_path / "complaint.npz").read_bytes() == before
    model = training.Model(tmp_path)
    assert len(model.vocab) == words_before + added
    probe = ["you plonker", "thanks a lot", "unseen words only", ""]
    heads["abuse"] = (refit, {"classes": ["1"]})
    assert training.parity(heads, tmp_path, probe) < 0.01
