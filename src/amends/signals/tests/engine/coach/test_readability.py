"""Reading ease: long sentences and hard drafts, by Flesch's formula over pyphen's syllables."""

import pytest

from amends.signals.engine.coach.readability import _syllables, flesch_reading_ease
from amends.signals.tests.engine.coach.drafts import GOOD_REPLY, by_kind, words


def test_long_sentence_is_hard_to_read():
    long_sentence = (
        "Our process, which has been in place since the merger and which was designed by our compliance "
        "function in consultation with the regulator to ensure that all customers are treated fairly and "
        "consistently regardless of the channel through which they contact us, requires a signed form."
    )
    draft = long_sentence + " We will process it within 5 days."
    finding = by_kind(draft)["reading_difficulty"]
    assert words(draft, finding) == [long_sentence]
    assert finding.data["longest_sentence_words"] == 46
    assert finding.data["flesch"] < 50


def test_plain_reply_is_not_hard_to_read():
    assert "reading_difficulty" not in by_kind(GOOD_REPLY)
    assert "reading_difficulty" not in by_kind("I will call you at 5pm today. Sorry for the wait.")


def test_flesch_formula():
    # "The cat sat on the mat.": 6 words, 1 sentence, 6 syllables.
    assert flesch_reading_ease(6, 1, 6) == pytest.approx(116.145)


def test_syllables_take_the_larger_of_hyphenation_and_vowel_groups():
    # a silent final e is not a syllable ("made"), but "-le" and "-ee" are ("table", "agree")
    words = ("cat", "really", "complaint", "made", "table", "agree", "understanding")
    assert [_syllables(w) for w in words] == [1, 2, 2, 1, 2, 2, 4]
