"""The insights pages: the dashboard with its charts and tables, the cases behind any figure, and team
performance with its objectives. Figures come from insights.selectors; objectives change through
insights.services."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.models import StaffProfile, Team
from amends.core.permissions import (
    can_see_insights,
    can_see_performance,
    can_set_objectives,
    performance_people_scope,
    performance_teams_scope,
    staff_of,
)
from amends.core.web import form_errors, report, staff_required
from amends.process.models import RootCause
from amends.regimes.models import Regime

from . import selectors, services
from .forms import FilterForm, ObjectiveForm
from .models import HIGHER_IS_BETTER, Measure, Objective
from .selectors import DIMENSIONS, NONE, Filters

RATES = [
    ("upheld_rate", "Upheld (% of findings)", "%"),
    ("within_deadline_rate", "Within deadline (%)", "%"),
    ("promises_kept_rate", "Promises kept (%)", "%"),
    ("satisfaction_rate", "Satisfied (% of those asked)", "%"),
    ("reopen_rate", "Re-opened (% of finished cases)", "%"),
    ("days_to_resolve", "Days to resolve (average)", "days"),
]
COMPARED = [r for r in RATES if r[2] == "%"]
TOP = 12  # values of a dimension shown in its chart; the table lists them all


def _allowed(allowed: bool, message: str) -> None:
    if not allowed:
        raise Http404(message)


def _label(bucket: date, grain: str) -> str:
    return f"w/c {bucket:%d %b %Y}" if grain == "week" else f"{bucket:%b %Y}"


def _cases_url(filters: Filters, *, on: str, **changes: Any) -> str:
    return reverse("insights_cases") + "?" + urlencode(filters.query(on=on, **changes))


def _names(dimension: str, teams: dict[str, str]) -> dict[str, str]:
    if dimension == "team":
        return teams
    if dimension == "regime":
        return {r.code: r.name for r in Regime.objects.all()}
    if dimension == "root_cause":
        return {c.code: str(c) for c in RootCause.objects.select_related("parent")}
    if dimension == "channel":
        from amends.customers.models import Channel

        return dict(Channel.choices)
    return {}


def dashboard_charts(user: Any, filters: Filters, by: str) -> list[dict[str, Any]]:
    """Every chart of the dashboard as data: labels, datasets (each value with the link to its cases)."""
    visible_teams = {str(t.pk): t.name for t in Team.objects.all()}
    periods = selectors.buckets(filters)
    labels = [_label(b, filters.grain) for b in periods]
    opened = selectors.opened_by_period(user, filters)
    finished = selectors.finished_by_period(user, filters)

    def link(b: date, on: str) -> str:
        end = min(selectors.bucket_end(b, filters.grain), filters.end)
        return _cases_url(filters, on=on, start=max(b, filters.start).isoformat(), end=end.isoformat())

    charts = [
        {
            "id": "volumes",
            "title": "Cases opened and finished",
            "type": "line",
            "unit": "cases",
            "labels": labels,
            "datasets": [
                {
                    "label": "Opened",
                    "data": [opened.get(b, 0) for b in periods],
                    "links": [link(b, "opened") for b in periods],
                },
                {
                    "label": "Finished",
                    "data": [finished.get(b, {}).get("finished", 0) for b in periods],
                    "links": [link(b, "finished") for b in periods],
                },
            ],
        }
    ]
    for key, title, unit in RATES:
        charts.append(
            {
                "id": key.replace("_", "-"),
                "title": f"{title}, of cases finished",
                "type": "line",
                "unit": unit,
                "labels": labels,
                "datasets": [
                    {
                        "label": title,
                        "data": [finished.get(b, {}).get(key) for b in periods],
                        "links": [link(b, "finished") for b in periods],
                    }
                ],
            }
        )
    rows = selectors.by_dimension(user, filters, by)
    names = _names(by, visible_teams)
    shown = rows[:TOP]
    dim_labels = [
        ("Not recorded" if r["value"] == NONE else names.get(r["value"], r["value"])) for r in shown
    ]
    charts.append(
        {
            "id": "by-dimension",
            "title": f"Cases opened by {DIMENSIONS[by].lower()}",
            "type": "bar",
            "unit": "cases",
            "labels": dim_labels,
            "datasets": [
                {
                    "label": "Opened",
                    "data": [r["opened"] for r in shown],
                    "links": [_cases_url(filters, on="opened", **{by: r["value"]}) for r in shown],
                },
                {
                    "label": "Upheld (% of findings)",
                    "data": [r["upheld_rate"] for r in shown],
                    "links": [_cases_url(filters, on="opened", **{by: r["value"]}) for r in shown],
                    "table_only": True,
                },
                {
                    "label": "Within deadline (%)",
                    "data": [r["within_deadline_rate"] for r in shown],
                    "links": [_cases_url(filters, on="opened", **{by: r["value"]}) for r in shown],
                    "table_only": True,
                },
            ],
        }
    )
    compare = selectors.support_needs_compare(user, filters)
    charts.append(
        {
            "id": "support-needs",
            "title": "Outcomes for customers with support needs and for others (cases finished)",
            "type": "bar",
            "unit": "%",
            "labels": [title for _, title, _ in COMPARED],
            "datasets": [
                {
                    "label": label,
                    "data": [compare.get(flag, {}).get(key) for key, _, _ in COMPARED],
                    "links": [
                        _cases_url(filters, on="finished", support_needs="yes" if flag else "no")
                        for _ in COMPARED
                    ],
                }
                for flag, label in ((True, "With support needs"), (False, "Others"))
            ],
        }
    )
    return charts


def _tables(charts: list[dict]) -> list[dict]:
    """Each chart's numbers as rows for its table view: (label, [(value, link), ...])."""
    for chart in charts:
        chart["rows"] = [
            {
                "label": label,
                "cells": [{"value": d["data"][i], "link": d["links"][i]} for d in chart["datasets"]],
            }
            for i, label in enumerate(chart["labels"])
        ]
    return charts


@staff_required
def dashboard(request):
    _allowed(can_see_insights(request.user), "You cannot see the dashboards")
    today = timezone.localdate()
    teams = list(Team.objects.filter(performance_teams_scope(request.user)))
    choices = selectors.dimension_values(request.user)
    form = FilterForm(request.GET or None, products=choices["product"], teams=teams, today=today)
    filters = form.filters() if request.GET else selectors.default_filters(today)
    by = form.breakdown if request.GET else "product"
    charts = _tables(dashboard_charts(request.user, filters, by))
    data = [{k: c[k] for k in ("id", "title", "type", "unit", "labels", "datasets")} for c in charts]
    return render(
        request,
        "insights/dashboard.html",
        {"form": form, "filters": filters, "charts": charts, "chart_data": data, "by": by},
    )


@staff_required
def cases(request):
    _allowed(can_see_insights(request.user), "You cannot see the dashboards")
    today = timezone.localdate()
    teams = list(Team.objects.filter(performance_teams_scope(request.user)))
    choices = selectors.dimension_values(request.user)
    form = FilterForm(request.GET or None, products=choices["product"], teams=teams, today=today)
    filters = form.filters() if request.GET else selectors.default_filters(today)
    on = "finished" if request.GET.get("on") == "finished" else "opened"
    page = Paginator(selectors.drill_down(request.user, filters, on=on), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insights/cases.html",
        {
            "form": form,
            "filters": filters,
            "on": on,
            "page": page,
            "query": query.urlencode(),
            "back": reverse("insights_dashboard") + "?" + urlencode(filters.query()),
        },
    )


def _coaching(trend: list[dict], objectives: dict[str, Objective]) -> tuple[list[str], list[str]]:
    """What went well and what to look at: the last three months against the three before and the
    target, in words, measure by measure."""
    went_well, look_at = [], []
    recent, earlier = trend[-3:], trend[-6:-3]

    def mean(rows, key):
        values = [r[key] for r in rows if r[key] is not None]
        return round(sum(values) / len(values), 1) if values else None

    for key, title, unit in RATES:
        now, before = mean(recent, key), mean(earlier, key)
        if now is None:
            continue
        better_up = HIGHER_IS_BETTER[Measure(key)]
        suffix = "%" if unit == "%" else " days"
        objective = objectives.get(key)
        if objective is not None:
            target = float(objective.target)
            met = now >= target if better_up else now <= target
            words = f"{title}: {now}{suffix} over the last three months, target {target:g}{suffix}"
            (went_well if met else look_at).append(words)
            continue
        if before is None or now == before:
            continue
        improved = (now > before) == better_up
        words = f"{title}: {before}{suffix} → {now}{suffix} (the three months before → the last three)"
        (went_well if improved else look_at).append(words)
    return went_well, look_at


def _subject(request) -> tuple[Team | None, Any]:
    """The team or person asked for, else the user's own team (a team leader) or themselves."""
    users = get_user_model().objects
    if request.GET.get("person"):
        person = users.filter(pk=request.GET["person"]).first() if request.GET["person"].isdigit() else None
        _allowed(person is not None and can_see_performance(request.user, person=person), "Not found")
        return None, person
    if request.GET.get("team"):
        team = Team.objects.filter(pk=request.GET["team"]).first() if request.GET["team"].isdigit() else None
        _allowed(team is not None and can_see_performance(request.user, team=team), "Not found")
        return team, None
    own = Team.objects.filter(performance_teams_scope(request.user)).first()
    staff = staff_of(request.user)
    if own is not None and staff is not None and staff.team_id == own.pk:
        return own, None
    return (own, None) if own is not None else (None, request.user)


@staff_required
def performance(request):
    team, person = _subject(request)
    today = timezone.localdate()
    trend = selectors.performance(
        request.user, team_id=team.pk if team else None, person_id=person.pk if person else None, today=today
    )
    objectives = {
        o.measure: o for o in Objective.objects.filter(team=team, person=person).select_related("set_by")
    }
    went_well, look_at = _coaching(trend, objectives)
    labels = [f"{row['month']:%b %Y}" for row in trend]
    charts = []
    for key, title, unit in RATES:
        datasets = [{"label": title, "data": [row[key] for row in trend], "links": [None] * len(trend)}]
        if key in objectives:
            target = float(objectives[key].target)
            datasets.append(
                {
                    "label": "Target",
                    "data": [target] * len(trend),
                    "links": [None] * len(trend),
                    "dashed": True,
                }
            )
        charts.append(
            {
                "id": f"perf-{key.replace('_', '-')}",
                "title": title,
                "type": "line",
                "unit": unit,
                "labels": labels,
                "datasets": datasets,
            }
        )
    people = (
        StaffProfile.objects.filter(performance_people_scope(request.user))
        .select_related("user", "team")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    return render(
        request,
        "insights/performance.html",
        {
            "team": team,
            "person": person,
            "teams": Team.objects.filter(performance_teams_scope(request.user)),
            "people": people,
            "trend": trend,
            "rates": RATES,
            "charts": _tables(charts),
            "chart_data": [
                {k: c[k] for k in ("id", "title", "type", "unit", "labels", "datasets")} for c in charts
            ],
            "objectives": [(key, title, objectives.get(key)) for key, title, _ in RATES],
            "went_well": went_well,
            "look_at": look_at,
            "can_set": can_set_objectives(request.user, team=team, person=person),
            "objective_form": ObjectiveForm(),
        },
    )


@staff_required
@require_POST
def objective_set(request):
    users = get_user_model().objects
    team = (
        Team.objects.filter(pk=request.POST.get("team") or 0).first()
        if request.POST.get("team", "").isdigit()
        else None
    )
    person = (
        users.filter(pk=request.POST.get("person")).first()
        if request.POST.get("person", "").isdigit()
        else None
    )
    _allowed(
        (team is not None and can_see_performance(request.user, team=team))
        or (person is not None and can_see_performance(request.user, person=person)),
        "Not found",
    )
    back = reverse("insights_performance") + "?" + (f"team={team.pk}" if team else f"person={person.pk}")
    form = ObjectiveForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    try:
        objective = services.objective_set(
            actor=request.user,
            team=team,
            person=person if team is None else None,
            measure=form.cleaned_data["measure"],
            target=form.cleaned_data["target"].strip(),
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        report(request, exc)
        return redirect(back)
    measure = Measure(form.cleaned_data["measure"]).label
    if objective is None:
        messages.success(request, f"Objective removed: {measure}")
    else:
        messages.success(request, f"Objective set: {measure}, target {objective.target:g}")
    return redirect(back)
