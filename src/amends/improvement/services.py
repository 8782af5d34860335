"""Improvement actions through Plan-Do-Check-Act: one service per stage change, each writing an
`ImprovementEvent` (who, when, from, to, why) in the same transaction.

    PLAN --action_do--> DO --action_check--> CHECK --action_act--> ACT --action_close--> CLOSED
    any open stage --action_abandon (a reason)--> ABANDONED

`action_check` needs the after window to have started; `action_act` needs a check recorded while in CHECK
(`action_check_record`: effective / not effective / inconclusive, with the before and after figures as they
were). Asked for a stage that is not the next one, a service refuses (`TransitionNotAllowed`) and changes
nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import DomainError, NotFound, TransitionNotAllowed
from amends.core.permissions import improvement_owners_scope
from amends.core.services import notify
from amends.process.models import RootCause

from . import measures
from .models import OPEN_STAGES, CheckResult, ImprovementAction, ImprovementEvent, Measure, Stage

TEXT_LIMIT = 10_000


def _text(value: str, field: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{field.replace('_', ' ').capitalize()} is required", fields={field: "required"})
    if len(value) > limit:
        raise DomainError(
            f"{field.replace('_', ' ').capitalize()} is too long", fields={field: f"at most {limit}"}
        )
    return value


def _event(action: ImprovementAction, kind: str, actor: Any, **kwargs) -> ImprovementEvent:
    return ImprovementEvent.objects.create(
        action=action,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        **kwargs,
    )


@dataclass(frozen=True)
class ActionPlan:
    """What a new action says: the page's form and the API's input both become one."""

    title: str
    change: str
    owner_id: int
    due_date: date
    before_start: date
    before_end: date
    after_start: date
    after_end: date
    root_causes: tuple[str, ...] = ()  # codes
    cases: tuple[str, ...] = ()  # references
    measure: str = Measure.ROOT_CAUSE
    product: str = ""


def _windows(plan: ActionPlan) -> None:
    if plan.before_start > plan.before_end:
        raise DomainError(
            "The before window ends before it starts", fields={"before_end": "after before_start"}
        )
    if plan.after_start > plan.after_end:
        raise DomainError("The after window ends before it starts", fields={"after_end": "after after_start"})
    if plan.after_start <= plan.before_end:
        raise DomainError(
            "The after window starts once the before window has ended",
            fields={"after_start": "after before_end"},
        )


@transaction.atomic
def action_plan(*, actor: Any, plan: ActionPlan) -> ImprovementAction:
    """A new action in PLAN, with its owner told."""
    title = _text(plan.title, "title", limit=200)
    change = _text(plan.change, "change")
    owner = get_user_model().objects.filter(improvement_owners_scope(), pk=plan.owner_id).first()
    if owner is None:
        raise NotFound("No such person who works cases to own the action", fields={"owner": "unknown"})
    _windows(plan)
    causes = list(RootCause.objects.filter(code__in=set(plan.root_causes)))
    missing = set(plan.root_causes) - {c.code for c in causes}
    if missing:
        raise NotFound(f"No root cause {', '.join(sorted(missing))}", fields={"root_causes": "unknown"})
    cases = list(Case.objects.filter(reference__in=set(plan.cases)))
    unknown = set(plan.cases) - {c.reference for c in cases}
    if unknown:
        raise NotFound(f"No case {', '.join(sorted(unknown))}", fields={"cases": "unknown"})
    if plan.measure not in Measure.values:
        raise DomainError("Unknown measure", fields={"measure": ", ".join(Measure.values)})
    product = _text(plan.product, "product", required=plan.measure == Measure.PRODUCT, limit=100)
    if plan.measure == Measure.ROOT_CAUSE and not causes:
        raise DomainError(
            "Name the root cause(s) whose complaints the action should reduce",
            fields={"root_causes": "required"},
        )
    now = timezone.now()
    action = ImprovementAction.objects.create(
        title=title,
        change=change,
        owner=owner,
        due_date=plan.due_date,
        measure=plan.measure,
        product=product,
        before_start=plan.before_start,
        before_end=plan.before_end,
        after_start=plan.after_start,
        after_end=plan.after_end,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    action.root_causes.set(causes)
    action.cases.set(cases)
    _event(
        action,
        ImprovementEvent.Kind.CREATED,
        actor,
        to_stage=Stage.PLAN,
        data={"root_causes": sorted(c.code for c in causes), "cases": sorted(c.reference for c in cases)},
    )
    if owner.pk != getattr(actor, "pk", None):
        notify(
            users=[owner],
            text=f"You own an improvement action: {title} (due {plan.due_date:%-d %b %Y})",
            link=reverse("improvement_action", args=[action.pk]),
            urgent=False,
        )
    return action


def _move(action: ImprovementAction, *, to: str, expected: tuple[str, ...], actor: Any, note: str, **data):
    """Lock the action, refuse anything but the next stage, save the stage, write its event."""
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if locked.stage not in expected:
        raise TransitionNotAllowed(
            f"An action in {locked.get_stage_display()} cannot move to {Stage(to).label}",
            fields={"stage": f"is {locked.stage}; {to} follows {' or '.join(expected)}"},
        )
    from_stage = locked.stage
    locked.stage = to
    locked.updated_at = timezone.now()
    for name, value in data.items():
        setattr(locked, name, value)
    locked.save(update_fields=["stage", "updated_at", *data])
    _event(locked, ImprovementEvent.Kind.STAGE_CHANGED, actor, from_stage=from_stage, to_stage=to, note=note)
    return locked


@transaction.atomic
def action_do(*, action: ImprovementAction, actor: Any, note: str = "") -> ImprovementAction:
    """PLAN -> DO: the change is being made."""
    return _move(
        action, to=Stage.DO, expected=(Stage.PLAN,), actor=actor, note=_text(note, "note", required=False)
    )


@transaction.atomic
def action_check(*, action: ImprovementAction, actor: Any, note: str = "") -> ImprovementAction:
    """DO -> CHECK: once the after window has started, its effect can be checked."""
    note = _text(note, "note", required=False)
    today = timezone.localdate()
    if action.stage == Stage.DO and action.after_start > today:
        raise DomainError(
            f"The after window starts on {action.after_start:%-d %b %Y}: check once it has started",
            code="too_early",
            fields={"after_start": action.after_start.isoformat()},
        )
    return _move(action, to=Stage.CHECK, expected=(Stage.DO,), actor=actor, note=note)


@transaction.atomic
def action_check_record(
    *, action: ImprovementAction, actor: Any, result: str, note: str
) -> ImprovementAction:
    """In CHECK: the result and the before and after figures it was judged on, stored as they are now."""
    locked = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if locked.stage != Stage.CHECK:
        raise TransitionNotAllowed(
            "A check is recorded while the action is in Check", fields={"stage": f"is {locked.stage}"}
        )
    if result not in CheckResult.values:
        raise DomainError(
            "The result is effective, not effective or inconclusive", fields={"result": "unknown"}
        )
    note = _text(note, "note")
    spec = measures.spec_of(locked)
    before = measures.window_figures(spec, measures.Window(locked.before_start, locked.before_end))
    after_end = min(locked.after_end, timezone.localdate())
    after = measures.window_figures(spec, measures.Window(locked.after_start, after_end))
    locked.check_result, locked.check_note = result, note
    locked.before_count, locked.before_per_week = before.count, before.per_week
    locked.after_count, locked.after_per_week = after.count, after.per_week
    locked.checked_at = locked.updated_at = timezone.now()
    locked.save()
    _event(
        locked,
        ImprovementEvent.Kind.CHECK_RECORDED,
        actor,
        note=note,
        data={
            "result": result,
            "before": {"count": before.count, "per_week": str(before.per_week)},
            "after": {"count": after.count, "per_week": str(after.per_week), "to": after_end.isoformat()},
        },
    )
    return locked


def action_measure_reading(action: ImprovementAction) -> str:
    """What the figures alone suggest now (measures.suggested_result), for whoever records the check."""
    spec = measures.spec_of(action)
    before = measures.window_figures(spec, measures.Window(action.before_start, action.before_end))
    after_end = min(action.after_end, timezone.localdate())
    if action.after_start > after_end:
        return CheckResult.INCONCLUSIVE
    after = measures.window_figures(spec, measures.Window(action.after_start, after_end))
    return measures.suggested_result(before, after)


@transaction.atomic
def action_act(*, action: ImprovementAction, actor: Any, note: str) -> ImprovementAction:
    """CHECK -> ACT: what is kept, spread or changed again, once the check is recorded."""
    note = _text(note, "note")
    if (
        action.stage == Stage.CHECK
        and not ImprovementAction.objects.filter(pk=action.pk).exclude(check_result="").exists()
    ):
        raise DomainError(
            "Record the check (effective, not effective or inconclusive) before acting on it",
            code="no_check",
            fields={"check_result": "required"},
        )
    return _move(action, to=Stage.ACT, expected=(Stage.CHECK,), actor=actor, note=note)


@transaction.atomic
def action_close(*, action: ImprovementAction, actor: Any, note: str = "") -> ImprovementAction:
    """ACT -> CLOSED."""
    return _move(
        action, to=Stage.CLOSED, expected=(Stage.ACT,), actor=actor, note=_text(note, "note", required=False)
    )


@transaction.atomic
def action_abandon(*, action: ImprovementAction, actor: Any, reason: str) -> ImprovementAction:
    """Any open stage -> ABANDONED, with the reason."""
    reason = _text(reason, "reason")
    return _move(
        action, to=Stage.ABANDONED, expected=OPEN_STAGES, actor=actor, note=reason, abandoned_reason=reason
    )


# The page's and the API's "move to": the one service for each stage.
STAGE_SERVICES = {
    Stage.DO: lambda action, actor, note: action_do(action=action, actor=actor, note=note),
    Stage.CHECK: lambda action, actor, note: action_check(action=action, actor=actor, note=note),
    Stage.ACT: lambda action, actor, note: action_act(action=action, actor=actor, note=note),
    Stage.CLOSED: lambda action, actor, note: action_close(action=action, actor=actor, note=note),
    Stage.ABANDONED: lambda action, actor, note: action_abandon(action=action, actor=actor, reason=note),
}


def action_move(*, action: ImprovementAction, to: str, actor: Any, note: str = "") -> ImprovementAction:
    service = STAGE_SERVICES.get(to)  # type: ignore[call-overload]
    if service is None:
        raise DomainError("No such stage to move to", fields={"to": ", ".join(STAGE_SERVICES)})
    return service(action, actor, note)


def overdue_remind(now) -> int:
    """The worker's step: tell the owner of each open action past its due date, once per due date."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = (
            ImprovementAction.objects.filter(stage__in=OPEN_STAGES, due_date__lt=today)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due_date")))
            .select_related("owner")
            .order_by("due_date", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        actions = list(due[:500])
        for action in actions:
            notify(
                users=[action.owner] if action.owner.is_active else [],
                text=f"Overdue improvement action: {action.title} (due {action.due_date:%-d %b %Y}, "
                f"in {action.get_stage_display()})",
                link=reverse("improvement_action", args=[action.pk]),
                urgent=False,
            )
            ImprovementAction.objects.filter(pk=action.pk).update(reminded_for=action.due_date)
            _event(
                action, ImprovementEvent.Kind.REMINDED, None, data={"due_date": action.due_date.isoformat()}
            )
    return len(actions)


def worker_steps() -> dict:
    return {"improvement_overdue": overdue_remind}
