from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from amends.core.api_errors import errors
from amends.core.cursors import decode_id_cursor, encode_id_cursor
from amends.core.errors import DomainError
from amends.core.permissions import can_edit_customers, can_raise_colleague_alerts, require

from .alerts import alerts_live, colleague_alert_close, colleague_alert_raise
from .models import ColleagueAlert, ContactPoint
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


class ColleagueAlertIn(Schema):
    kind: Literal["may_reopen", "may_contact", "other"] = Field(
        ..., description="may_reopen: may re-open the matter; may_contact: may contact the colleague named"
    )
    text: str = Field(..., max_length=500, description="Why, and what whoever deals with them next should do")
    expires_on: date | None = Field(None, description="When it lapses: after today, within a year (90 days)")
    contact: str | None = Field(None, max_length=150, description="The username of the colleague it names")


class ColleagueAlertCloseIn(Schema):
    reason: str = Field("", max_length=300)


class ColleagueAlertOut(Schema):
    id: int
    customer_id: int
    kind: str
    text: str
    raised_by: str
    raised_at: datetime
    expires_on: date
    contact: str | None
    closed_at: datetime | None

    @staticmethod
    def resolve_raised_by(obj):
        return obj.raised_by.get_username()

    @staticmethod
    def resolve_contact(obj):
        return obj.contact.get_username() if obj.contact_id else None


def _visible(request, customer_id: int):
    customer = visible_customer(request.auth, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    return customer


@router.get(
    "/{customer_id}/alerts",
    response={200: list[ColleagueAlertOut], **errors(404, 422)},
    summary="The colleague alerts in force on a customer",
)
def list_alerts(request, customer_id: int):
    return list(alerts_live([_visible(request, customer_id).pk]))


@router.post(
    "/{customer_id}/alerts",
    response={201: ColleagueAlertOut, **errors(400, 403, 404, 413, 422)},
    summary="Raise a colleague alert on a customer for whoever deals with them next",
)
def raise_alert(request, customer_id: int, payload: ColleagueAlertIn):
    customer = _visible(request, customer_id)
    contact = None
    if payload.contact:
        contact = get_user_model().objects.filter(username=payload.contact, staff__isnull=False).first()
        if contact is None:
            raise DomainError(f"No staff member {payload.contact!r}", fields={"contact": "unknown user"})
    alert = colleague_alert_raise(
        customer=customer,
        actor=request.auth,
        kind=payload.kind,
        text=payload.text,
        expires_on=payload.expires_on,
        contact=contact,
    )
    return HttpStatus(201, alert)


@router.post(
    "/{customer_id}/alerts/{alert_id}/close",
    response={200: ColleagueAlertOut, **errors(400, 403, 404, 413, 422)},
    summary="Close a colleague alert: it leaves every screen, the record stays",
)
def close_alert(request, customer_id: int, alert_id: int, payload: ColleagueAlertCloseIn):
    customer = _visible(request, customer_id)
    require(can_raise_colleague_alerts(request.auth), "You can read alerts on customers but not close them")
    alert = ColleagueAlert.objects.filter(pk=alert_id, customer=customer).first()
    if alert is None:
        raise Http404("No such alert on this customer")
    return colleague_alert_close(alert=alert, actor=request.auth, reason=payload.reason)
