"""The directory of who can help with what, and with which authority (CFACSC4 P14, K5: knowing the limits
of one's own authority and whom to ask). Staff by team, each with their role, what they can help with
(topics, products, skills: kept by them or their team leader, audited: core.services.staff_directory_set),
the authority limits of their role for remedies (process.authority), and how to reach them. Searchable;
the case page links to it ("Ask someone who can help") with the case's product or category as the search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.models import Role
from amends.core.permissions import can_edit_directory_entry
from amends.core.services import help_topics, staff_directory_set
from amends.core.web import report, staff_required

from .models import AuthorityLimit, RemedyType

QUERY_MAX = 100


@dataclass(frozen=True)
class Entry:
    person: Any
    topics: list[str]
    authority: list[str]  # "Refund up to £500", "Apology"
    editable: bool


def authority_words(limits: list[AuthorityLimit]) -> list[str]:
    """A role's authority limits in words, in the order of the remedy types."""
    by_type = {limit.remedy_type: limit for limit in limits if limit.allowed}
    words = []
    for remedy in RemedyType:
        limit = by_type.get(remedy.value)
        if limit is None:
            continue
        amount = f" up to £{limit.max_amount:,.2f}".replace(".00", "") if limit.max_amount is not None else ""
        words.append(f"{remedy.label}{amount}")
    return words


def directory_entries(user: Any, query: str = "") -> list[tuple[str, list[Entry]]]:
    """Active staff (not assessors: they judge work, they are not asked for help on a case), by team, those
    matching `query` (a word of their name, team, role, job title or what they help with). Three queries."""
    people = (
        get_user_model()
        .objects.filter(is_active=True, staff__isnull=False)
        .exclude(staff__role=Role.ASSESSOR)
        .select_related("staff__team")
        .order_by("staff__team__name", "first_name", "last_name", "username")
    )
    for word in query.split()[:8]:
        roles = [r.value for r in Role if word.lower() in r.label.lower()]
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__iexact=word)
            | Q(staff__team__name__icontains=word)
            | Q(staff__job_title__icontains=word)
            | Q(staff__helps_with__icontains=word)
            | Q(staff__role__in=roles)
        )
    limits: dict[str, list[AuthorityLimit]] = {}
    for limit in AuthorityLimit.objects.all():
        limits.setdefault(limit.role, []).append(limit)
    teams: dict[str, list[Entry]] = {}
    for person in people:
        staff = person.staff
        team = staff.team.name if staff.team_id else "Across every team"
        teams.setdefault(team, []).append(
            Entry(
                person=person,
                topics=help_topics(staff.helps_with),
                authority=authority_words(limits.get(staff.role, [])),
                editable=can_edit_directory_entry(user, person),
            )
        )
    return list(teams.items())


@staff_required
def directory(request):
    query = request.GET.get("q", "").strip()[:QUERY_MAX]
    teams = directory_entries(request.user, query)
    return render(
        request,
        "process/directory.html",
        {"teams": teams, "query": query, "found": sum(len(entries) for _, entries in teams)},
    )


@require_POST
@staff_required
def directory_edit(request, user_id: int):
    person = get_user_model().objects.filter(pk=user_id, is_active=True, staff__isnull=False).first()
    if person is None:
        raise Http404("No such member of staff")
    try:
        staff_directory_set(
            user=person,
            helps_with=request.POST.get("helps_with", ""),
            reach=request.POST.get("reach", ""),
            actor=request.user,
        )
        messages.success(request, "Directory entry saved")
    except DomainError as exc:
        report(request, exc)
    return redirect(f"{reverse('directory')}#person-{person.pk}")
