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


# --- the competence record (issue 14): evidence from real work, decisions, internal quality assurance ---


class Method(models.TextChoices):
    """How a piece of evidence came about: the assessment methods an awarding body recognises. Every one is
    real work; practice with simulated customers (amends.practice) is never one, and nothing here can name
    it (a contract in pyproject.toml stops this app importing practice at all)."""

    CASE_EVENT = "case_event", "Product evidence: the case record"
    OBSERVATION = "observation", "Observation by the assessor"
    WITNESS = "witness", "Witness testimony"
    REFLECTIVE = "reflective_account", "Reflective account"


# Methods that show the work itself; a reflective account supports them, and alone evidences knowledge.
PERFORMANCE_METHODS = {Method.CASE_EVENT, Method.OBSERVATION, Method.WITNESS}


class Situation(models.TextChoices):
    """The range the OCR unit asks performance evidence to span."""

    ROUTINE = "routine", "Routine"
    BUSY = "busy", "Busy time"
    QUIET = "quiet", "Quiet time"
    LET_DOWN = "let_down", "When people, systems or resources let you down"


class EvidenceChannel(models.TextChoices):
    """The channels the OCR unit names; email, letters, forms, chat, social media and texts are written."""

    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    WRITTEN = "written", "Written"


class Enrolment(models.Model):
    """Someone working towards the qualification: the units they are judged on. Their assessor is kept on
    their staff profile (`core.StaffProfile.assessor`), so permissions below this app can ask."""

    learner = models.OneToOneField(USER, on_delete=models.PROTECT, related_name="enrolment")
    units = models.JSONField(default=list)  # unit codes as the catalogue has them: "CFACSC4", "C4"...
    started_on = models.DateField()
    enrolled_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.learner} ({', '.join(self.units)})"


class EvidenceItem(models.Model):
    """One piece of evidence of a learner's competence, mapped to criteria.

    Minimised: `what` says what was done in the learner's terms, never the customer's words or details (the
    case reference leads an assessor to the record if they may see it). `source` makes capture idempotent:
    "event:<id>", "observation:<id>", "alert:<id>"; empty for what a person writes (reflective accounts,
    witness statements). `content_hash` is over what an assessor signs against, so a later change shows.
    """

    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="evidence")
    method = models.CharField(max_length=20, choices=Method.choices)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=60, null=True, blank=True, unique=True)
    # References as the catalogue writes them, with the same competence in the other units added.
    criteria = models.JSONField(default=list)
    what = models.TextField()
    channel = models.CharField(max_length=20, choices=EvidenceChannel.choices)
    situation = models.CharField(max_length=20, choices=Situation.choices)
    # What capture derived (situation, channel, why) before any change by the learner, and their reason.
    derived = models.JSONField(default=dict)
    changed_reason = models.TextField(blank=True)
    # Who wrote it (a witness, the learner for a reflective account); the rule for captured evidence.
    author = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=80, blank=True)
    occurred_at = models.DateTimeField()
    captured_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["learner", "occurred_at"], name="evidence_learner")]
        # Real work only, in the database too: no row can carry a method the awarding body's rules forbid.
        constraints = [
            models.CheckConstraint(
                condition=models.Q(method__in=[m.value for m in Method]), name="evidence_real_work_only"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()}: {', '.join(self.criteria)}"


class Stage(models.TextChoices):
    """Two-stage sign-off: working towards (the learner is on the way), then the final decision."""

    WORKING_TOWARDS = "working_towards", "Working towards"
    FINAL = "final", "Final decision: competent"


class CriterionDecision(models.Model):
    """An assessor's decision on one criterion for one learner, e-signed. Append-only: the latest one is
    the criterion's state; an IQA's rejection re-opens it (`QualitySample`)."""

    learner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="criterion_decisions")
    code = models.CharField(max_length=40)
    stage = models.CharField(max_length=20, choices=Stage.choices)
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField()
    evidence = models.JSONField(default=list)  # the EvidenceItem ids the decision rests on
    knowledge = models.JSONField(default=list)  # knowledge-check results it rests on (their references)
    # The e-signature: the name the assessor typed, when, and a digest of the evidence as it stood.
    signed_name = models.CharField(max_length=150)
    signed_at = models.DateTimeField()
    evidence_digest = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["learner", "code", "signed_at"], name="decision_learner_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.get_stage_display()}"


class QualitySample(models.Model):
    """An internal quality assurer's sample of a final decision: accepted, or rejected back to the assessor
    (the criterion re-opens). `snapshot` keeps the evidence and decision as they stood when sampled."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected: back to the assessor"

    decision = models.ForeignKey(CriterionDecision, on_delete=models.PROTECT, related_name="samples")
    iqa = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    comment = models.TextField()
    snapshot = models.JSONField(default=dict)
    sampled_at = models.DateTimeField()
    signed_name = models.CharField(max_length=150)

    def __str__(self) -> str:
        return f"{self.decision}: {self.outcome}"


class SamplingPlan(models.Model):
    """The IQA's sampling policy (one row): what share of each assessor's final decisions to sample, and
    whether every unit and every method must be in the sample."""

    percent = models.PositiveSmallIntegerField(default=25)
    every_unit = models.BooleanField(default=True)
    every_method = models.BooleanField(default=True)
    updated_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)


class Disruption(models.Model):
    """A time people, systems or resources let a team down (an outage, short staffing, missing stock):
    evidence from work in its window is tagged "let down" (the OCR unit's range)."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "People (short-staffed, a colleague unavailable)"
        SYSTEMS = "systems", "Systems (an outage, a fault)"
        RESOURCES = "resources", "Resources (stock, equipment, information missing)"

    team = models.ForeignKey("core.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    what = models.CharField(max_length=300)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["started_at"], name="disruption_started")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what}"
