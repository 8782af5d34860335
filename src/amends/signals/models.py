"""What the analyser found in each inbound message, and what advisers said about it.

The analysis is stored as found, with the analyser's version, so a later model never rewrites what an
adviser was shown; advisers' confirmations and dismissals are kept as training feedback.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .engine.analyser import SIGNAL_TYPES


class MessageAnalysis(models.Model):
    message = models.OneToOneField("messaging.Message", on_delete=models.PROTECT, related_name="analysis")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="analyses")
    risk = models.PositiveSmallIntegerField()
    analyser_version = models.CharField(max_length=120)  # rules digest + models digest (+ embeddings)
    analysed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"risk {self.risk} on message {self.message_id}"


class MessageSignal(models.Model):
    """One positive signal: its type, score, evidence spans into the message text, and why."""

    analysis = models.ForeignKey(MessageAnalysis, on_delete=models.PROTECT, related_name="signals")
    # Denormalised from the analysis so the case page and the queue's filters need no join.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="signals")
    message = models.ForeignKey("messaging.Message", on_delete=models.PROTECT, related_name="signals")
    type = models.CharField(max_length=40)
    score = models.FloatField()
    spans = models.JSONField(default=list)
    explanation = models.CharField(max_length=300, blank=True)
    # The latest adviser verdict, copied here for the page; the history is in SignalFeedback.
    verdict = models.CharField(max_length=10, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "type"], name="signal_once_per_message")]
        indexes = [models.Index(fields=["case", "type"], name="signal_case_type")]

    def __str__(self) -> str:
        return f"{self.type} {self.score:.2f}"

    @property
    def label(self) -> str:
        return SIGNAL_TYPES.get(self.type, (self.type, "", 0.0))[0]

    @property
    def group(self) -> str:
        return SIGNAL_TYPES.get(self.type, ("", "other", 0.0))[1]


class SignalFeedback(models.Model):
    """An adviser confirming or dismissing a signal. Append-only: the export for retraining reads it."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        DISMISSED = "dismissed", "Dismissed"

    signal = models.ForeignKey(MessageSignal, on_delete=models.PROTECT, related_name="feedback")
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["at", "id"], name="signalfeedback_at")]

    def __str__(self) -> str:
        return f"{self.verdict} {self.signal_id}"
