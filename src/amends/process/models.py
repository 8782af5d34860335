"""The complaint's journey through a regime's process (CFACSC7 1-11, WM57 1-16)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from amends.core.models import StoredFile

from .rules import MONETARY_REMEDIES

USER = settings.AUTH_USER_MODEL


class CaseProcess(models.Model):
    """Which regime a case follows, its stage, and when the events its clocks count from happened."""

    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="process")
    regime_version = models.ForeignKey("regimes.RegimeVersion", on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=40)
    received_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_acknowledged_at = models.DateTimeField(null=True, blank=True)
    response_sent_at = models.DateTimeField(null=True, blank=True)
    # Accepted / not accepted: the customer's answer to the response (W 9).
    customer_answer = models.CharField(max_length=20, blank=True)
    # Keep-informed cadence, separate from deadlines (W 13): when the next progress update is owed.
    next_update_due = models.DateTimeField(null=True, blank=True, db_index=True)
    next_update_reminded_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(max_length=200, blank=True)

    class Meta:
        # Complaints received in a period (the returns' oracle in returns/tests/replay.py, reports).
        indexes = [models.Index(fields=["received_at"], name="caseprocess_received")]


class CaseClock(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        MET = "met", "Met"
        BREACHED = "breached", "Breached"
        STOPPED = "stopped", "Stopped"
        LAPSED = "lapsed", "Lapsed (optional window)"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="clocks")
    stage = models.CharField(max_length=40)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    regulatory = models.BooleanField(default=True)
    # Regulatory clocks never pause; an internal target may pause while the case waits on the customer.
    pauses = models.BooleanField(default=False)
    # An optional window (e.g. FCA summary resolution) lapses rather than breaches when it passes.
    optional = models.BooleanField(default=False)
    paused_at = models.DateTimeField(null=True, blank=True)
    evidence = models.CharField(max_length=2, blank=True)
    # Which process event stops the clock: "acknowledged", "responded", "resolved".
    met_by = models.CharField(max_length=30)
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    met_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    extended_from = models.DateTimeField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "stage", "code"], name="case_clock_unique")]
        indexes = [
            # The worker's two claims: warnings due, breaches due. Only running clocks are ever touched.
            models.Index(fields=["status", "warn_at"], name="clock_warn_due"),
            models.Index(fields=["status", "due_at"], name="clock_breach_due"),
            # The annual report's responses of a period: clocks met by a response, by when.
            models.Index(fields=["met_by", "met_at"], name="clock_met"),
        ]

    def __str__(self) -> str:
        return f"{self.name} due {self.due_at:%Y-%m-%d %H:%M}"


class Understanding(models.Model):
    """The check-back summary: what happened, its impact, the outcome wanted (CFACSC4 P8-P10, C7 4, W 1)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="understandings")
    what_happened = models.TextField()
    impact = models.TextField()
    outcome_wanted = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_via = models.CharField(max_length=40, blank=True)


class EvidenceItem(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        RECORD = "record", "System record"
        STATEMENT = "statement", "Statement"
        CALL = "call", "Call recording or note"
        PHOTO = "photo", "Photo"
        OTHER = "other", "Other"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    source = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()


class EvidenceFile(StoredFile):
    """A document or photo the evidence is (a statement, a photo of the damage), kept with it and checked
    as every staff upload is (core/files.py). Never sent to the customer by being here."""

    evidence = models.ForeignKey(EvidenceItem, on_delete=models.PROTECT, related_name="files")


class RootCause(models.Model):
    """A configurable taxonomy of why things went wrong (C7 K7, 10; W 3)."""

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name


class Finding(models.Model):
    class Outcome(models.TextChoices):
        JUSTIFIED = "justified", "Justified"
        PARTLY = "partly_justified", "Partly justified"
        NOT = "not_justified", "Not justified"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="findings")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # The investigator's own note: facts and reasoning as colleagues read them. Never put in a letter.
    facts = models.TextField()
    reasoning = models.TextField()
    # The reasons as the customer reads them (CFACSC7 8; WM57 8): the only words of the finding a letter
    # carries. A decision letter cannot be drafted until it is written.
    customer_explanation = models.TextField(blank=True)
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    # The case's findings in order (1, 2, ...): the latest is the case's finding. A new one names the
    # version it replaces, so two investigators cannot silently record over each other.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="finding_case_version")]
        indexes = [
            # Improvement measures count findings by root cause and time recorded (improvement/measures.py).
            models.Index(fields=["root_cause", "recorded_at"], name="finding_cause_recorded"),
        ]


class RemedyType(models.TextChoices):
    APOLOGY = "apology", "Apology"
    EXPLANATION = "explanation", "Explanation"
    PUT_RIGHT = "put_right", "Put the problem right (repair, correction)"
    SERVICE_CHANGE = "service_change", "Change to service or process"
    REFUND = "refund", "Refund"
    FEE_WAIVER = "fee_waiver", "Fee or charge waived"
    GOODWILL = "goodwill", "Goodwill payment"
    COMPENSATION = "compensation", "Compensation for loss or distress"


class Option(models.Model):
    """One way to resolve it, weighed for the customer and for the organisation (C7 6-7, K4, K11, W 5-8).

    What it gives the customer is its remedies (`OptionRemedy`): an apology, a refund and a goodwill
    payment may be one option."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined by approver"
        CHOSEN = "chosen", "Chosen"
        SET_ASIDE = "set_aside", "Set aside"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="options")
    title = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="GBP")
    benefits_customer = models.TextField()
    drawbacks_customer = models.TextField(blank=True)
    benefits_organisation = models.TextField(blank=True)
    drawbacks_organisation = models.TextField(blank=True)
    # Risk as likelihood x impact, 1 (low) to 5 (high), for each side.
    risk_customer_likelihood = models.PositiveSmallIntegerField(default=1)
    risk_customer_impact = models.PositiveSmallIntegerField(default=1)
    risk_organisation_likelihood = models.PositiveSmallIntegerField(default=1)
    risk_organisation_impact = models.PositiveSmallIntegerField(default=1)
    cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    chosen_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def remedy_list(self) -> list[OptionRemedy]:
        """Its remedies in order: prefetched (`prefetch_related("remedies")`) or one query."""
        return list(self.remedies.all())

    def remedy_totals(self) -> dict[str, Decimal | None]:
        """The amount of each kind of remedy it gives, added up (None for a kind with no amount): what an
        authority limit is checked against."""
        totals: dict[str, Decimal | None] = {}
        for remedy in self.remedy_list():
            if remedy.amount is None:
                totals.setdefault(remedy.kind, None)
            else:
                totals[remedy.kind] = (totals.get(remedy.kind) or Decimal(0)) + remedy.amount
        return totals

    @property
    def amount(self) -> Decimal | None:
        """All the money it gives the customer, whatever the remedies; None when it gives none."""
        amounts = [r.amount for r in self.remedy_list() if r.amount is not None]
        return sum(amounts, Decimal(0)) if amounts else None

    @property
    def is_monetary(self) -> bool:
        return any(r.kind in MONETARY_REMEDIES for r in self.remedy_list())

    @property
    def risk_customer(self) -> int:
        return self.risk_customer_likelihood * self.risk_customer_impact

    @property
    def risk_organisation(self) -> int:
        return self.risk_organisation_likelihood * self.risk_organisation_impact


class OptionRemedy(models.Model):
    """One thing an option gives the customer: its kind (the authority limits' remedy types), what it is
    in words, and an amount for money."""

    option = models.ForeignKey(Option, on_delete=models.CASCADE, related_name="remedies")
    kind = models.CharField(max_length=20, choices=RemedyType.choices)
    description = models.CharField(max_length=300, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        words = self.description or self.get_kind_display()
        return f"{words} (£{self.amount:,.2f})" if self.amount is not None else words


class AuthorityLimit(models.Model):
    """Who may offer what without approval: role x remedy type x amount (C4 P14, K5; C7 9, K6; W j)."""

    role = models.CharField(max_length=20)
    remedy_type = models.CharField(max_length=20, choices=RemedyType.choices)
    # For money: the most this role may offer alone. Null with allowed=True means no limit.
    max_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    allowed = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "remedy_type"], name="authority_limit_unique")]


class ApprovalRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="approvals")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "requested_at"], name="approval_pending")]


class Promise(models.Model):
    """A commitment made to the customer, tracked until kept (W 12)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        BROKEN = "broken", "Broken"
        RENEGOTIATED = "renegotiated", "Renegotiated with the customer"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="promises")
    description = models.CharField(max_length=300)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="promises")
    due_at = models.DateTimeField()
    remind_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    made_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    # A renegotiated promise points at the one that replaced it.
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "remind_at"], name="promise_remind_due"),
            models.Index(fields=["status", "due_at"], name="promise_due"),
            models.Index(fields=["owner", "status"], name="promise_owner"),
        ]


class SatisfactionCheck(models.Model):
    class Answer(models.TextChoices):
        SATISFIED = "satisfied", "Satisfied"
        PARTLY = "partly", "Partly satisfied"
        NOT = "not_satisfied", "Not satisfied"
        NO_REPLY = "no_reply", "Could not reach the customer"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="satisfaction_checks")
    answer = models.CharField(max_length=20, choices=Answer.choices)
    comment = models.TextField(blank=True)
    checked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField()


class Agreement(models.Model):
    """The customer agreed the way forward: who agreed, how and when (WM57 10; CFACSC4 P13)."""

    class Via(models.TextChoices):
        PHONE = "phone", "By phone"
        EMAIL = "email", "By email"
        LETTER = "letter", "By letter"
        IN_PERSON = "in_person", "In person"
        CHAT = "chat", "By chat or social media"
        STATUS_PAGE = "status_page", "On their status page"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agreements")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="agreements")
    # The customer, or someone agreeing for them ("Mrs Patel's son, with her authority").
    agreed_by = models.CharField(max_length=200)
    via = models.CharField(max_length=20, choices=Via.choices)
    agreed_at = models.DateTimeField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()


class Task(models.Model):
    """An action inside the organisation that carries out the agreed option, with an owner and a due time
    (WM57 11). What is promised to the customer is a `Promise`; this is the work behind it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="tasks")
    option = models.ForeignKey(Option, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="tasks")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # When the worker told the owner it was overdue (once).
    overdue_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # The worker's claim: open tasks past due whose owner has not been told yet.
            models.Index(
                fields=["due_at"],
                condition=models.Q(done_at__isnull=True, overdue_at__isnull=True),
                name="task_overdue_due",
            ),
            models.Index(fields=["owner", "done_at"], name="task_owner"),
        ]

    @property
    def is_open(self) -> bool:
        return self.done_at is None
