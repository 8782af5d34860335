"""The email connector, the one place that talks to the mail server: the worker hands it a claimed batch of
the outbox and gets back how each went. Nothing here writes a row, and it runs outside any transaction, so
a slow or stalled server holds no lock; `EMAIL_TIMEOUT` bounds every wait on it."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from contextlib import suppress

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .connectors import Attempt
from .models import OutboxItem

log = logging.getLogger(__name__)

# The server answered about this one message (a refused recipient or sender, rejected data): the next
# message may still go. Anything else (refused connection, timeout, disconnection) means the server is
# unusable, and the rest of the batch is not tried on it.
MESSAGE_REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class EmailConnector:
    def send_batch(self, items: Sequence[OutboxItem]) -> list[Attempt]:
        return send_batch(items)


def send_batch(emails: Sequence[OutboxItem]) -> list[Attempt]:
    """Send each email of the outbox, with its stored attachments, over one connection."""
    connection = get_connection()  # the SMTP backend waits at most settings.EMAIL_TIMEOUT per step
    try:
        connection.open()
    except Exception as exc:  # the server is down or stalled: every message waits for the next attempt
        log.warning("Opening the mail connection failed: %s", describe(exc))
        return [Attempt(e.pk, describe(exc)) for e in emails]
    attempts: list[Attempt] = []
    broken = ""
    try:
        for outbox in emails:
            if broken:
                attempts.append(Attempt(outbox.pk, broken))
                continue
            try:
                _email(outbox, connection).send()
            except Exception as exc:  # any failure is recorded; the message itself is safe on its case
                log.warning("Sending message %s failed: %s", outbox.message_id, describe(exc))
                attempts.append(Attempt(outbox.pk, describe(exc), permanent=permanent(exc)))
                if not isinstance(exc, MESSAGE_REFUSALS):
                    broken = describe(exc)
                continue
            attempts.append(Attempt(outbox.pk))
    finally:
        with suppress(Exception):
            connection.close()
    return attempts


def _email(outbox: OutboxItem, connection) -> EmailMessage:
    message = outbox.message
    email = EmailMessage(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[outbox.destination],
        headers=outbox.headers,
        connection=connection,
    )
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
    return email


def permanent(exc: BaseException) -> bool:
    """A 5xx answer: the server refuses this message for good, so retrying cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def describe(exc: BaseException) -> str:
    """The failure in a line, for the case page and the outbox: the server's own words where it gave any."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (0, b""))
        detail = f"recipient refused: {code} {_text(text)}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        detail = f"{exc.smtp_code} {_text(exc.smtp_error)}"
    else:
        detail = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {detail}"[:500]


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)
