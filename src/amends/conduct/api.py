"""Conduct over the API: what the pages do. Report an incident (or a safety report) and list those you may
see; read a customer's conduct record (markers only for the roles they name); make a decision, read it with
its reviews and appeals, review it, record and decide an appeal, send its notice; add, review and remove
warning markers; close a wellbeing follow-up. The same services and permission questions as the pages:
a role that may not is refused (403), a record the caller cannot see is not there (404)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema, Status

from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.cursors import decode_id_cursor, encode_id_cursor
from amends.core.errors import DomainError, NotFound, PermissionDenied
from amends.core.moments import Moment
from amends.core.permissions import can_report_behaviour, can_see_conduct
from amends.customers.models import Customer
from amends.customers.selectors import visible_customer

from . import defaults, services
from .models import (
    Appeal,
    BehaviourIncident,
    ConductDecision,
    DecisionReview,
    WarningMarker,
    WellbeingFollowUp,
)
from .selectors import arrangements_for, decisions_visible, incidents_visible, markers_for

router = Router(tags=["conduct"])

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
    occurred_at: Moment | None = Field(None, description="When; now if not given")
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
    customer: int
    incident: int | None = Field(None, description="The incident it was added for, if any")
    reason: str
    basis: str
    visible_to: list[str]
    review_due: date
    created_by: int
    created_at: datetime
    reviewed_at: datetime | None
    removed_at: datetime | None
    removed_reason: str


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


def _marker_out(m: WarningMarker) -> dict:
    return {
        "id": m.pk,
        "customer": m.customer_id,
        "incident": m.incident_id,
        "reason": m.reason,
        "basis": m.basis,
        "visible_to": m.visible_to,
        "review_due": m.review_due,
        "created_by": m.created_by_id,
        "created_at": m.created_at,
        "reviewed_at": m.reviewed_at,
        "removed_at": m.removed_at,
        "removed_reason": m.removed_reason,
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
        "markers": [_marker_out(m) for m in markers],
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


# --- a decision: read it, review it, appeal, the notice ------------------------------------------------


class ReviewOut(Schema):
    id: int
    reviewed_by: int
    reviewed_at: datetime
    outcome: str = Field(..., description="lift, continue or vary")
    reasons: str
    next_review_due: date | None
    new_decision: int | None = Field(None, description="The decision that replaced it, when varied")


class AppealOut(Schema):
    id: int
    decision: int
    grounds: str
    received_at: datetime
    recorded_by: int
    outcome: str | None = Field(None, description="upheld, overturned or varied; null while it waits")
    reasons: str
    decided_by: int | None
    decided_at: datetime | None
    new_decision: int | None = Field(None, description="The decision it became, when varied")


class DecisionDetailOut(DecisionOut):
    customer: int
    case: str | None
    adjustments_considered: str
    vulnerability_considered: str
    senior_check_by: int | None
    decided_at: datetime
    ended_at: datetime | None
    replaces: int | None
    notice: int | None = Field(None, description="The notice letter's id, once sent")
    arrangement: str | None = Field(None, description="The contact arrangement in force, in words")
    reviews: list[ReviewOut]
    appeals: list[AppealOut]


class VariationIn(Schema):
    level: str = Field(..., max_length=4, description='The new level, "L0" to "L5"')
    restrictions: list[RestrictionIn] = Field(default_factory=list, max_length=20)
    adjustments_considered: Text = Field("", description="The decision's own when left empty")
    review_due: date | None = None
    senior_check: bool = Field(
        False,
        description="The caller (a complaints lead or administrator) confirms "
        "that reasonable adjustments were considered",
    )


class ReviewIn(Schema):
    outcome: Literal["lift", "continue", "vary"]
    reasons: Text = Field(..., description="Why: the behaviour since, and the evidence")
    next_review_due: date | None = Field(None, description="With continue: the new review date")
    variation: VariationIn | None = Field(None, description="With vary: what the decision becomes")


class AppealIn(Schema):
    grounds: Text = Field(..., description="Why the customer disagrees, in their words")
    received_at: Moment | None = Field(None, description="When the appeal came in; now if not given")


class AppealDecisionIn(Schema):
    outcome: Literal["upheld", "overturned", "varied"]
    reasons: Text
    variation: VariationIn | None = Field(None, description="With varied: what the decision becomes")


class NoticeOut(Schema):
    letter: int
    decision: int
    case: str
    status: str = Field(..., description='"sent" (by email) or "printed" (for post)')
    channel: str | None = Field(None, description="The channel it went by; null when printed for post")
    sent_at: datetime | None


def _review_out(r: DecisionReview) -> dict:
    return {
        "id": r.pk,
        "reviewed_by": r.reviewed_by_id,
        "reviewed_at": r.reviewed_at,
        "outcome": r.outcome,
        "reasons": r.reasons,
        "next_review_due": r.next_review_due,
        "new_decision": r.new_decision_id,
    }


def _appeal_out(a: Appeal) -> dict:
    return {
        "id": a.pk,
        "decision": a.decision_id,
        "grounds": a.grounds,
        "received_at": a.received_at,
        "recorded_by": a.recorded_by_id,
        "outcome": a.outcome or None,
        "reasons": a.reasons,
        "decided_by": a.decided_by_id,
        "decided_at": a.decided_at,
        "new_decision": a.new_decision_id,
    }


def _decision_detail(d: ConductDecision) -> dict:
    arrangement = arrangements_for([d.customer_id]).get(d.customer_id)
    return {
        **_decision_out(d),
        "customer": d.customer_id,
        "case": d.case.reference if d.case_id else None,
        "adjustments_considered": d.adjustments_considered,
        "vulnerability_considered": d.vulnerability_considered,
        "senior_check_by": d.senior_check_by_id,
        "decided_at": d.decided_at,
        "ended_at": d.ended_at,
        "replaces": d.replaces_id,
        "notice": d.notice_id,
        "arrangement": arrangement.text if arrangement and arrangement.decision.pk == d.pk else None,
        "reviews": [_review_out(r) for r in d.reviews.order_by("reviewed_at", "id")],
        "appeals": [_appeal_out(a) for a in d.appeals.order_by("received_at", "id")],
    }


def _seeing(user) -> None:
    if not can_see_conduct(user):
        raise PermissionDenied("You cannot see conduct records")


def _decision(user, pk: int) -> ConductDecision:
    _seeing(user)
    decision = (
        decisions_visible(user).filter(pk=pk).prefetch_related("restrictions__type", "incidents").first()
    )
    if decision is None:
        raise NotFound("No such decision, or not one you can see")
    return decision


def _as_variation(payload: VariationIn | None, reasons: str, actor) -> services.Variation | None:
    """A variation's new terms, as the decision page posts them: with the review's or appeal's reasons."""
    if payload is None:
        return None
    return services.Variation(
        level=payload.level,
        reasons=reasons,
        restrictions=[services.RestrictionIn(r.type, r.parameters) for r in payload.restrictions],
        adjustments_considered=payload.adjustments_considered,
        review_due=payload.review_due,
        senior_check_by=actor if payload.senior_check else None,
    )


@router.get(
    "/conduct/decisions/{decision_id}",
    response={200: DecisionDetailOut, **errors(403, 404, 422)},
    summary="A conduct decision with its restrictions, reviews and appeals",
)
def get_decision(request, decision_id: RowId):
    return _decision_detail(_decision(request.auth, decision_id))


@router.post(
    "/conduct/decisions/{decision_id}/review",
    response={200: DecisionDetailOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Review a decision: lift it, continue it to a new review date, or vary it (a new decision)",
)
def review_decision(request, decision_id: RowId, payload: ReviewIn):
    decision = _decision(request.auth, decision_id)
    services.decision_review(
        actor=request.auth,
        decision=decision,
        outcome=payload.outcome,
        reasons=payload.reasons,
        next_review_due=payload.next_review_due,
        variation=_as_variation(payload.variation, payload.reasons, request.auth),
    )
    return _decision_detail(_decision(request.auth, decision_id))


@router.post(
    "/conduct/decisions/{decision_id}/appeals",
    response={201: AppealOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Record the customer's appeal against a decision (someone not involved decides it)",
)
def lodge_appeal(request, decision_id: RowId, payload: AppealIn):
    decision = _decision(request.auth, decision_id)
    appeal = services.appeal_lodge(
        actor=request.auth, decision=decision, grounds=payload.grounds, received_at=payload.received_at
    )
    return Status(201, _appeal_out(appeal))


@router.post(
    "/conduct/appeals/{appeal_id}/decide",
    response={200: AppealOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Decide an appeal: upheld, overturned or varied, by someone not involved in the decision",
)
def decide_appeal(request, appeal_id: RowId, payload: AppealDecisionIn):
    _seeing(request.auth)
    appeal = Appeal.objects.filter(pk=appeal_id, decision__in=decisions_visible(request.auth)).first()
    if appeal is None:
        raise NotFound("No such appeal, or not one you can see")
    decided = services.appeal_decide(
        actor=request.auth,
        appeal=appeal,
        outcome=payload.outcome,
        reasons=payload.reasons,
        variation=_as_variation(payload.variation, payload.reasons, request.auth),
    )
    return _appeal_out(decided)


@router.post(
    "/conduct/decisions/{decision_id}/notice",
    response={201: NoticeOut, **errors(400, 403, 404, 409, 422)},
    summary="Send the decision's notice letter (reasons, review date, how to appeal, the ombudsman)",
)
def send_notice(request, decision_id: RowId):
    decision = _decision(request.auth, decision_id)
    letter = services.notice_send(actor=request.auth, decision=decision)
    return Status(
        201,
        {
            "letter": letter.pk,
            "decision": decision.pk,
            "case": letter.case.reference,
            "status": letter.status,
            "channel": letter.message.channel if letter.message_id else None,
            "sent_at": letter.sent_at,
        },
    )


# --- warning markers and wellbeing follow-ups ----------------------------------------------------------

RoleName = Annotated[str, Field(max_length=20)]


class MarkerIn(Schema):
    reason: Text = Field(..., description="Why staff need warning")
    basis: str = Field(defaults.MARKER_BASIS, max_length=200, description="The lawful basis for keeping it")
    visible_to: list[RoleName] = Field(
        default_factory=lambda: list(defaults.MARKER_ROLES),
        max_length=10,
        description='The roles that may see it, e.g. ["team_leader", "complaints_lead"]',
    )
    review_due: date | None = Field(None, description="When it is reviewed; in 180 days if not given")


class MarkerReviewIn(Schema):
    reasons: Text = Field(..., description="Why it is still needed")
    review_due: date | None = Field(None, description="The new review date (required)")


class MarkerRemoveIn(Schema):
    reason: Text = Field(..., description="Why it is no longer needed")


class FollowUpDoneIn(Schema):
    note: Text = Field(..., description="How the member of staff is, and what support was offered")


class FollowUpOut(Schema):
    id: int
    incident: int
    staff_member: int
    owner: int
    due_at: datetime
    done_at: datetime | None
    done_by: int | None
    note: str


def _follow_up_out(f: WellbeingFollowUp) -> dict:
    return {
        "id": f.pk,
        "incident": f.incident_id,
        "staff_member": f.staff_member_id,
        "owner": f.owner_id,
        "due_at": f.due_at,
        "done_at": f.done_at,
        "done_by": f.done_by_id,
        "note": f.note,
    }


def _marker(user, pk: int) -> WarningMarker:
    """A marker this user may see (its roles name theirs), on a customer they can see."""
    _seeing(user)
    marker = WarningMarker.objects.filter(pk=pk).first()
    if marker is None or not any(m.pk == marker.pk for m in markers_for(user, [marker.customer_id])):
        raise NotFound("No such marker, or not one you can see")
    _customer(user, marker.customer_id)
    return marker


@router.get(
    "/customers/{customer_id}/conduct/markers",
    response={200: list[MarkerOut], **errors(404, 422)},
    summary="A customer's warning markers: only those whose roles name yours",
)
def list_markers(request, customer_id: RowId):
    customer = _customer(request.auth, customer_id)
    return [_marker_out(m) for m in markers_for(request.auth, [customer.pk])]


@router.post(
    "/customers/{customer_id}/conduct/markers",
    response={201: MarkerOut, **errors(400, 403, 404, 413, 422)},
    summary="Add a warning marker to a customer (reason, lawful basis, who may see it, review date)",
)
def add_marker(request, customer_id: RowId, payload: MarkerIn):
    if not can_report_behaviour(request.auth):
        raise PermissionDenied("Only those who work cases add warning markers")
    customer = _customer(request.auth, customer_id)
    marker = services.marker_add(
        actor=request.auth,
        customer=customer,
        reason=payload.reason,
        basis=payload.basis,
        visible_to=list(payload.visible_to),
        review_due=payload.review_due,
    )
    return Status(201, _marker_out(marker))


@router.post(
    "/conduct/markers/{marker_id}/review",
    response={200: MarkerOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Keep a warning marker after review, to a new review date (team leaders and above)",
)
def review_marker(request, marker_id: RowId, payload: MarkerReviewIn):
    marker = services.marker_review(
        actor=request.auth,
        marker=_marker(request.auth, marker_id),
        reasons=payload.reasons,
        review_due=payload.review_due,
    )
    return _marker_out(marker)


@router.post(
    "/conduct/markers/{marker_id}/remove",
    response={200: MarkerOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Take a warning marker off the customer's record, with the reason (team leaders and above)",
)
def remove_marker(request, marker_id: RowId, payload: MarkerRemoveIn):
    marker = services.marker_remove(
        actor=request.auth, marker=_marker(request.auth, marker_id), reason=payload.reason
    )
    return _marker_out(marker)


@router.post(
    "/conduct/follow-ups/{follow_up_id}/done",
    response={200: FollowUpOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Close a wellbeing follow-up after a safety report, with how the member of staff is",
)
def follow_up_done(request, follow_up_id: RowId, payload: FollowUpDoneIn):
    _seeing(request.auth)
    follow_up = WellbeingFollowUp.objects.filter(pk=follow_up_id).first()
    if follow_up is None or not incidents_visible(request.auth).filter(pk=follow_up.incident_id).exists():
        raise NotFound("No such follow-up, or not one you can see")
    done = services.follow_up_done(actor=request.auth, follow_up=follow_up, note=payload.note)
    return _follow_up_out(done)


# --- incidents --------------------------------------------------------------------------------------


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_cursor: str | None


class IncidentListQuery(Schema):
    customer: RowId | None = Field(None, description="Only this customer's")
    category: str = Field("", max_length=40, description='Only this category, e.g. "violence-threats"')
    cursor: str = Field("", max_length=20, description="The next_cursor of the previous page")
    limit: int = Field(25, ge=1, le=100)


@router.get(
    "/incidents",
    response={200: IncidentPage, **errors(400, 403, 422)},
    summary="Behaviour incidents on customers you can see, newest reported first",
)
def list_incidents(request, params: Query[IncidentListQuery]):
    _seeing(request.auth)
    incidents = incidents_visible(request.auth)
    if params.customer is not None:
        incidents = incidents.filter(customer_id=params.customer)
    if params.category:
        incidents = incidents.filter(category__code=params.category)
    if params.cursor:
        after = decode_id_cursor(params.cursor)
        if after is None:
            raise DomainError("That cursor is not one this API gave out", fields={"cursor": "invalid"})
        incidents = incidents.filter(id__lt=after)
    rows = list(incidents.order_by("-id")[: params.limit + 1])
    more = len(rows) > params.limit
    return {
        "items": [_incident_out(i) for i in rows[: params.limit]],
        "next_cursor": encode_id_cursor(rows[params.limit - 1].pk) if more else None,
    }
