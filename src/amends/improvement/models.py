"""Improvement actions through Plan-Do-Check-Act, and lessons learned shared with the people involved
(CFACSC7 3, 10; FCA DISP 1.3.3R)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class Stage(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    CHECK = "check", "Check"
    ACT = "act", "Act"
    CLOSED = "closed", "Closed"
    ABANDONED = "abandoned", "Abandoned"


OPEN_STAGES = (Stage.PLAN, Stage.DO, Stage.CHECK, Stage.ACT)


class Measure(models.TextChoices):
    """What is counted to check an action's effect, per week, in the before and after windows."""

    ROOT_CAUSE = "root_cause", "Complaints whose finding names its root cause(s), per week"
    PRODUCT = "product", "Complaints about a product or service, per week"


class CheckResult(models.TextChoices):
    EFFECTIVE = "effective", "Effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"
    INCONCLUSIVE = "inconclusive", "Inconclusive"


class ImprovementAction(models.Model):
    """A change made because of what complaints showed, checked for its effect: Plan -> Do -> Check -> Act
    -> Closed, or abandoned with a reason. Its stage changes only through services.py, each change an
    `ImprovementEvent`."""

    title = models.CharField(max_length=200)
    change = models.TextField(help_text="What it should change, and how")
    root_causes = models.ManyToManyField("process.RootCause", related_name="+", blank=True)
    cases = models.ManyToManyField("cases.Case", related_name="+", blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="improvement_actions")
    due_date = models.DateField()
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.ROOT_CAUSE)
    product = models.CharField(max_length=100, blank=True)  # the product measured (Measure.PRODUCT)
    before_start = models.DateField()
    before_end = models.DateField()
    after_start = models.DateField()
    after_end = models.DateField()
    # The check (CHECK): its result and the figures it was judged on, as they were then.
    check_result = models.CharField(max_length=20, choices=CheckResult.choices, blank=True)
    check_note = models.TextField(blank=True)
    before_count = models.PositiveIntegerField(null=True, blank=True)
    after_count = models.PositiveIntegerField(null=True, blank=True)
    before_per_week = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    after_per_week = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    abandoned_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    reminded_for = models.DateField(null=True, blank=True)  # the due date its owner was last reminded of

    class Meta:
        indexes = [models.Index(fields=["stage", "due_date"], name="improvement_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class ImprovementEvent(models.Model):
    """Append-only: what happened to an action, who, when and why."""

    class Kind(models.TextChoices):
        CREATED = "created", "Planned"
        STAGE_CHANGED = "stage_changed", "Stage changed"
        CHECK_RECORDED = "check_recorded", "Check recorded"
        REMINDED = "reminded", "Owner reminded it is overdue"

    action = models.ForeignKey(ImprovementAction, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_stage = models.CharField(max_length=10, blank=True)
    to_stage = models.CharField(max_length=10, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["action", "at"], name="improvement_event_action")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Improvement events are append-only")
        super().save(*args, **kwargs)


class Lesson(models.Model):
    """What happened, what we learned, what changes: from an action, a case, or written by hand, shared with
    teams and people, each of whom acknowledges it."""

    title = models.CharField(max_length=200)
    what_happened = models.TextField()
    what_learned = models.TextField()
    what_changes = models.TextField()
    action = models.ForeignKey(
        ImprovementAction, null=True, blank=True, on_delete=models.PROTECT, related_name="lessons"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    teams = models.ManyToManyField("core.Team", related_name="+", blank=True)
    shared_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    shared_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title


class LessonRecipient(models.Model):
    """One person a lesson was shared with (by name or through their team), and when they acknowledged it."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="lessons_received")
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lesson", "user"], name="lesson_recipient_once")]
        indexes = [models.Index(fields=["user", "acknowledged_at"], name="lesson_recipient_inbox")]
