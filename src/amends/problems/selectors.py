"""Reads of repeated problems: lists, a problem with what the reader may see of it, early warnings."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from amends.cases.models import Case
from amends.core.permissions import case_scope

from .models import EarlyWarning, Problem, ProblemCase, ProblemStatus


def problems_list(*, status: str = "", limit: int = 200, exclude: int | None = None) -> QuerySet[Problem]:
    rows = (
        Problem.objects.filter(merged_into=None)
        .select_related("owner", "root_cause")
        .annotate(
            case_count=Count("links", distinct=True),
            customer_count=Count("links__case__customer", distinct=True),
        )
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    if status in ProblemStatus.values:
        rows = rows.filter(status=status)
    return rows[:limit]


def problem_cases(problem: Problem, user: Any) -> list[Case]:
    """The linked cases this person may see."""
    ids = ProblemCase.objects.filter(problem=problem).values("case_id")
    return list(
        Case.objects.filter(case_scope(user), pk__in=ids)
        .select_related("customer")
        .order_by("-opened_at")[:500]
    )


def customers_affected(problem: Problem) -> int:
    """Derived from the linked cases: one per customer."""
    return ProblemCase.objects.filter(problem=problem).values("case__customer_id").distinct().count()


def warnings_recent(limit: int = 20) -> list[EarlyWarning]:
    return list(EarlyWarning.objects.order_by("-raised_at")[:limit])
