"""Hand-written cases for every rule-based signal, including the ones that must not fire."""

import pytest

from amends.signals.rules import analyse_rules


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


def test_blank_quoted_keeps_offsets():
    from amends.signals.rules import blank_quoted

    text = "I am angry.\n> You said calm down\nStill angry.\nOn Mon, 2 Nov 2026, Amends wrote:\nold"
    blanked = blank_quoted(text)
    assert len(blanked) == len(text)
    assert "calm down" not in blanked and "old" not in blanked
    assert blanked.index("Still angry") == text.index("Still angry")


PREFILTER_TEXTS = [
    "Third time! Still waiting. I'll see you in court, my solicitor says sue. Financial Ombudsman.",
    "Issue: pursue the press release; pressed for time; I pressed 2; BBC Watchdog and twitter.",
    "Can't cope, can't afford the debts, in arrears; my mum passed away; no heating, urgent!!",
    "I would never harm myself. I'll come round and smash it. Cancel my account, never use you again.",
    # Unicode: a no-break space where \\s must match, accented letters beside a keyword (Python's \\b sees
    # none there, RE2's ASCII \\b would), upper case folding, full-width digits.
    "I'll\u00a0kill you. Café-ombudsman, éombudsman, OMBUDSMAN, ＳＯＬＩＣＩＴＯＲ, the ３rd time, suicidé",
    "KİLL myself; ſue you; I'm going to\u2003hurt you; chased and chasing",
]


def test_the_prefilter_never_hides_a_match():
    # One RE2 pass says which rules may match; a rule it leaves out must have no match at all, and the
    # spans must be what running every rule over the text gives.
    from amends.signals import rules

    for text in PREFILTER_TEXTS:
        candidates = rules.ANY_RULE.candidates(text)
        for i, rule in enumerate(rules.RULES):
            if rule.pattern.search(text):
                assert i in candidates, (rule.type, text)
        for quick in [*rules.QUICK, rules.IDIOMS]:
            assert [m.span() for m in quick.finditer(text)] == [
                m.span() for m in quick.pattern.finditer(text)
            ], (quick.pattern.pattern[:40], text)
            assert [m.span() for m in quick.finditer(text, 3, 60)] == [
                m.span() for m in quick.pattern.finditer(text, 3, 60)
            ]


def test_prefilter_translation_only_widens():
    from amends.signals.prefilter import superset

    assert superset(r"\bsue\b") == "sue"
    assert superset(r"(?:kill)\b(?!\s+(?:it|time))x") == "(?:kill)x"
    assert superset(r"suicid\w*") == r"suicid[\pL\pN\pM_]*"
    assert superset(r"[\w']+\d") == r"[\pL\pN\pM_']+[\pN]"
    assert superset(r"a\.b") == r"a\.b"
    assert superset(r"hi[a-c]", ignorecase=True) == r"h[iI\x{130}\x{131}][a-c\x{130}\x{131}]"
