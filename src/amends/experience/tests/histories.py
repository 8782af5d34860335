"""A customer's history made through the services, for the customer's view's tests and browser tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from amends.cases.services import case_assign, case_transition
from amends.cases.tests.factories import make_case
from amends.messaging.services import Incoming, message_log_contact, message_send
from amends.process.letters import process_compose_letter
from amends.process.promises import promise_break, promise_keep, promise_make
from amends.process.services import process_send_letter, process_start
from amends.process.steps import understanding_confirm, understanding_record

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LETTER = {"complaint_definition": "The charge", "contact_details": "Call 0300 000 0000"}


def no_pdf(html: str) -> bytes:
    """Letters are rendered to PDF by WeasyPrint, a fifth of a second each: the story needs only that they
    were sent (monkeypatched over amends.letters.rendering.render_pdf)."""
    return b"%PDF-1.7\n% test\n"


def _inbound(case, at, channel, text, key):
    from amends.intake.services import intake_message

    incoming = Incoming(channel=channel, body_text=text, occurred_at=at, sender="Grace", idempotency_key=key)
    with time_machine.travel(at, tick=False):
        intake_message(case=case, incoming=incoming)


def build_history(*, email, cases, rounds, team, adviser, handler, leader):
    """A customer with `cases` complaints, each `rounds` times round: an email and a wait, a reply, a call
    when the next went unanswered, a promise kept and one broken, a hand-over; a printed letter, their
    confirmation on the status page, and a re-open on the first."""
    made = []
    for n in range(cases):
        opened = START + timedelta(days=n * 30)
        with time_machine.travel(opened, tick=False):
            case = make_case(team=team, email=email, name="Grace Okafor", summary=f"Matter {n}")
            process_start(case=case, regime_code="hos-2024", actor=leader)
            case_assign(
                case=case,
                owner=adviser,
                actor=leader,
                reason="workload",
                note="Over to you: see the timeline.",
            )
        for r in range(rounds):
            t = opened + timedelta(days=r * 6, hours=1)
            _inbound(case, t, "email", "I have emailed again and nobody has replied.", f"m-{email}-{n}-{r}")
            with time_machine.travel(t + timedelta(days=3), tick=False):
                message_log_contact(
                    case=case, actor=handler, channel="phone", direction="in", summary="Rang: still no reply"
                )
            with time_machine.travel(t + timedelta(days=3, hours=2), tick=False):
                message_send(case=case, actor=adviser, body="Sorry for the wait: here is where we are.")
                kept = promise_make(
                    case=case, actor=adviser, description="Call back", due_at=t + timedelta(days=4)
                )
                broken = promise_make(
                    case=case, actor=adviser, description="Refund the charge", due_at=t + timedelta(days=4)
                )
            with time_machine.travel(t + timedelta(days=3, hours=5), tick=False):
                promise_keep(promise=kept, actor=adviser)
            with time_machine.travel(t + timedelta(days=5), tick=False):
                promise_break(promise=broken, actor=adviser, note="Refund not made in time")
                case_assign(
                    case=case,
                    owner=handler if r % 2 == 0 else adviser,
                    actor=leader,
                    reason="leave",
                    note="On leave: see the timeline.",
                )
        with time_machine.travel(opened + timedelta(days=rounds * 6 + 1), tick=False):
            letter = process_compose_letter(case=case, kind="acknowledgement", actor=handler, fields=LETTER)
            process_send_letter(letter=letter, actor=handler, by="print")
            understanding = understanding_record(
                case=case, actor=handler, what_happened="Charged", impact="Overdrawn", outcome_wanted="Refund"
            )
        with time_machine.travel(opened + timedelta(days=rounds * 6 + 2), tick=False):
            understanding_confirm(understanding=understanding, via="customer status page")
        made.append(case)
    first = made[0]
    with time_machine.travel(START + timedelta(days=cases * 30 + 1), tick=False):
        case_transition(case=first, to="resolved", actor=handler)
    _inbound(first, START + timedelta(days=cases * 30 + 2), "sms", "It is not fixed.", f"m-{email}-again")
    return made
