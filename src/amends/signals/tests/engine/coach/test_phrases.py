"""Phrases that are wrong wherever they appear: each kind fires on its words, and not on the wordings that
only look like them."""

import pytest

from amends.signals.engine.coach import coach
from amends.signals.tests.engine.coach.drafts import by_kind, words


@pytest.mark.parametrize(
    ("draft", "kind", "expected"),
    [
        ("Please calm down and let me finish.", "provocative_or_dismissive", ["calm down"]),
        (
            "As I've already explained, the bill is correct.",
            "provocative_or_dismissive",
            ["As I've already explained"],
        ),
        ("Like I said, it was posted on Monday.", "provocative_or_dismissive", ["Like I said"]),
        ("You should have read the letter.", "provocative_or_dismissive", ["You should have"]),
        ("You need to understand that we are busy.", "provocative_or_dismissive", ["You need to understand"]),
        ("With respect, that is not how it works.", "provocative_or_dismissive", ["With respect"]),
        ("To be honest, I don't know.", "provocative_or_dismissive", ["To be honest"]),
        ("Obviously the meter was read.", "provocative_or_dismissive", ["Obviously"]),
        (
            "Unfortunately there's nothing we can do.",
            "provocative_or_dismissive",
            ["Unfortunately there's nothing we can do"],
        ),
        ("That is not my problem.", "provocative_or_dismissive", ["not my problem"]),
        ("You're wrong about the date.", "provocative_or_dismissive", ["You're wrong"]),
        ("You failed to send the form.", "defensive_or_blaming", ["You failed to"]),
        ("It's not our fault the parcel was late.", "defensive_or_blaming", ["It's not our fault"]),
        ("The system won't let me change it.", "defensive_or_blaming", ["The system won't let"]),
        ("That's not my department.", "defensive_or_blaming", ["not my department"]),
        (
            "If you had read the terms this would not have happened.",
            "defensive_or_blaming",
            ["If you had read"],
        ),
        ("It was our fault.", "admits_liability", ["It was our fault"]),
        ("We accept liability for the damage.", "admits_liability", ["We accept liability"]),
        ("We were negligent.", "admits_liability", ["We were negligent"]),
        ("We admit the engineer made an error.", "admits_liability", ["We admit"]),
        ("Pursuant to clause 4 the fee stands.", "jargon", ["Pursuant to"]),
        ("This was handled in accordance with our SLA.", "jargon", ["in accordance with", "SLA"]),
        ("I hereby confirm the aforementioned charge.", "jargon", ["hereby", "aforementioned"]),
        ("It has been escalated to tier 2.", "jargon", ["escalated to tier 2"]),
        ("I raised a ticket for remediation.", "jargon", ["raised a ticket", "remediation"]),
    ],
)
def test_phrases_fire_on_the_right_words(draft, kind, expected):
    found = by_kind(draft)
    assert kind in found, [f.kind for f in coach(draft)]
    assert words(draft, found[kind]) == expected
    assert found[kind].severity == ("info" if kind == "jargon" else "warn")
    assert found[kind].message and found[kind].suggestion


@pytest.mark.parametrize(
    ("draft", "kind"),
    [
        ("I won't ask you to calm down, you have every right to be angry.", "provocative_or_dismissive"),
        ("I'm not saying you're wrong.", "provocative_or_dismissive"),
        ("You should have been told about the change.", "provocative_or_dismissive"),
        ("You should have received our letter by now.", "provocative_or_dismissive"),
        ("As I explained on the phone, we will refund you.", "provocative_or_dismissive"),
        ("With respect to your complaint, we will treat you with respect.", "provocative_or_dismissive"),
        ("You shouldn't have had to chase us.", "provocative_or_dismissive"),
        ("It's not your fault at all.", "defensive_or_blaming"),
        ("Through no fault of your own, the payment failed.", "defensive_or_blaming"),
        ("We do not accept liability for the delay.", "admits_liability"),
        ("It was not our fault.", "admits_liability"),
        ("I'm sorry for the trouble this has caused.", "admits_liability"),
        ("As a goodwill gesture we have credited £20.", "jargon"),
        ("Your train ticket will be refunded.", "jargon"),
        ("The sla on the roof was repaired.", "jargon"),
    ],
)
def test_phrases_that_must_not_fire(draft, kind):
    assert kind not in by_kind(draft)
