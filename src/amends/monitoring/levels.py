"""The levels source: complaints per period per category, and each period's exposure (every case opened).

Two grouped counts per dimension (every case opened, by week; complaints, by week and category), each a
range scan of the `case_opened_kind` index (cases.Case) over the 30 weeks the check reads.
The insights app's stored, incrementally maintained aggregates may replace this function later (the same
answer from its tables): nothing else in monitoring reads the cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.db import models
from django.db.models import Count, IntegerField, Value, When

from amends.cases.models import Case, CaseKind
from amends.customers.models import Channel
from amends.process.models import Finding

# What a category is, per dimension: the field of the case (or its finding) grouped by, and its label.
DIMENSIONS = {
    "product": ("product", "Product"),
    "root_cause": ("root_cause__name", "Root cause"),
    "channel": ("channel", "Channel"),
    "team": ("team__name", "Team"),
    "regime": ("process__regime_version__regime__name", "Regime"),
}
PERIOD = timedelta(days=7)


@dataclass(frozen=True)
class Levels:
    starts: list[datetime]  # each period's first moment (UTC); a period runs a week from it
    exposure: list[int]  # every case opened in the period, whatever its kind or category
    series: dict[str, list[int]]  # category -> complaints opened per period


def period_start(moment: datetime) -> datetime:
    """The Monday 00:00 UTC that starts the week `moment` falls in."""
    day = moment.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time(0), tzinfo=UTC)


def last_complete_period(now: datetime) -> datetime:
    """The start of the last whole week before `now`."""
    return period_start(now) - PERIOD


def category_label(dimension: str, value: str) -> str:
    if dimension == "channel":
        return dict(Channel.choices).get(value, value)
    return value


def levels(*, dimension: str, last: datetime, periods: int) -> Levels:
    """Complaints per category of `dimension` in each of `periods` weeks, the last starting at `last`."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"Unknown dimension {dimension!r}")
    field = DIMENSIONS[dimension][0]
    starts = [last - PERIOD * (periods - 1 - i) for i in range(periods)]
    opened = {"opened_at__gte": starts[0], "opened_at__lt": last + PERIOD}
    exposure = [0] * periods
    for i, n in Case.objects.filter(**opened).values_list(_week(starts)).annotate(n=Count("id")).order_by():
        exposure[i] = n
    if dimension == "root_cause":
        rows = (
            Finding.objects.filter(
                case__kind=CaseKind.COMPLAINT, **{f"case__{k}": v for k, v in opened.items()}
            )
            .exclude(root_cause__isnull=True)
            .values_list(_week(starts, "case__opened_at"), field)
            .annotate(n=Count("case", distinct=True))
            .order_by()
        )
    else:
        rows = (
            Case.objects.filter(kind=CaseKind.COMPLAINT, **opened)
            .values_list(_week(starts), field)
            .annotate(n=Count("id"))
            .order_by()
        )
    series: dict[str, list[int]] = {}
    for i, value, n in rows:
        if value:
            series.setdefault(value, [0] * periods)[i] = n
    return Levels(starts=starts, exposure=exposure, series=series)


def _week(starts: list[datetime], field: str = "opened_at") -> models.Case:
    """Which period a row falls in, as plain comparisons the database makes itself (a date function would
    be a Python call per row on SQLite)."""
    whens = [When(**{f"{field}__lt": start + PERIOD}, then=Value(i)) for i, start in enumerate(starts)]
    return models.Case(*whens, default=Value(-1), output_field=IntegerField())


def period_label(start: datetime) -> str:
    return f"w/c {start.date():%d %b %Y}"
