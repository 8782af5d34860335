"""What the dashboards count: one stored fact row per case, kept up to date as the case changes.

`CaseFact` is derived data: everything in it is read from the cases, process and care tables by
`insights.facts.facts_refresh`, which runs after each transaction that records a case event and in full
by `insights_rebuild`. Nothing else writes it, and it can always be thrown away and rebuilt.

`Objective` is a target a team leader or complaints lead sets for a team or a person on one measure
(insights.services.objective_set, audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseFact(models.Model):
    """One case as the dashboards count it. Rates are kept as 1/0/NULL so SUM/COUNT gives the rate over
    the cases where the question applies (COUNT skips NULL)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="insight_fact"
    )
    kind = models.CharField(max_length=20)
    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    product = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    regime = models.CharField(max_length=60, blank=True)  # the regime's code; "" none
    root_cause = models.CharField(max_length=60, blank=True)  # the latest finding's root cause code
    support_needs = models.BooleanField(default=False)  # the customer has active support needs
    opened_on = models.DateField()
    finished_on = models.DateField(null=True, blank=True)  # resolved or closed; NULL while open
    # The week (its Monday) and month (its first day) of each: grouped by as stored columns, so a chart's
    # query reads an index rather than calling a date function on every row (a Python function on SQLite).
    opened_week = models.DateField()
    opened_month = models.DateField()
    finished_week = models.DateField(null=True, blank=True)
    finished_month = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, blank=True)  # the latest finding's outcome
    upheld = models.SmallIntegerField(null=True, blank=True)  # 1 justified or partly, 0 not, NULL none
    within_deadline = models.SmallIntegerField(null=True, blank=True)  # 1 met, 0 breached, NULL not known
    reopens = models.PositiveIntegerField(default=0)
    hours_to_resolve = models.PositiveIntegerField(null=True, blank=True)
    promises_decided = models.PositiveIntegerField(default=0)  # kept or broken (not renegotiated)
    promises_kept = models.PositiveIntegerField(default=0)
    satisfied = models.SmallIntegerField(null=True, blank=True)  # 1 satisfied, 0 partly or not, NULL none
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Volumes by day and each dimension; the finished_on ones for the rates of finished cases.
            models.Index(fields=["opened_on", "opened_month", "opened_week"], name="fact_opened"),
            models.Index(fields=["finished_on", "finished_month", "finished_week"], name="fact_finished"),
            models.Index(fields=["team", "opened_on"], name="fact_team_opened"),
            models.Index(fields=["team", "finished_on"], name="fact_team_finished"),
            models.Index(fields=["owner", "finished_on"], name="fact_owner_finished"),
            models.Index(fields=["product", "opened_on"], name="fact_product_opened"),
            models.Index(fields=["product", "finished_on"], name="fact_product_finished"),
            models.Index(fields=["channel", "opened_on"], name="fact_channel_opened"),
            models.Index(fields=["channel", "finished_on"], name="fact_channel_finished"),
            models.Index(fields=["regime", "opened_on"], name="fact_regime_opened"),
            models.Index(fields=["root_cause", "finished_on"], name="fact_cause_finished"),
        ]

    def __str__(self) -> str:
        return f"Fact of case {self.case_id}"


class Measure(models.TextChoices):
    """What an objective sets a target on; `HIGHER_IS_BETTER` says which way is good."""

    DAYS_TO_RESOLVE = "days_to_resolve", "Days to resolve (average)"
    REOPEN_RATE = "reopen_rate", "Re-opened (% of finished cases)"
    PROMISES_KEPT = "promises_kept_rate", "Promises kept (%)"
    WITHIN_DEADLINE = "within_deadline_rate", "Within deadline (%)"
    SATISFACTION = "satisfaction_rate", "Satisfied (% of those asked)"
    UPHELD = "upheld_rate", "Upheld (% of findings)"


HIGHER_IS_BETTER = {
    Measure.DAYS_TO_RESOLVE: False,
    Measure.REOPEN_RATE: False,
    Measure.PROMISES_KEPT: True,
    Measure.WITHIN_DEADLINE: True,
    Measure.SATISFACTION: True,
    # Fewer upheld complaints means fewer things went wrong; the target is a level to stay under.
    Measure.UPHELD: False,
}


class Objective(models.Model):
    """A target on one measure for a team or for one person (exactly one of the two)."""

    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    measure = models.CharField(max_length=30, choices=Measure.choices)
    target = models.DecimalField(max_digits=7, decimal_places=1)
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, person__isnull=True)
                | models.Q(team__isnull=True, person__isnull=False),
                name="objective_team_or_person",
            ),
            models.UniqueConstraint(
                fields=["team", "measure"],
                condition=models.Q(person__isnull=True),
                name="objective_team_once",
            ),
            models.UniqueConstraint(
                fields=["person", "measure"],
                condition=models.Q(team__isnull=True),
                name="objective_person_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.target}"


class DailyRollup(models.Model):
    """The facts added up per day, kind, team and the value of one dimension (`dimension` "all" for every
    case): what an unfiltered or one-filter chart reads for everyone's figures or one team's, about 40 rows
    a day and team rather than thousands of cases. Kept by insights.facts: the days a refresh touched are
    recomputed from the facts (so a rollup always equals the facts' GROUP BY); rebuilt with them."""

    on = models.CharField(
        max_length=8
    )  # "opened": by the day cases opened; "finished": the day they finished
    day = models.DateField()
    week = models.DateField()
    month = models.DateField()
    kind = models.CharField(max_length=20)
    # The cases' team (not a foreign key: derived data, rebuilt): a team leader's charts read their team's.
    team_id = models.IntegerField(null=True, blank=True)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=100, blank=True)
    cases = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    upheld = models.PositiveIntegerField(default=0)
    with_finding = models.PositiveIntegerField(default=0)
    within = models.PositiveIntegerField(default=0)
    with_deadline = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    asked = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    hours_sum = models.BigIntegerField(default=0)
    hours_n = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["on", "dimension", "day"], name="rollup_dimension_day"),
            models.Index(fields=["on", "dimension", "value", "day"], name="rollup_value_day"),
            models.Index(fields=["on", "team_id", "dimension", "day"], name="rollup_team_day"),
        ]
