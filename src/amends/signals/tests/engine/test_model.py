"""The shipped model: its fast path reads exactly the training features; the artifacts are small and say
where they came from."""

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
    total = sum(p.stat().st_size for p in ARTIFACTS.iterdir())
    assert total < 6_000_000
    model = load_model()
    for head in model.heads.values():
        assert head.meta["training_data"] and head.meta["licences"] and head.meta["trained"]
        # No licence for a shipped model: complaints_acl2019 (none), CESAMARD (text for evaluation only).
        assert "complaints_acl2019" not in head.meta["training_data"]
        assert "cesamard_aspect" not in head.meta["training_data"]
