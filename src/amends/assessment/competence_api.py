"""The competence record over the API: a learner's portfolio, their evidence (a reflective account or a
witness statement added; never practice), an assessor's decision, the xAPI statements, and the criteria as
IMS CASE packages. The same services and permissions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from django.contrib.auth import get_user_model
from ninja import Field, Router, Schema, Status

from amends.cases.models import Case
from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.errors import DomainError, NotFound, PermissionDenied
from amends.core.permissions import can_give_witness_statements, can_read_portfolio, can_view_case, is_learner

from . import decisions, evidence, portable, selectors
from .models import EvidenceItem

router = Router(tags=["competence"])


class CompetenceEvidenceOut(Schema):
    id: int
    method: str
    provenance: str = Field("real", description="Always real work: practice is never evidence")
    case: str | None
    criteria: list[str]
    what: str
    channel: str
    situation: str
    derived: dict
    changed_reason: str
    occurred_at: datetime


class CompetenceEvidenceIn(Schema):
    method: str = Field(..., max_length=40, description="reflective_account, or witness (team leaders)")
    criteria: list[Annotated[str, Field(max_length=40)]] = Field(..., min_length=1, max_length=20)
    text: str = Field(..., max_length=10_000)
    case: str | None = Field(None, max_length=20, description="A case reference (required for a witness)")
    occurred_on: date | None = None


class CompetenceCriterionOut(Schema):
    reference: str
    kind: str
    title: str
    status: str
    evidence: list[int]
    situations: list[str]
    channels: list[str]


class CompetenceUnitOut(Schema):
    code: str
    title: str
    signed_off: int
    criteria: list[CompetenceCriterionOut]
    situations_missing: list[str]
    channels_missing: list[str]


class CompetenceDecisionIn(Schema):
    code: str = Field(..., max_length=40)
    stage: str = Field(..., max_length=20)
    comment: str = Field(..., max_length=5_000)
    evidence: list[RowId] = Field(default_factory=list, max_length=500)
    signed_name: str = Field(..., max_length=150)


class CompetenceDecisionOut(Schema):
    id: int
    code: str
    stage: str
    assessor: int
    signed_name: str
    signed_at: datetime
    evidence: list[int]
    evidence_digest: str


def _learner(request, learner_id: RowId):
    learner = get_user_model().objects.filter(pk=learner_id, is_active=True).first()
    if learner is None or not can_read_portfolio(request.auth, learner):
        raise NotFound("No such learner")
    return learner


def _evidence_out(item: EvidenceItem) -> dict:
    return {
        "id": item.pk,
        "method": item.method,
        "case": item.case.reference if item.case_id else None,
        "criteria": item.criteria,
        "what": item.what,
        "channel": item.channel,
        "situation": item.situation,
        "derived": item.derived,
        "changed_reason": item.changed_reason,
        "occurred_at": item.occurred_at,
    }


@router.get(
    "/learners/{learner_id}/portfolio",
    response={200: list[CompetenceUnitOut], **errors(404, 422)},
    summary="A learner's coverage by unit and criterion (the learner, their assessor, an IQA)",
)
def portfolio(request, learner_id: RowId):
    folio = selectors.portfolio(_learner(request, learner_id))
    return [
        {
            "code": unit.code,
            "title": unit.title,
            "signed_off": unit.signed_off,
            "situations_missing": unit.situations_missing,
            "channels_missing": unit.channels_missing,
            "criteria": [
                {
                    "reference": r.criterion.reference,
                    "kind": r.criterion.kind,
                    "title": r.criterion.title,
                    "status": r.status,
                    "evidence": [i.pk for i in r.evidence],
                    "situations": sorted(r.situations),
                    "channels": sorted(r.channels),
                }
                for r in unit.rows
            ],
        }
        for unit in folio.units
    ]


@router.get(
    "/learners/{learner_id}/evidence",
    response={200: list[CompetenceEvidenceOut], **errors(404, 422)},
    summary="A learner's evidence, newest first",
)
def list_evidence(request, learner_id: RowId):
    return [_evidence_out(i) for i in selectors.portfolio(_learner(request, learner_id)).evidence]


@router.post(
    "/learners/{learner_id}/evidence",
    response={201: CompetenceEvidenceOut, **errors(400, 403, 404, 413, 422)},
    summary="Add a reflective account (learner) or a witness statement (team leader); never practice",
)
def add_evidence(request, learner_id: RowId, payload: CompetenceEvidenceIn):
    # Who may add evidence at all comes first, so a refusal never depends on whether the id exists.
    if not (is_learner(request.auth) or can_give_witness_statements(request.auth)):
        raise PermissionDenied(
            "The learner adds their reflective accounts; a team leader a witness statement"
        )
    learner = get_user_model().objects.filter(pk=learner_id, is_active=True).first()
    if learner is None:
        raise NotFound("No such learner")
    if learner.pk != request.auth.pk and not can_give_witness_statements(request.auth):
        raise PermissionDenied(
            "The learner adds their reflective accounts; a team leader a witness statement"
        )
    method = evidence.method_checked(payload.method)
    case = _case(request, payload.case)
    if method == "witness":
        if case is None:
            raise DomainError("Name the case you saw the work on", fields={"case": "required"})
        item = evidence.witness_statement_add(
            witness=request.auth,
            learner=learner,
            case=case,
            criteria=payload.criteria,
            text=payload.text,
            occurred_on=payload.occurred_on,
        )
    else:
        if learner.pk != request.auth.pk:
            raise DomainError("Learners write their own reflective accounts", fields={"learner": "not you"})
        item = evidence.reflective_account_add(
            learner=learner,
            criteria=payload.criteria,
            text=payload.text,
            case=case,
            occurred_on=payload.occurred_on,
        )
    return Status(201, _evidence_out(item))


def _case(request, reference: str | None) -> Case | None:
    if not reference:
        return None
    case = Case.objects.filter(reference=reference.strip()).first()
    if case is None or not can_view_case(request.auth, case):
        raise NotFound("No such case")
    return case


@router.post(
    "/learners/{learner_id}/decisions",
    response={201: CompetenceDecisionOut, **errors(400, 403, 404, 413, 422)},
    summary="The learner's assessor signs a decision on a criterion (working_towards or final)",
)
def decide(request, learner_id: RowId, payload: CompetenceDecisionIn):
    learner = _learner(request, learner_id)
    decision = decisions.criterion_decide(
        assessor=request.auth,
        learner=learner,
        code=payload.code,
        stage=payload.stage,
        comment=payload.comment,
        evidence_ids=list(payload.evidence),
        signed_name=payload.signed_name,
    )
    return Status(
        201,
        {
            "id": decision.pk,
            "code": decision.code,
            "stage": decision.stage,
            "assessor": decision.assessor_id,
            "signed_name": decision.signed_name,
            "signed_at": decision.signed_at,
            "evidence": decision.evidence,
            "evidence_digest": decision.evidence_digest,
        },
    )


@router.get(
    "/learners/{learner_id}/xapi",
    response={200: list[dict], **errors(404, 422)},
    summary="Every evidence item, decision and IQA sample of the learner as xAPI statements",
)
def statements(request, learner_id: RowId):
    return portable.learner_statements(_learner(request, learner_id))


@router.get(
    "/case/{unit}",
    response={200: dict, **errors(404)},
    summary="A unit's criteria as an IMS CASE 1.1 package",
)
def case_package(request, unit: str):
    from amends.standards.criteria import catalogue

    if unit not in catalogue():
        raise NotFound("No such unit")
    return portable.case_package(unit)
