"""Contacts over the API: a customer's message that opens a case or adds to one, and a further message
on a known case. Both run intake, as email and the web form do.

The endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working.
"""

from __future__ import annotations

from ninja import Field, Schema, Status

from amends.cases.api import CaseDetailOut, router
from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.moments import Moment

from .schemas import ChannelName, ContactIn
from .services import intake_contact


class CaseMessageIn(Schema):
    """A further message from the customer on this case."""

    channel: ChannelName
    external_id: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=300)
    received_at: Moment | None = None


class IntakeOut(Schema):
    case: CaseDetailOut
    message_id: int
    created_case: bool
    duplicate: bool


@router.post(
    "",
    response={200: IntakeOut, 201: IntakeOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record a contact: opens a case or adds to one",
    operation_id="amends_cases_api_create_case",
)
def create_case(request, payload: ContactIn):
    if payload.case_reference:
        case_for(request.auth, payload.case_reference, work=True)
    result = intake_contact(payload, actor=request.auth)
    case = Case.objects.select_related("customer", "owner", "team").get(pk=result.case.pk)
    body = {
        "case": case,
        "message_id": result.message.pk,
        "created_case": result.created_case,
        "duplicate": result.duplicate,
    }
    return Status(200 if result.duplicate else 201, body)


@router.post(
    "/{reference}/messages",
    response={200: IntakeOut, 201: IntakeOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Add a customer's message to the case (idempotent by external_id)",
    operation_id="amends_cases_api_add_message",
)
def add_message(request, reference: str, payload: CaseMessageIn):
    case = case_for(request.auth, reference, work=True)
    contact = ContactIn(
        channel=payload.channel,
        external_id=payload.external_id,
        text=payload.text,
        subject=payload.subject,
        received_at=payload.received_at,
        case_reference=case.reference,
        customer={"name": case.customer.name},
    )
    result = intake_contact(contact, actor=request.auth)
    case.refresh_from_db()
    body = {
        "case": case,
        "message_id": result.message.pk,
        "created_case": False,
        "duplicate": result.duplicate,
    }
    return Status(200 if result.duplicate else 201, body)
