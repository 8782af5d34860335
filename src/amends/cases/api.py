from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import can_assign, can_work_case, case_scope, require
from amends.intake.schemas import ChannelName, ContactIn
from amends.intake.services import intake_contact
from amends.messaging.models import Message
from amends.messaging.services import message_log_contact, message_send

from .models import Case
from .selectors import QUEUES, QueueFilters, case_queue, decode_cursor, encode_cursor
from .services import case_assign, case_transition

router = Router(tags=["cases"])


class CaseOut(Schema):
    reference: str
    kind: str
    status: str
    channel: str
    summary: str
    category: str
    customer_id: int
    customer_name: str = Field(..., alias="customer.name")
    owner: str | None = Field(None, alias="owner.username")
    team: str | None = Field(None, alias="team.slug")
    opened_at: datetime
    last_activity_at: datetime
    respond_by: datetime | None
    closed_at: datetime | None
    version: int


class CaseDetailOut(CaseOut):
    outcome_wanted: str
    kind_reason: str


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class CaseListQuery(Schema):
    queue: str = Field("all", description=f"One of {', '.join(QUEUES)}")
    status: str = Field("open", description="open, all, or one status")
    kind: str = ""
    channel: str = ""
    q: str = Field("", max_length=200)
    cursor: str = Field("", max_length=200)
    limit: int = Field(25, ge=1, le=100)


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


class CaseMessageIn(Schema):
    """A further message from the customer on this case."""

    channel: ChannelName
    external_id: str = Field(..., min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=300)
    received_at: datetime | None = None


class ReplyIn(Schema):
    body: str = Field(..., min_length=1, max_length=100_000)
    subject: str = Field("", max_length=250)


class ContactNoteIn(Schema):
    channel: str = Field(..., description="phone, face_to_face or letter")
    direction: str = Field(..., description="in (the customer contacted us) or out")
    summary: str = Field(..., min_length=1, max_length=100_000)
    occurred_at: datetime | None = None


class TransitionIn(Schema):
    to: str
    reason: str = Field("", max_length=5000)
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused with 409")


class AssignIn(Schema):
    owner: str | None = Field(None, description="Username, or null to unassign")
    version: int = Field(..., ge=1)


class IntakeOut(Schema):
    case: CaseDetailOut
    message_id: int
    created_case: bool
    duplicate: bool


def _case(request, reference: str) -> Case:
    case = (
        Case.objects.select_related("customer", "owner", "team")
        .filter(case_scope(request.auth), reference=reference)
        .first()
    )
    if case is None:
        raise Http404(f"No case {reference} that you can see")
    return case


def _workable(request, reference: str) -> Case:
    case = _case(request, reference)
    require(can_work_case(request.auth, case), "You can view this case but not work on it")
    return case


@router.get("", response=CasePage, summary="List cases (keyset pagination)")
def list_cases(request, params: Query[CaseListQuery]):
    if params.queue not in QUEUES:
        raise DomainError(f"Unknown queue {params.queue!r}", fields={"queue": f"one of {', '.join(QUEUES)}"})
    if params.cursor and decode_cursor(params.cursor) is None:
        raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
    filters = QueueFilters(
        queue=params.queue,
        status=params.status,
        kind=params.kind,
        channel=params.channel,
        q=params.q,
        after=params.cursor,
    )
    page = case_queue(request.auth, filters, page_size=params.limit)
    return {"items": page.rows, "next_cursor": page.next_cursor}


@router.post(
    "", response={200: IntakeOut, 201: IntakeOut}, summary="Record a contact: opens a case or adds to one"
)
def create_case(request, payload: ContactIn):
    if payload.case_reference:
        _workable(request, payload.case_reference)
    result = intake_contact(payload, actor=request.auth)
    case = Case.objects.select_related("customer", "owner", "team").get(pk=result.case.pk)
    body = {
        "case": case,
        "message_id": result.message.pk,
        "created_case": result.created_case,
        "duplicate": result.duplicate,
    }
    return Status(200 if result.duplicate else 201, body)


@router.get("/{reference}", response=CaseDetailOut)
def get_case(request, reference: str):
    return _case(request, reference)


@router.get("/{reference}/messages", response=MessagePage)
def list_messages(request, reference: str, cursor: str = "", limit: int = Query(50, ge=1, le=200)):
    case = _case(request, reference)
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
    "/{reference}/messages",
    response={200: IntakeOut, 201: IntakeOut},
    summary="Add a customer's message to the case (idempotent by external_id)",
)
def add_message(request, reference: str, payload: CaseMessageIn):
    case = _workable(request, reference)
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


@router.post(
    "/{reference}/replies", response={201: MessageOut}, summary="Send a reply to the customer by email"
)
def reply(request, reference: str, payload: ReplyIn):
    case = _workable(request, reference)
    return Status(
        201, message_send(case=case, actor=request.auth, body=payload.body, subject=payload.subject)
    )


@router.post("/{reference}/contacts", response={201: MessageOut}, summary="Log a phone call, visit or letter")
def log_contact(request, reference: str, payload: ContactNoteIn):
    case = _workable(request, reference)
    return Status(
        201,
        message_log_contact(
            case=case,
            actor=request.auth,
            channel=payload.channel,
            direction=payload.direction,
            summary=payload.summary,
            occurred_at=payload.occurred_at,
        ),
    )


@router.post(
    "/{reference}/transition", response=CaseDetailOut, summary="Change status (checked against the lifecycle)"
)
def transition(request, reference: str, payload: TransitionIn):
    case = _workable(request, reference)
    case_transition(
        case=case, to=payload.to, actor=request.auth, reason=payload.reason, expected_version=payload.version
    )
    return _case(request, reference)


@router.post("/{reference}/assign", response=CaseDetailOut)
def assign(request, reference: str, payload: AssignIn):
    case = _workable(request, reference)
    owner = None
    if payload.owner:
        owner = get_user_model().objects.filter(username=payload.owner, staff__isnull=False).first()
        if owner is None:
            raise DomainError(f"No staff member {payload.owner!r}", fields={"owner": "unknown user"})
    if not can_assign(request.auth, case) and (owner != request.auth or case.owner_id is not None):
        raise PermissionDenied("You can take an unassigned case yourself; a team leader assigns the rest")
    case_assign(case=case, owner=owner, actor=request.auth, expected_version=payload.version)
    return _case(request, reference)
