"""Recording contacts with the customer, and sending replies."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event, case_event_record, case_events_record, case_record_contact
from amends.core.errors import Conflict, DomainError
from amends.core.files import AttachmentFile, check_files
from amends.customers.models import Channel, ContactPoint, Customer

from .connectors import Attempt
from .hooks import contact_logged
from .models import Attachment, Integration, Message, MessageSource, OutboxItem
from .notices import notify_not_sent, tell_further_approaches
from .routes import BY_HAND_CHANNELS, Route, by_hand_refusal, case_routes

log = logging.getLogger(__name__)

STAFF_LOGGED_CHANNELS = {Channel.PHONE, Channel.FACE_TO_FACE, Channel.LETTER}
LOGGED_AS = {
    Channel.PHONE: "a phone call",
    Channel.FACE_TO_FACE: "a conversation",
    Channel.LETTER: "a letter",
}


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
    # "message", or what mail no person wrote is: "bounce", "auto_reply" (intake/automatic.py).
    purpose: str = "message"


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
        purpose=incoming.purpose,
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
    return [Attachment.of(f, message=message) for f in files]


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
    tell_further_approaches(messages)  # the colleague a live alert on the customer names


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
    expected_version: int | None = None,
    send_by: str | None = None,
    sent_by_hand: str = "",
) -> Message:
    """Write to the customer and keep the message, with its files, on the case: replies,
    acknowledgements and letters all leave this way, through the outbox (sent by the worker), on the
    channel `send_by` names, else the one the customer last wrote on when Amends can reach them there,
    else by email (routes.py; a message with files goes by email). The files are checked first
    (core/files.py: their kind by content, their sizes): one refused sends nothing. A message nothing can
    carry is kept, marked not sent. `sent_by_hand` (a channel) records a reply a person sent themselves
    elsewhere: kept as sent by hand, and not sent again. `expected_version` is the case's version the
    writer read (a person's reply always gives it): if the case changed since (a colleague replied, the
    customer wrote), nothing is sent and Conflict says what happened."""
    if expected_version is not None:
        _check_unchanged(
            case,
            expected_version,
            unsaved="Your reply was not sent: read the case again (your text is kept in the reply box) "
            "and send it if it still fits.",
        )
    if sent_by_hand and send_by:
        raise DomainError(
            "Either send it, or record it as sent by hand: not both", fields={"sent_by_hand": "or send_by"}
        )
    files = check_files(attachments)
    now = timezone.now()
    if sent_by_hand:
        if refusal := by_hand_refusal(case, sent_by_hand):
            raise DomainError(
                f"This reply cannot go by {sent_by_hand}: {refusal}.",
                code="channel_unavailable",
                fields={"sent_by_hand": refusal},
            )
        message = message_by_hand(
            case=case, actor=actor, body=body, subject=subject, purpose=purpose, channel=sent_by_hand, now=now
        )
        route = None
    else:
        routes = case_routes(case, body=body, files=bool(files))
        route = routes.choose(send_by)
        message = message_outbound(
            case=case,
            actor=actor,
            body=body,
            subject=subject,
            purpose=purpose,
            route=route,
            channel=routes.wanted,
            now=now,
        )
    # Read before this message exists, or it would reply to itself.
    thread = thread_headers(case) if route and route.connector == OutboxItem.Connector.EMAIL else {}
    messages_record([message], attachments=message_attachments(message, files))
    if (event := message_sent_event(message)) is not None:
        case_events_record([event])
    case_record_contact(case=case, inbound=False, at=message.occurred_at)
    if route is not None:
        outbox_add([Delivery.by(message, route, thread)])
    return message


def _check_unchanged(case: Case, read: int, *, unsaved: str) -> None:
    """Refuse, saying what changed and then `unsaved` (what became of the writer's text), when the case is
    no longer at the version the writer read."""
    fresh = Case.objects.select_for_update().only("version", "updated_at").get(pk=case.pk)
    if fresh.version != read:
        raise Conflict(
            f"While you were writing, {_latest_change(fresh)}. {unsaved}",
            code="case_changed",
            fields={"version": f"you read version {read}; the case is now at {fresh.version}"},
        )


def _latest_change(case: Case) -> str:
    """The change that moved the case's version last, in words: a message (quoted) or another event."""
    last = Message.objects.filter(case=case).select_related("author").order_by("-recorded_at", "-id").first()
    if last is not None and abs(case.updated_at - last.recorded_at) < timedelta(seconds=5):
        when = f"{timezone.localtime(last.recorded_at):%H:%M}"
        quoted = f"\u201c{_excerpt(last.body_text)}\u201d"
        who = (last.author.get_full_name() or last.author.username) if last.author else "Amends"
        if last.purpose == "contact_note":  # a person's note of a call, visit or letter, either way
            return f"{who} logged {LOGGED_AS.get(last.channel, 'a contact')} at {when}: {quoted}"
        if last.direction == Message.Direction.INBOUND:
            return f"the customer wrote at {when}: {quoted}"
        return f"{who} sent the customer a message at {when}: {quoted}"
    event = CaseEvent.objects.filter(case=case).select_related("actor").order_by("-at", "-id").first()
    if event is None:
        return "someone else changed the case"
    who = (event.actor.get_full_name() or event.actor.username) if event.actor else "Amends"
    return f"{who} changed the case at {timezone.localtime(event.at):%H:%M} ({event.kind.replace('_', ' ')})"


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


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
    *,
    case: Case,
    actor: Any,
    body: str,
    subject: str,
    purpose: str,
    route: Route | None,
    channel: str = Channel.EMAIL,
    now: datetime,
) -> Message:
    """A message to the case's customer as it will be stored, checked and unsaved, going by `route` (the
    outbox sends it), or by none (kept, not sent, under `channel`: the one it would have gone on).
    `message_send` for one, intake's batch import for many (acknowledgements)."""
    body, subject = _checked(case, body, subject, purpose)
    channel = route.channel if route else channel
    email = channel == Channel.EMAIL
    return Message(
        case=case,
        customer=case.customer,
        channel=channel,
        direction=Message.Direction.OUTBOUND,
        purpose=purpose,
        # A text message has no subject: none is kept that the customer never saw.
        subject="" if channel == Channel.SMS else subject,
        sender=settings.DEFAULT_FROM_EMAIL if email else "",
        body_text=body,
        occurred_at=now,
        recorded_at=now,
        author=actor if getattr(actor, "pk", None) else None,
        email_message_id=make_msgid(domain=settings.EMAIL_DOMAIN) if email else "",
        delivery=Message.Delivery.QUEUED if route else Message.Delivery.NO_ADDRESS,
    )


def message_by_hand(
    *, case: Case, actor: Any, body: str, subject: str, purpose: str, channel: str, now: datetime
) -> Message:
    """A reply a person sent the customer themselves, elsewhere (from the organisation's social media
    account, their phone), as it will be stored: sent by hand, never put in the outbox."""
    if channel not in BY_HAND_CHANNELS:
        raise DomainError(
            "Say how you sent it: by email, social media, chat or SMS",
            fields={"sent_by_hand": "email, social, chat or sms"},
        )
    if purpose == "letter":
        raise DomainError("A letter is sent from the letter page", fields={"purpose": "not a letter"})
    body, subject = _checked(case, body, subject, purpose)
    return Message(
        case=case,
        customer=case.customer,
        channel=channel,
        direction=Message.Direction.OUTBOUND,
        purpose=purpose,
        subject=subject,
        sender=(actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "",
        body_text=body,
        occurred_at=now,
        recorded_at=now,
        author=actor if getattr(actor, "pk", None) else None,
        delivery=Message.Delivery.BY_HAND,
    )


def _checked(case: Case, body: str, subject: str, purpose: str) -> tuple[str, str]:
    """The body and subject of a message to the customer, checked; the subject names the case."""
    if purpose not in SENT_EVENTS:
        raise DomainError(f"Unknown message purpose {purpose!r}", fields={"purpose": "unknown purpose"})
    body = _check_body((body or "").strip())
    if not body:
        raise DomainError("Write something before sending", fields={"body": "required"})
    subject = _check_subject((subject or "").strip())[:250] or f"Your case {case.reference}"
    if case.reference not in subject:
        subject = f"{subject} [{case.reference}]"
    return body, subject


def message_sent_event(message: Message) -> CaseEvent | None:
    """The case event of a stored outbound message, unsaved; None for a letter (letters records it)."""
    kind = SENT_EVENTS[message.purpose]
    if kind is None:
        return None
    after: dict[str, Any] = {"message": message.pk, "channel": message.channel}
    if message.delivery == Message.Delivery.BY_HAND:
        after["by_hand"] = True
    return case_event(message.case, kind=kind, actor=message.author, at=message.recorded_at, after=after)


@dataclass
class Delivery:
    """A stored outbound message for the outbox: to whom, on which connector, and the thread it answers
    (an email's headers; the customer's post or chat message a webhook reply answers). Its files are the
    message's stored attachments (a letter's PDF), sent with it by email."""

    message: Message
    to: str
    thread: dict[str, str]
    connector: str = OutboxItem.Connector.EMAIL
    integration: Integration | None = None

    @classmethod
    def by(cls, message: Message, route: Route, thread: dict[str, str]) -> Delivery:
        if route.connector == OutboxItem.Connector.WEBHOOK and route.in_reply_to:
            thread = {"In-Reply-To": route.in_reply_to}
        return cls(message, route.destination, thread, route.connector, route.integration)


def outbox_add(deliveries: list[Delivery]) -> None:
    """Put these stored messages in the outbox, in the caller's transaction: the worker sends them once it
    has committed (messaging/tasks.py), and retries until they go. Nothing here touches the network, so
    no request or import ever waits on a mail server or an integration."""
    OutboxItem.objects.bulk_create(
        [
            OutboxItem(
                message=d.message,
                connector=d.connector,
                integration=d.integration,
                destination=d.to,
                headers=_headers(d),
                next_attempt_at=d.message.recorded_at,
            )
            for d in deliveries
        ],
        batch_size=1000,
    )


def _headers(d: Delivery) -> dict[str, str]:
    """The email's own Message-ID and thread, or for a webhook the post it answers; an acknowledgement by
    email says it was written by no person."""
    own = {"Message-ID": d.message.email_message_id} if d.message.email_message_id else {}
    automatic = _automatic(d.message) if d.connector == OutboxItem.Connector.EMAIL else {}
    return {**own, **d.thread, **automatic}


def _automatic(message: Message) -> dict[str, str]:
    """An acknowledgement is written by no person: it says so (RFC 3834), so the customer's out-of-office
    does not answer it, and our intake would not have to set its answer aside."""
    return {"Auto-Submitted": "auto-replied"} if message.purpose == "acknowledgement" else {}


def outbox_lease(items: Sequence[OutboxItem], *, until: datetime) -> None:
    """The worker holds these claimed messages until `until` while it sends them outside any transaction:
    no other worker claims them before then. A worker that dies mid-send leaves them due again then."""
    OutboxItem.objects.filter(pk__in=[e.pk for e in items]).update(next_attempt_at=until)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the nth failed attempt: the first delay, doubled each time, capped."""
    first = settings.AMENDS_OUTBOX_RETRY_FIRST_SECONDS
    return timedelta(seconds=min(first * 2 ** (attempts - 1), settings.AMENDS_OUTBOX_RETRY_MAX_SECONDS))


@transaction.atomic
def outbox_record(attempts: Sequence[Attempt], *, at: datetime) -> None:
    """What the worker's sends came to: sent, to be retried after a backoff, or given up (a permanent
    refusal, or AMENDS_OUTBOX_MAX_ATTEMPTS tries). Each message's `delivery` follows. A message given up
    (an email, a webhook reply, a text) writes `email_not_sent` on its case and tells its people (urgent),
    here, in the same transaction: saved or lost with the give-up, and written once, as a message already
    given up is not given up again."""
    by_id = {a.outbox_id: a for a in attempts}
    rows = _outbox_locked(by_id)
    given_up = []
    for row in rows:
        attempt = by_id[row.pk]
        row.attempts += 1
        row.last_attempt_at = at
        row.last_error = attempt.error
        if not attempt.error:
            row.sent_at, row.next_attempt_at = at, None
            if row.message.delivery != Message.Delivery.BOUNCED:  # its bounce came back first
                row.message.delivery = Message.Delivery.SENT
        elif attempt.permanent or row.attempts >= settings.AMENDS_OUTBOX_MAX_ATTEMPTS:
            row.next_attempt_at = None
            if row.message.delivery != Message.Delivery.FAILED:
                given_up.append(row)
            row.message.delivery = Message.Delivery.FAILED
            log.error("Gave up sending message %s: %s", row.message_id, attempt.error)
        else:
            row.next_attempt_at = at + retry_delay(row.attempts)
            row.message.delivery = Message.Delivery.RETRYING
    OutboxItem.objects.bulk_update(
        rows, ["attempts", "last_attempt_at", "last_error", "sent_at", "next_attempt_at"], batch_size=500
    )
    Message.objects.bulk_update([r.message for r in rows], ["delivery"], batch_size=500)
    prefetch_related_objects([row.message for row in given_up], "case__owner")
    case_events_record(_not_sent_event(row, at) for row in given_up)
    notify_not_sent(given_up)


def _outbox_locked(ids) -> list[OutboxItem]:
    """These outbox rows and their messages, locked against a person's "Send again" at the same moment
    (not the case), rows first, each by primary key in its own query; a give-up's case and owner are
    loaded after, for those rows only. One query joining the four tables (outbox, message, case, owner)
    took 18-20 s a batch on PostgreSQL in the test suite and held a run for over ten minutes: with
    statistics saying the tables were empty (an earlier ANALYZE, taken while they were), it was planned
    as a nested loop walking every message by the case index and every case for each: quadratic."""
    rows = list(OutboxItem.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    messages = Message.objects.select_for_update().filter(pk__in=[r.message_id for r in rows]).order_by("pk")
    by_pk = {m.pk: m for m in messages}
    for row in rows:
        row.message = by_pk[row.message_id]
    return rows


def _not_sent_event(row: OutboxItem, at: datetime) -> CaseEvent:
    after = {
        "message": row.message_id,
        "to": row.destination,
        "attempts": row.attempts,
        "error": row.last_error,
        "channel": row.message.channel,
    }
    return case_event(row.message.case, kind=EventKind.EMAIL_NOT_SENT, actor=None, at=at, after=after)


@transaction.atomic
def message_send_again(*, message: Message, actor: Any, reason: str = "") -> Message:
    """Put a message the outbox gave up on (or is still retrying) back in it, to go at the worker's next
    step: its attempts start again, and the `email_sent_again` event keeps where it stood and the last
    answer. An email goes to the customer's email address now, which says so if it changed since (the
    customer gave a new one); a webhook reply or a text to where it was going. Refused for what Amends
    did not send (a customer's message, a reply sent by hand), and for one sent or already queued."""
    row = (
        OutboxItem.objects.select_for_update(of=("self", "message"))
        .select_related("message__case", "message__customer", "integration")
        .filter(message_id=message.pk)
        .first()
    )
    now = timezone.now()
    row = _sendable_again(message, row, now)
    before = {
        "delivery": row.message.delivery,
        "to": row.destination,
        "attempts": row.attempts,
        "last_error": row.last_error,
    }
    if row.connector == OutboxItem.Connector.EMAIL:
        row.destination = customer_email(row.message.customer) or row.destination
    row.attempts, row.next_attempt_at, row.last_attempt_at, row.last_error = 0, now, None, ""
    row.save(update_fields=["destination", "attempts", "next_attempt_at", "last_attempt_at", "last_error"])
    row.message.delivery = Message.Delivery.QUEUED
    row.message.save(update_fields=["delivery"])
    after = {"message": row.message_id, "to": row.destination, "delivery": Message.Delivery.QUEUED}
    case_event_record(
        row.message.case,
        kind=EventKind.EMAIL_SENT_AGAIN,
        actor=actor,
        at=now,
        before=before,
        after=after | {"channel": row.message.channel},
        reason=(reason or "").strip()[:1000],
    )
    return row.message


def _sendable_again(message: Message, row: OutboxItem | None, now: datetime) -> OutboxItem:
    """The message's outbox row, locked, if it may be sent again; else a DomainError saying why not."""
    if message.direction != Message.Direction.OUTBOUND or message.purpose == "contact_note":
        raise DomainError("Only a message Amends sent to the customer can be sent again", code="not_email")
    if message.delivery == Message.Delivery.BY_HAND:
        raise DomainError("This reply was sent by hand: Amends has nothing to send again", code="by_hand")
    if row is None:
        raise DomainError(
            "This message was never sent: Amends had no way to reach the customer when it was written "
            "(no email address). Write to them again now that there is one, or contact them another way.",
            code="no_address",
        )
    message = row.message  # as locked now, not as the caller read it
    noun = "email" if row.connector == OutboxItem.Connector.EMAIL else "message"
    if message.delivery == Message.Delivery.SENT:
        raise Conflict(f"This {noun} has been sent already", code="already_sent")
    if message.delivery == Message.Delivery.QUEUED:
        raise Conflict(
            f"This {noun} is in the outbox already: the worker sends it next", code="already_queued"
        )
    if _in_flight(row, now):
        raise Conflict(
            f"The worker is trying to send this {noun} right now. Look again in a few minutes.",
            code="sending_now",
        )
    if row.integration is not None and not row.integration.enabled:
        raise DomainError(
            f"The integration {row.integration.name} is switched off: an administrator switches it on "
            "again, or reply another way.",
            code="integration_off",
        )
    return row


def _in_flight(row: OutboxItem, now: datetime) -> bool:
    """A worker has claimed it and is sending it: its next attempt is the worker's lease, later than the
    backoff the last attempt set. Queueing it again now would let a second worker send it too."""
    if row.next_attempt_at is None or row.next_attempt_at <= now or row.last_attempt_at is None:
        return False
    return row.next_attempt_at > row.last_attempt_at + retry_delay(max(row.attempts, 1))


@dataclass(frozen=True)
class Bounce:
    """A stored bounce (an inbound message) and what it says of the email it returns."""

    message: Message
    original_ids: Sequence[str]  # Message-IDs of the returned email, as the bounce names them
    diagnostic: str = ""  # the receiving server's status and words, when the bounce gives them


def messages_bounced(bounces: Sequence[Bounce]) -> int:
    """Our emails that bounces return, on the bounce's case, marked not delivered (`BOUNCED`: the
    "Email not delivered" queue filter finds them, the timeline says why). In the caller's transaction,
    with the bounce itself (intake's batch). How many emails were marked."""
    marked = 0
    for bounce in bounces:
        returned = list(
            Message.objects.select_related("outbox").filter(
                case=bounce.message.case,
                direction=Message.Direction.OUTBOUND,
                email_message_id__in=list(bounce.original_ids),
            )
        )
        for message in returned:
            message.delivery = Message.Delivery.BOUNCED
            outbox = getattr(message, "outbox", None)
            if outbox is not None:
                outbox.last_error = f"Bounced: {bounce.diagnostic or 'returned by the mail system'}"[:500]
                outbox.save(update_fields=["last_error"])
        Message.objects.bulk_update(returned, ["delivery"])
        marked += len(returned)
    return marked


@transaction.atomic
def message_log_contact(
    *,
    case: Case,
    actor: Any,
    channel: str,
    direction: str,
    summary: str,
    occurred_at: datetime | None = None,
    expected_version: int | None = None,
) -> Message:
    """An adviser's note of a phone call, a visit or a letter: CFACSC7 K13, every contact kept.
    `expected_version` is the case's version the adviser read (the case page always gives it): if the
    case changed since (a colleague logged a call, the customer wrote), nothing is logged and Conflict
    says what happened."""
    if expected_version is not None:
        _check_unchanged(
            case,
            expected_version,
            unsaved="Your note was not logged: read the case again (your note is kept in the form) and log "
            "it if it still fits.",
        )
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
    for listener in contact_logged:  # signals analyses the note and raises its alerts (hooks.py)
        listener(message)
    return message


def messages_move_customer(
    *, keep: Customer, duplicate: Customer, actor: Any, at: datetime, reason: str
) -> dict:
    """Two customer records became one: the duplicate's messages move to the kept record.
    Registered on customers.hooks.customer_merged (apps.py)."""
    return {"messages_moved": Message.objects.filter(customer=duplicate).update(customer=keep)}
