"""Email intake could not read: kept, raw, for a person to look at. Nothing a customer sends is lost."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HeldEmail(models.Model):
    """An email that arrived but could not become a case by itself (no usable sender, unreadable MIME):
    held with why, until a person supplies what was missing and releases it as a case."""

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        RELEASED = "released", "Released as a case"

    raw = models.BinaryField()
    # One row per distinct email: the provider's retry, or a second import, holds nothing new.
    sha256 = models.CharField(max_length=64, unique=True)
    reason = models.TextField()
    # What could be read of it, to help the person reviewing (best effort, possibly empty).
    subject = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=300, blank=True)
    received_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD, db_index=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="released_emails"
    )

    class Meta:
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"Held email {self.pk}: {self.reason}"
