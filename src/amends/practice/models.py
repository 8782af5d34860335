"""Practice sessions with a simulated customer, and each reply in them. Formative only: nothing here is
evidence of performance (the competence record cannot import this app; an import-linter contract says so)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL
# What every record here is, in whatever it exposes (competence.md §7: provenance is always "simulation").
PROVENANCE = "simulation"
NOTICE = "Practice: never counts as evidence of performance"


class Ending(models.TextChoices):
    RESOLVED = "resolved", "The customer settled"
    LOST = "lost", "The customer walked away"
    STOPPED = "stopped", "Stopped by the learner"
    OUT_OF_TURNS = "out_of_turns", "Ran out of turns"


class PracticeSession(models.Model):
    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="practice_sessions")
    scenario_id = models.CharField(max_length=80)
    # The scenario as it was when the session started (its data and a hash of it), so a later edit of the
    # scenario's file changes neither the dialogue nor the rubric of a session already begun.
    scenario_version = models.CharField(max_length=16)
    scenario = models.JSONField()
    state = models.CharField(max_length=40)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(max_length=20, choices=Ending.choices, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    # The rubric at the end (marking.assess): points met, missed, not applicable; mistakes with quotes.
    assessment = models.JSONField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["learner", "-started_at"], name="practice_learner")]

    def __str__(self) -> str:
        return f"{self.scenario_id} ({self.learner_id})"

    @property
    def provenance(self) -> str:
        return PROVENANCE

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class PracticeTurn(models.Model):
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="turns")
    number = models.PositiveSmallIntegerField()
    learner_text = models.TextField()
    customer_reply = models.TextField()
    state_before = models.CharField(max_length=40)
    state_after = models.CharField(max_length=40)
    # What the reply showed (signal -> spans in learner_text) and the coach's findings on it, as read then.
    signals = models.JSONField(default=dict)
    findings = models.JSONField(default=list)
    at = models.DateTimeField()

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["session", "number"], name="practice_turn_number")]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.number}"
