"""Abuse as customers write it: insults aimed at the reader and masked or misspelt profanity raise the
abuse score with the words as evidence; a complaint's strong words about a service do not."""

import pytest

from amends.signals.engine.analyser import analyse


def abuse(text: str):
    return {s.type: s for s in analyse(text).signals}["abuse"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("You f***ing idiot, sort my refund out", "You f***ing idiot"),
        ("This is sh1t service", "sh1t"),
        ("you absolute muppet", "you absolute muppet"),
        ("What the f*ck is going on with my account", "f*ck"),
        ("You're useless, all of you", "You're useless"),
        ("You lot are liars and thieving b*stards", "b*stards"),
        ("Honestly, fuck off with your excuses", "fuck off"),
        ("You\u2019re a complete joke and a disgrace", "You\u2019re a complete joke"),
    ],
)
def test_abuse_aimed_at_the_reader_or_masked_fires_with_its_words(text, words):
    signal = abuse(text)
    assert signal.score >= 0.5, signal
    quoted = [text[a:b] for a, b in signal.spans]
    assert any(words.lower() in q.lower() or q.lower() in words.lower() for q in quoted), quoted


@pytest.mark.parametrize(
    "text",
    [
        "The service was useless and I want a refund.",
        "I have been waiting three weeks, this is a disgrace.",
        "Thank you, you've been brilliant.",
        "You're not an idiot, the form is confusing.",
        "My son Bradley F. Shaw is the account holder.",
        "Please call me on 07700 900123.",
    ],
)
def test_a_complaint_s_strong_words_are_not_abuse(text):
    assert abuse(text).score < 0.5
