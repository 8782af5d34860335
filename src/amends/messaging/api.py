"""A case's messages over the API: read them, see where a reply would go, reply (on the customer's channel
or by email, or record a reply sent by hand), send again a message that did not go, log a call, visit or
letter; and the integrations that carry replies on social media and chat (an administrator's).

The case endpoints sit on the cases router (cases/api.py says why) and keep the operation ids they had
when they lived there, so generated clients keep working.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema, Status

from amends.cases.api import router
from amends.cases.selectors import case_for, decode_cursor, encode_cursor
from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.moments import Moment
from amends.core.permissions import can_manage_integrations, require

from .integrations import integration_add, integration_change
from .models import Integration, Message
from .routes import case_routes
from .schemas import IntegrationIn, IntegrationOut, IntegrationSaved, ReplyChannel
from .selectors import case_message
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
    qs = Message.objects.filter(case=case).order_by("occurred_at", "id")
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
