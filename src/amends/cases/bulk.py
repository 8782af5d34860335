"""Bulk actions on the queue: the cases selected, one by one, through the service of the single action.

Nothing here changes a case itself. For each case `cases_bulk` asks what the single action's page or
endpoint asks (`cases_for(..., work=True)`: a case the user cannot see is "not found", one they may only
read is refused), then, in that case's own transaction, checks the version the row was shown at under a
row lock and runs the action (`hooks.BulkAction.run`), which calls the one service. So one refusal undoes
nothing else, and a case someone changed since it was shown is reported, never overwritten.

Cases registers assign, change status and add a tag here (`register`); process registers applying a
regime (it is above cases, so cases cannot call it: docs/design/architecture.md, hooks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from ninja import Field, Schema
from pydantic import ValidationError

from amends.core.errors import DomainError, InputTooLarge
from amends.core.permissions import can_assign_to, can_work_cases, owner_refusal, require
from amends.core.web import invalid_input

from .hooks import BulkAction, BulkField, bulk_actions
from .lifecycle import Status
from .models import Case, HandOver, Tag
from .selectors import assignee_label, bulk_assignees, cases_for, tags_in_use
from .services import _lock, case_assign, case_transition
from .tags import TAG_MAX, case_tag_add, tag_name

# At most this many cases per action: a page of the queue is 25 rows, and "More cases" adds 25 at a time.
BULK_LIMIT = 200


@dataclass(frozen=True)
class Selected:
    """A case chosen for a bulk action, with the version its row showed (None: the version read now)."""

    reference: str
    expected_version: int | None = None


@dataclass(frozen=True)
class BulkResult:
    reference: str
    done: bool
    message: str  # what was done, or why not
    code: str = ""  # the refusal's error code: not_found, forbidden, conflict, invalid...
    version: int | None = None  # the case's version afterwards; None for a case the user cannot see


@dataclass
class BulkOutcome:
    action: BulkAction
    results: list[BulkResult] = field(default_factory=list)

    @property
    def done(self) -> list[BulkResult]:
        return [r for r in self.results if r.done]

    @property
    def refused(self) -> list[BulkResult]:
        return [r for r in self.results if not r.done]


def bulk_action(code: str) -> BulkAction:
    for action in bulk_actions:
        if action.code == code:
            return action
    known = ", ".join(a.code for a in bulk_actions)
    raise DomainError(
        f"No bulk action {code!r}: one of {known}", code="unknown_action", fields={"action": known}
    )


def cases_bulk(*, actor: Any, action: str, selected: list[Selected], args: dict[str, Any]) -> BulkOutcome:
    """Run the action on each selected case, each in its own transaction; refusals are results, not errors.

    DomainError (nothing changed) for what refuses the whole request: someone who works no cases, an
    unknown action, arguments that action cannot take, no case or more than BULK_LIMIT. Queries: a fixed
    few for the batch (the cases, the look-ups `prepare` shares, the versions at the end) and, per case,
    those of the single action's service plus one row lock.
    """
    require(can_work_cases(actor), "You can read cases but not change them")
    chosen = bulk_action(action)
    data = _input(chosen, args)
    unique: dict[str, Selected] = {}
    for item in selected:
        unique.setdefault(item.reference, item)  # each case once, as first listed
    selected = list(unique.values())
    if not selected:
        raise DomainError("Choose at least one case", code="nothing_selected", fields={"cases": "required"})
    if len(selected) > BULK_LIMIT:
        raise InputTooLarge(
            f"At most {BULK_LIMIT} cases at a time: {len(selected)} were chosen. Narrow the queue with its "
            "filters, or act on the rest afterwards.",
            fields={"cases": f"at most {BULK_LIMIT}"},
        )
    prepared = chosen.prepare(actor, data) if chosen.prepare else data
    found = cases_for(actor, [s.reference for s in selected], work=True)
    outcome = BulkOutcome(action=chosen)
    for item in selected:
        case = found[item.reference]
        try:
            if isinstance(case, DomainError):
                raise case
            outcome.results.append(_one(chosen, case, item, actor, prepared))
        except DomainError as refusal:
            outcome.results.append(BulkResult(item.reference, False, refusal.message, refusal.code))
    return _with_versions(outcome, found)


def _input(action: BulkAction, args: dict[str, Any]) -> Any:
    """The action's typed arguments. Pydantic's complaints are a DomainError (400, not the API's 422:
    `args` is any object to the document, and an action's rules about it are the request's fault)."""
    try:
        return action.input.model_validate(args)
    except ValidationError as exc:
        raise invalid_input(exc.errors()) from exc


def _one(action: BulkAction, case: Case, item: Selected, actor: Any, prepared: Any) -> BulkResult:
    with transaction.atomic():
        if item.expected_version not in (None, case.version):
            _lock(case, item.expected_version)  # Conflict: the case changed since its row was shown
        _lock(case, case.version)  # and the case the action gets is the case as it is now, locked
        message = action.run(case, actor, prepared)
    return BulkResult(item.reference, True, message)


def _with_versions(outcome: BulkOutcome, found: dict[str, Case | DomainError]) -> BulkOutcome:
    """Each case's version after the batch, in one query, so an API client can go on from there."""
    ids = [case.pk for case in found.values() if isinstance(case, Case)]
    versions = dict(Case.objects.filter(pk__in=ids).values_list("reference", "version"))
    outcome.results = [
        BulkResult(r.reference, r.done, r.message, r.code, versions.get(r.reference)) for r in outcome.results
    ]
    return outcome


# --- the actions cases itself offers ------------------------------------------------------------------------


class BulkAssignIn(Schema):
    owner: str = Field(..., min_length=1, max_length=150, description="The username of whom to give them to")
    reason: str = Field(
        "",
        max_length=300,
        description="Needed for a case that has an owner: why it changes hands (leave, workload, expertise, "
        "escalation, other)",
    )
    note: str = Field(
        "",
        max_length=5000,
        description="The hand-over note, for a case that passes from one owner to another",
    )


class BulkStatusIn(Schema):
    to: Status = Field(..., description="The status to move each case to, if its lifecycle allows it")
    reason: str = Field("", max_length=5000, description="Needed to close or re-open")


class BulkTagIn(Schema):
    tag: str = Field(
        ..., min_length=1, max_length=200, description=f"A tag's name (at most {TAG_MAX} characters)"
    )


def _owner(actor: Any, data: BulkAssignIn) -> tuple[Any, BulkAssignIn]:
    """The person named, looked up once for the batch, with the hand-over's reason and note."""
    owner = (
        get_user_model()
        .objects.select_related("staff__team")
        .filter(username=data.owner, staff__isnull=False)
        .first()
    )
    if owner is None:
        raise DomainError(f"No staff member {data.owner!r}", fields={"owner": "unknown user"})
    return owner, data


def _assign(case: Case, actor: Any, prepared: tuple[Any, BulkAssignIn]) -> str:
    """As POST /cases/{reference}/assign (and the case page's Assign, whose list offers only these): the
    owner must be someone who may work the case, and only an assigner gives it to someone else; a case
    that had an owner changes hands with the reason and hand-over note given for the batch."""
    owner, data = prepared
    refusal = owner_refusal(owner, team_id=case.team_id)
    if refusal is not None:
        raise DomainError(refusal[1], fields={"owner": refusal[0]})
    require(
        can_assign_to(actor, case, owner),
        "You can take an unassigned case yourself; a team leader assigns the rest",
    )
    case_assign(
        case=case, owner=owner, actor=actor, reason=data.reason, note=data.note, expected_version=case.version
    )
    return f"Assigned to {owner.get_full_name() or owner.get_username()}"


def _status(case: Case, actor: Any, data: BulkStatusIn) -> str:
    to = Status(data.to)
    case_transition(case=case, to=to.value, actor=actor, reason=data.reason, expected_version=case.version)
    return f"Moved to {to.label.lower()}"


def _checked_tag(actor: Any, data: BulkTagIn) -> str:
    """The name to tag with, once for the batch: a name no tag can have refuses the whole request, not every
    case, and one the organisation has already is said as it has it."""
    name, normalised = tag_name(data.tag)
    existing = Tag.objects.filter(normalised=normalised).values_list("name", flat=True).first()
    return existing or name


def _tag(case: Case, actor: Any, name: str) -> str:
    return (
        f"Tagged “{name}”" if case_tag_add(case=case, tag=name, actor=actor) else f"Already tagged “{name}”"
    )


def _assignees(user: Any) -> list[tuple[str, str]]:
    return [(person.get_username(), assignee_label(person)) for person in bulk_assignees(user)]


def _handover_reasons(user: Any) -> list[tuple[str, str]]:
    return list(HandOver.Reason.choices)


def _statuses(user: Any) -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in Status]


def _tag_names() -> list[str]:
    return [tag.name for tag in tags_in_use()]


ASSIGN = BulkAction(
    code="assign",
    label="Assign",
    input=BulkAssignIn,
    run=_assign,
    fields=(
        BulkField("owner", "Assign to", choices=_assignees),
        BulkField("reason", "Why it changes hands (if owned)", choices=_handover_reasons),
        BulkField("note", "Hand-over note (if owned)"),
    ),
    prepare=_owner,
)
STATUS = BulkAction(
    code="status",
    label="Change status",
    input=BulkStatusIn,
    run=_status,
    fields=(
        BulkField("to", "Move to", choices=_statuses),
        BulkField("reason", "Reason (to close or re-open)"),
    ),
)
TAG = BulkAction(
    code="tag",
    label="Add tag",
    input=BulkTagIn,
    run=_tag,
    fields=(BulkField("tag", "Tag to add", suggest=_tag_names),),
    prepare=_checked_tag,
)


def register() -> None:
    """Called from CasesConfig.ready(), before the apps above register theirs."""
    for action in (ASSIGN, STATUS, TAG):
        bulk_actions.register(action)
