"""Notifications by email as well as in the app (core.models.Notification, `StaffProfile.notify_email`);
safety alerts always by email, so help reaches a colleague at once (CFACSC4 P17, K5).

Rows are written in the transaction of the change they tell (`services.notify_each`), marked `pending` when
their person is to get an email: urgent safety alerts always, otherwise as the person chose (urgent ones,
or every one, a digest row at most once). Nothing is sent before that transaction commits: an `on_commit`
callback sends them, so a rolled-back change sends nothing. Each row is claimed before it is sent by a
conditional UPDATE (pending or failed -> sending), which only one process can win, so the callback and the
worker's sweep (`notification_emails_sweep`, registered as a worker step by process) never send one twice.
A failure is tried again with backoff, up to `AMENDS_NOTIFICATION_EMAIL_TRIES` times, then given up, logged.

The email says what the in-app notification says, and no more (no customer's details beyond its text),
with an absolute link to the page (`SITE_URL`). Mail goes out through Django's mail API with the project's
email settings (EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT, DEFAULT_FROM_EMAIL), as the outbox's does.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from .models import EmailState, Notification, NotifyEmail

log = logging.getLogger(__name__)

# A claimed row that was never marked sent or failed (its process died while sending) may be tried again
# after this long: it is then more likely never to have gone than to have gone.
STALE_CLAIM = timedelta(minutes=15)
BATCH = 500


def wants_email(preference: str, *, urgent: bool, safety: bool, digest: bool) -> bool:
    """Whether a notification of this kind is emailed to someone with this preference."""
    if safety:
        return True
    if preference == NotifyEmail.ALL:
        return True
    return preference == NotifyEmail.URGENT and urgent and not digest


def backoff(tries: int) -> timedelta:
    """How long after the `tries`th failed attempt the next may be made: 1, 5, 25, 125 minutes..."""
    return timedelta(minutes=5 ** max(tries - 1, 0))


def send_after_commit(ids: Iterable[int]) -> None:
    """Send these rows' emails once the current transaction commits (at once, outside one)."""
    ids = list(ids)
    if ids and settings.AMENDS_NOTIFICATION_EMAIL_AT_COMMIT:
        transaction.on_commit(EmailsAfterCommit(ids))


class EmailsAfterCommit:
    """The on_commit callback that sends notifications' emails; nothing else waits for a commit (tests
    that check a change needs no callback leave this one out: `only_emails`)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids

    def __call__(self) -> None:
        # After commit the change is saved whatever happens here: a failure is the worker's to retry.
        try:
            notification_emails_send(ids=self.ids)
        except Exception:  # never let a mail fault turn a saved change into an error page
            log.exception(
                "Sending the emails of notifications %s failed; the worker will try again", self.ids
            )


def other_callbacks(callbacks: Iterable) -> list:
    """The on_commit callbacks that are not notifications' emails, nor a refresh of derived figures that
    sends nothing (marked `derived_only` by core.after_commit: insights' facts, the returns' states)."""
    return [
        c for c in callbacks if not isinstance(c, EmailsAfterCommit) and not getattr(c, "derived_only", False)
    ]


def notification_emails_send(*, ids: list[int] | None = None, now: datetime | None = None) -> int:
    """Claim and send the emails due (of these rows, or any), over one connection. How many were claimed."""
    now = now or timezone.now()
    due = Notification.objects.filter(
        Q(email_state__in=[EmailState.PENDING, EmailState.FAILED], email_next_at__lte=now)
        | Q(email_state=EmailState.SENDING, email_claimed_at__lt=now - STALE_CLAIM)
    )
    if ids is not None:
        due = due.filter(pk__in=ids)
    candidates = list(due.order_by("email_next_at", "id").values_list("pk", "email_state")[:BATCH])
    claimed = [pk for pk, state in candidates if _claim(pk, state, now)]
    if not claimed:
        return 0
    rows = list(Notification.objects.filter(pk__in=claimed).select_related("user").order_by("id"))
    unreachable = [row for row in rows if not row.user.email or not row.user.is_active]
    for row in unreachable:  # the account lost its address or was closed since: nothing to try again
        log.warning("Notification %s: user %s has no email address or account now", row.pk, row.user_id)
        Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(
            email_state=EmailState.GAVE_UP, email_next_at=None, email_error="No email address or account"
        )
    rows = [row for row in rows if row not in unreachable]
    if rows:
        _deliver(rows)
    return len(claimed)


def notification_emails_sweep(now: datetime) -> int:
    """The worker's step: send what is pending and retry what failed, once its backoff has passed."""
    return notification_emails_send(now=now)


def _claim(pk: int, state: str, now: datetime) -> bool:
    """pending/failed -> sending, in one conditional UPDATE: only one process wins a row."""
    claim = Notification.objects.filter(pk=pk, email_state=state)
    if state == EmailState.SENDING:
        claim = claim.filter(email_claimed_at__lt=now - STALE_CLAIM)
        log.warning("Notification %s was claimed and never marked sent: trying it again", pk)
    else:
        claim = claim.filter(email_next_at__lte=now)
    won = claim.update(email_state=EmailState.SENDING, email_claimed_at=now, email_tries=F("email_tries") + 1)
    return won == 1


def _deliver(rows: list[Notification]) -> None:
    connection = get_connection()  # the project's mail settings; EMAIL_TIMEOUT bounds every wait
    try:
        connection.open()
    except Exception as exc:  # the server is down or stalled: every row waits for the next attempt
        for row in rows:
            _failed(row, describe(exc))
        return
    broken = ""
    try:
        for row in rows:
            if broken:
                _failed(row, broken)
                continue
            try:
                notification_email(row, connection).send()
            except Exception as exc:
                _failed(row, describe(exc))
                if not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPDataError):
                    broken = describe(exc)
                continue
            Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(
                email_state=EmailState.SENT, emailed_at=timezone.now(), email_error=""
            )
    finally:
        with suppress(Exception):
            connection.close()


def _failed(row: Notification, error: str) -> None:
    tries = Notification.objects.filter(pk=row.pk).values_list("email_tries", flat=True).first() or 0
    if tries >= settings.AMENDS_NOTIFICATION_EMAIL_TRIES:
        state, next_at = EmailState.GAVE_UP, None
        log.error(
            "Gave up emailing notification %s to user %s after %s tries: %s",
            row.pk,
            row.user_id,
            tries,
            error,
        )
    else:
        state, next_at = EmailState.FAILED, timezone.now() + backoff(tries)
        log.warning("Emailing notification %s failed (try %s): %s", row.pk, tries, error)
    Notification.objects.filter(pk=row.pk, email_state=EmailState.SENDING).update(
        email_state=state, email_next_at=next_at, email_error=error[:500]
    )


def notification_email(row: Notification, connection=None) -> EmailMessage:
    """The email of one notification: what the app says, where to read more, and how to change this."""
    link = row.link if row.link.startswith("/") else reverse("notifications")
    if row.safety:
        subject = f"Safety alert: {row.text}"
    elif row.urgency == Notification.Urgency.URGENT:
        subject = f"Urgent: {row.text}"
    else:
        subject = row.text
    body = "\n".join(
        [
            row.text,
            "",
            f"Open it in Amends: {settings.SITE_URL}{link}",
            "",
            "Do not reply to this email: it is not read.",
            "Choose which notifications reach you by email: "
            f"{settings.SITE_URL}{reverse('notification_settings')}",
            *(["(Safety alerts are always emailed.)"] if row.safety else []),
        ]
    )
    return EmailMessage(
        subject=_one_line(subject)[:150],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.user.email],
        headers={"Auto-Submitted": "auto-generated", "X-Amends-Notification": str(row.pk)},
        connection=connection,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def describe(exc: BaseException) -> str:
    """The failure in a line: the server's own words where it gave any."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = (
            exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        )
        return f"{type(exc).__name__}: {exc.smtp_code} {error}"[:500]
    return f"{type(exc).__name__}: {exc}"[:500]


def notification_emails_hold(*, since: datetime) -> int:
    """Never email the notifications written since `since` that are still waiting: history loaded in bulk
    (the demo's months of approvals, breaches and re-opens), told in the app as it happened, not news to
    email today. How many."""
    return Notification.objects.filter(
        email_state__in=[EmailState.PENDING, EmailState.FAILED], created_at__gte=since
    ).update(email_state="", email_next_at=None)
