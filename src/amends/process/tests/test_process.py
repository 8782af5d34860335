"""The complaint process, enforced by its services (issue 3 acceptance)."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_transition
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.letters.services import text_block_update
from amends.messaging.tasks import send_outbox
from amends.process import authority, promises, services, steps
from amends.process.letters import process_compose_letter
from amends.process.models import CaseClock, Option, Promise
from amends.process.tasks import sweep

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def at(*args):
    return datetime(*args, tzinfo=LONDON)


def _fill_fca_blocks(actor):
    text_block_update(
        code="fca.disp1.annex3.waiver",
        body="You have the right to refer your complaint to the "
        "Financial Ombudsman Service, free of charge ... (DISP 1 Annex 3R wording)",
        actor=actor,
    )
    text_block_update(
        code="fca.fos.leaflet", body="We enclose the Financial Ombudsman Service's leaflet.", actor=actor
    )


def test_applying_fca_disp_starts_its_clocks(complaint, case_handler):
    process = services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    clocks = {c.code: c for c in CaseClock.objects.filter(case=complaint)}
    assert "final_response" in clocks and clocks["final_response"].regulatory
    # 8 weeks after Monday 2 November 2026 is Monday 28 December 2026, end of day.
    assert clocks["final_response"].due_at.astimezone(LONDON).date().isoformat() == "2026-12-28"
    assert process.stage == "stage1"
    assert CaseEvent.objects.filter(case=complaint, kind="regime_applied").count() == 1
    with pytest.raises(Conflict):
        services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)


def test_only_complaints_follow_a_regime(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case

    query = make_case(team=complaints_team, kind="query")
    with pytest.raises(DomainError) as err:
        services.process_start(case=query, regime_code="fca-disp", actor=case_handler)
    assert err.value.code == "not_a_complaint"


def test_closing_without_finding_or_response_letter_is_refused(complaint, case_handler):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    with pytest.raises(DomainError) as err:
        case_transition(case=complaint, to="closed", actor=case_handler, reason="Sorted")
    assert err.value.code == "cannot_close"
    assert "no finding" in err.value.message and "no response letter" in err.value.message
    steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="justified",
        facts="Two debits on 1 Nov",
        reasoning="Our system retried a payment that had succeeded",
    )
    with pytest.raises(DomainError) as err:
        case_transition(case=complaint, to="closed", actor=case_handler, reason="Sorted")
    assert "no finding" not in err.value.message and "no response letter" in err.value.message
    assert Case.objects.get(pk=complaint.pk).status == "new"


def test_over_limit_offer_needs_someone_elses_approval(complaint, adviser, case_handler, team_leader):
    option = authority.option_add(
        case=complaint,
        actor=adviser,
        title="Refund the duplicate payment",
        remedy_type="refund",
        amount="450.00",
        benefits_customer="Money back",
        drawbacks_organisation="Cost",
        risk_customer=(1, 1),
        risk_organisation=(2, 2),
    )
    with pytest.raises(PermissionDenied) as err:
        authority.option_choose(option=option, actor=adviser, reason="Right thing to do")
    assert err.value.code == "approval_required"
    request = authority.approval_request(option=option, actor=adviser, reason="Clear error on our side")
    assert Option.objects.get(pk=option.pk).status == "awaiting_approval"
    with pytest.raises(PermissionDenied):  # nobody approves their own request
        authority.approval_decide(request=request, actor=adviser, approve=True, reason="ok")
    with pytest.raises(DomainError):  # reason required
        authority.approval_decide(request=request, actor=case_handler, approve=True, reason=" ")
    authority.approval_decide(
        request=request, actor=case_handler, approve=True, reason="Within my £500 limit"
    )
    chosen = authority.option_choose(option=option, actor=adviser, reason="Approved by Hal")
    assert chosen.status == "chosen"
    events = list(CaseEvent.objects.filter(case=complaint).values_list("kind", flat=True))
    assert events.count("approval_requested") == 1 and events.count("approval_decided") == 1


def test_approver_needs_the_authority_too(complaint, adviser, case_handler, team_leader):
    option = authority.option_add(
        case=complaint,
        actor=adviser,
        title="Compensation for distress",
        remedy_type="compensation",
        amount=Decimal("800"),
        benefits_customer="Recognition",
    )
    request = authority.approval_request(option=option, actor=adviser)
    with pytest.raises(PermissionDenied):  # a case handler may offer up to £250 compensation
        authority.approval_decide(request=request, actor=case_handler, approve=True, reason="fine")
    authority.approval_decide(
        request=request, actor=team_leader, approve=False, reason="Too high for the impact"
    )
    assert Option.objects.get(pk=option.pk).status == "declined"
    with pytest.raises(Conflict):
        authority.option_choose(option=option, actor=adviser, reason="anyway")


def test_within_authority_needs_no_approval(complaint, adviser):
    option = authority.option_add(
        case=complaint,
        actor=adviser,
        title="Apologise and explain",
        remedy_type="apology",
        benefits_customer="Acknowledges what went wrong",
    )
    with pytest.raises(DomainError):
        authority.approval_request(option=option, actor=adviser)
    assert (
        authority.option_choose(option=option, actor=adviser, reason="All they asked for").status == "chosen"
    )


def test_option_input_is_checked(complaint, adviser):
    for bad in [
        dict(remedy_type="bribe"),
        dict(amount="lots"),
        dict(amount="-5"),
        dict(risk_customer=(0, 9)),
        dict(remedy_type="refund", amount=None),
        dict(benefits_customer=""),
    ]:
        kwargs = dict(
            case=complaint, actor=adviser, title="x", remedy_type="refund", amount="10", benefits_customer="y"
        )
        kwargs.update(bad)
        with pytest.raises(DomainError):
            authority.option_add(**kwargs)
    assert not Option.objects.exists()


def test_regulatory_clock_runs_while_waiting_on_the_customer_internal_target_pauses(
    complaint, case_handler, complaints_team
):
    from amends.cases.tests.factories import make_case

    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    regulatory = CaseClock.objects.get(case=complaint, code="final_response")
    due_before = regulatory.due_at
    internal_case = make_case(team=complaints_team)
    services.process_start(case=internal_case, regime_code="internal-iso10002", actor=case_handler)
    internal = CaseClock.objects.filter(case=internal_case, pauses=True).first()
    assert internal is not None, "the internal regime has targets that pause"
    internal_due = internal.due_at
    base = timezone_now()
    with time_machine.travel(base + timedelta(hours=1), tick=False):
        case_transition(case=complaint, to="awaiting_customer", actor=case_handler)
        case_transition(case=internal_case, to="awaiting_customer", actor=case_handler)
    with time_machine.travel(base + timedelta(days=3, hours=1), tick=False):
        case_transition(case=Case.objects.get(pk=complaint.pk), to="open", actor=case_handler)
        case_transition(case=Case.objects.get(pk=internal_case.pk), to="open", actor=case_handler)
    assert CaseClock.objects.get(pk=regulatory.pk).due_at == due_before
    assert CaseClock.objects.get(pk=internal.pk).due_at == internal_due + timedelta(days=3)


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def test_fca_path_from_receipt_to_close(
    complaint, case_handler, complaints_lead, django_capture_on_commit_callbacks
):
    _fill_fca_blocks(complaints_lead)
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    ack = process_compose_letter(case=complaint, kind="acknowledgement", actor=case_handler, fields={})
    with django_capture_on_commit_callbacks(execute=True):
        services.process_send_letter(letter=ack, actor=case_handler, by="email")
    send_outbox(timezone_now())
    assert mail.outbox[-1].attachments[0][2] == "application/pdf"
    understanding = steps.understanding_record(
        case=complaint,
        actor=case_handler,
        what_happened="Charged twice",
        impact="Overdrawn, £35 fee",
        outcome_wanted="Refund and fee back",
    )
    steps.understanding_confirm(understanding=understanding, via="phone", actor=case_handler)
    steps.evidence_add(
        case=complaint, actor=case_handler, kind="record", description="Statement shows two debits"
    )
    steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="justified",
        facts="Two debits",
        reasoning="Our retry logic charged twice",
        customer_explanation="A fault in our payment system took your £120 payment twice.",
    )
    option = authority.option_add(
        case=complaint,
        actor=case_handler,
        title="Refund £120 and the £35 fee",
        remedy_type="refund",
        amount="155",
        benefits_customer="Money back",
    )
    authority.option_choose(option=option, actor=case_handler, reason="Puts them back where they were")
    final = process_compose_letter(case=complaint, kind="final_response", actor=case_handler, fields={})
    with django_capture_on_commit_callbacks(execute=True):
        services.process_send_letter(letter=final, actor=case_handler, by="print")
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
    assert CaseClock.objects.get(case=complaint, code="final_response").status == "met"
    steps.customer_answer_record(case=complaint, actor=case_handler, accepted=True)
    steps.satisfaction_record(case=complaint, actor=case_handler, answer="satisfied")
    case_transition(case=complaint, to="closed", actor=case_handler, reason="Refund made; customer satisfied")
    assert Case.objects.get(pk=complaint.pk).status == "closed"


def test_final_letter_missing_prescribed_wording_cannot_be_sent(complaint, case_handler):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    steps.finding_record(
        case=complaint,
        actor=case_handler,
        outcome="justified",
        facts="f",
        reasoning="r",
        customer_explanation="e",
    )
    letter = process_compose_letter(
        case=complaint,
        kind="final_response",
        actor=case_handler,
        fields={"decision": "upheld", "reasons": "r", "remedy": "m"},
    )
    with pytest.raises(DomainError) as err:
        services.process_send_letter(letter=letter, actor=case_handler, by="print")
    assert err.value.code == "letter_incomplete"
    assert "fca.disp1.annex3.waiver" in err.value.message
    assert services.closing_problems(Case.objects.get(pk=complaint.pk))


def test_extension_respects_the_regime_limit(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case

    with time_machine.travel(at(2026, 11, 2, 10, 0), tick=False):
        case = make_case(team=complaints_team, owner=case_handler)
        services.process_start(case=case, regime_code="hos-2024", actor=case_handler)
        ack = CaseClock.objects.get(case=case, code="acknowledgement")
        with pytest.raises(DomainError) as err:
            services.clock_extend(clock=ack, actor=case_handler, reason="busy")
        assert err.value.code == "no_extension"
        services.process_letter_sent(
            case=case, kind="acknowledgement", at=at(2026, 11, 3, 9, 0), actor=case_handler
        )
        response = CaseClock.objects.get(case=case, code="stage1_response")
        too_far = response.due_at + timedelta(days=30)
        with pytest.raises(DomainError) as err:
            services.clock_extend(clock=response, actor=case_handler, reason="complex", new_due_at=too_far)
        assert err.value.code == "extension_too_long"
        extended = services.clock_extend(
            clock=response, actor=case_handler, reason="Waiting for the contractor"
        )
        assert extended.due_at > response.due_at and extended.extended_from == response.due_at


def test_worker_warns_breaches_reminds_once(complaint, case_handler, team_leader):
    services.process_start(case=complaint, regime_code="fca-disp", actor=case_handler)
    promise = promises.promise_make(
        case=complaint,
        actor=case_handler,
        description="Call back with the refund date",
        due_at=timezone_now() + timedelta(days=2),
    )
    with time_machine.travel(timezone_now() + timedelta(days=1, hours=12), tick=False):
        first = sweep()
        again = sweep()
    assert first.counts["promise_reminders"] == 1 and again.counts["promise_reminders"] == 0
    with time_machine.travel(timezone_now() + timedelta(days=70), tick=False):
        late = sweep()
        late_again = sweep()
    assert late.counts["promises_broken"] == 1 and late.counts["clock_breaches"] >= 1
    for name in ("clock_warnings", "clock_breaches", "promise_reminders", "promises_broken"):
        assert late_again.counts[name] == 0, name
    assert Promise.objects.get(pk=promise.pk).status == "broken"
    breaches = first.counts["clock_breaches"] + again.counts["clock_breaches"] + late.counts["clock_breaches"]
    assert CaseEvent.objects.filter(case=complaint, kind="clock_breached").count() == breaches
    assert CaseEvent.objects.filter(case=complaint, kind="promise_reminder").count() == 1


def test_escalation_to_stage_two_starts_its_clocks(complaints_team, case_handler):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team, owner=case_handler)
    services.process_start(case=case, regime_code="hos-2024", actor=case_handler)
    services.process_escalate(case=case, actor=case_handler, to="next_stage", reason="Resident not satisfied")
    process = case.process
    process.refresh_from_db()
    assert process.stage == "stage2"
    assert CaseClock.objects.filter(case=case, stage="stage2").exists()
    assert not CaseClock.objects.filter(case=case, stage="stage1", status="running").exists()
    with pytest.raises(DomainError):
        services.process_escalate(case=case, actor=case_handler, to="next_stage", reason="again")
    services.process_escalate(case=case, actor=case_handler, to="ombudsman", reason="Resident wants HOS")
    process.refresh_from_db()
    assert process.referred_to == "Housing Ombudsman Service"
