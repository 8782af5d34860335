"""Lessons learned, shared with the teams and people involved, each of whom is told and acknowledges it
(feedback to colleagues, CFACSC7 10)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import DomainError, NotFound, PermissionDenied
from amends.core.models import Team
from amends.core.permissions import WORKING_ROLES, can_view_case
from amends.core.services import audit_record, notify

from .models import ImprovementAction, Lesson, LessonRecipient
from .schemas import LessonIn
from .services import _text


def _recipients(teams: list[Team], people_ids: Iterable[int]) -> list[Any]:
    """Everyone the lesson goes to: the active members of the teams who work cases, and the people named
    (who must work cases too)."""
    people_ids = set(people_ids)
    users = list(
        get_user_model()
        .objects.filter(is_active=True, staff__role__in=WORKING_ROLES)
        .filter(Q(staff__team__in=teams) | Q(pk__in=people_ids))
        .order_by("pk")
    )
    named = {u.pk for u in users}
    if people_ids - named:
        raise NotFound("Lessons go to active colleagues who work cases", fields={"people": "unknown"})
    return users


@transaction.atomic
def lesson_share(
    *,
    actor: Any,
    title: str,
    what_happened: str,
    what_learned: str,
    what_changes: str,
    team_ids: Iterable[int] = (),
    people_ids: Iterable[int] = (),
    action: ImprovementAction | None = None,
    case: Case | None = None,
) -> Lesson:
    """Write a lesson and share it: each recipient gets a notification and acknowledges it on /lessons/."""
    title = _text(title, "title", limit=200)
    what_happened = _text(what_happened, "what_happened")
    what_learned = _text(what_learned, "what_learned")
    what_changes = _text(what_changes, "what_changes")
    team_ids = set(team_ids)
    teams = list(Team.objects.filter(pk__in=team_ids))
    if len(teams) != len(team_ids):
        raise NotFound("No such team", fields={"teams": "unknown"})
    if case is not None and not can_view_case(actor, case):
        raise PermissionDenied("A lesson from a case is shared by someone who may see the case")
    recipients = [u for u in _recipients(teams, people_ids) if u.pk != actor.pk]
    if not recipients:
        raise DomainError(
            "Share the lesson with at least one colleague (a team or a person)", fields={"teams": "required"}
        )
    lesson = Lesson.objects.create(
        title=title,
        what_happened=what_happened,
        what_learned=what_learned,
        what_changes=what_changes,
        action=action,
        case=case,
        shared_by=actor,
        shared_at=timezone.now(),
    )
    lesson.teams.set(teams)
    LessonRecipient.objects.bulk_create([LessonRecipient(lesson=lesson, user=u) for u in recipients])
    notify(
        users=recipients,
        text=f"A lesson learned to read and acknowledge: {title}",
        link=reverse("lesson", args=[lesson.pk]),
        urgent=False,
    )
    audit_record(
        actor=actor,
        kind="lesson.shared",
        obj=lesson,
        after={
            "teams": sorted(t.slug for t in teams),
            "people": [u.pk for u in recipients],
            "action": action.pk if action else None,
            "case": case.reference if case else None,
        },
    )
    return lesson


@transaction.atomic
def lesson_acknowledge(*, lesson: Lesson, user: Any) -> LessonRecipient:
    """The recipient read it; acknowledging twice changes nothing and says so."""
    row = LessonRecipient.objects.select_for_update().filter(lesson=lesson, user=user).first()
    if row is None:
        raise NotFound("That lesson was not shared with you")
    if row.acknowledged_at is not None:
        raise DomainError("You acknowledged it already", code="already", fields={"lesson": "acknowledged"})
    row.acknowledged_at = timezone.now()
    row.save(update_fields=["acknowledged_at"])
    audit_record(actor=user, kind="lesson.acknowledged", obj=lesson, after={"user": user.pk})
    return row


def lesson_share_from(*, actor: Any, data: LessonIn) -> Lesson:
    """The page's and the API's input shared: its action and case found (a case the actor may see)."""
    action = ImprovementAction.objects.filter(pk=data.action).first() if data.action else None
    if data.action and action is None:
        raise NotFound("No such improvement action", fields={"action": "unknown"})
    case = Case.objects.filter(reference=data.case).first() if data.case else None
    if data.case and (case is None or not can_view_case(actor, case)):
        raise NotFound(f"No case {data.case}", fields={"case": "unknown"})
    return lesson_share(
        actor=actor,
        title=data.title,
        what_happened=data.what_happened,
        what_learned=data.what_learned,
        what_changes=data.what_changes,
        team_ids=data.teams,
        people_ids=data.people,
        action=action,
        case=case,
    )
