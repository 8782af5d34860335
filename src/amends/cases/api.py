from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja import Status as HttpStatus

from amends.core.api_errors import errors
from amends.core.cursors import decode_id_cursor, encode_id_cursor
from amends.core.errors import DomainError
from amends.core.permissions import can_assign_to, can_write_notes, owner_refusal, require
from amends.customers.api import router as customers_router
from amends.customers.models import Channel
from amends.customers.selectors import visible_customer

from .bulk import BULK_LIMIT, Selected, cases_bulk
from .lifecycle import Status
from .models import Case, CaseKind, Note
from .notes import MAX_MENTIONS, NOTE_MAX_CHARS, mentioned_by_name, note_add
from .priority import raised_priority
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
    priority: str | None = Field(
        None, description="Why its priority is raised (cases.priority), or null: normal priority"
    )

    @staticmethod
    def resolve_tags(case: Case) -> list[str]:
        return [tag.name for tag in case.tags.all()]

    @staticmethod
    def resolve_priority(case: Case) -> str | None:
        raised = raised_priority(case)
        return raised.reason if raised is not None else None


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
    reason: str = Field(
        "",
        max_length=300,
        description="Needed when the case has an owner: why it changes hands (leave, workload, expertise, "
        "escalation, other); on a first allocation, why in words",
    )
    note: str = Field(
        "",
        max_length=5000,
        description="The hand-over note: what the new owner must know (where it stands, what was promised, "
        "how the customer is). Needed when the case passes from one owner to another person",
    )
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
    case_assign(
        case=case,
        owner=owner,
        actor=request.auth,
        reason=payload.reason,
        note=payload.note,
        expected_version=payload.version,
    )
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


# --- internal notes: on a case, and on a customer (the customers router's, added here as messaging adds
# its endpoints to this one). Staff only, like every endpoint: no customer-facing read ever returns one.


class NoteIn(Schema):
    body: str = Field(
        ...,
        min_length=1,
        max_length=NOTE_MAX_CHARS,
        description="The note. @login in it tells that colleague (each must see the case or customer)",
    )
    mention: list[Annotated[str, Field(max_length=150)]] = Field(
        [], max_length=MAX_MENTIONS, description="Usernames to tell besides those @mentioned in the body"
    )
    corrects: int | None = Field(
        None, ge=1, le=2**63 - 1, description="The id of an earlier note on the same case or customer"
    )


class NoteOut(Schema):
    id: int
    case: str | None = Field(None, description="The case's reference; null for a note on the customer")
    customer_id: int | None = Field(None, description="The customer's id; null for a note on a case")
    author: str = Field(..., alias="author.username")
    body: str
    created_at: datetime
    corrects: int | None = Field(None, alias="corrects_id")
    mentioned: list[str] = Field(..., description="The usernames of the colleagues who were told")

    @staticmethod
    def resolve_case(obj):
        return obj.case.reference if obj.case_id else None

    @staticmethod
    def resolve_mentioned(obj):
        return [u.get_username() for u in obj.mentioned.all()]


class NotePage(Schema):
    items: list[NoteOut]
    next_cursor: str | None


class NoteListQuery(Schema):
    cursor: str = Field("", max_length=20, description="The next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


def _note_page(notes, params: NoteListQuery) -> dict:
    """Newest first, keyset-paged by id."""
    if params.cursor:
        after = decode_id_cursor(params.cursor)
        if after is None:
            raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
        notes = notes.filter(id__lt=after)
    rows = list(
        notes.select_related("case", "author")
        .prefetch_related(mentioned_by_name())
        .order_by("-id")[: params.limit + 1]
    )
    more = len(rows) > params.limit
    return {
        "items": rows[: params.limit],
        "next_cursor": encode_id_cursor(rows[params.limit - 1].pk) if more else None,
    }


def _note_input(payload: NoteIn, notes) -> dict:
    """The people named in `mention` and the note corrected, among these notes (the same case's or
    customer's)."""
    names = list(dict.fromkeys(payload.mention))
    people = {
        u.get_username(): u for u in get_user_model().objects.filter(username__in=names, staff__isnull=False)
    }
    missing = [n for n in names if n not in people]
    if missing:
        raise DomainError(f"No staff member {', '.join(missing)}", fields={"mention": "unknown user"})
    corrects = None
    if payload.corrects is not None:
        corrects = notes.filter(pk=payload.corrects).first()
        if corrects is None:
            raise DomainError("There is no such note here to correct", fields={"corrects": "unknown note"})
    return {"body": payload.body, "mention": list(people.values()), "corrects": corrects}


def _created(note: Note):
    return HttpStatus(
        201,
        Note.objects.select_related("case", "author").prefetch_related(mentioned_by_name()).get(pk=note.pk),
    )


@router.get(
    "/{reference}/notes",
    response={200: NotePage, **errors(400, 404, 422)},
    summary="A case's internal notes, newest first (never shown to the customer)",
)
def list_case_notes(request, reference: str, params: Query[NoteListQuery]):
    case = case_for(request.auth, reference)
    return _note_page(Note.objects.filter(case=case), params)


@router.post(
    "/{reference}/notes",
    response={201: NoteOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Add an internal note to a case, telling the colleagues it mentions",
)
def add_case_note(request, reference: str, payload: NoteIn):
    case = case_for(request.auth, reference, work=True)
    given = _note_input(payload, Note.objects.filter(case=case))
    return _created(note_add(actor=request.auth, case=case, **given))


def _customer(user, customer_id: int):
    customer = visible_customer(user, customer_id)
    if customer is None:
        raise Http404("No such customer that you can see")
    return customer


@customers_router.get(
    "/{customer_id}/notes",
    response={200: NotePage, **errors(400, 404, 422)},
    summary="The internal notes on a customer (not on their cases), newest first",
)
def list_customer_notes(request, customer_id: int, params: Query[NoteListQuery]):
    customer = _customer(request.auth, customer_id)
    return _note_page(Note.objects.filter(customer=customer), params)


@customers_router.post(
    "/{customer_id}/notes",
    response={201: NoteOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Add an internal note on a customer, telling the colleagues it mentions",
)
def add_customer_note(request, customer_id: int, payload: NoteIn):
    customer = _customer(request.auth, customer_id)
    require(can_write_notes(request.auth), "You can read notes but not write them")
    given = _note_input(payload, Note.objects.filter(customer=customer))
    return _created(note_add(actor=request.auth, customer=customer, **given))
