"""Challenging behaviour and staff safety: the organisation's unacceptable-behaviour policy as data (the
behaviour categories, the graded levels with who may decide each, the restriction catalogue), the incidents
staff report, the decisions taken on them with their restrictions, reviews and appeals, the warning markers
that keep staff safe, and the follow-up of a member of staff's wellbeing after an incident.

The policy is the organisation's own (CFACSC4 K8: the limits of what will be tolerated); Amends keeps one
organisation today, so its rows are the organisation's, seeded by migration 0002 from regulation.md 3.2-3.4
and edited on the conduct settings page by complaints leads and administrators.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from amends.customers.models import Channel

USER = settings.AUTH_USER_MODEL


class BehaviourCategory(models.Model):
    """A kind of behaviour the policy names (regulation.md 3.2; CFACSC4 P1, K1): violence or threats,
    abuse or harassment in any channel, unreasonable demands, and any the organisation adds."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    examples = models.TextField(blank=True)
    # The level this behaviour usually calls for at the least ("L2"): guidance, never automatic.
    severity_floor = models.CharField(max_length=4, default="L1")
    # Reporting it tells the reporter's team leader at once, urgently (violence, threats, abuse).
    alerts_team_leader = models.BooleanField(default=False)
    # What was said must be recorded word for word (threats).
    verbatim_required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "behaviour categories"

    def __str__(self) -> str:
        return self.name


class PolicyLevel(models.Model):
    """One step of the graduated response (regulation.md 3.3): L0 normal service to L5 immediate safety
    response, with what it allows and the roles that may decide it."""

    code = models.CharField(max_length=4, unique=True)  # "L0".."L5"
    rank = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=120)
    allows = models.TextField(blank=True)
    # The roles (core.models.Role values) that may decide a decision at this level.
    decided_by = models.JSONField(default=list)
    notice_required = models.BooleanField(default=False)
    # A decision at this level must name a review date (time-limited, never indefinite).
    review_required = models.BooleanField(default=False)
    # The review date suggested when none is given (days after it takes effect); None: no default.
    review_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Restrictions from the catalogue may be imposed at this level.
    restrictions_allowed = models.BooleanField(default=False)
    # L5: only the immediate action (the contact was ended); no restriction, reviewed after the incident.
    immediate_only = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RestrictionType(models.Model):
    """One restriction of the catalogue (regulation.md 3.4) and the parameters it takes."""

    class Parameter(models.TextChoices):
        CHANNELS = "channels", "The channels left open"
        OFFICER = "officer", "The named member of staff"
        CALL_TIMES = "call_times", "When calls are taken"
        ISSUES = "issues", "How many issues, per period"
        MATTER = "matter", "The closed matter (a case reference)"
        REPRESENTATIVE = "representative", "The representative"
        PREMISES = "premises", "The premises, and any conditions of entry"
        SERVICE = "service", "Where the service is given instead"

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    # The Parameter values it takes, in order; each is required when imposed.
    parameters = models.JSONField(default=list)
    # The least level (rank) that may impose it: exclusion and service elsewhere are severe (L4).
    min_rank = models.PositiveSmallIntegerField(default=3)
    position = models.PositiveSmallIntegerField(default=100)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class BehaviourIncident(models.Model):
    """What happened, as the member of staff who faced it reported it (regulation.md 3.5 recording;
    CFACSC4 P17, K9): never a finding against the customer, the record a decision relies on."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Action(models.TextChoices):
        NONE = "none", "None"
        ENDED_CALL = "ended_call", "Ended the call"
        LEFT_VISIT = "left_visit", "Left the visit"
        CALLED_POLICE = "called_police", "Called the police"

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="incidents")
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    category = models.ForeignKey(BehaviourCategory, on_delete=models.PROTECT, related_name="incidents")
    severity = models.CharField(max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    occurred_at = models.DateTimeField()
    description = models.TextField()
    # What the customer said, word for word (required for threats).
    verbatim = models.TextField(blank=True)
    staff_involved = models.ManyToManyField(USER, blank=True, related_name="+")
    immediate_action = models.CharField(max_length=20, choices=Action.choices, default=Action.NONE)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    # When the team leaders were told (once): set in the transaction that told them.
    alerted_at = models.DateTimeField(null=True, blank=True)
    safety_report = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["customer", "occurred_at"], name="incident_customer")]

    def __str__(self) -> str:
        return f"{self.category} on {self.occurred_at:%d %b %Y}"


class ConductDecision(models.Model):
    """A decision on how the organisation will deal with a customer's behaviour (regulation.md 3.5-3.6):
    at a level, with its restrictions, reasons, the incidents relied on, the adjustments and vulnerability
    considered, who decided, from when and until which review. It never touches a complaint's clocks."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        LIFTED = "lifted", "Lifted"
        SUPERSEDED = "superseded", "Varied or superseded"
        OVERTURNED = "overturned", "Overturned on appeal"

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="conduct_decisions"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="conduct_decisions"
    )
    level = models.ForeignKey(PolicyLevel, on_delete=models.PROTECT, related_name="decisions")
    reasons = models.TextField()
    incidents = models.ManyToManyField(BehaviourIncident, blank=True, related_name="decisions")
    adjustments_considered = models.TextField(blank=True)
    vulnerability_considered = models.TextField(blank=True)
    # A complaints lead or administrator who confirmed adjustments were considered (support needs recorded).
    senior_check_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_role = models.CharField(max_length=20)
    decided_at = models.DateTimeField()
    effective_from = models.DateField()
    review_due = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    # The review date the worker last reminded about: once per review date.
    reminded_for = models.DateField(null=True, blank=True)
    notice = models.ForeignKey(
        "letters.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "status"], name="decision_customer_status"),
            models.Index(fields=["status", "review_due"], name="decision_review_due"),
        ]

    def __str__(self) -> str:
        return f"{self.level} for {self.customer}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Restriction(models.Model):
    """One restriction a decision imposes, with its parameters (regulation.md 3.6). Emergency, urgent
    health-and-safety and statutory contact always stay open, whatever it says."""

    decision = models.ForeignKey(ConductDecision, on_delete=models.PROTECT, related_name="restrictions")
    type = models.ForeignKey(RestrictionType, on_delete=models.PROTECT, related_name="+")
    parameters = models.JSONField(default=dict)

    def __str__(self) -> str:
        return self.type.name


class DecisionReview(models.Model):
    """A review of a decision at its review date: lift it, continue it to a new date, or vary it."""

    class Outcome(models.TextChoices):
        LIFT = "lift", "Lifted"
        CONTINUE = "continue", "Continued"
        VARY = "vary", "Varied"

    decision = models.ForeignKey(ConductDecision, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reasons = models.TextField()
    next_review_due = models.DateField(null=True, blank=True)
    new_decision = models.ForeignKey(
        ConductDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class Appeal(models.Model):
    """The customer's challenge to a decision, decided by someone not involved in it (regulation.md 3.5)."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Decision upheld"
        OVERTURNED = "overturned", "Decision overturned"
        VARIED = "varied", "Decision varied"

    decision = models.ForeignKey(ConductDecision, on_delete=models.PROTECT, related_name="appeals")
    grounds = models.TextField()
    received_at = models.DateTimeField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    new_decision = models.ForeignKey(
        ConductDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def is_open(self) -> bool:
        return self.decided_at is None


class WarningMarker(models.Model):
    """A warning on a customer's record so staff keep themselves safe (regulation.md 3.1 "warning markers",
    ICO guidance: a lawful basis, a review date, seen only by the roles named; CFACSC4 P17, K10)."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="warning_markers"
    )
    incident = models.ForeignKey(
        BehaviourIncident, null=True, blank=True, on_delete=models.PROTECT, related_name="markers"
    )
    reason = models.TextField()
    basis = models.CharField(max_length=200)
    # The roles (core.models.Role values) that may see it.
    visible_to = models.JSONField(default=list)
    review_due = models.DateField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    removed_reason = models.TextField(blank=True)
    # The review date the worker last reminded about: once per review date.
    reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["customer", "removed_at"], name="marker_customer")]

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class WellbeingFollowUp(models.Model):
    """After a safety report, the team leader checks on the member of staff who faced it (regulation.md 3.5
    staff support; CFACSC4 K5): due within a working day, done with a note."""

    incident = models.ForeignKey(BehaviourIncident, on_delete=models.PROTECT, related_name="follow_ups")
    staff_member = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="wellbeing_follow_ups")
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    @property
    def is_open(self) -> bool:
        return self.done_at is None
