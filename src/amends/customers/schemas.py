"""The typed input for editing a customer: the API's PATCH body, and what the customer page's form builds.

`customer_edit` runs it: one call of `details.customer_update`, the same for the page and the API.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from ninja import Field, Schema

from .details import AddressDetails, PointDetails, customer_update
from .models import Customer

NationName = Literal["england", "wales", "scotland", "northern-ireland"]
ChannelName = Literal["email", "web_form", "phone", "face_to_face", "letter", "social", "chat", "api"]
Line = Annotated[str, Field(max_length=100)]


class ContactPointIn(Schema):
    kind: Literal["email", "phone", "social"]
    value: str = Field(..., min_length=1, max_length=300)
    is_primary: bool = Field(False, description="The main one of its kind: where replies go first")


class PostalAddressIn(Schema):
    lines: list[Line] = Field(
        ..., min_length=1, max_length=3, description="The lines above the town: house, street, locality"
    )
    town: str = Field("", max_length=100, description="Needed for a UK address")
    postcode: str = Field("", max_length=12, description="A UK address needs a valid UK postcode")
    country: str = Field("United Kingdom", max_length=60)
    for_letters: bool = Field(False, description="Letters go to this one (the first, when none is marked)")


class CustomerPatchIn(Schema):
    version: int = Field(
        ..., ge=1, description="The customer's version you read; if someone has changed it since, 409"
    )
    name: str | None = Field(None, min_length=1, max_length=200)
    nation: NationName | None = Field(
        None, description="Whose bank holidays decide the working days of every date the customer is told"
    )
    preferred_channel: ChannelName | None = None
    contact_points: list[ContactPointIn] | None = Field(
        None, max_length=20, description="Replaces the customer's email addresses, phones and handles"
    )
    postal_addresses: list[PostalAddressIn] | None = Field(
        None, max_length=10, description="Replaces the customer's postal addresses"
    )
    reason: str = Field("", max_length=1000, description="Kept in the audit record")


def customer_edit(*, customer: Customer, actor: Any, data: CustomerPatchIn) -> Customer:
    points = addresses = None
    if data.contact_points is not None:
        points = [PointDetails(p.kind, p.value, p.is_primary) for p in data.contact_points]
    if data.postal_addresses is not None:
        addresses = [
            AddressDetails(tuple(a.lines), a.town, a.postcode, a.country, a.for_letters)
            for a in data.postal_addresses
        ]
    return customer_update(
        customer=customer,
        actor=actor,
        expected_version=data.version,
        name=data.name,
        nation=data.nation,
        preferred_channel=data.preferred_channel,
        contact_points=points,
        postal_addresses=addresses,
        reason=data.reason,
    )
