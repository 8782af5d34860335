from __future__ import annotations

from django.conf import settings
from django.db import models

from amends.core.models import StoredFile
from amends.customers.models import Channel


class Message(models.Model):
    """One contact with the customer, either way, on any channel. Kept as received."""

    class Direction(models.TextChoices):
        INBOUND = "in", "From the customer"
        OUTBOUND = "out", "To the customer"

    class Delivery(models.TextChoices):
        NOT_APPLICABLE = "", "Not sent by Amends"
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Not sent yet: retrying"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent: gave up"
        # Nowhere to send it: no email address, and no connector for the channel the customer wrote on.
        NO_ADDRESS = "no_address", "Not sent: no address"
        # A person sent it themselves, elsewhere (from the social media account, a phone): recorded only.
        BY_HAND = "by_hand", "Sent by hand"
        # Sent, and then returned by the customer's mail system (a bounce that intake matched to it).
        BOUNCED = "bounced", "Not delivered: bounced"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="messages")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="messages")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    # Why it was sent: reply, acknowledgement, call note...; free text so later letters can add kinds.
    # Inbound mail no person wrote says so here: "bounce", "auto_reply" (intake/automatic.py).
    purpose = models.CharField(max_length=30, default="message")
    subject = models.CharField(max_length=300, blank=True)
    sender = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    # Inbound HTML after sanitising (nh3): safe to show. The untouched original is in MessageSource.
    body_html = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What makes intake idempotent: the email Message-ID, the API client's key, a hash of the raw bytes.
    idempotency_key = models.CharField(max_length=300, null=True, blank=True, unique=True)
    email_message_id = models.CharField(max_length=300, blank=True, db_index=True)
    delivery = models.CharField(max_length=12, choices=Delivery.choices, blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["case", "occurred_at"], name="message_case_time"),
            models.Index(fields=["customer", "occurred_at"], name="message_customer_time"),
            # Mail not sent yet, for the "Email not delivered" queue filter: small, as most mail goes.
            models.Index(
                fields=["delivery", "recorded_at"],
                name="message_undelivered",
                condition=models.Q(delivery__in=["queued", "retrying", "failed", "bounced"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_channel_display()} {self.occurred_at:%Y-%m-%d}"


class MessageSource(models.Model):
    """The message exactly as it arrived (raw MIME, JSON, form fields), apart from the list tables."""

    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="source")
    content_type = models.CharField(max_length=100)
    raw = models.BinaryField()


class Attachment(StoredFile):
    """A file on a message: as the customer sent it (its type as their email claimed), or checked by
    core/files.py when staff attached it. Stored in the transaction that stores the message."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")


class Integration(models.Model):
    """One of the organisation's own systems that carries replies to customers on a channel Amends does
    not reach by itself (a social media inbox, a chat platform): Amends posts each reply to its URL as
    signed JSON (messaging/webhooks.py, README "Replying on the customer's channel"). An administrator
    adds and changes them; at most one switched on serves a channel, so a reply's way out is never a
    guess. Switched off rather than deleted, as sent messages name the one they went through."""

    name = models.CharField(max_length=120, unique=True)
    # The channels it serves, from WEBHOOK_CHANNELS (social, chat).
    channels = models.JSONField(default=list)
    url = models.URLField(max_length=500)
    # The shared secret of the HMAC signature. Stored as it is (signing needs it, so it cannot be hashed);
    # shown once when Amends makes it, never on a page or in the API after that.
    secret = models.CharField(max_length=200)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Optimistic locking: an edit names the version it read.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutboxItem(models.Model):
    """A message on its way out, on whichever connector carries it (messaging/connectors.py: email, an
    integration's webhook, SMS): stored with its message in the same transaction, sent by the worker after
    commit (messaging/tasks.py), retried with exponential backoff. The message's `delivery` says where it
    stands; this row says how the attempts went."""

    class Connector(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Integration (webhook)"
        SMS = "sms", "SMS provider"

    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="outbox")
    connector = models.CharField(max_length=10, choices=Connector.choices, default=Connector.EMAIL)
    # The integration a webhook reply goes through.
    integration = models.ForeignKey(
        Integration, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Where it goes on that connector: an email address, a phone number (E.164), a social media handle
    # or the id of a chat conversation.
    destination = models.CharField(max_length=300)
    # Threading, fixed when the message was stored: an email's Message-ID, In-Reply-To and References; for
    # a webhook, In-Reply-To is the id of the customer's post or chat message it answers.
    headers = models.JSONField(default=dict)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the worker may next claim it: set ahead while a worker holds it (a lease), None once the
    # message is sent or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.connector} to {self.destination} ({self.message.get_delivery_display()})"


class SavedReply(models.Model):
    """A reply template: a team's (kept by its team leaders) or one person's own. Its body may name the
    case's facts as placeholders ({customer_name}, {reference}, {respond_by}...; messaging.replies lists
    them), filled in when it is put into the reply box, where the adviser edits it and the coach reads
    it like any draft. Placeholders it does not know are refused when it is saved."""

    title = models.CharField(max_length=120)
    body = models.TextField()
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="saved_replies"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_replies",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Optimistic locking: every edit bumps it; an edit made against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, owner__isnull=True)
                | models.Q(team__isnull=True, owner__isnull=False),
                name="saved_reply_team_or_owner",
            )
        ]
        indexes = [
            models.Index(fields=["team", "title"], name="saved_reply_team"),
            models.Index(fields=["owner", "title"], name="saved_reply_owner"),
        ]

    def __str__(self) -> str:
        return self.title
