"""Behaviour incidents and the one-step safety report: recorded in seconds, the team leaders told at once
(CFACSC4 P9, P13, K5), a wellbeing follow-up for the member of staff, optionally a warning marker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError
from amends.core.permissions import (
    can_keep_markers,
    can_report_behaviour,
    require,
)
from amends.core.services import audit_record, notify
from amends.customers.models import Channel, Customer

from . import defaults
from .inputs import checked_case, clean_text, name_of
from .markers import marker_add
from .models import (
    BehaviourCategory,
    BehaviourIncident,
    WarningMarker,
    WellbeingFollowUp,
)
from .people import team_leaders_of

# --- incidents ----------------------------------------------------------------------------------------


def _incident(
    *,
    actor: Any,
    customer: Customer,
    category: BehaviourCategory | str,
    description: str,
    channel: str,
    occurred_at: datetime | None,
    severity: str,
    verbatim: str,
    staff: Sequence[Any],
    immediate_action: str,
    case: Case | None,
    safety: bool,
) -> BehaviourIncident:
    require(can_report_behaviour(actor), "Only those who work cases report behaviour")
    if isinstance(category, str):
        category = BehaviourCategory.objects.filter(code=category, active=True).first()
    if category is None or not category.active:
        raise DomainError("Choose a behaviour category from the policy", fields={"category": "unknown"})
    if channel not in Channel.values:
        raise DomainError("Say which channel it happened on", fields={"channel": "unknown channel"})
    if severity not in BehaviourIncident.Severity.values:
        raise DomainError("Severity is low, medium or high", fields={"severity": "unknown"})
    if immediate_action not in BehaviourIncident.Action.values:
        raise DomainError("Unknown immediate action", fields={"immediate_action": "unknown"})
    description = clean_text(description, "description", what="Say what happened")
    verbatim = clean_text(
        verbatim,
        "verbatim",
        required=category.verbatim_required,
        what="Write down what was said, word for word: it is required for threats",
    )
    now = timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + timedelta(minutes=5):
        raise DomainError(
            "An incident is something that has happened", fields={"occurred_at": "in the future"}
        )
    incident = BehaviourIncident.objects.create(
        customer=customer,
        case=checked_case(case, customer),
        category=category,
        severity=severity,
        channel=channel,
        occurred_at=occurred_at,
        description=description,
        verbatim=verbatim,
        immediate_action=immediate_action,
        reported_by=actor,
        reported_at=now,
        safety_report=safety,
    )
    involved = [u for u in staff if u is not None] or [actor]
    incident.staff_involved.set(involved)
    audit_record(
        actor=actor,
        kind="conduct.incident_reported",
        obj=incident,
        after={
            "customer": customer.pk,
            "case": case.reference if case else None,
            "category": category.code,
            "severity": severity,
            "channel": channel,
            "immediate_action": immediate_action,
            "staff": [u.pk for u in involved],
            "safety_report": safety,
        },
    )
    if case is not None:
        case_event_record(
            case,
            kind=EventKind.BEHAVIOUR_REPORTED,
            actor=actor,
            at=now,
            after={
                "incident": incident.pk,
                "category": category.name,
                "channel": channel,
                "immediate_action": immediate_action,
            },
        )
    return incident


def _alert(incident: BehaviourIncident, actor: Any, *, extra: str = "") -> list[Any]:
    """Tell the reporter's team leaders at once, urgently, once per incident (CFACSC4 K9, K10)."""
    if incident.alerted_at is not None:
        return []
    leaders = team_leaders_of(actor)
    where = f" on {incident.case.reference}" if incident.case_id else ""
    notify(
        users=leaders,
        text=f"{name_of(actor)} reported {incident.category.name.lower()} by {incident.customer.name}{where} "
        f"({incident.get_channel_display().lower()}; {incident.get_immediate_action_display().lower()}). "
        f"{extra}".strip(),
        link=reverse("conduct_incident", args=[incident.pk]),
        urgent=True,
        safety=True,  # staff safety: emailed to the team leaders whatever their email choice
    )
    incident.alerted_at = timezone.now()
    incident.save(update_fields=["alerted_at"])
    return leaders


@transaction.atomic
def incident_report(
    *,
    actor: Any,
    customer: Customer,
    category: BehaviourCategory | str,
    description: str,
    channel: str,
    occurred_at: datetime | None = None,
    severity: str = BehaviourIncident.Severity.MEDIUM,
    verbatim: str = "",
    staff: Sequence[Any] = (),
    immediate_action: str = BehaviourIncident.Action.NONE,
    case: Case | None = None,
) -> BehaviourIncident:
    """Record a behaviour incident (CFACSC4 P1, P17): what happened, on which channel, what was said
    (word for word for threats), who faced it and what they did at once. Violence, threats and abuse tell
    the reporter's team leaders at once, urgently, once (in the app; by email too once core's urgent
    notifications email). A case event when it is about a case."""
    incident = _incident(
        actor=actor,
        customer=customer,
        category=category,
        description=description,
        channel=channel,
        occurred_at=occurred_at,
        severity=severity,
        verbatim=verbatim,
        staff=staff,
        immediate_action=immediate_action,
        case=case,
        safety=False,
    )
    if incident.category.alerts_team_leader:
        _alert(incident, actor)
    return incident


@dataclass(frozen=True)
class MarkerRequest:
    reason: str
    basis: str = defaults.MARKER_BASIS
    visible_to: Sequence[str] = field(default_factory=lambda: list(defaults.MARKER_ROLES))
    review_due: date | None = None


@dataclass(frozen=True)
class SafetyReport:
    incident: BehaviourIncident
    follow_up: WellbeingFollowUp
    marker: WarningMarker | None
    told: list[Any]


def _next_working_day(moment: datetime) -> datetime:
    """A working day later (Monday to Friday), at the same time."""
    later = moment + timedelta(days=1)
    while timezone.localtime(later).weekday() >= 5:
        later += timedelta(days=1)
    return later


@transaction.atomic
def safety_report(
    *,
    actor: Any,
    customer: Customer,
    description: str,
    verbatim: str,
    channel: str,
    immediate_action: str,
    occurred_at: datetime | None = None,
    case: Case | None = None,
    staff: Sequence[Any] = (),
    marker: MarkerRequest | None = None,
) -> SafetyReport:
    """The one-step safety report (CFACSC4 P17, K10): an incident of violence or threats, the team leader
    told at once (urgent), a follow-up opened for the wellbeing of the member of staff who faced it (the
    team leader's, due within a working day), and a warning marker on the customer if asked for."""
    category = (
        BehaviourCategory.objects.filter(code="violence-threats", active=True).first()
        or BehaviourCategory.objects.filter(
            active=True, alerts_team_leader=True, verbatim_required=True
        ).first()
    )
    if category is None:
        raise DomainError("The policy has no category for violence or threats", code="no_category")
    incident = _incident(
        actor=actor,
        customer=customer,
        category=category,
        description=description,
        channel=channel,
        occurred_at=occurred_at,
        severity=BehaviourIncident.Severity.HIGH,
        verbatim=verbatim,
        staff=staff,
        immediate_action=immediate_action,
        case=case,
        safety=True,
    )
    # Nobody above them (a lead with no other lead or administrator): they keep their own follow-up.
    leaders = team_leaders_of(actor) or [actor]
    added = (
        marker_add(
            actor=actor,
            customer=customer,
            incident=incident,
            reason=marker.reason,
            basis=marker.basis,
            visible_to=list(marker.visible_to),
            review_due=marker.review_due,
        )
        if marker is not None
        else None
    )
    now = timezone.now()
    follow_ups = [
        WellbeingFollowUp(
            incident=incident,
            staff_member=member,
            owner=leaders[0],
            due_at=_next_working_day(now),
            created_at=now,
        )
        for member in incident.staff_involved.all()
    ]
    WellbeingFollowUp.objects.bulk_create(follow_ups)
    for follow_up in follow_ups:
        audit_record(
            actor=actor,
            kind="conduct.follow_up_opened",
            obj=WellbeingFollowUp.objects.get(incident=incident, staff_member=follow_up.staff_member),
            after={"staff_member": follow_up.staff_member_id, "owner": leaders[0].pk},
        )
    told = _alert(
        incident,
        actor,
        extra=f"Safety report: check on {name_of(actor)}'s wellbeing by "
        f"{timezone.localtime(follow_ups[0].due_at):%a %d %b %H:%M}."
        + (" A warning marker was added." if added else ""),
    )
    return SafetyReport(incident, WellbeingFollowUp.objects.filter(incident=incident).first(), added, told)


@transaction.atomic
def follow_up_done(*, actor: Any, follow_up: WellbeingFollowUp, note: str) -> WellbeingFollowUp:
    """The team leader checked on the member of staff; what was agreed (support offered, time off)."""
    locked = WellbeingFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.done_at is not None:
        raise Conflict("This follow-up is already done")
    require(
        actor.pk == locked.owner_id or can_keep_markers(actor),
        "Only the team leader it was given to, or a manager, closes this follow-up",
    )
    locked.done_at, locked.done_by = timezone.now(), actor
    locked.note = clean_text(note, "note", what="Say how the member of staff is and what support was offered")
    locked.save(update_fields=["done_at", "done_by", "note"])
    audit_record(actor=actor, kind="conduct.follow_up_done", obj=locked, after={"note": locked.note})
    return locked
