"""A team mailbox read by IMAP, against a real dovecot on loopback (dovecot.py): what is imported, what
is marked or moved on the server, TLS, a rebuilt folder, IDLE, and the bounces and automatic replies that
open no case. The kill -9 test is test_imap_kill.py."""

from __future__ import annotations

import queue
import threading
import time
from email.utils import make_msgid

import pytest
from django.core.management import call_command

from amends.cases.models import Case
from amends.intake.imap import KEYWORD, _by_size, mailbox_check, mailbox_poll, mailbox_watch
from amends.intake.models import HeldEmail, Mailbox, MailboxEmail
from amends.intake.services import intake_email
from amends.messaging.models import Message

pytestmark = [pytest.mark.imap, pytest.mark.django_db]


def email(n: int, *, sender: str = "", subject: str = "", headers: str = "", body: str = "") -> bytes:
    sender = sender or f"Customer {n} <customer{n}@example.org>"
    return (
        f"From: {sender}\r\nTo: complaints@amends.example\r\nSubject: {subject or f'Complaint {n}'}\r\n"
        f"Message-ID: <imap-{n}@example.org>\r\nDate: Fri, 20 Nov 2026 09:{n % 60:02d}:00 +0000\r\n"
        f"{headers}\r\n{body or f'My boiler has been broken for {n} days and nobody came.'}\r\n"
    ).encode()


def deliver(imap, *raws: bytes, folder: str = "INBOX") -> None:
    if not imap.folder_exists(folder):
        imap.create_folder(folder)
    for raw in raws:
        imap.append(folder, raw)


def flagged(imap, folder: str = "INBOX") -> dict[int, set[bytes]]:
    imap.select_folder(folder, readonly=True)
    uids = imap.search("ALL")
    return {uid: set(data[b"FLAGS"]) for uid, data in (imap.fetch(uids, ["FLAGS"]) if uids else {}).items()}


def test_a_poll_imports_each_email_once_and_marks_it_on_the_server(complaints_team, imap, make_mailbox):
    deliver(imap, email(1), email(2), email(3))
    mailbox = make_mailbox()

    counts = mailbox_poll(mailbox)

    assert (counts.stored, counts.marked, counts.more) == (3, 3, False)
    assert Case.objects.count() == 3
    assert set(Case.objects.values_list("team__slug", flat=True)) == {"complaints"}
    assert all({b"\\Seen", KEYWORD} <= flags for flags in flagged(imap).values())
    mailbox.refresh_from_db()
    assert (mailbox.last_uid, mailbox.last_error) == (3, "")
    assert mailbox.last_polled_at is not None and mailbox.next_poll_at > mailbox.last_polled_at
    assert sorted(MailboxEmail.objects.values_list("uid", "outcome")) == [(u, "stored") for u in (1, 2, 3)]

    deliver(imap, email(4))
    again = mailbox_poll(mailbox)
    assert (again.stored, again.marked) == (1, 1)  # only the new one is fetched
    assert Case.objects.count() == 4 and Message.objects.filter(direction="in").count() == 4


def test_an_email_a_person_already_read_is_imported_all_the_same(complaints_team, imap, make_mailbox):
    """Marked by our own keyword, not by \\Seen: someone reading the mailbox first loses nothing."""
    deliver(imap, email(1))
    imap.select_folder("INBOX")
    imap.add_flags([1], [b"\\Seen"])

    assert mailbox_poll(make_mailbox()).stored == 1
    assert KEYWORD in flagged(imap)[1]


def test_the_same_email_in_the_mailbox_and_by_the_endpoint_is_stored_once(
    complaints_team, imap, make_mailbox
):
    intake_email(email(1))
    deliver(imap, email(1))

    counts = mailbox_poll(make_mailbox())

    assert (counts.stored, counts.duplicates, counts.marked) == (0, 1, 1)
    assert Case.objects.count() == 1


def test_move_mode_moves_what_it_imported_to_another_folder(
    complaints_team, billing_team, imap, make_mailbox
):
    deliver(imap, email(1), email(2))
    mailbox = make_mailbox(after_import="move", move_to="Imported by Amends", team="billing")

    assert mailbox_poll(mailbox).stored == 2

    assert imap.select_folder("INBOX")[b"EXISTS"] == 0
    assert imap.select_folder("Imported by Amends")[b"EXISTS"] == 2
    assert set(Case.objects.values_list("team__slug", flat=True)) == {"billing"}
    deliver(imap, email(3))
    assert mailbox_poll(mailbox).stored == 1


def test_a_rebuilt_folder_with_a_new_uidvalidity_imports_nothing_twice(complaints_team, imap, make_mailbox):
    deliver(imap, email(1), email(2), folder="Complaints")
    mailbox = make_mailbox(folder="Complaints")
    assert mailbox_poll(mailbox).stored == 2
    first = Mailbox.objects.get(pk=mailbox.pk).uidvalidity

    imap.delete_folder("Complaints")  # restored from a backup, say: same emails, new UIDs
    deliver(imap, email(1), email(2), email(3), folder="Complaints")
    counts = mailbox_poll(mailbox)

    mailbox.refresh_from_db()
    assert mailbox.uidvalidity != first
    assert (counts.stored, counts.duplicates) == (1, 2)
    assert Case.objects.count() == 3


def test_tls_with_a_certificate_we_trust(complaints_team, dovecot, imap, make_mailbox, settings):
    deliver(imap, email(1))
    mailbox = make_mailbox(security="tls", port=dovecot.imaps_port)

    mailbox_poll(mailbox)  # the session's self-signed certificate is nobody's CA yet
    mailbox.refresh_from_db()
    assert "certificate is not trusted" in mailbox.last_error
    assert not Case.objects.exists()

    settings.AMENDS_IMAP_CA_FILE = str(dovecot.cert)
    assert mailbox_poll(mailbox).stored == 1
    mailbox.refresh_from_db()
    assert mailbox.last_error == ""


def test_starttls(complaints_team, dovecot, imap, make_mailbox, settings):
    settings.AMENDS_IMAP_CA_FILE = str(dovecot.cert)
    deliver(imap, email(1))
    mailbox = make_mailbox(security="starttls", host="localhost")
    assert mailbox_poll(mailbox).stored == 1
    assert "holds 0 emails" not in mailbox_check(mailbox)


def test_a_wrong_password_or_a_missing_one_is_recorded_not_raised(imap, make_mailbox, monkeypatch):
    mailbox = make_mailbox()
    monkeypatch.setenv("AMENDS_TEST_IMAP_PASSWORD", "not-the-password")
    mailbox_poll(mailbox)
    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Login failed")

    monkeypatch.delenv("AMENDS_TEST_IMAP_PASSWORD")
    mailbox_poll(mailbox)
    mailbox.refresh_from_db()
    assert (
        mailbox.last_error == "The environment variable AMENDS_TEST_IMAP_PASSWORD (the password) is not set"
    )


def test_an_email_over_the_size_limit_is_left_on_the_server(complaints_team, imap, make_mailbox, settings):
    settings.AMENDS_MAX_EMAIL_BYTES = 2000
    deliver(imap, email(1), email(2, body="x" * 5000))

    counts = mailbox_poll(make_mailbox())

    assert (counts.stored, counts.refused, counts.marked) == (1, 1, 1)
    flags = flagged(imap)
    assert KEYWORD in flags[1] and flags[2] == set()  # unread, for a person to see
    assert "the most Amends accepts is 2,000" in MailboxEmail.objects.get(uid=2).note


def bounce_of(message: Message, n: int) -> bytes:
    """A delivery status report (RFC 3464) as Postfix writes it, returning our email `message`."""
    boundary = "dsn-boundary"
    return (
        f"Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.example.org (Mail Delivery System)\r\n"
        f"To: complaints@amends.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: <bounce-{n}@mx.example.org>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status;"
        f' boundary="{boundary}"\r\n\r\n--{boundary}\r\nContent-Type: text/plain\r\n\r\n'
        f"I'm sorry to have to inform you that your"
        f" message could not be delivered.\r\n\r\n--{boundary}\r\n"
        f"Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; customer1@example.org\r\n"
        f"Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <customer1@example.org>: "
        f"Recipient address rejected: User unknown\r\n\r\n--{boundary}\r\nContent-Type: text/rfc822-headers"
        f"\r\n\r\nFrom: complaints@amends.example\r\nTo: customer1@example.org\r\nSubject: {message.subject}"
        f"\r\nMessage-ID: {message.email_message_id}\r\n\r\n--{boundary}--\r\n"
    ).encode()


def test_bounces_and_automatic_replies_open_no_case(complaints_team, imap, make_mailbox):
    case = intake_email(email(1)).case
    ack = Message.objects.get(case=case, purpose="acknowledgement")
    status, version = case.status, Case.objects.get(pk=case.pk).version
    out_of_office = email(
        2,
        sender="Customer 1 <customer1@example.org>",
        subject="Automatic reply: We have received your complaint",
        headers=f"Auto-Submitted: auto-replied\r\nIn-Reply-To: {ack.email_message_id}\r\n",
        body="I am away until Monday.",
    )
    stray = bounce_of(ack, 3).replace(ack.email_message_id.encode(), make_msgid().encode())
    deliver(imap, bounce_of(ack, 1), out_of_office, stray)

    counts = mailbox_poll(make_mailbox())

    assert (counts.stored, counts.held, counts.marked) == (2, 1, 3)
    assert Case.objects.count() == 1  # neither opened a case
    case.refresh_from_db()
    assert (case.status, case.version) == (status, version)  # nor changed the case
    bounce = Message.objects.get(case=case, purpose="bounce")
    assert bounce.direction == "in" and "could not be delivered" in bounce.body_text
    ack.refresh_from_db()
    assert ack.delivery == Message.Delivery.BOUNCED
    assert "5.1.1" in ack.outbox.last_error and "User unknown" in ack.outbox.last_error
    reply = Message.objects.get(case=case, purpose="auto_reply")
    assert reply.body_text == "I am away until Monday."
    assert not Message.objects.filter(purpose="acknowledgement").exclude(pk=ack.pk).exists()
    set_aside = HeldEmail.objects.get()
    assert set_aside.status == HeldEmail.Status.SET_ASIDE
    assert set_aside.reason.startswith("A bounce (a delivery status report (multipart/report))")


def test_watch_imports_an_email_as_it_arrives(transactional_db, complaints_team, imap, make_mailbox):
    """`amends mailbox watch`: IDLE, so an email arriving is imported at once, not at the next poll. The
    test waits on what the watcher reports, not on the database (which the watcher's thread is writing)."""
    mailbox = make_mailbox()
    stop, fetches = threading.Event(), queue.Queue()
    watcher = threading.Thread(
        target=mailbox_watch,
        args=(mailbox,),
        kwargs={"idle_seconds": 300, "stop": stop, "fetched": fetches.put},
    )
    watcher.start()
    try:
        assert fetches.get(timeout=30).imported == 0  # the first fetch: nothing yet; now it waits in IDLE
        held_until = Mailbox.objects.get(pk=mailbox.pk).next_poll_at
        assert held_until is not None and held_until.timestamp() > time.time() + 300  # the worker keeps off
        deliver(imap, email(1))
        assert fetches.get(timeout=30).stored == 1  # far sooner than the 300 s IDLE: the server woke it
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()
    assert Case.objects.count() == 1
    assert KEYWORD in flagged(imap)[1]


def test_the_command_adds_lists_tests_and_polls(
    complaints_team, imap, imap_user, dovecot, make_mailbox, capsys
):
    deliver(imap, email(1))
    call_command(
        "mailbox",
        "add",
        "Complaints",
        "--host",
        dovecot.host,
        "--port",
        str(dovecot.imap_port),
        "--security",
        "none",
        "--username",
        imap_user,
        "--password-env",
        "AMENDS_TEST_IMAP_PASSWORD",
    )
    call_command("mailbox", "test", "Complaints")
    call_command("mailbox", "poll", "Complaints")
    call_command("mailbox", "list")
    out = capsys.readouterr().out
    assert "Added Complaints" in out
    assert "INBOX holds 1 emails" in out and "stores the $AmendsImported flag" in out
    assert "Complaints: 1 stored" in out
    assert "last UID 1" in out
    assert Case.objects.count() == 1


def test_a_chunk_of_large_emails_is_fetched_a_few_at_a_time():
    mb = 1024 * 1024
    sizes = {1: 20 * mb, 2: 20 * mb, 3: mb, 4: 40 * mb, 5: mb}
    assert list(_by_size([1, 2, 3, 4, 5], sizes)) == [[1], [2, 3], [4], [5]]
