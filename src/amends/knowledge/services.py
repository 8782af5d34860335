"""The use cases of knowledge checks, each in a transaction and audited: a learner starts a check and
submits it (choice and order answers are marked then); their assessor marks the short answers.

Refusals are DomainErrors naming the field and change nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.permissions import can_assess_learner, is_learner, staff_of
from amends.core.services import audit_record, notify
from amends.standards.criteria import CriteriaError, catalogue, references

from . import bank, marking
from .models import KnowledgeAnswer, KnowledgeAttempt

COMMENT_LIMIT = 5_000


@transaction.atomic
def attempt_start(
    *, learner: Any, unit: str = "", criteria: str | list[str] | None = None
) -> KnowledgeAttempt:
    """The learner starts a check on a unit's knowledge criteria, or on criteria they choose. An attempt
    they started on the same criteria and did not submit is taken up again rather than doubled."""
    if not is_learner(learner):
        raise PermissionDenied("Knowledge checks are for learners: someone with an assessor")
    unit, chosen = _check_scope(unit, criteria)
    open_one = (
        KnowledgeAttempt.objects.filter(learner=learner, submitted_at__isnull=True, unit=unit)
        .order_by("-started_at")
        .first()
    )
    if open_one is not None and open_one.criteria == chosen:
        return open_one
    questions = bank.questions_for(chosen)
    all_banks = bank.banks()
    attempt = KnowledgeAttempt.objects.create(
        learner=learner,
        unit=unit,
        criteria=chosen,
        bank_versions={q.bank: all_banks[q.bank].version for q in questions},
        questions=[q.to_dict() for q in questions],
        started_at=timezone.now(),
    )
    audit_record(
        actor=learner,
        kind="knowledge.attempt_started",
        obj=attempt,
        after={"unit": unit, "criteria": chosen, "banks": attempt.bank_versions},
    )
    return attempt


def _check_scope(unit: str, criteria: str | list[str] | None) -> tuple[str, list[str]]:
    """The unit (as the catalogue writes it, or empty) and the knowledge criteria the check covers."""
    unit = (unit or "").strip()
    if unit and criteria:
        raise DomainError("Choose a unit or criteria, not both", fields={"unit": "or criteria, not both"})
    if unit:
        found = {code.casefold(): u for code, u in catalogue().items()}.get(unit.casefold())
        if found is None:
            raise DomainError(f"No unit {unit}", code="unknown_unit", fields={"unit": "no such unit"})
        chosen = [c.reference for c in found.criteria if c.kind == "knowledge"]
        if not chosen:
            raise DomainError(
                f"{found.code} has no knowledge criteria", fields={"unit": "no knowledge criteria"}
            )
        return found.code, chosen
    try:
        chosen = references(criteria or [])
    except CriteriaError as exc:
        raise DomainError(
            str(exc), code="unknown_criteria", fields={"criteria": "; ".join(exc.bad) or "required"}
        ) from exc
    if not_covered := [ref for ref in chosen if ref not in bank.covered()]:
        raise DomainError(
            f"{', '.join(not_covered)}: no knowledge questions (performance is shown in real work)",
            code="unknown_criteria",
            fields={"criteria": "; ".join(not_covered)},
        )
    return "", chosen


@transaction.atomic
def attempt_submit(*, attempt: KnowledgeAttempt, learner: Any, answers: dict[str, Any]) -> KnowledgeAttempt:
    """The learner hands in every answer at once. Choice and order answers are marked now; short answers
    wait for the learner's assessor, who is told. Every question must be answered."""
    attempt = KnowledgeAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.learner_id != learner.pk:
        raise PermissionDenied("Only the learner who started a check submits it")
    if attempt.submitted_at is not None:
        raise Conflict("This check was already submitted", fields={"attempt": "already submitted"})
    given, problems = _read_answers(attempt, answers or {})
    if problems:
        raise DomainError(
            "Some answers are missing or cannot be read", code="invalid_answers", fields=problems
        )
    now = timezone.now()
    rows = []
    for position, (question, answer) in enumerate(given):
        correct = marking.mark(question, answer)
        rows.append(
            KnowledgeAnswer(
                attempt=attempt,
                question_id=question.id,
                position=position,
                format=question.format,
                given=answer,
                correct=correct,
                marked_at=now if correct is not None else None,
            )
        )
    KnowledgeAnswer.objects.bulk_create(rows)
    waiting = sum(r.correct is None for r in rows)
    attempt.submitted_at = now
    attempt.completed_at = None if waiting else now
    attempt.save(update_fields=["submitted_at", "completed_at"])
    audit_record(
        actor=learner,
        kind="knowledge.attempt_submitted",
        obj=attempt,
        after={
            "right": sum(r.correct is True for r in rows),
            "wrong": sum(r.correct is False for r in rows),
            "waiting": waiting,
        },
    )
    if waiting:
        _tell_assessor(attempt, learner, waiting)
    return attempt


def _read_answers(attempt: KnowledgeAttempt, answers: dict[str, Any]):
    """Each question with its answer read, and the problems by question id (nothing is saved if any)."""
    given, problems = [], {}
    for question in attempt.question_list():
        try:
            given.append((question, marking.read(question, answers.get(question.id))))
        except marking.AnswerError as exc:
            problems[exc.question_id] = exc.problem
    if unknown := sorted(set(answers) - {q["id"] for q in attempt.questions}):
        problems["answers"] = f"not in this check: {', '.join(unknown)}"
    return given, problems


def _tell_assessor(attempt: KnowledgeAttempt, learner: Any, waiting: int) -> None:
    assessor = staff_of(learner).assessor
    notify(
        users=[assessor],
        text=f"{_name(learner)} answered {waiting} knowledge question{'s' if waiting > 1 else ''} "
        f"for you to mark ({attempt.subject})",
        link=reverse("knowledge_marking"),
        urgent=False,
    )


@transaction.atomic
def answer_mark(
    *, answer: KnowledgeAnswer, assessor: Any, acceptable: bool, comment: str = ""
) -> KnowledgeAnswer:
    """The learner's assessor marks a short answer acceptable or not yet, with a comment (required for not
    yet: the learner needs to know what is missing). When it was the last answer waiting, the check is
    complete and the learner is told."""
    answer = KnowledgeAnswer.objects.select_for_update().select_related("attempt__learner").get(pk=answer.pk)
    attempt = answer.attempt
    if not can_assess_learner(assessor, attempt.learner):
        raise PermissionDenied("Only the learner's own assessor marks their answers")
    if answer.format != "short":
        raise DomainError(
            "Choice and order answers are marked automatically",
            code="not_markable",
            fields={"answer": "marked automatically"},
        )
    if not answer.waiting:
        raise Conflict("This answer is already marked", fields={"answer": "already marked"})
    comment = (comment or "").strip()
    if not acceptable and not comment:
        raise DomainError("Say what is missing for the learner", fields={"comment": "required for not yet"})
    if len(comment) > COMMENT_LIMIT:
        raise DomainError("The comment is too long", fields={"comment": f"at most {COMMENT_LIMIT}"})
    now = timezone.now()
    answer.correct, answer.marked_by, answer.marked_at, answer.comment = acceptable, assessor, now, comment
    answer.save(update_fields=["correct", "marked_by", "marked_at", "comment"])
    audit_record(
        actor=assessor,
        kind="knowledge.answer_marked",
        obj=answer,
        after={"attempt": attempt.pk, "question": answer.question_id, "acceptable": acceptable},
    )
    if not attempt.answers.filter(correct__isnull=True).exists():
        attempt.completed_at = now
        attempt.save(update_fields=["completed_at"])
        notify(
            users=[attempt.learner],
            text=f"{_name(assessor)} marked your knowledge check ({attempt.subject}): see your results",
            link=reverse("knowledge_attempt", args=[attempt.pk]),
            urgent=False,
        )
    return answer


def _name(user: Any) -> str:
    return user.get_full_name() or user.get_username()
