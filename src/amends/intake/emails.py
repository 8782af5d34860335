"""Email intake: a raw email parsed, threaded onto the case it continues or opening one, one message to a
transaction; and mbox files split into their emails."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import Conflict, DomainError, InputTooLarge, MalformedInput
from amends.core.models import Team
from amends.customers.models import Channel, ContactPoint
from amends.customers.services import ContactDetails
from amends.messaging.models import Message
from amends.messaging.services import AttachmentFile, Incoming, message_existing

from .arrivals import REFERENCE_RE, Arrival, IntakeResult, arrivals_store, summary_of
from .held import HeldResult, email_hold
from .mime import MalformedEmail, ParsedEmail, parse_email
from .models import HeldEmail

# The Date header is the sender's word: it dates a case only when it is close to our receipt (an import of
# recent mail); otherwise the case opens when we received it, which is what clocks count.
EMAIL_DATE_TRUSTED_FOR = timedelta(days=7)


def intake_email(raw: bytes, *, actor: Any = None, team: Team | None = None) -> IntakeResult | HeldResult:
    """One raw email (RFC 5322 bytes). Idempotent by Message-ID, else by the bytes' hash. A case it opens
    goes to `team` (a team mailbox's), else to the intake team.

    An email that cannot become a case by itself (unreadable, no usable sender, a sender address no
    customer can have) is not refused: it is held, raw, for a person to review (`HeldResult`). Mail no
    person wrote (a bounce, an automatic reply: automatic.py) never opens a case: it is kept on the case
    whose mail it answers, changing nothing there, or else set aside, raw, with why. Only an empty or an
    oversized email is refused."""
    if len(raw) > settings.AMENDS_MAX_EMAIL_BYTES:
        raise InputTooLarge(
            f"The email is {len(raw):,} bytes; the most Amends accepts is {settings.AMENDS_MAX_EMAIL_BYTES:,}"
        )
    if not isinstance(raw, bytes | bytearray) or not raw.strip():
        raise MalformedInput("The email is empty")
    try:
        parsed = email_parse(raw)
    except MalformedEmail as exc:
        return email_hold(bytes(raw), reason=str(exc))
    key = email_key(parsed)
    existing = message_existing(key)  # a mail provider's retry, answered before any threading
    if existing is not None:
        return IntakeResult(existing, existing.case, created_case=False, duplicate=True)
    if parsed.automatic is not None:
        return _automatic(parsed, raw, key, actor=actor)
    with transaction.atomic():
        result = arrivals_store([email_arrival(parsed, raw, key, team=team)], actor=actor)[0]
    if isinstance(result, DomainError):
        return email_hold(bytes(raw), reason=result.message, parsed=parsed)
    return result


def email_parse(raw: bytes, *, require_sender: bool = True) -> ParsedEmail:
    return parse_email(
        raw,
        max_attachments=settings.AMENDS_MAX_ATTACHMENTS,
        max_parts=settings.AMENDS_MAX_MIME_PARTS,
        require_sender=require_sender,
    )


def email_key(parsed: ParsedEmail) -> str:
    return (f"email:{parsed.message_id.lower()}" if parsed.message_id else f"sha256:{parsed.sha256}")[:300]


def email_arrival(
    parsed: ParsedEmail, raw: bytes, key: str, *, kind_reason: str = "", team: Team | None = None
) -> Arrival:
    case = _thread_case(parsed)
    return Arrival(
        key=key,
        received_at=parsed.date,
        incoming=partial(_incoming, parsed, raw, key),
        case_reference=case.reference if case else "",
        sender=ContactDetails(name=parsed.from_name, email=parsed.from_address),
        new_case={
            "kind": settings.AMENDS_EMAIL_DEFAULT_KIND,
            "channel": Channel.EMAIL,
            "summary": summary_of(parsed.subject, parsed.text),
            "kind_reason": kind_reason or "Arrived at the complaints mailbox",
        },
        trust_date_for=EMAIL_DATE_TRUSTED_FOR,
        team=team,
    )


def _automatic(parsed: ParsedEmail, raw: bytes, key: str, *, actor: Any) -> IntakeResult | HeldResult:
    """A bounce or an automatic reply: kept on the case of the mail it answers (a bounce also marks the
    email it returns not delivered), else set aside, raw, with why. Never a new case, never an
    acknowledgement (which would answer an autoresponder, and it us, for ever)."""
    automatic = parsed.automatic
    assert automatic is not None
    if automatic.is_bounce:
        # The returned email is named in the report; some mail systems name it in In-Reply-To instead.
        automatic = replace(automatic, original_ids=(*automatic.original_ids, *parsed.thread_ids))
        case = _case_of_ids(automatic.original_ids)
    else:
        case = _thread_case(parsed)
    what = "A bounce" if automatic.is_bounce else "An automatic reply"
    if case is None:
        reason = f"{what} ({automatic.reason}) that answers no case's email: it opens no case"
        return email_hold(bytes(raw), reason=reason, parsed=parsed, automatic=True)
    arrival = Arrival(
        key=key,
        received_at=parsed.date,
        incoming=partial(_incoming, parsed, raw, key),
        case_reference=case.reference,
        automatic=automatic,
    )
    with transaction.atomic():
        result = arrivals_store([arrival], actor=actor)[0]
    if isinstance(result, DomainError):
        return email_hold(bytes(raw), reason=f"{what}: {result.message}", parsed=parsed, automatic=True)
    return result


def _case_of_ids(message_ids: tuple[str, ...]) -> Case | None:
    """The case holding one of these emails (ours, or the customer's), the latest first."""
    if not message_ids:
        return None
    found = (
        Message.objects.select_related("case")
        .filter(email_message_id__in=list(message_ids))
        .order_by("-occurred_at")
        .first()
    )
    return found.case if found is not None else None


def _thread_case(parsed: ParsedEmail) -> Case | None:
    """The case this email continues: by the Message-IDs it answers, then by a reference in its subject.

    A reference in the subject is trusted only from an address already on that case's customer, so nobody
    can add to another customer's case by typing its reference.
    """
    if parsed.thread_ids:
        found = (
            Message.objects.select_related("case", "case__customer")
            .filter(email_message_id__in=parsed.thread_ids)
            .order_by("-occurred_at")
            .first()
        )
        if found is not None:
            return found.case
    for reference in REFERENCE_RE.findall(parsed.subject):
        case = Case.objects.select_related("customer").filter(reference=reference).first()
        if (
            case
            and ContactPoint.objects.filter(
                customer=case.customer, kind=ContactPoint.Kind.EMAIL, normalised=parsed.from_address.lower()
            ).exists()
        ):
            return case
    return None


def _incoming(parsed: ParsedEmail, raw: bytes, key: str, at: datetime) -> Incoming:
    return Incoming(
        channel=Channel.EMAIL,
        body_text=_within_limit(parsed.text)
        + _left_out_note(parsed.attachments_left_out)
        + _parts_left_out_note(parsed.parts_left_out),
        body_html=parsed.html,
        subject=parsed.subject,
        sender=f"{parsed.from_name} <{parsed.from_address}>" if parsed.from_name else parsed.from_address,
        occurred_at=at,
        idempotency_key=key,
        email_message_id=parsed.message_id,
        raw=raw,
        raw_content_type="message/rfc822",
        attachments=[AttachmentFile(a.filename, a.content_type, a.content) for a in parsed.attachments],
        purpose=parsed.automatic.kind if parsed.automatic is not None else "message",
    )


def _left_out_note(count: int) -> str:
    """Said on the message when an email carried more attachments than are extracted: nothing is lost."""
    if not count:
        return ""
    return (
        f"\n\n[{count:,} more attachment{'s' if count != 1 else ''} than Amends extracts "
        f"({settings.AMENDS_MAX_ATTACHMENTS}) came with this email. They are kept in the original email "
        "stored with the case.]"
    )


def _parts_left_out_note(count: int) -> str:
    if not count:
        return ""
    return (
        f"\n\n[This email has {count:,} more MIME part{'s' if count != 1 else ''} than Amends reads "
        f"({settings.AMENDS_MAX_MIME_PARTS}). They are kept in the original email stored with the case.]"
    )


def _within_limit(text: str) -> str:
    """A very long email is kept whole in its raw source; the readable copy is cut, and says so."""
    limit = settings.AMENDS_MAX_TEXT_CHARS
    if len(text) <= limit:
        return text
    note = "\n\n[Cut here: the message is longer than this. The full original is kept with the case.]"
    return text[: limit - len(note)] + note


def split_mbox(data: bytes) -> list[bytes]:
    """Messages of an mbox file (mboxrd/mboxo "From " separator lines), with >From unquoting."""
    messages: list[list[bytes]] = []
    for line in data.splitlines(keepends=True):
        if line.startswith(b"From ") and (not messages or messages[-1] == [] or _blank_before(messages[-1])):
            messages.append([])
            continue
        if not messages:
            continue
        if re.match(rb"^>+From ", line):
            line = line[1:]
        messages[-1].append(line)
    return [b"".join(m).rstrip(b"\r\n") + b"\n" for m in messages if b"".join(m).strip()]


def _blank_before(lines: list[bytes]) -> bool:
    return bool(lines) and lines[-1].strip() == b""


@transaction.atomic
def held_email_release(*, held: HeldEmail, actor: Any, name: str = "", email: str = "") -> IntakeResult:
    """A held email made a case (or added to the case it answers) once a person has supplied who sent
    it. The case's opening event names who released it and why it was held; DomainError changes nothing."""
    held = HeldEmail.objects.select_for_update().get(pk=held.pk)
    if held.status not in HeldEmail.WAITING:
        raise Conflict("This email has already been released", fields={"held": "already released"})
    name, email = name.strip(), email.strip()
    if not (name or email):
        raise DomainError(
            "Say who sent this email: their name or email address", fields={"email": "who sent it"}
        )
    raw = bytes(held.raw)
    try:
        parsed = email_parse(raw, require_sender=False)
    except MalformedEmail:
        parsed = _unreadable(raw)
    # A person read it and says who sent it: set aside as automatic or not, it is a customer's now.
    parsed = replace(parsed, from_name=name, from_address=email, automatic=None)
    key = email_key(parsed)
    if message_existing(key) is not None:
        raise Conflict("This email is already on a case", fields={"held": "already stored"})
    who = getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", "someone")
    reason = f"Held for review ({held.reason[:150]}); released by {who}"[:300]
    result = arrivals_store([email_arrival(parsed, raw, key, kind_reason=reason)], actor=actor)[0]
    if isinstance(result, DomainError):
        raise result
    held.status = HeldEmail.Status.RELEASED
    held.released_by, held.released_at, held.case = actor, timezone.now(), result.case
    held.save(update_fields=["status", "released_by", "released_at", "case"])
    return result


def _unreadable(raw: bytes) -> ParsedEmail:
    """An email the parser cannot read at all, as text: the person releasing it has looked at it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("windows-1252", errors="replace")
    return ParsedEmail(
        message_id="",
        in_reply_to=[],
        references=[],
        subject="",
        from_name="",
        from_address="",
        date=None,
        text=text.replace("\r\n", "\n").replace("\x00", "").strip(),
        html="",
        sha256=hashlib.sha256(raw).hexdigest(),
    )
