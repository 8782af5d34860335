"""`amends mailbox add|list|test|poll|watch`: the team mailboxes Amends reads by IMAP.

`add` takes the settings the settings page takes (the password is named, never given: it stays in the
environment variable you name). `test` connects and changes nothing. `poll` reads now, whatever the
worker's schedule. `watch` waits on one mailbox with IDLE and imports each email as it arrives, until
stopped (run it beside the worker, e.g. as a service of its own).
"""

from __future__ import annotations

import signal
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.intake.imap import MailboxError, mailbox_check, mailbox_poll, mailbox_watch
from amends.intake.mailboxes import mailbox_add, mailbox_password
from amends.intake.models import Mailbox
from amends.intake.schemas import MailboxIn


class Command(BaseCommand):
    help = "Team mailboxes read by IMAP: add one, list them, test one, poll now, or watch one with IDLE"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a mailbox for the worker to read")
        add.add_argument("name")
        add.add_argument("--host", required=True)
        add.add_argument("--port", type=int, help="default 993 for tls, 143 otherwise")
        add.add_argument("--security", choices=Mailbox.Security.values, default="tls")
        add.add_argument("--username", required=True)
        add.add_argument(
            "--password-env", required=True, help="the environment variable that holds the password"
        )
        add.add_argument("--folder", default="INBOX")
        add.add_argument("--after", choices=Mailbox.AfterImport.values, default="mark", dest="after_import")
        add.add_argument("--move-to", default="", help="the folder imported email moves to (--after move)")
        add.add_argument("--team", help="slug of the team new cases go to (default: the intake team)")
        add.add_argument("--disabled", action="store_true", help="add it switched off")
        sub.add_parser("list", help="the mailboxes and how their last poll went")
        test = sub.add_parser("test", help="connect, log in and open the folder, changing nothing")
        test.add_argument("name")
        poll = sub.add_parser("poll", help="read now (every enabled mailbox, or the one named)")
        poll.add_argument("name", nargs="?")
        watch = sub.add_parser("watch", help="wait on a mailbox with IDLE, importing email as it arrives")
        watch.add_argument("name")
        watch.add_argument(
            "--idle-seconds",
            type=int,
            default=None,
            help=f"renew the IDLE this often (default {settings.AMENDS_MAILBOX_IDLE_SECONDS})",
        )

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _add(self, *, name, port, security, disabled, **o):
        try:
            data = MailboxIn(
                name=name,
                host=o["host"],
                port=port or (993 if security == "tls" else 143),
                security=security,
                username=o["username"],
                password_env=o["password_env"],
                folder=o["folder"],
                after_import=o["after_import"],
                move_to=o["move_to"],
                team=o["team"],
                enabled=not disabled,
            )
            mailbox = mailbox_add(data=data, actor=None)
        except ValidationError as exc:
            raise CommandError(_pydantic(exc)) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Added {mailbox.name} ({mailbox.host}, {mailbox.folder})")
        if mailbox_password(mailbox) is None:
            self.stdout.write(f"Set {mailbox.password_env} in the environment of the worker before it polls.")

    def _list(self, **o):
        for m in Mailbox.objects.select_related("team"):
            state = "enabled" if m.enabled else "disabled"
            polled = f"last polled {m.last_polled_at:%Y-%m-%d %H:%M}" if m.last_polled_at else "never polled"
            error = f"; last error: {m.last_error}" if m.last_error else ""
            password = "" if mailbox_password(m) else f"; {m.password_env} is not set"
            self.stdout.write(
                f"{m.name}: {m.username}@{m.host}:{m.port} ({m.get_security_display()}), {m.folder}, "
                f"{m.get_after_import_display()}, {state}, {polled}, last UID {m.last_uid}"
                f"{error}{password}"
            )

    def _test(self, *, name, **o):
        try:
            self.stdout.write(mailbox_check(_named(name)))
        except MailboxError as exc:
            raise CommandError(str(exc)) from exc

    def _poll(self, *, name, **o):
        mailboxes = [_named(name)] if name else list(Mailbox.objects.filter(enabled=True))
        failed = False
        for mailbox in mailboxes:
            counts = mailbox_poll(mailbox)
            mailbox.refresh_from_db(fields=["last_error"])
            if mailbox.last_error:
                failed = True
                self.stderr.write(f"{mailbox.name}: {mailbox.last_error}")
            else:
                self.stdout.write(f"{mailbox.name}: {counts}")
        if failed:
            sys.exit(1)

    def _watch(self, *, name, idle_seconds, **o):
        mailbox = _named(name)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Watching {mailbox.name} ({mailbox.folder} on {mailbox.host}); stop with Ctrl-C")
        self.stdout.flush()

        def fetched(counts):
            if counts.imported or counts.marked:
                self.stdout.write(f"{mailbox.name}: {counts}")
                self.stdout.flush()

        idle = idle_seconds or settings.AMENDS_MAILBOX_IDLE_SECONDS
        mailbox_watch(mailbox, idle_seconds=idle, stop=stop, fetched=fetched)


def _named(name: str) -> Mailbox:
    mailbox = Mailbox.objects.select_related("team").filter(name=name).first()
    if mailbox is None:
        raise CommandError(f"No mailbox named {name!r} (amends mailbox list)")
    return mailbox


def _pydantic(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
