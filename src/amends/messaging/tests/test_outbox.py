"""The outbox: claims leased so two workers never take the same email, the backoff, giving up, and what a
team leader sees of mail that has not gone (the queue filter, the case timeline)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.messaging import tasks
from amends.messaging.mailer import Attempt
from amends.messaging.models import Message, OutboxEmail
from amends.messaging.services import message_send, outbox_record, retry_delay
from amends.messaging.tasks import claim_emails, send_outbox

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
    (claimed,) = claim_emails(timezone.now())
    assert claimed.message == message
    assert claim_emails(timezone.now()) == []
    lease_end = T0 + timedelta(seconds=tasks.lease_seconds())
    assert OutboxEmail.objects.get().next_attempt_at == lease_end
    assert tasks.lease_seconds() == settings.EMAIL_TIMEOUT * (4 * settings.AMENDS_OUTBOX_BATCH + 2)

    # The worker died before sending: the email is due again when the lease ends, and goes once.
    assert claim_emails(lease_end - timedelta(seconds=1)) == []
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
        outbox = OutboxEmail.objects.get()
        states.append((Message.objects.get().delivery, outbox.attempts, outbox.next_attempt_at))
        clock.move_to(timezone.now() + timedelta(hours=1), tick=False)
    assert states == [
        ("retrying", 1, T0 + timedelta(minutes=1)),
        ("retrying", 2, T0 + timedelta(hours=1, minutes=2)),
        ("failed", 3, None),
    ]
    assert send_outbox(timezone.now() + timedelta(days=30)) == 0
    assert OutboxEmail.objects.get(message=message).last_error == "ConnectionRefusedError: connection refused"


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
