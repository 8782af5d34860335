"""The investigation and resolution steps of a complaint, each recorded with who, when and why.

Understanding (CFACSC4 P8-P10, CFACSC7 4, WM57 1), investigation and finding (CFACSC7 5, K7), the
customer's answer (WM57 9), satisfaction (WM57 14-15).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError
from amends.core.files import AttachmentFile, check_files

from .models import (
    CaseProcess,
    EvidenceFile,
    EvidenceItem,
    Finding,
    RootCause,
    SatisfactionCheck,
    Understanding,
)
from .services import clocks_meet

TEXT_LIMIT = 10_000


def _text(value: str, field: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{field.replace('_', ' ').capitalize()} is required", fields={field: "required"})
    if len(value) > limit:
        raise DomainError(
            f"{field.replace('_', ' ').capitalize()} is too long", fields={field: f"at most {limit}"}
        )
    return value


def _event(case: Case, kind: EventKind, actor: Any, *, after=None, reason: str = "") -> None:
    case_event_record(case, kind=kind, actor=actor, after=after, reason=reason)


@transaction.atomic
def understanding_record(
    *, case: Case, actor: Any, what_happened: str, impact: str, outcome_wanted: str
) -> Understanding:
    """The check-back summary, in the adviser's words, for the customer to confirm or correct."""
    understanding = Understanding.objects.create(
        case=case,
        what_happened=_text(what_happened, "what_happened"),
        impact=_text(impact, "impact"),
        outcome_wanted=_text(outcome_wanted, "outcome_wanted"),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    _event(case, EventKind.UNDERSTANDING_RECORDED, actor, after={"understanding": understanding.pk})
    clocks_meet(case=case, step="understood", at=understanding.recorded_at)
    return understanding


@transaction.atomic
def understanding_confirm(*, understanding: Understanding, via: str, actor: Any = None) -> Understanding:
    """The customer says the summary is right: on their status page, or to an adviser on the phone."""
    understanding = Understanding.objects.select_for_update().get(pk=understanding.pk)
    if understanding.confirmed_at is not None:
        raise Conflict("This summary has already been confirmed")
    latest = (
        Understanding.objects.filter(case_id=understanding.case_id).order_by("-recorded_at", "-id").first()
    )
    if latest is None or latest.pk != understanding.pk:
        raise Conflict("A newer summary has been written since; confirm that one")
    understanding.confirmed_at, understanding.confirmed_via = timezone.now(), _text(via, "via", limit=40)
    understanding.save(update_fields=["confirmed_at", "confirmed_via"])
    _event(
        understanding.case,
        EventKind.UNDERSTANDING_CONFIRMED,
        actor,
        after={"understanding": understanding.pk, "via": understanding.confirmed_via},
    )
    return understanding


@transaction.atomic
def evidence_add(
    *,
    case: Case,
    actor: Any,
    kind: str,
    description: str,
    source: str = "",
    files: Sequence[AttachmentFile] = (),
) -> EvidenceItem:
    """A piece of evidence for the investigation (CFACSC7 5), with the files it is, if any: each checked
    for its kind and size (core/files.py) before anything is stored."""
    if kind not in EvidenceItem.Kind.values:
        raise DomainError(f"Unknown kind of evidence {kind!r}", fields={"kind": "unknown"})
    checked = check_files(files)
    item = EvidenceItem.objects.create(
        case=case,
        kind=kind,
        description=_text(description, "description"),
        source=_text(source, "source", required=False, limit=200),
        added_by=actor,
        added_at=timezone.now(),
    )
    EvidenceFile.objects.bulk_create([EvidenceFile.of(f, evidence=item) for f in checked])
    after: dict[str, Any] = {"evidence": item.pk, "kind": kind}
    if checked:
        after["files"] = [f.filename for f in checked]
    _event(case, EventKind.EVIDENCE_ADDED, actor, after=after)
    return item


def _name(user: Any) -> str:
    return user.get_full_name() or user.username


def _finding_changed(current: Finding, read: int) -> Conflict:
    return Conflict(
        f"{_name(current.recorded_by)} recorded a finding at {timezone.localtime(current.recorded_at):%H:%M} "
        f"while you were writing yours: {current.get_outcome_display()}. {current.reasoning[:300]} "
        "Yours was not saved: read theirs on the case, and record yours again if it should replace it.",
        code="finding_changed",
        fields={"version": f"you read finding {read}; the case's finding is now {current.version}"},
    )


@transaction.atomic
def finding_record(
    *,
    case: Case,
    actor: Any,
    outcome: str,
    facts: str,
    reasoning: str,
    root_cause: RootCause | None = None,
    expected_version: int | None = None,
    customer_explanation: str = "",
) -> Finding:
    """Justified, partly justified or not, with the facts and the reasoning (CFACSC7 5), and the reasons
    written for the customer (`customer_explanation`: what letters say; the facts and reasoning stay
    internal). A new finding replaces the case's current one; `expected_version` is the version of the
    finding the investigator read (0 for none): if someone recorded another since, nothing is saved and
    Conflict shows theirs."""
    Case.objects.select_for_update().only("pk").get(pk=case.pk)  # one recorder at a time per case
    current = case.findings.select_related("recorded_by").order_by("-version").first()
    if expected_version is not None and (current.version if current else 0) != expected_version:
        if current is None:
            raise Conflict(
                "There is no finding on this case yet to replace", fields={"version": "0 expected"}
            )
        raise _finding_changed(current, expected_version)
    if outcome not in Finding.Outcome.values:
        raise DomainError(
            "The finding is justified, partly justified or not justified",
            fields={"outcome": "justified, partly_justified or not_justified"},
        )
    if root_cause is not None and not root_cause.active:
        raise DomainError("That root cause is no longer in use", fields={"root_cause": "inactive"})
    finding = Finding.objects.create(
        case=case,
        outcome=outcome,
        facts=_text(facts, "facts"),
        reasoning=_text(reasoning, "reasoning"),
        customer_explanation=_text(customer_explanation, "customer_explanation", required=False),
        root_cause=root_cause,
        recorded_by=actor,
        recorded_at=timezone.now(),
        version=current.version + 1 if current else 1,
    )
    _event(
        case,
        EventKind.FINDING_RECORDED,
        actor,
        after={
            "finding": finding.pk,
            "outcome": outcome,
            "root_cause": root_cause.code if root_cause else None,
        },
    )
    return finding


@transaction.atomic
def customer_answer_record(*, case: Case, actor: Any, accepted: bool, note: str = "") -> None:
    """Whether the customer accepts the response (WM57 9); a refusal keeps the case open for escalation."""
    process = CaseProcess.objects.select_for_update().filter(case=case).first()
    if process is None or process.response_sent_at is None:
        raise Conflict("Record the customer's answer after the response has been sent")
    process.customer_answer = "accepted" if accepted else "not_accepted"
    process.save(update_fields=["customer_answer"])
    _event(
        case,
        EventKind.CUSTOMER_ANSWERED,
        actor,
        after={"accepted": accepted},
        reason=_text(note, "note", required=False),
    )


@transaction.atomic
def satisfaction_record(*, case: Case, actor: Any, answer: str, comment: str = "") -> SatisfactionCheck:
    """Check satisfaction as a step of the process, not an optional survey (WM57 14)."""
    if answer not in SatisfactionCheck.Answer.values:
        raise DomainError("Choose how satisfied the customer is", fields={"answer": "unknown"})
    check = SatisfactionCheck.objects.create(
        case=case,
        answer=answer,
        comment=_text(comment, "comment", required=False),
        checked_by=actor,
        checked_at=timezone.now(),
    )
    _event(case, EventKind.SATISFACTION_CHECKED, actor, after={"answer": answer}, reason=check.comment)
    clocks_meet(case=case, step="satisfied", at=check.checked_at)
    return check
