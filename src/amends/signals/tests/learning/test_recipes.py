"""The recipes the shipped heads are fitted with."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from amends.signals.learning.recipes import fit_linear


def test_char_weight_is_the_same_as_a_reweighted_idf():
    """fit_linear rescales the already-normalised training rows; a fresh transform with the stored idf (what
    the runtime does) must give the same rows, and only the char n-grams' idf changes."""
    texts = ["still waiting for my refund", "thanks for the quick reply", "you charged me twice"] * 2
    y = np.array([1, 0, 1] * 2)
    plain = fit_linear(texts, y, C=10.0)
    half = fit_linear(texts, y, C=10.0, char_weight=0.5)
    ratio = half.vectorizer.idf_ / plain.vectorizer.idf_
    names = plain.vectorizer.get_feature_names_out()
    assert np.allclose(ratio, [0.5 if n.startswith("c:") else 1.0 for n in names])
    refit = LogisticRegression(C=10.0, max_iter=3000).fit(half.vectorizer.transform(texts), y)
    assert np.allclose(refit.coef_, half.model.coef_, atol=1e-3)
