"""A learner's knowledge check: an attempt at the questions on some knowledge criteria, and its answers.

The attempt freezes the questions it was started with (`questions`, with their answers and the banks'
versions), so a bank changed later never re-marks or re-words an attempt already taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models

from .bank import Question

USER = settings.AUTH_USER_MODEL

MET, NOT_YET, WAITING = "met", "not_yet", "waiting"


@dataclass(frozen=True)
class CriterionState:
    """How one criterion stands in one attempt: met (every question on it right or acceptable), not yet
    (one is wrong or not yet acceptable), or waiting (none wrong, a short answer not yet marked)."""

    criterion: str
    state: str
    decided_at: datetime | None
    marked_by: Any  # the assessor who marked its short answers (the latest); None when marked automatically


class KnowledgeAttempt(models.Model):
    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="knowledge_attempts")
    # The unit chosen ("CFACSC7"), or empty when the learner chose criteria.
    unit = models.CharField(max_length=20, blank=True)
    # The knowledge criteria the check covers, as the catalogue writes them.
    criteria = models.JSONField(default=list)
    # {bank name: version} of the banks the questions came from, and the questions themselves (with their
    # answers) as they were at the start: `bank.Question.to_dict`.
    bank_versions = models.JSONField(default=dict)
    questions = models.JSONField(default=list)
    started_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the last answer was marked: every answer right/wrong or marked by the assessor.
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["learner", "started_at"], name="knowledge_attempt_learner")]

    def __str__(self) -> str:
        return f"{self.learner_id}: {self.unit or ', '.join(self.criteria)}"

    @property
    def status(self) -> str:
        if self.submitted_at is None:
            return "in_progress"
        return "complete" if self.completed_at else "waiting"

    @property
    def subject(self) -> str:
        return self.unit or ", ".join(self.criteria)

    def question_list(self) -> list[Question]:
        return [Question.from_dict(q) for q in self.questions]

    def question(self, question_id: str) -> Question:
        return next(Question.from_dict(q) for q in self.questions if q["id"] == question_id)

    def criterion_states(self) -> list[CriterionState]:
        """Each criterion of the check as it stands, from its answers (prefetch `answers` for a list)."""
        if self.submitted_at is None:
            return []
        answers = {a.question_id: a for a in self.answers.all()}
        by_criterion: dict[str, list[KnowledgeAnswer]] = {ref: [] for ref in self.criteria}
        for q in self.question_list():
            for ref in q.criteria:
                if ref in by_criterion and q.id in answers:
                    by_criterion[ref].append(answers[q.id])
        return [_state(ref, given) for ref, given in by_criterion.items()]


def _state(ref: str, answers: list[KnowledgeAnswer]) -> CriterionState:
    if any(a.correct is False for a in answers):
        state = NOT_YET
    elif any(a.correct is None for a in answers):
        return CriterionState(ref, WAITING, None, None)
    else:
        state = MET
    decided = [a for a in answers if a.marked_at is not None and a.correct is not None]
    by_person = [a for a in decided if a.marked_by_id is not None]
    latest = max(by_person, key=lambda a: a.marked_at, default=None)
    return CriterionState(
        ref,
        state,
        max((a.marked_at for a in decided), default=None),
        latest.marked_by if latest else None,
    )


class KnowledgeAnswer(models.Model):
    attempt = models.ForeignKey(KnowledgeAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=10)
    # Option keys (choice), step keys first to last (order) or the text (short): `marking.read`.
    given = models.JSONField()
    # Right or acceptable; wrong or not yet; None: a short answer waiting for the assessor.
    correct = models.BooleanField(null=True)
    marked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_id"], name="knowledge_answer_once"),
        ]
        indexes = [
            models.Index(
                fields=["attempt"], name="knowledge_answer_waiting", condition=models.Q(correct__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.question_id}"

    @property
    def waiting(self) -> bool:
        return self.correct is None
