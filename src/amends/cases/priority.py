"""A case's priority: normal, or raised with a reason (`CasePriority`). The one place its rows are written.

Why a priority of its own and not a higher risk: risk is what the customer's messages read like (signals,
0-100) and its filter says "high risk"; a customer who told us they need extra time is not a risk, and an
adviser sorting by risk to find threats should not find them mixed in. A raised priority shows as its own
badge on the queue row and the case page and is a queue filter ("Priority raised"), so a team leader can
work those cases first without the queue's order changing under everyone (HOS and LGSCO codes: stage 1
triage considers whether the person is vulnerable; regulation.md section 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import DomainError

from .events import EventKind
from .hooks import QueueFilter, queue_filters
from .models import Case, CasePriority
from .services import case_event, case_events_record

SOURCES = {"care": "Support needs", "staff": "A person's judgement"}


@transaction.atomic
def cases_priority_raise(cases: Iterable[Case], *, source: str, reason: str, actor: Any) -> list[Case]:
    """Raise these cases' priority for `reason`; a case already raised keeps its first reason. Returns the
    cases raised now, each with a `priority_raised` event."""
    if source not in SOURCES:
        raise DomainError(f"Unknown priority source {source!r}", fields={"source": "unknown"})
    reason = (reason or "").strip()[:300]
    if not reason:
        raise DomainError("Say why the priority is raised", fields={"reason": "required"})
    by_id = {case.pk: case for case in cases}
    already = set(CasePriority.objects.filter(case_id__in=by_id).values_list("case_id", flat=True))
    raised = [case for pk, case in by_id.items() if pk not in already]
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    CasePriority.objects.bulk_create(
        [CasePriority(case=c, reason=reason, source=source, raised_at=now, raised_by=who) for c in raised]
    )
    case_events_record(
        case_event(c, kind=EventKind.PRIORITY_RAISED, actor=actor, at=now, after={"reason": reason})
        for c in raised
    )
    return raised


def case_priority_raise(*, case: Case, source: str, reason: str, actor: Any) -> bool:
    """Raise one case's priority; False when it was already raised."""
    return bool(cases_priority_raise([case], source=source, reason=reason, actor=actor))


@transaction.atomic
def cases_priority_lower(cases: Iterable[Case], *, source: str, reason: str, actor: Any) -> list[Case]:
    """Put these cases back to normal priority where `source` raised it (a raise by another source stays).
    Returns the cases lowered, each with a `priority_lowered` event."""
    by_id = {case.pk: case for case in cases}
    rows = CasePriority.objects.select_for_update().filter(case_id__in=by_id, source=source)
    lowered = [by_id[pk] for pk in rows.values_list("case_id", flat=True)]
    rows.delete()
    now = timezone.now()
    case_events_record(
        case_event(c, kind=EventKind.PRIORITY_LOWERED, actor=actor, at=now, reason=(reason or "")[:300])
        for c in lowered
    )
    return lowered


def raised_priority(case: Case) -> CasePriority | None:
    """The case's raised priority, or None (no query when the case was read with select_related)."""
    try:
        return case.priority
    except CasePriority.DoesNotExist:
        return None


PRIORITY_FILTER = QueueFilter(
    code="priority", label="Priority raised", apply=lambda cases: cases.filter(priority__isnull=False)
)


def register() -> None:
    queue_filters.register(PRIORITY_FILTER)
