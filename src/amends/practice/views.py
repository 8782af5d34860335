"""The practice pages: the scenario library, a session (the conversation and the reply form), the results."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.core.web import invalid_input, report, staff_required

from .actions import PracticeReplyIn, PracticeStartIn
from .library import CHANNELS, PERSONAS, scenarios
from .marking import named
from .models import NOTICE
from .selectors import session_for, session_view, sessions_for
from .services import practice_end, practice_reply, practice_start


@staff_required
def practice_library(request):
    persona = request.GET.get("persona", "")
    channel = request.GET.get("channel", "")
    shown = [
        {"scenario": s, "criteria": named(s.criteria)}
        for s in scenarios().values()
        if (not persona or s.persona == persona) and (not channel or s.channel == channel)
    ]
    return render(
        request,
        "practice/library.html",
        {
            "notice": NOTICE,
            "shown": shown,
            "personas": PERSONAS,
            "channels": CHANNELS,
            "persona": persona,
            "channel": channel,
            "sessions": sessions_for(request.user),
            "titles": {s.id: s.title for s in scenarios().values()},
        },
    )


@require_POST
@staff_required
def practice_start_view(request):
    try:
        data = _valid(PracticeStartIn, {"scenario": request.POST.get("scenario", "")})
        session = practice_start(learner=request.user, scenario_id=data.scenario)
    except DomainError as exc:
        report(request, exc)
        return redirect("practice_library")
    return redirect("practice_session", pk=session.pk)


@staff_required
def practice_session(request, pk: int):
    session = session_for(request.user, pk)
    view = session_view(session)
    return render(
        request,
        "practice/session.html",
        {
            **view,
            "session": session,
            "notice": NOTICE,
            "criteria": named(view["scenario"].criteria),
            "can_reply": session.is_active and session.learner_id == request.user.pk,
        },
    )


@require_POST
@staff_required
def practice_reply_view(request, pk: int):
    session = session_for(request.user, pk)
    try:
        data = _valid(PracticeReplyIn, {"text": request.POST.get("text", "")})
        practice_reply(session=session, learner=request.user, text=data.text)
    except DomainError as exc:
        report(request, exc)
        return redirect("practice_session", pk=pk)
    session.refresh_from_db()
    if not session.is_active:
        messages.success(request, f"The conversation has ended: {session.get_ending_display().lower()}")
        return redirect("practice_results", pk=pk)
    return redirect(f"{_url(pk)}#reply")


@require_POST
@staff_required
def practice_end_view(request, pk: int):
    try:
        practice_end(session=session_for(request.user, pk), learner=request.user)
    except DomainError as exc:
        report(request, exc)
        return redirect("practice_session", pk=pk)
    return redirect("practice_results", pk=pk)


@staff_required
def practice_results(request, pk: int):
    session = session_for(request.user, pk)
    if session.is_active:
        return redirect("practice_session", pk=pk)
    view = session_view(session)
    return render(request, "practice/results.html", {**view, "session": session, "notice": NOTICE})


def _valid(schema, data):
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc.errors()) from exc


def _url(pk: int) -> str:
    return reverse("practice_session", args=[pk])
