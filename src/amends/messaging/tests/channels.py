"""Builders for the channel tests: an integration, and customers who wrote on social media, chat or SMS."""

from __future__ import annotations

from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact
from amends.messaging.integrations import integration_add
from amends.messaging.models import Integration
from amends.messaging.schemas import IntegrationIn

SECRET = "test-secret-0123456789abcdef0123"


def integration(
    admin, *, url="http://127.0.0.1:9/amends", channels=("social", "chat"), name="Social inbox"
) -> Integration:
    made, _ = integration_add(
        data=IntegrationIn(name=name, channels=list(channels), url=url, secret=SECRET), actor=admin
    )
    return made


def contact_case(channel: str, external_id: str, *, text="Still no hot water. Third week now.", **customer):
    """A case opened by a customer's message on `channel`, as its feed posts it to intake."""
    contact = ContactIn(
        channel=channel,
        external_id=external_id,
        customer={"name": "Sam Patel", **customer},
        text=text,
    )
    return intake_contact(contact).case
