"""The worker's steps: claim rows whose due time has come and hand them to the service that acts once
and records it (process.services, process.promises; the outbox's step is messaging's, messaging/tasks.py).
Nothing here writes a row itself.

Each step runs in a transaction that locks the rows it claims. On PostgreSQL `SKIP LOCKED` lets two
workers take different rows; on SQLite the IMMEDIATE transaction (settings) lets one writer in at a
time. Either way a row is changed in the same transaction that claimed it, so no second worker can see
it as due again: every reminder is sent exactly once. What the step tells people (notifications) is
written in that same transaction, so a worker killed at any moment has either done a batch and told
everyone, or done nothing and left it due (`tests/test_worker_kill.py` kills one with SIGKILL to show it).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from amends.messaging.tasks import STEPS as MESSAGING_STEPS

from .hooks import worker_steps
from .models import CaseClock, CaseProcess, Promise, Task
from .promises import promises_lapse, promises_remind
from .resolution import tasks_overdue
from .services import clocks_breach, clocks_lapse, clocks_warn, progress_update_check

BATCH = 500


@dataclass
class SweepResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _step(name: str, due: QuerySet, act: Callable[[list], object]) -> int:
    """One batch of a step in one transaction: claim up to BATCH due rows, and act on them (the service
    marks them done, records events and notifies, all in this transaction). The number claimed."""
    with transaction.atomic():
        rows = _claim(due)
        if rows and settings.AMENDS_WORKER_HOLD:
            _hold_if_asked(name, "committed")
        act(rows)
        if rows and settings.AMENDS_WORKER_HOLD:
            _hold_if_asked(name, "written")
    return len(rows)


def _claim(qs: QuerySet) -> list:
    """Lock up to BATCH due rows; rows another worker holds are skipped, not waited for."""
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:BATCH])


def _hold_if_asked(step: str, point: str) -> None:
    """Fault injection for the kill test, never set in real use. AMENDS_WORKER_HOLD=STEP:written stops the
    worker for good inside the step's first transaction, once its rows are written and not yet committed;
    STEP:committed stops it just after that transaction commits, before anything else queued to run after
    the commit. Either way it says so on stdout and waits to be killed."""
    where = f"{step}:{point}"
    if where != settings.AMENDS_WORKER_HOLD:
        return
    if point == "committed":
        transaction.on_commit(lambda: _hold(where))  # queued before the step's own, so it runs first
    else:
        _hold(where)


def _hold(where: str) -> None:
    sys.stdout.write(f"holding at {where}\n")
    sys.stdout.flush()
    threading.Event().wait()


def warn_clocks(now: datetime) -> int:
    due = CaseClock.objects.filter(
        status=CaseClock.Status.RUNNING, warn_at__lte=now, warned_at__isnull=True, paused_at__isnull=True
    )
    return _step(
        "clock_warnings",
        due.select_related("case", "case__owner").order_by("warn_at", "id"),
        lambda clocks: clocks_warn(clocks=clocks, at=now),
    )


def breach_clocks(now: datetime) -> int:
    due = CaseClock.objects.filter(
        status=CaseClock.Status.RUNNING, due_at__lte=now, paused_at__isnull=True, optional=False
    )
    return _step(
        "clock_breaches",
        due.select_related("case", "case__owner").order_by("due_at", "id"),
        lambda clocks: clocks_breach(clocks=clocks, at=now),
    )


def lapse_optional_windows(now: datetime) -> int:
    due = CaseClock.objects.filter(status=CaseClock.Status.RUNNING, due_at__lte=now, optional=True)
    return _step(
        "optional_windows_lapsed",
        due.order_by("due_at", "id"),
        lambda clocks: clocks_lapse(clocks=clocks, at=now),
    )


def remind_promises(now: datetime) -> int:
    due = Promise.objects.filter(status=Promise.Status.OPEN, remind_at__lte=now, reminded_at__isnull=True)
    return _step(
        "promise_reminders",
        due.select_related("case", "case__owner", "owner").order_by("remind_at", "id"),
        lambda promises: promises_remind(promises=promises, at=now),
    )


def break_overdue_promises(now: datetime) -> int:
    due = Promise.objects.filter(status=Promise.Status.OPEN, due_at__lte=now)
    return _step(
        "promises_broken",
        due.select_related("case", "case__owner").order_by("due_at", "id"),
        lambda promises: promises_lapse(promises=promises, at=now),
    )


def tell_overdue_tasks(now: datetime) -> int:
    """Remind a task's owner, once, when it passes its due time undone (WM57 11)."""
    due = Task.objects.filter(done_at__isnull=True, overdue_at__isnull=True, due_at__lte=now)
    return _step(
        "tasks_overdue",
        due.select_related("case", "owner").order_by("due_at", "id"),
        lambda tasks: tasks_overdue(tasks=tasks, at=now),
    )


def keep_informed(now: datetime) -> int:
    """Remind the owner when a customer is due a progress update (WM57 13), unless one has gone out."""

    def check(processes: list[CaseProcess]) -> None:
        for process in processes:
            progress_update_check(process=process, at=now)

    due = CaseProcess.objects.filter(next_update_due__lte=now)
    return _step(
        "progress_updates", due.select_related("case", "case__owner").order_by("next_update_due", "id"), check
    )


STEPS = {
    "clock_warnings": warn_clocks,
    "clock_breaches": breach_clocks,
    "optional_windows_lapsed": lapse_optional_windows,
    "promise_reminders": remind_promises,
    "promises_broken": break_overdue_promises,
    "tasks_overdue": tell_overdue_tasks,
    "progress_updates": keep_informed,
}


def steps() -> dict[str, Callable[[datetime], int]]:
    """Every step of a sweep, in order: process's, those other apps add (`hooks.worker_steps`: intake's
    team mailboxes), and last the outbox, so mail queued by the steps before it leaves in the same sweep."""
    return {**STEPS, **worker_steps.merged(), **MESSAGING_STEPS}


def sweep(now: datetime | None = None) -> SweepResult:
    """One pass over everything due. Each step repeats until nothing it can claim is left."""
    now = now or timezone.now()
    result = SweepResult()
    for name, step in steps().items():
        total = 0
        while True:
            done = step(now)
            total += done
            if done < BATCH:
                break
        result.counts[name] = total
    return result
