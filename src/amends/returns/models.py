"""What the returns app keeps: how our products and root causes map to a return's groupings, the Housing
Ombudsman Code self-assessment's answers (versioned per year), and every return produced.

The figures themselves are never stored as the truth: they are computed from the case events each time
(selectors.py). A produced return keeps the figures it gave (`ReturnProduced.figures`), so what was sent to
a regulator can be shown again exactly, whatever the mapping says since.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class ReturnMapping(models.Model):
    """One of our products (or root causes) counted under one of a return's groupings (or causes).

    The defaults are in mapping.py; a row here overrides the default for its key. Written only by
    `services.return_mapping_set`, audited."""

    class Kind(models.TextChoices):
        PRODUCT = "product", "Product to FCA product group"
        CAUSE = "cause", "Root cause to FCA cause"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Our product as cases record it, or a root cause's code ("" for complaints with no root cause).
    key = models.CharField(max_length=100, blank=True)
    value = models.CharField(max_length=100)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="return_mapping_once")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key!r} -> {self.value}"


class SelfAssessmentAnswer(models.Model):
    """The organisation's answer to one provision of the Housing Ombudsman Code for one year: whether it
    complies, how, and the evidence. Append-only: a change is a new version (the latest is the answer), so
    the self-assessment of any past year, and who answered what when, can be shown again."""

    class Complies(models.TextChoices):
        YES = "yes", "Yes"
        PARTLY = "partly", "Partly"
        NO = "no", "No"

    year = models.PositiveIntegerField()  # the reporting year, named by the year it starts in
    provision = models.CharField(max_length=20)  # hos_code.PROVISIONS' codes: "1.2", "6.2"...
    version = models.PositiveIntegerField()
    complies = models.CharField(max_length=10, choices=Complies.choices)
    how = models.TextField(blank=True)  # how we comply, in our words
    evidence = models.TextField(blank=True)  # where the evidence is (policy, page, report)
    actions = models.TextField(blank=True)  # what we will do where we do not yet comply
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "provision", "version"], name="self_assessment_version")
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Self-assessment answers are append-only: record a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Self-assessment answers are append-only")


class ReturnProduced(models.Model):
    """A return or report someone produced: who, which, for which period, in which format, and the
    figures it gave (services.return_produced, audited)."""

    class Report(models.TextChoices):
        FCA = "fca", "FCA complaints return (DISP 1.10)"
        HOS = "hos", "Annual complaints performance and service improvement report"
        SELF_ASSESSMENT = "self_assessment", "Complaint Handling Code self-assessment"

    report = models.CharField(max_length=20, choices=Report.choices)
    format = models.CharField(max_length=10)  # csv, pdf, json
    period_start = models.DateField()
    period_end = models.DateField()  # inclusive
    figures = models.JSONField()
    produced_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    produced_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["report", "produced_at"], name="return_produced_at")]
