"""Reads behind the queues and the case page. Each runs a fixed number of queries whatever the data size."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import IntegerField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from amends.core.cursors import PK, PK_MAX, decode_cursor, encode_cursor
from amends.core.errors import DomainError, NotFound
from amends.core.permissions import (
    assignable_scope,
    can_assign_cases,
    can_see_every_case,
    can_work_case,
    case_scope,
    require,
    staff_of,
)
from amends.customers.models import ContactPoint, Customer
from amends.customers.normalise import normalise_email, normalise_phone

from .hooks import queue_filters
from .lifecycle import OPEN_STATUSES, Status
from .models import Case, Tag
from .search import best_matches
from .tags import tag_normalised

SORTS = {"": "Latest contact", "risk": "Risk"}
HIGH_RISK = 60
QUEUES = {
    "mine": "Mine",
    "team": "My team's",
    "unassigned": "Unassigned",
    "due": "Due soon",
    "all": "All I can see",
}
REFERENCE_RE = re.compile(r"^\s*AM-\d{4}-\d{6,}\s*$", re.I)
SEARCH_LIMIT = 200


def case_for(user: Any, reference: str, *, work: bool = False) -> Case:
    """The case with this reference, if the user may see it; with `work`, if they may also change it.

    The one question every case page, form and endpoint asks first. Raises NotFound when the user cannot
    see it (a page shows a 404, the API its not_found error) and PermissionDenied when they can see it but
    not work on it (the page says so, the API answers 403).
    """
    case = _visible(user).filter(reference=reference).first()
    return _checked(user, reference, case, work=work)


def cases_for(user: Any, references: list[str], *, work: bool = False) -> dict[str, Case | DomainError]:
    """`case_for` for many references in one query (the queue's bulk actions): by reference, the case, or
    the NotFound or PermissionDenied that `case_for` would have raised for it."""
    found = {case.reference: case for case in _visible(user).filter(reference__in=references)}
    answers: dict[str, Case | DomainError] = {}
    for reference in references:
        try:
            answers[reference] = _checked(user, reference, found.get(reference), work=work)
        except DomainError as refusal:
            answers[reference] = refusal
    return answers


def _visible(user: Any) -> QuerySet[Case]:
    return Case.objects.select_related("customer", "owner", "team", "priority").filter(case_scope(user))


def _checked(user: Any, reference: str, case: Case | None, *, work: bool) -> Case:
    if case is None:
        raise NotFound(f"No case {reference} that you can see")
    if work:
        require(can_work_case(user, case), "You can view this case but not work on it")
    return case


def assignable_people(case: Case) -> QuerySet:
    """The people this case may be given to (`core.permissions.assignable_scope`: those who work cases, in
    its team or seeing every case), by name, each with `open_cases`, the open cases they own: one query."""
    return _with_workload(assignable_scope(case.team_id))


def bulk_assignees(user: Any) -> QuerySet:
    """Whom the queue's bulk assign offers, as `assignable_people` lists them: for someone who assigns,
    everyone who may work their team's cases (everyone who works cases, for someone who sees every team);
    for anyone else only themselves, to take unassigned cases. Each case still refuses an owner who may not
    work it (`owner_refusal`)."""
    if not can_assign_cases(user):
        return _with_workload(Q(pk=user.pk) & assignable_scope(None))
    staff = staff_of(user)
    team_id = None if can_see_every_case(user) or staff is None else staff.team_id
    return _with_workload(assignable_scope(team_id))


def _with_workload(scope: Q) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(scope)
        .select_related("staff__team")
        .annotate(open_cases=_open_cases_counted_to(WORKLOAD_CAP))
        .order_by("first_name", "last_name", "username")
    )


# Workload is counted up to this many open cases: the count reads at most this many index entries per
# person (index case_owner_status), so the case page costs the same whoever owns 100 or 200,000 cases. A
# full COUNT took 3.5-5 s per case page at a million cases, where a few owners held them all.
WORKLOAD_CAP = 100


def _open_cases_counted_to(cap: int) -> RawSQL:
    user_table = get_user_model()._meta.db_table
    statuses = [s.value for s in OPEN_STATUSES]
    marks = ", ".join(["%s"] * len(statuses))
    # constant SQL; the statuses and the cap go in as parameters
    return RawSQL(  # noqa: S611
        f"SELECT COUNT(*) FROM cases_case WHERE id IN (SELECT id FROM cases_case "  # noqa: S608
        f"WHERE owner_id = {user_table}.id AND status IN ({marks}) LIMIT %s)",
        [*statuses, cap],
        output_field=IntegerField(),
    )


def assignee_label(person) -> str:
    """A person one may assign to, as the assign list shows them: name, team (or role, for someone who
    sees every team) and the open cases they own (`assignable_people` counts them)."""
    staff = person.staff
    if staff.team_id:
        where = staff.team.name
    else:
        where = f"{staff.get_role_display()}, {'every team' if can_see_every_case(person) else 'no team'}"
    open_cases = getattr(person, "open_cases", None)
    if open_cases is None:
        workload = ""
    elif open_cases >= WORKLOAD_CAP:
        workload = f" · {WORKLOAD_CAP}+ open cases"
    else:
        workload = f" · {open_cases} open case{'' if open_cases == 1 else 's'}"
    return f"{person.get_full_name() or person.get_username()} · {where}{workload}"


# The queue's status filter, each value once: "open" (the default, and the API's) means every unfinished
# status, so the one status called Open is "open_only". Both meant by the one value "open" listed "Open"
# twice, and the second could never be chosen.
STATUS_FILTERS: list[tuple[str, str]] = [
    ("open", "Unfinished (new, open or awaiting customer)"),
    ("all", "Any"),
    *[("open_only" if s == Status.OPEN else s.value, s.label) for s in Status],
]


@dataclass
class QueueFilters:
    queue: str = "team"
    status: str = "open"  # one of STATUS_FILTERS
    kind: str = ""
    channel: str = ""
    q: str = ""
    after: str = ""  # the keyset cursor of the last row on the previous page
    sort: str = ""  # "" = latest contact first (or due first on the due queue); "risk" = riskiest first
    risk: str = ""  # "" any; "high" = risk 60 and over; or the code of a registered queue filter
    tag: str = ""  # a tag's name, in any case or spacing; "" any


@dataclass
class Page:
    rows: list[Case]
    next_cursor: str | None
    searching: bool = False
    notes: list[str] = field(default_factory=list)


def risk_filters() -> dict[str, str]:
    """The queue's risk filters by code: its own, then those the apps above registered (queue_filters)."""
    return {"": "Any", "high": "High risk (60+)"} | {f.code: f.label for f in queue_filters}


def default_queue(user: Any) -> str:
    staff = staff_of(user)
    if staff is None or staff.team_id is None:
        return "all"
    return "team"


def _base(user: Any, filters: QueueFilters) -> QuerySet[Case]:
    qs = Case.objects.filter(case_scope(user))
    staff = staff_of(user)
    if filters.queue == "mine":
        qs = qs.filter(owner_id=user.pk)
    elif filters.queue == "team" and staff is not None and staff.team_id is not None:
        qs = qs.filter(team_id=staff.team_id)
    elif filters.queue == "unassigned":
        qs = qs.filter(owner__isnull=True)
    if filters.status == "open" or filters.queue == "due":
        qs = qs.filter(status__in=[s.value for s in OPEN_STATUSES])
    elif filters.status == "open_only":
        qs = qs.filter(status=Status.OPEN)
    elif filters.status and filters.status != "all":
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.tag:
        qs = qs.filter(tags__normalised=tag_normalised(filters.tag))
    if filters.risk == "high":
        qs = qs.filter(risk__gte=HIGH_RISK)
    elif filters.risk:
        for queue_filter in queue_filters:
            if queue_filter.code == filters.risk:
                qs = queue_filter(qs)
    return qs


def case_queue(user: Any, filters: QueueFilters, *, page_size: int = 25) -> Page:
    qs = _base(user, filters).select_related("customer", "owner", "team", "priority").prefetch_related("tags")
    if filters.q.strip():
        return _search(qs, filters.q.strip(), page_size)
    if filters.queue == "due":
        horizon = timezone.now() + timedelta(days=settings.AMENDS_DUE_SOON_DAYS)
        qs = qs.filter(respond_by__lte=horizon)
    if filters.sort == "risk":
        return _by_risk(qs, filters, page_size)
    if filters.queue == "due":
        qs = qs.order_by("respond_by", "id")
        key = "respond_by"
    else:
        qs = qs.order_by("-last_activity_at", "-id")
        key = "last_activity_at"
    cursor = decode_cursor(filters.after) if filters.after else None
    if cursor is not None and cursor[0] is not None:
        value, pk = cursor
        if key == "respond_by":
            qs = qs.filter(Q(respond_by__gt=value) | Q(respond_by=value, id__gt=pk))
        else:
            qs = qs.filter(Q(last_activity_at__lt=value) | Q(last_activity_at=value, id__lt=pk))
    rows = list(qs[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = encode_cursor(getattr(last, key), last.pk)
    return Page(rows=rows, next_cursor=next_cursor)


def _by_risk(qs: QuerySet[Case], filters: QueueFilters, page_size: int) -> Page:
    """Riskiest first, newest first within a risk; keyset-paged on (risk, id) so page 500 is as fast."""
    qs = qs.order_by("-risk", "-id")
    cursor = decode_risk_cursor(filters.after) if filters.after else None
    if cursor is not None:
        risk, pk = cursor
        qs = qs.filter(Q(risk__lt=risk) | Q(risk=risk, id__lt=pk))
    rows = list(qs[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        next_cursor = f"r{rows[-1].risk}.{rows[-1].pk}"
    return Page(rows=rows, next_cursor=next_cursor)


def decode_risk_cursor(cursor: str) -> tuple[int, int] | None:
    match = re.fullmatch(rf"r([0-9]{{1,3}})\.({PK})", cursor)
    return (int(match[1]), int(match[2])) if match and int(match[2]) <= PK_MAX else None


def _search(qs: QuerySet[Case], q: str, page_size: int) -> Page:
    """A reference, an email address or a phone number finds exactly; anything else searches the words of
    the case (summary, customer's name, messages), best match first."""
    notes: list[str] = []
    if REFERENCE_RE.match(q):
        rows = list(qs.filter(reference=q.strip().upper())[:1])
        return Page(rows=rows, next_cursor=None, searching=True)
    contact = (
        normalise_email(q) if "@" in q else normalise_phone(q) if re.fullmatch(r"[\d\s+()-]{6,}", q) else None
    )
    if contact:
        customer_ids = ContactPoint.objects.filter(normalised=contact).values("customer_id")
        rows = list(qs.filter(customer_id__in=customer_ids).order_by("-last_activity_at", "-id")[:page_size])
        return Page(rows=rows, next_cursor=None, searching=True)
    best, ranked = best_matches(qs, q, limit=SEARCH_LIMIT)
    by_id = qs.in_bulk(best[:page_size]) if best else {}
    rows = [by_id[pk] for pk in best[:page_size] if pk in by_id]
    if ranked >= SEARCH_LIMIT:
        notes.append(f"Ranked among the newest {SEARCH_LIMIT} matches; add words to narrow it down.")
    return Page(rows=rows, next_cursor=None, searching=True, notes=notes)


def tags_in_use(limit: int = 500) -> list[Tag]:
    """The organisation's tags by name: what the queue filters by and the tag boxes suggest."""
    return list(Tag.objects.order_by("normalised")[:limit])


def customer_cases(user: Any, customer: Customer, *, limit: int = 100) -> list[Case]:
    """The customer's cases this user may see, newest first."""
    return list(
        Case.objects.filter(case_scope(user), customer=customer)
        .select_related("owner", "team")
        .order_by("-opened_at")[:limit]
    )
