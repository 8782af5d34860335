"""The improvement endpoints of the JSON API: the root-cause taxonomy (process.taxonomy's services),
improvement actions through Plan-Do-Check-Act, lessons learned. The same schemas and services as the pages."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Router, Schema

from amends.core.api_errors import errors
from amends.core.errors import NotFound
from amends.core.permissions import (
    can_edit_root_causes,
    can_move_improvement,
    can_plan_improvement,
    can_receive_lessons,
    can_see_every_lesson,
    can_see_improvement,
    can_see_lesson_answers,
    can_share_lessons,
    can_view_case,
    require,
)
from amends.process import taxonomy
from amends.process.models import RootCause

from . import lessons as lesson_services
from . import selectors, services
from .models import ImprovementAction, LessonRecipient
from .schemas import ActionPlanIn, CheckIn, LessonIn, StageIn

router = Router(tags=["improvement"])

TAXONOMY = "Only complaints leads and administrators change the root causes"


# --- root causes -------------------------------------------------------------------------------------
class RootCauseOut(Schema):
    code: str
    name: str
    parent: str | None = Field(..., description="The code of the group it is under; None for a group")
    active: bool = Field(..., description="False once retired: kept on old findings, offered for no new one")


class RootCauseIn(Schema):
    name: str = Field(..., max_length=200)
    parent: str = Field("", max_length=60, description="The code of a top-level group; empty for a new group")


class RenameIn(Schema):
    name: str = Field(..., max_length=200)


class RetireIn(Schema):
    reason: str = Field(..., max_length=2000)


class MoveIn(Schema):
    parent: str = Field(
        "", max_length=60, description="The code of a top-level group; empty for the top level"
    )


def _cause_out(cause: RootCause) -> dict:
    return {
        "code": cause.code,
        "name": cause.name,
        "parent": cause.parent.code if cause.parent_id else None,
        "active": cause.active,
    }


@router.get("/root-causes", response={200: list[RootCauseOut], **errors()}, summary="The root-cause taxonomy")
def root_causes(request):
    return [_cause_out(c) for c in RootCause.objects.select_related("parent").order_by("parent_id", "name")]


@router.post(
    "/root-causes",
    response={200: RootCauseOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Add a root cause (complaints leads, administrators; audited)",
)
def root_cause_add(request, payload: RootCauseIn):
    require(can_edit_root_causes(request.auth), TAXONOMY)
    parent = taxonomy.root_cause_get(payload.parent) if payload.parent else None
    return _cause_out(taxonomy.root_cause_add(actor=request.auth, name=payload.name, parent=parent))


def _changed(request, code: str, change) -> dict:
    require(can_edit_root_causes(request.auth), TAXONOMY)
    cause = change(taxonomy.root_cause_get(code))
    return _cause_out(taxonomy.root_cause_get(cause.code))


@router.post(
    "/root-causes/{code}/rename",
    response={200: RootCauseOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Rename",
)
def root_cause_rename(request, code: str, payload: RenameIn):
    return _changed(
        request, code, lambda c: taxonomy.root_cause_rename(actor=request.auth, cause=c, name=payload.name)
    )


@router.post(
    "/root-causes/{code}/retire",
    response={200: RootCauseOut, **errors(400, 403, 404, 413, 422)},
    summary="Retire: no longer offered; findings that name it keep it",
)
def root_cause_retire(request, code: str, payload: RetireIn):
    return _changed(
        request,
        code,
        lambda c: taxonomy.root_cause_retire(actor=request.auth, cause=c, reason=payload.reason),
    )


@router.post(
    "/root-causes/{code}/restore",
    response={200: RootCauseOut, **errors(400, 403, 404)},
    summary="Use it again",
)
def root_cause_restore(request, code: str):
    return _changed(request, code, lambda c: taxonomy.root_cause_restore(actor=request.auth, cause=c))


@router.post(
    "/root-causes/{code}/move",
    response={200: RootCauseOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Move under another group",
)
def root_cause_move(request, code: str, payload: MoveIn):
    def move(cause):
        parent = taxonomy.root_cause_get(payload.parent) if payload.parent else None
        return taxonomy.root_cause_move(actor=request.auth, cause=cause, parent=parent)

    return _changed(request, code, move)


# --- improvement actions -----------------------------------------------------------------------------
class MeasureFiguresOut(Schema):
    count: int
    per_week: Decimal


class WeekOut(Schema):
    start: date
    count: int
    window: str = Field(..., description="before, after or between")


class EventOut(Schema):
    at: datetime
    actor: int | None
    kind: str
    from_stage: str
    to_stage: str
    note: str


class ActionOut(Schema):
    id: int
    title: str
    change: str
    stage: str = Field(..., description="plan, do, check, act, closed or abandoned")
    owner: int
    due_date: date
    root_causes: list[str]
    measure: str
    product: str
    before_start: date
    before_end: date
    after_start: date
    after_end: date
    check_result: str = Field(..., description="effective, not_effective, inconclusive; empty until checked")
    before_count: int | None
    after_count: int | None
    before_per_week: Decimal | None
    after_per_week: Decimal | None
    abandoned_reason: str


class ActionDetailOut(ActionOut):
    cases: list[str] = Field(..., description="References of the cases it came from that you may see")
    before_now: MeasureFiguresOut
    after_now: MeasureFiguresOut | None = Field(..., description="None until the after window has started")
    weeks: list[WeekOut]
    events: list[EventOut]


def _action_out(a: ImprovementAction) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "change": a.change,
        "stage": a.stage,
        "owner": a.owner_id,
        "due_date": a.due_date,
        "root_causes": sorted(rc.code for rc in a.root_causes.all()),
        "measure": a.measure,
        "product": a.product,
        "before_start": a.before_start,
        "before_end": a.before_end,
        "after_start": a.after_start,
        "after_end": a.after_end,
        "check_result": a.check_result,
        "before_count": a.before_count,
        "after_count": a.after_count,
        "before_per_week": a.before_per_week,
        "after_per_week": a.after_per_week,
        "abandoned_reason": a.abandoned_reason,
    }


def _detail(request, pk: int) -> dict:
    action = selectors.action_get(pk)
    measure = selectors.action_measure(action)
    return _action_out(action) | {
        "cases": sorted(c.reference for c in action.cases.all() if can_view_case(request.auth, c)),
        "before_now": measure.before,
        "after_now": measure.after,
        "weeks": measure.weeks,
        "events": [
            {
                "at": e.at,
                "actor": e.actor_id,
                "kind": e.kind,
                "from_stage": e.from_stage,
                "to_stage": e.to_stage,
                "note": e.note,
            }
            for e in action.events.order_by("at", "id")
        ],
    }


@router.get(
    "/improvement",
    response={200: list[ActionOut], **errors(403, 422)},
    summary="Improvement actions (open by default)",
)
def improvement_list(request, stage: str = "open"):
    require(can_see_improvement(request.auth))
    return [_action_out(a) for a in selectors.actions_listed(stage=stage)]


@router.post(
    "/improvement",
    response={200: ActionDetailOut, **errors(400, 403, 404, 413, 422)},
    summary="Plan an improvement action (team leaders, complaints leads)",
)
def improvement_plan(request, payload: ActionPlanIn):
    require(can_plan_improvement(request.auth), "Team leaders and complaints leads plan improvement actions")
    action = services.action_plan(actor=request.auth, plan=payload.plan())
    return _detail(request, action.pk)


@router.get(
    "/improvement/{action_id}",
    response={200: ActionDetailOut, **errors(403, 404, 422)},
    summary="One action, with its measure before and after, week by week, and its history",
)
def improvement_get(request, action_id: int):
    require(can_see_improvement(request.auth))
    return _detail(request, action_id)


def _movable(request, action_id: int) -> ImprovementAction:
    action = ImprovementAction.objects.filter(pk=action_id).first()
    require(
        action is not None and can_move_improvement(request.auth, action),
        "Its owner, team leaders and complaints leads move an improvement action",
    )
    return action  # type: ignore[return-value]


@router.post(
    "/improvement/{action_id}/stage",
    response={200: ActionDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Move to the next stage (or abandon, with the reason as the note)",
)
def improvement_stage(request, action_id: int, payload: StageIn):
    action = _movable(request, action_id)
    services.action_move(action=action, to=payload.to, actor=request.auth, note=payload.note)
    return _detail(request, action_id)


@router.post(
    "/improvement/{action_id}/check",
    response={200: ActionDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record the check (in Check): the result, and the before and after figures as they are now",
)
def improvement_check(request, action_id: int, payload: CheckIn):
    action = _movable(request, action_id)
    services.action_check_record(action=action, actor=request.auth, result=payload.result, note=payload.note)
    return _detail(request, action_id)


# --- lessons -----------------------------------------------------------------------------------------
class RecipientOut(Schema):
    user: int
    acknowledged_at: datetime | None


class LessonOut(Schema):
    id: int
    title: str
    what_happened: str
    what_learned: str
    what_changes: str
    action: int | None
    shared_by: int
    shared_at: datetime
    acknowledged_at: datetime | None = Field(..., description="When you acknowledged it (if shared with you)")
    recipients: list[RecipientOut] | None = Field(
        ..., description="Who was told and who has acknowledged: for whoever shared it and complaints leads"
    )


def _lesson_out(request, lesson) -> dict:
    mine = LessonRecipient.objects.filter(lesson=lesson, user=request.auth).first()
    answers = can_see_lesson_answers(request.auth, lesson)
    return {
        "id": lesson.pk,
        "title": lesson.title,
        "what_happened": lesson.what_happened,
        "what_learned": lesson.what_learned,
        "what_changes": lesson.what_changes,
        "action": lesson.action_id,
        "shared_by": lesson.shared_by_id,
        "shared_at": lesson.shared_at,
        "acknowledged_at": mine.acknowledged_at if mine else None,
        "recipients": [
            {"user": r.user_id, "acknowledged_at": r.acknowledged_at}
            for r in lesson.recipients.order_by("user_id")
        ]
        if answers
        else None,
    }


def _readable(request, lesson_id: int):
    lesson = selectors.lesson_get(lesson_id)
    mine = LessonRecipient.objects.filter(lesson=lesson, user=request.auth).exists()
    if not mine and not can_see_lesson_answers(request.auth, lesson):
        raise NotFound("No such lesson")
    return lesson


@router.get(
    "/lessons", response={200: list[LessonOut], **errors()}, summary="Lessons shared with you, and by you"
)
def lessons_list(request):
    received = [r.lesson for r in selectors.lessons_received(request.auth)]
    shared = selectors.lessons_shared(request.auth, everyone=can_see_every_lesson(request.auth))
    seen, rows = set(), []
    for lesson in [*received, *shared]:
        if lesson.pk not in seen:
            seen.add(lesson.pk)
            rows.append(_lesson_out(request, lesson))
    return rows


@router.post(
    "/lessons",
    response={200: LessonOut, **errors(400, 403, 404, 413, 422)},
    summary="Share a lesson learned with teams and people (each is told, and acknowledges it)",
)
def lesson_share(request, payload: LessonIn):
    require(can_share_lessons(request.auth), "Team leaders and complaints leads share lessons")
    return _lesson_out(request, lesson_services.lesson_share_from(actor=request.auth, data=payload))


@router.get("/lessons/{lesson_id}", response={200: LessonOut, **errors(404, 422)}, summary="One lesson")
def lesson_get(request, lesson_id: int):
    return _lesson_out(request, _readable(request, lesson_id))


@router.post(
    "/lessons/{lesson_id}/acknowledge",
    response={200: LessonOut, **errors(400, 403, 404, 422)},
    summary="Acknowledge a lesson shared with you",
)
def lesson_acknowledge(request, lesson_id: int):
    require(can_receive_lessons(request.auth), "Lessons are acknowledged by those they were shared with")
    lesson = selectors.lesson_get(lesson_id)
    lesson_services.lesson_acknowledge(lesson=lesson, user=request.auth)
    return _lesson_out(request, lesson)
