"""Hand-written cases for every rule-based signal, including the ones that must not fire."""

import pytest

from amends.signals.engine.rules import analyse_rules


def fired(text: str) -> dict[str, list[str]]:
    return {s.type: [text[a:b] for a, b in s.spans] for s in analyse_rules(text) if s.score > 0}


def assert_fires(text: str, signal: str, words: str) -> None:
    found = fired(text)
    assert signal in found, found
    assert any(words.lower() in w.lower() or w.lower() in words.lower() for w in found[signal]), found[signal]


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
    assert_fires(text, signal, words)


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
        "distress_bereavement",
        "distress_illness",
        "distress_money",
        "distress_not_coping",
        "urgency",
        "repeat_contact",
    }
    assert all(s.score == 0.0 and not s.spans for s in signals)


@pytest.mark.parametrize(
    ("text", "signal", "words"),
    [
        (
            "My husband passed away in June and the account is still in his name.",
            "distress_bereavement",
            "passed away",
        ),
        ("I'm dealing with the funeral and probate.", "distress_bereavement", "funeral"),
        ("I have just finished chemo and can't face the phone queue.", "distress_illness", "chemo"),
        ("I care for my son and suffer from anxiety.", "distress_illness", "anxiety"),
        ("I care for my mum full time.", "distress_illness", "care for my mum"),
        ("I can't afford to pay this and I'm already in arrears.", "distress_money", "can't afford"),
        ("We have been using the food bank since I lost my job.", "distress_money", "food bank"),
        ("I honestly can't cope with this any more.", "distress_not_coping", "can't cope"),
        ("I am at my wits' end.", "distress_not_coping", "at my wits' end"),
        ("We have no heating and it is freezing, please come urgently.", "urgency", "no heating"),
        ("Water is pouring through the ceiling, there's a leak.", "urgency", "leak"),
        ("This is the third time I have called about this.", "repeat_contact", "third time"),
        ("Still waiting for the refund you promised.", "repeat_contact", "Still waiting"),
        ("Nobody got back to me after my last email.", "repeat_contact", "Nobody got back"),
    ],
)
def test_vulnerability_urgency_and_repeat_cues(text, signal, words):
    assert_fires(text, signal, words)


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Thanks again for your help.", "repeat_contact"),
        ("It isn't urgent, whenever suits.", "urgency"),
        ("The bank holiday meant I could not call.", "distress_money"),
    ],
)
def test_cues_that_must_not_fire(text, signal):
    assert signal not in fired(text)
