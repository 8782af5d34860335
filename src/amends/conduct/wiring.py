"""What conduct registers on the hooks of the apps below it (called from apps.py once the registry is
ready): the notices on a customer, the reply form's channels, the case and customer page panels, the
worker's review reminders."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from amends.core.permissions import can_see_conduct
from amends.customers.hooks import CustomerNotice


def customer_notices(user: Any, customer_ids: list[int]) -> dict[int, list[CustomerNotice]]:
    """Warning markers (tone danger) to the roles each names, and the contact arrangements of active
    decisions (tone warning) to those who deal with customers: three queries at most, for a whole page."""
    from .selectors import arrangements_for, markers_for

    found: dict[int, list[CustomerNotice]] = {}
    for marker in markers_for(user, customer_ids):
        found.setdefault(marker.customer_id, []).append(
            CustomerNotice(
                kind="warning_marker",
                label="Warning marker",
                text=f"{marker.reason} (review {marker.review_due:%-d %b %Y})",
                tone="danger",
                link=reverse("conduct_customer", args=[marker.customer_id]) + "#markers",
            )
        )
    if can_see_conduct(user):
        for customer_id, arrangement in arrangements_for(customer_ids).items():
            found.setdefault(customer_id, []).append(
                CustomerNotice(
                    kind="restriction",
                    label="Contact arrangement",
                    text=arrangement.text,
                    tone="warning",
                    link=reverse("conduct_decision", args=[arrangement.decision.pk]),
                )
            )
    return found


def reply_channels(case: Any):
    """A one-channel restriction leaves only its channels for replies; "no replies to repeat
    correspondence on a closed matter" is guidance on the reply form. Never a clock."""
    from amends.messaging.hooks import ReplyChannels

    from .selectors import case_arrangement, channel_words

    arrangement = case_arrangement(case)
    if arrangement is None:
        return None
    until = f" until {arrangement.decision.review_due:%-d %b %Y}" if arrangement.decision.review_due else ""
    guidance = ""
    if arrangement.closed_matter:
        guidance = (
            "Do not reply to correspondence that repeats the closed matter "
            f"{arrangement.closed_matter}: read and file it. "
            "Acknowledge new issues and consider them on their merits."
        )
    if arrangement.channels is None:
        return ReplyChannels(None, "", guidance) if guidance else None
    reason = f"Contact by {channel_words(arrangement.channels)} only{until} (an agreed contact arrangement)"
    return ReplyChannels(frozenset(arrangement.channels), reason, guidance)


def register() -> None:
    from amends.cases.hooks import case_page_context
    from amends.customers.hooks import customer_notices as notices_hook
    from amends.customers.hooks import customer_page_context
    from amends.messaging.hooks import reply_channels as reply_channels_hook
    from amends.process.hooks import worker_steps

    from . import services, views

    notices_hook.register(customer_notices)
    reply_channels_hook.register(reply_channels)
    case_page_context.register(views.case_page_context)
    customer_page_context.register(views.customer_page_context)
    worker_steps.register(services.worker_steps)
