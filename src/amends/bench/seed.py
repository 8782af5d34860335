"""Bulk data for benchmarks and flat-query tests: many cases fast, bypassing the services on purpose.

Rows are shaped like the services make them (reference, token, events, messages), but inserted with
bulk_create in batches so a million cases load in minutes. Never used for real data.
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.lifecycle import Status
from amends.cases.models import Case, ReferenceCounter
from amends.cases.services import (
    case_event,
    case_events_record,
    cases_insert,
    format_reference,
    response_target,
)
from amends.customers.models import Channel, ContactPoint, Customer
from amends.customers.normalise import name_key
from amends.messaging.models import Message
from amends.messaging.services import Incoming, message_inbound, message_outbound, messages_record

WORDS = [
    "refund",
    "late",
    "delivery",
    "charge",
    "bill",
    "broken",
    "boiler",
    "repair",
    "rent",
    "damp",
    "mould",
    "overcharged",
    "account",
    "closed",
    "card",
    "blocked",
    "payment",
    "missing",
    "engineer",
    "appointment",
    "cancelled",
    "complaint",
    "mortgage",
    "arrears",
    "fee",
    "broadband",
    "outage",
    "meter",
    "reading",
    "estimate",
    "direct",
    "debit",
    "letter",
    "rude",
    "staff",
    "noise",
    "neighbour",
    "heating",
    "leak",
    "window",
    "door",
    "lift",
]
# Words that appear only in messages (inbound and our replies), never in a summary, so a search for one
# finds cases by their messages alone.
MESSAGE_WORDS = [
    "repossession",
    "bailiff",
    "ombudsman",
    "vulnerable",
    "bereavement",
    "hardship",
    "eviction",
    "solicitor",
    "overdraft",
    "compensation",
    "disconnection",
    "wheelchair",
    "carer",
    "pension",
    "fraud",
    "insulation",
    "asbestos",
    "subsidence",
    "guarantor",
    "probate",
]
REPLY_SHARE = 3  # one case in this many has a reply from us
FIRST = [
    "Alex",
    "Sam",
    "Jo",
    "Chris",
    "Pat",
    "Morgan",
    "Jamie",
    "Robin",
    "Taylor",
    "Jordan",
    "Casey",
    "Riley",
    "Ali",
    "Priya",
    "Mohammed",
    "Aisha",
    "Tom",
    "Ewan",
]
LAST = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Patel",
    "Khan",
    "Murray",
    "Campbell",
    "Kelly",
    "Hughes",
    "Roberts",
]
STATUSES = [
    Status.NEW,
    Status.OPEN,
    Status.OPEN,
    Status.AWAITING_CUSTOMER,
    Status.RESOLVED,
    Status.CLOSED,
    Status.CLOSED,
    Status.CLOSED,
]
CHANNELS = [c.value for c in Channel]
KINDS = ["complaint", "complaint", "problem", "query"]


def bulk_seed(
    *,
    cases: int,
    teams: list,
    owners: list,
    batch: int = 5000,
    seed: int = 1,
    cases_per_customer: int = 3,
    progress=None,
    statuses=None,
    after_batch=None,
) -> None:
    """Insert `cases` cases (each with one inbound message and one event, a third with a reply from us)
    over ~cases/3 customers.

    `statuses` limits the statuses drawn; `after_batch(created_cases)` runs inside each batch's transaction.
    """
    rng = random.Random(seed)
    now = timezone.now()
    year = now.year
    counter, _ = ReferenceCounter.objects.get_or_create(year=year)
    # An interrupted earlier run may have left cases without moving the counter on.
    start = max(counter.last, Case.objects.filter(reference__startswith=f"AM-{year}-").count())
    done = 0
    while done < cases:
        n = min(batch, cases - done)
        with transaction.atomic():
            customers = _customers(rng, max(1, n // cases_per_customer), now, start + done)
            created = _cases(rng, n, customers, teams, owners, now, year, start + done, statuses or STATUSES)
            _messages_and_events(rng, created)
            if after_batch:
                after_batch(created)
            ReferenceCounter.objects.filter(year=year).update(last=start + done + n)
        done += n
        if progress:
            progress(done)


def _customers(rng, n, now, offset):
    rows = []
    for _ in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        rows.append(
            Customer(name=name, name_key=name_key(name), created_at=now - timedelta(days=rng.randint(0, 900)))
        )
    Customer.objects.bulk_create(rows, batch_size=1000)
    if rows[0].pk is None:  # backends without RETURNING on bulk insert
        rows = list(Customer.objects.order_by("-id")[:n])[::-1]
    ContactPoint.objects.bulk_create(
        [
            ContactPoint(
                customer=c,
                kind="email",
                value=f"c{offset + i}@example.com",
                normalised=f"c{offset + i}@example.com",
                is_primary=True,
                created_at=c.created_at,
            )
            for i, c in enumerate(rows)
        ],
        batch_size=1000,
    )
    return rows


def _cases(rng, n, customers, teams, owners, now, year, offset, statuses):
    rows = []
    for i in range(n):
        opened = now - timedelta(minutes=rng.randint(0, 60 * 24 * 365))
        kind = rng.choice(KINDS)
        status = rng.choice(statuses)
        team = rng.choice(teams) if teams else None
        owner_pool = [o for o in owners if team is None or o.staff.team_id in (None, team.pk)]
        owner = rng.choice(owner_pool) if owner_pool and rng.random() < 0.8 else None
        summary = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        rows.append(
            Case(
                reference=format_reference(year, offset + i + 1),
                kind=kind,
                status=status.value,
                customer=customers[i % len(customers)],
                owner=owner,
                team=team,
                channel=rng.choice(CHANNELS),
                summary=summary,
                opened_at=opened,
                updated_at=opened,
                last_activity_at=opened,
                respond_by=response_target(kind, opened),
                closed_at=opened if status == Status.CLOSED else None,
                public_token=secrets.token_urlsafe(32),
            )
        )
    cases_insert(rows)
    if rows[0].pk is None:
        rows = list(Case.objects.order_by("-id")[:n])[::-1]
    return rows


def _inbound(case: Case, rng) -> Message:
    worries = " and ".join(rng.sample(MESSAGE_WORDS, 2))
    incoming = Incoming(
        channel=case.channel,
        subject=case.summary,
        sender="customer",
        body_text=f"{case.summary}. I am worried about {worries}. Please sort this out.",
        occurred_at=case.opened_at,
    )
    message = message_inbound(incoming, actor=None, now=case.opened_at)
    message.case, message.customer_id = case, case.customer_id
    return message


def _reply(case: Case, rng) -> Message:
    body = f"We are sorry. We have looked into the {rng.choice(MESSAGE_WORDS)} you raised and will call you."
    at = case.opened_at + timedelta(hours=1)
    return message_outbound(case=case, actor=None, body=body, subject="", purpose="reply", route=None, now=at)


def _messages_and_events(rng, cases):
    messages_record([_inbound(c, rng) for c in cases] + [_reply(c, rng) for c in cases[::REPLY_SHARE]])
    case_events_record(
        case_event(c, kind=EventKind.OPENED, actor=None, at=c.opened_at, after={"kind": c.kind})
        for c in cases
    )
