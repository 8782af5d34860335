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
