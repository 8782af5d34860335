"""200 emails in a team mailbox, a worker killed with SIGKILL in the middle of fetching them, and a
restart: every email imported exactly once, and every one marked on the server.

A real `amends worker --once` reads a real dovecot (dovecot.py) in a subprocess, on a database file
(SQLite: this test's in-memory database copied to a file and back; PostgreSQL: the test database itself,
as process/tests/test_worker_kill.py does). AMENDS_WORKER_HOLD stops it mid-fetch: just after an email's
transaction commits and before the server is told ("stored": the email is in Amends and still unmarked
on the server, the moment that would import it twice if the server's flag were the only record), or
inside the transaction ("written": stored, not committed, so rolled back; 60 emails are enough to show
it). The test kills it there, checks that is indeed the state, restarts the reading (`amends
mailbox poll`, as the worker would once the killed one's lease ran out) and counts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from django.db.models import Count

from amends.cases.models import Case
from amends.intake.imap import CHUNK, KEYWORD
from amends.intake.models import MailboxEmail
from amends.messaging.models import Message
from amends.process.tests.test_worker_kill import _database_url, _take_back

from .test_imap import email

pytestmark = [pytest.mark.imap, pytest.mark.django_db(transaction=True)]


def _amends(url, tmp_path, dovecot, *args: str, hold: str = "") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "AMENDS_DATA_DIR": str(tmp_path),
        "AMENDS_WORKER_HOLD": hold,
        "AMENDS_TEST_IMAP_PASSWORD": dovecot.password,
        "AMENDS_MAILBOX_POLL_MAX": "1000",
        "SECRET_KEY": "imap-kill-test-" + "x" * 50,
        "DJANGO_SETTINGS_MODULE": "amends.settings",
    }
    return subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "-m", "amends.cli", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _marked(imap) -> int:
    imap.select_folder("INBOX", readonly=True)
    return len(imap.search(["KEYWORD", KEYWORD]))


# (where it holds, emails, killed at the nth): 117 of 200 is past four chunks of 25 marked on the server
# and 17 stored into the fifth.
@pytest.mark.parametrize(("point", "emails", "killed_at"), [("stored", 200, 117), ("written", 60, 37)])
def test_a_fetch_killed_mid_way_imports_every_email_exactly_once(
    reference_data, complaints_team, dovecot, imap, make_mailbox, tmp_path, point, emails, killed_at
):
    imap.multiappend("INBOX", [email(n) for n in range(1, emails + 1)])
    mailbox = make_mailbox()
    url = _database_url(tmp_path)

    hold = f"mailboxes:{point}:{killed_at}"
    killed = _amends(url, tmp_path, dovecot, "worker", "--once", hold=hold)
    try:
        line = killed.stdout.readline()  # blocks until the worker holds (or dies, giving "")
        assert line.strip() == f"holding at {hold}", killed.stderr.read()
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait(timeout=30)
    assert killed.returncode == -signal.SIGKILL
    marked = (killed_at - 1) // CHUNK * CHUNK  # the chunks before the killed one's
    assert _marked(imap) == marked  # the killed chunk's stored emails are not marked, yet
    committed = killed_at if point == "stored" else killed_at - 1

    restart = _amends(url, tmp_path, dovecot, "mailbox", "poll", mailbox.name)
    out, err = restart.communicate(timeout=300)
    assert restart.returncode == 0, err
    assert f"{emails - committed} stored" in out and f"{emails - marked} marked" in out
    _take_back(url)

    inbound = Message.objects.filter(direction=Message.Direction.INBOUND)
    assert inbound.count() == emails
    assert inbound.values("email_message_id").distinct().count() == emails
    assert Case.objects.count() == emails
    assert not Case.objects.annotate(n=Count("messages")).filter(n__gt=2).exists()  # an email, its ack
    rows = MailboxEmail.objects.filter(mailbox=mailbox)
    assert sorted(rows.values_list("uid", flat=True)) == list(range(1, emails + 1))
    assert set(rows.values_list("outcome", flat=True)) == {MailboxEmail.Outcome.STORED}
    assert _marked(imap) == emails
    mailbox.refresh_from_db()
    assert (mailbox.last_uid, mailbox.last_error) == (emails, "")
