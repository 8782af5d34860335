from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from amends.customers.models import Channel, Customer

from .lifecycle import LABELS, OPEN_STATUSES, Status


class CaseKind(models.TextChoices):
    QUERY = "query", "Query"
    PROBLEM = "problem", "Problem"
    COMPLAINT = "complaint", "Complaint"


STATUS_CHOICES = [(s.value, LABELS[s]) for s in Status]


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[s.value for s in OPEN_STATUSES])


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=CaseKind.choices, default=CaseKind.COMPLAINT)
    # Why it was classified so: the customer's own words, an adviser's judgement, the regime's definition.
    kind_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=STATUS_CHOICES, default=Status.NEW.value)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="cases")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_cases"
    )
    team = models.ForeignKey(
        "core.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    category = models.CharField(max_length=100, blank=True)
    # The product or service the contact is about ("Current account", "Repairs"): a regime rule may choose
    # by it, and complaints are counted by it per team.
    product = models.CharField(max_length=100, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    summary = models.CharField(max_length=300)
    outcome_wanted = models.TextField(blank=True)
    opened_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Last contact either way: what the queues sort by.
    last_activity_at = models.DateTimeField()
    respond_by = models.DateTimeField(null=True, blank=True)
    # 0..100 from the signals in the customer's messages (amends.signals): what "sort by risk" uses.
    risk = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)
    public_token = models.CharField(max_length=64, unique=True)
    # Optimistic locking: every change bumps it; a change made against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["last_activity_at", "id"], name="case_activity"),
            models.Index(fields=["owner", "last_activity_at", "id"], name="case_owner_activity"),
            # An owner's open workload, counted up to a cap (cases.selectors.assignable_people).
            models.Index(fields=["owner", "status"], name="case_owner_status"),
            models.Index(fields=["team", "last_activity_at", "id"], name="case_team_activity"),
            models.Index(fields=["respond_by", "id"], name="case_respond_by"),
            models.Index(fields=["team", "respond_by", "id"], name="case_team_respond_by"),
            models.Index(fields=["customer", "opened_at"], name="case_customer_opened"),
            models.Index(fields=["risk", "id"], name="case_risk"),
            models.Index(fields=["team", "risk", "id"], name="case_team_risk"),
            models.Index(fields=["team", "product"], name="case_team_product"),
            # Complaint levels per week (monitoring.levels): a range of opened_at, with the kind in the index.
            models.Index(fields=["opened_at", "kind"], name="case_opened_kind"),
            # Improvement measures count complaints about a product by when they were opened.
            models.Index(fields=["product", "opened_at"], name="case_product_opened"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.respond_by is not None and self.respond_by < timezone.now()

    @property
    def is_due_soon(self) -> bool:
        """Open, not yet overdue, and due within the "due soon" window (settings.AMENDS_DUE_SOON_DAYS)."""
        if not self.is_open or self.respond_by is None or self.is_overdue:
            return False
        return self.respond_by <= timezone.now() + timedelta(days=settings.AMENDS_DUE_SOON_DAYS)

    @property
    def status_label(self) -> str:
        return LABELS[Status(self.status)]


class CaseEvent(models.Model):
    """Append-only history of a case: who did what, when, from what to what, and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["case", "at"], name="caseevent_case_at"),
            # The returns' and reports' period queries: the status events of a period, by kind and time.
            models.Index(fields=["kind", "at"], name="caseevent_kind_at"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Case events are append-only")


class ReferenceCounter(models.Model):
    """The last case number issued in a year: references run AM-2026-000001, AM-2026-000002..."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class Tag(models.Model):
    """A label the organisation puts on cases ("vulnerable", "media interest") to find them together.

    One list for the whole organisation (an installation serves one): the same name in another case or
    spacing is the same tag (`normalised`), so "Vulnerable" and "vulnerable " never become two.
    """

    name = models.CharField(max_length=40)
    normalised = models.CharField(max_length=40, unique=True)  # casefolded, spaces collapsed
    created_at = models.DateTimeField()
    # `case.tags` from the case's side. Declared here, not on Case, so adding it did not rebuild the cases
    # table (SQLite). Written only by cases.tags (case_tag_add, case_tag_remove), each with its event.
    cases = models.ManyToManyField(Case, through="CaseTag", related_name="tags", blank=True)

    class Meta:
        ordering = ["normalised"]

    def __str__(self) -> str:
        return self.name


class CaseTag(models.Model):
    """A tag on a case: who put it there and when (the case's events keep the history)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_tags")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="case_tags")
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # Tag first: the queue's tag filter reads it by tag.
        constraints = [models.UniqueConstraint(fields=["tag", "case"], name="case_tag_once")]


class Note(models.Model):
    """An internal note by staff, on a case or on a customer: never shown to the customer.

    A table of its own, not a kind of `Message`: the status page, letters and the message endpoints read
    messages, so nothing they ask can pick a note up by accident (a message purpose would have to be
    excluded by every query that shows the customer anything, now and later). Append-only, like the
    case's events: a mistake is put right by a later note that `corrects` it, so what a colleague was told
    stays as they read it. The people `mentioned` were told of it (cases.notes.note_add).
    """

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="notes")
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="notes"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        constraints = [
            # On a case or on a customer (a case's notes reach its customer through the case).
            models.CheckConstraint(
                condition=models.Q(case__isnull=False, customer__isnull=True)
                | models.Q(case__isnull=True, customer__isnull=False),
                name="note_on_case_or_customer",
            )
        ]
        indexes = [
            models.Index(fields=["case", "created_at"], name="note_case_time"),
            models.Index(fields=["customer", "created_at"], name="note_customer_time"),
        ]

    def __str__(self) -> str:
        return f"Note by {self.author_id} on {self.case_id or f'customer {self.customer_id}'}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Notes are append-only: add a note that corrects it")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Notes are append-only: add a note that corrects it")


class CasePriority(models.Model):
    """A case whose priority is raised, and why: the customer told us they need support (care), a person
    judged it so. A row of its own, not a column on Case, so raising one did not rebuild the cases table
    (SQLite) and the queue reads it with the row it shows (one join). No row: normal priority.

    Written only by cases.services (case_priority_raise, case_priority_lower), each change with its event.
    """

    case = models.OneToOneField(Case, on_delete=models.PROTECT, primary_key=True, related_name="priority")
    reason = models.CharField(max_length=300)
    # What raised it ("care" for support needs, "staff" for a person's judgement): a source lowers only its
    # own raise, so ending support needs never undoes a raise a person made for another reason.
    source = models.CharField(max_length=20)
    raised_at = models.DateTimeField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason}"


class HandOver(models.Model):
    """A case changing hands: why, and what the new owner must know (where it stands, what was promised,
    how the customer is). Shown at the top of the case page to the new owner until they say they have read
    it (`read_at`). Written by `cases.services.case_assign` with its `handed_over` event."""

    class Reason(models.TextChoices):
        LEAVE = "leave", "The owner is on leave"
        WORKLOAD = "workload", "Workload"
        EXPERTISE = "expertise", "Expertise needed"
        ESCALATION = "escalation", "Escalation"
        OTHER = "other", "Another reason"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handovers")
    from_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="handovers"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["to_owner", "read_at"], name="handover_unread")]
