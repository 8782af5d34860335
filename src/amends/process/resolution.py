"""Agreeing the way forward with the customer and carrying it out (WM57 10-12; CFACSC4 P13, P15).

After the options are weighed and one is chosen (authority.py), the customer agrees it: who agreed, how and
when (`agreement_record`). Then the actions that carry it out: each a promise to the customer (promises.py)
or a task inside the organisation with an owner and a due time (`task_add`, `task_done`). The worker tells a
task's owner once when it passes its due time undone (`tasks_overdue`, claimed by tasks.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event, case_event_record, case_events_record
from amends.core.errors import Conflict, DomainError
from amends.core.permissions import owner_refusal

from .models import Agreement, Option, Task
from .notices import TASK_OVERDUE, Note, notify_case_people

NOTE_LIMIT = 2000


def _text(value: str, field: str, *, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{field.replace('_', ' ').capitalize()} is required", fields={field: "required"})
    if len(value) > limit:
        raise DomainError(
            f"{field.replace('_', ' ').capitalize()} is too long", fields={field: f"at most {limit}"}
        )
    return value


@transaction.atomic
def agreement_record(
    *,
    case: Case,
    actor: Any,
    option: Option,
    agreed_by: str,
    via: str,
    agreed_at: datetime | None = None,
    note: str = "",
) -> Agreement:
    """The customer agreed the chosen option (WM57 10): who agreed (the customer, or someone for them),
    how, and when (now unless said; never in the future)."""
    option = Option.objects.select_for_update().get(pk=option.pk)
    if option.case_id != case.pk:
        raise DomainError("That option is not on this case", fields={"option": "not on this case"})
    if option.status != Option.Status.CHOSEN:
        raise Conflict(
            "Choose the option first: the customer agrees the option we picked for them and for us",
            code="option_not_chosen",
            fields={"option": option.get_status_display().lower()},
        )
    if via not in Agreement.Via.values:
        raise DomainError("Say how the customer agreed", fields={"via": "unknown"})
    now = timezone.now()
    agreed_at = agreed_at or now
    if agreed_at > now:
        raise DomainError(
            "The customer cannot have agreed in the future", fields={"agreed_at": "in the future"}
        )
    agreement = Agreement.objects.create(
        case=case,
        option=option,
        agreed_by=_text(agreed_by, "agreed_by", limit=200),
        via=via,
        agreed_at=agreed_at,
        note=_text(note, "note", limit=NOTE_LIMIT, required=False),
        recorded_by=actor,
        recorded_at=now,
    )
    case_event_record(
        case,
        kind=EventKind.OPTION_AGREED,
        actor=actor,
        after={
            "option": option.pk,
            "title": option.title,
            "agreed_by": agreement.agreed_by,
            "via": via,
            "agreed_at": agreed_at.isoformat(),
        },
        reason=agreement.note,
    )
    return agreement


@transaction.atomic
def task_add(
    *,
    case: Case,
    actor: Any,
    title: str,
    owner: Any,
    due_at: datetime,
    option: Option | None = None,
) -> Task:
    """An action that carries out the agreed option, given to someone who may work the case (WM57 11)."""
    if owner is None:
        raise DomainError("Give the task an owner", fields={"owner": "required"})
    if refusal := owner_refusal(owner, team_id=case.team_id):
        raise DomainError(refusal[1], code="owner_refused", fields={"owner": refusal[0]})
    if option is not None and option.case_id != case.pk:
        raise DomainError("That option is not on this case", fields={"option": "not on this case"})
    now = timezone.now()
    if due_at is None or due_at <= now:
        raise DomainError("A task needs a due time in the future", fields={"due_at": "in the past"})
    task = Task.objects.create(
        case=case,
        option=option,
        title=_text(title, "title", limit=300),
        owner=owner,
        due_at=due_at,
        created_by=actor,
        created_at=now,
    )
    case_event_record(
        case,
        kind=EventKind.TASK_ADDED,
        actor=actor,
        after={"task": task.pk, "title": task.title, "owner": owner.pk, "due": due_at.isoformat()},
    )
    return task


@transaction.atomic
def task_done(*, task: Task, actor: Any, note: str = "") -> Task:
    """The task is done: by whom and when, with what was done if it needs saying."""
    task = Task.objects.select_for_update().select_related("case").get(pk=task.pk)
    if task.done_at is not None:
        raise Conflict("This task is already done")
    task.done_at, task.done_by = timezone.now(), actor
    task.note = _text(note, "note", limit=NOTE_LIMIT, required=False)
    task.save(update_fields=["done_at", "done_by", "note"])
    case_event_record(
        task.case,
        kind=EventKind.TASK_DONE,
        actor=actor,
        after={"task": task.pk, "title": task.title},
        reason=task.note,
    )
    return task


def tasks_overdue(*, tasks: list[Task], at: datetime) -> None:
    """These open tasks passed their due time: mark their owners told, record `task_overdue` on each case,
    and remind each owner in the routine digest, in the same transaction. Rows come locked by the worker."""
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(overdue_at=at)
    case_events_record(
        case_event(
            t.case,
            kind=EventKind.TASK_OVERDUE,
            actor=None,
            at=at,
            after={"task": t.pk, "title": t.title, "due": t.due_at.isoformat()},
        )
        for t in tasks
    )
    notify_case_people(
        [
            Note(
                t.case,
                f"{t.case.reference}: your task \u201c{t.title}\u201d was due "
                f"{timezone.localtime(t.due_at):%a %d %b %H:%M}",
                to=t.owner,
                topic=TASK_OVERDUE,
                subject=f"task {t.pk}",
            )
            for t in tasks
        ]
    )
