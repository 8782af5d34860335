"""`amends bench sweep`: how long the worker's sweep takes over many open cases, and what it touches.

N open complaints each follow a regime with two clocks and a tenth have a promise. About 1% of clocks and
promises are due. A sweep should touch exactly those rows, then a second sweep nothing: that one is a check
(and its time a note on the figure), not a figure, since it times no work.
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from amends.cases.lifecycle import Status
from amends.cases.models import Case
from amends.process.models import CaseClock, CaseProcess, Promise
from amends.process.tasks import sweep
from amends.regimes.selectors import current_version

from .figures import require_work
from .pages import ensure_world
from .seed import bulk_seed

DUE_SHARE = 0.01


def seed_open(n: int, *, log) -> None:
    teams, leader, lead, advisers = ensure_world()
    have = CaseProcess.objects.count()
    if have >= n:
        log(f"{have:,} open cases with clocks already present")
        return
    version = current_version("fca-disp", timezone.now().date())
    rng = random.Random(have + 17)
    started = time.perf_counter()

    def with_process(cases):
        now = timezone.now()
        CaseProcess.objects.bulk_create(
            [
                CaseProcess(
                    case=c,
                    regime_version=version,
                    stage="stage1",
                    received_at=c.opened_at,
                    next_update_due=now + timedelta(days=rng.randint(1, 10)),
                )
                for c in cases
            ],
            batch_size=2000,
        )
        clocks, promises = [], []
        for c in cases:
            due = rng.random() < DUE_SHARE
            clocks.append(
                CaseClock(
                    case=c,
                    stage="stage1",
                    code="final_response",
                    name="Final response",
                    met_by="responded",
                    due_at=now - timedelta(hours=1) if due else now + timedelta(days=30),
                    warn_at=now + timedelta(days=20),
                )
            )
            clocks.append(
                CaseClock(
                    case=c,
                    stage="stage1",
                    code="acknowledgement",
                    name="Acknowledgement",
                    met_by="acknowledged",
                    regulatory=False,
                    status="met",
                    met_at=c.opened_at,
                    due_at=c.opened_at + timedelta(days=5),
                )
            )
            if rng.random() < 0.1:
                promises.append(
                    Promise(
                        case=c,
                        description="Call back",
                        owner=leader,
                        made_by=leader,
                        made_at=now - timedelta(days=2),
                        due_at=now - timedelta(minutes=5)
                        if rng.random() < DUE_SHARE * 10
                        else now + timedelta(days=5),
                        remind_at=now + timedelta(days=4),
                    )
                )
        CaseClock.objects.bulk_create(clocks, batch_size=2000)
        Promise.objects.bulk_create(promises, batch_size=2000)

    open_statuses = [Status.OPEN, Status.OPEN, Status.AWAITING_CUSTOMER, Status.NEW]
    bulk_seed(
        cases=n - have,
        teams=teams,
        owners=[leader, *advisers],
        seed=have + 7,
        batch=10_000,
        statuses=open_statuses,
        after_batch=with_process,
        progress=lambda done: log(
            f"  seeded {have + done:,} / {n:,} ({time.perf_counter() - started:.0f} s)"
        ),
    )
    Case.objects.filter(kind__in=["query", "problem"]).update(kind="complaint")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"seeded {n - have:,} open cases with clocks in {time.perf_counter() - started:.1f} s")


def reset_swept() -> int:
    """Put back what an earlier run's sweep consumed (breached clocks, broken promises, reminders and
    warnings), so every run of the benchmark measures the same work on the same seeded database."""
    return (
        CaseClock.objects.filter(status=CaseClock.Status.BREACHED).update(
            status=CaseClock.Status.RUNNING, breached_at=None
        )
        + CaseClock.objects.filter(warned_at__isnull=False).update(warned_at=None)
        + Promise.objects.filter(status=Promise.Status.BROKEN).update(
            status=Promise.Status.OPEN, closed_at=None, note=""
        )
        + Promise.objects.filter(reminded_at__isnull=False).update(reminded_at=None)
    )


def measure(n: int) -> list[dict]:
    reset = reset_swept()
    due = {
        "clocks_due": CaseClock.objects.filter(status="running", due_at__lte=timezone.now()).count(),
        "promises_due": Promise.objects.filter(status="open", due_at__lte=timezone.now()).count(),
    }
    require_work(
        sum(due.values()),
        f"No clock or promise is due among the {n:,} open cases, so a sweep would time nothing: "
        "seed more cases (about 1% are due)",
    )
    from django.urls import reverse

    reverse("queue")  # load the URLconf as a running worker already has, so it is not timed as sweep work
    started = time.perf_counter()
    result = sweep()
    seconds = time.perf_counter() - started
    require_work(result.total, f"The sweep touched no row although {due} were due")
    started = time.perf_counter()
    idle = sweep()
    idle_seconds = time.perf_counter() - started
    if idle.total:
        raise RuntimeError(f"A second sweep touched {idle.counts}: the first left due rows behind")
    return [
        {
            "name": "sweep",
            "seconds": round(seconds, 3),
            "rows_touched": result.total,
            "n": n,
            "counts": result.counts,
            "due_before": due,
            "reset_from_earlier_run": reset,
            "then_idle_seconds": round(idle_seconds, 3),
        }
    ]
