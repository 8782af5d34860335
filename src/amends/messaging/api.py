"""A case's messages over the API: read them and their files, reply by email (with files), send again an
email that did not go, log a call, visit or letter; and saved replies.

The case endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working. Saved replies have a router of their own.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Path, Query, Router, Schema, Status

from amends.cases.api import router
from amends.cases.selectors import case_for, decode_cursor, encode_cursor
from amends.core.api_errors import errors
from amends.core.errors import DomainError, NotFound
from amends.core.files import FileIn, FileOut, clean_name
from amends.core.models import Team
from amends.core.moments import Moment
from amends.core.permissions import can_keep_saved_replies, require

from .models import Message
from .replies import (
    BODY_MAX_CHARS,
    TITLE_MAX_CHARS,
    placeholders,
    saved_replies_kept,
    saved_reply_create,
    saved_reply_delete,
    saved_reply_fill,
    saved_reply_kept,
    saved_reply_update,
    saved_reply_usable,
)
from .selectors import case_attachment, case_message, file_list
from .services import message_log_contact, message_send, message_send_again


class MessageOut(Schema):
    id: int
    channel: str
    direction: str
    purpose: str
    subject: str
    sender: str
    body_text: str
    occurred_at: datetime
    delivery: str
    attachments: list[FileOut] = Field(..., description="Download each from /attachments/{id}")


class MessagePage(Schema):
    items: list[MessageOut]
    next_cursor: str | None


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=250)
    version: int = Field(
        ...,
        ge=1,
        description="The case's version you read; if it changed since (a colleague replied, the customer "
        "wrote), nothing is sent and the answer is 409",
    )
    attachments: list[FileIn] = Field(
        default_factory=list,
        description="Documents or photos sent with the reply, as email attachments: PDF, images, office "
        "documents, text; each within the per-file limit and all within the per-message one, else 400 or 413",
    )


class SendAgainIn(Schema):
    reason: str = Field("", max_length=1000, description="Why, for the case's history (optional)")


class ContactNoteIn(Schema):
    channel: Literal["phone", "face_to_face", "letter"]
    direction: Literal["in", "out"] = Field(..., description="in (the customer contacted us) or out")
    summary: str = Field(..., min_length=1, max_length=100_000)
    occurred_at: Moment | None = None
    version: int | None = Field(
        None,
        ge=1,
        description="The case's version you read; if it changed since (a colleague logged a contact, the "
        "customer wrote), nothing is logged and the answer is 409. Left out, the contact is logged whatever "
        "changed",
    )


@router.get(
    "/{reference}/messages",
    response={200: MessagePage, **errors(400, 404, 422)},
    operation_id="amends_cases_api_list_messages",
)
def list_messages(request, reference: str, cursor: str = "", limit: int = Query(50, ge=1, le=200)):
    case = case_for(request.auth, reference)
    qs = (
        Message.objects.filter(case=case)
        .prefetch_related(file_list("attachments"))
        .order_by("occurred_at", "id")
    )
    if cursor:
        decoded = decode_cursor(cursor)
        if decoded is None or decoded[0] is None:
            raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
        at, pk = decoded
        qs = qs.filter(occurred_at__gte=at).exclude(occurred_at=at, id__lte=pk)
    rows = list(qs[: limit + 1])
    next_cursor = (
        encode_cursor(rows[limit - 1].occurred_at, rows[limit - 1].pk) if len(rows) > limit else None
    )
    return {"items": rows[:limit], "next_cursor": next_cursor}


@router.post(
    "/{reference}/replies",
    response={201: MessageOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Send a reply to the customer by email",
    operation_id="amends_cases_api_reply",
)
def reply(request, reference: str, payload: ReplyIn):
    case = case_for(request.auth, reference, work=True)
    sent = message_send(
        case=case,
        actor=request.auth,
        body=payload.body,
        subject=payload.subject,
        attachments=[f.file() for f in payload.attachments],
        expected_version=payload.version,
    )
    return Status(201, sent)


@router.get(
    "/{reference}/attachments/{attachment_id}",
    response={**errors(404, 422)},
    summary="Download a file on one of the case's messages",
    operation_id="amends_cases_api_attachment",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file's bytes; its name and type are in the message's attachments",
                "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def attachment(request, reference: str, attachment_id: int = Path(..., ge=1, le=2**63 - 1)):
    found = case_attachment(case_for(request.auth, reference), attachment_id)
    response = HttpResponse(bytes(found.content), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, clean_name(found.filename) or "file")
    return response


@router.post(
    "/{reference}/contacts",
    response={201: MessageOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Log a phone call, visit or letter",
    operation_id="amends_cases_api_log_contact",
)
def log_contact(request, reference: str, payload: ContactNoteIn):
    case = case_for(request.auth, reference, work=True)
    return Status(
        201,
        message_log_contact(
            case=case,
            actor=request.auth,
            channel=payload.channel,
            direction=payload.direction,
            summary=payload.summary,
            occurred_at=payload.occurred_at,
            expected_version=payload.version,
        ),
    )


@router.post(
    "/{reference}/messages/{message_id}/send-again",
    response={200: MessageOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Put an email that was not delivered back in the outbox",
    description="For an email the outbox gave up on (delivery `failed`) or is still retrying: its attempts "
    "start again and the worker sends it at its next step, to the customer's email address now. 409 if it "
    "was sent or is queued already, or a worker is sending it at this moment; 400 for a message that was "
    "never an email (`not_email`, `no_address`). The body may be `{}`.",
    operation_id="amends_cases_api_send_again",
)
def send_again(request, reference: str, message_id: int, payload: SendAgainIn):
    case = case_for(request.auth, reference, work=True)
    message = case_message(case, message_id)
    return message_send_again(message=message, actor=request.auth, reason=payload.reason)


# --- saved replies ------------------------------------------------------------------------------------------

saved_replies_router = Router(tags=["saved replies"])
NOT_YOURS = "Saved replies are for those who reply to customers"


class SavedReplyOut(Schema):
    id: int
    title: str
    body: str = Field(..., description="With its placeholders, as saved")
    team: str | None = Field(None, alias="team.slug", description="The team's slug; null for a personal one")
    owner: str | None = Field(None, alias="owner.username", description="Whose own it is; null for a team's")
    version: int
    updated_at: datetime


class SavedReplyIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX_CHARS)
    body: str = Field(..., min_length=1, max_length=BODY_MAX_CHARS, description="Placeholders in braces")
    team: str | None = Field(
        None, max_length=60, description="A team's slug (its team leaders and the leads); null for your own"
    )


class SavedReplyChangeIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX_CHARS)
    body: str = Field(..., min_length=1, max_length=BODY_MAX_CHARS)
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused with 409")


class SavedReplyDeleteIn(Schema):
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused with 409")


class PlaceholderOut(Schema):
    name: str = Field(..., description="Written in braces in a saved reply: {customer_name}")
    label: str


class FilledReplyOut(Schema):
    title: str
    body: str = Field(..., description="The saved reply with this case's facts in place of its placeholders")


@saved_replies_router.get(
    "", response={200: list[SavedReplyOut], **errors(403)}, summary="Your saved replies and your teams'"
)
def list_saved_replies(request):
    require(can_keep_saved_replies(request.auth), NOT_YOURS)
    return saved_replies_kept(request.auth)


@saved_replies_router.get(
    "/placeholders",
    response={200: list[PlaceholderOut], **errors()},
    summary="The placeholders a saved reply may use",
)
def list_placeholders(request):
    return [{"name": p.name, "label": p.label} for p in placeholders().values()]


@saved_replies_router.post(
    "", response={201: SavedReplyOut, **errors(400, 403, 413, 422)}, summary="Add a saved reply"
)
def add_saved_reply(request, payload: SavedReplyIn):
    require(can_keep_saved_replies(request.auth), NOT_YOURS)
    team = None
    if payload.team:
        team = Team.objects.filter(slug=payload.team).first()
        if team is None:
            raise DomainError(f"No team {payload.team!r}", fields={"team": "unknown team"})
    reply = saved_reply_create(actor=request.auth, title=payload.title, body=payload.body, team=team)
    return Status(201, saved_reply_kept(request.auth, reply.pk))


@saved_replies_router.post(
    "/{reply_id}",
    response={200: SavedReplyOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Change a saved reply (its version you read)",
)
def change_saved_reply(request, reply_id: int, payload: SavedReplyChangeIn):
    require(can_keep_saved_replies(request.auth), NOT_YOURS)
    reply = saved_reply_update(
        reply=saved_reply_kept(request.auth, reply_id),
        actor=request.auth,
        title=payload.title,
        body=payload.body,
        expected_version=payload.version,
    )
    return saved_reply_kept(request.auth, reply.pk)


@saved_replies_router.post(
    "/{reply_id}/delete",
    response={204: None, **errors(400, 403, 404, 409, 413, 422)},
    summary="Delete a saved reply (its version you read)",
)
def delete_saved_reply(request, reply_id: int, payload: SavedReplyDeleteIn):
    require(can_keep_saved_replies(request.auth), NOT_YOURS)
    saved_reply_delete(
        reply=saved_reply_kept(request.auth, reply_id), actor=request.auth, expected_version=payload.version
    )
    return Status(204, None)


@router.get(
    "/{reference}/saved-replies/{reply_id}",
    response={200: FilledReplyOut, **errors(403, 404, 422)},
    summary="A saved reply filled in with this case's facts, to edit and send as a reply",
)
def fill_saved_reply(request, reference: str, reply_id: int):
    case = case_for(request.auth, reference, work=True)
    reply = saved_reply_usable(request.auth, case, reply_id)
    if reply is None:
        raise NotFound("No such saved reply that you can use on this case")
    return {"title": reply.title, "body": saved_reply_fill(reply, case=case, writer=request.auth)}
