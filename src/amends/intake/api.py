"""Contacts over the API: a customer's message that opens a case or adds to one, and a further message
on a known case. Both run intake, as email and the web form do.

The endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working.
"""

from __future__ import annotations

from ninja import Field, Schema, Status

from amends.cases.api import CaseDetailOut, router
from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.errors import NotFound
from amends.core.moments import Moment
from amends.core.permissions import can_record_contacts, require

from .schemas import ChannelName, ContactIn
from .services import IntakeResult, intake_contact


class CaseMessageIn(Schema):
    """A further message from the customer on this case."""

    channel: ChannelName
    external_id: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=300)
    received_at: Moment | None = None


class IntakeOut(Schema):
    case: CaseDetailOut | None = Field(
        None,
        description="The case the message is on, when it is one you can see: a new case lands in the "
        "intake team's queue, which is not every caller's",
    )
    reference: str = Field(..., description="The reference of the case the message is on")
    message_id: int
    created_case: bool
    duplicate: bool


def _answer(user, result: IntakeResult):
    """What the caller learns of the case their contact is on, by the read every endpoint uses.

    A replayed external_id names a message already stored, perhaps on another team's case: that case is
    shown only to someone who may see it, and anyone else gets the not_found a GET gives. A contact the
    caller sent themselves (just now, or the first time of a retry) lands on a case that may be outside
    their view (a new case goes to the intake team's queue): they learn its reference, and the case itself
    if they may see it.
    """
    try:
        case = case_for(user, result.case.reference)
    except NotFound:
        if result.message.author_id != user.pk:
            # Not case_for's own message: it names the reference.
            raise NotFound("No case that you can see holds a message with that external_id") from None
        case = None
    body = {
        "case": case,
        "reference": result.case.reference,
        "message_id": result.message.pk,
        "created_case": result.created_case,
        "duplicate": result.duplicate,
    }
    return Status(200 if result.duplicate else 201, body)


@router.post(
    "",
    response={200: IntakeOut, 201: IntakeOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record a contact: opens a case or adds to one",
    operation_id="amends_cases_api_create_case",
)
def create_case(request, payload: ContactIn):
    require(can_record_contacts(request.auth), "You can read cases but not record contacts")
    if payload.case_reference:
        case_for(request.auth, payload.case_reference, work=True)
    return _answer(request.auth, intake_contact(payload, actor=request.auth))


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
    return _answer(request.auth, intake_contact(contact, actor=request.auth))
