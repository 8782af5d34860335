"""The worker's steps: claim rows whose due time has come and hand them to the service that acts once
and records it (process.services, process.promises; the outbox's step is messaging's, messaging/tasks.py).
Nothing here writes a row itself.

Each step runs in a transaction that locks the rows it claims. On PostgreSQL `SKIP LOCKED` lets two
workers take different rows; on SQLite the IMMEDIATE transaction (settings) lets one writer in at a
time. Either way a row is changed in the same transaction that claimed it, so no second worker can see
it as due again: every reminder is sent exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from amends.messaging.tasks import STEPS as MESSAGING_STEPS

from .models import CaseClock, CaseProcess, Promise
from .promises import promises_lapse, promises_remind
from .services import clocks_breach, clocks_lapse, clocks_warn, progress_update_check

BATCH = 500


@dataclass
class SweepResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _claim(qs: QuerySet) -> list:
    """Lock up to BATCH due rows; rows another worker holds are skipped, not waited for."""
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:BATCH])


def warn_clocks(now: datetime) -> int:
    with transaction.atomic():
        clocks = _claim(
            CaseClock.objects.filter(
                status=CaseClock.Status.RUNNING,
                warn_at__lte=now,
                warned_at__isnull=True,
                paused_at__isnull=True,
            )
            .select_related("case", "case__owner")
            .order_by("warn_at", "id")
        )
        clocks_warn(clocks=clocks, at=now)
    return len(clocks)


def breach_clocks(now: datetime) -> int:
    with transaction.atomic():
        clocks = _claim(
            CaseClock.objects.filter(
                status=CaseClock.Status.RUNNING, due_at__lte=now, paused_at__isnull=True, optional=False
            )
            .select_related("case", "case__owner")
            .order_by("due_at", "id")
        )
        clocks_breach(clocks=clocks, at=now)
    return len(clocks)


def lapse_optional_windows(now: datetime) -> int:
    with transaction.atomic():
        clocks = _claim(
            CaseClock.objects.filter(
                status=CaseClock.Status.RUNNING, due_at__lte=now, optional=True
            ).order_by("due_at", "id")
        )
        clocks_lapse(clocks=clocks, at=now)
    return len(clocks)


def remind_promises(now: datetime) -> int:
    with transaction.atomic():
        promises = _claim(
            Promise.objects.filter(status=Promise.Status.OPEN, remind_at__lte=now, reminded_at__isnull=True)
            .select_related("case", "case__owner")
            .order_by("remind_at", "id")
        )
        promises_remind(promises=promises, at=now)
    return len(promises)


def break_overdue_promises(now: datetime) -> int:
    with transaction.atomic():
        promises = _claim(
            Promise.objects.filter(status=Promise.Status.OPEN, due_at__lte=now)
            .select_related("case", "case__owner")
            .order_by("due_at", "id")
        )
        promises_lapse(promises=promises, at=now)
    return len(promises)


def keep_informed(now: datetime) -> int:
    """Remind the owner when a customer is due a progress update (WM57 13), unless one has gone out."""
    with transaction.atomic():
        processes = _claim(
            CaseProcess.objects.filter(next_update_due__lte=now)
            .select_related("case", "case__owner")
            .order_by("next_update_due", "id")
        )
        for process in processes:
            progress_update_check(process=process, at=now)
    return len(processes)


STEPS = {
    "clock_warnings": warn_clocks,
    "clock_breaches": breach_clocks,
    "optional_windows_lapsed": lapse_optional_windows,
    "promise_reminders": remind_promises,
    "promises_broken": break_overdue_promises,
    "progress_updates": keep_informed,
    # Last, so mail queued by the steps above leaves in the same sweep.
    **MESSAGING_STEPS,
}


def sweep(now: datetime | None = None) -> SweepResult:
    """One pass over everything due. Each step repeats until nothing it can claim is left."""
    now = now or timezone.now()
    result = SweepResult()
    for name, step in STEPS.items():
        total = 0
        while True:
            done = step(now)
            total += done
            if done < BATCH:
                break
        result.counts[name] = total
    return result
