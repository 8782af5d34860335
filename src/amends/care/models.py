"""A customer's support needs (FCA FG21/1): what they told us, or we noticed, and what we do differently.

`SupportNeedsRecord` is one customer's record; each change is a new `SupportNeedsVersion`, append-only, so
what a colleague read and acted on stays as they read it. Written only by care.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amends.customers.models import Channel, Customer

from .vocabulary import DISCLOSED_VIA, LAWFUL_BASES, THIRD_PARTY_KINDS


class SupportNeedsRecord(models.Model):
    """One customer's support needs: the latest version is what applies (`current`)."""

    customer = models.OneToOneField(Customer, on_delete=models.PROTECT, related_name="support_needs")
    # The latest version; set in the transaction that adds it.
    current = models.OneToOneField(
        "SupportNeedsVersion", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking: a change made against an older version is refused (services).
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    # The review date the worker last reminded about (care.tasks): a new date is reminded about again.
    review_reminded_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Support needs of customer {self.customer_id}"


class SupportNeedsVersion(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    record = models.ForeignKey(SupportNeedsRecord, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # FG21/1: the drivers (health, life_event, resilience, capability) and characteristics (vocabulary.py).
    drivers = models.JSONField(default=list, blank=True)
    characteristics = models.JSONField(default=list, blank=True)
    circumstances = models.TextField(blank=True)  # in the customer's or colleague's words
    # What we do differently.
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    formats = models.JSONField(default=list, blank=True)  # large_print, easy_read, braille, audio, ...
    language = models.CharField(max_length=60, blank=True)  # for "another_language"
    extra_time = models.BooleanField(default=False)
    third_party_name = models.CharField(max_length=200, blank=True)
    third_party_kind = models.CharField(max_length=30, blank=True, choices=list(THIRD_PARTY_KINDS.items()))
    third_party_contact = models.CharField(max_length=300, blank=True)
    other_adjustments = models.TextField(blank=True)
    # How we know, and the lawful basis for keeping special category data (UK GDPR art. 9).
    disclosed_via = models.CharField(max_length=20, choices=list(DISCLOSED_VIA.items()))
    lawful_basis = models.CharField(max_length=40, choices=list(LAWFUL_BASES.items()))
    lawful_basis_note = models.CharField(max_length=500, blank=True)  # e.g. how consent was given
    # The roles it is shown to (core.permissions.can_see_support_needs).
    visible_to = models.JSONField(default=list)
    review_on = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField()
    # None: the customer, on our forms.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)  # why it changed or ended

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="support_needs_version_once")
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Support needs {self.record_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Support needs versions are append-only: add a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Support needs versions are append-only: end the record instead")

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE
