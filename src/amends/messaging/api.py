"""A case's messages over the API: read them and their files, reply by email (with files), log a call,
visit or letter.

The endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Field, Path, Query, Schema, Status

from amends.cases.api import router
from amends.cases.selectors import case_for, decode_cursor, encode_cursor
from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.files import FileIn, FileOut, clean_name
from amends.core.moments import Moment

from .models import Message
from .selectors import case_attachment, file_list
from .services import message_log_contact, message_send


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
