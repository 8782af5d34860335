"""What messaging lets the apps above it add (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amends.core.hooks import Hook

if TYPE_CHECKING:
    from amends.cases.models import Case

    from .models import Message


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

# An adviser logged a contact (a phone call, a visit, a letter; `message_log_contact`): called with the
# stored note inside the transaction that stores it, so what a listener does is saved or lost with it.
# Signals analyses the note as it analyses an email (a threat said on the phone alerts as one written):
# (message) -> None.
ContactListener = Callable[["Message"], None]
contact_logged: Hook[ContactListener] = Hook("messaging.contact_logged")

__all__ = ["ContactListener", "ReplyPlaceholder", "contact_logged", "reply_placeholders"]
