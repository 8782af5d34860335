"""The worker's outbox step: claim the messages whose attempt is due, hand each to its connector (email, an
integration's webhook, SMS: connectors.py), record how it went.

The claim is a short transaction that locks the due rows (`SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL, the IMMEDIATE transaction on SQLite) and leases them ahead (`outbox_lease`), so no other
worker claims them; the sending runs after it commits, outside any transaction, and each result is
recorded in another short one (`outbox_record`). Each message is sent once, unless a worker dies after
the server took a message and before it recorded so (then it goes again when the lease ends).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .connectors import Attempt, Connector
from .mailer import EmailConnector
from .models import OutboxItem
from .services import outbox_lease, outbox_record
from .sms import SmsConnector
from .webhooks import WebhookConnector

CONNECTORS: dict[str, Connector] = {
    OutboxItem.Connector.EMAIL: EmailConnector(),
    OutboxItem.Connector.WEBHOOK: WebhookConnector(),
    OutboxItem.Connector.SMS: SmsConnector(),
}


def lease_seconds() -> float:
    """Long enough for a whole batch to wait out the longest timeout at every step of every send."""
    timeout = max(settings.EMAIL_TIMEOUT, settings.AMENDS_WEBHOOK_TIMEOUT, settings.AMENDS_SMS_TIMEOUT)
    return timeout * (4 * settings.AMENDS_OUTBOX_BATCH + 2)


def claim_outbox(now: datetime) -> list[OutboxItem]:
    with transaction.atomic():
        qs = (
            OutboxItem.objects.filter(next_attempt_at__lte=now)
            .select_related("message__case", "message__customer", "integration")
            .order_by("next_attempt_at", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            qs = qs.select_for_update(skip_locked=True, of=("self",))
        items = list(qs[: settings.AMENDS_OUTBOX_BATCH])
        outbox_lease(items, until=now + timedelta(seconds=lease_seconds()))
    return items


def send(items: Sequence[OutboxItem]) -> list[Attempt]:
    """Each item through its connector, a connector's items together."""
    attempts: list[Attempt] = []
    for name in dict.fromkeys(item.connector for item in items):
        batch = [item for item in items if item.connector == name]
        connector = CONNECTORS.get(name)
        if connector is None:  # a row written by a later version, say: nothing here can send it
            attempts += [Attempt(item.pk, f"No connector {name!r}", permanent=True) for item in batch]
        else:
            attempts += connector.send_batch(batch)
    return attempts


def send_outbox(now: datetime) -> int:
    """Send every message due now, a batch at a time; how many were tried."""
    total = 0
    while items := claim_outbox(now):
        outbox_record(send(items), at=timezone.now())
        total += len(items)
        if len(items) < settings.AMENDS_OUTBOX_BATCH:
            break
    return total


STEPS = {"emails": send_outbox}
