"""Contacts over the API: a customer's message that opens a case or adds to one, and a further message
on a known case. Both run intake, as email and the web form do. And the team mailboxes' settings.

The endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working.
"""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from amends.cases.api import CaseDetailOut, router
from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.errors import NotFound
from amends.core.moments import Moment
from amends.core.permissions import can_configure_mailboxes, can_record_contacts, require

from .mailboxes import mailbox_add, mailbox_update
from .models import Mailbox
from .schemas import ChannelName, ContactIn, MailboxChangeIn, MailboxIn
from .selectors import mailboxes_listed
from .services import IntakeResult, intake_contact
from .views import MAILBOX_ONLY


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


# The team mailboxes (settings page /intake/mailboxes/): administrators only. The password is never in
# the API, in or out: a mailbox names the environment variable that holds it.
mailbox_router = Router(tags=["mailboxes"])


class MailboxOut(Schema):
    id: int
    version: int
    name: str
    host: str
    port: int
    security: str
    username: str
    password_env: str
    password_set: bool = Field(..., description="Whether the variable is set where this API runs")
    folder: str
    after_import: str
    move_to: str
    team: str | None = Field(None, description="The slug of the team new cases go to; none: the intake team")
    enabled: bool
    uidvalidity: int | None
    last_uid: int
    last_polled_at: datetime | None
    last_error: str
    imported: int = Field(..., description="Emails imported from it so far")


def _mailbox_out(mailbox: Mailbox) -> dict:
    listed = next(m for m in mailboxes_listed() if m.pk == mailbox.pk)
    return _mailbox_fields(listed)


def _mailbox_fields(m: Mailbox) -> dict:
    fields = {name: getattr(m, name) for name in MailboxOut.model_fields if hasattr(m, name)}
    return {**fields, "id": m.pk, "team": m.team.slug if m.team else None}


@mailbox_router.get(
    "/mailboxes",
    response={200: list[MailboxOut], **errors(403)},
    summary="The team mailboxes Amends reads by IMAP, and how each last went",
)
def list_mailboxes(request):
    require(can_configure_mailboxes(request.auth), MAILBOX_ONLY)
    return [_mailbox_fields(m) for m in mailboxes_listed()]


@mailbox_router.post(
    "/mailboxes",
    response={201: MailboxOut, **errors(400, 403, 409, 413, 422)},
    summary="Add a team mailbox for the worker to read",
)
def add_mailbox(request, payload: MailboxIn):
    require(can_configure_mailboxes(request.auth), MAILBOX_ONLY)
    return Status(201, _mailbox_out(mailbox_add(data=payload, actor=request.auth)))


@mailbox_router.post(
    "/mailboxes/{mailbox_id}",
    response={200: MailboxOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Change a team mailbox's settings (expected_version: the version you read)",
)
def change_mailbox(request, mailbox_id: int, payload: MailboxChangeIn):
    require(can_configure_mailboxes(request.auth), MAILBOX_ONLY)
    mailbox = Mailbox.objects.filter(pk=mailbox_id).first()
    if mailbox is None:
        raise NotFound("No such mailbox")
    data = MailboxIn(**payload.model_dump(exclude={"expected_version"}))
    changed = mailbox_update(
        mailbox=mailbox, data=data, expected_version=payload.expected_version, actor=request.auth
    )
    return _mailbox_out(changed)
