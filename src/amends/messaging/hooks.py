"""What messaging lets the apps above it add (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amends.core.hooks import Hook

if TYPE_CHECKING:
    from amends.cases.models import Case


@dataclass(frozen=True)
class ReplyPlaceholder:
    """A placeholder a saved reply may use ({name}), filled from the case by an app that knows the value:
    process registers {respond_by}, the date its clocks hold us to, as the customer is told it."""

    name: str
    label: str  # what the saved replies page says it becomes
    value: Callable[[Case, Any], str]  # (case, the person writing) -> the text put in its place

    def __call__(self, case: Case, writer: Any) -> str:
        return self.value(case, writer)


# Placeholders beyond messaging's own (customer_name, reference, owner_name, team): messaging.replies.
reply_placeholders: Hook[ReplyPlaceholder] = Hook("messaging.reply_placeholders")

__all__ = ["ReplyPlaceholder", "reply_placeholders"]
