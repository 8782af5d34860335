"""What problems registers on the hooks of the apps below it (intake, process)."""

from __future__ import annotations

from collections.abc import Sequence


def arrived(message_ids: Sequence[int]) -> None:
    """intake.hooks.messages_stored: the incremental grouping, after intake's transaction committed."""
    from django.conf import settings

    from .services import messages_group

    if settings.PROBLEMS_GROUP_ON_ARRIVAL:
        messages_group(list(message_ids))
