"""Sending again an email the outbox gave up on (or is still retrying): from the case timeline and the API,
by whoever may work the case, once; and what it refuses.

Ada advises in the complaints team; Ash assesses it (reads only); Otto advises in billing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case, make_contact_case
from amends.conftest import api_client, login
from amends.core.errors import Conflict, DomainError
from amends.customers.models import ContactPoint
from amends.messaging.mailer import Attempt
from amends.messaging.models import Message, OutboxItem
from amends.messaging.services import message_log_contact, message_send, message_send_again, outbox_record
from amends.messaging.tasks import claim_outbox, send_outbox

from .smtp import Mailbox, smtp_server

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(T0, tick=False)
    return time_machine


@pytest.fixture
def mailbox(settings) -> Iterator[Mailbox]:
    with smtp_server() as (box, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
        yield box


def given_up(adviser, email="pat@example.com", team=None, error="550 5.1.1 No such mailbox") -> Message:
    message = message_send(case=make_case(email=email, team=team), actor=adviser, body="We are on it.")
    outbox_record([Attempt(message.outbox.pk, error, permanent=True)], at=timezone.now())
    return Message.objects.select_related("case", "outbox").get(pk=message.pk)


def events(kind: str) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(kind=kind).order_by("pk"))


def test_an_email_given_up_goes_once_it_is_sent_again(mailbox, complaints_team, adviser, clock):
    """The server refused the mailbox for good; the customer's mailbox is back, Ada sends it again, and
    the worker sends it once, with its Message-ID unchanged."""
    mailbox.unknown = {"pat@example.com"}
    message = message_send(case=make_case(email="pat@example.com"), actor=adviser, body="We are on it.")
    assert send_outbox(timezone.now()) == 1
    message.refresh_from_db()
    assert message.delivery == "failed" and mailbox.received == []

    mailbox.unknown = set()
    clock.move_to(T0 + timedelta(hours=2), tick=False)
    queued = message_send_again(message=message, actor=adviser, reason="Mailbox fixed, she says")

    assert queued.delivery == "queued"
    outbox = OutboxItem.objects.get(message=message)
    assert (outbox.attempts, outbox.next_attempt_at, outbox.last_error) == (0, T0 + timedelta(hours=2), "")
    (event,) = events("email_sent_again")
    assert (event.actor, event.at, event.reason) == (
        adviser,
        T0 + timedelta(hours=2),
        "Mailbox fixed, she says",
    )
    assert event.before["delivery"] == "failed" and event.before["attempts"] == 1
    assert "550 5.1.1 No such mailbox" in event.before["last_error"]
    assert event.after == {
        "message": message.pk,
        "to": "pat@example.com",
        "delivery": "queued",
        "channel": "email",
    }

    assert send_outbox(timezone.now()) == 1
    assert send_outbox(timezone.now() + timedelta(days=1)) == 0
    message.refresh_from_db()
    assert message.delivery == "sent"
    (email,) = mailbox.received
    assert email["To"] == "pat@example.com" and email["Message-ID"] == message.email_message_id


def test_a_retrying_email_is_tried_at_once_instead_of_after_its_backoff(complaints_team, adviser, settings):
    settings.EMAIL_BACKEND = "amends.messaging.tests.test_outbox.RefusingBackend"
    message = message_send(case=make_case(email="pat@example.com"), actor=adviser, body="Hello")
    send_outbox(timezone.now())
    assert OutboxItem.objects.get().next_attempt_at == T0 + timedelta(minutes=1)

    message_send_again(message=message, actor=adviser)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_outbox(timezone.now()) == 1  # now, not a minute on
    assert len(mail.outbox) == 1 and Message.objects.get(pk=message.pk).delivery == "sent"
    assert events("email_sent_again")[0].before["delivery"] == "retrying"


def test_it_goes_to_the_customers_email_address_now_and_says_so(complaints_team, adviser):
    message = given_up(adviser, "old@example.com")
    ContactPoint.objects.filter(customer=message.customer, value="old@example.com").update(
        value="new@example.com", normalised="new@example.com"
    )
    message_send_again(message=message, actor=adviser)
    assert OutboxItem.objects.get(message=message).destination == "new@example.com"
    (event,) = events("email_sent_again")
    assert (event.before["to"], event.after["to"]) == ("old@example.com", "new@example.com")

    send_outbox(timezone.now())
    assert [e.to for e in mail.outbox] == [["new@example.com"]]


def test_with_no_email_address_on_the_customer_now_it_goes_to_the_one_it_had(complaints_team, adviser):
    message = given_up(adviser, "old@example.com")
    ContactPoint.objects.filter(customer=message.customer).delete()
    message_send_again(message=message, actor=adviser)
    assert OutboxItem.objects.get(message=message).destination == "old@example.com"


def refused(message, actor, error=DomainError) -> DomainError:
    before = (
        Message.objects.get(pk=message.pk).delivery,
        list(OutboxItem.objects.filter(message=message).values()),
        CaseEvent.objects.count(),
    )
    with pytest.raises(error) as caught:
        message_send_again(message=message, actor=actor)
    after = (
        Message.objects.get(pk=message.pk).delivery,
        list(OutboxItem.objects.filter(message=message).values()),
        CaseEvent.objects.count(),
    )
    assert after == before  # nothing changed
    return caught.value


def test_what_is_not_an_email_of_ours_is_refused(complaints_team, adviser):
    case = make_case(email="pat@example.com")
    note = message_log_contact(case=case, actor=adviser, channel="phone", direction="out", summary="Rang")
    assert refused(note, adviser).code == "not_email"
    inbound = Message.objects.get(case=make_contact_case(email="sam@example.com").case, direction="in")
    assert refused(inbound, adviser).code == "not_email"


def test_an_email_sent_queued_or_never_addressed_is_refused(complaints_team, adviser):
    queued = message_send(case=make_case(email="q@example.com"), actor=adviser, body="Hello")
    assert refused(queued, adviser, Conflict).code == "already_queued"
    send_outbox(timezone.now())
    assert refused(queued, adviser, Conflict).code == "already_sent"

    case = make_case(email="x@example.com")
    ContactPoint.objects.filter(customer=case.customer).delete()
    no_address = message_send(case=case, actor=adviser, body="Hello")
    assert no_address.delivery == "no_address"
    assert refused(no_address, adviser).code == "no_address"


def test_an_email_a_worker_is_sending_right_now_is_refused(complaints_team, adviser, settings, clock):
    """Queueing it again while a worker holds it would let a second worker send it too."""
    settings.EMAIL_BACKEND = "amends.messaging.tests.test_outbox.RefusingBackend"
    message = message_send(case=make_case(email="pat@example.com"), actor=adviser, body="Hello")
    send_outbox(timezone.now())
    clock.move_to(T0 + timedelta(minutes=1), tick=False)
    assert claim_outbox(timezone.now())  # a worker has it, and is talking to the server
    assert refused(message, adviser, Conflict).code == "sending_now"

    outbox_record([Attempt(message.outbox.pk, "451 later")], at=timezone.now())  # it has finished
    assert message_send_again(message=message, actor=adviser).delivery == "queued"


def test_twice_in_a_row_the_second_is_refused(complaints_team, adviser, team_leader):
    message = given_up(adviser, team=complaints_team)
    message_send_again(message=message, actor=adviser)
    assert refused(message, team_leader, Conflict).code == "already_queued"
    assert len(events("email_sent_again")) == 1


# The page and the API


def test_the_button_on_the_timeline_sends_it_again(complaints_team, adviser):
    message = given_up(adviser, team=complaints_team)
    client = login(adviser)
    url = f"/cases/{message.case.reference}/messages/{message.pk}/send-again"
    page = client.get(f"/cases/{message.case.reference}/").content.decode()
    assert f'action="{url}"' in page and "Send again</button>" in page

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == f"/cases/{message.case.reference}/"
    page = response.content.decode()
    assert "The email is back in the outbox" in page
    assert "Email queued again for pat@example.com" in page
    assert Message.objects.get(pk=message.pk).delivery == "queued"
    assert f'action="{url}"' not in page  # queued: nothing to send again


def test_the_button_names_the_new_address_when_the_customers_changed(complaints_team, adviser):
    message = given_up(adviser, "old@example.com", complaints_team)
    ContactPoint.objects.filter(customer=message.customer).update(
        value="new@example.com", normalised="new@example.com"
    )
    page = login(adviser).get(f"/cases/{message.case.reference}/").content.decode()
    assert "Send again to new@example.com</button>" in page


def test_a_reader_sees_no_button_and_cannot_send_it_again(complaints_team, adviser, assessor):
    message = given_up(adviser, team=complaints_team)
    client = login(assessor)
    page = client.get(f"/cases/{message.case.reference}/").content.decode()
    assert "Not sent: gave up" in page and "send-again" not in page

    response = client.post(f"/cases/{message.case.reference}/messages/{message.pk}/send-again", follow=True)
    assert response.status_code == 200 and Message.objects.get(pk=message.pk).delivery == "failed"
    assert events("email_sent_again") == []


def test_a_message_of_another_case_is_not_found_on_this_one(complaints_team, adviser):
    message = given_up(adviser, team=complaints_team)
    other = make_case(team=complaints_team)
    url = f"/cases/{other.reference}/messages/{message.pk}/send-again"

    page = login(adviser).post(url, follow=True).content.decode()
    assert f"{other.reference} has no message {message.pk}" in page
    response = api_client(adviser).post(f"/api/v1{url}", "{}", content_type="application/json")
    assert response.status_code == 404
    assert Message.objects.get(pk=message.pk).delivery == "failed"


def test_the_api_sends_it_again(complaints_team, adviser):
    message = given_up(adviser, team=complaints_team)
    api = api_client(adviser)
    url = f"/api/v1/cases/{message.case.reference}/messages/{message.pk}/send-again"

    response = api.post(url, json.dumps({"reason": "Customer rang"}), content_type="application/json")

    assert response.status_code == 200
    assert response.json()["delivery"] == "queued" and response.json()["id"] == message.pk
    assert events("email_sent_again")[0].reason == "Customer rang"
    again = api.post(url, "{}", content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_queued"


@pytest.mark.parametrize(("persona", "status"), [("assessor", 403), ("other_team_adviser", 404)])
def test_the_api_refuses_who_may_not_work_the_case(request, complaints_team, adviser, persona, status):
    message = given_up(adviser, team=complaints_team)
    url = f"/api/v1/cases/{message.case.reference}/messages/{message.pk}/send-again"
    response = api_client(request.getfixturevalue(persona)).post(url, "{}", content_type="application/json")
    assert response.status_code == status
    assert Message.objects.get(pk=message.pk).delivery == "failed" and events("email_sent_again") == []
