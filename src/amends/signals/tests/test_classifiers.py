"""The shipped trained signals on hand-written sentences, the numpy runtime against scikit-learn, speed."""

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from amends.signals import classifiers, training
from amends.signals.classifiers import (
    TRAINED_TYPES,
    analyze,
    classify,
    classify_many,
    route_product,
    tokenise,
)

COMPLAINT = (
    "I've been waiting three weeks for my refund and nobody has replied to my emails. This is ridiculous."
)
PRAISE = "Thanks, lovely service!"
ABUSIVE = "You stupid bitch, fuck off"
TRICKY = [
    COMPLAINT,
    PRAISE,
    ABUSIVE,
    "",
    "   ",
    "'",
    "I DON'T want another apology, I want my £250 back!!! @AcmeHelp https://t.co/x #fail",
    "Isn’t it odd that you can't, won't or didn't answer? Not good; not good at all.",
    "naïve café façade — 日本語 😡😡",
]


def scores(text: str) -> dict[str, float]:
    return {s.type: s.score for s in classify(text)}


def test_every_type_always_present_in_order():
    from amends.signals.analyser import SIGNAL_TYPES

    assert set(TRAINED_TYPES) <= set(SIGNAL_TYPES)  # the analyser knows a label for each
    for text in TRICKY:
        assert [s.type for s in classify(text)] == list(TRAINED_TYPES)


def test_obvious_complaint_fires_with_evidence():
    signals = {s.type: s for s in classify(COMPLAINT)}
    complaint = signals["complaint"]
    assert complaint.score > 0.5
    words = [COMPLAINT[a:b].lower() for a, b in complaint.spans]
    assert any("waiting" in w or "refund" in w for w in words)
    assert complaint.explanation.startswith("Reads as a complaint: '")
    assert signals["dissatisfaction"].score > 0.5


def test_praise_fires_nothing():
    for name, score in scores(PRAISE).items():
        assert score < 0.5, name


def test_abuse_and_anger_fire_on_abuse():
    signals = {s.type: s for s in classify(ABUSIVE)}
    assert signals["abuse"].score > 0.5
    assert any(
        "fuck" in ABUSIVE[a:b].lower() or "bitch" in ABUSIVE[a:b].lower() for a, b in signals["abuse"].spans
    )
    assert signals["anger"].score > 0.5


def test_polite_complaint_is_not_abuse():
    text = "My mortgage payment was taken twice this month and I would like the second one refunded please."
    s = scores(text)
    assert s["complaint"] > 0.5
    assert s["abuse"] < 0.5


def test_severity_is_level_over_four_with_named_level():
    signals = {s.type: s for s in classify("Your staff lied to me and stole my money. I blame you entirely.")}
    severity = signals["complaint_severity"]
    assert signals["complaint"].score >= 0.5
    level = round(severity.score * 4)
    assert 1 <= level <= 4 and severity.score == level / 4
    assert severity.explanation.startswith(f"Severity {level} of 4 ({classifiers.SEVERITY_NAMES[level]})")
    assert scores(PRAISE)["complaint_severity"] == 0.0


def test_every_firing_signal_has_valid_spans():
    for text in TRICKY + ["You lot are useless, I've been cut off for a week and no one cares!"]:
        for s in classify(text):
            assert 0.0 <= s.score <= 1.0
            assert s.explanation
            if s.score >= 0.5:
                assert s.spans, (s, text)
            for a, b in s.spans:
                assert 0 <= a < b <= len(text)
                assert text[a:b].strip() == text[a:b]


def test_batch_matches_single_calls():
    batch = classify_many(TRICKY)
    for text, signals in zip(TRICKY, batch, strict=True):
        for one, many in zip(classify(text), signals, strict=True):
            assert one.type == many.type
            assert one.score == pytest.approx(many.score, abs=1e-3)
            if abs(one.score - 0.5) > 1e-3:
                assert one.spans == many.spans


def test_route_product():
    label, prob = route_product("My mortgage lender added fees to my home loan escrow and foreclosure notice")
    assert label == "mortgages_and_loans"
    assert 0.2 < prob <= 1.0


def test_fast_path_reproduces_the_training_analyzer():
    model = classifiers.load_model()
    for text in TRICKY:
        expected = Counter(model.vocab[f] for f in analyze(text) if f in model.vocab)
        bag = model.features(tokenise(text))
        got = Counter(np.concatenate([*bag.parts, np.array(bag.ctx, np.int64)]).tolist())
        assert got == expected, text


def test_offsets_line_up_with_tokens():
    text = "Don't 'quote' me: I'M ANGRY ’ ok"
    tokens = tokenise(text)
    offsets = tokens.offsets()
    assert len(offsets) == len(tokens.toks)
    assert [classifiers.normalise_token(text[a:b]) for a, b in offsets] == tokens.toks
    assert tokens.shouted[tokens.toks.index("angry")]


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
        "complaint": (training.fit_linear(texts, y, C=10.0, char_weight=0.5), {"classes": ["1"]}),
        "product": (training.fit_linear(texts, products, C=10.0), {"classes": ["a", "b", "c"]}),
    }
    training.export(heads, tmp_path)
    assert not list(tmp_path.glob("*.pkl"))
    probe = ["still waiting, you charged me twice!", "thank you", "unseen words only", ""]
    assert training.parity(heads, tmp_path, probe) < 0.01


def test_char_weight_is_the_same_as_a_reweighted_idf():
    """fit_linear rescales the already-normalised training rows; a fresh transform with the stored idf (what
    the runtime does) must give the same rows, and only the char n-grams' idf changes."""
    texts = ["still waiting for my refund", "thanks for the quick reply", "you charged me twice"] * 2
    y = np.array([1, 0, 1] * 2)
    plain = training.fit_linear(texts, y, C=10.0)
    half = training.fit_linear(texts, y, C=10.0, char_weight=0.5)
    ratio = half.vectorizer.idf_ / plain.vectorizer.idf_
    names = plain.vectorizer.get_feature_names_out()
    assert np.allclose(ratio, [0.5 if n.startswith("c:") else 1.0 for n in names])
    refit = training.LogisticRegression(C=10.0, max_iter=3000).fit(half.vectorizer.transform(texts), y)
    assert np.allclose(refit.coef_, half.model.coef_, atol=1e-3)


def test_import_does_not_load_sklearn():
    code = "import sys, amends.signals.classifiers; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"


def test_artifacts_are_small_and_documented():
    total = sum(p.stat().st_size for p in classifiers.ARTIFACTS.iterdir())
    assert total < 6_000_000
    model = classifiers.load_model()
    for head in model.heads.values():
        assert head.meta["training_data"] and head.meta["licences"] and head.meta["trained"]
        # No licence for a shipped model: complaints_acl2019 (none), CESAMARD (text for evaluation only).
        assert "complaints_acl2019" not in head.meta["training_data"]
        assert "cesamard_aspect" not in head.meta["training_data"]
