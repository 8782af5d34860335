"""The worker's step for special reviews (process.hooks.worker_steps): the daily check of complaint levels."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import DEFAULT_DIMENSIONS, SpcSetting
from .services import reviews_check


def check_levels(now: datetime) -> int:
    """Once a day: claim the settings row, and unless today's check is done, run it. The reviews opened.
    The row's lock keeps two workers from checking the same day twice (a second one finds it done)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        setting, _ = SpcSetting.objects.select_for_update().get_or_create(
            pk=1, defaults={"dimensions": list(DEFAULT_DIMENSIONS)}
        )
        if setting.checked_on is not None and setting.checked_on >= today:
            return 0
        opened = reviews_check(now=now)
        SpcSetting.objects.filter(pk=1).update(checked_on=today)
    return len(opened)


def worker_steps() -> dict[str, Callable[[datetime], int]]:
    return {"special_reviews": check_levels}
