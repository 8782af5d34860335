from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADVISER = "adviser", "Adviser"
    CASE_HANDLER = "case_handler", "Case handler"
    TEAM_LEADER = "team_leader", "Team leader"
    COMPLAINTS_LEAD = "complaints_lead", "Complaints lead"
    ASSESSOR = "assessor", "Assessor"
    # Samples assessors' decisions on learners' portfolios (the competence record); works no case.
    IQA = "iqa", "Internal quality assurer"
    ADMIN = "admin", "Administrator"


class NotifyEmail(models.TextChoices):
    """Which notifications a person also gets by email. Urgent safety alerts are emailed whatever they
    choose (`Notification.safety`)."""

    NONE = "none", "In the app only"
    URGENT = "urgent", "Email me urgent ones too"
    ALL = "all", "Email me every one (a digest at most once)"


class Team(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """Who a staff user is in Amends: their role and team. A user without one cannot use the agent UI."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=20, choices=Role.choices)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    # How they sign a letter ("Customer Relations Manager"); empty: the role's name.
    job_title = models.CharField(max_length=100, blank=True)
    # Which notifications also reach them by email (their own choice; urgent safety alerts always do).
    notify_email = models.CharField(max_length=10, choices=NotifyEmail.choices, default=NotifyEmail.URGENT)
    # The directory of who can help (CFACSC4 P14, K5): what they can help colleagues with (topics,
    # products, skills, one per line or comma-separated) and how to reach them; kept by them or their
    # team leader (`services.staff_directory_set`).
    helps_with = models.TextField(blank=True)
    reach = models.CharField(max_length=200, blank=True)
    # Someone working towards the qualification (the competence record, amends.assessment) has an
    # assessor, who judges their evidence; empty: not a learner. Kept here so every app can ask
    # `permissions.can_assess_learner` without importing the app that keeps portfolios.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="learners"
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def title(self) -> str:
        """What a letter says they are: their job title, else their role in Amends."""
        return self.job_title.strip() or self.get_role_display()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only a hash is stored; the key is shown once when created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"


class AuditEvent(models.Model):
    """Append-only record of changes outside a case (customers, tokens, staff, configuration).

    Case changes are recorded as CaseEvent rows on the case itself.
    """

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only")


class EmailState(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, to be tried again"
    GAVE_UP = "gave_up", "Gave up"


class Notification(models.Model):
    """Something a person needs to know: an approval to decide, a clock about to breach, a decision made.

    Urgent ones (a safety alert, an approval asked for or decided, a breach, a broken promise) are told one
    by one and shown first. Routine reminders are a digest: one unread row per person and `topic`, naming
    what it covers in `subjects` (case references, or clocks or promises on them), so a reminder about
    something already in an unread digest adds nothing, and a new one is folded into it.
    """

    class Urgency(models.TextChoices):
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    topic = models.CharField(max_length=40, blank=True)  # a routine digest's; "" for one told on its own
    subjects = models.JSONField(default=list, blank=True)
    # A safety alert (threat, self-harm, a safety report): always urgent, always emailed.
    safety = models.BooleanField(default=False)
    # Its email, sent after the transaction that wrote it commits (core/emails.py): "" when it is not to
    # be emailed; pending -> sending -> sent, or failed (tried again with backoff) -> gave_up.
    email_state = models.CharField(max_length=10, choices=EmailState.choices, blank=True)
    email_tries = models.PositiveSmallIntegerField(default=0)
    email_next_at = models.DateTimeField(null=True, blank=True)  # when it may be tried (again)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "read_at", "created_at"], name="notification_inbox"),
            models.Index(fields=["email_state", "email_next_at"], name="notification_email_due"),
        ]


class RateCounter(models.Model):
    """Attempts at a throttled action (signing in, the public form, the portal's forms) by one client (or
    at one portal link) in one fixed window.

    In the database, so every web process counts into the same bucket and a restart forgets nothing. The
    key is a keyed hash of the client address (and username) or the link, so the table holds none of them.
    """

    scope = models.CharField(max_length=40)
    key_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key_hash", "window_start"], name="rate_counter_window")
        ]


class StoredFile(models.Model):
    """The columns of a file kept in the database: an email's attachment, a letter's enclosure, a piece
    of evidence. In the database, inside the transaction that stores what the file belongs to, so a crash
    never keeps one without the other; served only as a download (core/web.py)."""

    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.filename

    @classmethod
    def of(cls, file, **owner):
        """An unsaved row holding `file` (an AttachmentFile), for the owner given by keyword."""
        return cls(
            filename=(file.filename or "attachment")[:255],
            content_type=file.content_type[:100],
            size=len(file.content),
            sha256=hashlib.sha256(file.content).hexdigest(),
            content=file.content,
            **owner,
        )
