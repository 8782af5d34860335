"""The outbox: claims leased so two workers never take the same email, the backoff, giving up, and what a
team leader sees of mail that has not gone (the queue filter, the case timeline)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.models import Notification
from amends.messaging import tasks
from amends.messaging.mailer import Attempt
from amends.messaging.models import Message, OutboxItem
from amends.messaging.services import message_send, outbox_record, retry_delay
from amends.messaging.tasks import claim_outbox, send_outbox

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


class RefusingBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError("connection refused")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


def reply(adviser, email="pat@example.com", team=None) -> Message:
    return message_send(case=make_case(email=email, team=team), actor=adviser, body="We are on it.")


def test_a_claimed_email_is_not_claimed_again_until_its_lease_ends(complaints_team, adviser, settings):
    """A second worker (or one that died mid-send) never takes an email another holds: exactly once."""
    message = reply(adviser)
    (claimed,) = claim_outbox(timezone.now())
    assert claimed.message == message
    assert claim_outbox(timezone.now()) == []
    lease_end = T0 + timedelta(seconds=tasks.lease_seconds())
    assert OutboxItem.objects.get().next_attempt_at == lease_end
    assert tasks.lease_seconds() == settings.EMAIL_TIMEOUT * (4 * settings.AMENDS_OUTBOX_BATCH + 2)

    # The worker died before sending: the email is due again when the lease ends, and goes once.
    assert claim_outbox(lease_end - timedelta(seconds=1)) == []
    assert send_outbox(lease_end) == 1
    assert len(mail.outbox) == 1 and Message.objects.get().delivery == "sent"


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.AMENDS_OUTBOX_RETRY_FIRST_SECONDS = 60
    settings.AMENDS_OUTBOX_RETRY_MAX_SECONDS = 600
    assert [retry_delay(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_after_the_last_attempt_the_email_is_given_up(complaints_team, adviser, settings, clock):
    settings.AMENDS_OUTBOX_MAX_ATTEMPTS = 3
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    message = reply(adviser)
    states = []
    for _ in range(3):
        send_outbox(timezone.now())
        outbox = OutboxItem.objects.get()
        states.append((Message.objects.get().delivery, outbox.attempts, outbox.next_attempt_at))
        clock.move_to(timezone.now() + timedelta(hours=1), tick=False)
    assert states == [
        ("retrying", 1, T0 + timedelta(minutes=1)),
        ("retrying", 2, T0 + timedelta(hours=1, minutes=2)),
        ("failed", 3, None),
    ]
    assert send_outbox(timezone.now() + timedelta(days=30)) == 0
    assert OutboxItem.objects.get(message=message).last_error == "ConnectionRefusedError: connection refused"


def test_recording_a_result_moves_only_the_emails_named(complaints_team, adviser):
    sent, waiting = reply(adviser, "a@example.com"), reply(adviser, "b@example.com")
    outbox_record([Attempt(sent.outbox.pk)], at=T0)
    assert Message.objects.get(pk=sent.pk).delivery == "sent"
    assert Message.objects.get(pk=waiting.pk).delivery == "queued"


def test_undelivered_mail_shows_in_the_queue_filter_and_on_the_case_page(
    complaints_team, adviser, team_leader, settings, client, clock
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    retrying = reply(adviser, "retry@example.com", complaints_team)
    send_outbox(timezone.now())
    fresh = reply(adviser, "fresh@example.com", complaints_team)  # queued a moment ago: not stuck yet
    old = reply(adviser, "old@example.com", complaints_team)
    Message.objects.filter(pk=old.pk).update(recorded_at=T0 - timedelta(minutes=16))
    sent = reply(adviser, "sent@example.com", complaints_team)
    Message.objects.filter(pk=sent.pk).update(delivery="sent")

    client.force_login(team_leader)
    queue = client.get("/queue/", {"queue": "team", "risk": "undelivered"}).content.decode()
    assert "Email not delivered" in queue
    shown = {m.case.reference for m in (retrying, fresh, old, sent) if m.case.reference in queue}
    assert shown == {retrying.case.reference, old.case.reference}

    page = client.get(f"/cases/{retrying.case.reference}/").content.decode()
    assert "Not sent yet: retrying" in page
    assert "Email to retry@example.com: 1 attempt" in page and "ConnectionRefusedError" in page
    assert "Next try Fri 20 Nov 10:01" in page


def given_up_case_events():
    return list(CaseEvent.objects.filter(kind="email_not_sent").order_by("pk"))


def test_giving_up_writes_the_case_event_and_tells_the_owner_urgently_once(
    complaints_team, adviser, team_leader, settings, clock
):
    settings.AMENDS_OUTBOX_MAX_ATTEMPTS = 2
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    message = message_send(
        case=make_case(email="pat@example.com", team=complaints_team, owner=adviser), actor=adviser, body="Hi"
    )
    send_outbox(timezone.now())
    assert given_up_case_events() == [] and not Notification.objects.exists()  # retrying: nobody told yet

    clock.move_to(T0 + timedelta(minutes=1), tick=False)
    send_outbox(timezone.now())
    (event,) = given_up_case_events()
    assert (event.case_id, event.actor_id, event.at) == (message.case_id, None, T0 + timedelta(minutes=1))
    assert event.after == {
        "message": message.pk,
        "to": "pat@example.com",
        "attempts": 2,
        "error": "ConnectionRefusedError: connection refused",
        "channel": "email",
    }
    (note,) = Notification.objects.all()
    assert (note.user, note.urgency, note.topic) == (adviser, "urgent", "")
    assert note.link == f"/cases/{message.case.reference}/#message-{message.pk}"
    assert message.case.reference in note.text and "pat@example.com" in note.text

    # The worker runs again, and a second worker whose claim had lapsed reports the same email failed:
    # it is given up already, so nothing more is written or told.
    assert send_outbox(timezone.now() + timedelta(days=1)) == 0
    outbox_record([Attempt(message.outbox.pk, "SMTPDataError: 554 no", permanent=True)], at=timezone.now())
    assert len(given_up_case_events()) == 1 and Notification.objects.count() == 1
    assert Message.objects.get(pk=message.pk).delivery == "failed"


def test_an_unowned_case_tells_its_team_leaders_and_one_without_a_team_the_complaints_leads(
    complaints_team, adviser, team_leader, complaints_lead
):
    in_team = reply(adviser, "team@example.com", complaints_team)
    no_team = reply(adviser, "none@example.com")
    outbox_record(
        [Attempt(m.outbox.pk, "550 no such mailbox", permanent=True) for m in (in_team, no_team)], at=T0
    )
    told = {(n.user.username, n.link.split("#")[0]) for n in Notification.objects.select_related("user")}
    assert told == {
        (team_leader.username, f"/cases/{in_team.case.reference}/"),
        (complaints_lead.username, f"/cases/{no_team.case.reference}/"),
    }
    assert Notification.objects.filter(urgency="urgent").count() == 2


def test_an_owner_who_has_left_is_not_told_their_team_leaders_are(complaints_team, adviser, team_leader):
    message = message_send(
        case=make_case(email="pat@example.com", team=complaints_team, owner=adviser), actor=adviser, body="Hi"
    )
    adviser.is_active = False
    adviser.save(update_fields=["is_active"])
    outbox_record([Attempt(message.outbox.pk, "550 no such mailbox", permanent=True)], at=T0)
    assert list(Notification.objects.values_list("user__username", flat=True)) == [team_leader.username]


def test_many_given_up_at_once_fold_into_a_few_notes_for_each_person(complaints_team, adviser):
    messages = [
        message_send(case=make_case(email=f"c{n}@example.com", owner=adviser), actor=adviser, body="Hi")
        for n in range(5)
    ]
    outbox_record([Attempt(m.outbox.pk, "550 no", permanent=True) for m in messages], at=T0)
    assert len(given_up_case_events()) == 5  # every case's history says so
    notes = list(Notification.objects.filter(user=adviser).order_by("pk").values_list("text", "link"))
    assert len(notes) == 3
    assert notes[-1] == (
        "3 more emails to customers were not sent: see the queue",
        "/queue/?queue=all&risk=undelivered",
    )


def test_the_case_timeline_says_the_email_was_given_up(complaints_team, adviser, client):
    message = reply(adviser, "gone@example.com", complaints_team)
    outbox_record([Attempt(message.outbox.pk, "SMTPRecipientsRefused: 550 no such mailbox", True)], at=T0)
    client.force_login(adviser)
    page = client.get(f"/cases/{message.case.reference}/").content.decode()
    assert (
        "Email to gone@example.com not sent: gave up after 1 attempt "
        "(SMTPRecipientsRefused: 550 no such mailbox)" in page
    )
