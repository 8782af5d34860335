"""Intake: every channel's way in, each idempotent and transactional.

A message is stored with its raw source in the same transaction as its case and customer, so a crash
loses nothing and a retry duplicates nothing (the idempotency key is unique).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.cases.services import (
    ReferenceBook,
    case_contact_noted,
    case_fields,
    case_new,
    case_open,
    case_opened_event,
)
from amends.core.errors import DomainError, InputTooLarge, MalformedInput
from amends.core.models import Team
from amends.customers.models import Channel, ContactPoint, Customer
from amends.customers.services import ContactDetails, CustomerBook, customer_match_or_create
from amends.messaging.models import Message, MessageSource
from amends.messaging.services import (
    Delivery,
    Incoming,
    IncomingAttachment,
    deliver_after_commit,
    message_existing,
    message_inbound,
    message_outbound,
    message_record_inbound,
    message_send,
    message_sent_event,
    message_source,
)
from amends.signals.engine.analyser import analyse
from amends.signals.selectors import HistoryBook
from amends.signals.services import case_risks_raise, signals_events, signals_rows, signals_save

from .mime import MalformedEmail, ParsedEmail, parse_email
from .schemas import ContactIn

log = logging.getLogger(__name__)

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
    subject, body = acknowledgement_text(case)
    message_send(case=case, actor=None, body=body, subject=subject, purpose="acknowledgement")


def acknowledgement_text(case: Case) -> tuple[str, str]:
    """The acknowledgement's subject and body."""
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
    return f"We have received your {kind}", body


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
        summary=summary,
        outcome_wanted=outcome_wanted,
        category=category,
        kind_reason=kind_reason,
        opened_at=at,
        actor=actor,
        team=Team.objects.filter(slug=settings.AMENDS_INTAKE_TEAM).first(),
    )


def _summary_of(subject: str, text: str) -> str:
    """A case summary from the subject, else the text's start: never empty, at most 300 characters."""
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
    """One contact: the batch of one. DomainError when it is refused."""
    result = intake_contacts([contact], actor=actor, sources=[source])[0]
    if isinstance(result, DomainError):
        raise result
    return result


@transaction.atomic
def intake_contacts(
    contacts: list[ContactIn], *, actor: Any = None, sources: list[bytes] | None = None
) -> list[IntakeResult | DomainError]:
    """Import contacts in one transaction, with the meaning of `intake_contact` on each in order.

    A refused contact gets its DomainError in the results and changes nothing; the rest land. A later
    contact sees what earlier ones stored: the same customer, a case to follow up, a repeated
    external_id. Each table is read once for the batch and written with one insert per table.
    """
    sources = sources or [b""] * len(contacts)
    try:
        with transaction.atomic():
            return _ContactBatch(contacts, sources, actor).store()
    except IntegrityError:
        # A concurrent import stored one of these meanwhile: one by one, each learns which.
        if len(contacts) > 1:
            return [_contact_alone(c, s, actor) for c, s in zip(contacts, sources, strict=True)]
        existing = message_existing(_key_of(contacts[0]))
        if existing is None:
            raise
        return [IntakeResult(existing, existing.case, created_case=False, duplicate=True)]


def _contact_alone(contact: ContactIn, source: bytes, actor: Any) -> IntakeResult | DomainError:
    with transaction.atomic():
        return intake_contacts([contact], actor=actor, sources=[source])[0]


def _key_of(contact: ContactIn) -> str:
    return f"{contact.channel}:{contact.external_id}"[:300]


def _new(obj: Any) -> Any:
    """What a batch keys a customer or case by: its id when stored, else the object itself."""
    return obj.pk if obj.pk is not None else ("new", id(obj))


class _ContactBatch:
    """One batch of contacts: `store()` plans each in turn in memory, then writes every table once."""

    def __init__(self, contacts: list[ContactIn], sources: list[bytes], actor: Any):
        self.contacts, self.sources, self.actor = contacts, sources, actor
        keys = [_key_of(c) for c in contacts]
        self.stored = {
            m.idempotency_key: m
            for m in Message.objects.select_related("case").filter(idempotency_key__in=set(keys))
        }
        references = {c.case_reference for c in contacts if c.case_reference}
        self.cases: dict[str, Case] = {}
        if references:
            found = Case.objects.select_for_update(of=("self",)).select_related("customer")
            self.cases = {case.reference: case for case in found.filter(reference__in=references)}
        self.customers = CustomerBook([_details(c) for c in contacts if not c.case_reference])
        self.references = ReferenceBook()
        self.team: Team | None | bool = False  # read when the first case opens
        self.new_cases: list[Case] = []
        self.messages: list[Message] = []
        self.message_sources: list[MessageSource] = []
        # The batch's case events in the order one-by-one intake writes them; some name a message, so
        # they are made once the messages are stored: ("event", CaseEvent), ("opened", case),
        # ("signals", message, analysis), ("ack", message).
        self.steps: list[tuple] = []
        self.deliveries: list[Delivery] = []
        self.touched: dict[int, Case] = {}  # stored cases whose contact fields change
        self.reopened: list[tuple[Case, str]] = []
        self.risks: dict[Case, int] = {}
        self.histories = self._histories()

    def _histories(self) -> HistoryBook:
        times = [_received(c, timezone.now()) for c in self.contacts]
        customer_ids = {*self.customers.stored_ids, *(case.customer_id for case in self.cases.values())}
        valid = [t for t in times if t is not None]
        return HistoryBook(
            customer_ids=sorted(customer_ids),
            case_ids=sorted(case.pk for case in self.cases.values()),
            since=min(valid) if valid else timezone.now(),
        )

    def store(self) -> list[IntakeResult | DomainError]:
        results: list[IntakeResult | DomainError] = []
        for contact, source in zip(self.contacts, self.sources, strict=True):
            key = _key_of(contact)
            if key in self.stored:
                existing = self.stored[key]
                results.append(IntakeResult(existing, existing.case, created_case=False, duplicate=True))
                continue
            try:
                result = self._plan(contact, key, source)
            except DomainError as exc:
                results.append(exc)
                continue
            self.stored[key] = result.message
            results.append(result)
        self._write()
        return results

    def _plan(self, contact: ContactIn, key: str, source: bytes) -> IntakeResult:
        """`intake_contact` for one contact, in memory. Everything that can refuse it runs first, so a
        refused contact leaves the batch as it was."""
        now = timezone.now()
        at = _received(contact, now)
        if at is None:
            raise DomainError(
                "received_at needs a time zone, e.g. 2026-11-22T10:00:00Z",
                fields={"received_at": "no time zone"},
            )
        case = None
        if contact.case_reference:
            case = self.cases.get(contact.case_reference)
            if case is None:
                raise DomainError(
                    f"There is no case {contact.case_reference}",
                    code="not_found",
                    fields={"case_reference": "unknown case"},
                )
        details = _details(contact)
        if case is None:
            points = self.customers.check(details)
            fields = case_fields(
                kind=contact.kind,
                channel=contact.channel,
                summary=_summary_of(contact.subject, contact.text),
                outcome_wanted=contact.outcome_wanted,
                category=contact.category,
                kind_reason=f"Given as a {contact.kind} by the {contact.channel} feed",
            )
        incoming = _incoming(contact, key, at, source)
        message = message_inbound(incoming, actor=self.actor, now=now)
        # Nothing below refuses the contact.
        created = case is None
        if case is None:
            customer, _ = self.customers.match(details, channel=contact.channel, at=now, points=points)
            case = case_new(customer=customer, team=self._team(), opened_at=at, **fields)
            case.reference = self.references.next(at.year, save=False)
            self.cases[case.reference] = case
            self.new_cases.append(case)
            self.histories.add_case(_new(customer), at)
            self.steps.append(("opened", case))
        message.case, message.customer = case, case.customer
        self.messages.append(message)
        if incoming.raw:
            self.message_sources.append(message_source(message, incoming))
        self._contact(case, message.occurred_at, message.channel, inbound=True, now=now)
        self._analyse(message)
        if created:
            self._acknowledge(case, now)
        return IntakeResult(message, case, created_case=created, duplicate=False)

    def _team(self) -> Team | None:
        if self.team is False:
            self.team = Team.objects.filter(slug=settings.AMENDS_INTAKE_TEAM).first()
        return self.team  # type: ignore[return-value]

    def _contact(self, case: Case, at: datetime, channel: str, *, inbound: bool, now: datetime) -> None:
        """`case_record_contact`, and the contact noted in the customer's history."""
        before = case.status
        _, event = case_contact_noted(case, inbound=inbound, at=at, now=now)
        if case.pk is not None:
            self.touched[case.pk] = case
        if event is not None:
            self.steps.append(("event", event))
            self.reopened.append((case, before))
            if event.kind == "reopened":
                self.histories.add_reopen(_new(case))
        self.histories.add_contact(_new(case.customer), at, channel, inbound=inbound)

    def _analyse(self, message: Message) -> None:
        """`signals_record`, in memory. A fault in the analyser is logged and the message kept unanalysed."""
        case = message.case
        try:
            history = self.histories.history(_new(case), _new(case.customer), message.occurred_at)
            analysis = analyse(message.body_text, history)
            rows = signals_rows(message, analysis)
        except Exception:
            log.exception(
                "Signals analysis failed for message %s; the message is kept", message.idempotency_key
            )
            return
        self.steps.append(("signals", message, analysis, rows))
        if case.pk is None:
            case.risk = max(case.risk, analysis.risk)
        else:
            self.risks[case] = max(self.risks.get(case, 0), analysis.risk)

    def _acknowledge(self, case: Case, now: datetime) -> None:
        """`acknowledge`: the email is stored now and sent after commit."""
        to = self.customers.email_of(case.customer)
        subject, body = acknowledgement_text(case)
        ack = message_outbound(
            case=case, actor=None, body=body, subject=subject, purpose="acknowledgement", to=to, now=now
        )
        if to:
            # No threading headers (`thread_headers`): the case's one message so far is the contact,
            # and a contact has no email Message-ID.
            self.deliveries.append(Delivery(ack, to, {}))
        self.messages.append(ack)
        self.steps.append(("ack", ack))
        self._contact(case, now, ack.channel, inbound=False, now=now)

    def _write(self) -> None:
        """Every table once, parents first. New cases are inserted as the batch left them."""
        self.customers.save(actor=None)  # intake's customers are matched or made by no one in particular
        self.references.save()
        Case.objects.bulk_create(self.new_cases)
        Message.objects.bulk_create(self.messages)
        MessageSource.objects.bulk_create(self.message_sources)
        events, analysed = self._events()
        try:  # as signals_record: the messages are kept even when their analysis cannot be stored
            with transaction.atomic():
                signals_save(analysed)
        except DatabaseError:
            log.exception("Storing the analysis of %d messages failed; the messages are kept", len(analysed))
        CaseEvent.objects.bulk_create(events)
        if self.touched:
            Case.objects.bulk_update(
                list(self.touched.values()),
                ["last_activity_at", "status", "closed_at", "updated_at", "version"],
            )
        from amends.process.services import clocks_follow_status

        for case, before in self.reopened:
            clocks_follow_status(case=case, before=before, after=case.status, at=timezone.now())
        case_risks_raise(self.risks)
        deliver_after_commit(self.deliveries)

    def _events(self) -> tuple[list[CaseEvent], list]:
        events: list[CaseEvent] = []
        analysed = []
        for step in self.steps:
            if step[0] == "event":
                events.append(step[1])
            elif step[0] == "opened":
                events.append(case_opened_event(step[1], actor=self.actor))
            elif step[0] == "signals":
                message, analysis, rows = step[1:]
                analysed.append(rows)
                events += signals_events(message, analysis)
            else:
                events.append(message_sent_event(step[1]))
        return events, analysed


def _received(contact: ContactIn, now: datetime) -> datetime | None:
    """When the contact dates from: an integrator's received_at (feeds and imports deliver contacts
    after the fact), never later than now; None when it has no time zone."""
    if contact.received_at is None:
        return now
    if contact.received_at.tzinfo is None:
        return None
    return min(contact.received_at, now)


def _details(contact: ContactIn) -> ContactDetails:
    c = contact.customer
    return ContactDetails(
        name=c.name, email=c.email, phone=c.phone, handle=c.handle, nation=c.nation or "", kind=c.kind
    )


def _incoming(contact: ContactIn, key: str, at: datetime, source: bytes) -> Incoming:
    c = contact.customer
    return Incoming(
        channel=contact.channel,
        body_text=contact.text,
        subject=contact.subject,
        sender=c.name or c.email or c.phone or c.handle,
        occurred_at=at,
        idempotency_key=key,
        raw=source or contact.model_dump_json().encode(),
        raw_content_type="application/json",
    )


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
