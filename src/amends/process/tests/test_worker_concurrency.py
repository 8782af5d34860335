"""Two workers sweeping at once do each reminder exactly once.

On PostgreSQL the two run truly in parallel and `SELECT ... FOR UPDATE SKIP LOCKED` keeps them apart. On
SQLite one writer at a time is the database's own rule (IMMEDIATE transactions), so the two run one after
the other; the assertion is the same: every reminder once, none twice, none lost.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.process.models import Promise
from amends.process.promises import promise_make

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_send_each_reminder_exactly_once(
    reference_data, complaints_team, case_handler, monkeypatch
):
    from amends.process import tasks

    monkeypatch.setattr(tasks, "BATCH", 7)  # small claims, so the two workers interleave
    case = make_case(team=complaints_team, owner=case_handler)
    due = timezone.now() + timedelta(days=3)
    for i in range(120):
        promise_make(case=case, actor=case_handler, description=f"Promise {i}", due_at=due)
    later = timezone.now() + timedelta(days=2, hours=12)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker(barrier):
        try:
            barrier.wait()
            total = 0
            while True:
                done = tasks.remind_promises(later)
                total += done
                if done == 0:
                    break
            results.append(total)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    with time_machine.travel(later, tick=False):
        if connection.vendor == "postgresql":
            barrier = threading.Barrier(2)
            threads = [threading.Thread(target=worker, args=(barrier,)) for _ in range(2)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for _ in range(2):
                worker(threading.Barrier(1))
    assert not errors, errors
    assert sum(results) == 120
    if connection.vendor == "postgresql":
        assert all(n > 0 for n in results), f"both workers should have claimed some rows: {results}"
    assert Promise.objects.filter(reminded_at__isnull=False).count() == 120
    per_promise = CaseEvent.objects.filter(kind="promise_reminder").values_list("after__promise", flat=True)
    assert len(per_promise) == 120 and len(set(per_promise)) == 120
