"""The improvement log (/improvement/), one action through its stages (/improvement/<id>/), and lessons
learned (/lessons/): parse the form into the API's schema, ask core/permissions.py, call the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.core.errors import DomainError, NotFound
from amends.core.models import Team
from amends.core.permissions import (
    can_edit_root_causes,
    can_move_improvement,
    can_plan_improvement,
    can_receive_lessons,
    can_see_every_lesson,
    can_see_lesson_answers,
    can_share_lessons,
    can_view_case,
    improvement_owners_scope,
    require,
)
from amends.core.web import invalid_input, report, staff_required
from amends.process.models import RootCause

from . import lessons as lesson_services
from . import selectors, services
from .models import CheckResult, ImprovementAction, LessonRecipient, Measure, Stage
from .schemas import ActionPlanIn, CheckIn, LessonIn, StageIn

# What each stage offers next, in words, for the action's page.
NEXT = {
    Stage.PLAN: ("do", "Start doing it"),
    Stage.DO: ("check", "Start checking its effect"),
    Stage.CHECK: ("act", "Act on the check"),
    Stage.ACT: ("closed", "Close the action"),
}


def _owners():
    return get_user_model().objects.filter(improvement_owners_scope()).order_by("first_name", "last_name")


def _colleagues():
    return _owners().select_related("staff__team")


@staff_required
def improvement(request):
    stage = request.GET.get("stage", "open")
    stage = stage if stage in {"open", "", *Stage.values} else "open"
    planner = can_plan_improvement(request.user)
    return render(
        request,
        "improvement/list.html",
        {
            "actions": selectors.actions_listed(stage=stage),
            "stage": stage,
            "stages": Stage.choices,
            "planner": planner,
            "owners": _owners() if planner else [],
            "root_causes": sorted(
                RootCause.objects.filter(active=True).select_related("parent"),
                key=lambda rc: str(rc).casefold(),
            )
            if planner
            else [],
            "measures": Measure.choices,
            "edits_root_causes": can_edit_root_causes(request.user),
            "today": timezone.localdate(),
        },
    )


def _posted_plan(post) -> ActionPlanIn:
    data = {k: post.get(k, "") for k in ("title", "change", "owner", "due_date", "product")}
    data["measure"] = post.get("measure") or Measure.ROOT_CAUSE
    for k in ("before_start", "before_end", "after_start", "after_end"):
        data[k] = post.get(k, "")
    data["root_causes"] = post.getlist("root_causes")
    data["cases"] = [r for r in post.get("cases", "").replace(",", " ").split() if r]
    return ActionPlanIn(**data)


@require_POST
@staff_required
def improvement_plan(request):
    try:
        require(
            can_plan_improvement(request.user), "Team leaders and complaints leads plan improvement actions"
        )
        try:
            data = _posted_plan(request.POST)
        except ValidationError as exc:
            raise invalid_input(exc.errors()) from exc
        action = services.action_plan(actor=request.user, plan=data.plan())
        messages.success(request, "Improvement action planned")
        return redirect("improvement_action", pk=action.pk)
    except DomainError as exc:
        report(request, exc)
    return redirect("improvement")


@staff_required
def improvement_action(request, pk: int):
    try:
        action = selectors.action_get(pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    mover = can_move_improvement(request.user, action)
    cases = [c for c in action.cases.all() if can_view_case(request.user, c)]
    return render(
        request,
        "improvement/action.html",
        {
            "action": action,
            "measure": selectors.action_measure(action),
            "events": list(action.events.select_related("actor").order_by("at", "id")),
            "cases": cases,
            "hidden_cases": len(action.cases.all()) - len(cases),
            "mover": mover,
            "next": NEXT.get(action.stage),
            "results": CheckResult.choices,
            "sharer": can_share_lessons(request.user),
            "teams": Team.objects.order_by("name"),
            "colleagues": _colleagues() if can_share_lessons(request.user) else [],
            "lessons": list(action.lessons.order_by("-shared_at")),
            "stages": Stage.choices,
            "today": timezone.localdate(),
        },
    )


def _action_for_change(request, pk: int) -> ImprovementAction:
    action = ImprovementAction.objects.filter(pk=pk).first()
    require(
        action is not None and can_move_improvement(request.user, action),
        "Its owner, team leaders and complaints leads move an improvement action",
    )
    return action  # type: ignore[return-value]


def _back(pk: int):
    """To the action's page, or the log when there is no such action."""
    if ImprovementAction.objects.filter(pk=pk).exists():
        return redirect("improvement_action", pk=pk)
    return redirect("improvement")


@require_POST
@staff_required
def improvement_stage(request, pk: int):
    try:
        action = _action_for_change(request, pk)
        try:
            data = StageIn(to=request.POST.get("to", ""), note=request.POST.get("note", ""))
        except ValidationError as exc:
            raise invalid_input(exc.errors()) from exc
        moved = services.action_move(action=action, to=data.to, actor=request.user, note=data.note)
        messages.success(request, f"Now in {moved.get_stage_display()}")
    except DomainError as exc:
        report(request, exc)
    return _back(pk)


@require_POST
@staff_required
def improvement_check(request, pk: int):
    try:
        action = _action_for_change(request, pk)
        try:
            data = CheckIn(result=request.POST.get("result", ""), note=request.POST.get("note", ""))
        except ValidationError as exc:
            raise invalid_input(exc.errors()) from exc
        services.action_check_record(action=action, actor=request.user, result=data.result, note=data.note)
        messages.success(request, "Check recorded with the figures it was judged on")
    except DomainError as exc:
        report(request, exc)
    return _back(pk)


@staff_required
def lessons(request):
    sharer = can_share_lessons(request.user)
    everyone = can_see_every_lesson(request.user)
    return render(
        request,
        "improvement/lessons.html",
        {
            "received": selectors.lessons_received(request.user),
            "shared": selectors.lessons_shared(request.user, everyone=everyone),
            "sharer": sharer,
            "teams": Team.objects.order_by("name") if sharer else [],
            "colleagues": _colleagues() if sharer else [],
            "from_case": request.GET.get("case", "")[:20],
        },
    )


def _posted_lesson(post) -> LessonIn:
    def ids(name):
        return [v for v in post.getlist(name) if v]

    return LessonIn(
        title=post.get("title", ""),
        what_happened=post.get("what_happened", ""),
        what_learned=post.get("what_learned", ""),
        what_changes=post.get("what_changes", ""),
        teams=ids("teams"),
        people=ids("people"),
        action=post.get("action") or None,
        case=post.get("case", "").strip(),
    )


@require_POST
@staff_required
def lesson_share(request):
    try:
        require(can_share_lessons(request.user), "Team leaders and complaints leads share lessons")
        try:
            data = _posted_lesson(request.POST)
        except ValidationError as exc:
            raise invalid_input(exc.errors()) from exc
        lesson = lesson_services.lesson_share_from(actor=request.user, data=data)
        messages.success(request, f"Lesson shared with {lesson.recipients.count()} colleagues")
        return redirect("lesson", pk=lesson.pk)
    except DomainError as exc:
        report(request, exc)
    back = request.POST.get("action")
    return redirect(
        reverse("improvement_action", args=[back]) if back and back.isdigit() else reverse("lessons")
    )


@staff_required
def lesson(request, pk: int):
    try:
        found = selectors.lesson_get(pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    mine = LessonRecipient.objects.filter(lesson=found, user=request.user).first()
    answers = can_see_lesson_answers(request.user, found)
    if mine is None and not answers:
        raise Http404("No such lesson")
    acknowledged, waiting = selectors.lesson_answers(found) if answers else ([], [])
    return render(
        request,
        "improvement/lesson.html",
        {
            "lesson": found,
            "mine": mine,
            "answers": answers,
            "acknowledged": acknowledged,
            "waiting": waiting,
            "case_visible": found.case is not None and can_view_case(request.user, found.case),
        },
    )


@require_POST
@staff_required
def lesson_acknowledge(request, pk: int):
    try:
        require(can_receive_lessons(request.user), "Lessons are acknowledged by those they were shared with")
        found = selectors.lesson_get(pk)
        lesson_services.lesson_acknowledge(lesson=found, user=request.user)
        messages.success(request, "Acknowledged: thank you")
        return redirect("lesson", pk=pk)
    except DomainError as exc:
        report(request, exc)
    return redirect("lessons")


def case_page_context(request, case) -> dict:
    """The case page's link to share a lesson learned from it (cases.hooks.case_page_context)."""
    if not can_share_lessons(request.user):
        return {}
    return {"lesson_from_case_url": f"{reverse('lessons')}?case={case.reference}#lesson-form"}
