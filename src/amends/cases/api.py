from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema

from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.permissions import can_assign_to, owner_refusal, require
from amends.customers.models import Channel

from .lifecycle import Status
from .models import CaseKind
from .selectors import (
    QUEUES,
    QueueFilters,
    assignable_people,
    assignee_label,
    case_for,
    case_queue,
    decode_cursor,
)
from .services import case_assign, case_transition

# The fixed value lists, as enumerations in the OpenAPI document (built from the one list each).
QueueName = Literal[tuple(QUEUES)]  # type: ignore[valid-type]
StatusName = Literal[tuple(s.value for s in Status)]  # type: ignore[valid-type]
StatusFilter = Literal[tuple(dict.fromkeys(["open", "all", *(s.value for s in Status)]))]  # type: ignore[valid-type]
KindFilter = Literal[("", *CaseKind.values)]  # type: ignore[valid-type]
ChannelFilter = Literal[("", *Channel.values)]  # type: ignore[valid-type]

# The router for every path under /cases/{reference} but the process's. Messaging and intake add their
# endpoints to it (messaging/api.py, intake/api.py): ninja serves a path from one router, and GET and
# POST /cases/{reference}/messages come from two apps.
router = Router(tags=["cases"])


class CaseOut(Schema):
    reference: str
    kind: str
    status: str
    channel: str
    summary: str
    category: str
    product: str
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
    queue: QueueName = "all"
    status: StatusFilter = Field("open", description="open, all, or one status")
    kind: KindFilter = ""
    channel: ChannelFilter = ""
    q: str = Field("", max_length=200)
    cursor: str = Field("", max_length=200)
    limit: int = Field(25, ge=1, le=100)


class TransitionIn(Schema):
    to: StatusName
    reason: str = Field("", max_length=5000)
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused with 409")


class AssignIn(Schema):
    owner: str | None = Field(None, description="Username, or null to unassign")
    version: int = Field(..., ge=1)


class AssigneeOut(Schema):
    username: str
    name: str
    role: str
    team: str | None = Field(None, description="The team's slug; null for someone who sees every team")
    team_name: str | None
    open_cases: int = Field(
        ...,
        description=(
            "Open cases (new, open, awaiting customer) they own now, counted up to 100: 100 means 100 or more"
        ),
    )
    label: str = Field(..., description="As the case page's assign list shows them")


@router.get("", response={200: CasePage, **errors(400, 422)}, summary="List cases (keyset pagination)")
def list_cases(request, params: Query[CaseListQuery]):
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


@router.get("/{reference}", response={200: CaseDetailOut, **errors(404)})
def get_case(request, reference: str):
    return case_for(request.auth, reference)


@router.post(
    "/{reference}/transition",
    response={200: CaseDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Change status (checked against the lifecycle)",
)
def transition(request, reference: str, payload: TransitionIn):
    case = case_for(request.auth, reference, work=True)
    case_transition(
        case=case, to=payload.to, actor=request.auth, reason=payload.reason, expected_version=payload.version
    )
    return case_for(request.auth, reference)


@router.post("/{reference}/assign", response={200: CaseDetailOut, **errors(400, 403, 404, 409, 413, 422)})
def assign(request, reference: str, payload: AssignIn):
    case = case_for(request.auth, reference, work=True)
    owner = None
    if payload.owner:
        owner = get_user_model().objects.filter(username=payload.owner, staff__isnull=False).first()
        if owner is None:
            raise DomainError(f"No staff member {payload.owner!r}", fields={"owner": "unknown user"})
        refusal = owner_refusal(owner, team_id=case.team_id)
        if refusal is not None:
            raise DomainError(refusal[1], fields={"owner": refusal[0]})
    require(
        can_assign_to(request.auth, case, owner),
        "You can take an unassigned case yourself; a team leader assigns the rest",
    )
    case_assign(case=case, owner=owner, actor=request.auth, expected_version=payload.version)
    return case_for(request.auth, reference)


@router.get(
    "/{reference}/assignees",
    response={200: list[AssigneeOut], **errors(403, 404)},
    summary="Who you may assign this case to, by name and team, with their open workload",
)
def assignees(request, reference: str):
    """Everyone who may work the case, for a team leader or lead; for someone else who works it, only
    themselves while it is unassigned (they may take it); an assessor gets 403."""
    case = case_for(request.auth, reference, work=True)
    return [
        {
            "username": person.get_username(),
            "name": person.get_full_name() or person.get_username(),
            "role": person.staff.role,
            "team": person.staff.team.slug if person.staff.team_id else None,
            "team_name": person.staff.team.name if person.staff.team_id else None,
            "open_cases": person.open_cases,
            "label": assignee_label(person),
        }
        for person in assignable_people(case)
        if can_assign_to(request.auth, case, person)
    ]
