"""Intake: every channel's way in, each idempotent and transactional, all along one path.

What other apps, the API, the CLI and the views call. Email (emails.py) and structured contacts
(contacts.py) read their messages into arrivals; arrivals.py stores them: the customer, the case, the
message with its source, its analysis and the acknowledgement, in the transaction that stores the message.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.messaging.services import Incoming, message_send
from amends.process.letters import case_response_due

from .arrivals import Arrival, IntakeResult, acknowledgement_text, arrivals_store, status_url
from .contacts import intake_contact, intake_contacts, intake_web_form
from .emails import held_email_release, intake_email, split_mbox
from .held import HeldResult


def intake_message(*, case: Case, incoming: Incoming, actor: Any = None) -> IntakeResult:
    """A customer's message on a known case, from a channel intake has no reader for (the demo's seeding):
    stored with the contact noted on the case and the message analysed, as every arriving message is.
    DomainError when it is refused."""

    def dated(at: datetime) -> Incoming:
        return replace(incoming, occurred_at=at)

    arrival = Arrival(
        key=incoming.idempotency_key,
        received_at=incoming.occurred_at,
        incoming=dated,
        case_reference=case.reference,
    )
    result = arrivals_store([arrival], actor=actor)[0]
    if isinstance(result, DomainError):
        raise result
    return result


def acknowledge(case: Case) -> None:
    """Tell the customer we have it, what happens next and how to follow it (CFACSC7 4, W 13); where to
    get help now when they spoke of self-harm and nobody has dismissed it."""
    self_harm = case.signals.filter(type="self_harm").exclude(verdict="dismissed").exists()
    subject, body = acknowledgement_text(case, case_response_due(case), self_harm=self_harm)
    message_send(case=case, actor=None, body=body, subject=subject, purpose="acknowledgement")


__all__ = [
    "HeldResult",
    "IntakeResult",
    "acknowledge",
    "acknowledgement_text",
    "held_email_release",
    "intake_contact",
    "intake_contacts",
    "intake_email",
    "intake_message",
    "intake_web_form",
    "split_mbox",
    "status_url",
]
