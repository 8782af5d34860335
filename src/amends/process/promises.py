"""The promise ledger: every commitment to a customer tracked to its due time (WM57 12)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event, case_events_record
from amends.core.errors import Conflict, DomainError

from .models import Promise
from .notices import PROMISE_REMINDER, Note, notify_case_people
from .rules import PROMISE_LAPSED_NOTE


def remind_time(made_at: datetime, due_at: datetime) -> datetime:
    """A day before, or half-way for promises due sooner than two days."""
    return due_at - min(timedelta(days=1), (due_at - made_at) / 2)


CLOSED_EVENTS = {
    Promise.Status.KEPT: EventKind.PROMISE_KEPT,
    Promise.Status.BROKEN: EventKind.PROMISE_BROKEN,
    Promise.Status.RENEGOTIATED: EventKind.PROMISE_RENEGOTIATED,
}


def _event_of(case: Case, kind: EventKind, actor: Any, promise: Promise, reason: str = ""):
    after = {"promise": promise.pk, "description": promise.description, "due": promise.due_at.isoformat()}
    return case_event(case, kind=kind, actor=actor, after=after, reason=reason)


@transaction.atomic
def promise_make(*, case: Case, actor: Any, description: str, due_at: datetime, owner: Any = None) -> Promise:
    description = (description or "").strip()
    if not description or len(description) > 300:
        raise DomainError("Say what was promised (up to 300 characters)", fields={"description": "required"})
    now = timezone.now()
    if due_at is None or due_at <= now:
        raise DomainError("A promise needs a due time in the future", fields={"due_at": "in the past"})
    promise = Promise.objects.create(
        case=case,
        description=description,
        owner=owner or actor,
        due_at=due_at,
        remind_at=remind_time(now, due_at),
        made_by=actor,
        made_at=now,
    )
    case_events_record([_event_of(case, EventKind.PROMISE_MADE, actor, promise)])
    return promise


def _close(promise: Promise, status: str, actor: Any, note: str) -> Promise:
    return promises_close(promises=[promise], status=status, actor=actor, note=note, at=timezone.now())[0]


def promises_close(
    *, promises: list[Promise], status: str, actor: Any, note: str, at: datetime
) -> list[Promise]:
    """Close open promises as kept, broken or renegotiated, each with an event on its case. Refused,
    changing nothing, if any of them is no longer open. Call inside a transaction.

    The rows are locked and their status read afresh, but the caller's objects are the ones changed and
    returned, so whatever it loaded with them (the worker loads each case's owner) is not fetched again.
    """
    ids = [p.pk for p in promises]
    current = dict(Promise.objects.select_for_update().filter(pk__in=ids).values_list("pk", "status"))
    if closed := [p for p in promises if current[p.pk] != Promise.Status.OPEN]:
        closed[0].status = current[closed[0].pk]
        raise Conflict(f"This promise is already {closed[0].get_status_display().lower()}")
    note = (note or "").strip()[:2000]
    Promise.objects.filter(pk__in=ids).update(status=status, closed_at=at, note=note)
    for promise in promises:
        promise.status, promise.closed_at, promise.note = status, at, note
    case_events_record(_event_of(p.case, CLOSED_EVENTS[status], actor, p, reason=note) for p in promises)
    return promises


@transaction.atomic
def promise_keep(*, promise: Promise, actor: Any, note: str = "") -> Promise:
    return _close(promise, Promise.Status.KEPT, actor, note)


@transaction.atomic
def promise_break(*, promise: Promise, actor: Any, note: str) -> Promise:
    """Recorded by a person; the worker breaks lapsed promises in bulk (`promises_lapse`)."""
    return _close(promise, Promise.Status.BROKEN, actor, note)


def promises_lapse(*, promises: list[Promise], at: datetime) -> list[Promise]:
    """These open promises passed their due time without being kept: broken, recorded, and the owner
    and team leaders told. Rows come locked by the worker."""
    broken = promises_close(
        promises=promises, status=Promise.Status.BROKEN, actor=None, note=PROMISE_LAPSED_NOTE, at=at
    )
    notify_case_people(
        [(p.case, f"{p.case.reference}: promise broken \u2014 {p.description}", True) for p in broken]
    )
    return broken


def promises_remind(*, promises: list[Promise], at: datetime) -> None:
    """These open promises reach their reminder time: mark them reminded, record a `promise_reminder`,
    and remind the owner, in the same transaction. Rows come locked by the worker."""
    Promise.objects.filter(pk__in=[p.pk for p in promises]).update(reminded_at=at)
    case_events_record(
        case_event(
            p.case,
            kind=EventKind.PROMISE_REMINDER,
            actor=None,
            at=at,
            after={"promise": p.pk, "due": p.due_at.isoformat()},
        )
        for p in promises
    )
    notify_case_people(
        [
            Note(
                p.case,
                f"{p.case.reference}: you promised \u201c{p.description}\u201d by {_due(p.due_at)}",
                to=p.owner,
                topic=PROMISE_REMINDER,
                subject=f"promise {p.pk}",
            )
            for p in promises
        ]
    )


def _due(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


@transaction.atomic
def promise_renegotiate(*, promise: Promise, actor: Any, new_due_at: datetime, note: str) -> Promise:
    """The customer agreed a new time before the old one passed: the old promise is replaced, not broken."""
    if not (note or "").strip():
        raise DomainError("Note what the customer agreed to", fields={"note": "required"})
    old = _close(promise, Promise.Status.RENEGOTIATED, actor, note)
    new = promise_make(
        case=old.case, actor=actor, description=old.description, due_at=new_due_at, owner=old.owner
    )
    Promise.objects.filter(pk=old.pk).update(replaced_by=new)
    return new


def kept_rate(promises) -> dict[str, Any]:
    """Kept share of closed promises (renegotiated ones count as neither kept nor broken)."""
    counts = promises.aggregate(
        kept=Count("id", filter=Q(status=Promise.Status.KEPT)),
        broken=Count("id", filter=Q(status=Promise.Status.BROKEN)),
        open=Count("id", filter=Q(status=Promise.Status.OPEN)),
    )
    decided = counts["kept"] + counts["broken"]
    counts["rate"] = round(counts["kept"] / decided, 3) if decided else None
    return counts
