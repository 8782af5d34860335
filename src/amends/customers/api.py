from __future__ import annotations

from datetime import datetime

from django.http import Http404
from ninja import Field, Query, Router, Schema

from amends.core.api_errors import errors
from amends.core.cursors import decode_id_cursor, encode_id_cursor
from amends.core.errors import DomainError
from amends.core.permissions import can_edit_customers, require

from .models import ContactPoint
from .normalise import normalise_email, normalise_phone
from .schemas import CustomerPatchIn, customer_edit
from .selectors import visible_customer, visible_customers

router = Router(tags=["customers"])


class ContactPointOut(Schema):
    kind: str
    value: str
    is_primary: bool


class PostalAddressOut(Schema):
    lines: list[str]
    town: str
    postcode: str
    country: str
    for_letters: bool


class CustomerOut(Schema):
    id: int
    kind: str
    name: str
    nation: str
    preferred_channel: str
    created_at: datetime
    merged_into_id: int | None
    version: int = Field(..., description="Send it back when you change the customer")


class CustomerDetailOut(CustomerOut):
    contact_points: list[ContactPointOut]
    postal_addresses: list[PostalAddressOut]

    @staticmethod
    def resolve_contact_points(obj):
        return list(obj.contact_points.all())

    @staticmethod
    def resolve_postal_addresses(obj):
        return list(obj.postal_addresses.all())


class CustomerPage(Schema):
    items: list[CustomerOut]
    next_cursor: str | None


class CustomerListQuery(Schema):
    email: str = Field("", max_length=254, description="Find by email address")
    phone: str = Field("", max_length=40, description="Find by phone number")
    cursor: str = Field("", max_length=20, description="The next_cursor of the previous page")
    limit: int = Field(25, ge=1, le=100)


@router.get(
    "", response={200: CustomerPage, **errors(400, 422)}, summary="List customers you can see, newest first"
)
def list_customers(request, params: Query[CustomerListQuery]):
    qs = visible_customers(request.auth)
    if params.email or params.phone:
        normalised = normalise_email(params.email) if params.email else normalise_phone(params.phone)
        if normalised is None:
            raise DomainError("That is not an email address or phone number", fields={"email": "invalid"})
        qs = qs.filter(id__in=ContactPoint.objects.filter(normalised=normalised).values("customer_id"))
    if params.cursor:
        after = decode_id_cursor(params.cursor)
        if after is None:
            raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
        qs = qs.filter(id__lt=after)
    rows = list(qs.order_by("-id")[: params.limit + 1])
    next_cursor = encode_id_cursor(rows[params.limit - 1].pk) if len(rows) > params.limit else None
    return {"items": rows[: params.limit], "next_cursor": next_cursor}


@router.get("/{customer_id}", response={200: CustomerDetailOut, **errors(404, 422)})
def get_customer(request, customer_id: int):
    customer = visible_customer(request.auth, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    return customer


@router.patch(
    "/{customer_id}",
    response={200: CustomerDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Change a customer's name, nation, preferred channel, contact points or postal addresses",
)
def update_customer(request, customer_id: int, payload: CustomerPatchIn):
    customer = visible_customer(request.auth, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    require(can_edit_customers(request.auth), "Assessors read customers' records; they change nothing")
    return customer_edit(customer=customer, actor=request.auth, data=payload)
