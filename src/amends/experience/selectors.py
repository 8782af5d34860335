"""Reads for the customer's view: what the other apps hold about a customer, loaded in a fixed number of
queries whatever the length of their history, and handed to `story.tell` as plain facts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.functions import Substr
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case, CaseEvent
from amends.core.permissions import case_scope
from amends.customers.models import Customer
from amends.customers.selectors import visible_customer
from amends.letters.models import Letter
from amends.messaging.models import Message
from amends.process.models import Promise
from amends.signals.models import MessageSignal

from .story import CaseFacts, Contact, Ownership, Story, tell
from .story import Promise as PromiseFacts

# The newest this many contacts (and as many events, on the newest CASE_LIMIT cases) tell the story; an
# older history is cut, and the page says so. Enough for years of an ordinary customer; it keeps the page's
# memory and time bounded.
STORY_LIMIT = 1000
CASE_LIMIT = 200
# Mail no person wrote (intake/automatic.py): not a contact from the customer.
NOT_CONTACTS = ("bounce", "auto_reply")
UNDELIVERED = (Message.Delivery.FAILED, Message.Delivery.BOUNCED, Message.Delivery.NO_ADDRESS)
TOLD_AT_THE_DOOR = {"phone": "Phone call", "face_to_face": "Visit", "letter": "Letter"}
SENT_WORDS = {
    "email": "email",
    "sms": "text message",
    "social": "social media",
    "chat": "chat",
    "web_form": "email",
    "api": "email",
}


def story_customer(user: Any, pk: int) -> Customer | None:
    """The customer whose story this user may read: anyone who may see one of their cases."""
    return visible_customer(user, pk)


def customer_story(user: Any, customer: Customer, *, now: datetime | None = None) -> Story:
    """The customer's story across the cases this user may see: seven queries, however long it is."""
    now = timezone.localtime(now or timezone.now())
    cases = list(
        Case.objects.filter(case_scope(user), customer=customer)
        .only("reference", "kind", "status", "opened_at", "owner_id", "customer_id")
        .order_by("-opened_at", "-id")[: CASE_LIMIT + 1]
    )
    truncated = len(cases) > CASE_LIMIT
    cases = cases[:CASE_LIMIT]
    ids = [c.pk for c in cases]
    messages = list(
        Message.objects.filter(case_id__in=ids)
        .exclude(purpose__in=NOT_CONTACTS)
        .annotate(excerpt=Substr("body_text", 1, 240))
        .only("case_id", "channel", "direction", "purpose", "occurred_at", "author_id", "delivery", "subject")
        .order_by("-occurred_at", "-id")[: STORY_LIMIT + 1]
    )
    letters = list(
        Letter.objects.filter(case_id__in=ids, sent_at__isnull=False)
        .values("case_id", "kind", "status", "sent_at", "sent_by_id", "message_id")
        .order_by("-sent_at")[:STORY_LIMIT]
    )
    events = list(
        CaseEvent.objects.filter(
            case_id__in=ids,
            kind__in=[EventKind.ASSIGNED, EventKind.REOPENED, EventKind.UNDERSTANDING_CONFIRMED],
        )
        .values("case_id", "at", "kind", "before", "after", "reason", "actor_id")
        .order_by("-at", "-id")[: STORY_LIMIT + 1]
    )
    promises = list(
        Promise.objects.filter(case_id__in=ids)
        .values("case_id", "made_at", "description", "due_at", "status", "closed_at", "made_by_id")
        .order_by("-made_at")[:STORY_LIMIT]
    )
    repeats = set(
        MessageSignal.objects.filter(case_id__in=ids, type="repeat_contact")
        .exclude(verdict="dismissed")
        .values_list("message_id", flat=True)
    )
    truncated = truncated or len(messages) > STORY_LIMIT or len(events) > STORY_LIMIT
    messages, events = messages[:STORY_LIMIT], events[:STORY_LIMIT]
    names = _names(messages, letters, events, promises)
    by_case: dict[int, list[dict]] = {c.pk: [] for c in cases}
    for row in reversed(events):  # oldest first
        by_case[row["case_id"]].append(row)
    facts = {c.pk: _case_facts(c, by_case[c.pk]) for c in cases}
    emailed = {row["message_id"]: row for row in letters if row["message_id"]}
    for m in messages:
        facts[m.case_id].contacts.append(_message_contact(m, emailed.get(m.pk), m.pk in repeats, names))
    for row in letters:
        if row["message_id"] is None:  # printed for post: no message of its own
            facts[row["case_id"]].contacts.append(_printed_letter(row, names))
    for row in events:
        if row["kind"] == EventKind.UNDERSTANDING_CONFIRMED and row["actor_id"] is None:
            facts[row["case_id"]].contacts.append(
                Contact(
                    timezone.localtime(row["at"]),
                    "in",
                    "portal",
                    "Confirmed our summary of the complaint on their status page",
                    wants_reply=False,
                )
            )
    for row in promises:
        facts[row["case_id"]].promises.append(
            PromiseFacts(
                made_at=timezone.localtime(row["made_at"]),
                description=row["description"],
                due_at=timezone.localtime(row["due_at"]),
                status=row["status"],
                closed_at=timezone.localtime(row["closed_at"]) if row["closed_at"] else None,
                by=row["made_by_id"],
            )
        )
    return tell(customer.name, list(facts.values()), names, now, truncated)


def _case_facts(case: Case, mine: list[dict]) -> CaseFacts:
    """The case's own facts, from its hand-overs and re-opens (`mine`: its events, oldest first)."""
    ownerships = [
        Ownership(
            timezone.localtime(e["at"]),
            (e["before"] or {}).get("owner"),
            (e["after"] or {}).get("owner"),
            e["reason"],
        )
        for e in mine
        if e["kind"] == EventKind.ASSIGNED
    ]
    return CaseFacts(
        reference=case.reference,
        kind=case.get_kind_display().lower(),
        status=case.status_label,
        is_open=case.is_open,
        opened_at=timezone.localtime(case.opened_at),
        first_owner=ownerships[0].before if ownerships else case.owner_id,
        ownerships=ownerships,
        reopens=[(timezone.localtime(e["at"]), e["reason"]) for e in mine if e["kind"] == EventKind.REOPENED],
    )


def _names(messages: list[Message], letters: list[dict], events: list[dict], promises: list[dict]):
    """Every member of staff the story names, by id: one query (an impossible id when there is nobody)."""
    ids = {m.author_id for m in messages} | {row["sent_by_id"] for row in letters}
    ids |= {row["made_by_id"] for row in promises}
    for row in events:
        if row["kind"] == EventKind.ASSIGNED:
            ids |= {(row["before"] or {}).get("owner"), (row["after"] or {}).get("owner")}
    wanted = [i for i in ids if isinstance(i, int)] or [-1]
    return {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(pk__in=wanted).only("first_name", "last_name", "username")
    }


def _message_contact(m: Message, letter: dict | None, repeat: bool, names: dict[int, str]) -> Contact:
    who = names.get(m.author_id or 0, "")
    at = timezone.localtime(m.occurred_at)
    channel = m.get_channel_display().lower()
    if m.direction == Message.Direction.INBOUND:
        if m.purpose == "contact_note":
            what = f"{TOLD_AT_THE_DOOR.get(m.channel, 'Contact')} from them, taken by {who or 'a colleague'}"
        else:
            what = f"{m.get_channel_display()} from them"
        return Contact(
            at,
            "in",
            m.channel,
            what,
            person=m.author_id if m.purpose == "contact_note" else None,
            repeat_phrasing=repeat,
            anchor=f"message-{m.pk}",
            excerpt=m.excerpt,
            quoted=m.purpose != "contact_note",
        )
    by = SENT_WORDS.get(m.channel, channel)
    automatic = m.author_id is None
    if m.purpose == "contact_note":
        verb = {"phone": "We phoned them", "face_to_face": "We saw them", "letter": "We wrote to them"}
        what = f"{verb.get(m.channel, 'We contacted them')} ({who or 'a colleague'})"
    elif letter is not None:
        what = f"Letter: {Letter.Kind(letter['kind']).label.lower()} (by {by}, {who or 'us'})"
    elif automatic:
        what = f"Automatic {m.purpose.replace('_', ' ')} by {by}"
    elif m.purpose in ("reply", "message"):
        what = f"Reply by {by} from {who}"
    else:
        what = f"{m.purpose.replace('_', ' ').capitalize()} by {by} from {who}"
    lost = m.delivery in UNDELIVERED
    if lost:
        what += f": never reached them ({m.get_delivery_display().lower()})"
    return Contact(
        at,
        "out",
        m.channel,
        what,
        person=m.author_id,
        is_reply=not automatic and not lost,
        anchor=f"message-{m.pk}",
        excerpt=m.excerpt,
    )


def _printed_letter(row: dict, names: dict[int, str]) -> Contact:
    who = names.get(row["sent_by_id"] or 0, "us")
    return Contact(
        timezone.localtime(row["sent_at"]),
        "out",
        "letter",
        f"Letter: {Letter.Kind(row['kind']).label.lower()} (printed for post, {who})",
        person=row["sent_by_id"],
        is_reply=row["sent_by_id"] is not None,
    )
