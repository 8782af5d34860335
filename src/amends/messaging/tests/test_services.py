"""messaging.services: a customer's message recorded, a reply put in the outbox, sent by the worker and its
delivery marked, a contact logged by staff. Each refusal with its code, each event written.
"""

import hashlib
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_open, case_transition
from amends.cases.tests.factories import make_case
from amends.core.emails import other_callbacks
from amends.core.errors import DomainError
from amends.core.services import api_token_create
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.messaging import services
from amends.messaging.models import Attachment, Message, MessageSource, OutboxItem
from amends.messaging.services import AttachmentFile, Incoming
from amends.messaging.tasks import send_outbox
from amends.signals.models import MessageAnalysis

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 2, 11, 0, tzinfo=LONDON)
SENT = datetime(2026, 11, 2, 8, 30, tzinfo=LONDON)  # when the customer wrote


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


OPENED = datetime(2026, 11, 2, 8, 0, tzinfo=LONDON)


@pytest.fixture
def case(complaints_team, clock):
    """Opened at 8:00 from Pat's first contact; the tests run at 11:00."""
    clock.move_to(OPENED, tick=False)
    opened = make_case(team=complaints_team, email="pat@example.com")
    clock.move_to(NOW, tick=False)
    return opened


def incoming(**given):
    fields = {
        "channel": "email",
        "body_text": "My refund has still not arrived.",
        "occurred_at": SENT,
        "subject": "Refund",
        "sender": "Pat Customer <pat@example.com>",
        "idempotency_key": "email:<first@mail.example.net>",
        "email_message_id": "<first@mail.example.net>",
        **given,
    }
    return Incoming(**fields)


def record(case, **given):
    return services.message_record_inbound(case=case, customer=case.customer, incoming=incoming(**given))


def fresh(case):
    return Case.objects.get(pk=case.pk)


class FailingBackend(BaseEmailBackend):
    """A mail server that takes the connection and then refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionResetError("554 rejected")


class UnreachableBackend(BaseEmailBackend):
    """A mail server that cannot be reached at all."""

    def open(self):
        raise ConnectionRefusedError("no route to host")

    def send_messages(self, email_messages):
        raise AssertionError("never reached: the connection failed to open")


# --- inbound ------------------------------------------------------------------------------------------------


def test_a_customers_message_is_kept_as_received_with_its_source_and_attachments(case):
    pdf = b"%PDF-1.4 statement"
    message = record(
        case,
        body_html="<p>My refund has still not arrived.</p>",
        raw=b"From: pat@example.com\r\n\r\nMy refund",
        raw_content_type="message/rfc822",
        attachments=[AttachmentFile("statement.pdf", "application/pdf", pdf)],
    )

    message = Message.objects.get(pk=message.pk)
    assert (message.case, message.customer, message.direction) == (case, case.customer, "in")
    assert message.occurred_at == SENT and message.recorded_at == NOW and message.author is None
    assert message.body_text == "My refund has still not arrived." and message.subject == "Refund"
    assert message.idempotency_key == "email:<first@mail.example.net>"
    assert bytes(MessageSource.objects.get(message=message).raw).startswith(b"From: pat@example.com")
    (attachment,) = Attachment.objects.filter(message=message)
    assert (attachment.filename, attachment.size) == ("statement.pdf", len(pdf))
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest() and bytes(attachment.content) == pdf
    assert fresh(case).last_activity_at == SENT
    assert services.message_existing("email:<first@mail.example.net>") == message
    assert services.message_existing(None) is None


def test_a_message_without_raw_bytes_keeps_no_source(case, adviser):
    message = services.message_record_inbound(
        case=case, customer=case.customer, incoming=incoming(channel="letter"), actor=adviser
    )
    assert message.author == adviser  # scanned in by an adviser
    assert not MessageSource.objects.filter(message=message).exists()


def test_a_customer_writing_back_reopens_a_case_waiting_on_them(case, adviser):
    case_transition(case=case, to="awaiting_customer", actor=adviser, reason="Asked for the statement")

    record(case)

    assert fresh(case).status == "open"
    event = CaseEvent.objects.filter(case=case, kind="status_changed").last()
    assert event.before == {"status": "awaiting_customer"} and event.after == {"status": "open"}
    assert event.actor is None and event.reason == "The customer contacted us"


def test_a_customer_writing_after_resolution_reopens_it(case, adviser):
    case_transition(case=case, to="resolved", actor=adviser, reason="Refunded")
    record(case)
    assert fresh(case).status == "open"
    assert CaseEvent.objects.filter(case=case, kind="reopened").last().before == {"status": "resolved"}


def test_storing_a_message_does_not_analyse_it(case):
    # Analysis is intake's to orchestrate (intake is above signals); intake/tests/test_every_path_analyses.py
    # checks every way a message arrives is analysed, and that a failing analyser keeps the message.
    message = record(case)
    assert not MessageAnalysis.objects.filter(message=message).exists()


def test_the_same_message_twice_is_refused(case):
    first = record(case)
    activity = fresh(case).last_activity_at

    with pytest.raises(DomainError) as err:
        record(case, body_text="A second copy", occurred_at=SENT + timedelta(minutes=5))

    assert err.value.code == "duplicate"
    assert list(Message.objects.all()) == [first]
    assert fresh(case).last_activity_at == activity


@pytest.mark.parametrize(
    ("given", "code", "fields"),
    [
        ({"channel": "pigeon"}, "invalid", {"channel": "unknown channel"}),
        ({"body_text": "x" * 51}, "too_large", {"body": "too long"}),
    ],
)
def test_inbound_refusals(case, settings, given, code, fields):
    settings.AMENDS_MAX_TEXT_CHARS = 50
    with pytest.raises(DomainError) as err:
        record(case, **given)
    assert (err.value.code, err.value.fields) == (code, fields)
    assert not Message.objects.exists() and not Attachment.objects.exists()


def test_a_body_at_the_limit_is_accepted(case, settings):
    settings.AMENDS_MAX_TEXT_CHARS = 50
    assert len(record(case, body_text="x" * 50).body_text) == 50


# --- outbound -----------------------------------------------------------------------------------------------


def test_a_reply_is_stored_in_the_outbox_and_sent_by_the_worker(
    case, adviser, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.message_send(case=case, actor=adviser, body="  We are looking into it.  ")
    # Committed, and nothing sent: no request waits on the mail server.
    assert other_callbacks(callbacks) == [] and mail.outbox == []
    assert Message.objects.get(pk=message.pk).delivery == "queued"
    outbox = OutboxItem.objects.get(message=message)
    assert (outbox.destination, outbox.attempts, outbox.next_attempt_at) == ("pat@example.com", 0, NOW)

    assert send_outbox(timezone.now()) == 1

    message.refresh_from_db()
    assert (message.direction, message.channel, message.purpose) == ("out", "email", "reply")
    assert message.body_text == "We are looking into it." and message.author == adviser
    assert message.subject == f"Your case {case.reference}" and message.delivery == "sent"
    assert message.occurred_at == NOW and fresh(case).last_activity_at == NOW
    (email,) = mail.outbox
    assert email.to == ["pat@example.com"] and email.from_email == settings.DEFAULT_FROM_EMAIL
    assert email.subject == message.subject and email.body == "We are looking into it."
    assert email.extra_headers["Message-ID"] == message.email_message_id
    (event,) = CaseEvent.objects.filter(case=case, kind="reply_sent")
    assert event.actor == adviser and event.after == {"message": message.pk, "channel": "email"}
    outbox.refresh_from_db()
    assert (outbox.attempts, outbox.sent_at, outbox.next_attempt_at, outbox.last_error) == (1, NOW, None, "")
    assert send_outbox(timezone.now()) == 0 and len(mail.outbox) == 1  # sent once


def test_the_subject_always_carries_the_reference_and_the_purpose_names_the_event(
    case, adviser, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(
            case=case, actor=adviser, body="Our answer.", subject="Your refund", purpose="final_response"
        )
    assert message.subject == f"Your refund [{case.reference}]"
    assert CaseEvent.objects.get(case=case, kind="final_response_sent").after == {
        "message": message.pk,
        "channel": "email",
    }


def test_a_reply_to_a_customer_without_email_is_kept_and_not_sent(
    complaints_team, adviser, django_capture_on_commit_callbacks
):
    customer, _ = customer_match_or_create(details=ContactDetails(name="Sam Phone", phone="07700 900123"))
    case = case_open(customer=customer, kind="query", channel="phone", summary="Bill", team=complaints_team)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = services.message_send(case=case, actor=adviser, body="Noted")

    assert Message.objects.get(pk=message.pk).delivery == "no_address"
    assert not OutboxItem.objects.exists() and send_outbox(timezone.now()) == 0
    assert other_callbacks(callbacks) == [] and mail.outbox == []
    assert CaseEvent.objects.filter(case=case, kind="reply_sent").count() == 1


@pytest.mark.parametrize(
    ("body", "code", "fields"),
    [(" \n ", "invalid", {"body": "required"}), ("x" * 51, "too_large", {"body": "too long"})],
)
def test_reply_refusals(case, adviser, settings, body, code, fields):
    settings.AMENDS_MAX_TEXT_CHARS = 50
    with pytest.raises(DomainError) as err:
        services.message_send(case=case, actor=adviser, body=body)
    assert (err.value.code, err.value.fields) == (code, fields)
    assert not Message.objects.exists() and not CaseEvent.objects.filter(kind="reply_sent").exists()


@pytest.mark.parametrize(
    "subject",
    [
        "Your refund\r\nBcc: everyone@example.com",
        "Line\nbreak",
        "Carriage\rreturn",
        "Nul\x00",
        "Line\u2028separator",
    ],
)
def test_a_subject_of_more_than_one_line_is_refused_before_anything_is_stored(
    case, adviser, subject, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError) as err:
        services.message_send(case=case, actor=adviser, body="Our answer.", subject=subject)
    assert (err.value.http_status, list(err.value.fields)) == (400, ["subject"])
    assert not Message.objects.exists() and not CaseEvent.objects.filter(kind="reply_sent").exists()
    assert mail.outbox == []


def test_a_reply_subject_with_a_line_break_is_a_400_over_the_api_and_a_message_on_the_page(case, adviser):
    _, key = api_token_create(user=adviser, name="t")
    body = {"body": "Our answer.", "subject": "Hello\r\nBcc: everyone@example.com", "version": case.version}
    response = Client().post(
        f"/api/v1/cases/{case.reference}/replies",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400 and response.json()["error"]["fields"] == {
        "subject": "one line, no line breaks"
    }
    page = Client()
    page.force_login(adviser)
    response = page.post(f"/cases/{case.reference}/reply", body)
    assert any("one line" in str(m) for m in get_messages(response.wsgi_request))
    assert not Message.objects.filter(direction="out").exists() and mail.outbox == []


@pytest.mark.parametrize(
    ("backend", "logged"),
    [
        (FailingBackend, "Sending message {pk} failed"),
        (UnreachableBackend, "Opening the mail connection failed"),
    ],
)
def test_a_failed_delivery_is_marked_for_a_retry_and_the_message_kept(
    case, adviser, settings, caplog, django_capture_on_commit_callbacks, backend, logged
):
    settings.EMAIL_BACKEND = f"{__name__}.{backend.__name__}"
    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(case=case, actor=adviser, body="Hello")
    with caplog.at_level(logging.WARNING):
        send_outbox(timezone.now())

    assert Message.objects.get(pk=message.pk).delivery == "retrying"
    outbox = OutboxItem.objects.get(message=message)
    assert outbox.attempts == 1 and outbox.next_attempt_at == NOW + timedelta(minutes=1)
    assert CaseEvent.objects.filter(case=case, kind="reply_sent").count() == 1
    assert logged.format(pk=message.pk) in caplog.text


def test_replies_thread_under_the_customers_emails(case, adviser, django_capture_on_commit_callbacks):
    assert services.thread_headers(case) == {}
    record(case)
    record(
        case,
        occurred_at=SENT + timedelta(minutes=30),
        idempotency_key="email:<second@mail.example.net>",
        email_message_id="<second@mail.example.net>",
    )
    assert services.thread_headers(case) == {
        "In-Reply-To": "<second@mail.example.net>",
        "References": "<first@mail.example.net> <second@mail.example.net>",
    }

    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_send(case=case, actor=adviser, body="Thank you")
    send_outbox(timezone.now())

    headers = mail.outbox[-1].extra_headers
    assert headers["In-Reply-To"] == "<second@mail.example.net>"
    assert headers["References"] == "<first@mail.example.net> <second@mail.example.net>"
    assert services.thread_headers(case)["In-Reply-To"] == reply.email_message_id  # the latest now


def test_the_primary_email_is_the_one_written_to(case):
    assert services.customer_email(case.customer) == "pat@example.com"
    nobody, _ = customer_match_or_create(details=ContactDetails(name="Sam Phone", phone="07700 900124"))
    assert services.customer_email(nobody) is None


# --- contacts logged by staff -------------------------------------------------------------------------------


def test_a_phone_call_is_logged_with_who_took_it(case, adviser):
    called = NOW - timedelta(hours=1)

    note = services.message_log_contact(
        case=case,
        actor=adviser,
        channel="phone",
        direction="in",
        summary=" Upset about the fee ",
        occurred_at=called,
    )

    note.refresh_from_db()
    assert (note.channel, note.direction, note.purpose) == ("phone", "in", "contact_note")
    assert note.body_text == "Upset about the fee" and note.sender == "Ada Adviser" and note.author == adviser
    assert note.occurred_at == called and note.recorded_at == NOW
    (event,) = CaseEvent.objects.filter(case=case, kind="contact_logged")
    assert event.actor == adviser and event.at == NOW
    assert event.after == {"message": note.pk, "channel": "phone", "direction": "in"}
    assert fresh(case).last_activity_at == called


def test_a_contact_logged_now_when_no_time_is_given(case, adviser):
    note = services.message_log_contact(
        case=case, actor=adviser, channel="letter", direction="out", summary="Sent"
    )
    assert note.occurred_at == NOW


def test_only_an_inbound_contact_reopens_a_case(case, adviser):
    case_transition(case=case, to="awaiting_customer", actor=adviser, reason="Asked for the statement")
    services.message_log_contact(
        case=case, actor=adviser, channel="phone", direction="out", summary="Voicemail"
    )
    assert fresh(case).status == "awaiting_customer"
    services.message_log_contact(
        case=case, actor=adviser, channel="phone", direction="in", summary="Called back"
    )
    assert fresh(case).status == "open"


@pytest.mark.parametrize(
    ("given", "code", "fields"),
    [
        ({"channel": "email"}, "invalid", {"channel": "phone, face_to_face or letter"}),
        ({"channel": "web_form"}, "invalid", {"channel": "phone, face_to_face or letter"}),
        ({"direction": "sideways"}, "invalid", {"direction": "in or out"}),
        ({"summary": "  "}, "invalid", {"summary": "required"}),
        ({"summary": "x" * 51}, "too_large", {"summary": "too long"}),
        ({"occurred_at": NOW + timedelta(minutes=1)}, "invalid", {"occurred_at": "in the future"}),
    ],
)
def test_contact_refusals(case, adviser, settings, given, code, fields):
    settings.AMENDS_MAX_TEXT_CHARS = 50
    kwargs = {"channel": "face_to_face", "direction": "in", "summary": "Came in to the branch", **given}
    with pytest.raises(DomainError) as err:
        services.message_log_contact(case=case, actor=adviser, **kwargs)
    assert (err.value.code, err.value.fields) == (code, fields)
    assert not Message.objects.exists() and not CaseEvent.objects.filter(kind="contact_logged").exists()
