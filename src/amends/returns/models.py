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


class ComplaintState(models.Model):
    """A complaint under a regime as it stood between two moments: what the returns count, kept so a return
    over a million cases is a few indexed queries instead of a replay of every case's events.

    Derived, never the truth: each case's rows are rebuilt from its events (history.py, states.py) after
    every commit that records an event on it, and all of them by `amends returns_rebuild`. A row holds the
    state after every event at or before `valid_from` and until `valid_to` (the next row's `valid_from`;
    FOREVER for the row in force now); the first row starts at the beginning of time, so a complaint
    received before its first event is still found. "As at a moment M" (events strictly before M, as the
    returns read status and classification) is the row with valid_from < M <= valid_to."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", db_index=False)
    regime = models.CharField(max_length=40)  # the regime's code (fca-disp, hos-2024...)
    regime_at = models.DateTimeField()  # when it was applied (its first regime_applied event)
    received_at = models.DateTimeField()  # CaseProcess.received_at
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField()
    kind = models.CharField(max_length=20)
    product = models.CharField(max_length=100, blank=True)
    category = models.CharField(max_length=100, blank=True)
    # When it last finished (left the open statuses), if it is finished in this row; then the DISP closure
    # bucket (selectors.closure_bucket) and the finding and money as they stood at that moment.
    finished_since = models.DateTimeField(null=True, blank=True)
    bucket = models.CharField(max_length=60, blank=True)
    closure_outcome = models.CharField(max_length=30, blank=True)
    closure_root_cause = models.CharField(max_length=60, blank=True)
    closure_redress = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    # The latest finding (outcome, root cause code) and the money of every option chosen, in this row.
    outcome = models.CharField(max_length=30, blank=True)
    root_cause = models.CharField(max_length=60, blank=True)
    redress = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        indexes = [
            models.Index(fields=["case", "valid_from"], name="complaintstate_case"),
            # A period's complaints by when received or finished; the interval's ends (and the receipt) in
            # the index too, so rows not in force at the period's end are passed over without being read.
            models.Index(
                fields=["regime", "received_at", "valid_to", "valid_from"], name="complaintstate_received"
            ),
            models.Index(
                fields=["regime", "finished_since", "received_at", "valid_to", "valid_from"],
                name="complaintstate_finished",
            ),
            # Open rows by when they stopped being in force: what was outstanding at a period's start.
            models.Index(
                fields=["regime", "valid_to"],
                name="complaintstate_open_to",
                condition=models.Q(finished_since__isnull=True),
            ),
            # The few rows of cases re-classified as something other than a complaint.
            models.Index(
                fields=["regime", "valid_to"],
                name="complaintstate_not_complaint",
                condition=~models.Q(kind="complaint"),
            ),
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} {self.regime} from {self.valid_from:%Y-%m-%d %H:%M}"


class ComplaintResponse(models.Model):
    """A response a complaint under a regime was given at a stage: the stage's first response clock met (a
    stage 1 or stage 2 response letter), with what the annual report counts of it, as it stood then.

    Derived like `ComplaintState` (states.py): rebuilt from the case's clocks and events after every commit
    that records an event on it. A met clock never changes, so neither does its row."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    regime = models.CharField(max_length=40)
    stage = models.CharField(max_length=40)
    met_at = models.DateTimeField()
    within_timescale = models.BooleanField()  # met at or before its due time, any extension included
    extended = models.BooleanField()
    # Working days of the customer's nation from receipt (stage 1) or the escalation to this stage.
    working_days = models.PositiveIntegerField()
    outcome = models.CharField(max_length=30, blank=True)  # the finding in force when it went
    root_cause = models.CharField(max_length=60, blank=True)
    redress = models.DecimalField(max_digits=14, decimal_places=2, default=0)  # money chosen by then

    class Meta:
        indexes = [models.Index(fields=["regime", "met_at"], name="complaintresponse_met")]

    def __str__(self) -> str:
        return f"case {self.case_id} {self.stage} response {self.met_at:%Y-%m-%d}"
