"""The webhook connector against an integration on loopback: a reply posted as signed JSON; tried again
after a 5xx, a 429, a timeout or a refused connection; given up at once on any other 4xx or a redirect;
a host that does not answer is not waited on once per message.

Ana administers; Ada advises in the complaints team.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.core.models import Notification
from amends.messaging import webhooks
from amends.messaging.models import Integration, Message, OutboxItem
from amends.messaging.services import message_send
from amends.messaging.tasks import send_outbox

from .channels import SECRET, contact_case, integration
from .receiver import webhook_receiver
from .smtp import connections_waiting, free_port, stalled_server

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def receiver():
    with webhook_receiver(SECRET) as r:
        yield r


def social_reply(adviser, admin, url, n=1, body="We have booked the engineer for Tuesday.") -> Message:
    """A reply to a customer who posted on social media. The integration is added once their post is in
    (so their acknowledgement, which would go through it too, is not in the way)."""
    case = contact_case("social", f"x:{n}", handle=f"@sam{n}", text="Still no hot water.")
    if not Integration.objects.exists():
        integration(admin, url=url)
    return message_send(case=case, actor=adviser, body=body)


def social_replies(adviser, admin, url, count) -> list[Message]:
    cases = [contact_case("social", f"x:{n}", handle=f"@sam{n}") for n in range(count)]
    integration(admin, url=url)
    return [message_send(case=case, actor=adviser, body="On our way.") for case in cases]


def delivery(message: Message) -> tuple[str, int, str]:
    row = OutboxItem.objects.select_related("message").get(message=message)
    return row.message.delivery, row.attempts, row.last_error


def test_a_reply_is_posted_signed_once_and_marked_sent(complaints_team, admin_user, adviser, receiver):
    reply = social_reply(adviser, admin_user, receiver.url)

    assert send_outbox(timezone.now()) == 1
    assert send_outbox(timezone.now()) == 0
    (got,) = receiver.received
    assert got.signed and got.path == "/amends/replies"
    assert got.headers["Content-Type"] == "application/json; charset=utf-8"
    assert got.headers["Amends-Message-Id"] == str(reply.pk)
    assert got.headers["Amends-Signature"].startswith(f"t={int(T0.timestamp())},v1=")
    assert got.json == {
        "message_id": reply.pk,
        "case_reference": reply.case.reference,
        "channel": "social",
        "purpose": "reply",
        "to": "@sam1",
        "in_reply_to": "x:1",
        "customer_name": "Sam Patel",
        "subject": f"Your case {reply.case.reference}",
        "text": "We have booked the engineer for Tuesday.",
        "written_at": T0.isoformat(),
    }
    assert delivery(reply) == ("sent", 1, "")


def test_the_body_is_utf8_as_written(complaints_team, admin_user, adviser, receiver):
    social_reply(adviser, admin_user, receiver.url, body="Désolé — we’ll call you 🙂")
    send_outbox(timezone.now())
    assert json.loads(receiver.received[0].body.decode("utf-8"))["text"] == "Désolé — we’ll call you 🙂"
    assert receiver.received[0].signed


@pytest.mark.parametrize("status", [500, 503, 429])
def test_a_5xx_or_429_is_tried_again_after_the_backoff_and_then_goes(
    complaints_team, admin_user, adviser, receiver, clock, status
):
    reply = social_reply(adviser, admin_user, receiver.url)
    receiver.answers = [status]

    send_outbox(timezone.now())
    state, attempts, error = delivery(reply)
    assert (state, attempts) == ("retrying", 1)
    assert error.startswith(f"Social inbox answered {status} ")
    assert OutboxItem.objects.get(message=reply).next_attempt_at == T0 + timedelta(minutes=1)

    clock.move_to(T0 + timedelta(minutes=1), tick=False)
    send_outbox(timezone.now())
    assert delivery(reply) == ("sent", 2, "")
    assert len(receiver.received) == 2 and receiver.received[0].json == receiver.received[1].json


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422, 301, 302])
def test_any_other_4xx_or_a_redirect_is_given_up_at_once_and_the_owner_told(
    complaints_team, admin_user, adviser, receiver, status
):
    reply = social_reply(adviser, admin_user, receiver.url)
    receiver.answers = [status]

    send_outbox(timezone.now())
    state, attempts, error = delivery(reply)
    assert (state, attempts) == ("failed", 1) and f"answered {status}" in error
    assert len(receiver.received) == 1  # a redirect is not followed
    event = CaseEvent.objects.get(kind="email_not_sent")
    assert event.after["channel"] == "social" and event.after["to"] == "@sam1"
    assert send_outbox(timezone.now() + timedelta(days=1)) == 0


def test_a_refused_connection_is_tried_again_and_the_rest_of_the_batch_waits(
    complaints_team, admin_user, adviser
):
    url = f"http://127.0.0.1:{free_port()}/hook"
    replies = social_replies(adviser, admin_user, url, 3)
    assert send_outbox(timezone.now()) == 3
    states = [delivery(r) for r in replies]
    assert {(s, a) for s, a, _ in states} == {("retrying", 1)}
    assert all("Social inbox not reached: ConnectionRefusedError" in e for *_, e in states)


def test_a_host_that_never_answers_is_waited_on_once_a_batch(complaints_team, admin_user, adviser, settings):
    settings.AMENDS_WEBHOOK_TIMEOUT = 0.3
    with stalled_server() as stalled:
        url = f"http://127.0.0.1:{stalled.getsockname()[1]}/hook"
        replies = social_replies(adviser, admin_user, url, 3)
        assert send_outbox(timezone.now()) == 3
        assert connections_waiting(stalled) == 1
    states = [delivery(r) for r in replies]
    assert {(s, a) for s, a, _ in states} == {("retrying", 1)}
    assert "timed out" in states[0][2]


def test_after_the_last_attempt_it_is_given_up_and_the_owner_told_urgently(
    complaints_team, admin_user, adviser, settings, clock
):
    settings.AMENDS_OUTBOX_MAX_ATTEMPTS = 2
    reply = social_reply(adviser, admin_user, f"http://127.0.0.1:{free_port()}/hook")
    reply.case.owner = adviser
    reply.case.save(update_fields=["owner"])
    send_outbox(timezone.now())
    clock.move_to(T0 + timedelta(minutes=1), tick=False)
    send_outbox(timezone.now())
    assert delivery(reply)[:2] == ("failed", 2)
    (note,) = Notification.objects.filter(user=adviser)
    assert note.urgency == "urgent" and note.text.startswith(
        f"Social media reply to the customer on {reply.case.reference}"
    )


def test_a_switched_off_integration_sends_nothing(complaints_team, admin_user, adviser, receiver):
    reply = social_reply(adviser, admin_user, receiver.url)
    Integration.objects.update(enabled=False)  # switched off once the reply was queued through it
    send_outbox(timezone.now())
    assert receiver.received == []
    assert delivery(reply) == ("retrying", 1, "The integration is switched off")


def test_the_payload_is_the_same_on_every_attempt(complaints_team, admin_user, adviser):
    reply = social_reply(adviser, admin_user, "http://127.0.0.1:9/hook")
    item = OutboxItem.objects.select_related("message__case", "message__customer", "integration").get(
        message=reply
    )
    assert webhooks.payload(item) == webhooks.payload(item)
