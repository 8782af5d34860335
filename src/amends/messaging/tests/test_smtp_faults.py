"""Fault tests against a real SMTP server on loopback (aiosmtpd): a server that stalls, one that refuses
connections, one that answers "try again later", then one that recovers. No request or import waits on
any of them, and when the server recovers every message is sent exactly once."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.tests.factories import make_case
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contacts
from amends.messaging.models import Message, OutboxItem
from amends.messaging.services import message_send
from amends.messaging.tasks import send_outbox

from .smtp import Mailbox, connections_waiting, free_port, smtp_server, stalled_server

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def stalled() -> Iterator[socket.socket]:
    with stalled_server() as listener:
        yield listener


@pytest.fixture
def smtp(settings, time_machine):
    time_machine.move_to(T0, tick=False)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 0.5  # the test's own wait on a stalled server; 10 s by default

    def point_at(port: int) -> None:
        settings.EMAIL_PORT = port

    return point_at


def _public_form(subject: str) -> int:
    client = Client()
    page = client.get("/complain/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/complain/",
        {
            "name": "Morgan Ellis",
            "email": "morgan@example.com",
            "nation": "england",
            "subject": subject,
            "what_happened": "Three visits and still no hot water.",
            "outcome_wanted": "A new boiler",
            "form_token": token,
        },
    )
    return response.status_code


def _acknowledgements_and_reply(adviser) -> int:
    """The public form, an import of two contacts and an adviser's reply: four emails to send."""
    assert _public_form("Boiler broken") == 302
    results = intake_contacts(
        [
            ContactIn(channel="api", external_id=f"imp-{n}", text=f"Complaint {n}", customer=customer)
            for n, customer in enumerate(
                [
                    {"name": "Jo Jay", "email": "jo@example.com"},
                    {"name": "Sam Lee", "email": "sam@example.com"},
                ]
            )
        ]
    )
    assert all(r.created_case for r in results)
    message_send(case=make_case(email="pat@example.com"), actor=adviser, body="We are on it.")
    return OutboxItem.objects.count()


def attempts() -> set[tuple[int, datetime]]:
    return {(o.attempts, o.next_attempt_at) for o in OutboxItem.objects.all()}


def errors() -> set[str]:
    return {o.last_error for o in OutboxItem.objects.all()}


def deliveries() -> list[str]:
    return sorted(Message.objects.filter(direction="out").values_list("delivery", flat=True))


def test_a_stalled_refusing_then_recovered_server_gets_every_message_exactly_once(
    smtp, stalled, mailbox, complaints_team, adviser, time_machine, django_capture_on_commit_callbacks
):
    box, good_port = mailbox

    # Stalled: the form, the import and the reply all commit without touching the server.
    smtp(stalled.getsockname()[1])
    with django_capture_on_commit_callbacks(execute=True):
        assert _acknowledgements_and_reply(adviser) == 4
    assert connections_waiting(stalled) == 0 and deliveries() == ["queued"] * 4

    # The worker waits EMAIL_TIMEOUT once, then leaves the whole batch for a retry a minute on.
    assert send_outbox(timezone.now()) == 4
    assert connections_waiting(stalled) == 1
    assert deliveries() == ["retrying"] * 4
    assert attempts() == {(1, T0 + timedelta(minutes=1))}
    assert errors() == {"SMTPServerDisconnected: Connection unexpectedly closed: timed out"}
    assert send_outbox(timezone.now()) == 0  # nothing is due again before then

    # Refusing connections: a second attempt, then two minutes' wait.
    smtp(free_port())
    time_machine.move_to(T0 + timedelta(minutes=1), tick=False)
    assert send_outbox(timezone.now()) == 4
    assert attempts() == {(2, T0 + timedelta(minutes=3))}
    assert all("ConnectionRefusedError" in o.last_error for o in OutboxItem.objects.all())

    # Up, but answering "try again later" to each message: a third attempt, four minutes' wait.
    smtp(good_port)
    box.data_answer = "451 4.3.0 Try again later"
    time_machine.move_to(T0 + timedelta(minutes=3), tick=False)
    assert send_outbox(timezone.now()) == 4
    assert attempts() == {(3, T0 + timedelta(minutes=7))}
    assert errors() == {"SMTPDataError: 451 4.3.0 Try again later"}
    assert box.received == [] and deliveries() == ["retrying"] * 4

    # Recovered: each message goes once, and later sweeps send nothing more.
    box.data_answer = None
    time_machine.move_to(T0 + timedelta(minutes=7), tick=False)
    assert send_outbox(timezone.now()) == 4
    time_machine.move_to(T0 + timedelta(days=2), tick=False)
    assert send_outbox(timezone.now()) == 0
    assert deliveries() == ["sent"] * 4
    assert len(box.received) == 4
    assert len({e["Message-ID"] for e in box.received}) == 4
    assert sorted(e["To"] for e in box.received) == [
        "jo@example.com",
        "morgan@example.com",
        "pat@example.com",
        "sam@example.com",
    ]
    refs = Case.objects.values_list("reference", flat=True)
    assert all(any(ref in e["Subject"] for ref in refs) for e in box.received)


def test_a_mailbox_that_does_not_exist_is_given_up_at_once_and_the_others_go(
    smtp, mailbox, complaints_team, adviser
):
    box, port = mailbox
    smtp(port)
    box.unknown = {"gone@example.com"}
    lost = message_send(case=make_case(email="gone@example.com"), actor=adviser, body="Hello")
    kept = message_send(case=make_case(email="here@example.com"), actor=adviser, body="Hello")

    assert send_outbox(timezone.now()) == 2

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.delivery, kept.delivery) == ("failed", "sent")
    assert lost.outbox.next_attempt_at is None and "550 5.1.1 No such mailbox" in lost.outbox.last_error
    assert [e["To"] for e in box.received] == ["here@example.com"]


def test_a_letter_goes_with_its_pdf(smtp, mailbox, complaints_team, adviser):
    from amends.messaging.services import AttachmentFile

    box, port = mailbox
    smtp(port)
    message_send(
        case=make_case(email="pat@example.com"),
        actor=adviser,
        body="Our letter is attached.",
        purpose="letter",
        attachments=[AttachmentFile("letter.pdf", "application/pdf", b"%PDF-1.7 test")],
    )
    send_outbox(timezone.now())
    (email,) = box.received
    (pdf,) = [part for part in email.walk() if part.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "letter.pdf" and pdf.get_payload(decode=True) == b"%PDF-1.7 test"
