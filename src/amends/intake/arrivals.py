"""The one path a customer's message takes in, whatever the channel: `arrivals_store`.

A channel (emails.py, contacts.py, `services.intake_message`) reads its message into an `Arrival`. The
batch plans each arrival in turn, in memory, with the meaning the one-at-a-time services give it: the
customer it is from (`customer_match_or_create`), the case it opens (`case_open`) or adds to, the message
with its source and attachments and the contact noted on the case (`message_record_inbound`), its analysis
(`signals_record`), the acknowledgement of a new case (`message_send`). Then it writes every table once,
in one transaction with the message: a crash loses nothing, and a retry duplicates nothing (the
idempotency key is unique). One message is a batch of one; tests/test_one_path.py proves a batch stores
exactly what those services store.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from amends.care.services import support_needs_new_cases
from amends.cases.models import Case, CaseEvent
from amends.cases.services import (
    ReferenceBook,
    case_contact_noted,
    case_events_record,
    case_fields,
    case_new,
    case_opened_event,
    cases_contacts_save,
    cases_insert,
)
from amends.conduct.selectors import named_contacts
from amends.core.errors import DomainError
from amends.core.models import Team
from amends.core.permissions import owner_refusal
from amends.customers.services import ContactDetails, CustomerBook
from amends.messaging.hooks import ReplyChannels, reply_limits
from amends.messaging.models import Attachment, Integration, Message, MessageSource
from amends.messaging.routes import Reach, conversations_of, integrations_on, limited, routes_for
from amends.messaging.services import (
    Bounce,
    Delivery,
    Incoming,
    message_attachments,
    message_existing,
    message_inbound,
    message_outbound,
    message_sent_event,
    message_source,
    messages_bounced,
    messages_record,
    outbox_add,
)
from amends.process.rules import response_due
from amends.process.services import process_start
from amends.regimes.calendar import customer_date
from amends.regimes.clocks import compute_all
from amends.regimes.models import RegimeVersion
from amends.regimes.selectors import RegimeChooser, current_version
from amends.signals.engine.analyser import Analysis, analyse
from amends.signals.safety import safety_text
from amends.signals.selectors import HistoryBook
from amends.signals.services import case_risks_raise, signals_events, signals_rows, signals_save

from .automatic import Automatic
from .hooks import messages_stored

log = logging.getLogger(__name__)
AUTOMATIC = {"bounce", "auto_reply"}  # mail no person wrote: not grouped as what customers say

REFERENCE_RE = re.compile(r"\bAM-\d{4}-\d{6,}\b")


@dataclass(frozen=True)
class IntakeResult:
    message: Message
    case: Case
    created_case: bool
    duplicate: bool


@dataclass(frozen=True)
class Arrival:
    """A customer's message as its channel read it, before intake decides where it goes."""

    key: str | None  # its idempotency key: the same message arriving twice is stored once
    received_at: datetime | None  # when the sender says they sent it; None, or a time to come: now
    incoming: Callable[[datetime], Incoming]  # the message as it will be stored, given when it arrived
    case_reference: str = ""  # the case it adds to; without one it opens a case
    sender: ContactDetails = ContactDetails()  # matched to a customer when it opens a case
    new_case: dict[str, str] = field(default_factory=dict)  # `case_fields` of the case it opens
    # A case opens at the sender's date only when it is this recent; otherwise when we received it.
    trust_date_for: timedelta | None = None
    team: Team | None = None  # the team a case it opens goes to; None: the intake team
    # Mail no person wrote (a bounce, an automatic reply): kept on its case (`case_reference`, which it
    # needs) as it came, but it is no contact from the customer: no status changes, no analysis, no
    # acknowledgement; a bounce marks the email it returns not delivered.
    automatic: Automatic | None = None


def status_url(case: Case) -> str:
    return settings.SITE_URL + reverse("portal:status", args=[case.public_token])


# What the customer is told we received: our classification in their words. "Problem" and "query" are
# how we sort the work; nobody wants to read "We have received your problem".
CUSTOMER_WORDS = {"complaint": "complaint", "query": "enquiry", "problem": "message"}


def acknowledgement_text(
    case: Case, reply_by: datetime | None = None, *, self_harm: bool = False
) -> tuple[str, str]:
    """The acknowledgement's subject and body: what happens next and how to follow it (CFACSC7 4, W 13).

    `reply_by` is the deadline we are held to: the regime's response date when one applies on arrival,
    else the case's internal target. The customer is told a working day of their nation on or before it.
    `self_harm`: their message spoke of self-harm or suicide, so the acknowledgement says where to get
    help now, before anything else (Samaritans, NHS 111, 999: signals/safety_texts.json, a setting).
    """
    kind = CUSTOMER_WORDS.get(case.kind, "message")
    day = customer_date(reply_by or case.respond_by, case.customer.nation)
    body = (
        f"Thank you for contacting {settings.ORGANISATION_NAME}. We have received your {kind} and "
        f"its reference is {case.reference}.\n\n"
        f"What happens next: a member of our team will look into it and reply to you by "
        f"{day:%A %-d %B %Y}. If we need more information we will contact "
        f"you before then.\n\n"
        f"You can check progress at any time here (keep this link private):\n{status_url(case)}\n\n"
        f"If you write to us again about this, please quote {case.reference}."
    )
    support = safety_text("self_harm", "customer") if self_harm else ""
    if support:
        first, rest = body.split("\n\n", 1)
        body = f"{first}\n\n{support}\n\n{rest}"
    return f"We have received your {kind}", body


def summary_of(subject: str, text: str) -> str:
    """A case summary from the subject, else the text's start: never empty, at most 300 characters."""
    subject = REFERENCE_RE.sub("", subject).strip(" -:[]")
    subject = re.sub(r"^((re|fw|fwd|aw)\s*:\s*)+", "", subject, flags=re.I).strip()
    if subject:
        return subject[:300]
    first = " ".join(text.split())
    return (first[:117] + "...") if len(first) > 120 else first or "(no subject)"


@transaction.atomic
def arrivals_store(arrivals: list[Arrival], *, actor: Any = None) -> list[IntakeResult | DomainError]:
    """Store arrivals in one transaction, each meaning what it would mean arriving alone, in order.

    A refused arrival gets its DomainError in the results and changes nothing; the rest land. A later
    arrival sees what earlier ones stored: the same customer, a case to follow up, a repeated key. Each
    table is read once for the batch and written with one insert per table.
    """
    try:
        with transaction.atomic():
            return _Batch(arrivals, actor).store()
    except IntegrityError:
        # A concurrent import stored one of these meanwhile: one by one, each learns which.
        if len(arrivals) > 1:
            return [arrivals_store([arrival], actor=actor)[0] for arrival in arrivals]
        existing = message_existing(arrivals[0].key)
        if existing is None:
            raise
        return [IntakeResult(existing, existing.case, created_case=False, duplicate=True)]


def _new(obj: Any) -> Any:
    """What a batch keys a customer or case by: its id when stored, else the object itself."""
    return obj.pk if obj.pk is not None else ("new", id(obj))


class _Batch:
    """One batch of arrivals: `store()` plans each in turn in memory, then writes every table once."""

    def __init__(self, arrivals: list[Arrival], actor: Any):
        self.arrivals, self.actor = arrivals, actor
        keys = {a.key for a in arrivals if a.key}
        self.stored = {
            m.idempotency_key: m
            for m in Message.objects.select_related("case").filter(idempotency_key__in=keys)
        }
        references = {a.case_reference for a in arrivals if a.case_reference}
        self.cases: dict[str, Case] = {}
        if references:
            found = Case.objects.select_for_update(of=("self",)).select_related("customer")
            self.cases = {case.reference: case for case in found.filter(reference__in=references)}
        self.customers = CustomerBook([a.sender for a in arrivals if not a.case_reference])
        self.references = ReferenceBook()
        self.team: Team | None | bool = False  # read when the first case opens
        self.reply_limits: dict[int, ReplyChannels | None] = {}  # per customer known before the batch
        self.new_cases: list[Case] = []
        self.messages: list[Message] = []
        self.message_sources: list[MessageSource] = []
        self.attachments: list[Attachment] = []
        # The batch's case events in the order one-by-one intake writes them; some name a message, so
        # they are made once the messages are stored: ("event", CaseEvent), ("opened", case),
        # ("signals", message, analysis, rows), ("ack", message).
        self.steps: list[tuple] = []
        self.deliveries: list[Delivery] = []
        self.touched: dict[int, Case] = {}  # stored cases whose contact fields change
        self.reopened: list[tuple[Case, str]] = []
        self.risks: dict[Case, int] = {}
        self.histories = self._histories()
        self.chooser: RegimeChooser | None = None  # the organisation's rules, read when a case opens
        self.versions: dict[tuple[str, Any], RegimeVersion | None] = {}
        self.regimes: list[tuple[Case, str]] = []  # new complaints and the regime applied on arrival
        self.integrations: list[Integration] | None = None  # read when the first acknowledgement goes
        self.bounces: list[Bounce] = []

    def _histories(self) -> HistoryBook:
        times = [_received(a.received_at, timezone.now()) for a in self.arrivals]
        customer_ids = {*self.customers.stored_ids, *(case.customer_id for case in self.cases.values())}
        valid = [t for t in times if t is not None]
        return HistoryBook(
            customer_ids=sorted(customer_ids),
            case_ids=sorted(case.pk for case in self.cases.values()),
            since=min(valid) if valid else timezone.now(),
        )

    def store(self) -> list[IntakeResult | DomainError]:
        results: list[IntakeResult | DomainError] = []
        for arrival in self.arrivals:
            if arrival.key in self.stored:
                existing = self.stored[arrival.key]
                results.append(IntakeResult(existing, existing.case, created_case=False, duplicate=True))
                continue
            try:
                result = self._plan(arrival)
            except DomainError as exc:
                results.append(exc)
                continue
            if arrival.key:
                self.stored[arrival.key] = result.message
            results.append(result)
        self._write()
        return results

    def _plan(self, arrival: Arrival) -> IntakeResult:
        """One arrival, in memory. Everything that can refuse it runs first, so a refused arrival leaves
        the batch as it was."""
        now = timezone.now()
        at = _received(arrival.received_at, now)
        if at is None:
            raise DomainError(
                "received_at needs a time zone, e.g. 2026-11-22T10:00:00Z",
                fields={"received_at": "no time zone"},
            )
        if arrival.automatic is not None:
            return self._plan_automatic(arrival, at, now)
        case = None
        if arrival.case_reference:
            case = self.cases.get(arrival.case_reference)
            if case is None:
                raise DomainError(
                    f"There is no case {arrival.case_reference}",
                    code="not_found",
                    fields={"case_reference": "unknown case"},
                )
        else:
            points = self.customers.check(arrival.sender)
            fields = case_fields(**arrival.new_case)
        incoming = arrival.incoming(at)
        message = message_inbound(incoming, actor=self.actor, now=now)
        # Nothing below refuses the arrival.
        created = case is None
        if case is None:
            trusted = arrival.trust_date_for is None or now - at <= arrival.trust_date_for
            opened = at if trusted else now
            customer, _ = self.customers.match(arrival.sender, channel=message.channel, at=now, points=points)
            team = arrival.team if arrival.team is not None else self._team()
            case = case_new(customer=customer, team=team, opened_at=opened, **fields)
            case.reference = self.references.next(opened.year, save=False)
            self.cases[case.reference] = case
            self.new_cases.append(case)
            self.histories.add_case(_new(customer), opened)
            self.steps.append(("opened", case))
        message.case, message.customer = case, case.customer
        self.messages.append(message)
        if incoming.raw:
            self.message_sources.append(message_source(message, incoming))
        self.attachments += message_attachments(message, incoming.attachments)
        self._contact(case, message.occurred_at, message.channel, inbound=True, now=now)
        analysis = self._analyse(message)
        if created:
            reply_by = self._regime(case)
            self_harm = analysis is not None and any(s.type == "self_harm" for s in analysis.positives)
            self._acknowledge(case, message, now, reply_by, self_harm=self_harm)
        return IntakeResult(message, case, created_case=created, duplicate=False)

    def _plan_automatic(self, arrival: Arrival, at: datetime, now: datetime) -> IntakeResult:
        case = self.cases.get(arrival.case_reference)
        if case is None:
            raise DomainError(
                "Automatic mail is kept only on the case it answers",
                fields={"case_reference": "unknown case"},
            )
        incoming = arrival.incoming(at)
        message = message_inbound(incoming, actor=self.actor, now=now)
        message.case, message.customer = case, case.customer
        self.messages.append(message)
        if incoming.raw:
            self.message_sources.append(message_source(message, incoming))
        self.attachments += message_attachments(message, incoming.attachments)
        automatic = arrival.automatic
        if automatic is not None and automatic.is_bounce and automatic.failed:
            self.bounces.append(Bounce(message, automatic.original_ids, automatic.diagnostic))
        return IntakeResult(message, case, created_case=False, duplicate=False)

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

    def _analyse(self, message: Message) -> Analysis | None:
        """`signals_record`, in memory. A fault in the analyser is logged and the message kept unanalysed:
        nothing a customer sends is lost because a model failed."""
        case = message.case
        try:
            history = self.histories.history(_new(case), _new(case.customer), message.occurred_at)
            analysis = analyse(message.body_text, history)
            rows = signals_rows(message, analysis)
        except Exception:
            log.exception(
                "Signals analysis failed for message %s; the message is kept", message.idempotency_key
            )
            return None
        self.steps.append(("signals", message, analysis, rows))
        if case.pk is None:
            case.risk = max(case.risk, analysis.risk)
        else:
            self.risks[case] = max(self.risks.get(case, 0), analysis.risk)
        return analysis

    def _regime(self, case: Case) -> datetime | None:
        """The regime the organisation's rules choose for a new complaint (applied once the case is
        stored, `process_start`, its clocks starting on arrival), and the response date it holds us to:
        the latest its rules allow (an acknowledgement-based clock assumes the acknowledgement is late)."""
        if self.chooser is None:
            self.chooser = RegimeChooser()
        code = self.chooser.for_case(
            kind=case.kind, category=case.category, product=case.product, channel=case.channel
        )
        if code is None:
            return None
        key = (code, case.opened_at.date())
        if key not in self.versions:
            self.versions[key] = current_version(code, case.opened_at.date())
        version = self.versions[key]
        if version is None or not version.regime.in_use:
            return None
        self.regimes.append((case, code))
        return response_due(compute_all(version.parsed(), case.opened_at, case.customer.nation))

    def _acknowledge(
        self, case: Case, message: Message, now: datetime, reply_by: datetime | None, *, self_harm: bool
    ) -> None:
        """`message_send` of the acknowledgement: stored now, sent by the worker after commit, on the
        channel the customer wrote on when Amends reaches them there, else by email (messaging/routes.py).
        With support information first when the message spoke of self-harm."""
        subject, body = acknowledgement_text(case, reply_by, self_harm=self_harm)
        written = [(message.channel, message.idempotency_key)]
        reach = Reach(self.customers.points_of(case.customer), conversations_of(written), message.channel)
        if self.integrations is None:
            self.integrations = integrations_on()
        routes = limited(routes_for(reach, integrations=self.integrations, body=body), self._limits(case))
        ack = message_outbound(
            case=case,
            actor=None,
            body=body,
            subject=subject,
            purpose="acknowledgement",
            route=routes.default,
            channel=routes.wanted,
            now=now,
        )
        if routes.default is not None:
            self.deliveries.append(Delivery.by(ack, routes.default, _answering(message)))
        self.messages.append(ack)
        self.steps.append(("ack", ack))
        self._contact(case, now, ack.channel, inbound=False, now=now)

    def _limits(self, case: Case) -> ReplyChannels | None:
        """The channels an agreed contact arrangement leaves for replies to this customer (conduct's, through
        messaging.hooks.reply_channels): asked once per customer known before the batch, never a new one."""
        key = case.customer.pk
        if key is None:
            return None
        if key not in self.reply_limits:
            self.reply_limits[key] = reply_limits(case)
        return self.reply_limits[key]

    def _write(self) -> None:
        """Every table once, parents first. New cases are inserted as the batch left them."""
        self.customers.save(actor=None)  # intake's customers are matched or made by no one in particular
        self.references.save()
        _to_named_contacts(self.new_cases)
        cases_insert(self.new_cases)
        messages_record(self.messages, sources=self.message_sources, attachments=self.attachments)
        events, analysed = self._events()
        try:  # as signals_record in its savepoint: the messages are kept when their analysis cannot be
            with transaction.atomic():
                signals_save(analysed)
        except DatabaseError:
            log.exception("Storing the analysis of %d messages failed; the messages are kept", len(analysed))
        case_events_record(events)
        cases_contacts_save(list(self.touched.values()), status_changes=self.reopened, at=timezone.now())
        case_risks_raise(self.risks)
        for case, code in self.regimes:
            process_start(case=case, regime_code=code, actor=self.actor, received_at=case.opened_at)
        # A customer who told us they need support: their new case starts with its priority raised.
        support_needs_new_cases(self.new_cases, actor=self.actor)
        outbox_add(self.deliveries)
        messages_bounced(self.bounces)
        stored = [
            m.pk
            for m in self.messages
            if m.direction == Message.Direction.INBOUND and m.purpose not in AUTOMATIC
        ]
        if stored and len(messages_stored):
            transaction.on_commit(lambda: _tell_stored(stored))

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
            elif (sent := message_sent_event(step[1])) is not None:
                events.append(sent)
        return events, analysed


def _tell_stored(message_ids: list[int]) -> None:
    """After commit: each listener in turn, a failing one logged, never undoing or refusing an arrival."""
    for listener in messages_stored:
        try:
            listener(message_ids)
        except Exception:
            log.exception(
                "A listener to stored messages (%s) failed", getattr(listener, "__name__", listener)
            )


def _to_named_contacts(cases: list[Case]) -> None:
    """A new case of a customer whose contact arrangement names a single point of contact goes to that
    person (conduct's decision), in their team: one query for the batch."""
    if not cases:
        return
    named = named_contacts({case.customer.pk for case in cases if case.customer.pk})
    if not named:
        return
    people = {
        u.pk: u for u in get_user_model().objects.filter(pk__in=set(named.values())).select_related("staff")
    }
    for case in cases:
        person = people.get(named.get(case.customer.pk))
        if person is None:
            continue
        if owner_refusal(person, team_id=case.team_id) is not None:
            case.team_id = person.staff.team_id or case.team_id
        if owner_refusal(person, team_id=case.team_id) is None:
            case.owner = person


def _received(sent_at: datetime | None, now: datetime) -> datetime | None:
    """When a message dates from: the sender's time (feeds and imports deliver messages after the fact),
    never later than now; now when there is none; None when it has no time zone."""
    if sent_at is None:
        return now
    if sent_at.tzinfo is None:
        return None
    return min(sent_at, now)


def _answering(message: Message) -> dict[str, str]:
    """`thread_headers` of the case a message has just opened: the acknowledgement answers that message,
    so it threads in the customer's mail client (a message without an email Message-ID has none)."""
    if not message.email_message_id:
        return {}
    return {"In-Reply-To": message.email_message_id, "References": message.email_message_id}
