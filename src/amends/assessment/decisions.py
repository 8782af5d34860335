"""Who is a learner, and the decisions on their portfolio: an assessor's sign-off of a criterion (working
towards, then final, e-signed), an internal quality assurer's sample of a final decision, the sampling plan,
and the disruptions that tag evidence "let down". Each a service: in a transaction, audited, told.

An e-signature here is the signer's full name typed to match their account, at a time, over a digest of
the evidence as it stood: what an awarding body's external quality assurer asks of an e-portfolio (who,
when, against what). A later change to the evidence changes its digest, and the portfolio shows it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import Role, StaffProfile, Team
from amends.core.permissions import can_assess_learner, can_quality_assure, staff_of
from amends.core.services import audit_record, notify
from amends.core.templatetags.amends import person
from amends.standards.criteria import catalogue, criterion

from . import knowledge_link
from .evidence import evidence_recapture, evidence_retag_let_down
from .models import (
    PERFORMANCE_METHODS,
    CriterionDecision,
    Disruption,
    Enrolment,
    EvidenceItem,
    QualitySample,
    SamplingPlan,
    Stage,
)

COMMENT_LIMIT = 5_000
ENROLLING_ROLES = {Role.COMPLAINTS_LEAD, Role.ADMIN}
DISRUPTION_ROLES = {Role.TEAM_LEADER, Role.COMPLAINTS_LEAD, Role.ADMIN}
# How far back enrolment looks for work to capture: a year (the qualification's usual span).
BACKFILL = timedelta(days=365)


def _signed(user: Any, typed: str) -> str:
    """The e-signature: the signer types their name as their account has it."""
    typed = " ".join((typed or "").split())
    if not typed:
        raise DomainError("Sign with your full name", fields={"signed_name": "required"})
    if typed.casefold() != person(user).casefold():
        raise DomainError(
            f"Sign with your name as your account has it ({person(user)})",
            fields={"signed_name": "does not match"},
        )
    return typed


def _comment(text: str, what: str = "comment") -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(f"Write a {what}", fields={"comment": "required"})
    if len(text) > COMMENT_LIMIT:
        raise DomainError(
            f"The {what} is too long", fields={"comment": f"at most {COMMENT_LIMIT} characters"}
        )
    return text


def digest(items: list[EvidenceItem], knowledge: list[str]) -> str:
    body = {"evidence": sorted((i.pk, i.content_hash) for i in items), "knowledge": sorted(knowledge)}
    return hashlib.sha256(json.dumps(body).encode()).hexdigest()


# --- enrolment ----------------------------------------------------------------------------------------


@transaction.atomic
def learner_enrol(
    *, actor: Any, learner: Any, assessor: Any, units: list[str], started_on: date | None = None
):
    """Enrol a member of staff on the qualification's units with an assessor (or change either), and
    capture the evidence their work since the start already shows."""
    staff = staff_of(actor)
    if staff is None or staff.role not in ENROLLING_ROLES:
        raise PermissionDenied("Complaints leads and administrators enrol learners")
    theirs = staff_of(learner)
    if theirs is None or theirs.role not in {Role.ADVISER, Role.CASE_HANDLER, Role.TEAM_LEADER}:
        raise DomainError("Enrol someone who handles customers", fields={"learner": "not an adviser"})
    judge = staff_of(assessor)
    if judge is None or judge.role != Role.ASSESSOR:
        raise DomainError("Choose an assessor", fields={"assessor": "not an assessor"})
    units = list(dict.fromkeys(u.strip() for u in units if u and u.strip()))
    unknown = [u for u in units if u not in catalogue()]
    if not units or unknown:
        raise DomainError(
            f"Choose units from {', '.join(catalogue())}", fields={"units": ", ".join(unknown) or "required"}
        )
    today = timezone.localdate()
    started_on = started_on or today
    if started_on > today:
        raise DomainError("The start is not in the future", fields={"started_on": "in the future"})
    existing = Enrolment.objects.filter(learner=learner).first()
    before = {"units": existing.units, "assessor": theirs.assessor_id} if existing else None
    now = timezone.now()
    enrolment, _ = Enrolment.objects.update_or_create(
        learner=learner,
        defaults={"units": units, "started_on": started_on, "enrolled_by": actor, "enrolled_at": now},
    )
    StaffProfile.objects.filter(pk=theirs.pk).update(assessor=assessor)
    theirs.assessor = assessor
    audit_record(
        actor=actor,
        kind="competence.enrolled",
        obj=enrolment,
        before=before,
        after={
            "learner": learner.pk,
            "assessor": assessor.pk,
            "units": units,
            "started_on": started_on.isoformat(),
        },
    )
    since = timezone.make_aware(datetime.combine(max(started_on, today - BACKFILL), datetime.min.time()))
    evidence_recapture(learner, since=since)
    notify(
        users=[learner, assessor],
        text=f"{person(learner)} is working towards {', '.join(units)}, assessed by {person(assessor)}",
        link=f"/competence/learners/{learner.pk}/",
        urgent=False,
    )
    return enrolment


# --- an assessor's decision on a criterion --------------------------------------------------------------


def latest_decision(learner: Any, code: str) -> CriterionDecision | None:
    return CriterionDecision.objects.filter(learner=learner, code=code).order_by("-signed_at", "-pk").first()


@transaction.atomic
def criterion_decide(
    *,
    assessor: Any,
    learner: Any,
    code: str,
    stage: str,
    comment: str,
    evidence_ids: list[int],
    signed_name: str,
) -> CriterionDecision:
    """The learner's assessor records a decision on one criterion, e-signed, against the evidence named.

    Final needs sufficient evidence of the right kind: for a performance criterion, real work (the case
    record, an observation or a witness statement; a reflective account alone is not enough, and practice
    is never evidence); for a knowledge criterion, a knowledge check met or written evidence.
    """
    if not can_assess_learner(assessor, learner):
        raise PermissionDenied("Only the learner's own assessor signs off their criteria")
    named = criterion(code)
    enrolment = Enrolment.objects.filter(learner=learner).first()
    if named is None or enrolment is None or named.unit not in enrolment.units:
        raise DomainError("Choose a criterion of the learner's units", fields={"code": "not in their units"})
    if stage not in Stage.values:
        raise DomainError("Choose working towards or final", fields={"stage": ", ".join(Stage.values)})
    comment = _comment(comment)
    signed = _signed(assessor, signed_name)
    ids = sorted({int(i) for i in evidence_ids or []})
    items = list(EvidenceItem.objects.filter(learner=learner, pk__in=ids))
    if len(items) != len(ids) or any(named.reference not in i.criteria for i in items):
        raise DomainError(
            f"Name only {person(learner)}'s evidence of {named.reference}",
            fields={"evidence": "not evidence of it"},
        )
    knowledge = (
        [r.reference for r in knowledge_link.met(learner, named.reference)]
        if named.kind == "knowledge"
        else []
    )
    if stage == Stage.FINAL:
        _sufficient(named, items, knowledge)
    decision = CriterionDecision.objects.create(
        learner=learner,
        code=named.reference,
        stage=stage,
        assessor=assessor,
        comment=comment,
        evidence=ids,
        knowledge=knowledge,
        signed_name=signed,
        signed_at=timezone.now(),
        evidence_digest=digest(items, knowledge),
    )
    audit_record(
        actor=assessor,
        kind="competence.decided",
        obj=decision,
        after={
            "learner": learner.pk,
            "code": decision.code,
            "stage": stage,
            "evidence": ids,
            "knowledge": knowledge,
        },
        reason=comment,
    )
    notify(
        users=[learner],
        text=f"{person(assessor)}: {decision.code} {decision.get_stage_display().lower()}",
        link=f"/competence/learners/{learner.pk}/criteria/{decision.code}/",
        urgent=False,
    )
    return decision


def _sufficient(named: Any, items: list[EvidenceItem], knowledge: list[str]) -> None:
    if named.kind == "performance" and not any(i.method in PERFORMANCE_METHODS for i in items):
        raise DomainError(
            f"A final decision on {named.reference} rests on real work: the case record, an observation or a "
            "witness statement (a reflective account supports it; practice never counts)",
            code="insufficient_evidence",
            fields={"evidence": "no performance evidence"},
        )
    if named.kind == "knowledge" and not items and not knowledge:
        raise DomainError(
            f"A final decision on {named.reference} rests on a knowledge check met or written evidence",
            code="insufficient_evidence",
            fields={"evidence": "no knowledge evidence"},
        )


# --- internal quality assurance --------------------------------------------------------------------------


def sampling_plan() -> SamplingPlan:
    return SamplingPlan.objects.order_by("pk").first() or SamplingPlan(
        percent=25, every_unit=True, every_method=True
    )


@transaction.atomic
def sampling_plan_set(*, actor: Any, percent: int, every_unit: bool, every_method: bool) -> SamplingPlan:
    if not can_quality_assure(actor):
        raise PermissionDenied("Internal quality assurers set the sampling plan")
    if not isinstance(percent, int) or not 1 <= percent <= 100:
        raise DomainError("Sample between 1 and 100 per cent", fields={"percent": "1 to 100"})
    plan = SamplingPlan.objects.select_for_update().order_by("pk").first() or SamplingPlan()
    before = {"percent": plan.percent, "every_unit": plan.every_unit, "every_method": plan.every_method}
    plan.percent, plan.every_unit, plan.every_method = percent, every_unit, every_method
    plan.updated_by, plan.updated_at = actor, timezone.now()
    plan.save()
    audit_record(
        actor=actor,
        kind="competence.sampling_plan",
        obj=plan,
        before=before,
        after={"percent": percent, "every_unit": every_unit, "every_method": every_method},
    )
    return plan


@transaction.atomic
def sample_record(*, iqa: Any, decision: CriterionDecision, outcome: str, comment: str, signed_name: str):
    """An IQA samples an assessor's final decision: accepted, or rejected back to the assessor, which
    re-opens the criterion. The evidence and decision are kept as they stood (`snapshot`)."""
    if not can_quality_assure(iqa):
        raise PermissionDenied("Internal quality assurers sample decisions")
    if decision.assessor_id == iqa.pk:
        raise PermissionDenied("Nobody quality-assures their own decision")
    if decision.stage != Stage.FINAL or latest_decision(decision.learner, decision.code) != decision:
        raise DomainError(
            "Sample the criterion's current final decision", fields={"decision": "not current final"}
        )
    if outcome not in QualitySample.Outcome.values:
        raise DomainError("Accept or reject the decision", fields={"outcome": "accepted or rejected"})
    comment = _comment(comment, "comment for the assessor")
    signed = _signed(iqa, signed_name)
    items = EvidenceItem.objects.filter(pk__in=decision.evidence).order_by("pk")
    snapshot = {
        "decision": {
            "code": decision.code,
            "assessor": decision.assessor_id,
            "digest": decision.evidence_digest,
        },
        "evidence": [
            {"id": i.pk, "method": i.method, "what": i.what, "situation": i.situation, "hash": i.content_hash}
            for i in items
        ],
        "knowledge": decision.knowledge,
        "digest_now": digest(list(items), decision.knowledge),
    }
    sample = QualitySample.objects.create(
        decision=decision,
        iqa=iqa,
        outcome=outcome,
        comment=comment,
        snapshot=snapshot,
        sampled_at=timezone.now(),
        signed_name=signed,
    )
    audit_record(
        actor=iqa,
        kind="competence.sampled",
        obj=sample,
        after={
            "decision": decision.pk,
            "code": decision.code,
            "learner": decision.learner_id,
            "outcome": outcome,
        },
        reason=comment,
    )
    notify(
        users=[decision.assessor],
        text=f"IQA {sample.get_outcome_display().lower()}: {decision.code} for {person(decision.learner)}",
        link=f"/competence/learners/{decision.learner_id}/criteria/{decision.code}/",
        urgent=outcome == QualitySample.Outcome.REJECTED,
    )
    return sample


# --- disruptions: when people, systems or resources let the team down -------------------------------


@transaction.atomic
def disruption_record(
    *, actor: Any, team: Team | None, kind: str, what: str, started_at: datetime, ended_at: datetime | None
) -> Disruption:
    staff = staff_of(actor)
    if staff is None or staff.role not in DISRUPTION_ROLES:
        raise PermissionDenied("Team leaders and complaints leads record disruptions")
    if staff.role == Role.TEAM_LEADER and (team is None or team.pk != staff.team_id):
        raise PermissionDenied("A team leader records disruptions to their own team")
    if kind not in Disruption.Kind.values:
        raise DomainError("Say what let the team down", fields={"kind": ", ".join(Disruption.Kind.values)})
    what = " ".join((what or "").split())
    if not what or len(what) > 300:
        raise DomainError(
            "Say what happened, in at most 300 characters", fields={"what": "1 to 300 characters"}
        )
    if started_at > timezone.now():
        raise DomainError(
            "A disruption is recorded once it has started", fields={"started_at": "in the future"}
        )
    if ended_at is not None and ended_at < started_at:
        raise DomainError("A disruption ends after it starts", fields={"ended_at": "before the start"})
    disruption = Disruption.objects.create(
        team=team,
        kind=kind,
        what=what,
        started_at=started_at,
        ended_at=ended_at,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    retagged = evidence_retag_let_down(disruption)
    audit_record(
        actor=actor,
        kind="competence.disruption",
        obj=disruption,
        after={
            "team": team.pk if team else None,
            "kind": kind,
            "started_at": started_at.isoformat(),
            "retagged": retagged,
        },
        reason=what,
    )
    return disruption
