"""The complaint process over the API: the same step functions the case page's forms call (views.ACTIONS)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema

from amends.cases.models import Case
from amends.core.permissions import can_work_case, case_scope, require

from .selectors import process_panel
from .views import ACTIONS

router = Router(tags=["complaint process"])


class ClockOut(Schema):
    id: int
    stage: str
    code: str
    name: str
    regulatory: bool
    due_at: datetime
    state: str
    extended_from: datetime | None


class OptionOut(Schema):
    id: int
    title: str
    remedy_type: str
    amount: Decimal | None
    status: str
    risk_customer: int
    risk_organisation: int


class PromiseOut(Schema):
    id: int
    description: str
    due_at: datetime
    status: str


class LetterOut(Schema):
    id: int
    kind: str
    status: str
    sent_at: datetime | None


class ProcessOut(Schema):
    regime: str | None
    regime_version: int | None
    stage: str | None
    next_step: str
    clocks: list[ClockOut]
    understanding_confirmed: bool | None
    finding: str | None
    options: list[OptionOut]
    promises: list[PromiseOut]
    letters: list[LetterOut]


def _case(request, reference: str, *, work: bool) -> Case:
    case = (
        Case.objects.select_related("customer").filter(case_scope(request.auth), reference=reference).first()
    )
    if case is None:
        raise Http404(f"No case {reference} that you can see")
    if work:
        require(can_work_case(request.auth, case), "You can view this case but not work on it")
    return case


def _out(case: Case, user) -> dict:
    p = process_panel(case, user)
    return {
        "regime": p.definition.code if p.definition else None,
        "regime_version": p.process.regime_version.version if p.process else None,
        "stage": p.process.stage if p.process else None,
        "next_step": p.next_step,
        "clocks": [
            {
                "id": c.clock.pk,
                "stage": c.clock.stage,
                "code": c.clock.code,
                "name": c.clock.name,
                "regulatory": c.clock.regulatory,
                "due_at": c.clock.due_at,
                "state": c.state,
                "extended_from": c.clock.extended_from,
            }
            for c in p.clocks
        ],
        "understanding_confirmed": (p.understanding.confirmed_at is not None) if p.understanding else None,
        "finding": p.finding.outcome if p.finding else None,
        "options": [
            {
                "id": o.pk,
                "title": o.title,
                "remedy_type": o.remedy_type,
                "amount": o.amount,
                "status": o.status,
                "risk_customer": o.risk_customer,
                "risk_organisation": o.risk_organisation,
            }
            for o in p.options
        ],
        "promises": p.promises,
        "letters": p.letters,
    }


def _run(request, reference: str, action: str, payload: Schema) -> dict:
    case = _case(request, reference, work=True)
    values = {k: ("" if v is None else str(v)) for k, v in payload.dict().items()}
    ACTIONS[action][1](case, values, request.auth)
    return _out(case, request.auth)


@router.get("/{reference}/process", response=ProcessOut, summary="The case's regime, clocks and steps")
def get_process(request, reference: str):
    return _out(_case(request, reference, work=False), request.auth)


class RegimeIn(Schema):
    regime: str = Field(..., description="A regime code from GET /regimes")


class UnderstandingIn(Schema):
    what_happened: str = Field(..., max_length=10_000)
    impact: str = Field(..., max_length=10_000)
    outcome_wanted: str = Field(..., max_length=10_000)


class ConfirmIn(Schema):
    understanding: int
    via: str = Field("phone", max_length=40)


class EvidenceIn(Schema):
    kind: Literal["document", "record", "statement", "call", "photo", "other"]
    description: str = Field(..., max_length=10_000)
    source: str = Field("", max_length=200)


class FindingIn(Schema):
    outcome: Literal["justified", "partly_justified", "not_justified"]
    facts: str = Field(..., max_length=10_000)
    reasoning: str = Field(..., max_length=10_000)
    root_cause: str = Field("", max_length=60)


class OptionIn(Schema):
    title: str = Field(..., max_length=200)
    remedy_type: str
    amount: Decimal | None = None
    benefits_customer: str = Field(..., max_length=5000)
    drawbacks_customer: str = Field("", max_length=5000)
    benefits_organisation: str = Field("", max_length=5000)
    drawbacks_organisation: str = Field("", max_length=5000)
    risk_customer_likelihood: int = Field(1, ge=1, le=5)
    risk_customer_impact: int = Field(1, ge=1, le=5)
    risk_organisation_likelihood: int = Field(1, ge=1, le=5)
    risk_organisation_impact: int = Field(1, ge=1, le=5)


class OptionDecisionIn(Schema):
    option: int
    reason: str = Field("", max_length=5000)


class ApprovalDecisionIn(Schema):
    request: int
    decision: Literal["approve", "decline"]
    reason: str = Field(..., max_length=5000)


class LetterIn(Schema):
    kind: str
    fields: dict[str, str] = Field(default_factory=dict, description="Element values, e.g. reasons, remedy")


class LetterSendIn(Schema):
    letter: int
    by: Literal["email", "print"] = "email"


class PromiseIn(Schema):
    description: str = Field(..., max_length=300)
    due_at: datetime


class PromiseKeepIn(Schema):
    promise: int
    note: str = Field("", max_length=2000)


class PromiseRenegotiateIn(Schema):
    promise: int
    due_at: datetime
    note: str = Field(..., max_length=2000, description="What the customer agreed to")


class ExtendIn(Schema):
    clock: int
    reason: str = Field(..., max_length=5000)
    new_due_at: datetime | None = None


class AnswerIn(Schema):
    accepted: bool
    note: str = Field("", max_length=10_000)


class SatisfactionIn(Schema):
    answer: Literal["satisfied", "partly", "not_satisfied", "no_reply"]
    comment: str = Field("", max_length=10_000)


class EscalateIn(Schema):
    to: Literal["next_stage", "ombudsman"]
    reason: str = Field(..., max_length=5000)


STEPS: list[tuple[str, str, type[Schema], str]] = [
    ("regime", "apply-regime", RegimeIn, "Apply a complaints regime"),
    ("understanding", "understanding", UnderstandingIn, "Record the check-back summary"),
    ("understanding/confirm", "confirm-understanding", ConfirmIn, "The customer confirmed the summary"),
    ("evidence", "evidence", EvidenceIn, "Add evidence"),
    ("finding", "finding", FindingIn, "Record the finding"),
    ("options", "option", OptionIn, "Add an option"),
    ("options/choose", "choose-option", OptionDecisionIn, "Choose an option (within authority, or approved)"),
    ("options/request-approval", "request-approval", OptionDecisionIn, "Ask for approval of an option"),
    ("approvals/decide", "decide-approval", ApprovalDecisionIn, "Approve or decline (not your own request)"),
    ("letters/send", "send-letter", LetterSendIn, "Send a drafted letter by email, or mark it printed"),
    ("promises", "promise", PromiseIn, "Record a promise made to the customer"),
    ("promises/keep", "keep-promise", PromiseKeepIn, "Mark a promise kept"),
    (
        "promises/renegotiate",
        "renegotiate-promise",
        PromiseRenegotiateIn,
        "Agree a new time with the customer",
    ),
    ("clocks/extend", "extend-clock", ExtendIn, "Extend a deadline within the regime's rule"),
    ("answer", "customer-answer", AnswerIn, "Record the customer's answer to the response"),
    ("satisfaction", "satisfaction", SatisfactionIn, "Record the satisfaction check"),
    ("escalate", "escalate", EscalateIn, "Escalate to the next stage or refer to the ombudsman"),
]


def _endpoint(action: str, schema: type[Schema]):
    def endpoint(request, reference: str, payload: schema):  # type: ignore[valid-type]
        return _run(request, reference, action, payload)

    endpoint.__name__ = f"process_{action.replace('-', '_')}"
    return endpoint


for path, action, schema, summary in STEPS:
    router.post(f"/{{reference}}/process/{path}", response=ProcessOut, summary=summary)(
        _endpoint(action, schema)
    )


@router.post("/{reference}/process/letters", response=ProcessOut, summary="Draft a letter the regime knows")
def compose_letter(request, reference: str, payload: LetterIn):
    case = _case(request, reference, work=True)
    ACTIONS["compose-letter"][1](
        case, {"kind": payload.kind, **{f"field_{k}": v for k, v in payload.fields.items()}}, request.auth
    )
    return _out(case, request.auth)
