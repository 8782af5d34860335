"""The one interface every way out of the building implements: a connector takes a batch of the outbox the
worker has claimed and says how each send went. Email (`mailer.EmailConnector`), an integration's webhook
(`webhooks.WebhookConnector`) and SMS (`sms.SmsConnector`); the worker's step picks each row's connector
by its `connector` (messaging/tasks.py) and the outbox records the results (`services.outbox_record`):
sent, tried again after a backoff, or given up.

A batch rather than one row at a time because that is what sending well needs: email reuses one
connection for the batch, and a host that is down is tried once a batch, not once a message.

Connectors run outside any transaction and write nothing; each wait on the network is bounded by its
timeout (`EMAIL_TIMEOUT`, `AMENDS_WEBHOOK_TIMEOUT`, `AMENDS_SMS_TIMEOUT`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .models import OutboxItem


@dataclass
class Attempt:
    """How one send went: sent when `error` is empty; `permanent` when retrying cannot help (a 5xx from a
    mail server, a 4xx from a webhook, a number that takes no texts)."""

    outbox_id: int
    error: str = ""
    permanent: bool = False


class Connector(Protocol):
    def send_batch(self, items: Sequence[OutboxItem]) -> list[Attempt]:
        """Send each item (its message, case and customer loaded); one Attempt per item, in any order."""
        ...
