"""The insights pages: the dashboard with its charts and tables, the cases behind any figure, and team
performance with its objectives. Figures come from insights.selectors; objectives change through
insights.services."""

from __future__ import annotations

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

from . import selectors, services
from .charts import RATES, dashboard_charts, tables
from .forms import FilterForm, ObjectiveForm
from .models import HIGHER_IS_BETTER, Measure, Objective


def _allowed(allowed: bool, message: str) -> None:
    if not allowed:
        raise Http404(message)


@staff_required
def dashboard(request):
    _allowed(can_see_insights(request.user), "You cannot see the dashboards")
    today = timezone.localdate()
    teams = list(Team.objects.filter(performance_teams_scope(request.user)))
    choices = selectors.dimension_values(request.user)
    form = FilterForm(request.GET or None, products=choices["product"], teams=teams, today=today)
    filters = form.filters() if request.GET else selectors.default_filters(today)
    by = form.breakdown if request.GET else "product"
    charts = tables(dashboard_charts(request.user, filters, by))
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
    page.object_list = selectors.cases_of(request.user, list(page.object_list))
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
            "charts": tables(charts),
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
