"""Hand-written drafts for every reply-coach finding, including the wordings that must not fire."""

import json

import pytest

from amends.signals.coach import CoachContext, Finding, coach, coach_to_dict, flesch_reading_ease

GOOD_REPLY = """Dear Mrs Patel,

I'm so sorry about the missed delivery, and I understand how frustrating it must have been to take a \
day off work for nothing.

Our policy is not to refund the delivery fee once the courier has set out, because the courier charges \
us for every attempt. What I can do instead is book a free priority delivery for Thursday 14 March, \
between 8am and noon.

To summarise, we have agreed a free priority delivery, and I will call you by 5pm tomorrow to confirm \
the slot. If you are not happy with this decision, you can refer your complaint to the Ombudsman.

Kind regards,
Sam"""


def by_kind(draft: str, context: CoachContext | None = None) -> dict[str, Finding]:
    return {f.kind: f for f in coach(draft, context)}


def words(draft: str, finding: Finding) -> list[str]:
    return [draft[a:b] for a, b in finding.spans]


def test_acceptance_example():
    draft = "calm down, as I already said it's our policy"
    found = by_kind(draft)
    assert words(draft, found["provocative_or_dismissive"]) == ["calm down", "as I already said"]
    assert words(draft, found["rules_without_explanation"]) == ["it's our policy"]
    assert found["no_next_step"].spans == []
    assert "CFACSC4 K7" in found["rules_without_explanation"].message


def test_a_good_reply_has_no_warnings_and_is_praised():
    context = CoachContext(
        customer_name="Mrs Patel",
        is_closing_reply=True,
        customer_text="I am furious, I took a day off for nothing!!",
        has_open_complaint=True,
    )
    findings = coach(GOOD_REPLY, context)
    assert [f for f in findings if f.severity == "warn"] == [], findings
    good = {f.kind: words(GOOD_REPLY, f) for f in findings if f.severity == "good"}
    assert good["apology_or_empathy"] == ["I'm so sorry", "I understand how frustrating"]
    assert good["clear_next_step_with_date"] == ["I will call you by 5pm tomorrow to confirm the slot"]


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
        ("Our terms and conditions say no.", "rules_without_explanation", ["Our terms and conditions"]),
        ("It is company policy.", "rules_without_explanation", ["It is company policy"]),
        ("That's the procedure.", "rules_without_explanation", ["That's the procedure"]),
        ("I'm not allowed to do that.", "rules_without_explanation", ["I'm not allowed to"]),
        ("Our policy is that we only refund unopened items.", "rules_without_explanation", ["Our policy"]),
        ("Our policy is to refuse refunds after 30 days.", "rules_without_explanation", ["Our policy"]),
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
        ("It is not our policy to charge for this.", "rules_without_explanation"),
        ("Our policy is to refund in full.", "rules_without_explanation"),
        ("Our terms and conditions allow a free replacement within a year.", "rules_without_explanation"),
        (
            "Our policy is to ask for ID because it protects your account from fraud.",
            "rules_without_explanation",
        ),
        (
            "Under our terms we can't refund opened items. What I can do instead is offer an exchange.",
            "rules_without_explanation",
        ),
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


def test_quoted_text_is_ignored():
    draft = (
        "Thank you. We will call you on Friday at 10am.\n\n"
        "> calm down, it's our policy\n"
        "On Mon 3 Mar 2025, Sam <sam@example.com> wrote:\n"
        "You failed to read the terms. Obviously."
    )
    found = by_kind(draft)
    for kind in ("provocative_or_dismissive", "rules_without_explanation", "defensive_or_blaming"):
        assert kind not in found
    assert "clear_next_step_with_date" in found


def test_only_quoted_text_or_nothing_gives_no_findings():
    assert coach("") == []
    assert coach("   \n") == []
    assert coach("> calm down\n> it's our policy") == []


def test_curly_apostrophes_keep_offsets():
    draft = (
        "I\u2019m so sorry \u2014 I can\u2019t do that, it\u2019s company policy. I\u2019ll call you back."
    )
    found = by_kind(draft)
    assert words(draft, found["rules_without_explanation"]) == ["it\u2019s company policy"]
    assert words(draft, found["apology_or_empathy"]) == ["I\u2019m so sorry"]
    assert found["promise_without_date"].data == {"promise_text": "I\u2019ll call you back"}


def test_order_is_warn_then_info_then_good_with_sorted_spans():
    draft = "I'm sorry. Obviously, calm down. Pursuant to the SLA, it's our policy."
    findings = coach(draft)
    ranks = [{"warn": 0, "info": 1, "good": 2}[f.severity] for f in findings]
    assert ranks == sorted(ranks)
    assert {f.severity for f in findings} == {"warn", "info", "good"}
    for f in findings:
        assert f.spans == sorted(f.spans)


# --- feelings -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("I'm really sorry this happened.", "I'm really sorry"),
        ("We apologise for the delay.", "We apologise"),
        ("Please accept my sincere apologies.", "my sincere apologies"),
        ("I can see why you are upset.", "I can see why you are upset"),
        ("That must have been really stressful.", "That must have been really stressful"),
    ],
)
def test_empathy_is_recognised(draft, expected):
    found = by_kind(draft, CoachContext(customer_upset=True))
    assert words(draft, found["apology_or_empathy"]) == [expected]
    assert "no_acknowledgement" not in found


@pytest.mark.parametrize("draft", ["Sorry, but that is the rule.", "I'm sorry you feel that way."])
def test_non_apologies_do_not_count(draft):
    found = by_kind(draft, CoachContext(customer_upset=True))
    assert "apology_or_empathy" not in found
    assert "no_acknowledgement" in found


def test_no_acknowledgement_when_the_customer_is_angry():
    context = CoachContext(
        customer_text="This is DISGUSTING, I am LIVID and FED UP!!", customer_name="Mr Jones"
    )
    finding = by_kind("We will refund the charge by Friday.", context)["no_acknowledgement"]
    assert finding.severity == "warn" and finding.spans == []
    assert "LIVID" in finding.data["customer_cues"]
    assert "Mr Jones" in finding.suggestion


def test_no_acknowledgement_needs_an_upset_customer():
    draft = "We will refund the charge by Friday."
    assert "no_acknowledgement" not in by_kind(draft)
    assert "no_acknowledgement" not in by_kind(
        draft, CoachContext(customer_text="I'm not angry, just confused.")
    )
    assert "no_acknowledgement" not in by_kind(
        draft, CoachContext(customer_text="Furious!", customer_upset=False)
    )
    quoted = "Thanks for the update.\n> I was furious last week"
    assert "no_acknowledgement" not in by_kind(draft, CoachContext(customer_text=quoted))


# --- position, next step, promises ------------------------------------------------------------------------


def test_no_position_is_advice_unless_a_complaint_is_open():
    draft = "Thank you for getting in touch about your bill."
    assert by_kind(draft)["no_position"].severity == "info"
    assert by_kind(draft, CoachContext(has_open_complaint=True))["no_position"].severity == "warn"
    assert "no_position" not in by_kind("We can't refund the fee, because it is charged by the bank.")
    assert "no_position" not in by_kind("Your complaint has been upheld.")


def test_no_next_step():
    found = by_kind("Thank you for your email about the bill.")
    assert found["no_next_step"].severity == "warn" and found["no_next_step"].spans == []
    assert "when" in found["no_next_step"].message


def test_next_step_without_a_timescale():
    found = by_kind("Please send us a copy of the receipt.")
    assert "no timescale" in found["no_next_step"].message


def test_dated_next_step_is_good():
    draft = "We will review your complaint and write to you within 5 working days. Thank you."
    found = by_kind(draft)
    assert "no_next_step" not in found
    assert words(draft, found["clear_next_step_with_date"]) == [
        "We will review your complaint and write to you within 5 working days"
    ]


@pytest.mark.parametrize(
    ("draft", "promise"),
    [
        ("I will call you back.", "I will call you back"),
        ("We'll look into it.", "We'll look into it"),
        ("Someone will be in touch shortly.", "Someone will be in touch shortly"),
        ("I'll chase the engineer, but it may take a while.", "I'll chase the engineer"),
        ("On Monday you rang us, and I will call you back.", "I will call you back"),
    ],
)
def test_promise_without_date(draft, promise):
    finding = by_kind(draft)["promise_without_date"]
    assert words(draft, finding) == [promise]
    assert finding.data == {"promise_text": promise}
    assert "no_next_step" not in by_kind(draft)  # the promise says it already


@pytest.mark.parametrize(
    "draft",
    [
        "I will call you back tomorrow.",
        "I will call you back by 5pm on Thursday.",
        "We'll look into it and reply by 14 March.",
        "Someone will be in touch within 2 working days.",
        "We will write to you on 14/03/2026.",
        "I'm not sure we will call you.",
    ],
)
def test_promise_with_a_date_or_not_a_promise(draft):
    assert "promise_without_date" not in by_kind(draft)


def test_each_undated_promise_is_its_own_finding():
    draft = "I'll call you back. Separately, our engineer will visit."
    promises = [f.data["promise_text"] for f in coach(draft) if f.kind == "promise_without_date"]
    assert promises == ["I'll call you back", "our engineer will visit"]


# --- final responses ---------------------------------------------------------------------------------


def test_closing_reply_needs_summary_reasons_and_referral_rights():
    context = CoachContext(is_closing_reply=True)
    finding = by_kind("We will refund £40 by Friday.", context)["closing_summary_missing"]
    assert finding.data == {"missing": ["summary", "reasons", "referral_rights"]}
    assert finding.spans == [] and "CFACSC7" in finding.message
    partial = (
        "To summarise, we have decided to refund £40 because the meter was misread. I'll pay it by Friday."
    )
    assert by_kind(partial, context)["closing_summary_missing"].data == {"missing": ["referral_rights"]}
    assert "closing_summary_missing" not in by_kind(GOOD_REPLY, context)
    assert "closing_summary_missing" not in by_kind("We will refund £40 by Friday.")


# --- reading ease ------------------------------------------------------------------------------------------


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


# --- output and speed ----------------------------------------------------------------------------------


def test_coach_to_dict_is_json_ready():
    rows = coach_to_dict(coach("calm down. I'll call you back.", CoachContext(customer_upset=True)))
    assert json.loads(json.dumps(rows)) == rows
    assert set(rows[0]) == {"kind", "severity", "spans", "message", "suggestion", "data"}
    promise = next(r for r in rows if r["kind"] == "promise_without_date")
    assert promise["data"] == {"promise_text": "I'll call you back"} and promise["spans"] == [[11, 29]]
