"""Telling the people on a case what the worker found: the owner, and the team's leaders when it matters.

Urgent notes (a breach, a broken promise) are told one by one, and a person with many in one sweep (a
morning's breaches) gets the first few and one summary line. Routine reminders (a clock at risk, a promise
coming due, a customer owed a progress update, a task overdue) go into one digest per person and topic, which
says how many and links to the queue filtered to them (or a page of its own); a case already in an unread
digest is not told again.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.urls import reverse

from amends.cases.models import Case
from amends.core.models import Role
from amends.core.services import notify_digest, notify_each

DIGEST_AFTER = 3  # more urgent notes than this for one person in one batch become one summary line


class Topic(NamedTuple):
    """A kind of routine reminder: what its digest says, and the list that shows them: the queue filter
    (`?risk=`) in the person's own queue (their team's for a team leader), or a page of its own."""

    many: str  # "{n} ..."
    queue_filter: str = ""
    page: str = ""  # a URL name, instead of the queue


CLOCK_WARNING, PROMISE_REMINDER, UPDATE_DUE = "clock_warning", "promise_reminder", "progress_update"
TASK_OVERDUE = "task_overdue"
TOPICS = {
    CLOCK_WARNING: Topic("{n} clocks are close to their due time", queue_filter="clock_at_risk"),
    PROMISE_REMINDER: Topic("{n} promises you made are due soon", page="my_promises"),
    UPDATE_DUE: Topic("{n} customers are due a progress update", queue_filter="update_due"),
    TASK_OVERDUE: Topic("{n} tasks you own are overdue", page="my_promises"),
}


class Note(NamedTuple):
    case: Case
    text: str
    to_leaders: bool = False  # the case's team leaders are told too
    to: Any = None  # who is told: the case's owner unless someone else is named (a promise's owner)
    topic: str = ""  # a routine reminder's (TOPICS), folded into a digest; "" for an urgent note
    subject: str = ""  # what a routine reminder is about, if not just the case (a clock, a promise)


def notify_case_people(notes: list[Note]) -> None:
    """Notify each case's owner (and, where the flag is set, its team's leaders); a few queries whatever
    the number of notes. The rows are written in the caller's transaction, with the rows that caused them:
    a worker killed after committing a batch has told everyone, and one killed before has told no one."""
    if not notes:
        return
    notes = [Note(*note) for note in notes]
    leaders = _leaders_by_team({n.case.team_id for n in notes if n.to_leaders and n.case.team_id})
    urgent: dict[int, tuple[Any, list[tuple[Case, str]]]] = {}
    routine: dict[str, list[tuple[Any, str, str, str]]] = {}
    as_leader: set[int] = set()
    for note in notes:
        people = [note.to] if note.to is not None else [note.case.owner] if note.case.owner_id else []
        if note.to_leaders:
            team_leaders = leaders.get(note.case.team_id, [])
            as_leader.update(u.pk for u in team_leaders)
            people += team_leaders
        link = reverse("case_detail", args=[note.case.reference])
        for user in people:
            if note.topic:
                subject = note.subject or note.case.reference
                routine.setdefault(note.topic, []).append((user, subject, note.text, link))
            else:
                urgent.setdefault(user.pk, (user, []))[1].append((note.case, note.text))
    _notify_urgent(urgent)
    for code, items in routine.items():
        notify_digest(topic=code, items=items, summary=_summary(TOPICS[code], as_leader))


def _notify_urgent(per_user: dict[int, tuple[Any, list[tuple[Case, str]]]]) -> None:
    rows = []
    for user, items in per_user.values():
        shown = items if len(items) <= DIGEST_AFTER else items[: DIGEST_AFTER - 1]
        rows += [(user, text, reverse("case_detail", args=[case.reference])) for case, text in shown]
        if len(items) > len(shown):
            more = f"{len(items) - len(shown)} more cases need attention: see the due queue"
            rows.append((user, more, reverse("queue") + "?queue=due"))
    notify_each(rows, urgent=True)


def _summary(topic: Topic, as_leader: set[int]):
    def summary(user: Any, count: int) -> tuple[str, str]:
        if topic.page:
            return topic.many.format(n=count), reverse(topic.page)
        queue = "team" if user.pk in as_leader else "mine"
        return topic.many.format(n=count), f"{reverse('queue')}?queue={queue}&risk={topic.queue_filter}"

    return summary


def _leaders_by_team(team_ids: set[int]) -> dict[int, list]:
    leaders: dict[int, list] = {}
    if not team_ids:
        return leaders
    for user in (
        get_user_model()
        .objects.filter(is_active=True, staff__team_id__in=team_ids, staff__role=Role.TEAM_LEADER)
        .select_related("staff")
    ):
        leaders.setdefault(user.staff.team_id, []).append(user)
    return leaders
