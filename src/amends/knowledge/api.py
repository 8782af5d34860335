"""Knowledge checks over the API: the banks (never their answers), a learner's checks (start, submit, read
their results), an assessor's marking. A check's right answers and explanations appear only once it is
submitted; the assessor's marking guidance only to those who may assess or quality-assure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Router, Schema, Status

from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.errors import PermissionDenied
from amends.core.permissions import can_see_knowledge_checks

from . import bank
from .actions import MarkIn, StartIn, SubmitIn, answer_for, check_start, check_submit, mark
from .models import KnowledgeAnswer, KnowledgeAttempt
from .selectors import attempt_for, attempts_for, criteria_results, learner_for, marking_queue

router = Router(tags=["knowledge"])


class ChoiceOut(Schema):
    key: str
    text: str


class QuestionOut(Schema):
    id: str
    format: str
    prompt: str
    criteria: list[str]
    several: bool  # a choice with several right options: pick all that apply
    options: list[ChoiceOut]
    steps: list[ChoiceOut]


class BankOut(Schema):
    name: str
    title: str
    version: int
    questions: list[QuestionOut]


class ExplainedOut(Schema):
    """A question once its check is submitted: the right answer and why."""

    id: str
    right: list[str] | None  # the option keys, or the step keys in order; None for a short answer
    why: dict[str, str]  # per option key (choice), or {"order": ...}
    model_answer: str
    guidance: str  # for assessors and IQAs; empty for the learner


class AnswerOut(Schema):
    id: int
    question_id: str
    format: str
    given: list[str] | str
    correct: bool | None
    marked_by: int | None
    marked_at: datetime | None
    comment: str


class CriterionOut(Schema):
    criterion: str
    state: str  # met, not_yet, waiting


class AttemptOut(Schema):
    id: int
    learner: int
    unit: str
    criteria: list[str]
    status: str  # in_progress, waiting (for the assessor), complete
    bank_versions: dict[str, int]
    started_at: datetime
    submitted_at: datetime | None
    completed_at: datetime | None
    questions: list[QuestionOut]
    answers: list[AnswerOut]
    explained: list[ExplainedOut]
    results: list[CriterionOut]


class ResultOut(Schema):
    criterion: str
    status: str
    met: bool
    attempt: int
    decided_at: datetime
    marked_by: int | None
    marked_by_name: str


class WaitingOut(Schema):
    answer: int
    attempt: int
    learner: int
    learner_name: str
    submitted_at: datetime
    prompt: str
    given: str
    model_answer: str
    guidance: str


def _question(q: bank.Question) -> dict:
    """What a learner sees of a question: never which option is right or the steps' order."""
    return {
        "id": q.id,
        "format": q.format,
        "prompt": q.prompt,
        "criteria": list(q.criteria),
        "several": q.several,
        "options": [{"key": o.key, "text": o.text} for o in q.options],
        "steps": [{"key": s.key, "text": s.text} for s in q.steps],
    }


def _explained(q: bank.Question, guidance: bool) -> dict:
    right = {"choice": list(q.correct_keys), "order": list(q.order)}.get(q.format)
    why = {o.key: o.why for o in q.options} if q.format == "choice" else {"order": q.why} if q.why else {}
    return {
        "id": q.id,
        "right": right,
        "why": why,
        "model_answer": q.model_answer,
        "guidance": q.guidance if guidance else "",
    }


def _answer(a: KnowledgeAnswer) -> dict:
    return {
        "id": a.pk,
        "question_id": a.question_id,
        "format": a.format,
        "given": a.given,
        "correct": a.correct,
        "marked_by": a.marked_by_id,
        "marked_at": a.marked_at,
        "comment": a.comment,
    }


def _attempt(attempt: KnowledgeAttempt, reader: Any) -> dict:
    questions = attempt.question_list()
    submitted = attempt.submitted_at is not None
    return {
        "id": attempt.pk,
        "learner": attempt.learner_id,
        "unit": attempt.unit,
        "criteria": attempt.criteria,
        "status": attempt.status,
        "bank_versions": attempt.bank_versions,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "completed_at": attempt.completed_at,
        "questions": [_question(q) for q in questions],
        "answers": [_answer(a) for a in attempt.answers.all()] if submitted else [],
        "explained": [_explained(q, reader.pk != attempt.learner_id) for q in questions] if submitted else [],
        "results": [{"criterion": s.criterion, "state": s.state} for s in attempt.criterion_states()],
    }


@router.get(
    "/banks",
    response={200: list[BankOut], **errors(403)},
    summary="The question banks, without answers (learners, assessors, IQAs)",
)
def list_banks(request):
    if not can_see_knowledge_checks(request.auth):
        raise PermissionDenied("Knowledge checks are for learners, their assessors and IQAs")
    return [
        {
            "name": b.name,
            "title": b.title,
            "version": b.version,
            "questions": [_question(q) for q in b.questions],
        }
        for b in bank.banks().values()
    ]


@router.post(
    "/attempts",
    response={201: AttemptOut, **errors(400, 403, 409, 413, 422)},
    summary="Start a knowledge check on a unit or chosen criteria (learners; an open one is taken up again)",
)
def start_attempt(request, payload: StartIn):
    return Status(201, _attempt(check_start(request.auth, payload), request.auth))


@router.get(
    "/attempts",
    response={200: list[AttemptOut], **errors(404, 422)},
    summary="A learner's knowledge checks, newest first (yours unless you name a learner you may read)",
)
def list_attempts(request, learner: RowId | None = None):
    whose = learner_for(request.auth, learner) if learner else request.auth
    return [_attempt(a, request.auth) for a in attempts_for(whose)]


@router.get(
    "/attempts/{attempt_id}",
    response={200: AttemptOut, **errors(404, 422)},
    summary="One knowledge check: its questions, and once submitted the answers, explanations and results",
)
def read_attempt(request, attempt_id: RowId):
    return _attempt(attempt_for(request.auth, attempt_id), request.auth)


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: AttemptOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Submit every answer of your check; choice and order answers are marked at once",
)
def submit_attempt(request, attempt_id: RowId, payload: SubmitIn):
    attempt = check_submit(attempt_for(request.auth, attempt_id), request.auth, payload)
    return _attempt(attempt_for(request.auth, attempt.pk), request.auth)


@router.get(
    "/learners/{learner_id}/results",
    response={200: list[ResultOut], **errors(404, 422)},
    summary="A learner's latest result per knowledge criterion (the learner, their assessor, an IQA)",
)
def learner_results(request, learner_id: RowId):
    learner = learner_for(request.auth, learner_id)
    return [
        {
            "criterion": r.criterion,
            "status": r.status,
            "met": r.met,
            "attempt": r.attempt_id,
            "decided_at": r.decided_at,
            "marked_by": r.marked_by_id,
            "marked_by_name": r.marked_by_name,
        }
        for r in criteria_results(learner).values()
    ]


@router.get(
    "/marking",
    response={200: list[WaitingOut], **errors()},
    summary="Short answers of your learners waiting for you to mark (assessors)",
)
def list_marking(request):
    rows = []
    for answer in marking_queue(request.auth):
        q = answer.attempt.question(answer.question_id)
        learner = answer.attempt.learner
        rows.append(
            {
                "answer": answer.pk,
                "attempt": answer.attempt_id,
                "learner": learner.pk,
                "learner_name": learner.get_full_name() or learner.get_username(),
                "submitted_at": answer.attempt.submitted_at,
                "prompt": q.prompt,
                "given": answer.given,
                "model_answer": q.model_answer,
                "guidance": q.guidance,
            }
        )
    return rows


@router.post(
    "/answers/{answer_id}/mark",
    response={200: AnswerOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Mark a learner's short answer acceptable or not yet, with a comment (their assessor)",
)
def mark_answer(request, answer_id: RowId, payload: MarkIn):
    return _answer(mark(answer_for(request.auth, answer_id), request.auth, payload))
