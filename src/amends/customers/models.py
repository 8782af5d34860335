from __future__ import annotations

from django.conf import settings
from django.db import models


class Nation(models.TextChoices):
    """The UK nation whose bank holidays apply to the customer's clocks."""

    ENGLAND_WALES = "england", "England and Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEB_FORM = "web_form", "Web form"
    PHONE = "phone", "Phone"
    FACE_TO_FACE = "face_to_face", "Face to face"
    LETTER = "letter", "Letter"
    SOCIAL = "social", "Social media"
    CHAT = "chat", "Chat"
    SMS = "sms", "SMS"
    API = "api", "API"


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=200)
    # Lower-cased, whitespace-collapsed name: what duplicate detection compares.
    name_key = models.CharField(max_length=200, db_index=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND_WALES)
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    created_at = models.DateTimeField()
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        SOCIAL = "social", "Social media handle"
        POSTAL = "postal", "Postal address"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contact_points")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.CharField(max_length=300)
    # The form that matching uses: lower-cased email, E.164 phone, lower-cased handle.
    normalised = models.CharField(max_length=300)
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            # One email or phone belongs to one customer: that is what makes matching unambiguous.
            models.UniqueConstraint(fields=["kind", "normalised"], name="contact_point_unique"),
        ]
        # Matching looks up by value across kinds (a search box does not say whether it holds an email).
        indexes = [models.Index(fields=["normalised"], name="contact_point_normalised")]
        ordering = ["kind", "-is_primary", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class MergeSuggestion(models.Model):
    """Two customer records that look like one person, for a person to decide."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MERGED = "merged", "Merged"
        DISMISSED = "dismissed", "Dismissed"

    keep = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    duplicate = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["keep", "duplicate"], name="merge_suggestion_unique")]
        indexes = [models.Index(fields=["status", "created_at"])]
