"""The worker's steps: claim rows whose due time has come, act once, record it.

Each step runs in a transaction that locks the rows it claims. On PostgreSQL `SKIP LOCKED` lets two
workers take different rows; on SQLite the IMMEDIATE transaction (settings) lets one writer in at a
time. Either way a row is changed in the same transaction that claimed it, so no second worker can see
it as due again: every reminder is sent exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.core.models import Notification, Role

from .models import CaseClock, CaseProcess, Promise
from .rules import PROMISE_LAPSED_NOTE

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


DIGEST_AFTER = 3  # more notes than this for one person in one batch become one summary line


def _notify_about(notes: list[tuple[Case, str, bool]]) -> None:
    """Notify each case's owner and (when the flag is set) its team's leaders, in one go.

    Runs after commit; two queries whatever the number of notes. A person with many notes in one batch
    (a morning's breaches) gets the first few and one summary line, not hundreds of rows.
    """
    if not notes:
        return
    team_ids = {case.team_id for case, _, leaders in notes if leaders and case.team_id}
    leaders: dict[int, list] = {}
    for user in (
        get_user_model()
        .objects.filter(is_active=True, staff__team_id__in=team_ids, staff__role=Role.TEAM_LEADER)
        .select_related("staff")
    ):
        leaders.setdefault(user.staff.team_id, []).append(user)
    per_user: dict[int, tuple[Any, list[tuple[Case, str]]]] = {}
    for case, text, to_leaders in notes:
        people = [case.owner] if case.owner_id else []
        if to_leaders:
            people += leaders.get(case.team_id, [])
        for user in people:
            per_user.setdefault(user.pk, (user, []))[1].append((case, text))
    now = timezone.now()
    rows = []
    for user, items in per_user.values():
        shown = items if len(items) <= DIGEST_AFTER else items[: DIGEST_AFTER - 1]
        rows += [
            Notification(
                user=user, text=text[:300], link=reverse("case_detail", args=[case.reference]), created_at=now
            )
            for case, text in shown
        ]
        if len(items) > len(shown):
            rows.append(
                Notification(
                    user=user,
                    created_at=now,
                    link=reverse("queue") + "?queue=due",
                    text=f"{len(items) - len(shown)} more cases need attention: see the due queue",
                )
            )
    Notification.objects.bulk_create(rows, batch_size=1000)


def _after_commit(notes: list[tuple[Case, str, bool]]) -> None:
    transaction.on_commit(lambda: _notify_about(notes))


def _events(rows) -> None:
    CaseEvent.objects.bulk_create(rows, batch_size=1000)


def _due(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%a %d %b %H:%M}"


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
        CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(warned_at=now)
        _events(
            [
                CaseEvent(
                    case=c.case,
                    at=now,
                    kind="clock_warning",
                    after={"clock": c.code, "due": c.due_at.isoformat()},
                )
                for c in clocks
            ]
        )
        _after_commit([(c.case, f"{c.case.reference}: {c.name} due {_due(c.due_at)}", True) for c in clocks])
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
        CaseClock.objects.filter(pk__in=[c.pk for c in clocks]).update(
            status=CaseClock.Status.BREACHED, breached_at=now
        )
        _events(
            [
                CaseEvent(
                    case=c.case,
                    at=now,
                    kind="clock_breached",
                    after={"clock": c.code, "due": c.due_at.isoformat(), "regulatory": c.regulatory},
                )
                for c in clocks
            ]
        )
        _after_commit(
            [(c.case, f"{c.case.reference}: {c.name} was due and is now breached", True) for c in clocks]
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
            .select_related("case", "case__owner")
            .order_by("remind_at", "id")
        )
        Promise.objects.filter(pk__in=[p.pk for p in promises]).update(reminded_at=now)
        _events(
            [
                CaseEvent(
                    case=p.case,
                    at=now,
                    kind="promise_reminder",
                    after={"promise": p.pk, "due": p.due_at.isoformat()},
                )
                for p in promises
            ]
        )
        _after_commit(
            [
                (
                    p.case,
                    f"{p.case.reference}: you promised \u201c{p.description}\u201d by {_due(p.due_at)}",
                    False,
                )
                for p in promises
            ]
        )
    return len(promises)


def break_overdue_promises(now: datetime) -> int:
    note = PROMISE_LAPSED_NOTE
    with transaction.atomic():
        promises = _claim(
            Promise.objects.filter(status=Promise.Status.OPEN, due_at__lte=now)
            .select_related("case", "case__owner")
            .order_by("due_at", "id")
        )
        Promise.objects.filter(pk__in=[p.pk for p in promises]).update(
            status=Promise.Status.BROKEN, closed_at=now, note=note
        )
        _events(
            [
                CaseEvent(
                    case=p.case,
                    at=now,
                    kind="promise_broken",
                    after={"promise": p.pk, "description": p.description},
                    reason=note,
                )
                for p in promises
            ]
        )
        _after_commit(
            [(p.case, f"{p.case.reference}: promise broken \u2014 {p.description}", True) for p in promises]
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
            _after_commit([(case, f"{case.reference}: the customer is due a progress update", True)])
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
