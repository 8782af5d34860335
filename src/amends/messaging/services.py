"""Recording contacts with the customer, and sending replies."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event, case_event_record, case_events_record, case_record_contact
from amends.core.errors import DomainError
from amends.customers.models import Channel, ContactPoint, Customer

from .models import Attachment, Message, MessageSource

log = logging.getLogger(__name__)

STAFF_LOGGED_CHANNELS = {Channel.PHONE, Channel.FACE_TO_FACE, Channel.LETTER}


@dataclass
class AttachmentFile:
    """A file on a message, in either direction, before it is stored."""

    filename: str
    content_type: str
    content: bytes


# What a sent message records on its case, by its purpose. A letter's email records none of its own:
# letters records `letter_sent` for it.
SENT_EVENTS = {
    "reply": EventKind.REPLY_SENT,
    "acknowledgement": EventKind.ACKNOWLEDGEMENT_SENT,
    "final_response": EventKind.FINAL_RESPONSE_SENT,
    "letter": None,
}


@dataclass
class Incoming:
    """A message from a customer as intake understood it, before it is stored."""

    channel: str
    body_text: str
    occurred_at: datetime
    subject: str = ""
    sender: str = ""
    body_html: str = ""
    idempotency_key: str | None = None
    email_message_id: str = ""
    raw: bytes = b""
    raw_content_type: str = ""
    attachments: list[AttachmentFile] = field(default_factory=list)


def message_existing(idempotency_key: str | None) -> Message | None:
    if not idempotency_key:
        return None
    return Message.objects.select_related("case").filter(idempotency_key=idempotency_key).first()


def _check_body(text: str, field_name: str = "body") -> str:
    if len(text) > settings.AMENDS_MAX_TEXT_CHARS:
        raise DomainError(
            f"The message is longer than {settings.AMENDS_MAX_TEXT_CHARS:,} characters",
            code="too_large",
            fields={field_name: "too long"},
        )
    return text


@transaction.atomic
def message_record_inbound(
    *, case: Case, customer: Customer, incoming: Incoming, actor: Any = None
) -> Message:
    """Store a customer's message on a case, with its source and attachments, in one transaction."""
    message = message_inbound(incoming, actor=actor, now=timezone.now())
    message.case, message.customer = case, customer
    try:
        with transaction.atomic():
            messages_record([message])
    except IntegrityError as exc:
        raise DomainError("This message has already been received", code="duplicate") from exc
    messages_record(
        [],
        sources=[message_source(message, incoming)] if incoming.raw else [],
        attachments=message_attachments(message, incoming.attachments),
    )
    case_record_contact(case=case, inbound=True, at=incoming.occurred_at)
    return message


def message_inbound(incoming: Incoming, *, actor: Any, now: datetime) -> Message:
    """A customer's message as it will be stored, checked and unsaved; the caller sets its case and
    customer. `message_record_inbound` for one, intake's batch import for many."""
    if incoming.channel not in Channel.values:
        raise DomainError(f"Unknown channel {incoming.channel!r}", fields={"channel": "unknown channel"})
    return Message(
        channel=incoming.channel,
        direction=Message.Direction.INBOUND,
        subject=incoming.subject[:300],
        sender=incoming.sender[:300],
        body_text=_check_body(incoming.body_text),
        body_html=incoming.body_html,
        occurred_at=incoming.occurred_at,
        recorded_at=now,
        author=actor if getattr(actor, "pk", None) else None,
        idempotency_key=incoming.idempotency_key,
        email_message_id=incoming.email_message_id[:300],
    )


def message_source(message: Message, incoming: Incoming) -> MessageSource:
    """The message exactly as it arrived, unsaved."""
    return MessageSource(message=message, content_type=incoming.raw_content_type, raw=incoming.raw)


def message_attachments(message: Message, files: Sequence[AttachmentFile]) -> list[Attachment]:
    """The files on a message as they will be stored, unsaved."""
    return [
        Attachment(
            message=message,
            filename=(f.filename or "attachment")[:255],
            content_type=f.content_type[:100],
            size=len(f.content),
            sha256=hashlib.sha256(f.content).hexdigest(),
            content=f.content,
        )
        for f in files
    ]


def messages_record(
    messages: list[Message],
    *,
    sources: Sequence[MessageSource] = (),
    attachments: Sequence[Attachment] = (),
) -> None:
    """Store messages built by `message_inbound`, `message_outbound` or `message_log_contact`, with their
    raw sources and files, parents first: the one place Message rows are written. One message or a
    whole import batch; the caller holds the transaction."""
    Message.objects.bulk_create(messages, batch_size=1000)
    MessageSource.objects.bulk_create(sources, batch_size=1000)
    Attachment.objects.bulk_create(attachments, batch_size=100)


def customer_email(customer: Customer) -> str | None:
    point = (
        ContactPoint.objects.filter(customer=customer, kind=ContactPoint.Kind.EMAIL)
        .order_by("-is_primary", "id")
        .first()
    )
    return point.value if point else None


def thread_headers(case: Case) -> dict[str, str]:
    ids = list(
        Message.objects.filter(case=case)
        .exclude(email_message_id="")
        .order_by("-occurred_at")
        .values_list("email_message_id", flat=True)[:10]
    )
    if not ids:
        return {}
    return {"In-Reply-To": ids[0], "References": " ".join(reversed(ids))}


@transaction.atomic
def message_send(
    *,
    case: Case,
    actor: Any,
    body: str,
    subject: str = "",
    purpose: str = "reply",
    attachments: Sequence[AttachmentFile] = (),
) -> Message:
    """Write to the customer by email and keep the message, with its files, on the case: replies,
    acknowledgements and letters all leave this way. Sent after commit."""
    to = customer_email(case.customer)
    now = timezone.now()
    message = message_outbound(
        case=case, actor=actor, body=body, subject=subject, purpose=purpose, to=to, now=now
    )
    thread = thread_headers(case)  # before this message exists, or it would reply to itself
    files = list(attachments)
    messages_record([message], attachments=message_attachments(message, files))
    if (event := message_sent_event(message)) is not None:
        case_events_record([event])
    case_record_contact(case=case, inbound=False, at=message.occurred_at)
    if to:
        deliver_after_commit([Delivery(message, to, thread, files)])
    return message


def _check_subject(subject: str) -> str:
    """A subject is one header line. A line break in it would add headers to the email (the mail library
    refuses it when sending, long after the reply was stored as sent), so it is refused here."""
    if any(unicodedata.category(ch) in {"Cc", "Zl", "Zp"} for ch in subject):
        raise DomainError(
            "The subject must be one line, without line breaks or control characters",
            fields={"subject": "one line, no line breaks"},
        )
    return subject


def message_outbound(
    *, case: Case, actor: Any, body: str, subject: str, purpose: str, to: str | None, now: datetime
) -> Message:
    """An email to the case's customer as it will be stored, checked and unsaved. `message_send` for one,
    intake's batch import for many (acknowledgements)."""
    if purpose not in SENT_EVENTS:
        raise DomainError(f"Unknown message purpose {purpose!r}", fields={"purpose": "unknown purpose"})
    body = _check_body((body or "").strip())
    if not body:
        raise DomainError("Write something before sending", fields={"body": "required"})
    subject = _check_subject((subject or "").strip())[:250] or f"Your case {case.reference}"
    if case.reference not in subject:
        subject = f"{subject} [{case.reference}]"
    return Message(
        case=case,
        customer=case.customer,
        channel=Channel.EMAIL,
        direction=Message.Direction.OUTBOUND,
        purpose=purpose,
        subject=subject,
        sender=settings.DEFAULT_FROM_EMAIL,
        body_text=body,
        occurred_at=now,
        recorded_at=now,
        author=actor if getattr(actor, "pk", None) else None,
        email_message_id=make_msgid(domain=settings.EMAIL_DOMAIN),
        delivery=Message.Delivery.QUEUED if to else Message.Delivery.NO_ADDRESS,
    )


def message_sent_event(message: Message) -> CaseEvent | None:
    """The case event of a stored outbound message, unsaved; None for a letter (letters records it)."""
    kind = SENT_EVENTS[message.purpose]
    if kind is None:
        return None
    return case_event(
        message.case, kind=kind, actor=message.author, at=message.recorded_at, after={"message": message.pk}
    )


@dataclass
class Delivery:
    message: Message
    to: str
    thread: dict[str, str]
    attachments: list[AttachmentFile] = field(default_factory=list)


def deliver_after_commit(deliveries: list[Delivery]) -> None:
    """Send these stored messages once the transaction commits, over one mail connection."""
    items = [
        _Outgoing(
            d.message.pk,
            d.to,
            d.message.subject,
            d.message.body_text,
            {"Message-ID": d.message.email_message_id, **d.thread},
            d.attachments,
        )
        for d in deliveries
    ]
    if items:
        transaction.on_commit(lambda: _deliver(items))


@dataclass
class _Outgoing:
    message_id: int
    to: str
    subject: str
    body: str
    headers: dict[str, str]
    attachments: list[AttachmentFile]


def _deliver(items: list[_Outgoing]) -> None:
    sent, failed = [], []
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # the transport is down: each message is marked failed and is safe on its case
        log.exception("Opening the mail connection failed")
        connection = None
    for item in items:
        try:
            if connection is None:
                raise ConnectionError("no mail connection")
            email = EmailMessage(
                subject=item.subject,
                body=item.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[item.to],
                headers=item.headers,
                connection=connection,
            )
            for f in item.attachments:
                email.attach(f.filename, f.content, f.content_type)
            email.send()
        except Exception:  # any transport failure: record it, the message itself is safe on the case
            log.exception("Sending message %s failed", item.message_id)
            failed.append(item.message_id)
            continue
        sent.append(item.message_id)
    if connection is not None:
        with suppress(Exception):
            connection.close()
    if failed:
        Message.objects.filter(pk__in=failed).update(delivery=Message.Delivery.FAILED)
    if sent:
        Message.objects.filter(pk__in=sent).update(delivery=Message.Delivery.SENT)


@transaction.atomic
def message_log_contact(
    *, case: Case, actor: Any, channel: str, direction: str, summary: str, occurred_at: datetime | None = None
) -> Message:
    """An adviser's note of a phone call, a visit or a letter: CFACSC7 K13, every contact kept."""
    if channel not in STAFF_LOGGED_CHANNELS:
        raise DomainError(
            "Log a phone call, a face-to-face conversation or a letter",
            fields={"channel": "phone, face_to_face or letter"},
        )
    if direction not in Message.Direction.values:
        raise DomainError(
            "Say whether the customer contacted us or we contacted them", fields={"direction": "in or out"}
        )
    summary = _check_body((summary or "").strip(), "summary")
    if not summary:
        raise DomainError("Write what was said", fields={"summary": "required"})
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now:
        raise DomainError("A contact cannot be logged in the future", fields={"occurred_at": "in the future"})
    message = Message(
        case=case,
        customer=case.customer,
        channel=channel,
        direction=direction,
        purpose="contact_note",
        sender=actor.get_full_name() or actor.get_username(),
        body_text=summary,
        occurred_at=occurred_at,
        recorded_at=now,
        author=actor,
    )
    messages_record([message])
    case_event_record(
        case,
        at=now,
        actor=actor,
        kind=EventKind.CONTACT_LOGGED,
        after={"message": message.pk, "channel": channel, "direction": direction},
    )
    case_record_contact(case=case, inbound=direction == Message.Direction.INBOUND, at=occurred_at)
    return message


def messages_move_customer(
    *, keep: Customer, duplicate: Customer, actor: Any, at: datetime, reason: str
) -> dict:
    """Two customer records became one: the duplicate's messages move to the kept record.
    Registered on customers.hooks.customer_merged (apps.py)."""
    return {"messages_moved": Message.objects.filter(customer=duplicate).update(customer=keep)}
