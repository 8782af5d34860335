"""The dashboard's charts as data, for the page (drawn by static/amends/insights.js, with tables) and the
API: labels, datasets, and for every value the link to the cases behind it."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from amends.core.models import Team
from amends.process.models import RootCause
from amends.regimes.models import Regime

from . import selectors
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


def tables(charts: list[dict]) -> list[dict]:
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
