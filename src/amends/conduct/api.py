"""Conduct over the API: report an incident (or a safety report), read a customer's conduct record (what
the caller may see: markers only for the roles they name), and make a decision. The same services and
permission questions as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Router, Schema, Status

from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.errors import NotFound, PermissionDenied
from amends.core.permissions import can_report_behaviour, can_see_conduct
from amends.customers.models import Customer
from amends.customers.selectors import visible_customer

from . import services
from .models import BehaviourIncident, ConductDecision
from .selectors import arrangements_for, decisions_visible, incidents_visible, markers_for

router = Router(tags=["conduct"])

RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Text = Annotated[str, Field(max_length=10_000)]


class IncidentIn(Schema):
    customer: RowId = Field(..., description="The customer's id")
    case: str | None = Field(
        None, max_length=40, description="A case reference of theirs, if it is about one"
    )
    category: str = Field(
        ..., max_length=40, description='A category code of the policy, e.g. "abuse-harassment"'
    )
    channel: str = Field(
        ..., max_length=20, description='Where it happened: "phone", "email", "face_to_face"...'
    )
    description: Text = Field(..., description="What happened")
    verbatim: Text = Field("", description="What was said, word for word (required for threats)")
    severity: Literal["low", "medium", "high"] = "medium"
    immediate_action: Literal["none", "ended_call", "left_visit", "called_police"] = "none"
    occurred_at: datetime | None = Field(None, description="When; now if not given")
    safety_report: bool = Field(
        False, description="A safety report: violence or threats, the team leader told, a wellbeing follow-up"
    )
    marker_reason: str = Field("", max_length=2_000, description="With a safety report: add a warning marker")


class IncidentOut(Schema):
    id: int
    customer: int
    case: str | None
    category: str
    severity: str
    channel: str
    occurred_at: datetime
    description: str
    verbatim: str
    immediate_action: str
    reported_by: int
    team_leader_told: bool


class RestrictionOut(Schema):
    type: str
    parameters: dict


class DecisionOut(Schema):
    id: int
    level: str
    status: str
    reasons: str
    restrictions: list[RestrictionOut]
    incidents: list[int]
    effective_from: date
    review_due: date | None
    decided_by: int


class MarkerOut(Schema):
    id: int
    reason: str
    basis: str
    visible_to: list[str]
    review_due: date


class ConductOut(Schema):
    customer: int
    arrangement: str | None = Field(None, description="The contact arrangement in force, in words")
    markers: list[MarkerOut] = Field(..., description="Only the warning markers the caller's role may see")
    incidents: list[IncidentOut]
    decisions: list[DecisionOut]


class RestrictionIn(Schema):
    type: str = Field(..., max_length=40, description='A restriction code, e.g. "one-channel"')
    parameters: dict = Field(default_factory=dict, description='e.g. {"channels": ["email"]}')


class DecisionIn(Schema):
    level: str = Field(..., max_length=4, description='"L0" to "L5"')
    reasons: Text
    incidents: list[RowId] = Field(default_factory=list, max_length=100)
    restrictions: list[RestrictionIn] = Field(default_factory=list, max_length=20)
    adjustments_considered: Text = ""
    vulnerability_considered: Text = ""
    senior_check: bool = Field(
        False,
        description="The caller (a complaints lead or administrator) confirms "
        "that reasonable adjustments were considered",
    )
    effective_from: date | None = None
    review_due: date | None = None
    case: str | None = Field(None, max_length=40)


def _incident_out(i: BehaviourIncident) -> dict:
    return {
        "id": i.pk,
        "customer": i.customer_id,
        "case": i.case.reference if i.case_id else None,
        "category": i.category.code,
        "severity": i.severity,
        "channel": i.channel,
        "occurred_at": i.occurred_at,
        "description": i.description,
        "verbatim": i.verbatim,
        "immediate_action": i.immediate_action,
        "reported_by": i.reported_by_id,
        "team_leader_told": i.alerted_at is not None,
    }


def _decision_out(d: ConductDecision) -> dict:
    return {
        "id": d.pk,
        "level": d.level.code,
        "status": d.status,
        "reasons": d.reasons,
        "restrictions": [{"type": r.type.code, "parameters": r.parameters} for r in d.restrictions.all()],
        "incidents": [i.pk for i in d.incidents.all()],
        "effective_from": d.effective_from,
        "review_due": d.review_due,
        "decided_by": d.decided_by_id,
    }


def _customer(user, pk: int) -> Customer:
    customer = visible_customer(user, pk)
    if customer is None:
        raise NotFound("No such customer, or not one you can see")
    return customer


def _case(user, reference: str | None, customer: Customer):
    if not reference:
        return None
    case = case_for(user, reference)
    if case.customer_id != customer.pk:
        raise NotFound("That case is not this customer's")
    return case


@router.post(
    "/incidents",
    response={201: IncidentOut, **errors(400, 403, 404, 413, 422)},
    summary="Report a behaviour incident or a safety report (violence, threats, abuse tell the team leader)",
)
def report_incident(request, payload: IncidentIn):
    if not can_report_behaviour(request.auth):
        raise PermissionDenied("Only those who work cases report behaviour")
    customer = _customer(request.auth, payload.customer)
    case = _case(request.auth, payload.case, customer)
    common = {
        "actor": request.auth,
        "customer": customer,
        "case": case,
        "channel": payload.channel,
        "description": payload.description,
        "verbatim": payload.verbatim,
        "immediate_action": payload.immediate_action,
        "occurred_at": payload.occurred_at,
    }
    if payload.safety_report:
        marker = (
            services.MarkerRequest(reason=payload.marker_reason) if payload.marker_reason.strip() else None
        )
        incident = services.safety_report(marker=marker, **common).incident
    else:
        incident = services.incident_report(category=payload.category, severity=payload.severity, **common)
    return Status(201, _incident_out(incident))


@router.get(
    "/customers/{customer_id}/conduct",
    response={200: ConductOut, **errors(403, 404, 422)},
    summary="A customer's conduct record: the arrangement, the markers you may see, incidents, decisions",
)
def customer_conduct(request, customer_id: int):
    customer = _customer(request.auth, customer_id)
    markers = markers_for(request.auth, [customer.pk])
    if not can_see_conduct(request.auth):
        raise PermissionDenied("You cannot see conduct records")
    arrangement = arrangements_for([customer.pk]).get(customer.pk)
    return {
        "customer": customer.pk,
        "arrangement": arrangement.text if arrangement else None,
        "markers": [
            {
                "id": m.pk,
                "reason": m.reason,
                "basis": m.basis,
                "visible_to": m.visible_to,
                "review_due": m.review_due,
            }
            for m in markers
        ],
        "incidents": [_incident_out(i) for i in incidents_visible(request.auth).filter(customer=customer)],
        "decisions": [
            _decision_out(d)
            for d in decisions_visible(request.auth)
            .filter(customer=customer)
            .prefetch_related("restrictions__type", "incidents")
        ],
    }


@router.post(
    "/customers/{customer_id}/conduct/decisions",
    response={201: DecisionOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Make a conduct decision at a level your role may decide (restrictions, reasons, review date)",
)
def make_decision(request, customer_id: int, payload: DecisionIn):
    if not can_see_conduct(request.auth):
        raise PermissionDenied("You cannot make conduct decisions")
    customer = _customer(request.auth, customer_id)
    incidents = list(incidents_visible(request.auth).filter(customer=customer, pk__in=payload.incidents))
    if len(incidents) != len(set(payload.incidents)):
        raise NotFound("An incident named is not this customer's, or not one you can see")
    decision = services.decision_make(
        actor=request.auth,
        customer=customer,
        level=payload.level,
        reasons=payload.reasons,
        incidents=incidents,
        restrictions=[services.RestrictionIn(r.type, r.parameters) for r in payload.restrictions],
        adjustments_considered=payload.adjustments_considered,
        vulnerability_considered=payload.vulnerability_considered,
        senior_check_by=request.auth if payload.senior_check else None,
        effective_from=payload.effective_from,
        review_due=payload.review_due,
        case=_case(request.auth, payload.case, customer),
    )
    return Status(201, _decision_out(decision))
