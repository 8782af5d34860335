"""Timelines: a case's, and a customer's across their cases. Messages, case events and internal notes in one
list, with a fixed number of queries whatever their length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from amends.cases.events import EventKind, describe, referenced_people
from amends.cases.hooks import QueueFilter
from amends.cases.models import Case, CaseEvent, Note
from amends.cases.notes import mentioned_by_name
from amends.core.errors import NotFound
from amends.core.models import Team
from amends.core.permissions import case_scope
from amends.customers.models import Customer

from .models import Attachment, Message


def file_list(relation: str = "attachments", model=Attachment) -> Prefetch:
    """Files named with their size, for a page or a list: the bytes stay in the database."""
    return Prefetch(relation, queryset=model.objects.defer("content").order_by("pk"))


def _attachments() -> Prefetch:
    return file_list()


def case_attachment(case: Case, pk: int) -> Attachment:
    """A file on one of this case's messages, with its bytes; NotFound for any other."""
    found = Attachment.objects.filter(pk=pk, message__case=case).first()
    if found is None:
        raise NotFound("No such file on this case")
    return found


@dataclass
class TimelineItem:
    at: datetime
    kind: str  # "message", "event" or "note" (internal: the page marks it so)
    obj: Any
    text: str = ""  # an event in plain words
    corrected_by: int | None = None  # a note put right by a later one: that note's id


def _notes(notes: QuerySet[Note], limit: int) -> list[Note]:
    """Internal notes for a timeline, newest first, with their author and whom they told."""
    return list(
        notes.select_related("case", "author")
        .prefetch_related(mentioned_by_name())
        .order_by("-created_at", "-id")[: limit + 1]
    )


def _note_items(notes: list[Note]) -> list[TimelineItem]:
    """A note's `note_added` event is not shown beside it (the timelines leave those out): the note is."""
    later = {n.corrects_id: n.pk for n in sorted(notes, key=lambda n: n.pk) if n.corrects_id}
    return [TimelineItem(n.created_at, "note", n, corrected_by=later.get(n.pk)) for n in notes]


def describe_events(items: list[TimelineItem]) -> None:
    """Fill in each event's plain-words text, naming people and teams with one query each."""
    events = [i.obj for i in items if i.kind == "event"]
    ids = referenced_people(events)
    # Always one query (an impossible id when there is nobody), so the page's query count is constant.
    people = {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(pk__in=ids or [-1])
    }
    teams = dict(Team.objects.values_list("pk", "name"))
    for item in items:
        if item.kind == "event":
            e = item.obj
            item.text = describe(e.kind, e.before, e.after, people=people, teams=teams)


def case_timeline(case: Case, *, limit: int = 200) -> tuple[list[TimelineItem], bool]:
    """Messages and events of a case, oldest first, the newest `limit` of each. True if some were cut."""
    messages = list(
        case.messages.select_related("author", "outbox__integration")
        .prefetch_related(_attachments())
        .order_by("-occurred_at", "-id")[: limit + 1]
    )
    events = list(
        CaseEvent.objects.filter(case=case)
        .exclude(kind=EventKind.NOTE_ADDED)
        .select_related("actor")
        .order_by("-at", "-id")[: limit + 1]
    )
    notes = _notes(case.notes.all(), limit)
    truncated = len(messages) > limit or len(events) > limit or len(notes) > limit
    items = [TimelineItem(m.occurred_at, "message", m) for m in messages[:limit]]
    items += [TimelineItem(e.at, "event", e) for e in events[:limit]]
    items += _note_items(notes[:limit])
    items.sort(key=lambda i: (i.at, 0 if i.kind == "message" else 1))
    describe_events(items)
    return items, truncated


def customer_timeline(
    user: Any, customer: Customer, *, before: datetime | None = None, limit: int = 50
) -> tuple[list[TimelineItem], datetime | None]:
    """Every contact and case event with this customer, newest first, across the cases the user can see.

    Returns the items and the time to continue from for the next page (None when there is no more).
    """
    visible = Case.objects.filter(case_scope(user), customer=customer).values("id")
    messages = Message.objects.filter(customer=customer, case_id__in=visible)
    events = CaseEvent.objects.filter(case_id__in=visible).exclude(kind=EventKind.NOTE_ADDED)
    notes = Note.objects.filter(case_id__in=visible)
    if before is not None:
        messages = messages.filter(occurred_at__lt=before)
        events = events.filter(at__lt=before)
        notes = notes.filter(created_at__lt=before)
    message_rows = list(
        messages.select_related("case", "author", "outbox__integration")
        .prefetch_related(_attachments())
        .order_by("-occurred_at", "-id")[: limit + 1]
    )
    event_rows = list(events.select_related("case", "actor").order_by("-at", "-id")[: limit + 1])
    items = [TimelineItem(m.occurred_at, "message", m) for m in message_rows]
    items += [TimelineItem(e.at, "event", e) for e in event_rows]
    items += _note_items(_notes(notes, limit))
    items.sort(key=lambda i: i.at, reverse=True)
    more = len(items) > limit
    items = items[:limit]
    describe_events(items)
    return items, (items[-1].at if more and items else None)


def case_message(case: Case, message_id: int) -> Message:
    """A message of this case, for an action on it; NotFound if the case has no such message."""
    message = Message.objects.filter(case=case, pk=message_id).first()
    if message is None:
        raise NotFound(f"{case.reference} has no message {message_id}")
    return message


def undelivered() -> QuerySet[Message]:
    """Outbound mail that has not arrived: given up, waiting to be retried, returned by the customer's mail
    system (a bounce), or queued for longer than AMENDS_OUTBOX_STUCK_MINUTES (the worker is not running, or
    the server is down)."""
    stuck = timezone.now() - timedelta(minutes=settings.AMENDS_OUTBOX_STUCK_MINUTES)
    failed = [Message.Delivery.RETRYING, Message.Delivery.FAILED, Message.Delivery.BOUNCED]
    return Message.objects.filter(
        Q(delivery__in=failed) | Q(delivery=Message.Delivery.QUEUED, recorded_at__lt=stuck)
    )


# For a team leader: the cases whose customer has not had an email we sent (the timeline says why).
UNDELIVERED = QueueFilter(
    code="undelivered",
    label="Email not delivered",
    apply=lambda cases: cases.filter(pk__in=undelivered().values("case_id")),
)
