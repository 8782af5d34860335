"""Team mailboxes: their settings (an administrator's, audited), and what the worker records as it reads
them (intake/imap.py talks to the server; this module writes the rows).

Every email fetched is stored by `mailbox_email_import` in one transaction with its `MailboxEmail` row,
keyed by (mailbox, UIDVALIDITY, UID) and unique: the row is the proof it was imported, so an email found
again on the server (it was stored, then the fetch stopped before it was marked) is marked, never
imported twice.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError, NotFound
from amends.core.models import Team
from amends.core.services import audit_record

from .emails import intake_email
from .held import HeldResult
from .models import Mailbox, MailboxEmail
from .schemas import MailboxIn

# What an administrator edits; a change of where the mail is (server, account, folder) starts the
# folder's UIDs afresh (Message-IDs still keep what was imported from being imported again).
SETTINGS = ("name", "host", "port", "security", "username", "password_env", "folder", "after_import")
WHERE = ("host", "port", "username", "folder")


def mailbox_add(*, data: MailboxIn, actor: Any) -> Mailbox:
    """A mailbox for the worker to read. DomainError (nothing stored) when a setting cannot work."""
    with transaction.atomic():
        fields = _checked(data)
        if Mailbox.objects.filter(name=fields["name"]).exists():
            raise Conflict(f"There is already a mailbox named {fields['name']}", fields={"name": "taken"})
        mailbox = Mailbox.objects.create(**fields)
        audit_record(actor=actor, kind="mailbox.added", obj=mailbox, after=_described(mailbox))
    return mailbox


def mailbox_update(*, mailbox: Mailbox, data: MailboxIn, expected_version: int, actor: Any) -> Mailbox:
    """Change a mailbox's settings. `expected_version` is the version the administrator read: if someone
    changed it since, Conflict and nothing changes."""
    with transaction.atomic():
        mailbox = Mailbox.objects.select_for_update().filter(pk=mailbox.pk).first() or _gone()
        if mailbox.version != expected_version:
            raise Conflict(
                "Someone changed this mailbox while you were editing it: read it again",
                code="mailbox_changed",
                fields={"version": f"you read version {expected_version}; it is now {mailbox.version}"},
            )
        fields = _checked(data)
        if Mailbox.objects.filter(name=fields["name"]).exclude(pk=mailbox.pk).exists():
            raise Conflict(f"There is already a mailbox named {fields['name']}", fields={"name": "taken"})
        before = _described(mailbox)
        moved = any(getattr(mailbox, f) != fields[f] for f in WHERE)
        for name, value in fields.items():
            setattr(mailbox, name, value)
        if moved:
            mailbox.uidvalidity, mailbox.last_uid = None, 0
        mailbox.version += 1
        mailbox.next_poll_at = None  # read it with the new settings at the next sweep
        mailbox.save()
        audit_record(
            actor=actor, kind="mailbox.changed", obj=mailbox, before=before, after=_described(mailbox)
        )
    return mailbox


def _gone() -> Mailbox:
    raise NotFound("No such mailbox")


def _checked(data: MailboxIn) -> dict[str, Any]:
    """The model's fields from the input, or DomainError naming the setting that cannot work."""
    fields: dict[str, Any] = {f: getattr(data, f) for f in SETTINGS}
    fields.update(
        name=data.name.strip(),
        host=data.host.strip(),
        username=data.username.strip(),
        folder=data.folder.strip() or "INBOX",
        move_to=data.move_to.strip(),
        enabled=data.enabled,
    )
    if data.security == Mailbox.Security.NONE and not is_loopback(fields["host"]):
        raise DomainError(
            "Without TLS the password would cross the network in clear: choose TLS or STARTTLS "
            "(no TLS is only for a server on this machine)",
            fields={"security": "TLS or STARTTLS for a server elsewhere"},
        )
    if data.after_import == Mailbox.AfterImport.MOVE:
        if not fields["move_to"]:
            raise DomainError("Say which folder to move imported email to", fields={"move_to": "required"})
        if fields["move_to"] == fields["folder"]:
            raise DomainError(
                "Imported email must move to another folder than the one read",
                fields={"move_to": "another folder"},
            )
    else:
        fields["move_to"] = ""
    fields["team"] = None
    if data.team:
        fields["team"] = Team.objects.filter(slug=data.team).first()
        if fields["team"] is None:
            raise DomainError(f"There is no team {data.team!r}", fields={"team": "unknown team"})
    return fields


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def mailbox_password(mailbox: Mailbox) -> str | None:
    """The password from the environment variable the mailbox names; None when it is not set."""
    return os.environ.get(mailbox.password_env) or None


def _described(mailbox: Mailbox) -> dict[str, Any]:
    """The settings as the audit trail keeps them: where the password is, never what it is."""
    return {
        **{f: getattr(mailbox, f) for f in SETTINGS},
        "move_to": mailbox.move_to,
        "team": mailbox.team.slug if mailbox.team else None,
        "enabled": mailbox.enabled,
    }


# What the worker records. None of it is an administrator's change: the settings' version stays.


def mailboxes_due(now: datetime, *, lease: timedelta) -> list[Mailbox]:
    """Claim the enabled mailboxes due a poll and hold them until `now + lease`, in one short transaction
    (`SKIP LOCKED` on PostgreSQL): another worker, or a watcher, leaves them alone meanwhile."""
    with transaction.atomic():
        due = (
            Mailbox.objects.filter(enabled=True).exclude(next_poll_at__gt=now).order_by("next_poll_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))  # not the team it joins
        mailboxes = list(due.select_related("team"))
        Mailbox.objects.filter(pk__in=[m.pk for m in mailboxes]).update(next_poll_at=now + lease)
    return mailboxes


def mailbox_hold(mailbox: Mailbox, *, until: datetime) -> None:
    """A watcher holds its mailbox: the worker's polls leave it alone until then."""
    Mailbox.objects.filter(pk=mailbox.pk).update(next_poll_at=until)


def mailbox_polled(
    mailbox: Mailbox, *, at: datetime, error: str = "", again_at: datetime | None = None
) -> None:
    """How a poll went: the error the server gave (or none), and when the next is due."""
    mailbox.last_polled_at, mailbox.last_error = at, error[:500]
    again_at = again_at or at + timedelta(seconds=settings.AMENDS_MAILBOX_POLL_SECONDS)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=at, last_error=mailbox.last_error, next_poll_at=again_at
    )


def mailbox_folder_seen(mailbox: Mailbox, *, uidvalidity: int) -> bool:
    """The folder's UIDVALIDITY as the server gives it. When it differs from what we knew, its UIDs name
    other emails now (the folder was rebuilt): reading starts again from the first, and what was
    imported already is found by Message-ID, never stored twice. True when it changed."""
    if mailbox.uidvalidity == uidvalidity:
        return False
    mailbox.uidvalidity, mailbox.last_uid = uidvalidity, 0
    Mailbox.objects.filter(pk=mailbox.pk).update(uidvalidity=uidvalidity, last_uid=0)
    return True


def mailbox_progress(mailbox: Mailbox, *, last_uid: int) -> None:
    """Every email up to `last_uid` is imported and marked: a later poll starts after it."""
    if last_uid > mailbox.last_uid:
        mailbox.last_uid = last_uid
        Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=last_uid)


def mailbox_emails_known(mailbox: Mailbox, *, uidvalidity: int, uids: list[int]) -> dict[int, MailboxEmail]:
    """The rows of these UIDs already imported (found again before they were marked)."""
    rows = MailboxEmail.objects.filter(mailbox=mailbox, uidvalidity=uidvalidity, uid__in=uids)
    return {row.uid: row for row in rows}


def mailbox_email_import(
    mailbox: Mailbox, *, uidvalidity: int, uid: int, raw: bytes, written: Callable[[], None] | None = None
) -> MailboxEmail:
    """Store one fetched email the way every email is (`intake_email`) and its row, in one transaction.
    An email the server gives twice (two fetches at once) is imported once: the second finds the first's
    row. `written` is called inside the transaction, once both are written (the kill test's fault point)."""
    try:
        with transaction.atomic():
            row = _imported(mailbox, uidvalidity, uid, raw)
            row.save()
            if written is not None:
                written()
    except IntegrityError:
        existing = mailbox_emails_known(mailbox, uidvalidity=uidvalidity, uids=[uid]).get(uid)
        if existing is None:
            raise
        return existing
    return row


def _imported(mailbox: Mailbox, uidvalidity: int, uid: int, raw: bytes) -> MailboxEmail:
    row = MailboxEmail(mailbox=mailbox, uidvalidity=uidvalidity, uid=uid, imported_at=timezone.now())
    try:
        result = intake_email(raw, team=mailbox.team)
    except DomainError as exc:  # empty, or over the size limit: left on the server for a person
        row.outcome, row.note = MailboxEmail.Outcome.REFUSED, exc.message[:300]
        return row
    if isinstance(result, HeldResult):
        row.outcome, row.held, row.note = MailboxEmail.Outcome.HELD, result.held, result.reason[:300]
    else:
        row.message = result.message
        row.outcome = MailboxEmail.Outcome.DUPLICATE if result.duplicate else MailboxEmail.Outcome.STORED
    return row


def mailbox_email_refuse(mailbox: Mailbox, *, uidvalidity: int, uid: int, note: str) -> MailboxEmail:
    """An email not fetched at all (larger than Amends accepts): recorded, and left on the server."""
    row, _ = MailboxEmail.objects.get_or_create(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=uid,
        defaults={"outcome": MailboxEmail.Outcome.REFUSED, "note": note[:300], "imported_at": timezone.now()},
    )
    return row
