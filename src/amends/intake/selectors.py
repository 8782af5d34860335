"""Reads for intake's pages."""

from __future__ import annotations

from .models import HeldEmail

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
