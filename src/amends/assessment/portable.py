"""A learner's record in the portable forms (amends.standards builds and validates them): every evidence
item, assessor decision and IQA sample as xAPI statements; a unit signed off after IQA as an Open Badges
3.0 credential (the centre's own record, never the awarding body's certificate); the criteria as IMS CASE.

People are named in them by an opaque account on this site (their user id), never by email address;
evidence by its id and its minimised words; cases by reference only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from amends.core.templatetags.amends import person as display_name
from amends.standards import badges, case, xapi

from . import knowledge_link
from .models import CriterionDecision, EvidenceItem, QualitySample
from .selectors import Portfolio, UnitView


def site() -> str:
    return settings.SITE_URL


def person(user: Any) -> xapi.Person:
    return xapi.Person(home_page=site(), account=f"staff/{user.pk}")


def evidence_fact(item: EvidenceItem) -> xapi.EvidenceFact:
    return xapi.EvidenceFact(
        evidence_id=str(item.pk),
        learner=person(item.learner),
        occurred_at=item.occurred_at,
        criteria=tuple(item.criteria),
        method=item.method,
        channel=item.channel,
        situation=item.situation,
        case_ref=item.case.reference if item.case_id else "",
        narrative=item.what[:500],
    )


def knowledge_fact(learner: Any, result: knowledge_link.KnowledgeResult) -> xapi.EvidenceFact:
    """A knowledge check met, as knowledge evidence (never performance: its criterion is a knowledge one)."""
    return xapi.EvidenceFact(
        evidence_id=result.reference,
        learner=person(learner),
        occurred_at=result.at,
        criteria=(result.criterion,),
        method="knowledge_check",
        channel="",
        situation="",
        narrative=result.label,
    )


def decision_fact(decision: CriterionDecision) -> xapi.DecisionFact:
    return xapi.DecisionFact(
        decision_id=str(decision.pk),
        learner=person(decision.learner),
        assessor=person(decision.assessor),
        criterion=decision.code,
        stage=decision.stage,
        signed_at=decision.signed_at,
        signature_hash=decision.evidence_digest,
        evidence_ids=tuple(str(i) for i in decision.evidence),
        comment=decision.comment[:500],
    )


def sample_fact(sample: QualitySample) -> xapi.SampleFact:
    return xapi.SampleFact(
        sample_id=str(sample.pk),
        decision_id=str(sample.decision_id),
        iqa=person(sample.iqa),
        outcome=sample.outcome,
        sampled_at=sample.sampled_at,
        comment=sample.comment[:500],
    )


def learner_statements(learner: Any) -> list[dict]:
    """Every evidence item, decision and sample of the learner as xAPI statements, validated (the
    library's models), oldest first."""
    statements: list[dict] = []
    for item in EvidenceItem.objects.filter(learner=learner).select_related("learner", "case"):
        statements += xapi.evidence_statements(evidence_fact(item), base_url=site())
    for result in knowledge_link.results(learner).values():
        if result.met:
            statements += xapi.evidence_statements(knowledge_fact(learner, result), base_url=site())
    decisions = CriterionDecision.objects.filter(learner=learner).select_related("learner", "assessor")
    for decision in decisions:
        statements.append(xapi.decision_statement(decision_fact(decision), base_url=site()))
    for sample in QualitySample.objects.filter(decision__learner=learner).select_related("iqa"):
        statements += xapi.sample_statements(sample_fact(sample), base_url=site())
    return xapi.statements_document(statements)


def unit_badge(folio: Portfolio, unit: UnitView) -> dict:
    """The centre's record of a unit signed off after IQA (UnitView.complete), as an Open Badge."""
    rows = [r for r in unit.rows if r.decision is not None]
    accepted = [
        r.sample for r in rows if r.sample is not None and r.sample.outcome == QualitySample.Outcome.ACCEPTED
    ]
    items = {i for r in rows for i in r.decision.evidence}
    evidence = [
        badges.BadgeEvidence(evidence_id=str(i.pk), method=i.method, narrative=i.what[:300])
        for i in folio.evidence
        if i.pk in items
    ]
    knowledge = knowledge_link.results(folio.learner)
    evidence += [
        badges.BadgeEvidence(evidence_id=k.reference, method="knowledge_check", narrative=k.label)
        for r in rows
        if (k := knowledge.get(r.criterion.reference)) is not None and k.met
    ]
    award = badges.UnitAward(
        award_id=f"{folio.learner.pk}-{unit.code}",
        unit=unit.code,
        learner=badges.Learner(id=f"{site()}/staff/{folio.learner.pk}", name=display_name(folio.learner)),
        issuer=badges.Issuer(name=settings.ORGANISATION_NAME, url=site()),
        awarded_on=max(s.sampled_at for s in accepted),
        criteria=tuple(r.criterion.reference for r in rows),
        evidence=tuple(evidence),
        iqa_sample=str(max(accepted, key=lambda s: s.sampled_at).pk),
    )
    return badges.unit_badge(award, base_url=site())


def case_package(unit: str) -> dict:
    return case.case_package(site(), unit)
