"""Reads for the review pages and the API: the list, one review's chart (as SVG geometry) and history."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from amends.core.models import AuditEvent
from amends.core.permissions import review_owner_scope

from .levels import DIMENSIONS, category_label
from .models import ServiceReview


def reviews_listed(*, status: str = "") -> QuerySet[ServiceReview]:
    reviews = ServiceReview.objects.select_related("owner").order_by("-opened_at", "-id")
    if status == "open":
        return reviews.exclude(status=ServiceReview.Status.CLOSED)
    if status in ServiceReview.Status.values:
        return reviews.filter(status=status)
    return reviews


def review_history(review: ServiceReview) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(object_type="monitoring.servicereview", object_id=str(review.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def possible_owners() -> list:
    return list(
        get_user_model()
        .objects.filter(review_owner_scope())
        .select_related("staff")
        .order_by("first_name", "last_name", "username")
    )


def about(review: ServiceReview) -> str:
    """'Product: Current account'."""
    label = DIMENSIONS.get(review.dimension, (review.dimension, review.dimension))[1]
    return f"{label}: {category_label(review.dimension, review.category)}"


@dataclass(frozen=True)
class ChartRow:
    period: str
    count: int
    exposure: int | None
    centre: float
    upper: float
    signalling: bool
    x: float
    y: float


WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 720, 260, 44, 28, 12, 12


def review_chart(review: ServiceReview) -> dict | None:
    """The control chart the evidence holds, as numbers for an inline SVG (points in the viewBox) and the
    same numbers as table rows. None for a review opened by hand (no evidence)."""
    ev = review.evidence or {}
    counts = ev.get("counts") or []
    if not counts:
        return None
    n = len(counts)
    upper = [u or 0 for u in ev.get("upper", [0] * n)]
    centre = ev.get("centre", [0] * n)
    top = max([*counts, *upper, *centre, 1]) * 1.1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + (plot_w * i / max(1, n - 1)), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    lo, hi = ev.get("signal_from", n), ev.get("signal_at", -1)
    exposure = ev.get("exposure") or [None] * n
    rows = [
        ChartRow(
            period=ev["periods"][i],
            count=counts[i],
            exposure=exposure[i],
            centre=round(centre[i], 1),
            upper=round(upper[i], 1),
            signalling=lo <= i <= hi,
            x=x(i),
            y=y(counts[i]),
        )
        for i in range(n)
    ]
    ticks = [round(top / 1.1 * f) for f in (0, 0.5, 1)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "rows": rows,
        "counts_points": " ".join(f"{r.x},{r.y}" for r in rows),
        "centre_points": " ".join(f"{r.x},{y(r.centre)}" for r in rows),
        "upper_points": " ".join(f"{r.x},{y(r.upper)}" for r in rows),
        "ticks": [{"value": t, "y": y(t)} for t in ticks],
        "first": rows[0].period,
        "last": rows[-1].period,
        "max_count": max(counts),
    }
