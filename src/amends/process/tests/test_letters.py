"""process.letters: a regime's letter drafted with what the case already knows, and only what it asks for;
the reasons only ever in the words written for the customer, and an apology when the complaint is upheld."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import CaseEvent
from amends.core.errors import DomainError
from amends.letters.models import Letter, TextBlock, current_block
from amends.letters.services import letter_render_html, text_block_update
from amends.process import authority, services, steps
from amends.process.letters import process_compose_letter

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def compose(case, actor, kind, **fields):
    return process_compose_letter(case=case, kind=kind, actor=actor, fields=fields)


INTERNAL = "The customer was charged twice because the retry job ran after the first payment succeeded."
FOR_CUSTOMER = "We took your payment twice: our system tried again after the first payment had gone through."


def decide(case, actor, outcome="partly_justified", explanation=FOR_CUSTOMER):
    steps.understanding_record(
        case=case, actor=actor, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="a refund"
    )
    steps.finding_record(
        case=case,
        actor=actor,
        outcome=outcome,
        facts="Two debits on 1 November",
        reasoning=INTERNAL,
        customer_explanation=explanation,
    )
    option = authority.option_add(
        case=case, actor=actor, title="Refund", remedy_type="refund", amount="155", benefits_customer="Money"
    )
    authority.option_choose(option=option, actor=actor, reason="Puts it right")


def test_a_response_starts_from_the_finding_and_the_chosen_remedy(complaint, case_handler):
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    decide(complaint, case_handler)

    letter = compose(complaint, case_handler, "stage1_response", reasons="  ")

    assert letter.kind == "stage1_response" and letter.status == "draft"
    assert letter.fields["decision"] == "partly_upheld"
    assert letter.fields["reasons"] == FOR_CUSTOMER  # a blank given value does not replace it
    assert letter.fields["remedy"] == "Refund (£155.00)"
    assert letter.fields["stage"] == "Stage 1"
    assert letter.fields["complaint_definition"].endswith("You would like us to: a refund")
    assert "next stage" in letter.fields["how_to_escalate"]  # Housing has a stage 2
    assert letter.referral["body"] == "Housing Ombudsman Service"
    assert list(letter.required_elements)[:2] == ["reference", "stage"]
    event = CaseEvent.objects.filter(case=complaint, kind="letter_drafted").last()
    assert event.after == {"letter": letter.pk, "kind": "stage1_response"}


def test_an_acknowledgement_gives_the_response_date_and_no_decision(complaint, case_handler):
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    decide(complaint, case_handler)

    letter = compose(complaint, case_handler, "acknowledgement")

    assert not {"decision", "reasons", "remedy"} & set(letter.fields)
    # Housing counts the response from the acknowledgement: as if it went now, 10 working days.
    assert letter.fields["timescales"] == "We will send you our response by Monday 16 November 2026."


def test_given_values_win_over_what_the_case_knows(complaint, case_handler):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    letter = compose(complaint, case_handler, "acknowledgement", timescales="Within eight weeks.")
    assert letter.fields["timescales"] == "Within eight weeks."


def test_letters_need_a_regime_that_knows_them(complaint, case_handler):
    with pytest.raises(DomainError) as err:
        compose(complaint, case_handler, "final_response")
    assert err.value.code == "no_regime"
    services.process_start(case=complaint, regime_code="ofgem", actor=case_handler)
    with pytest.raises(DomainError) as err:
        compose(complaint, case_handler, "stage2_response")
    assert err.value.fields == {"kind": "unknown for this regime"}
    assert "acknowledgement, deadlock, referral" in err.value.message
    assert not Letter.objects.exists()


def test_the_internal_reasoning_never_reaches_a_letter(complaint, case_handler):
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    decide(complaint, case_handler)

    letter = compose(complaint, case_handler, "stage1_response")

    assert letter.fields["reasons"] == FOR_CUSTOMER
    html = letter_render_html(letter)
    assert FOR_CUSTOMER.split(":")[0] in html
    assert "retry job" not in html and "Two debits on 1 November" not in html


@pytest.mark.parametrize("explanation", [None, "", "   "])
def test_a_decision_letter_waits_for_the_explanation_for_the_customer(complaint, case_handler, explanation):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    if explanation is not None:
        decide(complaint, case_handler, explanation=explanation)

    with pytest.raises(DomainError) as err:
        compose(complaint, case_handler, "final_response", reasons="Typed straight into the letter")

    assert err.value.code == "no_customer_explanation"
    assert "explanation for the customer" in err.value.message
    assert err.value.fields == {"customer_explanation": "required for a letter that gives the decision"}
    assert ("Record the finding" in err.value.message) == (explanation is None)
    assert not Letter.objects.exists() and not CaseEvent.objects.filter(kind="letter_drafted").exists()
    # Letters that give no decision need no finding at all.
    assert compose(complaint, case_handler, "acknowledgement").kind == "acknowledgement"


@pytest.mark.parametrize(
    ("outcome", "apologises"), [("justified", True), ("partly_justified", True), ("not_justified", False)]
)
def test_an_upheld_complaint_gets_the_organisations_apology(
    complaint, case_handler, complaints_lead, outcome, apologises
):
    seeded = TextBlock.objects.get(code="org.apology", version=1).body
    assert seeded.startswith("I am sorry")  # the organisation starts with words of its own
    # The seeded block takes effect when the database was migrated, after this module's NOW.
    text_block_update(code="org.apology", body=seeded + " Thank you for telling us.", actor=complaints_lead)
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    decide(complaint, case_handler, outcome=outcome)

    response = compose(complaint, case_handler, "stage1_response")
    acknowledgement = compose(complaint, case_handler, "acknowledgement")

    wording = current_block("org.apology").body
    assert response.fields.get("apology", "") == (wording if apologises else "")
    assert ("We are sorry" in letter_render_html(response)) == apologises
    assert "apology" not in acknowledgement.fields


def test_the_apology_is_the_organisations_current_wording(complaint, case_handler, complaints_lead):
    text_block_update(code="org.apology", body="We apologise unreservedly.", actor=complaints_lead)
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    decide(complaint, case_handler, outcome="justified")

    letter = compose(complaint, case_handler, "stage1_response", apology="Sorry, Jordan: we got this wrong.")
    assert letter.fields["apology"] == "Sorry, Jordan: we got this wrong."  # the writer's own words win
    assert (
        compose(complaint, case_handler, "stage1_response").fields["apology"] == "We apologise unreservedly."
    )
