"""Structured contacts: API posts, JSON files, social posts, chat transcripts, and the public complaint
form. A batch of contacts is one transaction; one contact is the batch of one."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction

from amends.care.services import Disclosure, support_needs_disclosed
from amends.cases.models import CaseKind
from amends.core.errors import DomainError
from amends.customers.models import Channel
from amends.customers.services import ContactDetails
from amends.messaging.services import Incoming

from .arrivals import Arrival, IntakeResult, arrivals_store, summary_of
from .schemas import ContactIn


def intake_contact(contact: ContactIn, *, actor: Any = None, source: bytes = b"") -> IntakeResult:
    """One contact: the batch of one. DomainError when it is refused."""
    result = intake_contacts([contact], actor=actor, sources=[source])[0]
    if isinstance(result, DomainError):
        raise result
    return result


def intake_contacts(
    contacts: list[ContactIn], *, actor: Any = None, sources: list[bytes] | None = None
) -> list[IntakeResult | DomainError]:
    """Import contacts in one transaction, with the meaning of `intake_contact` on each in order
    (`arrivals_store`): a refused contact gets its DomainError in the results and changes nothing."""
    sources = sources or [b""] * len(contacts)
    return arrivals_store([_arrival(c, s) for c, s in zip(contacts, sources, strict=True)], actor=actor)


def intake_web_form(
    *, form_token: str, data: dict[str, str], ip: str = "", support: Disclosure | None = None
) -> IntakeResult:
    """A complaint from the public form. `form_token` is issued with the form, so a double submit is one.

    What the customer told us about their support needs (`support`, with their consent) is recorded in the
    same transaction as the complaint: both are kept or neither is, and the form, still holding every word,
    says what to put right. It is not in the message's source, which everyone who sees the case may read."""
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
        product=data.get("product", ""),
        outcome_wanted=data.get("outcome_wanted", ""),
    )
    source = json.dumps({"fields": data, "client_address": ip}, ensure_ascii=False).encode()
    with transaction.atomic():
        result = intake_contact(contact, source=source)
        if support is not None and support.says_something and not result.duplicate:
            support_needs_disclosed(customer=result.case.customer, disclosure=support, via="complaint_form")
    return result


def _arrival(contact: ContactIn, source: bytes) -> Arrival:
    key = f"{contact.channel}:{contact.external_id}"[:300]
    c = contact.customer
    return Arrival(
        key=key,
        received_at=contact.received_at,
        incoming=partial(_incoming, contact, key, source),
        case_reference=contact.case_reference or "",
        sender=ContactDetails(
            name=c.name, email=c.email, phone=c.phone, handle=c.handle, nation=c.nation or "", kind=c.kind
        ),
        new_case={
            "kind": contact.kind,
            "channel": contact.channel,
            "summary": summary_of(contact.subject, contact.text),
            "outcome_wanted": contact.outcome_wanted,
            "category": contact.category,
            "product": contact.product,
            "kind_reason": given_kind_reason(contact.kind, contact.channel),
        },
    )


def given_kind_reason(kind: str, channel: str) -> str:
    """Why a contact is the kind it is when the system it came from said so, in words an adviser reads
    on the case page (a channel's label, not its code: "Web form", not "web_form")."""
    return f"{Channel(channel).label}: it arrived marked as a {CaseKind(kind).label.lower()}"


def _incoming(contact: ContactIn, key: str, source: bytes, at: datetime) -> Incoming:
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
