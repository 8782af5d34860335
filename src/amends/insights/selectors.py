"""What the dashboards and team performance read: grouped counts over `CaseFact`, always within what
the user may see (`core.permissions.case_scope`, which filters the fact's own team and owner columns).

Every function here is one query (two for `dimension_values`); `QUERIES` names them for
`amends bench reports`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from amends.cases.models import Case
from amends.core.permissions import can_see_every_case, case_scope, staff_of

from .models import CaseFact, DailyRollup

NONE = "-"  # a dimension value meaning "not recorded" (an empty product, no root cause)
DIMENSIONS = {
    "product": "Product",
    "channel": "Channel",
    "team": "Team",
    "regime": "Regime",
    "root_cause": "Root cause",
}
GRAINS = ("week", "month")


def _grain(filters: Filters) -> str:
    return filters.grain if filters.grain in GRAINS else "month"


@dataclass(frozen=True)
class Filters:
    """The dashboard's question: a period, a grain, and a value for any dimension ('' for all)."""

    start: date
    end: date  # inclusive
    grain: str = "month"
    kind: str = ""
    product: str = ""
    channel: str = ""
    team: str = ""  # a team id as text, or NONE
    regime: str = ""
    root_cause: str = ""
    support_needs: str = ""  # "", "yes", "no"
    extra: dict = field(default_factory=dict)

    def query(self, **changes: Any) -> dict[str, str]:
        """These filters as GET parameters (for links), with `changes` applied."""
        values = {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "grain": self.grain,
            "kind": self.kind,
            "product": self.product,
            "channel": self.channel,
            "team": self.team,
            "regime": self.regime,
            "root_cause": self.root_cause,
            "support_needs": self.support_needs,
        }
        values.update({k: str(v) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}

    def narrowed(self, **changes: Any) -> Filters:
        return replace(self, **changes)


def default_filters(today: date) -> Filters:
    """The last twelve whole months and this one, by month."""
    start = date(today.year - 1, today.month, 1)
    return Filters(start=start, end=today)


def _dimension_q(name: str, value: str) -> Q:
    column = "team_id" if name == "team" else name
    if value == NONE:
        return Q(**{f"{column}__isnull": True}) if name == "team" else Q(**{column: ""})
    return Q(**{column: value})


def facts_for(user: Any, filters: Filters) -> QuerySet[CaseFact]:
    """The facts this user may see that match every dimension filter (not the period)."""
    facts = CaseFact.objects.filter(case_scope(user))
    if filters.kind:
        facts = facts.filter(kind=filters.kind)
    for name in DIMENSIONS:
        value = getattr(filters, name)
        if value:
            facts = facts.filter(_dimension_q(name, value))
    if filters.support_needs:
        facts = facts.filter(support_needs=filters.support_needs == "yes")
    return facts


FILTER_DIMENSIONS = (*DIMENSIONS, "support_needs")


def _rollup_team(user: Any) -> int | str | None:
    """ "all" for one who sees every case; a team leader's team id when every case they see is their
    team's (they own none elsewhere: `case_scope` adds the cases they own); None otherwise."""
    if can_see_every_case(user):
        return "all"
    staff = staff_of(user)
    if staff is None or staff.team_id is None:
        return None
    if Case.objects.filter(owner_id=user.pk).exclude(team_id=staff.team_id).exists():
        return None
    return staff.team_id


def _rollups(user: Any, filters: Filters, on: str, dimension: str | None = None):
    """The daily rollups that answer this question, or None when only the facts can: the rollups hold
    everyone's cases or one team's (not any other scope) and one dimension at a time."""
    team = _rollup_team(user)
    if team is None:
        return None
    filtered = {name: getattr(filters, name) for name in FILTER_DIMENSIONS if getattr(filters, name)}
    if len(set(filtered) | ({dimension} if dimension else set())) > 1:
        return None
    rows = DailyRollup.objects.filter(on=on, day__range=(filters.start, filters.end))
    if team != "all":
        rows = rows.filter(team_id=team)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filtered:
        ((name, value),) = filtered.items()
        return rows.filter(dimension=name, value=value)
    return rows.filter(dimension=dimension or "all")


def _finished_aggregates() -> dict[str, Any]:
    return {
        "a_finished": Count("pk"),
        "a_upheld": Sum("upheld"),
        "a_with_finding": Count("upheld"),
        "a_within": Sum("within_deadline"),
        "a_with_deadline": Count("within_deadline"),
        "a_satisfied": Sum("satisfied"),
        "a_asked": Count("satisfied"),
        "a_kept": Sum("promises_kept"),
        "a_decided": Sum("promises_decided"),
        "a_reopened": Count("pk", filter=Q(reopens__gt=0)),
        "a_hours_sum": Sum("hours_to_resolve"),
        "a_hours_n": Count("hours_to_resolve"),
    }


def _rollup_aggregates() -> dict[str, Any]:
    """The same sums read from the daily rollups."""
    return {
        "a_finished": Sum("finished"),
        "a_upheld": Sum("upheld"),
        "a_with_finding": Sum("with_finding"),
        "a_within": Sum("within"),
        "a_with_deadline": Sum("with_deadline"),
        "a_satisfied": Sum("satisfied"),
        "a_asked": Sum("asked"),
        "a_kept": Sum("kept"),
        "a_decided": Sum("decided"),
        "a_reopened": Sum("reopened"),
        "a_hours_sum": Sum("hours_sum"),
        "a_hours_n": Sum("hours_n"),
    }


def _rate(part, whole) -> float | None:
    return round(100 * (part or 0) / whole, 1) if whole else None


def figures(row: dict[str, Any]) -> dict[str, Any]:
    """The measures of one group of finished cases, from `_finished_aggregates`' sums."""
    hours = row["a_hours_sum"] / row["a_hours_n"] if row.get("a_hours_n") else None
    return {
        "finished": row["a_finished"],
        "upheld_rate": _rate(row["a_upheld"], row["a_with_finding"]),
        "within_deadline_rate": _rate(row["a_within"], row["a_with_deadline"]),
        "satisfaction_rate": _rate(row["a_satisfied"], row["a_asked"]),
        "promises_kept_rate": _rate(row["a_kept"], row["a_decided"]),
        "reopen_rate": _rate(row["a_reopened"], row["a_finished"]),
        "days_to_resolve": round(hours / 24, 1) if hours is not None else None,
    }


def buckets(filters: Filters) -> list[date]:
    """The first day of every week or month of the period, in order."""
    out: list[date] = []
    if filters.grain == "week":
        day = filters.start - timedelta(days=filters.start.weekday())
        while day <= filters.end:
            out.append(day)
            day += timedelta(days=7)
    else:
        day = filters.start.replace(day=1)
        while day <= filters.end:
            out.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return out


def bucket_end(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=6)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1) - timedelta(days=1)


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def opened_by_period(user: Any, filters: Filters) -> dict[date, int]:
    """Cases opened in each bucket of the period."""
    rollups = _rollups(user, filters, "opened")
    if rollups is not None:
        grain = _grain(filters)
        return {
            _as_date(b): n
            for b, n in rollups.values(grain).annotate(n=Sum("cases")).values_list(grain, "n").order_by()
        }
    rows = (
        facts_for(user, filters)
        .filter(opened_on__range=(filters.start, filters.end))
        .values(f"opened_{_grain(filters)}")
        .annotate(n=Count("pk"))
        .values_list(f"opened_{_grain(filters)}", "n")
        .order_by()
    )
    return {_as_date(b): n for b, n in rows}


def finished_by_period(user: Any, filters: Filters) -> dict[date, dict[str, Any]]:
    """Every measure of the cases finished (resolved or closed) in each bucket of the period."""
    rollups = _rollups(user, filters, "finished")
    if rollups is not None:
        grain = _grain(filters)
        rows = rollups.values(grain).annotate(**_rollup_aggregates()).order_by()
        return {_as_date(row[grain]): figures(row) for row in rows}
    column = f"finished_{_grain(filters)}"
    rows = (
        facts_for(user, filters)
        .filter(finished_on__range=(filters.start, filters.end))
        .values(column)
        .annotate(**_finished_aggregates())
        .order_by()
    )
    return {_as_date(row[column]): figures(row) for row in rows}


def by_dimension(user: Any, filters: Filters, dimension: str) -> list[dict[str, Any]]:
    """Cases opened in the period per value of a dimension, with the measures of those finished."""
    rollups = _rollups(user, filters, "opened", dimension)
    if rollups is not None:
        rows = (
            rollups.filter(dimension=dimension)
            .values("value")
            .annotate(opened=Sum("cases"), **_rollup_aggregates())
            .order_by("-opened")
        )
        return [{"value": row["value"], "opened": row["opened"], **figures(row)} for row in rows]
    column = "team_id" if dimension == "team" else dimension
    aggregates = _finished_aggregates()
    aggregates["a_finished"] = Count("pk", filter=Q(finished_on__isnull=False))
    rows = (
        facts_for(user, filters)
        .filter(opened_on__range=(filters.start, filters.end))
        .values(column)
        .annotate(opened=Count("pk"), **aggregates)
        .order_by("-opened")
    )
    out = []
    for row in rows:
        value = row[column]
        out.append(
            {"value": NONE if value in (None, "") else str(value), "opened": row["opened"], **figures(row)}
        )
    return out


def support_needs_compare(user: Any, filters: Filters) -> dict[bool, dict[str, Any]]:
    """The measures of cases finished in the period for customers with support needs and the others."""
    rollups = _rollups(user, filters, "finished", "support_needs")
    if rollups is not None:
        rows = rollups.filter(dimension="support_needs").values("value").annotate(**_rollup_aggregates())
        return {row["value"] == "yes": figures(row) for row in rows.order_by()}
    rows = (
        facts_for(user, filters)
        .filter(finished_on__range=(filters.start, filters.end))
        .values("support_needs")
        .annotate(**_finished_aggregates())
    )
    return {row["support_needs"]: figures(row) for row in rows}


def drill_down(user: Any, filters: Filters, *, on: str = "opened") -> QuerySet[CaseFact]:
    """The cases behind a figure: opened (or finished, `on`) in the period and matching every filter,
    newest first, as their facts' case ids (the index on the day orders them; `cases_of` reads a page's
    cases)."""
    column = "finished_on" if on == "finished" else "opened_on"
    return (
        facts_for(user, filters)
        .filter(**{f"{column}__range": (filters.start, filters.end)})
        .order_by(f"-{column}", "-case_id")
        .values_list("case_id", flat=True)
    )


def cases_of(user: Any, ids: list[int]) -> list[Case]:
    """These cases (that the user may see), in the order given: one query."""
    found = Case.objects.filter(case_scope(user), pk__in=ids).select_related("team", "owner").in_bulk()
    return [found[i] for i in ids if i in found]


def performance(
    user: Any, *, team_id: int | None = None, person_id: int | None = None, months: int = 6, today: date
) -> list[dict[str, Any]]:
    """The measures of one team's or one person's finished cases, month by month (oldest first)."""
    start = date(today.year, today.month, 1)
    for _ in range(months - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    facts = CaseFact.objects.filter(case_scope(user), finished_on__range=(start, today))
    facts = facts.filter(team_id=team_id) if team_id is not None else facts.filter(owner_id=person_id)
    rows = {
        _as_date(row["finished_month"]): figures(row)
        for row in facts.values("finished_month").annotate(**_finished_aggregates()).order_by()
    }
    filters = Filters(start=start, end=today)
    return [{"month": b, **(rows.get(b) or figures(_EMPTY))} for b in buckets(filters)]


_EMPTY = {
    "a_finished": 0,
    "a_upheld": None,
    "a_with_finding": 0,
    "a_within": None,
    "a_with_deadline": 0,
    "a_satisfied": None,
    "a_asked": 0,
    "a_kept": None,
    "a_decided": 0,
    "a_reopened": 0,
    "a_hours_sum": None,
    "a_hours_n": 0,
}


def dimension_values(user: Any) -> dict[str, list[str]]:
    """The products and root causes recorded on the facts this user sees, for the filter form."""
    facts = CaseFact.objects.filter(case_scope(user))
    return {
        "product": sorted(facts.exclude(product="").values_list("product", flat=True).distinct()),
        "root_cause": sorted(facts.exclude(root_cause="").values_list("root_cause", flat=True).distinct()),
    }
