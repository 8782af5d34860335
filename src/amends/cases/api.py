from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from ninja import Field, Query, Router, Schema

from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.permissions import can_assign_to, owner_refusal, require
from amends.customers.models import Channel

from .bulk import BULK_LIMIT, Selected, cases_bulk
from .lifecycle import Status
from .models import Case, CaseKind
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
from .tags import TAG_MAX, case_tag_add, case_tag_remove

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
    tags: list[str] = Field(..., description="The case's tags, by name")

    @staticmethod
    def resolve_tags(case: Case) -> list[str]:
        return [tag.name for tag in case.tags.all()]


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
    tag: str = Field("", max_length=TAG_MAX, description="Only cases with this tag (any case or spacing)")
    cursor: str = Field("", max_length=200)
    limit: int = Field(25, ge=1, le=100)


class TransitionIn(Schema):
    to: StatusName
    reason: str = Field("", max_length=5000)
    version: int = Field(..., ge=1, description="The version you read; a stale one is refused with 409")


class AssignIn(Schema):
    owner: str | None = Field(None, description="Username, or null to unassign")
    version: int = Field(..., ge=1)


class TagIn(Schema):
    tag: str = Field(..., max_length=200, description=f"The tag's name (at most {TAG_MAX} characters)")


Reference = Annotated[str, Field(max_length=40)]


class BulkCaseIn(Schema):
    reference: Reference
    expected_version: int | None = Field(
        None, ge=1, description="The version you were shown; if the case has changed since, it is refused"
    )


class BulkIn(Schema):
    action: str = Field(
        ...,
        max_length=40,
        description="assign (args: owner, a username), status (args: to, reason), tag (args: tag) or regime "
        "(args: regime, a code from GET /regimes)",
    )
    references: list[Reference | BulkCaseIn] = Field(
        ...,
        min_length=1,
        max_length=BULK_LIMIT,
        description="The cases: each a reference, or a reference with the version you were shown",
    )
    args: dict[str, Any] = Field(default_factory=dict, description="The action's arguments")


class BulkResultOut(Schema):
    reference: str
    outcome: Literal["done", "refused"]
    message: str = Field(..., description="What was done, or why not")
    code: str = Field(
        ..., description="Why it was refused (not_found, forbidden, conflict...); empty if done"
    )
    version: int | None = Field(..., description="The case's version now; null for a case you cannot see")


class BulkOut(Schema):
    action: str
    done: int
    refused: int
    results: list[BulkResultOut]


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
        tag=params.tag,
        after=params.cursor,
    )
    page = case_queue(request.auth, filters, page_size=params.limit)
    return {"items": page.rows, "next_cursor": page.next_cursor}


# Before the paths under /{reference}, which would take "bulk" for a reference.
@router.post(
    "/bulk",
    response={200: BulkOut, **errors(400, 403, 413, 422)},
    summary="One action on many cases, each through the single action's service (refusals per case)",
)
def bulk(request, payload: BulkIn):
    """Each case is changed as its own endpoint would change it, in its own transaction: one refused
    (not found, read-only, changed since `expected_version`, not allowed by its lifecycle...) leaves the
    others done. The whole request is refused only for what no case could be changed by: someone who
    works no cases, an unknown action, arguments it cannot take, more than 200 cases."""
    selected = [
        Selected(ref, None) if isinstance(ref, str) else Selected(ref.reference, ref.expected_version)
        for ref in payload.references
    ]
    outcome = cases_bulk(actor=request.auth, action=payload.action, selected=selected, args=payload.args)
    return {
        "action": outcome.action.code,
        "done": len(outcome.done),
        "refused": len(outcome.refused),
        "results": [
            {
                "reference": r.reference,
                "outcome": "done" if r.done else "refused",
                "message": r.message,
                "code": r.code,
                "version": r.version,
            }
            for r in outcome.results
        ],
    }


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


@router.post(
    "/{reference}/tags",
    response={200: CaseDetailOut, **errors(400, 403, 404, 413, 422)},
    summary="Tag the case (a new name makes a new tag; a tag it has already changes nothing)",
)
def tag_add(request, reference: str, payload: TagIn):
    case = case_for(request.auth, reference, work=True)
    case_tag_add(case=case, tag=payload.tag, actor=request.auth)
    return case_for(request.auth, reference)


@router.post(
    "/{reference}/tags/remove",
    response={200: CaseDetailOut, **errors(400, 403, 404, 413, 422)},
    summary="Take a tag off the case (one it does not have changes nothing)",
)
def tag_remove(request, reference: str, payload: TagIn):
    case = case_for(request.auth, reference, work=True)
    case_tag_remove(case=case, tag=payload.tag, actor=request.auth)
    return case_for(request.auth, reference)
