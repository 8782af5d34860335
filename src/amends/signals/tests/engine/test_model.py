"""The shipped model: its fast path reads exactly the training features; the artifacts are small and say
where they came from."""

import json
from collections import Counter

import numpy as np

from amends.signals.engine.features import analyze_abuse, tokenise
from amends.signals.engine.model import ARTIFACTS, load_model
from amends.signals.tests.engine.test_classifiers import TRICKY

MASKED = [
    "You f***ing idiot, this is sh1t service",
    "a$$ holes. fuuuuck you, you're useless *** and incompetent",
    "Thanks, all sorted now!",
]


def test_fast_path_reproduces_the_training_analyzer():
    # analyze_abuse is analyze plus the abuse head's word-list features: every feature any head reads
    model = load_model()
    for text in [*TRICKY, *MASKED]:
        expected = Counter(model.vocab[f] for f in analyze_abuse(text) if f in model.vocab)
        bag = model.features(tokenise(text))
        got = Counter(np.concatenate([*bag.parts, np.array(bag.ctx, np.int64)]).tolist())
        assert got == expected, text


def test_artifacts_are_small_and_documented():
    # the TF-IDF heads (7 MB since the complaint head learns from 36,610 taught texts, issue 13 session 6);
    # the token tables have budgets of their own: static.* in test_static, the convolution's members here
    tables = ("static.", "complaint_cnn_")
    total = sum(p.stat().st_size for p in ARTIFACTS.iterdir() if not p.name.startswith(tables))
    assert total < 7_000_000
    members = list(ARTIFACTS.glob("complaint_cnn_*.npz"))
    assert members and all(p.stat().st_size < 3_000_000 for p in members)  # no committed file over 4 MB
    model = load_model()
    metas = [head.meta for head in model.heads.values()]
    metas.append(json.loads((ARTIFACTS / "complaint_cnn.json").read_text()))
    for meta in metas:
        assert meta["training_data"] and meta["licences"] and meta["trained"]
        assert set(meta["licences"]) == set(meta["training_data"])
        # No licence for a shipped model: complaints_acl2019 (none), CESAMARD (text for evaluation only).
        assert "complaints_acl2019" not in meta["training_data"]
        assert "cesamard_aspect" not in meta["training_data"]
