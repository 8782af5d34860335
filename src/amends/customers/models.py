from __future__ import annotations

from django.conf import settings
from django.db import models


class Nation(models.TextChoices):
    """The UK nation the customer lives in: its bank holidays decide the working days of their clocks and of
    every date they are told (regimes.calendar)."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
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
    nation = models.CharField(max_length=20, choices=Nation.choices, default=Nation.ENGLAND)
    preferred_channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    created_at = models.DateTimeField()
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Optimistic locking: every change to the record, its contact points or its addresses bumps it; an
    # edit made against an older version is refused (services.customer_update).
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.name


class ContactPoint(models.Model):
    """An email address, phone number or social handle: what matching finds a customer by. Postal addresses
    are kept apart (PostalAddress): nobody is matched by one, and a letter needs its parts."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"
        SOCIAL = "social", "Social media handle"

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


class PostalAddress(models.Model):
    """Where a letter to the customer goes by post. One of a customer's addresses is the one for letters."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="postal_addresses")
    # The lines above the town: house, street, locality (one to three, each as the customer wrote it).
    lines = models.JSONField(default=list)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    country = models.CharField(max_length=60, default="United Kingdom")
    for_letters = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=models.Q(for_letters=True),
                name="postal_address_one_for_letters",
            )
        ]
        ordering = ["-for_letters", "id"]

    def __str__(self) -> str:
        return ", ".join(self.block_lines())

    @property
    def is_uk(self) -> bool:
        return self.country.strip().casefold() in UK_NAMES

    def block_lines(self) -> list[str]:
        """The address as it is written on an envelope: the lines, the town, the postcode, and the country
        only when it is not the UK (Royal Mail asks for no country on inland post)."""
        lines = [*self.lines, self.town.upper() if self.is_uk else self.town, self.postcode]
        if not self.is_uk:
            lines.append(self.country.upper())
        return [line for line in lines if line.strip()]


UK_NAMES = frozenset(
    {
        "united kingdom",
        "uk",
        "u.k.",
        "great britain",
        "gb",
        "england",
        "wales",
        "scotland",
        "northern ireland",
    }
)


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


class ColleagueAlert(models.Model):
    """What a colleague wants whoever deals with this customer next to know ("may re-open the matter",
    "may contact you"), who raised it and why, until it expires or is closed. Shown as a customer notice
    (customers.hooks.customer_notices) on the queue's rows, the case page and the customer page, so it
    reaches whoever handles the customer next on any channel (customers/alerts.py)."""

    class Kind(models.TextChoices):
        MAY_REOPEN = "may_reopen", "May re-open the matter"
        MAY_CONTACT = "may_contact", "May contact you"
        OTHER = "other", "Other"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="colleague_alerts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.CharField(max_length=500)  # why, and what to do: shown to whoever deals with them next
    # Whom the customer may contact, or who wants to hear: told when it is raised (optional).
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    expires_on = models.DateField()
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "closed_at", "expires_on"], name="colleague_alert_live")]

    @property
    def label(self) -> str:
        return self.get_kind_display() if self.kind != self.Kind.OTHER else "Colleague alert"
