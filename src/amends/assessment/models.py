"""What an assessor saw of someone's work on a case, against the standards' criteria (CFACSC4, CFACSC7, WM57,
OCR C4). The start of a learner's competence record: a later issue builds on it."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class Observation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="observations")
    # The member of staff whose work was observed.
    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="observations")
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # References as the criteria catalogue writes them ("CFACSC4 P11", "WM57 7"), in the order given.
    criteria = models.JSONField(default=list)
    seen = models.TextField()
    observed_on = models.DateField()
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["learner", "observed_on"], name="observation_learner")]

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.criteria)}"
