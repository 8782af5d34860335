"""process.steps: the investigation and resolution steps, each with its refusals and the event it writes."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import CaseEvent
from amends.core.errors import Conflict, DomainError
from amends.process import services, steps
from amends.process.models import (
    CaseClock,
    EvidenceItem,
    Finding,
    RootCause,
    SatisfactionCheck,
    Understanding,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=LONDON)  # an hour after the complaint came in


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def only_event(case, kind):
    (event,) = CaseEvent.objects.filter(case=case, kind=kind)
    return event


def understand(case, actor, **given):
    words = {"what_happened": "Charged twice", "impact": "Overdrawn, £35 fee", "outcome_wanted": "Refund"}
    return steps.understanding_record(case=case, actor=actor, **{**words, **given})


def clock_status(case, code):
    return CaseClock.objects.get(case=case, code=code).status


# --- understanding ------------------------------------------------------------------------------------------


def test_understanding_is_recorded_in_the_advisers_words(complaint, case_handler):
    understanding = understand(complaint, case_handler, impact="  Overdrawn, £35 fee \n")

    assert understanding.impact == "Overdrawn, £35 fee"
    assert understanding.recorded_by == case_handler and understanding.recorded_at == NOW
    assert understanding.confirmed_at is None
    event = only_event(complaint, "understanding_recorded")
    assert event.actor == case_handler and event.at == NOW
    assert event.after == {"understanding": understanding.pk}


def test_understanding_meets_the_initial_assessment_clock(complaint, case_handler):
    services.process_start(case=complaint, regime_code="internal-iso10002", actor=case_handler)
    assert clock_status(complaint, "initial_assessment") == "running"

    understand(complaint, case_handler)

    assessment = CaseClock.objects.get(case=complaint, code="initial_assessment")
    assert assessment.status == "met" and assessment.met_at == NOW
    assert clock_status(complaint, "final_response") == "running"


@pytest.mark.parametrize("field", ["what_happened", "impact", "outcome_wanted"])
def test_understanding_needs_each_part(complaint, case_handler, field):
    with pytest.raises(DomainError) as err:
        understand(complaint, case_handler, **{field: "   "})
    assert err.value.code == "invalid" and err.value.fields == {field: "required"}

    with pytest.raises(DomainError) as err:
        understand(complaint, case_handler, **{field: "x" * 10_001})
    assert err.value.fields == {field: "at most 10000"}
    assert not Understanding.objects.exists()
    assert not CaseEvent.objects.filter(kind="understanding_recorded").exists()


def test_the_customer_confirms_the_summary_once(complaint, case_handler, clock):
    understanding = understand(complaint, case_handler)
    clock.move_to(datetime(2026, 11, 3, 9, 30, tzinfo=LONDON), tick=False)

    confirmed = steps.understanding_confirm(understanding=understanding, via="status page")

    assert confirmed.confirmed_via == "status page"
    assert confirmed.confirmed_at == datetime(2026, 11, 3, 9, 30, tzinfo=LONDON)
    event = only_event(complaint, "understanding_confirmed")
    assert event.actor is None  # the customer, on their status page
    assert event.after == {"understanding": understanding.pk, "via": "status page"}
    with pytest.raises(Conflict) as err:
        steps.understanding_confirm(understanding=understanding, via="phone", actor=case_handler)
    assert err.value.code == "conflict"
    assert Understanding.objects.get(pk=understanding.pk).confirmed_via == "status page"
    assert CaseEvent.objects.filter(kind="understanding_confirmed").count() == 1


def test_only_the_latest_summary_can_be_confirmed(complaint, case_handler):
    first = understand(complaint, case_handler)
    latest = understand(complaint, case_handler, impact="Overdrawn twice")

    with pytest.raises(Conflict) as err:
        steps.understanding_confirm(understanding=first, via="phone", actor=case_handler)
    assert "newer summary" in err.value.message
    assert Understanding.objects.get(pk=first.pk).confirmed_at is None

    steps.understanding_confirm(understanding=latest, via="phone", actor=case_handler)
    assert only_event(complaint, "understanding_confirmed").actor == case_handler


def test_confirming_needs_a_way_it_was_confirmed(complaint, case_handler):
    understanding = understand(complaint, case_handler)
    with pytest.raises(DomainError) as err:
        steps.understanding_confirm(understanding=understanding, via=" ", actor=case_handler)
    assert err.value.fields == {"via": "required"}
    assert Understanding.objects.get(pk=understanding.pk).confirmed_at is None


# --- evidence and finding -----------------------------------------------------------------------------------


def test_evidence_is_added_with_its_kind_and_source(complaint, case_handler):
    item = steps.evidence_add(
        case=complaint,
        actor=case_handler,
        kind="record",
        description=" Statement shows two debits ",
        source="Core banking",
    )

    assert (item.kind, item.description, item.source) == (
        "record",
        "Statement shows two debits",
        "Core banking",
    )
    assert item.added_by == case_handler and item.added_at == NOW
    assert only_event(complaint, "evidence_added").after == {"evidence": item.pk, "kind": "record"}


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"kind": "rumour"}, {"kind": "unknown"}),
        ({"description": ""}, {"description": "required"}),
        ({"source": "s" * 201}, {"source": "at most 200"}),
    ],
)
def test_evidence_refusals(complaint, case_handler, given, fields):
    kwargs = {"kind": "document", "description": "The contract", "source": "", **given}
    with pytest.raises(DomainError) as err:
        steps.evidence_add(case=complaint, actor=case_handler, **kwargs)
    assert err.value.fields == fields
    assert not EvidenceItem.objects.exists() and not CaseEvent.objects.filter(kind="evidence_added").exists()


def test_a_finding_records_outcome_reasons_and_root_cause(complaint, case_handler):
    cause = RootCause.objects.get(code="system-fault")

    finding = steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="partly_justified",
        facts="Two debits on 1 November",
        reasoning="Our retry charged twice; the fee was the bank's",
        root_cause=cause,
    )

    assert finding.outcome == "partly_justified" and finding.root_cause == cause
    assert only_event(complaint, "finding_recorded").after == {
        "finding": finding.pk,
        "outcome": "partly_justified",
        "root_cause": "system-fault",
    }
    steps.finding_record(case=complaint, actor=case_handler, outcome="justified", facts="f", reasoning="r")
    assert CaseEvent.objects.filter(kind="finding_recorded").last().after["root_cause"] is None


def test_finding_refusals(complaint, case_handler):
    retired = RootCause.objects.get(code="handoff")
    RootCause.objects.filter(pk=retired.pk).update(active=False)  # retired in the taxonomy admin
    retired.refresh_from_db()
    cases = [
        ({"outcome": "guilty"}, {"outcome": "justified, partly_justified or not_justified"}),
        ({"facts": ""}, {"facts": "required"}),
        ({"reasoning": " "}, {"reasoning": "required"}),
        ({"root_cause": retired}, {"root_cause": "inactive"}),
    ]
    for given, fields in cases:
        kwargs = {"outcome": "justified", "facts": "f", "reasoning": "r", **given}
        with pytest.raises(DomainError) as err:
            steps.finding_record(case=complaint, actor=case_handler, **kwargs)
        assert err.value.fields == fields, given
    assert not Finding.objects.exists() and not CaseEvent.objects.filter(kind="finding_recorded").exists()


# --- the customer's answer and satisfaction -----------------------------------------------------------------


def test_the_customers_answer_comes_after_the_response(complaint, case_handler):
    with pytest.raises(Conflict):  # no regime yet
        steps.customer_answer_record(case=complaint, actor=case_handler, accepted=True)
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    with pytest.raises(Conflict) as err:  # no response sent yet
        steps.customer_answer_record(case=complaint, actor=case_handler, accepted=True)
    assert err.value.code == "conflict"
    assert not CaseEvent.objects.filter(kind="customer_answered").exists()

    services.process_letter_sent(case=complaint, kind="final_response", at=NOW, actor=case_handler)
    steps.customer_answer_record(
        case=complaint, actor=case_handler, accepted=False, note="Wants the fee back"
    )

    complaint.process.refresh_from_db()
    assert complaint.process.customer_answer == "not_accepted"
    event = only_event(complaint, "customer_answered")
    assert event.after == {"accepted": False} and event.reason == "Wants the fee back"


def test_satisfaction_is_checked_and_meets_its_clock(complaint, case_handler):
    services.process_start(case=complaint, regime_code="internal-iso10002", actor=case_handler)
    services.process_letter_sent(case=complaint, kind="final_response", at=NOW, actor=case_handler)
    assert clock_status(complaint, "satisfaction_check") == "running"  # started by the response

    check = steps.satisfaction_record(
        case=complaint, actor=case_handler, answer="partly", comment="Happy with the refund, not the wait"
    )

    assert check.answer == "partly" and check.checked_by == case_handler
    event = only_event(complaint, "satisfaction_checked")
    assert event.after == {"answer": "partly"} and event.reason == "Happy with the refund, not the wait"
    assert clock_status(complaint, "satisfaction_check") == "met"


def test_satisfaction_needs_a_known_answer(complaint, case_handler):
    with pytest.raises(DomainError) as err:
        steps.satisfaction_record(case=complaint, actor=case_handler, answer="delighted")
    assert err.value.fields == {"answer": "unknown"}
    assert not SatisfactionCheck.objects.exists()
    assert not CaseEvent.objects.filter(kind="satisfaction_checked").exists()
