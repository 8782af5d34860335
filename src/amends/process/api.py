"""The complaint process, and a problem's steps, over the API: the same typed actions the case page's forms
run (actions.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Field, Router, Schema

from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.files import FileOut

from .actions import ACTIONS
from .selectors import process_panel

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


class RemedyOut(Schema):
    kind: str
    description: str
    amount: Decimal | None


class OptionOut(Schema):
    id: int
    title: str
    remedies: list[RemedyOut]
    amount: Decimal | None = Field(..., description="All the money the option gives, whatever the remedy")
    status: str
    risk_customer: int
    risk_organisation: int


class PromiseOut(Schema):
    id: int
    description: str
    due_at: datetime
    status: str


class AgreementOut(Schema):
    option: int
    agreed_by: str
    via: str
    agreed_at: datetime


class TaskOut(Schema):
    id: int
    title: str
    owner: int
    due_at: datetime
    done_at: datetime | None


class LetterOut(Schema):
    id: int
    kind: str
    status: str
    sent_at: datetime | None
    version: int = Field(..., description="Send it back when you change the draft's fields")
    fields: dict[str, str]
    enclosures: list[FileOut] = Field(..., description="Documents sent with the letter, beside its PDF")


class EvidenceOut(Schema):
    id: int
    kind: str
    description: str
    source: str
    added_at: datetime
    files: list[FileOut]


class ProcessOut(Schema):
    regime: str | None = Field(
        ..., description="None for a problem, or a complaint no regime covers yet: WM57's steps, no clocks"
    )
    regime_version: int | None
    stage: str | None
    next_step: str
    clocks: list[ClockOut]
    understanding_confirmed: bool | None
    finding: str | None
    finding_root_cause: str | None = Field(..., description="The root cause code the finding names, if any")
    finding_version: int = Field(..., description="Send it back when you record a finding (0: none yet)")
    evidence: list[EvidenceOut]
    options: list[OptionOut]
    agreement: AgreementOut | None
    tasks: list[TaskOut]
    promises: list[PromiseOut]
    letters: list[LetterOut]


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
        "finding_root_cause": p.finding.root_cause.code if p.finding and p.finding.root_cause else None,
        "finding_version": p.finding.version if p.finding else 0,
        "options": [
            {
                "id": o.pk,
                "title": o.title,
                "remedies": o.remedy_list(),
                "amount": o.amount,
                "status": o.status,
                "risk_customer": o.risk_customer,
                "risk_organisation": o.risk_organisation,
            }
            for o in p.options
        ],
        "agreement": (
            {
                "option": p.agreement.option_id,
                "agreed_by": p.agreement.agreed_by,
                "via": p.agreement.via,
                "agreed_at": p.agreement.agreed_at,
            }
            if p.agreement
            else None
        ),
        "tasks": [
            {"id": t.pk, "title": t.title, "owner": t.owner_id, "due_at": t.due_at, "done_at": t.done_at}
            for t in p.tasks
        ],
        "evidence": p.evidence,
        "promises": p.promises,
        "letters": p.letters,
    }


@router.get(
    "/{reference}/process",
    response={200: ProcessOut, **errors(404)},
    summary="The case's regime, clocks and steps (a problem's steps, with no regime)",
)
def get_process(request, reference: str):
    return _out(case_for(request.auth, reference), request.auth)


# (path under /cases/{reference}/process, the action's name, summary). The endpoint's name, and so its
# operation id, is process_<action>; drafting a letter keeps the name it had before the table.
STEPS: list[tuple[str, str, str]] = [
    ("regime", "apply-regime", "Apply a complaints regime"),
    ("understanding", "understanding", "Record the check-back summary"),
    ("understanding/confirm", "confirm-understanding", "The customer confirmed the summary"),
    ("evidence", "evidence", "Add evidence"),
    ("finding", "finding", "Record the finding"),
    ("finding/root-cause", "root-cause", "Correct the root cause of the case's finding, with a reason"),
    ("options", "option", "Add an option"),
    ("options/choose", "choose-option", "Choose an option (within authority, or approved)"),
    ("options/request-approval", "request-approval", "Ask for approval of an option"),
    ("approvals/decide", "decide-approval", "Approve or decline (not your own request)"),
    ("letters", "compose-letter", "Draft a letter the regime knows"),
    ("letters/update", "update-letter", "Change a draft letter's fields before it is sent"),
    ("letters/enclosures", "enclose", "Enclose documents with a draft letter (sent with its email)"),
    ("letters/enclosures/remove", "remove-enclosure", "Take a document out of a draft letter"),
    ("letters/send", "send-letter", "Send a drafted letter by email, or mark it printed"),
    ("agreement", "agree-option", "The customer agreed the chosen option: who, how and when"),
    ("tasks", "task", "Add a task that carries out the agreed option (owner, due time)"),
    ("tasks/done", "task-done", "Mark a task done"),
    ("promises", "promise", "Record a promise made to the customer"),
    ("promises/keep", "keep-promise", "Mark a promise kept"),
    ("promises/renegotiate", "renegotiate-promise", "Agree a new time with the customer"),
    ("clocks/extend", "extend-clock", "Extend a deadline within the regime's rule"),
    ("answer", "customer-answer", "Record the customer's answer to the response"),
    ("satisfaction", "satisfaction", "Record the satisfaction check"),
    ("escalate", "escalate", "Escalate to the next stage or refer to the ombudsman"),
]
NAMES = {"compose-letter": "compose_letter"}


def _endpoint(name: str):
    action = ACTIONS[name]

    def endpoint(request, reference: str, payload: Schema):
        case = case_for(request.auth, reference, work=True)
        action.run(case, request.auth, payload)
        return _out(case, request.auth)

    # ninja reads the payload's schema from the annotation: this action's input, not the base class.
    endpoint.__annotations__ = {"reference": str, "payload": action.input}
    endpoint.__name__ = NAMES.get(name, f"process_{name.replace('-', '_')}")
    return endpoint


for path, name, summary in STEPS:
    refused = errors(400, 403, 404, 409, 413, 422)
    router.post(f"/{{reference}}/process/{path}", response={200: ProcessOut, **refused}, summary=summary)(
        _endpoint(name)
    )
