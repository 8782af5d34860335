"""The findings that read the draft as a whole: a rule quoted bare, empathy or its absence, a position,
next steps and promises, and what a final response must contain."""

import pytest

from amends.signals.engine.coach import CoachContext, coach
from amends.signals.tests.engine.coach.drafts import GOOD_REPLY, by_kind, words

# --- rules quoted --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("Our terms and conditions say no.", ["Our terms and conditions"]),
        ("It is company policy.", ["It is company policy"]),
        ("That's the procedure.", ["That's the procedure"]),
        ("I'm not allowed to do that.", ["I'm not allowed to"]),
        ("Our policy is that we only refund unopened items.", ["Our policy"]),
        ("Our policy is to refuse refunds after 30 days.", ["Our policy"]),
    ],
)
def test_a_rule_quoted_without_a_reason_or_an_alternative(draft, expected):
    finding = by_kind(draft)["rules_without_explanation"]
    assert words(draft, finding) == expected
    assert finding.severity == "warn"
    assert finding.message and finding.suggestion


@pytest.mark.parametrize(
    "draft",
    [
        "It is not our policy to charge for this.",
        "Our policy is to refund in full.",
        "Our terms and conditions allow a free replacement within a year.",
        "Our policy is to ask for ID because it protects your account from fraud.",
        "Under our terms we can't refund opened items. What I can do instead is offer an exchange.",
    ],
)
def test_a_rule_with_a_reason_an_alternative_or_in_their_favour_is_not_a_finding(draft):
    assert "rules_without_explanation" not in by_kind(draft)


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


# --- position, next step, promises --------------------------------------------------------------------


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


# --- final responses ----------------------------------------------------------------------------------


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
