"""The steps of the complaint process, and of a problem resolved step by step, as typed actions: one input
schema and one service call each.

The case page's forms and the API run the same actions: the API passes the payload it validated, the page
builds the same input from the posted form (views.py). Each action takes the case, who is acting and its
input; the case has already been checked as one they may work on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.utils import timezone
from ninja import Field, Schema
from pydantic import WithJsonSchema

from amends.cases.hooks import BulkAction, BulkField
from amends.cases.models import Case
from amends.core.api_types import RowId
from amends.core.errors import NotFound
from amends.core.files import FileIn
from amends.core.moments import Moment
from amends.letters.models import Letter
from amends.letters.services import letter_enclose, letter_enclosure_remove, letter_update_fields
from amends.regimes.selectors import regimes_in_use

from . import authority, promises, resolution, services, steps, taxonomy
from .letters import process_compose_letter
from .models import (
    Agreement,
    ApprovalRequest,
    CaseClock,
    Option,
    Promise,
    RemedyType,
    RootCause,
    Task,
    Understanding,
)

# The id of a row on the case (a promise, a clock, a letter): a whole number inside a 64-bit key, so anything
# else in a form or payload is a validation error naming the field, never a lookup.


# A sum of money as the document offers it: a number, or a string of digits with at most two decimals
# (authority.py refuses one outside 0 to 10,000,000 with its own error). Not any string: "" or "ten" is a 422
# from the schema, so the document must not offer it.
Amount = Annotated[
    Decimal,
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 10_000_000},
                {"type": "string", "pattern": r"^[0-9]{1,8}(\.[0-9]{1,2})?$"},
            ]
        }
    ),
]


class RegimeApplyIn(Schema):
    regime: str = Field(..., description="A regime code from GET /regimes")


class UnderstandingIn(Schema):
    what_happened: str = Field(..., max_length=10_000)
    impact: str = Field(..., max_length=10_000)
    outcome_wanted: str = Field(..., max_length=10_000)


class ConfirmIn(Schema):
    understanding: RowId
    via: str = Field("phone", max_length=40)


class EvidenceIn(Schema):
    kind: Literal["document", "record", "statement", "call", "photo", "other"]
    description: str = Field(..., max_length=10_000)
    source: str = Field("", max_length=200)
    files: list[FileIn] = Field(
        default_factory=list,
        description="The documents or photos the evidence is: PDF, images, office documents, text; each "
        "within the per-file limit and all within the per-message one, else 400 or 413",
    )


class FindingIn(Schema):
    outcome: Literal["justified", "partly_justified", "not_justified"]
    facts: str = Field(..., max_length=10_000)
    reasoning: str = Field(..., max_length=10_000, description="Internal: never put in a letter")
    customer_explanation: str = Field(
        "",
        max_length=10_000,
        description="The reasons written for the customer: the only words of the finding a letter carries "
        "(a decision letter cannot be drafted without them)",
    )
    root_cause: str = Field("", max_length=60)
    version: int = Field(
        ...,
        ge=0,
        description="The version of the case's finding you read (0 when it had none); if someone has "
        "recorded another since, nothing is saved and the answer is 409",
    )


class RootCauseCorrectIn(Schema):
    root_cause: str = Field("", max_length=60, description="A root cause code in use; empty for none")
    reason: str = Field(..., max_length=2000, description="Why it is corrected (kept on the case's history)")
    version: int = Field(..., ge=1, description="The version of the case's finding you read")


RemedyKind = Literal[tuple(RemedyType.values)]  # type: ignore[valid-type]


class RemedyIn(Schema):
    kind: RemedyKind
    description: str = Field("", max_length=300, description="What it is, in words the customer would use")
    amount: Amount | None = Field(None, description="For money remedies (refund, fee waiver, goodwill...)")


class OptionIn(Schema):
    title: str = Field(..., max_length=200)
    remedy_type: RemedyKind | None = Field(
        None, description="An option of one remedy: its kind (with `amount`); or list them in `remedies`"
    )
    amount: Amount | None = None
    remedies: list[RemedyIn] = Field(
        default_factory=list, max_length=10, description="What the option gives the customer, in order"
    )
    benefits_customer: str = Field(..., max_length=5000)
    drawbacks_customer: str = Field("", max_length=5000)
    benefits_organisation: str = Field("", max_length=5000)
    drawbacks_organisation: str = Field("", max_length=5000)
    risk_customer_likelihood: int = Field(1, ge=1, le=5)
    risk_customer_impact: int = Field(1, ge=1, le=5)
    risk_organisation_likelihood: int = Field(1, ge=1, le=5)
    risk_organisation_impact: int = Field(1, ge=1, le=5)


class OptionDecisionIn(Schema):
    option: RowId
    reason: str = Field("", max_length=5000)


class ApprovalDecisionIn(Schema):
    request: RowId
    decision: Literal["approve", "decline"]
    reason: str = Field(..., max_length=5000)


class LetterIn(Schema):
    kind: str
    fields: dict[str, str] = Field(default_factory=dict, description="Element values, e.g. reasons, remedy")


class LetterUpdateIn(Schema):
    letter: RowId
    fields: dict[str, str] = Field(..., description="Element values to change; an empty value removes one")
    version: int = Field(
        ...,
        ge=1,
        description="The letter's version you read; if someone has saved it since, the answer is 409",
    )


class LetterEncloseIn(Schema):
    letter: RowId
    version: int = Field(
        ...,
        ge=1,
        description="The letter's version you read; if someone has saved it since, the answer is 409",
    )
    files: list[FileIn] = Field(
        ...,
        description="Documents sent with the letter, attached to its email beside its PDF: PDF, images, "
        "office documents, text; each within the per-file limit and all, with those enclosed already, "
        "within the per-message one, else 400 or 413",
    )


class EnclosureRemoveIn(Schema):
    letter: RowId
    enclosure: RowId
    version: int = Field(
        ...,
        ge=1,
        description="The letter's version you read; if someone has saved it since, the answer is 409",
    )


class LetterSendIn(Schema):
    letter: RowId
    by: Literal["email", "print"] = "email"


class PromiseIn(Schema):
    description: str = Field(..., max_length=300)
    due_at: Moment


class PromiseKeepIn(Schema):
    promise: RowId
    note: str = Field("", max_length=2000)


class PromiseRenegotiateIn(Schema):
    promise: RowId
    due_at: Moment
    note: str = Field(..., max_length=2000, description="What the customer agreed to")


class AgreementIn(Schema):
    option: RowId = Field(..., description="The chosen option the customer agreed")
    agreed_by: str = Field(..., max_length=200, description="The customer, or who agreed for them")
    via: Literal[tuple(Agreement.Via.values)]  # type: ignore[valid-type]
    agreed_at: Moment | None = Field(None, description="When they agreed; now if not given")
    note: str = Field("", max_length=2000)


class TaskIn(Schema):
    title: str = Field(..., max_length=300)
    owner: RowId = Field(..., description="The user id of someone who may work the case (GET .../assignees)")
    due_at: Moment
    option: RowId | None = Field(None, description="The agreed option it carries out")


class TaskDoneIn(Schema):
    task: RowId
    note: str = Field("", max_length=2000)


class ExtendIn(Schema):
    clock: RowId
    reason: str = Field(..., max_length=5000)
    new_due_at: Moment | None = None


class AnswerIn(Schema):
    accepted: bool
    note: str = Field("", max_length=10_000)


class SatisfactionIn(Schema):
    answer: Literal["satisfied", "partly", "not_satisfied", "no_reply"]
    comment: str = Field("", max_length=10_000)


class EscalateIn(Schema):
    to: Literal["next_stage", "ombudsman"]
    reason: str = Field(..., max_length=5000)


@dataclass(frozen=True)
class Action:
    input: type[Schema]
    run: Callable[[Case, Any, Any], object]  # (case, actor, input): one service call
    done: str  # what the case page says when it worked


def _aware(moment: datetime) -> datetime:
    """A time without a zone (the page's datetime-local boxes) is in the organisation's own."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _one(queryset, pk: int, what: str):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No such {what} on this case")
    return found


def _root_cause(code: str) -> RootCause | None:
    if not code:
        return None
    cause = RootCause.objects.filter(code=code).first()
    if cause is None:
        raise NotFound(f"No root cause {code!r}")
    return cause


def _letter(case: Case, pk: int) -> Letter:
    return _one(Letter.objects.filter(case=case), pk, "letter")


def _apply_regime(case: Case, actor: Any, data: RegimeApplyIn):
    return services.process_start(case=case, regime_code=data.regime, actor=actor)


def _understanding(case: Case, actor: Any, data: UnderstandingIn):
    return steps.understanding_record(
        case=case,
        actor=actor,
        what_happened=data.what_happened,
        impact=data.impact,
        outcome_wanted=data.outcome_wanted,
    )


def _confirm_understanding(case: Case, actor: Any, data: ConfirmIn):
    understanding = _one(Understanding.objects.filter(case=case), data.understanding, "summary")
    return steps.understanding_confirm(understanding=understanding, via=data.via or "phone", actor=actor)


def _evidence(case: Case, actor: Any, data: EvidenceIn):
    return steps.evidence_add(
        case=case,
        actor=actor,
        kind=data.kind,
        description=data.description,
        source=data.source,
        files=[f.file() for f in data.files],
    )


def _finding(case: Case, actor: Any, data: FindingIn):
    return steps.finding_record(
        case=case,
        actor=actor,
        outcome=data.outcome,
        facts=data.facts,
        reasoning=data.reasoning,
        root_cause=_root_cause(data.root_cause),
        expected_version=data.version,
        customer_explanation=data.customer_explanation,
    )


def _correct_root_cause(case: Case, actor: Any, data: RootCauseCorrectIn):
    return taxonomy.finding_root_cause_correct(
        case=case,
        actor=actor,
        root_cause=_root_cause(data.root_cause),
        reason=data.reason,
        expected_version=data.version,
    )


def _option(case: Case, actor: Any, data: OptionIn):
    return authority.option_add(
        case=case,
        actor=actor,
        title=data.title,
        remedy_type=data.remedy_type or "",
        amount=data.amount,
        remedies=[authority.Remedy(r.kind, r.description, r.amount) for r in data.remedies],
        benefits_customer=data.benefits_customer,
        drawbacks_customer=data.drawbacks_customer,
        benefits_organisation=data.benefits_organisation,
        drawbacks_organisation=data.drawbacks_organisation,
        risk_customer=(data.risk_customer_likelihood, data.risk_customer_impact),
        risk_organisation=(data.risk_organisation_likelihood, data.risk_organisation_impact),
    )


def _choose_option(case: Case, actor: Any, data: OptionDecisionIn):
    option = _one(Option.objects.filter(case=case), data.option, "option")
    return authority.option_choose(option=option, actor=actor, reason=data.reason)


def _request_approval(case: Case, actor: Any, data: OptionDecisionIn):
    option = _one(Option.objects.filter(case=case), data.option, "option")
    return authority.approval_request(option=option, actor=actor, reason=data.reason)


def _decide_approval(case: Case, actor: Any, data: ApprovalDecisionIn):
    request = _one(ApprovalRequest.objects.filter(option__case=case), data.request, "approval request")
    return authority.approval_decide(
        request=request, actor=actor, approve=data.decision == "approve", reason=data.reason
    )


def _compose_letter(case: Case, actor: Any, data: LetterIn):
    return process_compose_letter(case=case, kind=data.kind, actor=actor, fields=data.fields)


def _update_letter(case: Case, actor: Any, data: LetterUpdateIn):
    return letter_update_fields(
        letter=_letter(case, data.letter), actor=actor, fields=data.fields, expected_version=data.version
    )


def _enclose(case: Case, actor: Any, data: LetterEncloseIn):
    return letter_enclose(
        letter=_letter(case, data.letter),
        actor=actor,
        files=[f.file() for f in data.files],
        expected_version=data.version,
    )


def _remove_enclosure(case: Case, actor: Any, data: EnclosureRemoveIn):
    return letter_enclosure_remove(
        letter=_letter(case, data.letter),
        enclosure_id=data.enclosure,
        actor=actor,
        expected_version=data.version,
    )


def _send_letter(case: Case, actor: Any, data: LetterSendIn):
    return services.process_send_letter(letter=_letter(case, data.letter), actor=actor, by=data.by)


def _promise(case: Case, actor: Any, data: PromiseIn):
    return promises.promise_make(
        case=case, actor=actor, description=data.description, due_at=_aware(data.due_at)
    )


def _keep_promise(case: Case, actor: Any, data: PromiseKeepIn):
    promise = _one(Promise.objects.filter(case=case), data.promise, "promise")
    return promises.promise_keep(promise=promise, actor=actor, note=data.note)


def _renegotiate_promise(case: Case, actor: Any, data: PromiseRenegotiateIn):
    promise = _one(Promise.objects.filter(case=case), data.promise, "promise")
    return promises.promise_renegotiate(
        promise=promise, actor=actor, new_due_at=_aware(data.due_at), note=data.note
    )


def _agree_option(case: Case, actor: Any, data: AgreementIn):
    option = _one(Option.objects.filter(case=case), data.option, "option")
    return resolution.agreement_record(
        case=case,
        actor=actor,
        option=option,
        agreed_by=data.agreed_by,
        via=data.via,
        agreed_at=_aware(data.agreed_at) if data.agreed_at else None,
        note=data.note,
    )


def _task(case: Case, actor: Any, data: TaskIn):
    owner = get_user_model().objects.filter(pk=data.owner, is_active=True).first()
    if owner is None:
        raise NotFound("No such person to own the task")
    option = _one(Option.objects.filter(case=case), data.option, "option") if data.option else None
    return resolution.task_add(
        case=case, actor=actor, title=data.title, owner=owner, due_at=_aware(data.due_at), option=option
    )


def _task_done(case: Case, actor: Any, data: TaskDoneIn):
    task = _one(Task.objects.filter(case=case), data.task, "task")
    return resolution.task_done(task=task, actor=actor, note=data.note)


def _extend_clock(case: Case, actor: Any, data: ExtendIn):
    clock = _one(CaseClock.objects.filter(case=case), data.clock, "clock")
    new_due_at = _aware(data.new_due_at) if data.new_due_at else None
    return services.clock_extend(clock=clock, actor=actor, reason=data.reason, new_due_at=new_due_at)


def _customer_answer(case: Case, actor: Any, data: AnswerIn):
    return steps.customer_answer_record(case=case, actor=actor, accepted=data.accepted, note=data.note)


def _satisfaction(case: Case, actor: Any, data: SatisfactionIn):
    return steps.satisfaction_record(case=case, actor=actor, answer=data.answer, comment=data.comment)


def _escalate(case: Case, actor: Any, data: EscalateIn):
    return services.process_escalate(case=case, actor=actor, to=data.to, reason=data.reason)


# By the name the case page posts to (/cases/<reference>/process/<name>).
ACTIONS: dict[str, Action] = {
    "apply-regime": Action(RegimeApplyIn, _apply_regime, "Regime applied"),
    "understanding": Action(
        UnderstandingIn, _understanding, "Summary recorded: ask the customer to confirm it"
    ),
    "confirm-understanding": Action(ConfirmIn, _confirm_understanding, "Summary confirmed"),
    "evidence": Action(EvidenceIn, _evidence, "Evidence added"),
    "finding": Action(FindingIn, _finding, "Finding recorded"),
    "root-cause": Action(RootCauseCorrectIn, _correct_root_cause, "Root cause corrected"),
    "option": Action(OptionIn, _option, "Option added"),
    "choose-option": Action(OptionDecisionIn, _choose_option, "Option chosen"),
    "request-approval": Action(OptionDecisionIn, _request_approval, "Approval requested"),
    "decide-approval": Action(ApprovalDecisionIn, _decide_approval, "Decision recorded"),
    "compose-letter": Action(LetterIn, _compose_letter, "Letter drafted: check it, then send"),
    "update-letter": Action(LetterUpdateIn, _update_letter, "Letter updated"),
    "enclose": Action(LetterEncloseIn, _enclose, "Enclosed with the letter: it goes with its email"),
    "remove-enclosure": Action(EnclosureRemoveIn, _remove_enclosure, "Taken out of the letter"),
    "send-letter": Action(LetterSendIn, _send_letter, "Letter sent"),
    "promise": Action(PromiseIn, _promise, "Promise recorded: it will be tracked until kept"),
    "keep-promise": Action(PromiseKeepIn, _keep_promise, "Promise marked kept"),
    "renegotiate-promise": Action(PromiseRenegotiateIn, _renegotiate_promise, "New time agreed"),
    "agree-option": Action(AgreementIn, _agree_option, "Agreement recorded: now carry it out"),
    "task": Action(TaskIn, _task, "Task added"),
    "task-done": Action(TaskDoneIn, _task_done, "Task marked done"),
    "extend-clock": Action(ExtendIn, _extend_clock, "Deadline extended"),
    "customer-answer": Action(AnswerIn, _customer_answer, "Answer recorded"),
    "satisfaction": Action(SatisfactionIn, _satisfaction, "Satisfaction recorded"),
    "escalate": Action(EscalateIn, _escalate, "Escalated"),
}


def _regime_in_bulk(case: Case, actor: Any, data: RegimeApplyIn) -> str:
    process = ACTIONS["apply-regime"].run(case, actor, data)
    return f"Now follows {process.regime_version.regime.name}"


def _regimes(user: Any) -> list[tuple[str, str]]:
    return [(regime.code, regime.name) for regime in regimes_in_use()]


# The queue's bulk "Apply regime" (cases.bulk runs it case by case, each case in its own transaction):
# the case page's action, offering the same regimes, those switched on.
BULK_REGIME = BulkAction(
    code="regime",
    label="Apply regime",
    input=RegimeApplyIn,
    run=_regime_in_bulk,
    fields=(BulkField("regime", "Regime", choices=_regimes),),
)
