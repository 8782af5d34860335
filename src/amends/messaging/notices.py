"""Telling people that an email (or a webhook reply, or a text) to a customer was given up: the case's
owner, or, when nobody active owns it, the team's leaders (the complaints leads when the case has no team,
or its team no leader).

A customer who is never told is a complaint-handling failure, so these are urgent notes, told one by one
and not folded into a routine digest; a person given many at once (a whole batch given up) gets the first
few and one line linking to the queue's "Email not delivered".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from amends.cases.events import EventKind
from amends.cases.lifecycle import is_reopen
from amends.cases.models import Case, CaseEvent
from amends.cases.services import case_event_record
from amends.core.models import Role
from amends.core.services import notify_each
from amends.customers.alerts import alerts_live

from .models import Message, OutboxItem

SHOWN = 3  # more notes than this for one person at once: the first SHOWN - 1 and a line for the rest


def notify_not_sent(rows: Sequence[OutboxItem]) -> None:
    """Urgent notes for these given-up emails (their message and case loaded), written in the caller's
    transaction, the one recording the give-up, so the two are saved or lost together. Two queries
    whatever the number."""
    leaders = _leaders([row.message.case for row in rows])
    per_person: dict[int, tuple[Any, list[tuple[str, str]]]] = {}
    for row in rows:
        case = row.message.case
        what = (
            "Email"
            if row.connector == OutboxItem.Connector.EMAIL
            else f"{row.message.get_channel_display()} reply"
        )
        text = (
            f"{what} to the customer on {case.reference} not sent ({row.destination}): contact them another "
            f"way, or send it again once the address is right. {row.last_error}"
        )
        link = reverse("case_detail", args=[case.reference]) + f"#message-{row.message_id}"
        for person in _told(case, leaders):
            per_person.setdefault(person.pk, (person, []))[1].append((text, link))
    notes = []
    for person, items in per_person.values():
        shown = items if len(items) <= SHOWN else items[: SHOWN - 1]
        notes += [(person, text, link) for text, link in shown]
        if len(items) > len(shown):
            more = f"{len(items) - len(shown)} more emails to customers were not sent: see the queue"
            notes.append((person, more, f"{reverse('queue')}?queue=all&risk=undelivered"))
    notify_each(notes, urgent=True)


def _owned(case: Case) -> bool:
    return case.owner_id is not None and case.owner.is_active


def _told(case: Case, leaders: dict[int | None, list[Any]]) -> list[Any]:
    if _owned(case):
        return [case.owner]
    return leaders.get(case.team_id) or leaders[None]


def _leaders(cases: Sequence[Case]) -> dict[int | None, list[Any]]:
    """The active team leaders of each unowned case's team, and under None the complaints leads."""
    found: dict[int | None, list[Any]] = {None: []}
    unowned = [c for c in cases if not _owned(c)]
    if not unowned:
        return found
    teams = {c.team_id for c in unowned if c.team_id}
    people = (
        get_user_model()
        .objects.filter(
            Q(staff__role=Role.TEAM_LEADER, staff__team_id__in=teams) | Q(staff__role=Role.COMPLAINTS_LEAD),
            is_active=True,
        )
        .select_related("staff")
        .order_by("pk")
    )
    for person in people:
        team = person.staff.team_id if person.staff.role == Role.TEAM_LEADER else None
        found.setdefault(team, []).append(person)
    return found


def tell_reopened(*, case: Case, before: str, after: str, at: Any) -> None:
    """A case came back from resolved or closed: tell its last owner and its team's leaders, with what
    the customer said (their message that re-opened it, or the reason a colleague gave), and record who
    was told on the case. Registered on cases.hooks.status_listeners, so it runs in the transaction of
    the re-opening, whoever or whatever re-opened it (a customer writing back on any channel, a person,
    the API, a bulk action). Urgent when the customer came back themselves: they are waiting (CFACSC4
    P16, K9: the colleagues who dealt with the customer are told of a further approach)."""
    if not is_reopen(before, after):
        return
    event = CaseEvent.objects.filter(case=case, kind=EventKind.REOPENED).order_by("-id").first()  # this one
    actor = event.actor if event is not None else None
    by_customer = actor is None
    words = _customer_words(case) if by_customer else (event.reason if event is not None else "")
    owner = _last_owner(case)
    leaders = list(
        get_user_model().objects.filter(
            staff__role=Role.TEAM_LEADER, staff__team_id=case.team_id, is_active=True
        )
        if case.team_id
        else []
    )
    told = [p for p in {p.pk: p for p in [owner, *leaders] if p is not None and p.is_active}.values()]
    told = [p for p in told if actor is None or p.pk != actor.pk]
    if not told:
        return
    who = "the customer" if by_customer else (actor.get_full_name() or actor.get_username())
    text = f"{case.reference} was re-opened by {who}"
    if words:
        quoted = " ".join(words.split())
        text += f": “{quoted[:180]}{'…' if len(quoted) > 180 else ''}”"
    link = reverse("case_detail", args=[case.reference])
    notify_each([(p, text, link) for p in told], urgent=by_customer)
    case_event_record(
        case,
        kind=EventKind.REOPEN_TOLD,
        actor=None,
        after={
            "told": [p.get_full_name() or p.get_username() for p in told],
            "urgent": by_customer,
            "last_owner": owner.pk if owner is not None else None,
        },
    )


def _customer_words(case: Case) -> str:
    """What the customer said in the message that re-opened the case: their latest on it."""
    message = (
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .order_by("-occurred_at", "-id")
        .only("body_text", "subject")
        .first()
    )
    if message is None:
        return ""
    return (message.body_text or message.subject or "").strip()


def _last_owner(case: Case) -> Any:
    """Its owner, or, when nobody owns it now, whoever owned it last."""
    if case.owner_id is not None:
        return case.owner
    for event in CaseEvent.objects.filter(case=case, kind=EventKind.ASSIGNED).order_by("-at", "-id"):
        for side in (event.after or {}, event.before or {}):
            if isinstance(side.get("owner"), int):
                return get_user_model().objects.filter(pk=side["owner"]).first()
    return None


FURTHER_APPROACH_PURPOSES = {"message", "contact_note"}  # a person got in touch, not an automatic reply


def tell_further_approaches(messages: Sequence[Message]) -> None:
    """The colleague a live alert on the customer names ("may contact you", "may re-open the matter") is
    told when the customer gets in touch again, on any channel (CFACSC4 K9: notice of further approaches).
    Called by `messages_record` for every message stored, one or a batch: one query for the alerts, and
    nothing at all when no message is a customer's."""
    inbound = [
        m
        for m in messages
        if m.direction == Message.Direction.INBOUND
        and m.purpose in FURTHER_APPROACH_PURPOSES
        and m.customer_id
    ]
    if not inbound:
        return
    by_customer: dict[int, list[Any]] = {}
    for alert in alerts_live({m.customer_id for m in inbound}).filter(contact__isnull=False):
        if alert.contact.is_active:
            by_customer.setdefault(alert.customer_id, []).append(alert)
    if not by_customer:
        return
    notes: dict[tuple[int, int], tuple[Any, str, str]] = {}
    for message in inbound:
        for alert in by_customer.get(message.customer_id, []):
            if alert.contact_id == message.author_id:
                continue  # they logged the contact themselves
            case = message.case
            text = (
                f"{message.customer.name} got in touch again ({message.get_channel_display().lower()}) on "
                f"{case.reference}; your alert: {alert.get_kind_display().lower()}"
            )
            link = reverse("case_detail", args=[case.reference])
            notes.setdefault((alert.contact_id, case.pk), (alert.contact, text, link))
    notify_each(list(notes.values()), urgent=False)
