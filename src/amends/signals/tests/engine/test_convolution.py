"""The default complaint probability: the mean of the TF-IDF head's logit and the word-order reader's
(engine/convolution.py), as shipped, and the reader's arithmetic."""

import json
import shutil

import numpy as np
import pytest

from amends.signals.engine import classifiers, convolution, static
from amends.signals.engine.convolution import Convolution
from amends.signals.engine.model import ARTIFACTS


def tfidf_logit(text: str) -> float:
    model = classifiers.load_model()
    return float(
        model.score(model.features(classifiers.tokenise(text))).logits[model.heads["complaint"].rows][0]
    )


def test_the_default_complaint_probability_is_the_mean_of_the_two_logits(monkeypatch):
    monkeypatch.delenv(classifiers.EMBEDDINGS_SWITCH, raising=False)
    head = classifiers.convolution_complaint()
    assert head is not None
    text = "Third time I have called and still no engineer. Unacceptable."
    [complaint] = [s for s in classifiers.classify(text) if s.type == "complaint"]
    reader = head.reader.logit(text)
    expected = 1 / (1 + np.exp(-(tfidf_logit(text) + reader) / 2))
    assert complaint.score == pytest.approx(round(float(expected), 4), abs=1e-4)
    assert reader > 0  # the reader itself says complaint, not only the TF-IDF half
    assert complaint.score >= 0.5 and complaint.spans  # evidence words still come from the TF-IDF head
    [calm] = [s for s in classifiers.classify("What time do you open on Sunday?") if s.type == "complaint"]
    assert calm.score < 0.5 and head.reader.logit("What time do you open on Sunday?") < 0


def test_the_reader_reads_word_order():
    reader = convolution.load()
    # the same tokens in another order: a bag of them (the static mean vector) cannot tell them apart
    a, b = "not happy, the refund came", "the refund came, not happy"
    assert sorted(reader.encoder.ids(a)) == sorted(reader.encoder.ids(b))
    np.testing.assert_allclose(reader.encoder.vector(a), reader.encoder.vector(b), atol=1e-6)
    assert reader.logit(a) != pytest.approx(reader.logit(b), abs=1e-3)


def stored_members(reader) -> list[Convolution]:
    return [convolution.member(ARTIFACTS / name, reader.encoder.table) for name in reader.meta["files"]]


def test_the_runtime_gives_the_trained_arithmetic_and_padding_reads_as_nothing():
    reader = convolution.load()
    texts = ["still waiting for my refund", "thanks!", "", "a " * 200, "x"]
    ids = [reader.encoder.ids(t) for t in texts]
    expected = []
    for stored in stored_members(reader):
        together = stored.logits(ids)  # the training path, padded as a batch
        alone = np.array([stored.logits([i])[0] for i in ids])
        np.testing.assert_allclose(together, alone, rtol=1e-5, atol=1e-5)
        expected.append(alone)
        one = convolution.Projected([stored])
        np.testing.assert_allclose([one.logit(i) for i in ids], alone, rtol=1e-4, atol=1e-4)
        assert one.logit([]) == pytest.approx(float(stored.out_bias[0]))  # no tokens: the bias alone
    np.testing.assert_allclose([reader.logit(t) for t in texts], np.mean(expected, 0), rtol=1e-4, atol=1e-4)


def test_the_members_differ_and_each_table_is_the_static_table_plus_its_moved_rows():
    reader = convolution.load()
    assert len(reader.meta["files"]) == 2
    members = stored_members(reader)
    assert not np.allclose(members[0].kernel, members[1].kernel)  # two orders, two models
    for name, member in zip(reader.meta["files"], members, strict=True):
        with np.load(ARTIFACTS / name) as z:
            moved = z["moved"]
        still = np.setdiff1d(np.arange(len(reader.encoder.table)), moved)
        assert 0 < len(moved) < len(reader.encoder.table)
        np.testing.assert_array_equal(member.table[still], reader.encoder.table[still])
        assert not np.allclose(member.table[moved], reader.encoder.table[moved])


def test_a_reader_trained_with_another_table_falls_back_to_tfidf_with_a_warning(tmp_path, caplog):
    meta = json.loads((ARTIFACTS / convolution.META).read_text())
    for name in (static.ARTIFACT, static.META, *meta["files"]):
        shutil.copy(ARTIFACTS / name, tmp_path / name)
    (tmp_path / convolution.META).write_text(json.dumps(meta | {"static_table_sha256": "other"}))
    assert classifiers.convolution_complaint(tmp_path) is None
    assert "another static table" in caplog.text
    assert classifiers.convolution_complaint(ARTIFACTS.parent / "nonexistent") is None
