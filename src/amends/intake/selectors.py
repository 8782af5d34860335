"""Reads for intake's pages."""

from __future__ import annotations

from .models import HeldEmail

HELD_PAGE = 100


def held_emails_waiting() -> list[HeldEmail]:
    """The email waiting for review, oldest first, without the raw bytes (each may be megabytes)."""
    return list(HeldEmail.objects.filter(status=HeldEmail.Status.HELD).defer("raw")[:HELD_PAGE])


def held_email_waiting(pk: int) -> HeldEmail | None:
    return HeldEmail.objects.filter(pk=pk, status=HeldEmail.Status.HELD).first()
