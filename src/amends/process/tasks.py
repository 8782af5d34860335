"""The worker's steps: claim rows whose due time has come, act once, record it.

Each step runs in a transaction that locks the rows it claims. On PostgreSQL `SKIP LOCKED` lets two
workers take different rows; on SQLite the IMMEDIATE transaction (settings) lets one writer in at a
time. Either way a row is changed in the same transaction that claimed it, so no second worker can see
it as due again: every reminder is sent exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.core.models import Role
from amends.core.services import notify

from .models import CaseClock, CaseProcess, Promise

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


def _people_for(case: Case) -> list:
    """The owner and the team's leaders: who hears about a clock before and when it breaches."""
    users = get_user_model().objects.filter(is_active=True)
    leaders = (
        list(users.filter(staff__team_id=case.team_id, staff__role=Role.TEAM_LEADER)) if case.team_id else []
    )
    return ([case.owner] if case.owner_id else []) + leaders


def _link(case: Case) -> str:
    return reverse("case_detail", args=[case.reference])


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
        for clock in clocks:
            clock.warned_at = now
            clock.save(update_fields=["warned_at"])
            CaseEvent.objects.create(
                case=clock.case,
                at=now,
                kind="clock_warning",
                after={"clock": clock.code, "due": clock.due_at.isoformat()},
            )
            case = clock.case
            transaction.on_commit(
                lambda c=case, k=clock: notify(
                    users=_people_for(c),
                    text=f"{c.reference}: {k.name} due {timezone.localtime(k.due_at):%a %d %b %H:%M}",
                    link=_link(c),
                )
            )
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
        for clock in clocks:
            clock.status, clock.breached_at = CaseClock.Status.BREACHED, now
            clock.save(update_fields=["status", "breached_at"])
            CaseEvent.objects.create(
                case=clock.case,
                at=now,
                kind="clock_breached",
                after={"clock": clock.code, "due": clock.due_at.isoformat(), "regulatory": clock.regulatory},
            )
            case = clock.case
            transaction.on_commit(
                lambda c=case, k=clock: notify(
                    users=_people_for(c),
                    text=f"{c.reference}: {k.name} was due and is now breached",
                    link=_link(c),
                )
            )
    return len(clocks)


def lapse_optional_windows(now: datetime) -> int:
    """An optional window (FCA summary resolution by the third business day) passing is not a breach."""
    with transaction.atomic():
        clocks = _claim(
            CaseClock.objects.filter(
                status=CaseClock.Status.RUNNING, due_at__lte=now, optional=True
            ).order_by("due_at", "id")
        )
        CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(status=CaseClock.Status.LAPSED)
    return len(clocks)


def remind_promises(now: datetime) -> int:
    with transaction.atomic():
        promises = _claim(
            Promise.objects.filter(status=Promise.Status.OPEN, remind_at__lte=now, reminded_at__isnull=True)
            .select_related("case", "owner")
            .order_by("remind_at", "id")
        )
        for promise in promises:
            promise.reminded_at = now
            promise.save(update_fields=["reminded_at"])
            CaseEvent.objects.create(
                case=promise.case,
                at=now,
                kind="promise_reminder",
                after={"promise": promise.pk, "due": promise.due_at.isoformat()},
            )
            transaction.on_commit(
                lambda p=promise: notify(
                    users=[p.owner],
                    text=f"{p.case.reference}: you promised \u201c{p.description}\u201d by "
                    f"{timezone.localtime(p.due_at):%a %d %b %H:%M}",
                    link=_link(p.case),
                )
            )
    return len(promises)


def break_overdue_promises(now: datetime) -> int:
    with transaction.atomic():
        promises = _claim(
            Promise.objects.filter(status=Promise.Status.OPEN, due_at__lte=now)
            .select_related("case", "owner")
            .order_by("due_at", "id")
        )
        for promise in promises:
            promise.status, promise.closed_at = Promise.Status.BROKEN, now
            promise.note = "Due time passed without the promise being marked kept"
            promise.save(update_fields=["status", "closed_at", "note"])
            CaseEvent.objects.create(
                case=promise.case,
                at=now,
                kind="promise_broken",
                after={"promise": promise.pk, "description": promise.description},
                reason=promise.note,
            )
            transaction.on_commit(
                lambda p=promise: notify(
                    users=[p.owner, *_people_for(p.case)],
                    text=f"{p.case.reference}: promise broken \u2014 {p.description}",
                    link=_link(p.case),
                )
            )
    return len(promises)


def keep_informed(now: datetime) -> int:
    """Remind the owner when a customer is due a progress update (WM57 13), unless one has gone out."""
    from .services import next_update_after

    with transaction.atomic():
        processes = _claim(
            CaseProcess.objects.filter(next_update_due__lte=now)
            .select_related("case", "case__owner")
            .order_by("next_update_due", "id")
        )
        reminded = 0  # for reading; the sweep loops on rows claimed
        for process in processes:
            case = process.case
            if not case.is_open:
                process.next_update_due = None
                process.save(update_fields=["next_update_due"])
                continue
            last_out = (
                case.messages.filter(direction="out")
                .order_by("-occurred_at")
                .values_list("occurred_at", flat=True)
                .first()
            )
            interval_start = max(
                filter(None, [last_out, process.next_update_reminded_at, process.received_at])
            )
            due = next_update_after(process, interval_start)
            if due > now:  # an update went out since: just move the date on
                process.next_update_due = due
                process.save(update_fields=["next_update_due"])
                continue
            process.next_update_reminded_at = now
            process.next_update_due = next_update_after(process, now)
            process.save(update_fields=["next_update_reminded_at", "next_update_due"])
            CaseEvent.objects.create(
                case=case,
                at=now,
                kind="update_due",
                after={"last_update": last_out.isoformat() if last_out else None},
            )
            transaction.on_commit(
                lambda c=case: notify(
                    users=_people_for(c),
                    text=f"{c.reference}: the customer is due a progress update",
                    link=_link(c) + "#keep-informed",
                )
            )
            reminded += 1
    return len(processes)


STEPS = {
    "clock_warnings": warn_clocks,
    "clock_breaches": breach_clocks,
    "optional_windows_lapsed": lapse_optional_windows,
    "promise_reminders": remind_promises,
    "promises_broken": break_overdue_promises,
    "progress_updates": keep_informed,
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
