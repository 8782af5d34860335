"""The shipped trained signals on hand-written sentences: every type present, evidence words, batches."""

import subprocess
import sys

import pytest

from amends.signals.engine import classifiers
from amends.signals.engine.analyser import SIGNAL_TYPES
from amends.signals.engine.classifiers import TRAINED_TYPES, classify, classify_many, route_product

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


def test_import_does_not_load_sklearn():
    code = "import sys, amends.signals.engine.analyser; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"
