"""Intake: every channel's way in, each idempotent and transactional.

A message is stored with its raw source in the same transaction as its case and customer, so a crash
loses nothing and a retry duplicates nothing (the idempotency key is unique).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.services import case_open
from amends.core.errors import DomainError, InputTooLarge, MalformedInput
from amends.core.models import Team
from amends.customers.models import Channel, ContactPoint, Customer
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.messaging.models import Message
from amends.messaging.services import (
    Incoming,
    IncomingAttachment,
    message_existing,
    message_record_inbound,
    message_send,
)

from .mime import MalformedEmail, ParsedEmail, parse_email
from .schemas import ContactIn

EMAIL_DATE_TRUSTED_FOR = timedelta(days=7)
REFERENCE_RE = re.compile(r"\bAM-\d{4}-\d{6,}\b")


@dataclass(frozen=True)
class IntakeResult:
    message: Message
    case: Case
    created_case: bool
    duplicate: bool


def _idempotent(key: str, store):
    """Run `store` unless a message with this key exists; a concurrent twin that wins is returned instead."""
    existing = message_existing(key)
    if existing is not None:
        return IntakeResult(existing, existing.case, created_case=False, duplicate=True)
    try:
        return store()
    except DomainError as exc:
        if exc.code != "duplicate":
            raise
        existing = message_existing(key)
        if existing is None:
            raise
        return IntakeResult(existing, existing.case, created_case=False, duplicate=True)


def status_url(case: Case) -> str:
    return settings.SITE_URL + reverse("portal:status", args=[case.public_token])


def acknowledge(case: Case) -> None:
    """Tell the customer we have it, what happens next and how to follow it (CFACSC7 4, W 13)."""
    kind = case.get_kind_display().lower()
    body = (
        f"Thank you for contacting {settings.ORGANISATION_NAME}. We have received your {kind} and "
        f"its reference is {case.reference}.\n\n"
        f"What happens next: a member of our team will look into it and reply to you by "
        f"{timezone.localtime(case.respond_by):%A %-d %B %Y}. If we need more information we will contact "
        f"you before then.\n\n"
        f"You can check progress at any time here (keep this link private):\n{status_url(case)}\n\n"
        f"If you write to us again about this, please quote {case.reference}."
    )
    message_send(
        case=case, actor=None, body=body, subject=f"We have received your {kind}", purpose="acknowledgement"
    )


def _open_case_for(
    customer: Customer,
    *,
    kind: str,
    channel: str,
    summary: str,
    outcome_wanted: str = "",
    category: str = "",
    kind_reason: str,
    at: datetime,
    actor: Any,
) -> Case:
    return case_open(
        customer=customer,
        kind=kind,
        channel=channel,
        summary=summary[:300] or "(no subject)",
        outcome_wanted=outcome_wanted,
        category=category,
        kind_reason=kind_reason,
        opened_at=at,
        actor=actor,
        team=Team.objects.filter(slug=settings.AMENDS_INTAKE_TEAM).first(),
    )


def _summary_of(subject: str, text: str) -> str:
    subject = REFERENCE_RE.sub("", subject).strip(" -:[]")
    subject = re.sub(r"^((re|fw|fwd|aw)\s*:\s*)+", "", subject, flags=re.I).strip()
    if subject:
        return subject[:300]
    first = " ".join(text.split())
    return (first[:117] + "...") if len(first) > 120 else first or "(no subject)"


# --- email -------------------------------------------------------------------------------------------


def intake_email(raw: bytes, *, actor: Any = None) -> IntakeResult:
    if len(raw) > settings.AMENDS_MAX_EMAIL_BYTES:
        raise InputTooLarge(
            f"The email is {len(raw):,} bytes; the most Amends accepts is {settings.AMENDS_MAX_EMAIL_BYTES:,}"
        )
    try:
        parsed = parse_email(raw)
    except MalformedEmail as exc:
        raise MalformedInput(str(exc)) from exc
    key = f"email:{parsed.message_id.lower()}" if parsed.message_id else f"sha256:{parsed.sha256}"
    return _idempotent(key[:300], lambda: _store_email(parsed, raw, key[:300], actor))


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


@transaction.atomic
def _store_email(parsed: ParsedEmail, raw: bytes, key: str, actor: Any) -> IntakeResult:
    now = timezone.now()
    at = min(parsed.date, now) if parsed.date else now
    # The Date header is the sender's word: it dates a case only when it is close to our receipt (an
    # import of recent mail); otherwise the case opens when we received it, which is what clocks count.
    opened = at if now - at <= EMAIL_DATE_TRUSTED_FOR else now
    case = _thread_case(parsed)
    created = case is None
    if case is None:
        customer, _ = customer_match_or_create(
            details=ContactDetails(name=parsed.from_name, email=parsed.from_address),
            channel=Channel.EMAIL,
        )
        case = _open_case_for(
            customer,
            kind=settings.AMENDS_EMAIL_DEFAULT_KIND,
            channel=Channel.EMAIL,
            summary=_summary_of(parsed.subject, parsed.text),
            kind_reason="Arrived at the complaints mailbox",
            at=opened,
            actor=actor,
        )
    incoming = Incoming(
        channel=Channel.EMAIL,
        body_text=_within_limit(parsed.text),
        body_html=parsed.html,
        subject=parsed.subject,
        sender=f"{parsed.from_name} <{parsed.from_address}>" if parsed.from_name else parsed.from_address,
        occurred_at=at,
        idempotency_key=key,
        email_message_id=parsed.message_id,
        raw=raw,
        raw_content_type="message/rfc822",
        attachments=[IncomingAttachment(a.filename, a.content_type, a.content) for a in parsed.attachments],
    )
    message = message_record_inbound(case=case, customer=case.customer, incoming=incoming, actor=actor)
    if created:
        acknowledge(case)
    return IntakeResult(message, case, created_case=created, duplicate=False)


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


# --- structured contacts: API, JSON files, social posts, chat transcripts ---------------------------


def intake_contact(contact: ContactIn, *, actor: Any = None, source: bytes = b"") -> IntakeResult:
    key = f"{contact.channel}:{contact.external_id}"
    return _idempotent(key[:300], lambda: _store_contact(contact, key[:300], actor, source))


@transaction.atomic
def _store_contact(contact: ContactIn, key: str, actor: Any, source: bytes) -> IntakeResult:
    now = timezone.now()
    if contact.received_at is not None and contact.received_at.tzinfo is None:
        raise DomainError(
            "received_at needs a time zone, e.g. 2026-11-22T10:00:00Z", fields={"received_at": "no time zone"}
        )
    # An integrator's received_at dates the case: feeds and imports deliver contacts after the fact.
    at = min(contact.received_at, now) if contact.received_at else now
    case = None
    if contact.case_reference:
        case = Case.objects.select_related("customer").filter(reference=contact.case_reference).first()
        if case is None:
            raise DomainError(
                f"There is no case {contact.case_reference}",
                code="not_found",
                fields={"case_reference": "unknown case"},
            )
    c = contact.customer
    details = ContactDetails(
        name=c.name, email=c.email, phone=c.phone, handle=c.handle, nation=c.nation or "", kind=c.kind
    )
    customer = (
        case.customer if case else customer_match_or_create(details=details, channel=contact.channel)[0]
    )
    created = case is None
    if case is None:
        case = _open_case_for(
            customer,
            kind=contact.kind,
            channel=contact.channel,
            summary=_summary_of(contact.subject, contact.text),
            outcome_wanted=contact.outcome_wanted,
            category=contact.category,
            kind_reason=f"Given as a {contact.kind} by the {contact.channel} feed",
            at=at,
            actor=actor,
        )
    incoming = Incoming(
        channel=contact.channel,
        body_text=contact.text,
        subject=contact.subject,
        sender=c.name or c.email or c.phone or c.handle,
        occurred_at=at,
        idempotency_key=key,
        raw=source or contact.model_dump_json().encode(),
        raw_content_type="application/json",
    )
    message = message_record_inbound(case=case, customer=case.customer, incoming=incoming, actor=actor)
    if created:
        acknowledge(case)
    return IntakeResult(message, case, created_case=created, duplicate=False)


# --- the public complaint form --------------------------------------------------------------------


def intake_web_form(*, form_token: str, data: dict[str, str], ip: str = "") -> IntakeResult:
    """A complaint from the public form. `form_token` is issued with the form, so a double submit is one."""
    contact = ContactIn(
        channel="web_form",
        external_id=form_token,
        customer={
            "name": data["name"],
            "email": data.get("email", ""),
            "phone": data.get("phone", ""),
            "nation": data.get("nation") or None,
        },
        text=data["what_happened"],
        subject=data.get("subject", ""),
        kind="complaint",
        category=data.get("category", ""),
        outcome_wanted=data.get("outcome_wanted", ""),
    )
    source = json.dumps({"fields": data, "client_address": ip}, ensure_ascii=False).encode()
    return intake_contact(contact, source=source)
