"""The webhook connector, the one place that talks to integrations: each reply of a claimed batch is posted
as JSON to its integration's URL, signed (signing.py), and the answer decides what the outbox does next.

- 2xx: sent.
- 429 (slow down), 5xx, a timeout or a refused connection: tried again after the outbox's backoff.
- any other 4xx, or a redirect (never followed: a POST must not turn into a GET elsewhere): given up at
  once, as the receiver refuses this request as it is; an administrator corrects the integration and a
  person sends it again.

A host that did not answer (timeout, refused connection) is not tried again in the same batch: its other
replies wait for the next attempt rather than each waiting out `AMENDS_WEBHOOK_TIMEOUT`. Nothing here
writes a row, and it runs outside any transaction.

The body (README, "Replying on the customer's channel"):

    {"message_id": 812, "case_reference": "AM-2026-000123", "channel": "social", "purpose": "reply",
     "to": "@sampatel", "in_reply_to": "x:1790012345", "customer_name": "Sam Patel",
     "subject": "Your case AM-2026-000123", "text": "...", "written_at": "2026-11-20T10:04:00+00:00"}

`message_id` is the same on every attempt: a receiver that saw it already answers 2xx and posts nothing.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings

from . import signing
from .connectors import Attempt
from .models import OutboxItem

log = logging.getLogger(__name__)

USER_AGENT = "Amends-Webhook/1"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the error it is for a webhook (urllib would re-send a POST as a GET)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


class WebhookConnector:
    def send_batch(self, items: Sequence[OutboxItem]) -> list[Attempt]:
        down: dict[int, str] = {}  # integration id: why its host did not answer in this batch
        attempts = []
        for item in items:
            integration = item.integration
            if integration is None or not integration.enabled:
                attempts.append(Attempt(item.pk, "The integration is switched off"))
                continue
            if integration.pk in down:
                attempts.append(Attempt(item.pk, down[integration.pk]))
                continue
            attempt, unreachable = post(item)
            if unreachable:
                down[integration.pk] = attempt.error
            attempts.append(attempt)
        return attempts


def payload(item: OutboxItem) -> bytes:
    """The reply as the integration receives it."""
    message = item.message
    body = {
        "message_id": message.pk,
        "case_reference": message.case.reference,
        "channel": message.channel,
        "purpose": message.purpose,
        "to": item.destination,
        "in_reply_to": item.headers.get("In-Reply-To", ""),
        "customer_name": message.customer.name,
        "subject": message.subject,
        "text": message.body_text,
        "written_at": message.recorded_at.isoformat(),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post(item: OutboxItem, *, now: int | None = None) -> tuple[Attempt, bool]:
    """Post one reply; how it went, and whether the host did not answer at all."""
    integration = item.integration
    assert integration is not None  # the connector checks it first
    body = payload(item)
    stamp = int(time.time()) if now is None else now
    request = urllib.request.Request(  # noqa: S310 - an administrator's http(s) URL, checked when saved
        integration.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            signing.HEADER: signing.sign(integration.secret, stamp, body),
            "Amends-Message-Id": str(item.message_id),
        },
    )
    try:
        with _opener.open(request, timeout=settings.AMENDS_WEBHOOK_TIMEOUT) as response:
            response.read(1024)
    except urllib.error.HTTPError as exc:
        retry = exc.code == 429 or exc.code >= 500
        log.warning("Webhook %s answered %s for message %s", integration.name, exc.code, item.message_id)
        return Attempt(item.pk, _answer(integration.name, exc), permanent=not retry), False
    except (urllib.error.URLError, OSError) as exc:  # refused, unresolvable, timed out, cut off
        log.warning("Webhook %s not reached for message %s: %s", integration.name, item.message_id, exc)
        reason = getattr(exc, "reason", None) or exc
        detail = f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__
        return Attempt(item.pk, f"{integration.name} not reached: {detail}"[:500]), True
    return Attempt(item.pk), False


def _answer(name: str, exc: urllib.error.HTTPError) -> str:
    """The receiver's answer in a line: its status and the start of what it said."""
    try:
        said = exc.read(300).decode("utf-8", "replace").strip()
    except Exception:  # the answer's body is only a detail for people; its status decides
        said = ""
    text = f"{name} answered {exc.code} {exc.reason}"
    return (f"{text}: {' '.join(said.split())}" if said else text)[:500]
