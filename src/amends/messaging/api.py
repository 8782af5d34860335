"""A case's messages over the API: read them and their files, see where a reply would go, reply (on the
customer's channel or by email, with files by email, or record a reply sent by hand), send again a message
that did not go, log a call, visit or letter; saved replies; and the integrations that carry replies on
social media and chat (an administrator's).

The case endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had when
they lived there, so generated clients keep working. Saved replies and integrations have routers of their
own.
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
from amends.core.permissions import can_keep_saved_replies, can_manage_integrations, require

from .integrations import integration_add, integration_change
from .models import Integration, Message
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
from .routes import case_routes
from .schemas import IntegrationIn, IntegrationOut, IntegrationSaved, ReplyChannel
from .selectors import case_attachment, case_message, file_list
from .services import message_log_contact, message_send, message_send_again

integrations_router = Router(tags=["integrations"])


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
    send_by: ReplyChannel | None = Field(
        None,
        description="The channel it goes on, one `reply-routes` offers; left out, the one Amends chooses "
        "(the customer's channel when it can reach them there, else email). 400 `channel_unavailable` when "
        "that channel cannot carry it",
    )
    sent_by_hand: ReplyChannel | None = Field(
        None,
        description="You sent this yourself on this channel: it is recorded as sent by hand and Amends does "
        "not send it",
    )


class RouteOut(Schema):
    channel: str
    connector: str = Field(..., description="email, webhook or sms")
    to: str = Field(..., description="Email address, handle, chat conversation id or mobile number")
    in_reply_to: str = Field("", description="The customer's post or chat message it answers")
    integration: str = Field("", description="The integration a webhook reply goes through")
    label: str


class ReplyRoutesOut(Schema):
    default: str | None = Field(..., description="The channel a reply goes on unless you choose; null: none")
    reason: str
    offered: list[RouteOut]
    unavailable: dict[str, str] = Field(..., description="Why each channel not offered is not")


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
        send_by=payload.send_by,
        sent_by_hand=payload.sent_by_hand or "",
    )
    return Status(201, sent)


@router.get(
    "/{reference}/reply-routes",
    response={200: ReplyRoutesOut, **errors(400, 403, 404, 422)},
    summary="Where a reply to the customer would go, and the other ways open",
    operation_id="amends_cases_api_reply_routes",
)
def reply_routes(request, reference: str):
    case = case_for(request.auth, reference, work=True)
    routes = case_routes(case)
    offered = [
        {
            "channel": r.channel,
            "connector": r.connector,
            "to": r.destination,
            "in_reply_to": r.in_reply_to,
            "integration": r.integration.name if r.integration else "",
            "label": r.label,
        }
        for r in routes.offered
    ]
    default = routes.default.channel if routes.default else None
    return {
        "default": default,
        "reason": routes.reason,
        "offered": offered,
        "unavailable": dict(routes.missing),
    }


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


@integrations_router.get(
    "",
    response={200: list[IntegrationOut], **errors(400, 403, 422)},
    summary="The integrations that carry replies on social media and chat (administrators)",
)
def list_integrations(request):
    require(can_manage_integrations(request.auth), "Only administrators see the integrations")
    return list(Integration.objects.all())


@integrations_router.post(
    "",
    response={201: IntegrationSaved, **errors(400, 403, 413, 422)},
    summary="Add an integration (administrators)",
    description="Replies on its channels are posted to its URL, signed with its secret (README, 'Replying on "
    "the customer's channel'). With no secret given, Amends makes one and answers it here, once.",
)
def add_integration(request, payload: IntegrationIn):
    require(can_manage_integrations(request.auth), "Only administrators add integrations")
    integration, secret = integration_add(data=payload, actor=request.auth)
    return Status(201, _saved(integration, secret))


@integrations_router.post(
    "/{integration_id}",
    response={200: IntegrationSaved, **errors(400, 403, 404, 409, 413, 422)},
    summary="Change an integration (administrators)",
    description="An empty `secret` keeps the current one; `new_secret` makes one, answered here once.",
)
def change_integration(request, integration_id: int, payload: IntegrationIn):
    require(can_manage_integrations(request.auth), "Only administrators change integrations")
    integration, secret = integration_change(integration_id=integration_id, data=payload, actor=request.auth)
    return _saved(integration, secret)


def _saved(integration: Integration, secret: str) -> dict:
    return {
        "id": integration.pk,
        "name": integration.name,
        "channels": integration.channels,
        "url": integration.url,
        "enabled": integration.enabled,
        "version": integration.version,
        "secret": secret,
    }


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
