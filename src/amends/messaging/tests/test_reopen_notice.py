"""A re-opened case tells its last owner and its team leader, with what the customer said (the message
that re-opened it, on any channel) or the reason a colleague gave, and records who was told.

Hal handles cases in the complaints team, Tess leads it, Ada is an adviser in it.
"""

import pytest
from django.core import mail
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.services import case_assign, case_transition
from amends.cases.tests.factories import make_case
from amends.core.models import Notification
from amends.messaging.services import Incoming, message_log_contact, message_record_inbound

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(complaints_team, case_handler, team_leader):
    case = make_case(team=complaints_team, owner=case_handler, email="pat@example.com")
    case_transition(case=case, to="resolved", actor=case_handler, reason="Refund paid")
    Notification.objects.all().delete()
    return case


def test_a_customer_calling_back_on_a_resolved_case_tells_its_owner_and_team_leader(
    resolved, adviser, case_handler, team_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_log_contact(
            case=resolved,
            actor=adviser,
            channel="phone",
            direction="in",
            summary="The refund never arrived and she is very upset",
        )
    told = Notification.objects.filter(text__startswith=resolved.reference)
    assert sorted(n.user.username for n in told) == ["hal", "tess"]
    note = told.first()
    assert note.urgency == "urgent"
    assert "re-opened by the customer" in note.text and "The refund never arrived" in note.text
    assert note.link == f"/cases/{resolved.reference}/"
    event = CaseEvent.objects.get(case=resolved, kind="reopen_told")
    assert sorted(event.after["told"]) == ["Hal Handler", "Tess Leader"]
    assert len(mail.outbox) == 2  # urgent, and both chose urgent ones by email (the default)


def test_an_email_on_a_closed_case_tells_its_last_owner_even_once_unassigned(
    resolved, case_handler, team_leader
):
    case_transition(case=resolved, to="closed", actor=case_handler, reason="Done")
    case_assign(case=resolved, owner=None, actor=team_leader, reason="other", note="Closed, nothing owed")
    Notification.objects.all().delete()
    message_record_inbound(
        case=resolved,
        customer=resolved.customer,
        incoming=Incoming(
            channel="email",
            body_text="I am writing again: nothing has changed.",
            occurred_at=timezone.now(),
            subject=f"Re: {resolved.reference}",
        ),
    )
    resolved.refresh_from_db()
    assert resolved.status == "open"
    assert Notification.objects.filter(user=case_handler, text__contains="nothing has changed").exists()


def test_a_colleague_reopening_tells_the_others_with_their_reason(resolved, case_handler, team_leader):
    case_transition(case=resolved, to="open", actor=team_leader, reason="Customer rang: the refund bounced")
    notes = list(Notification.objects.filter(text__contains="re-opened"))
    assert [n.user for n in notes] == [case_handler]  # not the leader who re-opened it
    assert notes[0].urgency == "routine"
    assert "re-opened by Tess Leader: “Customer rang: the refund bounced”" in notes[0].text


def test_a_status_change_that_is_not_a_reopen_tells_nobody(complaints_team, case_handler):
    case = make_case(team=complaints_team, owner=case_handler)
    Notification.objects.all().delete()
    case_transition(case=case, to="resolved", actor=case_handler, reason="Done")
    assert not Notification.objects.exists()
    assert not CaseEvent.objects.filter(kind="reopen_told").exists()
