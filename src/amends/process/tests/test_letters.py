"""process.letters: a regime's letter drafted with what the case already knows, and only what it asks for."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import CaseEvent
from amends.core.errors import DomainError
from amends.letters.models import Letter
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


def decide(case, actor):
    steps.understanding_record(
        case=case, actor=actor, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="a refund"
    )
    steps.finding_record(
        case=case, actor=actor, outcome="partly_justified", facts="Two debits", reasoning="Our retry failed"
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
    assert letter.fields["reasons"] == "Our retry failed"  # a blank given value does not replace it
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
