"""A closed case leaves nothing running: its clocks end, the next step knows, a refusal is said once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_transition
from amends.conftest import PASSWORD
from amends.letters.services import text_block_update
from amends.process import authority, services, steps
from amends.process.letters import process_compose_letter
from amends.process.models import CaseClock
from amends.process.selectors import process_panel
from amends.process.tasks import sweep

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def _respond(case, actor, lead, *, acknowledge: bool = True):
    """An FCA complaint (received Monday 2 November 2026) investigated and answered by final response."""
    # Blocks effective when the test's clock says it is (the loaded ones date from when the tests run).
    blocks = {
        "fca.disp1.annex3.waiver": "You may refer your complaint to the FOS ...",
        "fca.fos.leaflet": "We enclose the FOS leaflet.",
        "org.contact_details": "Complaints team, 1 High Street",
        "org.signature": "The complaints team",
    }
    for code, body in blocks.items():
        text_block_update(code=code, body=body, actor=lead)
    services.process_start(case=case, regime_code="fca-disp", actor=actor)
    if acknowledge:
        ack = process_compose_letter(case=case, kind="acknowledgement", actor=actor, fields={})
        services.process_send_letter(letter=ack, actor=actor, by="email")
    understanding = steps.understanding_record(
        case=case, actor=actor, what_happened="Charged twice", impact="Overdrawn", outcome_wanted="Refund"
    )
    steps.understanding_confirm(understanding=understanding, via="phone", actor=actor)
    steps.finding_record(
        case=case,
        actor=actor,
        outcome="justified",
        facts="Two debits",
        reasoning="Retry bug",
        customer_explanation="A fault in our system took your payment twice.",
    )
    option = authority.option_add(
        case=case,
        actor=actor,
        title="Refund £120",
        remedy_type="refund",
        amount="120",
        benefits_customer="Money",
    )
    authority.option_choose(option=option, actor=actor, reason="Puts them back where they were")
    final = process_compose_letter(case=case, kind="final_response", actor=actor, fields={})
    services.process_send_letter(letter=final, actor=actor, by="print")
    steps.customer_answer_record(case=case, actor=actor, accepted=True)


def _clocks(case) -> dict[str, CaseClock]:
    return {c.code: c for c in CaseClock.objects.filter(case=case)}


def test_closing_ends_every_clock_and_the_worker_leaves_them_alone(complaint, case_handler, complaints_lead):
    with time_machine.travel(at(2026, 11, 2, 15, 0), tick=False):
        _respond(complaint, case_handler, complaints_lead)
        assert _clocks(complaint)["summary_resolution"].status == "running"  # its window runs to Thursday
        case_transition(
            case=Case.objects.get(pk=complaint.pk), to="closed", actor=case_handler, reason="Refunded"
        )
    clocks = _clocks(complaint)
    assert {code: c.status for code, c in clocks.items()} == {
        "acknowledgement": "met",
        "final_response": "met",
        "summary_resolution": "stopped",
    }
    # Long after every due date the worker finds nothing on the closed case to warn about or breach.
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        counts = sweep().counts
    assert {k: n for k, n in counts.items() if k != "emails"} == dict.fromkeys(counts.keys() - {"emails"}, 0)
    assert not CaseEvent.objects.filter(case=complaint, kind__in=["clock_warning", "clock_breached"]).exists()


def test_a_clock_already_past_due_at_closing_is_recorded_breached_not_stopped(
    complaint, case_handler, complaints_lead
):
    with time_machine.travel(at(2026, 11, 2, 15, 0), tick=False):
        _respond(complaint, case_handler, complaints_lead, acknowledge=False)
    # Closed weeks later, before any worker swept: the acknowledgement was never sent, and that is a breach.
    with time_machine.travel(at(2026, 11, 30, 10, 0), tick=False):
        case_transition(
            case=Case.objects.get(pk=complaint.pk), to="closed", actor=case_handler, reason="Done"
        )
    clocks = _clocks(complaint)
    assert clocks["acknowledgement"].status == "breached"
    assert clocks["summary_resolution"].status == "lapsed"  # an optional window passing is no breach
    assert clocks["final_response"].status == "met"
    breach = CaseEvent.objects.get(case=complaint, kind="clock_breached")
    assert breach.after["clock"] == "acknowledgement"


def test_reopening_restarts_nothing(complaint, case_handler, complaints_lead):
    with time_machine.travel(at(2026, 11, 2, 15, 0), tick=False):
        _respond(complaint, case_handler, complaints_lead)
        case_transition(
            case=Case.objects.get(pk=complaint.pk), to="closed", actor=case_handler, reason="Refunded"
        )
    with time_machine.travel(at(2026, 11, 4, 9, 0), tick=False):
        case_transition(
            case=Case.objects.get(pk=complaint.pk),
            to="open",
            actor=case_handler,
            reason="Customer wrote again",
        )
    assert {c.status for c in _clocks(complaint).values()} == {"met", "stopped"}
    with time_machine.travel(at(2027, 3, 1, 9, 0), tick=False):
        counts = sweep().counts
    assert counts["clock_warnings"] == counts["clock_breaches"] == counts["optional_windows_lapsed"] == 0
    # ...but the customer is owed progress updates again, counted from the re-opening.
    assert counts["progress_updates"] == 1
    assert CaseEvent.objects.filter(case=complaint, kind="update_due").count() == 1


def test_a_paused_internal_target_stops_when_the_case_closes(complaint, case_handler):
    services.process_start(case=complaint, regime_code="internal-iso10002", actor=case_handler)
    now = datetime.now(tz=LONDON)
    services.clocks_follow_status(case=complaint, before="open", after="awaiting_customer", at=now)
    paused = CaseClock.objects.get(case=complaint, code="final_response")
    assert paused.paused_at is not None
    services.clocks_follow_status(case=complaint, before="awaiting_customer", after="closed", at=now)
    paused.refresh_from_db()
    assert (paused.status, paused.paused_at, paused.due_at) == ("stopped", None, paused.due_at)
    assert not CaseClock.objects.filter(case=complaint, status="running").exists()


def test_the_next_step_of_a_closed_case_says_it_is_closed(complaint, case_handler, complaints_lead):
    with time_machine.travel(at(2026, 11, 2, 15, 0), tick=False):
        _respond(complaint, case_handler, complaints_lead)
        steps.satisfaction_record(case=complaint, actor=case_handler, answer="satisfied")
        assert process_panel(complaint, case_handler).next_step == "Close the case with your reasons."
        closed = case_transition(
            case=Case.objects.get(pk=complaint.pk), to="closed", actor=case_handler, reason="Refunded"
        )
        panel = process_panel(closed, case_handler)
    assert "the case is closed" in panel.next_step
    assert {view.state for view in panel.clocks} == {"met", "stopped"}


def test_a_refused_close_is_said_once(complaint, case_handler):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    client = Client()
    client.login(username=case_handler.username, password=PASSWORD)
    response = client.post(
        f"/cases/{complaint.reference}/status",
        {"to": "closed", "reason": "Sorted", "version": Case.objects.get(pk=complaint.pk).version},
        follow=True,
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "cannot close yet" in said
    assert said.count("there is no finding") == 1
    assert said.count("no response letter has been sent") == 1
    assert Case.objects.get(pk=complaint.pk).status != "closed"


def test_a_re_opened_case_waits_for_its_next_stage_clocks(complaint, case_handler):
    """Escalating a re-opened two-stage complaint starts the next stage's clocks, as before."""
    services.process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    services.clocks_follow_status(case=complaint, before="open", after="closed", at=datetime.now(tz=LONDON))
    assert not CaseClock.objects.filter(case=complaint, status="running").exists()
    services.process_escalate(case=complaint, actor=case_handler, to="next_stage", reason="Wants a review")
    running = CaseClock.objects.filter(case=complaint, status="running")
    assert running.exists() and {c.stage for c in running} == {"stage2"}
    assert timedelta(0) < min(c.due_at for c in running) - datetime.now(tz=LONDON)
