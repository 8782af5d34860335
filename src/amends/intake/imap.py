"""Reading a team mailbox by IMAP (imapclient): the one place Amends talks to an IMAP server.

Exactly once, whatever stops a fetch (a kill -9, a lost connection, a full disk):

1. the folder's UIDVALIDITY is checked: a new one means its UIDs name other emails now, and reading
   starts again from the first (`mailbox_folder_seen`); what was imported already is found by its
   Message-ID (or its bytes' hash) and not stored again;
2. the UIDs after the last one done are listed (in "mark" mode, only those not flagged $AmendsImported);
3. a chunk at a time, each email not already recorded is fetched (without setting \\Seen: BODY.PEEK) and
   stored with its (mailbox, UIDVALIDITY, UID) row in one transaction (`mailbox_email_import`);
4. only then is the chunk marked (\\Seen and $AmendsImported) or moved on the server, and the last UID
   done recorded.

Stopped after 3 and before 4, the emails are still unmarked on the server: the next fetch finds them,
finds their rows, and marks them without importing them again. `tests/test_imap_kill.py` kills a worker
with SIGKILL at both points and counts.

Nothing here runs inside a database transaction while it waits on the server: each email's transaction
opens after its bytes have arrived.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import ssl
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from .mailboxes import (
    is_loopback,
    mailbox_email_import,
    mailbox_email_refuse,
    mailbox_emails_known,
    mailbox_folder_seen,
    mailbox_hold,
    mailbox_password,
    mailbox_polled,
    mailbox_progress,
)
from .models import Mailbox, MailboxEmail

log = logging.getLogger(__name__)

KEYWORD = b"$AmendsImported"  # the flag "mark" mode sets on what it imported (RFC 3501 keyword)
SEEN = b"\\Seen"
BYTES_REPR_RE = re.compile(r"\bb'([^']*)'")
CHUNK = 25  # emails fetched, then stored one by one, then marked together
FETCH_BYTES = 32 * 1024 * 1024  # the most of a chunk's content fetched in one go


class MailboxError(Exception):
    """The mailbox could not be read: the message says why, in words an administrator can act on."""


@dataclass
class FetchCounts:
    stored: int = 0  # new messages, on a new case or an existing one
    held: int = 0  # held for review or set aside (bounces and automatic replies answering no case)
    duplicates: int = 0  # already stored (by Message-ID, from another channel or another folder)
    refused: int = 0  # too large, or empty: left on the server
    marked: int = 0  # marked or moved on the server, including any found again after a stop
    more: bool = False  # stopped at the poll's limit with more waiting
    notes: list[str] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.stored + self.held + self.duplicates + self.refused

    def count(self, row: MailboxEmail) -> None:
        if row.outcome == MailboxEmail.Outcome.STORED:
            self.stored += 1
        elif row.outcome == MailboxEmail.Outcome.HELD:
            self.held += 1
        elif row.outcome == MailboxEmail.Outcome.DUPLICATE:
            self.duplicates += 1
        else:
            self.refused += 1

    def __str__(self) -> str:
        return (
            f"{self.stored} stored, {self.held} held or set aside, {self.duplicates} already stored, "
            f"{self.refused} refused (left on the server), {self.marked} marked"
            + ("; more waiting" if self.more else "")
        )


def mailbox_connect(mailbox: Mailbox) -> IMAPClient:
    """A logged-in connection to the mailbox's server, by the TLS mode it names. MailboxError says what
    failed: no password set, a refused connection, a certificate, the login."""
    password = mailbox_password(mailbox)
    if password is None:
        raise MailboxError(f"The environment variable {mailbox.password_env} (the password) is not set")
    if mailbox.security == Mailbox.Security.NONE and not is_loopback(mailbox.host):
        raise MailboxError("No TLS is only for a server on this machine: choose TLS or STARTTLS")
    context = _tls_context()
    try:
        client = IMAPClient(
            mailbox.host,
            port=mailbox.port,
            ssl=mailbox.security == Mailbox.Security.TLS,
            ssl_context=context,
            timeout=settings.AMENDS_IMAP_TIMEOUT,
        )
    except (OSError, IMAPClientError) as exc:
        raise MailboxError(f"Cannot connect to {mailbox.host}:{mailbox.port}: {_said(exc)}") from exc
    step = "STARTTLS"
    try:
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.starttls(context)
        step = "Login"
        client.login(mailbox.username, password)
    except (OSError, IMAPClientError) as exc:
        _close(client)
        raise MailboxError(f"{step} failed on {mailbox.host}: {_said(exc)}") from exc
    return client


def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, the server's name checked; plus AMENDS_IMAP_CA_FILE, a CA of
    your own, when set."""
    context = ssl.create_default_context()
    if settings.AMENDS_IMAP_CA_FILE:
        context.load_verify_locations(cafile=settings.AMENDS_IMAP_CA_FILE)
    return context


def mailbox_poll(mailbox: Mailbox, *, limit: int | None = None) -> FetchCounts:
    """Connect, fetch what is new (at most `limit` emails), disconnect, and record how it went on the
    mailbox (its last error, or none). Never raises for the server's faults: they are recorded."""
    started = timezone.now()
    counts = FetchCounts()
    try:
        client = mailbox_connect(mailbox)
        try:
            counts = mailbox_fetch(mailbox, client, limit=limit)
        finally:
            _close(client)
    except MailboxError as exc:
        log.warning("Mailbox %s: %s", mailbox.name, exc)
        mailbox_polled(mailbox, at=started, error=str(exc))
        return counts
    mailbox_polled(mailbox, at=started, again_at=started if counts.more else None)
    return counts


def mailbox_fetch(mailbox: Mailbox, client: IMAPClient, *, limit: int | None = None) -> FetchCounts:
    """Import what is new in the mailbox's folder on a logged-in connection (steps 1 to 4 above)."""
    counts = FetchCounts()
    limit = limit if limit is not None else settings.AMENDS_MAILBOX_POLL_MAX
    try:
        uidvalidity, can_flag = _select(mailbox, client)
        uids = _waiting(mailbox, client, can_flag)
        counts.more = len(uids) > limit
        for chunk in _chunks(uids[:limit], CHUNK):
            done = _import(mailbox, client, uidvalidity, chunk, counts)
            _mark(mailbox, client, done, can_flag)
            counts.marked += len(done)
            mailbox_progress(mailbox, last_uid=chunk[-1])
    except (OSError, IMAPClientError) as exc:
        raise MailboxError(f"Reading {mailbox.folder} on {mailbox.host} failed: {_said(exc)}") from exc
    return counts


def _select(mailbox: Mailbox, client: IMAPClient) -> tuple[int, bool]:
    """Open the folder; its UIDVALIDITY, and whether the $AmendsImported keyword can be stored there."""
    info = client.select_folder(mailbox.folder)
    uidvalidity = int(info[b"UIDVALIDITY"])
    if mailbox_folder_seen(mailbox, uidvalidity=uidvalidity) and mailbox.last_polled_at is not None:
        log.warning("Mailbox %s: %s has a new UIDVALIDITY; reading it again", mailbox.name, mailbox.folder)
    permanent = {bytes(f) for f in info.get(b"PERMANENTFLAGS", ())}
    can_flag = b"\\*" in permanent or KEYWORD in permanent
    if mailbox.after_import == Mailbox.AfterImport.MOVE and not client.folder_exists(mailbox.move_to):
        client.create_folder(mailbox.move_to)
    return uidvalidity, can_flag


def _waiting(mailbox: Mailbox, client: IMAPClient, can_flag: bool) -> list[int]:
    """UIDs after the last one done, oldest first. "N:*" names the newest email even when its UID is
    below N (RFC 3501 6.4.8), hence the filter."""
    criteria: list = ["UID", f"{mailbox.last_uid + 1}:*"]
    if mailbox.after_import == Mailbox.AfterImport.MARK and can_flag:
        criteria += ["UNKEYWORD", KEYWORD]
    return sorted(uid for uid in client.search(criteria) if uid > mailbox.last_uid)


def _import(
    mailbox: Mailbox, client: IMAPClient, uidvalidity: int, chunk: list[int], counts: FetchCounts
) -> list[int]:
    """Store the chunk's emails not yet recorded, each in its own transaction; the UIDs to mark (all but
    those refused, which stay as they are on the server for a person to see)."""
    known = mailbox_emails_known(mailbox, uidvalidity=uidvalidity, uids=chunk)
    new = [uid for uid in chunk if uid not in known]
    answer = client.fetch(new, ["RFC822.SIZE"]) if new else {}
    sizes = {uid: int(answer.get(uid, {}).get(b"RFC822.SIZE", 0)) for uid in new}
    rows = dict(known)
    for batch in _by_size([uid for uid in new if sizes[uid] <= settings.AMENDS_MAX_EMAIL_BYTES], sizes):
        bodies = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            if uid not in bodies:  # expunged meanwhile by someone else: nothing to import
                continue
            rows[uid] = mailbox_email_import(
                mailbox,
                uidvalidity=uidvalidity,
                uid=uid,
                raw=bytes(bodies[uid][b"BODY[]"]),
                written=_fault_point("written"),
            )
            _fault_point("stored")()
    for uid in new:
        if uid not in rows and sizes[uid] > settings.AMENDS_MAX_EMAIL_BYTES:
            limit = settings.AMENDS_MAX_EMAIL_BYTES
            note = f"The email is {sizes[uid]:,} bytes; the most Amends accepts is {limit:,}"
            rows[uid] = mailbox_email_refuse(mailbox, uidvalidity=uidvalidity, uid=uid, note=note)
        if uid in rows:
            counts.count(rows[uid])
    return [uid for uid in chunk if uid in rows and rows[uid].outcome != MailboxEmail.Outcome.REFUSED]


def _by_size(uids: list[int], sizes: dict[int, int]) -> Iterator[list[int]]:
    """The UIDs in batches of at most FETCH_BYTES together (one email alone may be larger): a chunk of
    25-megabyte emails is not held in memory at once."""
    batch: list[int] = []
    total = 0
    for uid in uids:
        if batch and total + sizes[uid] > FETCH_BYTES:
            yield batch
            batch, total = [], 0
        batch.append(uid)
        total += sizes[uid]
    if batch:
        yield batch


def _mark(mailbox: Mailbox, client: IMAPClient, uids: list[int], can_flag: bool) -> None:
    """What the mailbox says to do with what it imported. Moving uses MOVE (RFC 6851) where the server
    has it, else a copy and the original flagged \\Deleted (and expunged by UID where UIDPLUS allows)."""
    if not uids:
        return
    if mailbox.after_import == Mailbox.AfterImport.MOVE:
        if client.has_capability("MOVE"):
            client.move(uids, mailbox.move_to)
            return
        client.copy(uids, mailbox.move_to)
        client.delete_messages(uids, silent=True)
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        return
    client.add_flags(uids, [SEEN, KEYWORD] if can_flag else [SEEN], silent=True)


def mailbox_check(mailbox: Mailbox) -> str:
    """Connect, log in and open the folder, changing nothing: what an administrator needs to know."""
    client = mailbox_connect(mailbox)
    try:
        # Read-write, as a fetch opens it: a read-only folder offers no flags to store (and selecting
        # changes nothing; logging out expunges nothing).
        info = client.select_folder(mailbox.folder)
        permanent = {bytes(f) for f in info.get(b"PERMANENTFLAGS", ())}
        flags = b"\\*" in permanent or KEYWORD in permanent
        idle = client.has_capability("IDLE")
        moves = mailbox.after_import != Mailbox.AfterImport.MOVE or client.folder_exists(mailbox.move_to)
    except (OSError, IMAPClientError) as exc:
        raise MailboxError(f"Cannot open {mailbox.folder} on {mailbox.host}: {_said(exc)}") from exc
    finally:
        _close(client)
    notes = [
        f"Connected to {mailbox.host}:{mailbox.port} as {mailbox.username}; {mailbox.folder} holds "
        f"{info.get(b'EXISTS', 0)} emails (UIDVALIDITY {int(info[b'UIDVALIDITY'])})",
        "the server stores the $AmendsImported flag"
        if flags
        else "the server cannot store the $AmendsImported flag: imported email is marked read only "
        "(the last UID done keeps it from being read again)",
        "IDLE: yes (amends mailbox watch gets new email at once)" if idle else "IDLE: no (the worker polls)",
    ]
    if not moves:
        notes.append(f"the folder {mailbox.move_to} does not exist yet: it is made at the first import")
    return "; ".join(notes)


def mailbox_watch(
    mailbox: Mailbox,
    *,
    idle_seconds: int,
    stop: threading.Event,
    fetched: Callable[[FetchCounts], None] | None = None,
) -> None:
    """Wait on the mailbox with IDLE and import what arrives at once, until `stop` is set. The IDLE is
    renewed every `idle_seconds` (servers drop an IDLE left 30 minutes, RFC 2177); the watcher holds
    the mailbox meanwhile so the worker does not poll it too (`mailbox_hold`). On a fault it records the
    error and tries again after a pause that doubles to five minutes. An administrator's change of the
    settings is taken up after the next IDLE (a new connection); a mailbox switched off is left alone,
    and looked at again every `idle_seconds`. `fetched` is told what each fetch did, before the watcher
    waits again."""
    pause = 5
    while not stop.is_set():
        mailbox.refresh_from_db()
        if not mailbox.enabled:
            stop.wait(idle_seconds)
            continue
        try:
            _watch_once(mailbox, idle_seconds=idle_seconds, stop=stop, fetched=fetched or _nothing)
            pause = 5
        except MailboxError as exc:
            log.warning("Mailbox %s: %s", mailbox.name, exc)
            mailbox_polled(mailbox, at=timezone.now(), error=str(exc))
            stop.wait(pause)
            pause = min(pause * 2, 300)


def _watch_once(
    mailbox: Mailbox, *, idle_seconds: int, stop: threading.Event, fetched: Callable[[FetchCounts], None]
) -> None:
    """One connection: fetch, then IDLE until the server says something changed or the time is up."""
    client = mailbox_connect(mailbox)
    try:
        if not client.has_capability("IDLE"):
            raise MailboxError(
                f"{mailbox.host} does not offer IDLE: leave this mailbox to the worker's polls"
            )
        version = mailbox.version
        while not stop.is_set() and _unchanged(mailbox, version):
            _hold_for(mailbox, idle_seconds)
            started = timezone.now()
            counts = mailbox_fetch(mailbox, client)
            mailbox_polled(mailbox, at=started, again_at=started + _held_for(idle_seconds))
            fetched(counts)
            if counts.more:
                continue
            _idle(client, idle_seconds, stop)
    except (OSError, IMAPClientError) as exc:
        raise MailboxError(f"Watching {mailbox.folder} on {mailbox.host} failed: {_said(exc)}") from exc
    finally:
        _close(client)


def _unchanged(mailbox: Mailbox, version: int) -> bool:
    """Whether the settings are those the connection was made with (the database's state is the truth:
    what the worker recorded is read again too)."""
    mailbox.refresh_from_db()
    return mailbox.enabled and mailbox.version == version


def _idle(client: IMAPClient, seconds: int, stop: threading.Event) -> None:
    """IDLE until the server reports a new email (EXISTS) or `seconds` pass; checked each second, so a
    stop is noticed at once."""
    client.idle()
    try:
        deadline = timezone.now() + timedelta(seconds=seconds)
        while not stop.is_set() and timezone.now() < deadline:
            responses = client.idle_check(timeout=1)
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return
    finally:
        client.idle_done()


def _hold_for(mailbox: Mailbox, idle_seconds: int) -> None:
    mailbox_hold(mailbox, until=timezone.now() + _held_for(idle_seconds))


def _held_for(idle_seconds: int) -> timedelta:
    """A watched mailbox is the watcher's for one IDLE and a fetch more: if the watcher dies, the worker
    takes it back then."""
    return timedelta(seconds=idle_seconds + settings.AMENDS_MAILBOX_LEASE_SECONDS)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _said(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return f"no answer within {settings.AMENDS_IMAP_TIMEOUT} seconds"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate is not trusted ({exc.verify_message})"
    text = str(exc)
    if isinstance(exc.args[0] if exc.args else None, bytes):
        text = exc.args[0].decode("utf-8", "replace")
    text = BYTES_REPR_RE.sub(r"\1", text)  # imaplib words a server's answer as b'...'
    return (text or type(exc).__name__)[:300]


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # already gone: nothing to close politely
        with contextlib.suppress(Exception):  # the socket is closed either way
            client.shutdown()


def _fault_point(point: str) -> Callable[[], None]:
    """Fault injection for the kill test, never set in real use: AMENDS_WORKER_HOLD=mailboxes:POINT:N stops
    at the Nth email of this process, "written" inside its transaction (stored, not committed), "stored"
    just after it commits (before it is marked on the server), says so on stdout and waits to be killed."""
    hold = settings.AMENDS_WORKER_HOLD
    if not hold.startswith(f"mailboxes:{point}:"):
        return _nothing
    return lambda: _count_and_hold(point, int(hold.rsplit(":", 1)[1]))


_reached: dict[str, int] = {}


def _count_and_hold(point: str, at: int) -> None:
    _reached[point] = _reached.get(point, 0) + 1
    if _reached[point] == at:
        sys.stdout.write(f"holding at mailboxes:{point}:{at}\n")
        sys.stdout.flush()
        threading.Event().wait()


def _nothing(*args: object) -> None:
    return None
