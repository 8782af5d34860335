from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from amends.cases.models import Case, CaseEvent
from amends.cases.selectors import TimelineItem, describe_events
from amends.core.permissions import case_scope
from amends.messaging.models import Attachment, Message

from .models import Customer, MergeSuggestion


def visible_customer(user: Any, pk: int) -> Customer | None:
    """A customer is visible to anyone who can see at least one of their cases."""
    customer = Customer.objects.filter(pk=pk).first()
    if customer is None:
        return None
    if not Case.objects.filter(case_scope(user), customer=customer).exists():
        return None
    return customer


def customer_timeline(
    user: Any, customer: Customer, *, before: datetime | None = None, limit: int = 50
) -> tuple[list[TimelineItem], datetime | None]:
    """Every contact and case event with this customer, newest first, across the cases the user can see.

    Returns the items and the time to continue from for the next page (None when there is no more).
    """
    visible = Case.objects.filter(case_scope(user), customer=customer).values("id")
    messages = Message.objects.filter(customer=customer, case_id__in=visible)
    events = CaseEvent.objects.filter(case_id__in=visible)
    if before is not None:
        messages = messages.filter(occurred_at__lt=before)
        events = events.filter(at__lt=before)
    message_rows = list(
        messages.select_related("case", "author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.defer("content")))
        .order_by("-occurred_at", "-id")[: limit + 1]
    )
    event_rows = list(events.select_related("case", "actor").order_by("-at", "-id")[: limit + 1])
    items = [TimelineItem(m.occurred_at, "message", m) for m in message_rows]
    items += [TimelineItem(e.at, "event", e) for e in event_rows]
    items.sort(key=lambda i: i.at, reverse=True)
    more = len(items) > limit
    items = items[:limit]
    describe_events(items)
    return items, (items[-1].at if more and items else None)


def customer_cases(user: Any, customer: Customer, *, limit: int = 100) -> list[Case]:
    return list(
        Case.objects.filter(case_scope(user), customer=customer)
        .select_related("owner", "team")
        .order_by("-opened_at")[:limit]
    )


def open_merge_suggestions(*, limit: int = 50) -> list[MergeSuggestion]:
    return list(
        MergeSuggestion.objects.filter(status=MergeSuggestion.Status.OPEN)
        .select_related("keep", "duplicate")
        .prefetch_related("keep__contact_points", "duplicate__contact_points")
        .order_by("-created_at")[:limit]
    )
