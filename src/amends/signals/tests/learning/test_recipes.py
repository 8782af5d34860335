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


def test_goemotions_neither_keeps_ordinary_comments_without_hostility_or_profanity(tmp_path):
    """The abuse head's extra "neither" from GoEmotions: no comment labelled with a hostile emotion, and in
    the clean set no comment with a profane word or slur; at most `rows`, in file order."""
    from amends.signals.learning.recipes import goemotions_neither

    folder = tmp_path / "goemotions"
    folder.mkdir()
    names = ["admiration", "anger", "annoyance", "disapproval", "disgust", "neutral", "joy"]
    (folder / "labels.txt").write_text("\n".join(names))
    rows = [
        ("What a lovely dog", "0"),
        ("I hate this so much", "1"),
        ("That referee was shit", "5"),
        ("My neighbour is from Syria and makes great bread", "5"),
        ("disgusting behaviour from the mods", "4"),
        ("So happy for you both", "6"),
    ]
    lines = ["text\tlabels\tid"] + [f"{t}\t{k}\tid{i}" for i, (t, k) in enumerate(rows)]
    (folder / "train.tsv").write_text("\n".join(lines) + "\n")
    assert goemotions_neither(tmp_path, "goemotions_ordinary") == [
        "What a lovely dog",
        "That referee was shit",
        "My neighbour is from Syria and makes great bread",
        "So happy for you both",
    ]
    clean = goemotions_neither(tmp_path, "goemotions_clean")
    assert clean == [
        "What a lovely dog",
        "My neighbour is from Syria and makes great bread",
        "So happy for you both",
    ]
    assert goemotions_neither(tmp_path, "goemotions_clean", rows=2) == clean[:2]
    assert goemotions_neither(tmp_path / "absent", "goemotions_clean") == []
