"""Knowledge checks' pages: a learner's checks by unit and taking one (a plain form: no script needed), the
results with explanations, and an assessor's marking queue. Each page parses, calls, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.core.permissions import can_see_knowledge_checks, is_assessor, is_learner
from amends.core.web import invalid_input, report, staff_required
from amends.standards.criteria import catalogue

from .actions import MarkIn, StartIn, SubmitIn, answer_for, answers_from_form, check_start, check_submit, mark
from .models import KnowledgeAttempt
from .selectors import (
    attempt_for,
    attempts_for,
    criteria_results,
    learner_for,
    learners_listed,
    marking_queue,
)


def _may_see(request) -> None:
    if not can_see_knowledge_checks(request.user):
        raise DjangoPermissionDenied("Knowledge checks are for learners, their assessors and IQAs")


def _units(learner: Any) -> list[dict]:
    """Each unit with knowledge criteria, and the learner's latest result on each (None: not yet checked)."""
    results = criteria_results(learner)
    return [
        {"unit": unit, "criteria": [(c, results.get(c.reference)) for c in knowing]}
        for unit in catalogue().values()
        if (knowing := [c for c in unit.criteria if c.kind == "knowledge"])
    ]


@staff_required
def knowledge(request):
    _may_see(request)
    user = request.user
    learning = is_learner(user)
    return render(
        request,
        "knowledge/index.html",
        {
            "learning": learning,
            "units": _units(user) if learning else [],
            "attempts": attempts_for(user) if learning else [],
            "learners": learners_listed(user),
            "waiting": len(marking_queue(user)) if is_assessor(user) else None,
        },
    )


@staff_required
def knowledge_learner(request, learner_id: int):
    _may_see(request)
    learner = learner_for(request.user, learner_id)
    return render(
        request,
        "knowledge/learner.html",
        {"learner": learner, "units": _units(learner), "attempts": attempts_for(learner)},
    )


@require_POST
@staff_required
def knowledge_start(request):
    post = request.POST
    data = {"unit": post.get("unit", ""), "criteria": post.getlist("criteria")}
    try:
        attempt = check_start(request.user, StartIn.model_validate(data))
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    else:
        return redirect("knowledge_attempt", attempt.pk)
    return redirect("knowledge")


@staff_required
def knowledge_attempt(request, attempt_id: int):
    """The learner's form while the check is open (POST submits it); afterwards, for whoever may read it,
    the answers with the right ones and why."""
    attempt = attempt_for(request.user, attempt_id)
    taking = attempt.submitted_at is None and attempt.learner_id == request.user.pk
    posted: dict[str, Any] = {}
    problems: dict[str, str] = {}
    if request.method == "POST" and taking:
        posted = answers_from_form(attempt, request.POST)
        try:
            check_submit(attempt, request.user, SubmitIn.model_validate({"answers": posted}))
        except ValidationError as exc:
            report(request, invalid_input(exc.errors()))
        except DomainError as exc:
            problems = exc.fields
            messages.error(request, exc.message)
        else:
            messages.success(request, "Check submitted: your results are below")
            return redirect("knowledge_attempt", attempt.pk)
    return render(
        request,
        "knowledge/attempt.html",
        {
            "attempt": attempt,
            "taking": taking,
            "items": _items(attempt, posted, problems),
            "states": attempt.criterion_states(),
            "assessing": request.user.pk != attempt.learner_id,
        },
        status=400 if problems else 200,
    )


def _items(attempt: KnowledgeAttempt, posted: dict, problems: dict) -> list[dict]:
    """Each question with what the learner gave (posted, or stored once submitted) and its problem."""
    answers = {a.question_id: a for a in attempt.answers.all()} if attempt.submitted_at else {}
    items = []
    for q in attempt.question_list():
        answer = answers.get(q.id)
        given = answer.given if answer else posted.get(q.id, [] if q.format != "short" else "")
        item = {"q": q, "answer": answer, "given": given, "problem": problems.get(q.id, "")}
        if q.format == "order":
            texts = {s.key: s.text for s in q.steps}
            chosen = list(given) + [""] * (len(q.steps) - len(given))
            item["positions"] = [(n, chosen[n - 1]) for n in range(1, len(q.steps) + 1)]
            item["given_texts"] = [texts.get(k, "") for k in given] if answer else []
            item["right_texts"] = [texts[k] for k in q.order]
        items.append(item)
    return items


@staff_required
def knowledge_marking(request):
    _may_see(request)
    waiting = []
    for answer in marking_queue(request.user):
        question = answer.attempt.question(answer.question_id)
        waiting.append({"answer": answer, "q": question})
    return render(
        request, "knowledge/marking.html", {"waiting": waiting, "assessor": is_assessor(request.user)}
    )


@require_POST
@staff_required
def knowledge_mark(request, answer_id: int):
    answer = answer_for(request.user, answer_id)
    verdict = request.POST.get("verdict", "")
    data = {"acceptable": verdict == "acceptable", "comment": request.POST.get("comment", "")}
    try:
        if verdict not in {"acceptable", "not_yet"}:
            raise DomainError("Choose acceptable or not yet", fields={"verdict": "required"})
        mark(answer, request.user, MarkIn.model_validate(data))
        messages.success(request, "Answer marked")
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    return redirect("knowledge_marking")
