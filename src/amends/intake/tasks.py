"""The worker's team-mailbox step: claim the mailboxes due a poll, read each, record how it went.

The claim is a short transaction that holds the due mailboxes ahead (`mailboxes_due`, a lease of
AMENDS_MAILBOX_LEASE_SECONDS), so no other worker polls them meanwhile; the reading runs after it commits,
outside any transaction, each email stored in its own (intake/imap.py). A worker that dies mid-poll
leaves its mailbox due again when the lease ends, and nothing it stored is imported twice. Registered on
process's `worker_steps` hook (apps.py): process runs the worker and may not import intake.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings

from .imap import mailbox_poll
from .mailboxes import mailboxes_due


def poll_mailboxes(now: datetime) -> int:
    """Read every mailbox due now; how many emails were imported."""
    lease = timedelta(seconds=settings.AMENDS_MAILBOX_LEASE_SECONDS)
    return sum(mailbox_poll(mailbox).imported for mailbox in mailboxes_due(now, lease=lease))


def worker_steps() -> dict[str, Callable[[datetime], int]]:
    return {"mailboxes": poll_mailboxes}
