"""Reads for intake's pages."""

from __future__ import annotations

from django.db.models import Count

from .mailboxes import mailbox_password
from .models import HeldEmail, Mailbox

HELD_PAGE = 100


def held_emails_waiting() -> list[HeldEmail]:
    """The email waiting for review, oldest first, without the raw bytes (each may be megabytes)."""
    return list(HeldEmail.objects.filter(status=HeldEmail.Status.HELD).defer("raw")[:HELD_PAGE])


def set_aside_emails() -> list[HeldEmail]:
    """Automatic mail that answered no case (bounces, automatic replies), newest first."""
    return list(
        HeldEmail.objects.filter(status=HeldEmail.Status.SET_ASIDE)
        .defer("raw")
        .order_by("-received_at", "-pk")[:HELD_PAGE]
    )


def held_email_waiting(pk: int) -> HeldEmail | None:
    return HeldEmail.objects.filter(pk=pk, status__in=HeldEmail.WAITING).first()


def mailboxes_listed() -> list[Mailbox]:
    """The team mailboxes with how many emails each has imported and whether its password is set in this
    process's environment (`password_set`): what the settings page and the API show, never the password."""
    mailboxes = list(Mailbox.objects.select_related("team").annotate(imported=Count("emails")))
    for mailbox in mailboxes:
        mailbox.password_set = mailbox_password(mailbox) is not None
    return mailboxes
