"""Special reviews of the service offer and its delivery (CFACSC7 K1), and how levels are watched."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from . import spc

USER = settings.AUTH_USER_MODEL


class SpcSetting(models.Model):
    """How complaint levels are watched: one row (pk 1), kept by complaints leads (`settings_save`, audited).

    The defaults are the design in docs/design/monitoring.md: the exact Poisson u-chart on weekly counts
    per 100 cases opened, a 26-week baseline, at most a 5% chance of any false alarm in a year across the
    categories watched (counted at each check, at least 20), and never on fewer than 5 complaints.
    """

    class Method(models.TextChoices):
        POISSON = "poisson", spc.METHOD_NAMES["poisson"]
        EWMA = "ewma", spc.METHOD_NAMES["ewma"]
        CUSUM = "cusum", spc.METHOD_NAMES["cusum"]

    class Exposure(models.TextChoices):
        CASES = "cases", "Per 100 cases opened that week (allows for busier and quieter weeks)"
        NONE = "none", "Counts per week"

    dimensions = models.JSONField(default=list)  # which of levels.DIMENSIONS are watched
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.POISSON)
    exposure = models.CharField(max_length=10, choices=Exposure.choices, default=Exposure.CASES)
    baseline_periods = models.PositiveSmallIntegerField(default=26)
    watch_periods = models.PositiveSmallIntegerField(default=4)
    min_count = models.PositiveIntegerField(default=5)
    yearly_false_alarm_rate = models.FloatField(default=0.05)
    min_categories = models.PositiveIntegerField(default=20)
    ewma_lambda = models.FloatField(default=0.3)
    ewma_l = models.FloatField(default=3.0)
    cusum_shift = models.FloatField(default=1.5)
    cusum_h = models.FloatField(default=4.0)
    # The last day the worker checked (once a day is enough: a week's count changes only when it ends).
    checked_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def parameters(self, *, categories: int = 0) -> spc.Parameters:
        return spc.Parameters(
            method=self.method,
            baseline_periods=self.baseline_periods,
            watch_periods=self.watch_periods,
            min_count=self.min_count,
            yearly_false_alarm_rate=self.yearly_false_alarm_rate,
            categories=max(self.min_categories, categories),
            ewma_lambda=self.ewma_lambda,
            ewma_l=self.ewma_l,
            cusum_shift=self.cusum_shift,
            cusum_h=self.cusum_h,
        )


DEFAULT_DIMENSIONS = ["product", "root_cause", "channel", "team", "regime"]


class ServiceReview(models.Model):
    """A special review of the service offer and delivery behind one category's complaints: opened by
    the trigger (with the evidence) or by a complaints lead by hand; owned, investigated, closed with an
    outcome. At most one open per category; a signal that goes on week after week is one episode and
    opens one review (`last_signal_period` is how far its episode has run)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_REVIEW = "in_review", "In review"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        OFFER_CHANGED = "offer_changed", "The service offer is being changed"
        DELIVERY_CHANGED = "delivery_changed", "The way the service is delivered is being changed"
        IMPROVEMENT = "improvement", "Handed to an improvement action"
        EXPLAINED = "explained", "Explained: a known, one-off cause; no change needed"
        NO_CAUSE = "no_cause", "No special cause found"

    class Trigger(models.TextChoices):
        SPC = "spc", "Opened by the special-review trigger"
        MANUAL = "manual", "Opened by hand"

    dimension = models.CharField(max_length=20)
    category = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    # What moved, from what to what, and how unlikely by chance, in words (spc.Signal.describe), or the
    # reason given by the lead who opened it by hand.
    summary = models.TextField()
    method = models.CharField(max_length=10, blank=True)
    baseline_rate = models.FloatField(null=True, blank=True)
    current_rate = models.FloatField(null=True, blank=True)
    per_exposure = models.BooleanField(default=False)
    probability = models.FloatField(null=True, blank=True)
    # The evidence as the trigger saw it: period starts, counts, exposure, centre, upper and lower limits,
    # the parameters (so the chart is drawn as it was, whatever changes later).
    evidence = models.JSONField(default=dict, blank=True)
    first_signal_period = models.DateField(null=True, blank=True)
    last_signal_period = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    findings = models.TextField(blank=True)
    findings_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "category"],
                condition=~models.Q(status="closed"),
                name="service_review_one_open",
            )
        ]
        indexes = [
            models.Index(fields=["dimension", "category", "last_signal_period"], name="review_episode")
        ]

    def __str__(self) -> str:
        return f"Review {self.pk}: {self.category}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED
