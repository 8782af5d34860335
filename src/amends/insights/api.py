"""The insights endpoints of the JSON API: the dashboard's figures, as the page draws them."""

from __future__ import annotations

from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from amends.core.api_errors import errors
from amends.core.errors import DomainError, NotFound
from amends.core.models import Team
from amends.core.permissions import can_see_insights, performance_teams_scope

from . import selectors
from .charts import dashboard_charts
from .forms import FilterForm

router = Router(tags=["insights"])


class InsightFiguresQuery(Schema):
    start: str = Field("", max_length=10, description="First day, YYYY-MM-DD (default: a year ago, 1st)")
    end: str = Field("", max_length=10, description="Last day, YYYY-MM-DD (default: today)")
    grain: Literal["", "month", "week"] = ""
    kind: str = Field("", max_length=20)
    product: str = Field("", max_length=100, description='"-" for cases with none recorded')
    channel: str = Field("", max_length=20)
    team: str = Field("", max_length=20, description='A team id, or "-" for no team')
    regime: str = Field("", max_length=60)
    root_cause: str = Field("", max_length=60)
    support_needs: Literal["", "yes", "no"] = ""
    by: Literal["", "product", "channel", "team", "regime", "root_cause"] = ""


class InsightDatasetOut(Schema):
    label: str
    data: list[float | None]
    links: list[str | None] = Field(..., description="The page listing the cases behind each value")


class InsightChartOut(Schema):
    id: str
    title: str
    type: str
    unit: str
    labels: list[str]
    datasets: list[InsightDatasetOut]


class InsightFiguresOut(Schema):
    start: str
    end: str
    grain: str
    charts: list[InsightChartOut]


@router.get(
    "/insights/figures",
    response={200: InsightFiguresOut, **errors(400, 404, 422)},
    summary="The dashboard's figures: every chart's labels and values, within the cases you may see",
)
def figures(request, query: Query[InsightFiguresQuery]):
    if not can_see_insights(request.auth):
        raise NotFound("You cannot see the dashboards")
    params = {k: v for k, v in query.dict().items() if v}
    form = FilterForm(
        params,
        products=selectors.dimension_values(request.auth)["product"],
        teams=list(Team.objects.filter(performance_teams_scope(request.auth))),
        today=timezone.localdate(),
    )
    if not form.is_valid():
        raise DomainError(
            "Some filters are not valid",
            fields={name: " ".join(errs) for name, errs in form.errors.items()},
        )
    filters = form.filters()
    charts = dashboard_charts(request.auth, filters, form.breakdown)
    return {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "grain": filters.grain,
        "charts": charts,
    }
