"""Recording contacts with the customer, and sending replies."""

from __future__ import annotations

import hashlib
import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_record_contact
from amends.core.errors import DomainError
from amends.customers.models import Channel, ContactPoint, Customer

from .models import Attachment, Message, MessageSource

log = logging.getLogger(__name__)

STAFF_LOGGED_CHANNELS = {Channel.PHONE, Channel.FACE_TO_FACE, Channel.LETTER}


@dataclass
class IncomingAttachment:
    filename: str
    content_type: str
    content: bytes


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
    attachments: list[IncomingAttachment] = field(default_factory=list)


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
            message.save(force_insert=True)
    except IntegrityError as exc:
        raise DomainError("This message has already been received", code="duplicate") from exc
    if incoming.raw:
        message_source(message, incoming).save(force_insert=True)
    Attachment.objects.bulk_create(
        Attachment(
            message=message,
            filename=(a.filename or "attachment")[:255],
            content_type=a.content_type[:100],
            size=len(a.content),
            sha256=hashlib.sha256(a.content).hexdigest(),
            content=a.content,
        )
        for a in incoming.attachments
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
def message_send(*, case: Case, actor: Any, body: str, subject: str = "", purpose: str = "reply") -> Message:
    """Write to the customer by email and keep the message on the case. Sent after commit."""
    message = message_outbound(
        case=case,
        actor=actor,
        body=body,
        subject=subject,
        purpose=purpose,
        to=(to := customer_email(case.customer)),
        now=timezone.now(),
    )
    thread = thread_headers(case)
    message.save(force_insert=True)
    message_sent_event(message).save()
    case_record_contact(case=case, inbound=False, at=message.occurred_at)
    if to:
        deliver_after_commit([Delivery(message, to, thread)])
    return message


def message_outbound(
    *, case: Case, actor: Any, body: str, subject: str, purpose: str, to: str | None, now: datetime
) -> Message:
    """An email to the case's customer as it will be stored, checked and unsaved. `message_send` for one,
    intake's batch import for many (acknowledgements)."""
    body = _check_body((body or "").strip())
    if not body:
        raise DomainError("Write something before sending", fields={"body": "required"})
    subject = (subject or "").strip()[:250] or f"Your case {case.reference}"
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


def message_sent_event(message: Message) -> CaseEvent:
    """The case event of a stored outbound message, unsaved."""
    return CaseEvent(
        case=message.case,
        at=message.recorded_at,
        actor=message.author,
        kind=f"{message.purpose}_sent",
        after={"message": message.pk},
    )


@dataclass
class Delivery:
    message: Message
    to: str
    thread: dict[str, str]


def deliver_after_commit(deliveries: list[Delivery]) -> None:
    """Send these stored messages once the transaction commits, over one mail connection."""
    items = [
        (
            d.message.pk,
            d.to,
            d.message.subject,
            d.message.body_text,
            {"Message-ID": d.message.email_message_id, **d.thread},
        )
        for d in deliveries
    ]
    if items:
        transaction.on_commit(lambda: _deliver(items))


def _deliver(items: list[tuple[int, str, str, str, dict[str, str]]]) -> None:
    sent, failed = [], []
    connection = get_connection()
    try:
        connection.open()
    except Exception:  # the transport is down: each message is marked failed and is safe on its case
        log.exception("Opening the mail connection failed")
        connection = None
    for message_id, to, subject, body, headers in items:
        try:
            if connection is None:
                raise ConnectionError("no mail connection")
            EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[to],
                headers=headers,
                connection=connection,
            ).send()
        except Exception:  # any transport failure: record it, the message itself is safe on the case
            log.exception("Sending message %s failed", message_id)
            failed.append(message_id)
            continue
        sent.append(message_id)
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
    message = Message.objects.create(
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
    CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor,
        kind="contact_logged",
        after={"message": message.pk, "channel": channel, "direction": direction},
    )
    case_record_contact(case=case, inbound=direction == Message.Direction.INBOUND, at=occurred_at)
    return message
