"""One path: what intake stores, by batch or one email at a time, is exactly what the services below it
store when called one at a time: customers' `customer_match_or_create`, cases' `case_open`, messaging's
`message_record_inbound` and `message_send`, signals' `signals_record` (in a savepoint, as intake keeps a
message whose analysis fails).

Each side runs from the same database in a transaction that is rolled back, and is compared table by table
(tables.py says what is left out: ids, generated tokens, when rows were recorded)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.services import case_open, case_transition
from amends.core.errors import DomainError
from amends.core.models import Team
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.intake import emails
from amends.intake.arrivals import summary_of
from amends.intake.contacts import given_kind_reason
from amends.intake.mime import parse_email
from amends.intake.schemas import ContactIn
from amends.intake.services import acknowledge, intake_contact, intake_contacts, intake_email
from amends.messaging.models import Message
from amends.messaging.services import Incoming, message_existing, message_record_inbound
from amends.messaging.tasks import send_outbox
from amends.messaging.tests.channels import integration
from amends.messaging.tests.smtp import free_port
from amends.process.services import process_start
from amends.signals.services import signals_record

from .corpus import eml
from .tables import stored

pytestmark = pytest.mark.django_db

log = logging.getLogger(__name__)

ANGRY = "Third time I have called and it is still not fixed. I am furious and going to the ombudsman."
THREAT = "Sort it or I'll come round and smash the place up."


def _run(store, *, capture) -> tuple[list, dict]:
    """`store()` at the same moment, from the same database, committed as far as sending mail goes, then
    the worker's outbox step: what came out and what was stored."""
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 11, 20, 10, 0, tzinfo=UTC), tick=False), transaction.atomic():
        with capture(execute=True):
            outcomes = store()
        send_outbox(timezone.now())
        state = stored()
        transaction.set_rollback(True)
    return outcomes, state


def _outcome(result: object) -> tuple:
    if isinstance(result, DomainError):
        return ("refused", result.code, result.fields)
    return (result.case.reference, result.message.idempotency_key, result.created_case, result.duplicate)


def _analysed(message: Message) -> None:
    """What intake does with each customer's message it stores: analyses it, keeping it on a fault."""
    try:
        with transaction.atomic():
            signals_record(message)
    except Exception:
        log.exception("analysis failed")


def _intake_team() -> Team | None:
    return Team.objects.filter(slug=settings.AMENDS_INTAKE_TEAM).first()


# --- contacts ---------------------------------------------------------------------------------------


def _contact(external_id, text="My boiler is broken again.", case_reference=None, **fields):
    customer = {k: fields.pop(k) for k in ["name", "email", "phone", "handle", "nation"] if k in fields}
    if "customer_kind" in fields:
        customer["kind"] = fields.pop("customer_kind")
    return ContactIn(
        channel=fields.pop("channel", "api"),
        external_id=external_id,
        customer=customer or {"name": "Nobody"},
        text=text,
        case_reference=case_reference,
        **fields,
    )


@pytest.fixture
def waiting_and_resolved(team_leader, adviser, complaints_team):
    """Two stored cases a batch writes back to: AM-2026-000001 resolved, AM-2026-000002 waiting on the
    customer under a regime whose internal targets pause meanwhile."""
    with time_machine.travel(datetime(2026, 11, 10, 10, 0, tzinfo=UTC), tick=False):
        seed = intake_contact(_contact("seed-1", ANGRY, name="Seed Person", email="seed@example.com"))
        case_transition(case=seed.case, to="resolved", actor=adviser, reason="Engineer fixed it")
        wait = intake_contact(
            _contact("w-1", "The repair never happened.", name="Wanda Wait", email="w@ex.com")
        )
        process_start(case=wait.case, regime_code="internal-iso10002", actor=adviser)
    with time_machine.travel(datetime(2026, 11, 12, 10, 0, tzinfo=UTC), tick=False):
        case_transition(case=Case.objects.get(pk=wait.case.pk), to="awaiting_customer", actor=adviser)
    assert wait.case.clocks.filter(pauses=True, paused_at__isnull=False).exists()
    return seed.case.reference, wait.case.reference


def _mixed_batch(seed: str, wait: str) -> list[ContactIn]:
    # References are issued in order: the first new case of the batch is AM-2026-000003.
    return [
        _contact("a-1", ANGRY, name="Alex Able", email="alex@example.com"),
        _contact("b-1", "Why was I charged twice?", name="Bo Baker", phone="07700 900123"),
        _contact("a-2", "And the refund has not arrived.", name="Alex Able", email="ALEX@example.com"),
        _contact("a-3", "Any news? I am still waiting.", case_reference="AM-2026-000003"),
        _contact("bad-1", "This one has a bad email.", name="Cy Bad", email="not-an-email"),
        _contact("a-1", "The same message sent twice.", name="Alex Able", email="alex@example.com"),
        _contact("seed-1", "Already imported.", name="Seed Person", email="seed@example.com"),
        _contact("s-2", "It broke again, nobody came back to me.", case_reference=seed),
        _contact("w-2", "Here is the photo you asked for.", case_reference=wait, channel="chat"),
        _contact("b-2", "Another Bo, another address.", name="Bo  Baker", email="bo@work.example"),
        _contact("ab-1", "Both of us.", name="Alex Able", email="alex@example.com", phone="07700 900123"),
        _contact("x-1", "Unknown case.", case_reference="AM-2026-999999"),
        _contact("t-1", THREAT, name="Tom Threat", email="tom@example.com", channel="chat"),
        _contact(
            "old-1",
            "My bill is wrong again.",
            name="Olga Old",
            email="olga@example.com",
            subject="Re: [AM-2026-000001] Bill",
            kind="query",
            category="billing",
            outcome_wanted="A corrected bill",
            received_at=datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
            nation="scotland",
        ),
        _contact("naive-1", "No time zone.", name="Nia", received_at=datetime(2026, 11, 1, 9, 30)),
        _contact("h-1", "Your van blocked my drive.", handle="@drive_blocked", channel="social"),
        _contact("seed-2", "Hello again from the seed.", name="Seed Person", email="seed@example.com"),
        _contact(
            "org-1",
            "Our account is wrong.",
            name="Acme Ltd",
            email="ap@acme.example",
            kind="problem",
            customer_kind="organisation",
        ),
    ]


def _contact_by_the_services(contact: ContactIn) -> tuple:
    """`intake_contact` as the services below intake do it, one call each."""
    key = f"{contact.channel}:{contact.external_id}"
    existing = message_existing(key)
    if existing is not None:
        return (existing.case.reference, key, False, True)
    try:
        with transaction.atomic():
            return _contact_stored(contact, key)
    except DomainError as exc:
        return _outcome(exc)


def _contact_stored(contact: ContactIn, key: str) -> tuple:
    now = timezone.now()
    if contact.received_at is not None and contact.received_at.tzinfo is None:
        raise DomainError("no time zone", fields={"received_at": "no time zone"})  # intake's own rule
    at = min(contact.received_at, now) if contact.received_at else now
    c = contact.customer
    if contact.case_reference:
        case = Case.objects.filter(reference=contact.case_reference).first()
        if case is None:  # intake's own rule: the reference must name a case
            raise DomainError("no case", code="not_found", fields={"case_reference": "unknown case"})
    else:
        details = ContactDetails(
            name=c.name, email=c.email, phone=c.phone, handle=c.handle, nation=c.nation or "", kind=c.kind
        )
        customer, _ = customer_match_or_create(details=details, channel=contact.channel)
        case = case_open(
            customer=customer,
            kind=contact.kind,
            channel=contact.channel,
            summary=summary_of(contact.subject, contact.text),
            outcome_wanted=contact.outcome_wanted,
            category=contact.category,
            kind_reason=given_kind_reason(contact.kind, contact.channel),
            opened_at=at,
            team=_intake_team(),
        )
    incoming = Incoming(
        channel=contact.channel,
        body_text=contact.text,
        subject=contact.subject,
        sender=c.name or c.email or c.phone or c.handle,
        occurred_at=at,
        idempotency_key=key,
        raw=contact.model_dump_json().encode(),
        raw_content_type="application/json",
    )
    _analysed(message_record_inbound(case=case, customer=case.customer, incoming=incoming))
    if not contact.case_reference:
        acknowledge(case)
    return (case.reference, key, not contact.case_reference, False)


def test_a_mixed_batch_stores_exactly_what_the_services_store_one_at_a_time(
    waiting_and_resolved, django_capture_on_commit_callbacks
):
    contacts = _mixed_batch(*waiting_and_resolved)
    capture = django_capture_on_commit_callbacks
    expected_outcomes, expected = _run(
        lambda: [_contact_by_the_services(c) for c in contacts], capture=capture
    )
    outcomes, state = _run(lambda: [_outcome(r) for r in intake_contacts(contacts)], capture=capture)

    assert outcomes == expected_outcomes
    for table in expected:
        assert state[table] == expected[table], table
    # and the batch covered what it should
    kinds = [o[0] if o[0] == "refused" else (o[2], o[3]) for o in outcomes]
    new, added, duplicate = (True, False), (False, False), (False, True)
    assert kinds == [
        new,
        new,
        new,
        added,
        "refused",
        duplicate,
        duplicate,
        added,
        added,
        new,
        new,
        "refused",
        new,
        new,
        "refused",
        new,
        new,
        new,
    ]
    events = {e[1] for e in state["case events"]}
    assert events >= {"opened", "reopened", "status_changed", "signals_found", "safety_alert"}
    assert {m[13] for m in state["messages"] if m[4] == "acknowledgement"} >= {"sent", "no_address"}
    assert len(state["merge suggestions"]) == 2 and state["notifications"] and state["analyses"]
    # the customer's reply restarted the paused internal targets (cases' status hook, process's clocks)
    assert [c for c in state["clocks"] if c[3] and c[6] is not None] == []


def test_acknowledgements_go_on_the_customers_channel_from_a_batch_as_one_at_a_time(
    waiting_and_resolved, admin_user, django_capture_on_commit_callbacks
):
    """With an integration for social media and chat, an acknowledgement of a post or a chat goes through
    it, in a batch as one at a time (messaging/routes.py); its host is down, so both retry alike."""
    integration(admin_user, url=f"http://127.0.0.1:{free_port()}/hook")
    contacts = _mixed_batch(*waiting_and_resolved)
    capture = django_capture_on_commit_callbacks
    _, expected = _run(lambda: [_contact_by_the_services(c) for c in contacts], capture=capture)
    _, state = _run(lambda: [_outcome(r) for r in intake_contacts(contacts)], capture=capture)

    for table in expected:
        assert state[table] == expected[table], table
    webhooks = [o for o in state["outbox"] if o[1] == "webhook"]
    assert {(o[2], o[3], o[4]["In-Reply-To"]) for o in webhooks} == {
        ("Social inbox", "@drive_blocked", "h-1"),
        ("Social inbox", "t-1", "t-1"),  # a chat: answered in its conversation
    }


# --- email ------------------------------------------------------------------------------------------

# What the reply fixture holds where the real acknowledgement Message-ID and case reference go.
FIXTURE_ACK_ID = b"<176337084512.40123.9051725593815502431@amends.example>"
FIXTURE_REFERENCE = b"AM-2026-000001"


def _ack_id(reference: str) -> bytes:
    return Message.objects.get(case__reference=reference, purpose="acknowledgement").email_message_id.encode()


def _emails(receive, adviser) -> list[tuple]:
    """A mailbox's day: new emails, replies threaded by header and by reference, a stranger quoting someone
    else's reference, the same email twice, a reply that re-opens a resolved case."""
    outcomes = [receive(eml("thunderbird_attachments.eml")), receive(eml("gmail_alternative.eml"))]
    sarah = outcomes[-1][0]
    reply = eml("gmail_reply.eml").replace(FIXTURE_ACK_ID, _ack_id(sarah))
    outcomes.append(receive(reply.replace(FIXTURE_REFERENCE, sarah.encode())))
    outcomes.append(receive(eml("iphone_reference_subject.eml").replace(FIXTURE_REFERENCE, sarah.encode())))
    outcomes.append(receive(eml("outlook_reference_stranger.eml").replace(FIXTURE_REFERENCE, sarah.encode())))
    outcomes += [receive(eml("scanner_no_message_id.eml")) for _ in range(2)]
    outcomes.append(receive(eml("gmail_alternative.eml")))
    case_transition(case=Case.objects.get(reference=sarah), to="resolved", actor=adviser, reason="Refunded")
    again = reply.replace(b"<CAJ7qL0kR2eWm8Zt5Vb3Nx6Qy4Ls9Pd1Hf7Gj0Ak2Uc@", b"<CAJ7qL0again@")
    outcomes.append(receive(again.replace(b"meter reading", b"second meter reading")))
    outcomes += [receive(eml(name)) for name in ("android_base64.eml", "html_only_script.eml")]
    return outcomes


def _email_by_the_services(raw: bytes) -> tuple:
    """`intake_email` as the services below intake do it, one call each (threading is intake's own)."""
    parsed = parse_email(raw)
    key = f"email:{parsed.message_id.lower()}" if parsed.message_id else f"sha256:{parsed.sha256}"
    existing = message_existing(key)
    if existing is not None:
        return (existing.case.reference, key, False, True)
    with transaction.atomic():
        now = timezone.now()
        at = min(parsed.date, now) if parsed.date else now
        case = emails._thread_case(parsed)
        created = case is None
        if case is None:
            details = ContactDetails(name=parsed.from_name, email=parsed.from_address)
            customer, _ = customer_match_or_create(details=details, channel="email")
            case = case_open(
                customer=customer,
                kind=settings.AMENDS_EMAIL_DEFAULT_KIND,
                channel="email",
                summary=summary_of(parsed.subject, parsed.text),
                kind_reason="Arrived at the complaints mailbox",
                opened_at=at if now - at <= timedelta(days=7) else now,
                team=_intake_team(),
            )
        incoming = emails._incoming(parsed, raw, key, at)
        _analysed(message_record_inbound(case=case, customer=case.customer, incoming=incoming))
        if created:
            acknowledge(case)
    return (case.reference, key, created, False)


def test_email_intake_stores_exactly_what_the_services_store(
    complaints_team, adviser, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    expected_outcomes, expected = _run(lambda: _emails(_email_by_the_services, adviser), capture=capture)
    outcomes, state = _run(lambda: _emails(lambda raw: _outcome(intake_email(raw)), adviser), capture=capture)

    assert outcomes == expected_outcomes
    for table in expected:
        assert state[table] == expected[table], table
    kinds = [(o[2], o[3]) for o in outcomes]
    new, added, duplicate = (True, False), (False, False), (False, True)
    assert kinds == [new, new, added, added, new, new, duplicate, duplicate, added, new, new]
    assert len({o[0] for o in outcomes}) == 6 and outcomes[2][0] == outcomes[3][0] == outcomes[8][0]
    assert {e[1] for e in state["case events"]} >= {"opened", "reopened", "acknowledgement_sent"}
    assert len(state["attachments"]) == 2 and len(state["emails sent"]) == 6
    replies_to = [e[3].get("In-Reply-To") for e in state["emails sent"]]
    assert replies_to[0] == "<b7d1e0c4-3a92-4f1e-9d3b-2c6a8e5f7a10@laposte.net>"
    assert None in replies_to  # the scanner's email has no Message-ID to answer
