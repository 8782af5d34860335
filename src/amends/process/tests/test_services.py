"""process.services: applying a regime, its clocks, extensions, escalation and what stops a complaint closing.

The complaint fixture came in on Monday 2 November 2026 at 10:00; the tests start an hour later. Deadlines
are the shipped definitions' (England): e.g. the Housing Ombudsman's stage 1 response is due 10 working days
after the acknowledgement, and may be put back 10 working days more.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.core.errors import Conflict, DomainError, NotFound
from amends.process import authority, services, steps
from amends.process.letters import process_compose_letter
from amends.process.models import CaseClock, CaseProcess

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


RECEIVED = at(2026, 11, 2, 10, 0)
NOW = at(2026, 11, 2, 11, 0)
ACKNOWLEDGED = at(2026, 11, 3, 9, 0)
END_OF = {  # 23:59:59 London on these days: the end of a working or business day deadline
    "9 Nov": at(2026, 11, 9, 23, 59, 59),
    "16 Nov": at(2026, 11, 16, 23, 59, 59),
    "17 Nov": at(2026, 11, 17, 23, 59, 59),
    "1 Dec": at(2026, 12, 1, 23, 59, 59),
    "28 Dec": at(2026, 12, 28, 23, 59, 59),
}


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def start(case, actor, regime="hos-2024", **given):
    return services.process_start(case=case, regime_code=regime, actor=actor, **given)


def clocks(case, **filters):
    return {c.code: c for c in CaseClock.objects.filter(case=case, **filters)}


def only_event(case, kind):
    (event,) = CaseEvent.objects.filter(case=case, kind=kind)
    return event


def fresh(case):
    return Case.objects.get(pk=case.pk)


def acknowledge(case, actor, when=ACKNOWLEDGED):
    services.process_letter_sent(case=case, kind="acknowledgement", at=when, actor=actor)


# --- applying a regime --------------------------------------------------------------------------------------


def test_applying_a_regime_starts_its_clocks_and_records_it(complaint, case_handler):
    process = start(complaint, case_handler, regime="fca-disp")

    assert process.stage == "stage1" and process.received_at == RECEIVED
    assert process.regime_version.regime.code == "fca-disp"
    started = clocks(complaint)
    assert set(started) == {"acknowledgement", "summary_resolution", "final_response"}
    assert {code: c.met_by for code, c in started.items()} == {
        "acknowledgement": "acknowledged",
        "summary_resolution": "resolved",
        "final_response": "responded",
    }
    assert started["summary_resolution"].optional and not started["final_response"].optional
    assert started["final_response"].due_at == END_OF["28 Dec"] and started["final_response"].regulatory
    assert all(c.status == "running" for c in started.values())
    # The case's respond-by date is its earliest deadline; an optional window is not a deadline.
    assert fresh(complaint).respond_by == END_OF["9 Nov"]
    assert process.next_update_due == END_OF["16 Nov"]  # FCA: keep informed every 10 business days
    event = only_event(complaint, "regime_applied")
    assert event.actor == case_handler and event.at == NOW
    assert event.after == {"regime": "fca-disp", "version": process.regime_version.version, "stage": "stage1"}


def test_a_regime_can_count_from_when_the_complaint_really_came_in(complaint, case_handler):
    process = start(complaint, case_handler, regime="fca-disp", received_at=at(2026, 10, 30, 16, 0))
    assert process.received_at == at(2026, 10, 30, 16, 0)
    assert clocks(complaint)["final_response"].due_at.date().isoformat() == "2026-12-25"


def test_applying_a_regime_refusals(complaint, complaints_team, case_handler):
    query = make_case(team=complaints_team, kind="query")
    with pytest.raises(DomainError) as err:
        start(query, case_handler)
    assert err.value.code == "not_a_complaint"
    with pytest.raises(NotFound) as err:
        start(complaint, case_handler, regime="no-such-regime")
    assert err.value.code == "not_found"
    with pytest.raises(NotFound):  # not yet in force when the complaint came in
        start(complaint, case_handler, received_at=at(2020, 1, 6, 9, 0))
    assert not CaseProcess.objects.exists() and not CaseClock.objects.exists()

    start(complaint, case_handler)
    with pytest.raises(Conflict) as err:
        start(complaint, case_handler, regime="fca-disp")
    assert err.value.code == "conflict"
    assert CaseEvent.objects.filter(kind="regime_applied").count() == 1


# --- letters move the process on ----------------------------------------------------------------------------


def test_an_acknowledgement_meets_its_clock_and_starts_the_response_clock(complaint, case_handler):
    start(complaint, case_handler)
    assert set(clocks(complaint)) == {"acknowledgement"}  # Housing: the response counts from the ack

    acknowledge(complaint, case_handler)

    process = CaseProcess.objects.get(case=complaint)
    assert process.acknowledged_at == ACKNOWLEDGED
    now = clocks(complaint)
    assert now["acknowledgement"].status == "met" and now["acknowledgement"].met_at == ACKNOWLEDGED
    assert now["stage1_response"].status == "running" and now["stage1_response"].due_at == END_OF["17 Nov"]
    assert fresh(complaint).respond_by == END_OF["17 Nov"]

    acknowledge(complaint, case_handler, when=at(2026, 11, 4, 9, 0))  # a second one changes nothing
    assert CaseProcess.objects.get(case=complaint).acknowledged_at == ACKNOWLEDGED
    assert CaseClock.objects.filter(case=complaint).count() == 2
    assert services.clocks_refresh(CaseProcess.objects.get(case=complaint)) == []  # idempotent


def test_a_response_letter_meets_the_response_clock_and_resolves_the_case(complaint, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)
    sent_at = at(2026, 11, 12, 15, 0)

    services.process_letter_sent(case=complaint, kind="stage1_response", at=sent_at, actor=case_handler)

    process = CaseProcess.objects.get(case=complaint)
    assert process.response_sent_at == sent_at and process.customer_answer == ""
    response = clocks(complaint)["stage1_response"]
    assert response.status == "met" and response.met_at == sent_at
    assert fresh(complaint).status == "resolved"
    resolved = CaseEvent.objects.filter(case=complaint, kind="status_changed").last()
    assert resolved.after == {"status": "resolved"} and resolved.reason == "stage1 response sent"


def test_a_summary_resolution_meets_the_window_and_the_response(complaint, case_handler):
    start(complaint, case_handler, regime="fca-disp")
    services.process_letter_sent(
        case=complaint, kind="summary_resolution", at=at(2026, 11, 4, 12, 0), actor=case_handler
    )
    statuses = {code: c.status for code, c in clocks(complaint).items()}
    assert statuses == {"acknowledgement": "running", "summary_resolution": "met", "final_response": "met"}


def test_other_letters_and_cases_without_a_regime_move_nothing(complaint, complaints_team, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)
    services.process_letter_sent(case=complaint, kind="holding", at=NOW, actor=case_handler)
    assert clocks(complaint)["stage1_response"].status == "running"
    assert CaseProcess.objects.get(case=complaint).response_sent_at is None

    plain = make_case(team=complaints_team)
    services.process_letter_sent(case=plain, kind="final_response", at=NOW, actor=case_handler)
    assert fresh(plain).status == "new"
    assert services.clocks_meet(case=plain, step="understood", at=NOW) == 0


# --- extensions ---------------------------------------------------------------------------------------------


def test_an_extension_moves_the_deadline_to_the_regimes_limit(complaint, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)
    response = clocks(complaint)["stage1_response"]
    assert response.warn_at is not None

    extended = services.clock_extend(
        clock=response, actor=case_handler, reason=" Waiting for the contractor "
    )

    assert extended.due_at == END_OF["1 Dec"] and extended.extended_from == END_OF["17 Nov"]
    assert extended.extension_reason == "Waiting for the contractor"
    assert extended.warn_at is None and extended.warned_at is None
    assert fresh(complaint).respond_by == END_OF["1 Dec"]
    event = only_event(complaint, "clock_extended")
    assert event.actor == case_handler and event.reason == "Waiting for the contractor"
    assert event.before == {"clock": "stage1_response", "due": END_OF["17 Nov"].isoformat()}
    assert event.after == {"clock": "stage1_response", "due": END_OF["1 Dec"].isoformat()}


def test_a_second_extension_keeps_the_original_deadline(complaint, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)
    response = clocks(complaint)["stage1_response"]
    services.clock_extend(
        clock=response, actor=case_handler, reason="Survey", new_due_at=at(2026, 11, 24, 17)
    )
    again = services.clock_extend(clock=response, actor=case_handler, reason="Contractor")
    assert again.due_at == END_OF["1 Dec"] and again.extended_from == END_OF["17 Nov"]
    assert CaseEvent.objects.filter(case=complaint, kind="clock_extended").count() == 2


def test_extension_refusals(complaint, case_handler):
    start(complaint, case_handler)
    running_ack = clocks(complaint)["acknowledgement"]
    with pytest.raises(DomainError) as err:
        services.clock_extend(clock=running_ack, actor=case_handler, reason="Busy")
    assert err.value.code == "no_extension"
    acknowledge(complaint, case_handler)
    response = clocks(complaint)["stage1_response"]
    refusals = [
        ({"reason": " "}, "invalid", {"reason": "required"}),
        (
            {"new_due_at": END_OF["1 Dec"] + timedelta(seconds=1)},
            "extension_too_long",
            {"new_due_at": "beyond the regime's limit"},
        ),
        ({"new_due_at": END_OF["17 Nov"]}, "invalid", {"new_due_at": "not later"}),
    ]
    for given, code, fields in refusals:
        with pytest.raises(DomainError) as err:
            services.clock_extend(clock=response, actor=case_handler, **{"reason": "Complex", **given})
        assert (err.value.code, err.value.fields) == (code, fields), given
    with pytest.raises(Conflict) as err:  # met by the acknowledgement
        services.clock_extend(clock=running_ack, actor=case_handler, reason="Busy")
    assert err.value.code == "conflict"
    assert clocks(complaint)["stage1_response"].due_at == END_OF["17 Nov"]
    assert not CaseEvent.objects.filter(kind="clock_extended").exists()


def test_a_regime_without_extensions_refuses_one(complaint, case_handler):
    start(complaint, case_handler, regime="fca-disp")
    with pytest.raises(DomainError) as err:
        services.clock_extend(clock=clocks(complaint)["final_response"], actor=case_handler, reason="Complex")
    assert err.value.code == "no_extension"


def test_an_extension_by_agreement_needs_the_agreed_date(complaint, case_handler):
    start(complaint, case_handler, regime="nhs-england-2009")
    period = clocks(complaint)["relevant_period"]
    with pytest.raises(DomainError) as err:
        services.clock_extend(clock=period, actor=case_handler, reason="Agreed with the patient")
    assert err.value.fields == {"new_due_at": "required"}
    agreed = at(2027, 6, 30, 17, 0)
    extended = services.clock_extend(
        clock=period, actor=case_handler, reason="Agreed with the patient", new_due_at=agreed
    )
    assert extended.due_at == agreed  # no fixed limit: whatever was agreed


# --- escalation ---------------------------------------------------------------------------------------------


def test_escalating_to_the_next_stage_stops_the_first_and_starts_the_second(complaint, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)

    process = services.process_escalate(
        case=complaint, actor=case_handler, to="next_stage", reason=" Resident not satisfied "
    )

    assert process.stage == "stage2" and process.escalated_at == NOW
    assert process.escalation_acknowledged_at is None and process.response_sent_at is None
    assert clocks(complaint, stage="stage1")["stage1_response"].status == "stopped"
    assert clocks(complaint, stage="stage1")["acknowledgement"].status == "met"  # met stays met
    assert set(clocks(complaint, stage="stage2")) == {"acknowledgement"}
    event = only_event(complaint, "escalated")
    assert event.before == {"stage": "stage1"} and event.after == {"stage": "stage2"}
    assert event.reason == "Resident not satisfied" and event.actor == case_handler
    assert fresh(complaint).status == "new"  # not re-opened: it was never finished

    acknowledge(complaint, case_handler, when=at(2026, 11, 4, 9, 0))
    process.refresh_from_db()
    assert process.escalation_acknowledged_at == at(2026, 11, 4, 9, 0)
    assert process.acknowledged_at == ACKNOWLEDGED
    assert clocks(complaint, stage="stage2")["stage2_response"].status == "running"


def test_escalating_a_resolved_complaint_reopens_it(complaint, case_handler):
    start(complaint, case_handler)
    acknowledge(complaint, case_handler)
    services.process_letter_sent(case=complaint, kind="stage1_response", at=NOW, actor=case_handler)
    steps.customer_answer_record(case=complaint, actor=case_handler, accepted=False)

    process = services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Unhappy")

    assert process.customer_answer == "" and process.response_sent_at is None
    assert fresh(complaint).status == "open"
    reopened = CaseEvent.objects.filter(case=complaint, kind="reopened").last()
    assert reopened.before == {"status": "resolved"} and reopened.reason == "Escalated: Unhappy"


def test_referring_to_the_ombudsman(complaint, case_handler):
    start(complaint, case_handler)
    process = services.process_escalate(
        case=complaint, actor=case_handler, to="ombudsman", reason="Wants HOS"
    )
    assert process.referred_to == "Housing Ombudsman Service" and process.stage == "stage1"
    event = only_event(complaint, "escalated")
    assert event.before is None and event.after == {"referred_to": "Housing Ombudsman Service"}


def test_escalation_refusals(complaint, complaints_team, case_handler):
    with pytest.raises(Conflict) as err:
        services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Unhappy")
    assert err.value.code == "no_regime"
    start(complaint, case_handler, regime="internal-iso10002")
    refusals = [
        ({"reason": "  "}, "invalid", {"reason": "required"}),
        ({"to": "manager"}, "invalid", {"to": "next_stage or ombudsman"}),
        ({"to": "next_stage"}, "last_stage", {}),  # a one-stage regime
        ({"to": "ombudsman"}, "no_referral_body", {}),  # an internal regime names none
    ]
    for given, code, fields in refusals:
        with pytest.raises(DomainError) as err:
            services.process_escalate(
                case=complaint, actor=case_handler, **{"reason": "Unhappy", "to": "next_stage", **given}
            )
        assert (err.value.code, err.value.fields) == (code, fields), given
    process = CaseProcess.objects.get(case=complaint)
    assert (process.stage, process.referred_to, process.escalated_at) == ("stage1", "", None)
    assert not CaseEvent.objects.filter(kind="escalated").exists()


def test_the_last_stage_has_no_next(complaint, case_handler):
    start(complaint, case_handler)
    services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Unhappy")
    with pytest.raises(DomainError) as err:
        services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Still unhappy")
    assert err.value.code == "last_stage"
    assert CaseProcess.objects.get(case=complaint).stage == "stage2"
    assert CaseEvent.objects.filter(kind="escalated").count() == 1


# --- closing ------------------------------------------------------------------------------------------------


def test_what_stops_a_complaint_closing(complaint, complaints_team, adviser, case_handler):
    assert services.closing_problems(make_case(team=complaints_team)) == []  # no regime, no rules
    start(complaint, case_handler, regime="internal-iso10002")
    problems = services.closing_problems(complaint)
    assert problems == [
        "there is no finding (justified, partly justified or not justified) with reasons",
        "no response letter has been sent (one of: final response)",
    ]

    steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="justified",
        facts="f",
        reasoning="r",
        customer_explanation="e",
    )
    option = authority.option_add(
        case=complaint,
        actor=adviser,
        title="Refund",
        remedy_type="refund",
        amount="450",
        benefits_customer="b",
    )
    authority.approval_request(option=option, actor=adviser)
    assert services.closing_problems(complaint) == [
        "no response letter has been sent (one of: final response)",
        "an approval request is still waiting for a decision",
    ]

    letter = process_compose_letter(
        case=complaint,
        kind="final_response",
        actor=case_handler,
        fields={
            "decision": "upheld",
            "reasons": "Charged twice",
            "remedy": "Refund",
            "how_to_escalate": "Call",
        },
    )
    services.process_send_letter(letter=letter, actor=case_handler, by="print")
    request = option.approvals.get()
    authority.approval_decide(request=request, actor=case_handler, approve=True, reason="Fine")
    assert services.closing_problems(complaint) == []


# --- clocks and the case's status ---------------------------------------------------------------------------


def test_an_internal_target_pauses_while_waiting_on_the_customer(complaint, case_handler, clock):
    start(complaint, case_handler, regime="internal-iso10002")
    target = clocks(complaint)["final_response"]
    assert target.pauses and not target.regulatory
    due, warn = target.due_at, target.warn_at

    case_transition(case=complaint, to="awaiting_customer", actor=case_handler, reason="Asked for the bill")
    assert clocks(complaint)["final_response"].paused_at == NOW
    assert clocks(complaint)["acknowledgement"].paused_at is None  # it does not pause
    clock.move_to(NOW + timedelta(days=2, hours=3), tick=False)
    case_transition(case=fresh(complaint), to="open", actor=case_handler)

    resumed = clocks(complaint)["final_response"]
    assert resumed.paused_at is None
    assert resumed.due_at == due + timedelta(days=2, hours=3)
    assert resumed.warn_at == warn + timedelta(days=2, hours=3)


def test_an_escalated_complaint_cannot_close_on_its_first_response(complaint, case_handler):
    start(complaint, case_handler)
    steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="justified",
        facts="f",
        reasoning="r",
        customer_explanation="e",
    )
    acknowledge(complaint, case_handler)
    letter = process_compose_letter(
        case=complaint,
        kind="stage1_response",
        actor=case_handler,
        fields={
            "decision": "upheld",
            "reasons": "Repair missed",
            "remedy": "Repair booked",
            "outstanding_actions": "None",
            "how_to_escalate": "Reply to this letter",
        },
    )
    services.process_send_letter(letter=letter, actor=case_handler, by="print")
    assert services.closing_problems(complaint) == []

    services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Not repaired")

    assert services.closing_problems(complaint) != []
