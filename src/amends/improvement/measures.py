"""The measure an improvement action is checked by: complaints per week, counted by index-backed queries.

- `root_cause`: findings that are their case's current finding (no later version) naming one of the action's
  root causes, or one under a chosen group, by the day the finding was recorded
  (index `finding_cause_recorded` on process.Finding (root_cause, recorded_at); the "no later version" test
  uses the unique (case, version) index).
- `product`: complaints about the product, by the day they were opened (index `case_product_opened` on
  cases.Case (product, opened_at)).

A window is a span of whole days, both ends included, in the organisation's time zone; its rate is its count
divided by its length in weeks (days / 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from amends.cases.models import Case, CaseKind
from amends.process.models import Finding, RootCause


@dataclass(frozen=True)
class Window:
    start: date
    end: date  # included

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def weeks(self) -> Decimal:
        return Decimal(self.days) / Decimal(7)


@dataclass(frozen=True)
class Figures:
    count: int
    per_week: Decimal


@dataclass(frozen=True)
class MeasureSpec:
    """What to count: `measure` is a `models.Measure` value."""

    measure: str
    root_cause_ids: tuple[int, ...] = ()
    product: str = ""


def spec_of(action) -> MeasureSpec:
    return MeasureSpec(
        measure=action.measure,
        root_cause_ids=tuple(rc.pk for rc in action.root_causes.all()),
        product=action.product,
    )


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _with_children(ids: Iterable[int]) -> list[int]:
    """The root causes and those under them (a group measures everything under it)."""
    ids = list(ids)
    return ids + list(RootCause.objects.filter(parent_id__in=ids).values_list("pk", flat=True))


def _rows(spec: MeasureSpec, window: Window) -> tuple[QuerySet, str]:
    """The rows counted in the window, and the name of the moment each is counted at."""
    start, end = _moment(window.start), _moment(window.end + timedelta(days=1))
    if spec.measure == "product":
        rows = Case.objects.filter(
            product=spec.product, opened_at__gte=start, opened_at__lt=end, kind=CaseKind.COMPLAINT
        )
        return rows, "opened_at"
    later = Finding.objects.filter(case_id=OuterRef("case_id"), version__gt=OuterRef("version"))
    rows = Finding.objects.filter(
        root_cause_id__in=_with_children(spec.root_cause_ids), recorded_at__gte=start, recorded_at__lt=end
    ).filter(~Exists(later))
    return rows, "recorded_at"


def window_figures(spec: MeasureSpec, window: Window) -> Figures:
    rows, _ = _rows(spec, window)
    count = rows.count()
    per_week = (Decimal(count) / window.weeks).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Figures(count=count, per_week=per_week)


def daily_counts(spec: MeasureSpec, window: Window) -> dict[date, int]:
    rows, moment = _rows(spec, window)
    return dict(
        rows.annotate(day=TruncDate(moment))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
        .order_by()
    )


def weekly_series(spec: MeasureSpec, window: Window) -> list[tuple[date, int]]:
    """Counts in 7-day buckets from the window's start (the last may be shorter), in one query."""
    days = daily_counts(spec, window)
    series = []
    start = window.start
    while start <= window.end:
        stop = min(start + timedelta(days=6), window.end)
        series.append((start, sum(n for day, n in days.items() if start <= day <= stop)))
        start += timedelta(days=7)
    return series


def suggested_result(before: Figures, after: Figures) -> str:
    """A first reading for the person checking (they decide): a fall of a fifth or more is effective, no
    fall is not, too few to tell (under 5 in both windows) is inconclusive."""
    if before.count < 5 and after.count < 5:
        return "inconclusive"
    if after.per_week <= before.per_week * Decimal("0.8"):
        return "effective"
    if after.per_week >= before.per_week:
        return "not_effective"
    return "inconclusive"
