"""The complaint head's teacher labels: the pool is drawn the same way every time and never holds a
benchmark tweet; the committed labels match that pool; teaching joins the final fit, not the choice of C;
a changed pool is refused with the command that mends it."""

import numpy as np
import pytest
from django.conf import settings

from amends.signals.learning import datasets, recipes, teacher

DATA = settings.SHARED_DATA_DIR
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason=f"public data not present at {DATA}")


@needs_data
def test_the_pool_is_deterministic_and_holds_no_benchmark_tweet():
    a, b = teacher.pool(DATA), teacher.pool(DATA)
    assert a == b and len(a) == sum(teacher.pool_sources(DATA).values())
    assert not set(datasets.load_acl(DATA)[0]) & set(a)
    assert not {r["tweet"] for r in datasets.load_xci(DATA)} & set(a)


@needs_data
def test_the_committed_labels_are_for_this_pool_one_teacher_per_benchmark_fold():
    shipped = teacher.shipped(DATA)
    fold = teacher.per_fold(DATA)
    assert shipped is not None and fold is not None
    assert len(shipped.p) == len(teacher.pool(DATA)) == len(fold(9).p)
    assert shipped.p.min() >= 0 and shipped.p.max() <= 1
    # ten different teachers (each fitted on its own training fold), all close to one another
    assert not np.array_equal(fold(0).p, fold(1).p)
    assert np.corrcoef(fold(0).p, shipped.p)[0, 1] > 0.8


@needs_data
def test_labels_for_another_pool_are_refused(tmp_path):
    labels = tmp_path / "complaint_teacher.npz"
    n = len(teacher.pool(DATA))
    np.savez(labels, shipped=np.zeros(n), folds=np.zeros((10, n)), pool_sha256=np.array("0" * 64))
    with pytest.raises(teacher.TeacherMismatch, match="amends signals teach"):
        teacher.shipped(DATA, labels)
    assert teacher.shipped(DATA, tmp_path / "absent.npz") is None


def test_teaching_joins_the_final_fit_twice_with_soft_weights_and_leaves_c_alone():
    taught = recipes.Teaching(["a", "b"], np.array([0.9, 0.2]), weight=0.5)
    texts, y, w = taught.rows()
    assert texts == ["a", "b", "a", "b"] and list(y) == [1, 1, 0, 0]
    assert np.allclose(w, [0.45, 0.1, 0.05, 0.4])
    tweets = ["still waiting for my refund", "thanks, all sorted", "you charged me twice", "lovely staff"] * 4
    label = np.array([1, 0, 1, 0] * 4)
    pool = ["my parcel never came and nobody answers", "what a kind and helpful team"]
    plain = recipes.fit_complaint(tweets, label)
    fitted = recipes.fit_complaint(tweets, label, teach=recipes.Teaching(pool, np.array([1.0, 0.0]), 5.0))
    assert fitted.extra["C"] == plain.extra["C"] and fitted.extra["taught_rows"] == 2
    assert "w:parcel" in fitted.vectorizer.vocabulary_ and "w:parcel" not in plain.vectorizer.vocabulary_
    assert fitted.logits([pool[0]])[0] > plain.logits([pool[0]])[0]
