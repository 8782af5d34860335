"""`analyse()`: the evidence it shows is words that explain, wherever in the message they are."""

from amends.signals.engine.analyser import CLASSIFIER_WINDOW, analyse


def test_evidence_is_words_that_explain_not_a_letter_s_greeting():
    text = (
        "Dear Sir or Madam,\n\nRe: Final bill wrong\n\nI sent a closing reading on the day I left and "
        "it's been ignored. Please recalculate the final bill. If this isn't resolved I will take it to "
        "the Ombudsman."
    )
    for signal in analyse(text).positives:
        words = [text[a:b].lower() for a, b in signal.spans]
        assert "dear" not in words and "with" not in words, (signal.type, words)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(signal.spans, signal.spans[1:], strict=False)), signal


def test_evidence_beyond_the_models_window_is_quoted_in_the_explanation():
    text = (
        "My bill is wrong. "
        + "Notes on the account and its dates. " * 20
        + "I am taking this to the Ombudsman."
    )
    assert text.index("Ombudsman") > CLASSIFIER_WINDOW
    complaint = next(s for s in analyse(text).signals if s.type == "complaint")
    assert complaint.score >= 0.5
    assert "'Ombudsman'" in complaint.explanation
    assert "''" not in complaint.explanation
