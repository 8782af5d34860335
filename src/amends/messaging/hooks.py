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


@dataclass(frozen=True)
class ReplyChannels:
    """The only channels a reply on a case may go by, and why (an agreed contact arrangement: conduct's
    one-channel restriction, "email only until 6 Mar 2027"). Replies never go by any other; `guidance`
    is shown on the reply form (e.g. "no replies to repeat correspondence on the closed matter")."""

    channels: frozenset[str] | None  # None: any channel (only guidance to show)
    reason: str
    guidance: str = ""


# (case) -> ReplyChannels | None: None when nothing limits the case's replies. Registered by conduct; the
# reply form offers only the channels every answer allows, and `message_send` refuses any other.
ReplyChannelsFor = Callable[["Case"], "ReplyChannels | None"]
reply_channels: Hook[ReplyChannelsFor] = Hook("messaging.reply_channels")


def reply_limits(case: Case) -> ReplyChannels | None:
    """What every registered provider allows for this case's replies, together; None: nothing limits them."""
    found = [limit for provider in reply_channels if (limit := provider(case)) is not None]
    if not found:
        return None
    limited = [limit.channels for limit in found if limit.channels is not None]
    channels = frozenset.intersection(*limited) if limited else None
    reason = " ".join(limit.reason for limit in found if limit.reason)
    guidance = " ".join(limit.guidance for limit in found if limit.guidance)
    return ReplyChannels(channels, reason, guidance)


# An adviser logged a contact (a phone call, a visit, a letter; `message_log_contact`): called with the
# stored note inside the transaction that stores it, so what a listener does is saved or lost with it.
# Signals analyses the note as it analyses an email (a threat said on the phone alerts as one written):
# (message) -> None.
ContactListener = Callable[["Message"], None]
contact_logged: Hook[ContactListener] = Hook("messaging.contact_logged")

__all__ = [
    "ContactListener",
    "ReplyChannels",
    "ReplyPlaceholder",
    "contact_logged",
    "reply_channels",
    "reply_limits",
    "reply_placeholders",
]
