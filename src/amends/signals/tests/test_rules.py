"""Hand-written cases for every rule-based signal, including the ones that must not fire."""

import pytest

from amends.signals.rules import analyse_rules


def fired(text: str) -> dict[str, list[str]]:
    return {s.type: [text[a:b] for a, b in s.spans] for s in analyse_rules(text) if s.score > 0}


@pytest.mark.parametrize(
    ("text", "signal", "words"),
    [
        (
            "If this isn't sorted I'll come round and hurt whoever is responsible.",
            "threat_to_staff",
            "I'll come round and",
        ),
        ("Watch your back, I know where you live.", "threat_to_staff", "Watch your back"),
        ("Honestly I want to end it all, I can't cope with these debts.", "self_harm", "end it all"),
        ("Some days I think everyone would be better off dead without me.", "self_harm", "better off dead"),
        (
            "I will be referring this to the Financial Ombudsman.",
            "escalation_ombudsman",
            "Financial Ombudsman",
        ),
        ("My solicitor will be in touch about the damp.", "escalation_legal", "solicitor"),
        ("I'll see you in court over this.", "escalation_legal", "see you in court"),
        (
            "I am going to the papers and putting it all over social media.",
            "escalation_media",
            "social media",
        ),
        ("Please cancel my account today.", "escalation_cancel", "cancel my account"),
    ],
)
def test_rules_fire_with_evidence(text, signal, words):
    found = fired(text)
    assert signal in found, found
    assert any(words.lower() in w.lower() or w.lower() in words.lower() for w in found[signal]), found[signal]


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I'm not going to the ombudsman yet, I'd rather we sorted it.", "escalation_ombudsman"),
        ("I don't want to involve a solicitor.", "escalation_legal"),
        ("Your new engineer is killing it, thank you!", "threat_to_staff"),
        ("I pressed 2 for billing and waited an hour.", "escalation_media"),
        (
            "Thanks for your help.\n\nOn Tue, 3 Nov 2026 at 10:00, Amends <complaints@amends.example> "
            "wrote:\n"
            "> You may refer your complaint to the Financial Ombudsman Service.",
            "escalation_ombudsman",
        ),
        ("> I will take legal action\nThat was last month; it's sorted now, thank you.", "escalation_legal"),
    ],
)
def test_negatives_do_not_fire(text, signal):
    found = fired(text)
    assert signal not in found, found


def test_self_harm_is_never_talked_down_by_a_negation():
    # Safety first: "I would never harm myself" still shows the words to a person, who decides.
    assert fired("I would never harm myself, I'm just fed up.")["self_harm"] == ["harm myself"]
    assert "threat_to_staff" in fired("I'm not joking, I'll come down and smash the place up")


def test_every_type_is_present_and_scored():
    signals = analyse_rules("Fine.")
    assert {s.type for s in signals} == {
        "threat_to_staff",
        "self_harm",
        "escalation_ombudsman",
        "escalation_legal",
        "escalation_media",
        "escalation_cancel",
    }
    assert all(s.score == 0.0 and not s.spans for s in signals)
