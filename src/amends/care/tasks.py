"""The worker's step for support needs (process.hooks.worker_steps): reminders of review dates reached."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import SupportNeedsRecord
from .services import support_needs_reviews_remind

BATCH = 500


def remind_reviews(now: datetime) -> int:
    """Claim active records whose review date has come and that were not reminded for it; remind."""
    due = (
        SupportNeedsRecord.objects.filter(
            current__status="active", current__review_on__lte=timezone.localdate(now)
        )
        .filter(Q(review_reminded_on__isnull=True) | Q(review_reminded_on__lt=F("current__review_on")))
        .select_related("current", "customer")
        .order_by("current__review_on", "id")
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        records = list(due[:BATCH])
        return support_needs_reviews_remind(records, at=now) if records else 0


def worker_steps() -> dict[str, Callable[[datetime], int]]:
    return {"support_needs_reviews": remind_reviews}
