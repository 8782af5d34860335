"""Use cases that change a case. Nothing else saves a case's status, owner or classification."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from amends.core.errors import Conflict, DomainError, PermissionDenied, TransitionNotAllowed
from amends.core.models import Team
from amends.core.permissions import owner_refusal
from amends.core.services import notify
from amends.customers.models import Channel, Customer

from . import hooks, lifecycle
from .events import EventKind
from .lifecycle import Status
from .models import Case, CaseEvent, CaseKind, HandOver, ReferenceCounter


def case_event(
    case: Case,
    *,
    kind: EventKind,
    actor: Any,
    at: datetime | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> CaseEvent:
    """One event, unsaved, for `case_events_record`. Refuses a kind `EventKind` does not list."""
    return CaseEvent(
        case=case,
        at=at or timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        kind=EventKind(kind).value,
        before=before,
        after=after,
        reason=reason,
    )


def case_events_record(events: Iterable[CaseEvent]) -> list[CaseEvent]:
    """Append events to cases' histories, in the order given: the one place case events are written.

    Every service that changes a case writes one (built by `case_event`); a batch writes its events in
    one insert.
    """
    recorded = CaseEvent.objects.bulk_create(list(events), batch_size=1000)
    hooks.events_were_recorded(recorded)
    return recorded


def case_event_record(
    case: Case,
    *,
    kind: EventKind,
    actor: Any,
    at: datetime | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> CaseEvent:
    """Append one event to a case's history."""
    event = case_event(case, kind=kind, actor=actor, at=at, before=before, after=after, reason=reason)
    return case_events_record([event])[0]


def next_reference(year: int) -> str:
    """AM-<year>-<number>, numbered per year. Call inside a transaction: the counter row is locked."""
    return ReferenceBook().next(year)


class ReferenceBook:
    """Case references for a batch: each year's counter row is locked and read once, numbers are handed
    out in order, and `save()` moves the counters past them. Call inside a transaction."""

    def __init__(self) -> None:
        self._last: dict[int, int] = {}
        self._taken: dict[int, int] = {}

    def next(self, year: int, *, save: bool = True) -> str:
        if year not in self._last:
            try:
                with transaction.atomic():
                    ReferenceCounter.objects.get_or_create(year=year)
            except IntegrityError:
                pass  # created by a concurrent transaction
            self._last[year] = ReferenceCounter.objects.select_for_update().get(year=year).last
            self._taken[year] = 0
        self._last[year] += 1
        self._taken[year] += 1
        if save:
            self.save()
        return format_reference(year, self._last[year])

    def save(self) -> None:
        for year, taken in self._taken.items():
            if taken:
                ReferenceCounter.objects.filter(year=year).update(last=F("last") + taken)
                self._taken[year] = 0


def format_reference(year: int, number: int) -> str:
    return f"AM-{year}-{number:06d}"


def response_target(kind: str, opened_at: datetime) -> datetime:
    return opened_at + timedelta(days=settings.AMENDS_RESPONSE_TARGET_DAYS[kind])


def _check_text(value: str, field: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"{field.replace('_', ' ').capitalize()} is required", fields={field: "required"})
    if len(value) > limit:
        raise DomainError(
            f"{field.replace('_', ' ').capitalize()} is longer than {limit} characters",
            fields={field: f"at most {limit} characters"},
        )
    return value


@transaction.atomic
def case_open(
    *,
    customer: Customer,
    kind: str,
    channel: str,
    summary: str,
    actor: Any = None,
    outcome_wanted: str = "",
    category: str = "",
    product: str = "",
    kind_reason: str = "",
    team: Team | None = None,
    owner: Any = None,
    opened_at: datetime | None = None,
) -> Case:
    fields = case_fields(
        kind=kind,
        channel=channel,
        summary=summary,
        outcome_wanted=outcome_wanted,
        category=category,
        product=product,
        kind_reason=kind_reason,
    )
    now = opened_at or timezone.now()
    case = case_new(customer=customer, team=team, owner=owner, opened_at=now, **fields)
    case.reference = next_reference(now.year)
    cases_insert([case])
    case_events_record([case_opened_event(case, actor=actor)])
    return case


def case_fields(
    *,
    kind: str,
    channel: str,
    summary: str,
    outcome_wanted: str = "",
    category: str = "",
    product: str = "",
    kind_reason: str = "",
) -> dict[str, str]:
    """What a new case says, checked: DomainError for anything a case cannot hold."""
    if kind not in CaseKind.values:
        raise DomainError(f"Unknown case kind {kind!r}", fields={"kind": "query, problem or complaint"})
    if channel not in Channel.values:
        raise DomainError(f"Unknown channel {channel!r}", fields={"channel": "unknown channel"})
    return {
        "kind": kind,
        "channel": channel,
        "summary": _check_text(summary, "summary", 300, required=True),
        "kind_reason": _check_text(kind_reason, "kind_reason", 300),
        "outcome_wanted": _check_text(outcome_wanted, "outcome_wanted", 5000),
        "category": _check_text(category, "category", 100),
        "product": _check_text(product, "product", 100),
    }


def case_new(
    *, customer: Customer, team: Team | None, owner: Any = None, opened_at: datetime, **fields: str
) -> Case:
    """A new case from checked `case_fields`, unsaved and without its reference: `case_open` for one,
    intake's batch import for many."""
    return Case(
        **fields,
        customer=customer,
        team=team,
        owner=owner,
        opened_at=opened_at,
        updated_at=opened_at,
        last_activity_at=opened_at,
        respond_by=response_target(fields["kind"], opened_at),
        public_token=secrets.token_urlsafe(32),
    )


def cases_insert(cases: list[Case]) -> None:
    """Store new cases built by `case_new`, with references from a `ReferenceBook`: the one place Case
    rows are inserted (`case_open` for one, intake's batch for many). The caller records their
    `opened` events (`case_opened_event`)."""
    Case.objects.bulk_create(cases, batch_size=1000)


def cases_contacts_save(cases: list[Case], *, status_changes: list[tuple[Case, str]], at: datetime) -> None:
    """Save what `case_contact_noted` changed on a batch's cases, then tell the status listeners of each
    case whose status it changed (`status_changes`: the case and its status before). The batch's
    `case_record_contact`; the caller records the status events `case_contact_noted` returned."""
    Case.objects.bulk_update(cases, ["last_activity_at", "status", "closed_at", "updated_at", "version"])
    for case, before in status_changes:
        hooks.status_changed(case=case, before=before, after=case.status, at=at)


def case_opened_event(case: Case, *, actor: Any) -> CaseEvent:
    """The "opened" event of a new case, unsaved."""
    return case_event(
        case,
        kind=EventKind.OPENED,
        actor=actor,
        at=case.opened_at,
        after={"kind": case.kind, "channel": case.channel, "status": case.status},
    )


def _lock(case: Case, expected_version: int | None) -> Case:
    """Re-read the case under a row lock and refuse if someone changed it since the caller read it."""
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise Conflict(
            f"{fresh.reference} was changed by someone else while you were looking at it. "
            "Reload to see their change, then try again."
        )
    return fresh


def _save(case: Case, fields: list[str], now: datetime) -> None:
    case.save(update_fields=_touched(case, fields, now))


def _touched(case: Case, fields: list[str], now: datetime) -> list[str]:
    """Mark a change to the case in memory (updated_at, version); the fields to save."""
    case.updated_at = now
    case.version = case.version + 1
    return [*fields, "updated_at", "version"]


@transaction.atomic
def case_transition(
    *, case: Case, to: str, actor: Any, reason: str = "", expected_version: int | None = None
) -> Case:
    case = _lock(case, expected_version)
    if to not in {s.value for s in Status}:
        raise DomainError(f"Unknown status {to!r}", fields={"status": "unknown status"})
    if not lifecycle.allowed(case.status, to):
        raise TransitionNotAllowed(
            f"A case that is {Status(case.status).label.lower()} cannot move to {Status(to).label.lower()}. "
            f"Allowed: {', '.join(s.label.lower() for s in lifecycle.next_statuses(case.status)) or 'none'}."
        )
    reason = _check_text(reason, "reason", 5000)
    if (Status(case.status), Status(to)) in lifecycle.REASON_REQUIRED and not reason:
        raise DomainError(
            "Say why: closing or re-opening a case needs a reason", fields={"reason": "required"}
        )
    if to == Status.CLOSED and (problems := hooks.closing_problems(case)):
        raise DomainError(
            f"{case.reference} cannot close yet: {'; '.join(problems)}.",
            code="cannot_close",
            fields={"status": "; ".join(problems)},
        )
    now = timezone.now()
    before = case.status
    case.status = to
    case.closed_at = now if to == Status.CLOSED else None
    _save(case, ["status", "closed_at"], now)
    kind = EventKind.REOPENED if lifecycle.is_reopen(before, to) else EventKind.STATUS_CHANGED
    case_event_record(
        case, kind=kind, actor=actor, at=now, before={"status": before}, after={"status": to}, reason=reason
    )
    # After the event, as for a customer's contact: a listener may read who changed it and why.
    hooks.status_changed(case=case, before=before, after=to, at=now)
    return case


@transaction.atomic
def case_assign(
    *,
    case: Case,
    owner: Any,
    actor: Any,
    team: Team | None = None,
    reason: str = "",
    note: str = "",
    expected_version: int | None = None,
) -> Case:
    """Give the case to `owner` (None: nobody), in `team` (its own by default).

    Whoever asks, the owner must be someone who may work the case (`owner_refusal`): an assessor, a
    person with no role or one outside the team is refused here, not only by the page that offers them.

    A case that had an owner changes hands only with a `reason` (`HandOver.Reason`: leave, workload,
    expertise, escalation, other) and, when someone gives it to another person, a hand-over `note`: what
    the new owner must know (where it stands, what was promised, how the customer is). The hand-over is
    kept (`HandOver`), shown to the new owner on the case page until they read it, and they are told.
    A first allocation may say why in words (`reason`) and leave a note too.
    """
    case = _lock(case, expected_version)
    new_team = team if team is not None else case.team
    if owner is not None:
        refusal = owner_refusal(owner, team_id=new_team.pk if new_team is not None else None)
        if refusal is not None:
            code, sentence = refusal
            raise DomainError(sentence, fields={"owner": code})
    note = _check_text(note, "note", 5000)
    handing_over = case.owner_id is not None and getattr(owner, "pk", None) != case.owner_id
    if handing_over:
        reason = (reason or "").strip()
        if reason not in HandOver.Reason.values:
            raise DomainError(
                "Say why the case changes hands: leave, workload, expertise, escalation or other",
                fields={"reason": "leave, workload, expertise, escalation or other"},
            )
        if owner is not None and owner.pk != getattr(actor, "pk", None) and not note:
            raise DomainError(
                "Write a hand-over note: where the case stands, what was promised, how the customer is",
                fields={"note": "required"},
            )
    else:
        reason = _check_text(reason, "reason", 300)
    before = {"owner": case.owner_id, "team": case.team_id}
    from_owner = case.owner
    case.owner, case.team = owner, new_team
    now = timezone.now()
    _save(case, ["owner", "team"], now)
    after = {"owner": case.owner_id, "team": case.team_id}
    if before == after:
        return case
    label = HandOver.Reason(reason).label if reason in HandOver.Reason.values else reason
    case_event_record(
        case, kind=EventKind.ASSIGNED, actor=actor, at=now, before=before, after=after, reason=label
    )
    if handing_over or (note and owner is not None):
        handover = HandOver.objects.create(
            case=case,
            from_owner=from_owner,
            to_owner=owner,
            by=actor if getattr(actor, "pk", None) else None,
            reason=reason if handing_over else HandOver.Reason.OTHER,
            note=note,
            at=now,
            # Nothing to read for nobody, or for someone who took the case themselves (they wrote any note).
            read_at=now if owner is None or owner.pk == getattr(actor, "pk", None) else None,
        )
        case_event_record(
            case,
            kind=EventKind.HANDED_OVER,
            actor=actor,
            at=now,
            before={"owner": before["owner"]},
            after={"owner": case.owner_id, "reason": handover.reason, "handover": handover.pk},
        )
        if owner is not None and owner.pk != getattr(actor, "pk", None):
            who = (actor.get_full_name() or actor.get_username()) if getattr(actor, "pk", None) else "Amends"
            why = handover.get_reason_display().lower()
            notify(
                users=[owner],
                text=f"{case.reference} was handed to you by {who} ({why}): read the hand-over note",
                link=reverse("case_detail", args=[case.reference]),
                urgent=False,
            )
    return case


@transaction.atomic
def handover_read(*, handover: HandOver, actor: Any) -> HandOver:
    """The new owner says they have read the hand-over note: it leaves the top of the case page."""
    fresh = HandOver.objects.select_for_update().select_related("case").get(pk=handover.pk)
    if fresh.to_owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("Only the person the case was handed to can mark its hand-over note read")
    if fresh.read_at is None:
        fresh.read_at = timezone.now()
        fresh.save(update_fields=["read_at"])
        case_event_record(
            fresh.case,
            kind=EventKind.HANDOVER_READ,
            actor=actor,
            at=fresh.read_at,
            after={"handover": fresh.pk},
        )
    return fresh


def handovers_unread(case: Case, user: Any) -> list[HandOver]:
    """The hand-over notes on this case the user has still to read (newest first)."""
    if not getattr(user, "pk", None) or case.owner_id != user.pk:
        return []  # a hand-over to someone who no longer owns the case is theirs to read no more
    return list(
        HandOver.objects.filter(case=case, to_owner=user, read_at__isnull=True)
        .select_related("from_owner", "by")
        .order_by("-at", "-id")
    )


@transaction.atomic
def case_reclassify(
    *,
    case: Case,
    actor: Any,
    kind: str,
    reason: str,
    category: str | None = None,
    product: str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Change what the case is (query, problem, complaint) and say why (CFACSC7 K5: the regime decides);
    with it, what it is about (category, product: None leaves one as it is)."""
    case = _lock(case, expected_version)
    if kind not in CaseKind.values:
        raise DomainError(f"Unknown case kind {kind!r}", fields={"kind": "query, problem or complaint"})
    reason = _check_text(reason, "reason", 300, required=True)
    before = {"kind": case.kind, "category": case.category, "product": case.product}
    category = case.category if category is None else _check_text(category, "category", 100)
    product = case.product if product is None else _check_text(product, "product", 100)
    case.kind, case.kind_reason, case.category, case.product = kind, reason, category, product
    now = timezone.now()
    case.respond_by = response_target(kind, case.opened_at)
    _save(case, ["kind", "kind_reason", "category", "product", "respond_by"], now)
    case_event_record(
        case,
        kind=EventKind.RECLASSIFIED,
        actor=actor,
        at=now,
        before=before,
        after={"kind": case.kind, "category": case.category, "product": case.product},
        reason=reason,
    )
    return case


def case_record_contact(*, case: Case, inbound: bool, at: datetime, actor: Any = None) -> Case:
    """Note a message on the case. A customer writing back re-opens what was waiting on them or finished.

    Called by the messaging services inside their transaction.
    """
    case = _lock(case, None)
    now = timezone.now()
    fields, event = case_contact_noted(case, inbound=inbound, at=at, now=now)
    case.save(update_fields=fields)
    if event is not None:
        case_events_record([event])
        hooks.status_changed(case=case, before=event.before["status"], after=case.status, at=now)
    return case


def case_contact_noted(
    case: Case, *, inbound: bool, at: datetime, now: datetime
) -> tuple[list[str], CaseEvent | None]:
    """`case_record_contact` on the case in memory: the fields it changed and, when the customer's
    message re-opened the case, the status event (unsaved). A batch records the events and saves the cases
    with `cases_contacts_save`, which tells the status listeners."""
    fields = ["last_activity_at"]
    case.last_activity_at = max(case.last_activity_at, at)
    event = None
    to = lifecycle.after_customer_contact(case.status) if inbound else None
    if to is not None:
        before = case.status
        case.status = to.value
        case.closed_at = None
        fields += ["status", "closed_at"]
        event = case_event(
            case,
            kind=EventKind.REOPENED if lifecycle.is_reopen(before, to) else EventKind.STATUS_CHANGED,
            actor=None,
            at=at,
            before={"status": before},
            after={"status": case.status},
            reason="The customer contacted us",
        )
    return _touched(case, fields, now), event


def cases_move_customer(
    *, keep: Customer, duplicate: Customer, actor: Any, at: datetime, reason: str
) -> dict:
    """Two customer records became one: the duplicate's cases move to the kept record, each with a new
    version (so an open form on one of them cannot save over the move) and a `customer_merged` event.
    Registered on customers.hooks.customer_merged (apps.py)."""
    cases = list(Case.objects.select_for_update().filter(customer=duplicate).order_by("id"))
    for case in cases:
        case.customer = keep
        _touched(case, [], at)
    Case.objects.bulk_update(cases, ["customer", "updated_at", "version"])
    case_events_record(
        case_event(
            case,
            kind=EventKind.CUSTOMER_MERGED,
            actor=actor,
            at=at,
            before={"customer": duplicate.pk},
            after={"customer": keep.pk},
            reason=reason,
        )
        for case in cases
    )
    return {"cases_moved": len(cases)}
