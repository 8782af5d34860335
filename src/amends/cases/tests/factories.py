"""Small builders for tests: a customer with a case, made through the real services."""

from __future__ import annotations

import itertools

from amends.cases.services import case_open
from amends.customers.services import ContactDetails, customer_match_or_create
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact

_counter = itertools.count(1)


def make_case(
    *,
    team=None,
    owner=None,
    kind="complaint",
    channel="email",
    summary="Refund not received",
    email=None,
    name="Pat Customer",
):
    n = next(_counter)
    customer, _ = customer_match_or_create(
        details=ContactDetails(name=name, email=email or f"customer{n}@example.com")
    )
    return case_open(customer=customer, kind=kind, channel=channel, summary=summary, team=team, owner=owner)


def make_contact_case(
    *,
    text="My refund has not arrived after three weeks.",
    email="pat@example.com",
    external_id=None,
    channel="web_form",
):
    n = next(_counter)
    contact = ContactIn(
        channel=channel,
        external_id=external_id or f"ext-{n}",
        text=text,
        customer={"name": "Pat Customer", "email": email},
        subject="Refund not received",
    )
    return intake_contact(contact)
