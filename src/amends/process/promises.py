"""The promise ledger: every commitment to a customer tracked to its due time (WM57 12)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError

from .models import Promise


def remind_time(made_at: datetime, due_at: datetime) -> datetime:
    """A day before, or half-way for promises due sooner than two days."""
    return due_at - min(timedelta(days=1), (due_at - made_at) / 2)


def _event(case: Case, kind: str, actor: Any, promise: Promise, reason: str = "") -> None:
    after = {"promise": promise.pk, "description": promise.description, "due": promise.due_at.isoformat()}
    case_event_record(case, kind=kind, actor=actor, after=after, reason=reason)


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
    _event(case, "promise_made", actor, promise)
    return promise


def _close(promise: Promise, status: str, actor: Any, note: str) -> Promise:
    promise = Promise.objects.select_for_update().get(pk=promise.pk)
    if promise.status != Promise.Status.OPEN:
        raise Conflict(f"This promise is already {promise.get_status_display().lower()}")
    promise.status, promise.closed_at, promise.note = status, timezone.now(), (note or "").strip()[:2000]
    promise.save(update_fields=["status", "closed_at", "note"])
    _event(promise.case, f"promise_{status}", actor, promise, reason=promise.note)
    return promise


@transaction.atomic
def promise_keep(*, promise: Promise, actor: Any, note: str = "") -> Promise:
    return _close(promise, Promise.Status.KEPT, actor, note)


@transaction.atomic
def promise_break(*, promise: Promise, actor: Any, note: str) -> Promise:
    """Recorded by a person, or by the worker when the due time passes with the promise still open."""
    return _close(promise, Promise.Status.BROKEN, actor, note)


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
