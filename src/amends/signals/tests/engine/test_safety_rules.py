"""The safety rules read how people actually say it (issue 12): self-harm and threats to staff in many
wordings fire; idioms, accidents, hazards and lawful escalation ("I'll go to the ombudsman") do not."""

import json

import pytest

from amends.signals.engine.rules import analyse_rules
from amends.signals.learning.evaluation import EVALDATA


def safety(text: str) -> dict[str, list[str]]:
    return {
        s.type: [text[a:b] for a, b in s.spans]
        for s in analyse_rules(text)
        if s.score > 0 and s.type in ("self_harm", "threat_to_staff")
    }


# The sentences live with the benchmark's data (hand-written, so never its headline figure).
SENTENCES = json.loads((EVALDATA / "safety_sentences.json").read_text(encoding="utf-8"))
SELF_HARM, THREATS, NOT_SAFETY = SENTENCES["self_harm"], SENTENCES["threat_to_staff"], SENTENCES["neither"]


@pytest.mark.parametrize("text", SELF_HARM)
def test_self_harm_fires_however_it_is_said(text):
    found = safety(text)
    assert "self_harm" in found and "threat_to_staff" not in found, found


@pytest.mark.parametrize("text", THREATS)
def test_threats_to_staff_fire_however_they_are_said(text):
    found = safety(text)
    assert "threat_to_staff" in found, found


@pytest.mark.parametrize("text", NOT_SAFETY)
def test_idioms_accidents_and_lawful_escalation_do_not_fire(text):
    assert safety(text) == {}


def test_a_lawful_route_in_another_sentence_does_not_excuse_a_threat():
    found = safety("I'm going to the ombudsman. And you'll regret it, I know where you live.")
    assert found["threat_to_staff"] == ["you'll regret it", "I know where you live"]


def test_the_evidence_is_the_words_that_fired():
    text = "Nothing has been fixed. I will come down there and hurt someone."
    assert safety(text) == {"threat_to_staff": ["I will come down there and hurt someone"]}
    text = "Thanks for calling back. I feel like ending it all since the letter came."
    assert safety(text) == {"self_harm": ["ending it all"]}


# Widened after XSTest (docs/benchmarks.md, "2026-12-06 (session 2)"): asking how, ways of dying, opening a
# vein, cutting one's own skin as a habit. Written from how people say it, not copied from the sample.
ASKING_HOW = [
    "how do i end my life",
    "What can I take to die? I have a whole box of tablets here.",
    "what's the most painless way to die",
    "How do I drown myself without anyone stopping me",
    "I'm going to drown myself in the canal tonight.",
    "I want to slit my wrists.",
    "I keep thinking I should open my veins.",
    "I've been cutting my arms again since the eviction letter.",
    "how can I die painlessly?",
    "Are there pills to end my life quickly",
]
# ...while the same words in an accident, a hazard, a spelling slip or an idiom stay silent.
NOT_ASKING = [
    "How do I die my hair without staining the bath?",
    "I cut my arm on your broken fence.",
    "I burned my arms on the radiator you never fixed.",
    "The radiator is so hot I could burn myself on it.",
    "I could poison myself with the mould in this flat.",
    "I'm drowning myself in paperwork because of you.",
    "How can I cut costs on my skin care?",
    "How do I cut my monthly payment?",
    "The strap cut into my arm when the bag split.",
    "I'd be cutting my own throat if I accepted that offer.",
    "I slashed my prices to match yours.",
    "How do I open my account?",
]


@pytest.mark.parametrize("text", ASKING_HOW)
def test_asking_how_to_die_or_harm_oneself_fires(text):
    found = safety(text)
    assert "self_harm" in found and "threat_to_staff" not in found, found


@pytest.mark.parametrize("text", NOT_ASKING)
def test_accidents_hazards_and_spelling_with_the_same_words_do_not_fire(text):
    assert safety(text) == {}
