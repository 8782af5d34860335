"""The worker's outbox step: claim emails whose attempt is due, send them, record how it went.

The claim is a short transaction that locks the due rows (`SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL, the IMMEDIATE transaction on SQLite) and leases them ahead (`outbox_lease`), so no other
worker claims them; the sending runs after it commits, outside any transaction, and each result is
recorded in another short one (`outbox_record`). Each message is sent once, unless a worker dies after
the server took a message and before it recorded so (then it goes again when the lease ends).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .mailer import send_batch
from .models import OutboxEmail
from .services import outbox_lease, outbox_record


def lease_seconds() -> float:
    """Long enough for a whole batch to wait out the timeout at every step of every send."""
    return settings.EMAIL_TIMEOUT * (4 * settings.AMENDS_OUTBOX_BATCH + 2)


def claim_emails(now: datetime) -> list[OutboxEmail]:
    with transaction.atomic():
        qs = (
            OutboxEmail.objects.filter(next_attempt_at__lte=now)
            .select_related("message")
            .order_by("next_attempt_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        emails = list(qs[: settings.AMENDS_OUTBOX_BATCH])
        outbox_lease(emails, until=now + timedelta(seconds=lease_seconds()))
    return emails


def send_outbox(now: datetime) -> int:
    """Send every email due now, a batch at a time; how many were tried."""
    total = 0
    while emails := claim_emails(now):
        outbox_record(send_batch(emails), at=timezone.now())
        total += len(emails)
        if len(emails) < settings.AMENDS_OUTBOX_BATCH:
            break
    return total


STEPS = {"emails": send_outbox}
