"""A worker killed with SIGKILL in the middle of a sweep loses no notification.

A real `amends worker --once` runs in a subprocess on a database file (SQLite: this test's in-memory
database copied to a file and back; PostgreSQL: the test database itself). AMENDS_WORKER_HOLD stops it at
a chosen point of a step's first batch and it says so on stdout; the test then kills it with SIGKILL,
runs the worker again to the end, and counts: every warned and every breached clock has its notification
exactly once. The point that used to lose them is "committed": the batch's rows committed, and the
notifications queued to be written after the commit never were.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import urllib.parse
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.cases.tests.factories import make_case
from amends.core.models import Notification, Role
from amends.core.services import staff_create
from amends.process import services
from amends.process.models import CaseClock

pytestmark = pytest.mark.django_db(transaction=True)

OWNERS = 3  # one case each, so nobody's notes become a digest and every clock's note is its own row


def _database_url(tmp_path) -> str:
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(path) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    db = connection.settings_dict
    host = urllib.parse.quote(db["HOST"] or "", safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    password = f":{urllib.parse.quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{host}{port}/{db['NAME']}"


def _take_back(url: str) -> None:
    """On SQLite, what the workers wrote to the file becomes this test's database again."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as worked:
            worked.backup(connection.connection)


def _worker(url: str, tmp_path, hold: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AMENDS_DATA_DIR": str(tmp_path),
        "AMENDS_WORKER_HOLD": hold,
        "SECRET_KEY": "kill-test-" + "x" * 50,
        "DJANGO_SETTINGS_MODULE": "amends.settings",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "amends.cli", "worker", "--once"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _seed(complaints_team):
    """Three FCA complaints received 45 days ago: each acknowledgement clock is past its due time and each
    final response clock past its warning time, so the sweep breaches the one and warns of the other."""
    received = timezone.now() - timedelta(days=45)
    with time_machine.travel(received, tick=False):
        for i in range(OWNERS):
            owner = staff_create(
                username=f"owner{i}", password="x" * 12, role=Role.CASE_HANDLER, team=complaints_team
            )
            case = make_case(team=complaints_team, owner=owner, summary=f"Complaint {i}")
            services.process_start(case=case, regime_code="fca-disp", actor=owner)


def _told_once(kind: str, said: str, clocks) -> None:
    texts = Counter(Notification.objects.values_list("text", flat=True))
    assert clocks, f"nothing was {kind}: the test would show nothing"
    for clock in clocks:
        mine = {
            t: n for t, n in texts.items() if t.startswith(f"{clock.case.reference}: {clock.name} {said}")
        }
        assert list(mine.values()) == [1], f"{clock.case.reference} {clock.code} {kind}: {mine}"
    assert CaseEvent.objects.filter(kind=f"clock_{kind}").count() == len(clocks)


@pytest.mark.parametrize(
    "hold",
    [
        "clock_breaches:written",
        "clock_breaches:committed",
        "clock_warnings:committed",
    ],
)
def test_a_worker_killed_mid_sweep_loses_no_notification(reference_data, complaints_team, tmp_path, hold):
    _seed(complaints_team)
    url = _database_url(tmp_path)

    killed = _worker(url, tmp_path, hold)
    try:
        line = killed.stdout.readline()  # blocks until the worker holds (or dies, giving "")
        assert line.strip() == f"holding at {hold}", killed.stderr.read()
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    assert killed.returncode == -signal.SIGKILL

    rerun = _worker(url, tmp_path)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    _take_back(url)

    warned = list(CaseClock.objects.filter(warned_at__isnull=False).select_related("case"))
    breached = list(CaseClock.objects.filter(status=CaseClock.Status.BREACHED).select_related("case"))
    assert {c.case.owner_id for c in breached} == set(
        Notification.objects.filter(text__contains="breached").values_list("user_id", flat=True)
    )
    _told_once("warning", "due", warned)
    _told_once("breached", "was due and is now breached", breached)
