"""What problems registers on the hooks of the apps below it (intake, process)."""

from __future__ import annotations

from collections.abc import Sequence


def arrived(message_ids: Sequence[int]) -> None:
    """intake.hooks.messages_stored: the incremental grouping, after intake's transaction committed."""
    from .services import messages_group

    messages_group(list(message_ids))
