"""Email intake could not read, kept raw for a person to look at (nothing a customer sends is lost), and
the team mailboxes intake reads by IMAP."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class HeldEmail(models.Model):
    """An email that arrived but could not become a case by itself (no usable sender, unreadable MIME):
    held with why, until a person supplies what was missing and releases it as a case."""

    class Status(models.TextChoices):
        HELD = "held", "Held for review"
        RELEASED = "released", "Released as a case"
        # Mail no person wrote (a bounce, an automatic reply) that answers no case: kept, raw, out of the
        # review queue; a person may still release it.
        SET_ASIDE = "set_aside", "Set aside: automatic mail"

    WAITING = (Status.HELD, Status.SET_ASIDE)  # what a person may still release

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


class Mailbox(models.Model):
    """A team mailbox Amends reads by IMAP: the worker polls it (intake/tasks.py), `amends mailbox watch`
    waits on it with IDLE. What it fetches goes the way of every email (`intake_email`), and what it has
    imported is marked or moved on the server only once it is stored (intake/imap.py says why that gives
    exactly once)."""

    class Security(models.TextChoices):
        TLS = "tls", "TLS from the start (IMAPS, usually port 993)"
        STARTTLS = "starttls", "STARTTLS (usually port 143)"
        # The password would cross the network in clear: refused unless the server is this machine.
        NONE = "none", "None: only for a server on this machine"

    class AfterImport(models.TextChoices):
        MARK = "mark", "Mark it read and flag it $AmendsImported"
        MOVE = "move", "Move it to another folder"

    name = models.CharField(max_length=120, unique=True)
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField()
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.TLS)
    username = models.CharField(max_length=255)
    # The name of the environment variable that holds the password, never the password: secrets live in
    # the environment like every other credential of Amends (EMAIL_HOST_PASSWORD, the inbound secret),
    # out of the database, its backups and the API (docs/dependencies.md, "Team mailboxes").
    password_env = models.CharField(max_length=100)
    folder = models.CharField(max_length=200, default="INBOX")
    after_import = models.CharField(max_length=10, choices=AfterImport.choices, default=AfterImport.MARK)
    move_to = models.CharField(max_length=200, blank=True)  # the folder, when moving
    # The team a case it opens goes to; none: the intake team (AMENDS_INTAKE_TEAM).
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enabled = models.BooleanField(default=True)
    # Optimistic locking of the settings (an administrator's edit): what the worker records below does
    # not change it.
    version = models.PositiveIntegerField(default=1)
    # What the worker knows of the folder: its UIDVALIDITY, and the highest UID it has imported and
    # marked (UIDs at or below it are not fetched again).
    uidvalidity = models.PositiveBigIntegerField(null=True, blank=True)
    last_uid = models.PositiveBigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    # When the worker may next poll it: set ahead while a worker (or a watcher) holds it, a lease.
    next_poll_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MailboxEmail(models.Model):
    """One email fetched from a mailbox, by its place on the server: the folder's UIDVALIDITY and the
    email's UID, unique. Written in the transaction that stores the email, so an email is imported once
    whatever stops the fetch, and what it became (a message on a case, held, set aside, refused)."""

    class Outcome(models.TextChoices):
        STORED = "stored", "Stored on a case"
        DUPLICATE = "duplicate", "Already stored"
        HELD = "held", "Held or set aside"
        REFUSED = "refused", "Refused (left on the server)"

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="emails")
    uidvalidity = models.PositiveBigIntegerField()
    uid = models.PositiveBigIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held = models.ForeignKey(HeldEmail, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    imported_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mailbox", "uidvalidity", "uid"], name="mailbox_email_once")
        ]

    def __str__(self) -> str:
        return f"{self.mailbox} {self.uidvalidity}/{self.uid}: {self.outcome}"
