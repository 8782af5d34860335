"""Internal notes on a case or on a customer: clear records of how a complaint was handled (CFACSC7 11), and
a word with the colleagues who can help (CFACSC4 P14, P16; WM57 6, b).

A note is written once and never changed (`Note` says why it is a table of its own); a mistake is put
right by a note that corrects it. A note may @mention colleagues, who are told in their notifications:
only people who may see the case (or, for a customer's note, one of the customer's cases), so a note
never tells anyone what they could not read. Nothing here is ever shown to the customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from amends.core.errors import DomainError, InputTooLarge
from amends.core.permissions import can_write_notes, require, viewers_scope
from amends.core.services import audit_record, notify
from amends.customers.models import Customer

from .events import EventKind
from .models import Case, Note
from .services import case_event_record

NOTE_MAX_CHARS = 10_000
MAX_MENTIONS = 20
# "@tess" or "@jo.smith" (Django's login characters), not the middle of an email address ("jo@example.com"),
# and not a full stop or comma after it ("ask @tess.").
MENTION_RE = re.compile(r"(?<![\w.@+-])@([\w.@+-]*\w)")


def mentioned_logins(body: str) -> list[str]:
    """The logins a note's text @mentions, each once, in the order written."""
    return list(dict.fromkeys(m.group(1) for m in MENTION_RE.finditer(body or "")))


def mentionable_people(*, case: Case | None = None, customer: Customer | None = None) -> QuerySet:
    """Who a note on this case (or customer) may tell: everyone who may see it, by name. One query."""
    if case is not None:
        scope = viewers_scope(team_ids=[case.team_id], owner_ids=[case.owner_id])
    else:
        theirs = Case.objects.filter(customer=customer)
        scope = viewers_scope(team_ids=theirs.values("team_id"), owner_ids=theirs.values("owner_id"))
    return (
        get_user_model()
        .objects.filter(scope)
        .select_related("staff__team")
        .order_by("first_name", "last_name", "username")
    )


def mentioned_by_name() -> Prefetch:
    """Whom each note told, by name: for a list of notes, one query."""
    return Prefetch(
        "mentioned", queryset=get_user_model().objects.order_by("first_name", "last_name", "username")
    )


@transaction.atomic
def note_add(
    *,
    actor: Any,
    body: str,
    case: Case | None = None,
    customer: Customer | None = None,
    mention: Iterable[Any] = (),
    corrects: Note | None = None,
) -> Note:
    """Write an internal note on a case or on a customer, telling the colleagues it @mentions or who are
    picked in `mention` (each must be able to see it). A case's note is on its history (`note_added`, which
    names the note, never its words); a customer's is audited. `corrects` puts an earlier note right."""
    if (case is None) == (customer is None):
        raise DomainError("A note is on a case or on a customer", fields={"case": "one of case or customer"})
    require(can_write_notes(actor), "You can read notes but not write them")
    body = _checked_body(body)
    if corrects is not None and (corrects.case_id, corrects.customer_id) != (
        getattr(case, "pk", None),
        getattr(customer, "pk", None),
    ):
        raise DomainError(
            "A correction goes on the same case or customer as the note it corrects",
            fields={"corrects": "another case's or customer's note"},
        )
    people = _told(body, list(mention), actor=actor, case=case, customer=customer)
    now = timezone.now()
    note = Note.objects.create(
        case=case, customer=customer, author=actor, body=body, created_at=now, corrects=corrects
    )
    note.mentioned.set(people)
    after = {"note": note.pk, "mentioned": [u.pk for u in people]}
    if corrects is not None:
        after["corrects"] = corrects.pk
    if case is not None:
        case_event_record(case, kind=EventKind.NOTE_ADDED, actor=actor, at=now, after=after)
    else:
        audit_record(actor=actor, kind="note.added", obj=note, after={"customer": customer.pk, **after})
    _tell(note, people, actor=actor)
    return note


def _checked_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError("Write the note", fields={"body": "required"})
    if len(body) > NOTE_MAX_CHARS:
        raise InputTooLarge(
            f"A note is at most {NOTE_MAX_CHARS:,} characters", fields={"body": f"at most {NOTE_MAX_CHARS}"}
        )
    return body


def _told(body: str, picked: list, *, actor: Any, case: Case | None, customer: Customer | None) -> list:
    """The people to tell: those @mentioned and those picked, each of whom must see the note's case (or
    customer); the author is not told of their own note. Refuses a login nobody has, and anyone who
    cannot see it, naming them, so nothing is written that a colleague was meant to be told and was not."""
    logins = mentioned_logins(body)
    if len(logins) + len(picked) > MAX_MENTIONS:
        raise DomainError(
            f"A note tells at most {MAX_MENTIONS} people", fields={"mention": f"at most {MAX_MENTIONS}"}
        )
    found = {}
    if logins:
        named = Q()
        for login in logins:
            named |= Q(username__iexact=login)
        found = {u.get_username().lower(): u for u in get_user_model().objects.filter(named)}
    unknown = [f"@{login}" for login in logins if login.lower() not in found]
    if unknown:
        raise DomainError(
            f"Nobody signs in as {', '.join(unknown)}: mention a colleague by their login, or pick them "
            "from the list",
            fields={"body": f"unknown: {', '.join(unknown)}"},
        )
    wanted = {u.pk: u for u in [*(found[login.lower()] for login in logins), *picked]}
    allowed = set(
        mentionable_people(case=case, customer=customer).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    blind = [wanted[pk] for pk in wanted if pk not in allowed]
    if blind:
        names = ", ".join(u.get_full_name() or u.get_username() for u in blind)
        what = case.reference if case is not None else "this customer's cases"
        raise DomainError(
            f"{names} cannot see {what}, so cannot be told of this note",
            fields={"mention": f"cannot see it: {names}"},
        )
    return [u for pk, u in wanted.items() if pk != actor.pk]


def _tell(note: Note, people: list, *, actor: Any) -> None:
    """In the note's transaction. Not urgent (nothing is at risk), but told on its own rather than folded
    into a routine digest: a colleague asked this person something."""
    if not people:
        return
    who = actor.get_full_name() or actor.get_username()
    if note.case is not None:
        about, link = note.case.reference, reverse("case_detail", args=[note.case.reference])
    else:
        about, link = note.customer.name, reverse("customer_detail", args=[note.customer_id])
    snippet = note.body if len(note.body) <= 140 else note.body[:139] + "…"
    notify(
        users=people,
        text=f"{who} mentioned you in a note on {about}: {snippet}",
        link=f"{link}#note-{note.pk}",
        urgent=False,
    )


def case_notes(case: Case, *, limit: int = 200) -> list[Note]:
    """A case's notes, newest first, with who wrote them and who was told: two queries."""
    return list(
        case.notes.select_related("author")
        .prefetch_related(mentioned_by_name())
        .order_by("-created_at", "-id")[:limit]
    )


def customer_notes(customer: Customer, *, limit: int = 50, with_told: bool = True) -> list[Note]:
    """The notes on the customer themselves (not on their cases), newest first, with who wrote them and
    (`with_told`) whom they told: one query, or two."""
    notes = Note.objects.filter(customer=customer).select_related("author")
    if with_told:
        notes = notes.prefetch_related(mentioned_by_name())
    return list(notes.order_by("-created_at", "-id")[:limit])


def notes_move_customer(*, keep: Customer, duplicate: Customer, actor: Any, at: Any, reason: str) -> dict:
    """Two customer records became one: the notes on the duplicate now hang on the kept record (their
    words, author and time unchanged; a case's notes follow the case). Registered on
    customers.hooks.customer_merged (apps.py)."""
    return {"notes_moved": Note.objects.filter(customer=duplicate).update(customer=keep)}
