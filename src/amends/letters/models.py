"""Prescribed wording (TextBlock, versioned) and the letters composed from it (Letter, frozen once sent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from amends.core.models import StoredFile


class TextBlockQuerySet(models.QuerySet):
    def effective(self, at=None):
        return self.filter(effective_from__lte=at or timezone.now())


class TextBlock(models.Model):
    """One version of a piece of wording the compliance team owns (DISP 1 Annex 3R, ombudsman details...).

    Never edited in place: a change is a new version, so every sent letter can say which wording it used.
    An empty body means nobody has filled it in yet, and letters that need it cannot be sent.
    """

    code = models.CharField(max_length=100)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    # What goes in it and where the exact words come from.
    guidance = models.TextField(blank=True)
    body = models.TextField(blank=True)
    effective_from = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    objects = TextBlockQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="textblock_code_version")]
        ordering = ["code", "-version"]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Text blocks are never edited in place: add a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Text blocks are kept: sent letters refer to their versions")

    @property
    def is_empty(self) -> bool:
        return not self.body.strip()


def current_block(code: str, at=None) -> TextBlock | None:
    """The latest version of a block in effect now (or at `at`); None for a code nobody has set up."""
    return TextBlock.objects.effective(at).filter(code=code).order_by("-version").first()


def current_blocks(codes, at=None) -> dict[str, TextBlock]:
    """The current version of each code, in one query."""
    found: dict[str, TextBlock] = {}
    for block in TextBlock.objects.effective(at).filter(code__in=set(codes)).order_by("code", "-version"):
        found.setdefault(block.code, block)
    return found


class Letter(models.Model):
    """A letter to the customer: composed as a draft, checked against its regime, then sent and frozen."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
        SUMMARY_RESOLUTION = "summary_resolution", "Summary resolution"
        HOLDING = "holding", "Holding response"
        FINAL_RESPONSE = "final_response", "Final response"
        STAGE1_RESPONSE = "stage1_response", "Stage 1 response"
        STAGE2_RESPONSE = "stage2_response", "Stage 2 response"
        DEADLOCK = "deadlock", "Deadlock letter"
        REFERRAL = "referral", "Referral rights letter"
        CONDUCT_NOTICE = "conduct_notice", "Notice of a decision about contact"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Sent by email"
        PRINTED = "printed", "Printed for post"

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The element values the letter writer filled in: decision, reasons, remedy, new_date...
    fields = models.JSONField(default=dict, blank=True)
    # Copied from the regime when composed, so a later regime change never rewrites a letter's history.
    required_elements = models.JSONField(default=list, blank=True)
    # The regime's referral body, website and customer time limit, copied for the same reason.
    referral = models.JSONField(null=True, blank=True)
    # TextBlock code -> version the sent letter used.
    block_versions = models.JSONField(default=dict, blank=True)
    # Rendered when sent, then never rendered again.
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    # Optimistic locking: every edit of a draft bumps it; an edit made against an older version is refused.
    version = models.PositiveIntegerField(default=1)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The outbound email the letter went in (None for drafts and printed letters).
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.PROTECT, related_name="letters"
    )

    class Meta:
        indexes = [models.Index(fields=["case", "created_at"], name="letter_case_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class LetterEnclosure(StoredFile):
    """A document sent with a letter (a statement, a copy of the contract, a photo): attached to its email
    beside the letter's PDF, checked as every staff upload is (core/files.py). Added to a draft and removed
    from one; frozen with the letter once it is sent."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="enclosures")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField()
