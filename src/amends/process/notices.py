"""Telling the people on a case what the worker found: the owner, and the team's leaders when it matters.

A person with many notes in one sweep (a morning's breaches) gets the first few and one summary line,
not hundreds of rows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.urls import reverse

from amends.cases.models import Case
from amends.core.models import Role
from amends.core.services import notify_each

DIGEST_AFTER = 3  # more notes than this for one person in one batch become one summary line


class Note(NamedTuple):
    case: Case
    text: str
    to_leaders: bool = False  # the case's team leaders are told too
    to: Any = None  # who is told: the case's owner unless someone else is named (a promise's owner)


def notify_case_people(notes: list[Note]) -> None:
    """Notify each case's owner (and, where the flag is set, its team's leaders); two queries whatever the
    number of notes. The rows are written in the caller's transaction, with the rows that caused them: a
    worker killed after committing a batch has told everyone, and one killed before has told no one."""
    if not notes:
        return
    notes = [Note(*note) for note in notes]
    leaders = _leaders_by_team({n.case.team_id for n in notes if n.to_leaders and n.case.team_id})
    per_user: dict[int, tuple[Any, list[tuple[Case, str]]]] = {}
    for case, text, to_leaders, to in notes:
        people = [to] if to is not None else [case.owner] if case.owner_id else []
        if to_leaders:
            people += leaders.get(case.team_id, [])
        for user in people:
            per_user.setdefault(user.pk, (user, []))[1].append((case, text))
    rows = []
    for user, items in per_user.values():
        shown = items if len(items) <= DIGEST_AFTER else items[: DIGEST_AFTER - 1]
        rows += [(user, text, reverse("case_detail", args=[case.reference])) for case, text in shown]
        if len(items) > len(shown):
            more = f"{len(items) - len(shown)} more cases need attention: see the due queue"
            rows.append((user, more, reverse("queue") + "?queue=due"))
    notify_each(rows)


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
