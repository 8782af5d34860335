"""A customer's support needs over the API: only to the roles the record allows (404 for anyone else, so
nobody can tell whether there is one)."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema, Status

from amends.core.api_errors import errors
from amends.core.permissions import can_record_support_needs, require
from amends.customers.selectors import visible_customer

from .models import SupportNeedsVersion
from .schemas import SupportNeedsEndIn, SupportNeedsIn
from .selectors import describe, may_read_support_needs, support_needs_for, support_needs_history
from .services import support_needs_end, support_needs_save

router = Router(tags=["care"])


class SupportNeedsOut(Schema):
    version: int
    status: str
    summary: str
    drivers: list[str]
    characteristics: list[str]
    circumstances: str
    preferred_channel: str
    formats: list[str]
    language: str
    extra_time: bool
    third_party_name: str
    third_party_kind: str
    third_party_contact: str
    other_adjustments: str
    disclosed_via: str
    lawful_basis: str
    lawful_basis_note: str
    visible_to: list[str]
    review_on: date | None
    recorded_at: datetime
    recorded_by: int | None
    reason: str


class SupportNeedsPage(Schema):
    current: SupportNeedsOut | None
    history: list[SupportNeedsOut]


def _out(version: SupportNeedsVersion) -> dict:
    fields = {f: getattr(version, f) for f in SupportNeedsOut.model_fields if hasattr(version, f)}
    return fields | {
        "version": version.number,
        "summary": describe(version),
        "recorded_by": version.recorded_by_id,
    }


def _customer(request, customer_id: int):
    customer = visible_customer(request.auth, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    return customer


@router.get(
    "/{customer_id}/support-needs",
    response={200: SupportNeedsPage, **errors(404, 422)},
    summary="A customer's support needs and their history (only the roles the record allows)",
)
def get_support_needs(request, customer_id: int):
    customer = _customer(request, customer_id)
    if not may_read_support_needs(request.auth, customer):
        raise Http404("No such customer that you can see")
    current = support_needs_for(request.auth, customer)
    history = support_needs_history(request.auth, customer)
    return {"current": _out(current) if current else None, "history": [_out(v) for v in history]}


@router.post(
    "/{customer_id}/support-needs",
    response={201: SupportNeedsOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record a customer's support needs, or change them (send the version you read)",
)
def save_support_needs(request, customer_id: int, payload: SupportNeedsIn):
    customer = _customer(request, customer_id)
    require(can_record_support_needs(request.auth), "You can read support needs but not record them")
    if not may_read_support_needs(request.auth, customer):
        raise Http404("No such customer that you can see")
    return Status(201, _out(support_needs_save(customer=customer, actor=request.auth, data=payload)))


@router.post(
    "/{customer_id}/support-needs/end",
    response={201: SupportNeedsOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="End a customer's support needs (they no longer apply); the history stays",
)
def end_support_needs(request, customer_id: int, payload: SupportNeedsEndIn):
    customer = _customer(request, customer_id)
    require(can_record_support_needs(request.auth), "You can read support needs but not end them")
    if support_needs_for(request.auth, customer) is None:
        raise Http404("No such customer that you can see")
    version = support_needs_end(
        customer=customer, actor=request.auth, version=payload.version, reason=payload.reason
    )
    return Status(201, _out(version))
