"""The worker's conduct steps: a decision's or a marker's review is due. Each reminder goes once per review
date: claimed and marked in one transaction (the worker's pattern, process/tasks.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from amends.core.services import audit_record, notify

from .models import ConductDecision, WarningMarker
from .people import complaints_leads, team_leaders_of

BATCH = 500


def reviews_remind(now: datetime) -> int:
    """Tell the decision maker, their team leaders and the complaints leads that a decision's review is
    due."""
    leads = complaints_leads()
    return _remind(
        ConductDecision.objects.filter(status=ConductDecision.Status.ACTIVE).select_related(
            "decided_by", "customer", "level"
        ),
        now,
        audit_kind="conduct.review_reminded",
        author=lambda decision: decision.decided_by,
        others=leads,
        text=lambda decision: (
            f"Review due: the {decision.level.code} decision on {decision.customer.name} "
            f"({decision.review_due:%-d %b %Y}). Lift, continue or vary it, with reasons."
        ),
        link=lambda decision: reverse("conduct_decision", args=[decision.pk]),
    )


def markers_remind(now: datetime) -> int:
    """Tell whoever added a warning marker, and their team leaders, that its review is due (ICO: markers
    are reviewed, not kept for ever)."""
    return _remind(
        WarningMarker.objects.filter(removed_at__isnull=True).select_related("created_by", "customer"),
        now,
        audit_kind="conduct.marker_review_reminded",
        author=lambda marker: marker.created_by,
        others=[],
        text=lambda marker: (
            f"Review due: the warning marker on {marker.customer.name} "
            f"({marker.review_due:%-d %b %Y}). Keep it to a new date, or remove it."
        ),
        link=lambda marker: reverse("conduct_customer", args=[marker.customer_id]) + "#markers",
    )


def _remind(
    rows: QuerySet,
    now: datetime,
    *,
    audit_kind: str,
    author: Callable[[Any], Any],
    others: list[Any],
    text: Callable[[Any], str],
    link: Callable[[Any], str],
) -> int:
    """Claim the rows whose review date has come and not yet been reminded (`reminded_for` differs), tell
    their author, the author's team leaders and `others`, and mark them, all in one transaction."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = rows.filter(review_due__lte=today).filter(
            Q(reminded_for__isnull=True) | ~Q(reminded_for=F("review_due"))
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        claimed = list(due.order_by("review_due", "id")[:BATCH])
        leaders: dict[int, list[Any]] = {}  # one look-up per author, however many of their rows are due
        for row in claimed:
            who = author(row)
            if who.pk not in leaders:
                leaders[who.pk] = team_leaders_of(who)
            people = {p.pk: p for p in [who, *leaders[who.pk], *others] if p.is_active}
            notify(users=list(people.values()), text=text(row), link=link(row), urgent=False)
            type(row).objects.filter(pk=row.pk).update(reminded_for=row.review_due)
            after = {"review_due": row.review_due.isoformat()}
            audit_record(actor=None, kind=audit_kind, obj=row, after=after)
    return len(claimed)


def worker_steps() -> dict:
    return {"conduct_reviews": reviews_remind, "conduct_marker_reviews": markers_remind}
