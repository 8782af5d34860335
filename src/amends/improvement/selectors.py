"""Reads for the improvement pages and API: the log, one action with its measure before and after, the
lessons a person was given and those they shared."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from amends.core.errors import NotFound

from . import measures
from .chart import Bar, bar_chart
from .models import CheckResult, ImprovementAction, ImprovementEvent, Lesson, LessonRecipient, Stage


def actions_listed(*, stage: str = "") -> list[ImprovementAction]:
    rows = ImprovementAction.objects.select_related("owner").prefetch_related("root_causes")
    if stage == "open":
        rows = rows.exclude(stage__in=["closed", "abandoned"])
    elif stage:
        rows = rows.filter(stage=stage)
    return list(rows.order_by("due_date", "id")[:500])


def action_get(pk: int) -> ImprovementAction:
    action = (
        ImprovementAction.objects.select_related("owner", "created_by")
        .prefetch_related("root_causes__parent", "cases")
        .filter(pk=pk)
        .first()
    )
    if action is None:
        raise NotFound("No such improvement action")
    return action


@dataclass
class Week:
    start: date
    count: int
    window: str  # before, after or between


@dataclass
class MeasureView:
    before: measures.Figures
    after: measures.Figures | None  # None until the after window has started
    weeks: list[Week] = field(default_factory=list)
    svg: SafeString = mark_safe("")  # noqa: S308 (empty)
    after_to: date | None = None
    suggested: str = ""

    @property
    def suggested_label(self) -> str:
        return CheckResult(self.suggested).label if self.suggested else ""


def action_measure(action: ImprovementAction, *, today: date | None = None) -> MeasureView:
    """The measure now: the before window, the after window so far, and week by week from the before
    window's start to the after window's end (or today): three queries."""
    today = today or timezone.localdate()
    spec = measures.spec_of(action)
    before = measures.window_figures(spec, measures.Window(action.before_start, action.before_end))
    view = MeasureView(before=before, after=None)
    end = min(action.after_end, today)
    if action.after_start <= today:
        view.after_to = end
        view.after = measures.window_figures(spec, measures.Window(action.after_start, end))
        view.suggested = measures.suggested_result(before, view.after)
    series = measures.weekly_series(spec, measures.Window(action.before_start, max(end, action.before_end)))
    for start, count in series:
        stop = start + timedelta(days=6)
        window = (
            "before" if stop <= action.before_end else "after" if start >= action.after_start else "between"
        )
        view.weeks.append(Week(start, count, window))
    view.svg = mark_safe(  # noqa: S308 (chart.py escapes every text it draws)
        bar_chart(
            [Bar(w.start.strftime("%-d %b"), w.count, w.window) for w in view.weeks],
            title=f"{action.get_measure_display()}: before and after",
            before_avg=float(before.per_week),
            after_avg=float(view.after.per_week) if view.after else None,
        )
    )
    return view


def lessons_received(user: Any) -> list[LessonRecipient]:
    return list(
        LessonRecipient.objects.filter(user=user)
        .select_related("lesson__shared_by")
        .order_by("acknowledged_at", "-lesson__shared_at")[:200]
    )


def lessons_shared(user: Any, *, everyone: bool = False) -> list[Lesson]:
    """Lessons this person shared (or every lesson, for those who see every answer), with how many of
    those told have acknowledged."""
    rows = Lesson.objects.all() if everyone else Lesson.objects.filter(shared_by=user)
    return list(
        rows.select_related("shared_by")
        .annotate(
            told=Count("recipients"),
            acknowledged=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)),
        )
        .order_by("-shared_at")[:200]
    )


def lesson_get(pk: int) -> Lesson:
    lesson = (
        Lesson.objects.select_related("shared_by", "action", "case")
        .prefetch_related("teams")
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise NotFound("No such lesson")
    return lesson


def lesson_answers(lesson: Lesson) -> tuple[list[LessonRecipient], list[LessonRecipient]]:
    """Who has acknowledged it (when), and who has not yet."""
    rows = list(lesson.recipients.select_related("user__staff__team").order_by("user__last_name", "user__pk"))
    return [r for r in rows if r.acknowledged_at], [r for r in rows if not r.acknowledged_at]


def improvements_made(start: Any, end: Any) -> list[dict]:
    """The service improvements made between `start` and `end` (datetimes, end excluded) for a published
    report, as they stood at `end`, read from the actions' append-only events so a past period reads the
    same whatever happened since: every action past Plan by `end` (not abandoned by then) with a change in
    the period. Each a dict: "title", "cause" (its root causes; these two as the action reads now), "stage"
    and "outcome" (the check's result, if one was recorded by `end`)."""
    labels, results = dict(Stage.choices), dict(CheckResult.choices)
    events = (
        ImprovementEvent.objects.filter(at__lt=end, kind__in=["stage_changed", "check_recorded"])
        .select_related("action")
        .prefetch_related("action__root_causes")
        .order_by("action_id", "at", "id")
    )
    stood: dict[int, dict] = {}
    for event in events:
        row = stood.setdefault(
            event.action_id, {"action": event.action, "stage": "", "outcome": "", "in": False}
        )
        if event.kind == "stage_changed":
            row["stage"] = event.to_stage
        else:
            row["outcome"] = results.get(event.data.get("result", ""), "")
        row["in"] = row["in"] or event.at >= start
    return [
        {
            "title": row["action"].title,
            "cause": ", ".join(sorted(c.name for c in row["action"].root_causes.all())),
            "stage": labels[row["stage"]],
            "outcome": row["outcome"],
        }
        for row in stood.values()
        if row["in"] and row["stage"] not in ("", Stage.PLAN, Stage.ABANDONED)
    ]
