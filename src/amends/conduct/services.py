"""Every change to behaviour records, conduct decisions and warning markers: one service each, in a
transaction, audited (core `audit_record`), with a case event when it is about a case.

The policy (regulation.md 3.3-3.5; CFACSC4 P17, K8, K10): a decision only by a role the level authorises;
reasons always, the incidents relied on from L2; adjustments considered before any restriction, and a
senior check when the customer has support needs recorded (`hooks.support_needs`); at least one channel
and the emergency contact always stay open; time-limited with a review date (never indefinite); the
customer gets a written notice with how to appeal and the right to go to the ombudsman; an appeal is
decided by someone not involved. A decision never touches a complaint's clocks: restricting contact does
not end the duty to handle an open complaint (regulation.md 3.3 notes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, NotFound, PermissionDenied
from amends.core.models import Role
from amends.core.permissions import (
    WORKING_ROLES,
    can_decide_at,
    can_give_senior_check,
    can_keep_markers,
    can_report_behaviour,
    require,
    staff_of,
)
from amends.core.services import audit_record, notify
from amends.customers.models import Channel, Customer

from . import defaults
from .hooks import support_needs_of
from .models import (
    Appeal,
    BehaviourCategory,
    BehaviourIncident,
    ConductDecision,
    DecisionReview,
    PolicyLevel,
    Restriction,
    RestrictionType,
    WarningMarker,
    WellbeingFollowUp,
)

TEXT_LIMIT = 10_000
# A time-limited decision is reviewed within a year at the latest: never indefinite.
LONGEST_REVIEW = timedelta(days=366)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else "someone"


def _text(value: Any, name: str, *, required: bool = True, what: str = "") -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if text is None:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} must be text", fields={name: "text expected"}
        )
    if required and not text:
        raise DomainError(what or f"Say the {name.replace('_', ' ')}", fields={name: "required"})
    if len(text) > TEXT_LIMIT:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} is too long", fields={name: f"at most {TEXT_LIMIT}"}
        )
    return text


def team_leaders_of(user: Any) -> list[Any]:
    """Who a member of staff turns to at once (CFACSC4 K5): their team's leaders (not themselves); if
    there are none, the complaints leads; if none, the administrators."""
    staff = staff_of(user)
    users = get_user_model().objects.filter(is_active=True, staff__isnull=False).exclude(pk=user.pk)
    leaders = []
    if staff is not None and staff.team_id is not None:
        leaders = list(users.filter(staff__role=Role.TEAM_LEADER, staff__team_id=staff.team_id))
    return (
        leaders
        or list(users.filter(staff__role=Role.COMPLAINTS_LEAD))
        or list(users.filter(staff__role=Role.ADMIN))
    )


def complaints_leads() -> list[Any]:
    return list(get_user_model().objects.filter(is_active=True, staff__role=Role.COMPLAINTS_LEAD))


# --- the policy, as data ------------------------------------------------------------------------------


def _check_roles(roles: Any, name: str) -> list[str]:
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise DomainError("Name the roles as a list", fields={name: "list of roles"})
    unknown = [r for r in roles if r not in Role.values]
    if unknown:
        raise DomainError(f"Unknown roles: {', '.join(unknown)}", fields={name: "unknown role"})
    return [r for r in Role.values if r in roles]


@transaction.atomic
def category_save(
    *,
    actor: Any,
    name: str,
    category: BehaviourCategory | None = None,
    examples: str = "",
    severity_floor: str = "L1",
    alerts_team_leader: bool = False,
    verbatim_required: bool = False,
    active: bool = True,
) -> BehaviourCategory:
    """Add a behaviour category (organisations may add their own) or change one; audited."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    name = _text(name, "name")[:120]
    if not PolicyLevel.objects.filter(code=severity_floor).exists():
        raise DomainError(
            "The floor must be one of the policy's levels", fields={"severity_floor": "unknown"}
        )
    before = None
    if category is None:
        code = _slug(name)
        if BehaviourCategory.objects.filter(code=code).exists():
            raise DomainError("There is already a category of that name", fields={"name": "exists"})
        category = BehaviourCategory(code=code, position=1000)
    else:
        before = _category_state(category)
    category.name, category.examples = name, _text(examples, "examples", required=False)
    category.severity_floor, category.alerts_team_leader = severity_floor, bool(alerts_team_leader)
    category.verbatim_required, category.active = bool(verbatim_required), bool(active)
    category.save()
    audit_record(
        actor=actor,
        kind="conduct.category_saved",
        obj=category,
        before=before,
        after=_category_state(category),
    )
    return category


def _category_state(c: BehaviourCategory) -> dict:
    return {
        "name": c.name,
        "severity_floor": c.severity_floor,
        "alerts_team_leader": c.alerts_team_leader,
        "verbatim_required": c.verbatim_required,
        "active": c.active,
    }


def _slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name)[:40] or "category"


@transaction.atomic
def level_save(
    *,
    actor: Any,
    level: PolicyLevel,
    name: str,
    allows: str,
    decided_by: list[str],
    notice_required: bool,
    review_days: int | None,
) -> PolicyLevel:
    """Change what a level allows and who may decide it; audited. Time-limited levels keep a review
    period: a decision there is never indefinite."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    roles = _check_roles(decided_by, "decided_by")
    if not roles:
        raise DomainError("Say who may decide at this level", fields={"decided_by": "required"})
    if review_days is not None and not 1 <= review_days <= LONGEST_REVIEW.days:
        raise DomainError(
            f"A review period is 1 to {LONGEST_REVIEW.days} days", fields={"review_days": "out of range"}
        )
    if level.review_required and review_days is None:
        raise DomainError(
            "A time-limited level needs a review period: never indefinite", fields={"review_days": "required"}
        )
    before = _level_state(level)
    level.name, level.allows = _text(name, "name")[:120], _text(allows, "allows", required=False)
    level.decided_by, level.notice_required, level.review_days = roles, bool(notice_required), review_days
    level.save()
    audit_record(actor=actor, kind="conduct.level_saved", obj=level, before=before, after=_level_state(level))
    return level


def _level_state(level: PolicyLevel) -> dict:
    return {
        "name": level.name,
        "decided_by": level.decided_by,
        "notice_required": level.notice_required,
        "review_days": level.review_days,
    }


@transaction.atomic
def restriction_type_save(
    *, actor: Any, rtype: RestrictionType, name: str, description: str, active: bool
) -> RestrictionType:
    """Rename, describe, switch on or off a restriction of the catalogue; audited."""
    from .selectors import can_configure

    require(can_configure(actor), "Only complaints leads and administrators change the behaviour policy")
    before = {"name": rtype.name, "active": rtype.active}
    rtype.name = _text(name, "name")[:120]
    rtype.description = _text(description, "description", required=False)
    rtype.active = bool(active)
    rtype.save()
    audit_record(
        actor=actor,
        kind="conduct.restriction_type_saved",
        obj=rtype,
        before=before,
        after={"name": rtype.name, "active": rtype.active},
    )
    return rtype


# --- incidents ----------------------------------------------------------------------------------------


def _check_case(case: Case | None, customer: Customer) -> Case | None:
    if case is not None and case.customer_id != customer.pk:
        raise DomainError("That case is not this customer's", fields={"case": "another customer's"})
    return case


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
    description = _text(description, "description", what="Say what happened")
    verbatim = _text(
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
        case=_check_case(case, customer),
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
        text=f"{_name(actor)} reported {incident.category.name.lower()} by {incident.customer.name}{where} "
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
        extra=f"Safety report: check on {_name(actor)}'s wellbeing by "
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
    locked.note = _text(note, "note", what="Say how the member of staff is and what support was offered")
    locked.save(update_fields=["done_at", "done_by", "note"])
    audit_record(actor=actor, kind="conduct.follow_up_done", obj=locked, after={"note": locked.note})
    return locked


# --- warning markers ----------------------------------------------------------------------------------


def _check_review(review_due: date | None, name: str = "review_due", *, after: date | None = None) -> date:
    today = timezone.localdate()
    start = after or today
    if review_due is None:
        raise DomainError("Give a review date: never indefinite", fields={name: "required"})
    if review_due <= start:
        raise DomainError("The review date must be in the future", fields={name: "not after it starts"})
    if review_due > start + LONGEST_REVIEW:
        raise DomainError(
            "Review it within a year: never indefinite", fields={name: f"at most {LONGEST_REVIEW.days} days"}
        )
    return review_due


@transaction.atomic
def marker_add(
    *,
    actor: Any,
    customer: Customer,
    reason: str,
    basis: str,
    visible_to: list[str],
    review_due: date | None,
    incident: BehaviourIncident | None = None,
) -> WarningMarker:
    """A warning marker on the customer's record (CFACSC4 P17): the reason, the lawful basis, the roles
    that may see it and when it is reviewed. Anyone who works cases may add one; audited."""
    require(can_report_behaviour(actor), "Only those who work cases add warning markers")
    roles = _check_roles(visible_to, "visible_to")
    if not roles:
        raise DomainError("Say who may see the marker", fields={"visible_to": "required"})
    marker = WarningMarker.objects.create(
        customer=customer,
        incident=incident,
        reason=_text(reason, "reason", what="Say why the marker is needed"),
        basis=_text(basis, "basis", what="Give the lawful basis for the marker")[:200],
        visible_to=roles,
        review_due=_check_review(review_due or timezone.localdate() + timedelta(days=180)),
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        kind="conduct.marker_added",
        obj=marker,
        after={
            "customer": customer.pk,
            "basis": marker.basis,
            "visible_to": roles,
            "review_due": marker.review_due.isoformat(),
        },
    )
    return marker


def _locked_marker(marker: WarningMarker) -> WarningMarker:
    locked = WarningMarker.objects.select_for_update().get(pk=marker.pk)
    if locked.removed_at is not None:
        raise Conflict("This marker was already removed")
    return locked


@transaction.atomic
def marker_review(*, actor: Any, marker: WarningMarker, reasons: str, review_due: date) -> WarningMarker:
    """Keep the marker after review, to a new review date, with the reasons; audited."""
    require(can_keep_markers(actor), "Team leaders, complaints leads and administrators review markers")
    locked = _locked_marker(marker)
    before = {"review_due": locked.review_due.isoformat()}
    locked.review_due = _check_review(review_due)
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_due", "reviewed_at"])
    audit_record(
        actor=actor,
        kind="conduct.marker_reviewed",
        obj=locked,
        before=before,
        after={"review_due": locked.review_due.isoformat()},
        reason=_text(reasons, "reasons"),
    )
    return locked


@transaction.atomic
def marker_remove(*, actor: Any, marker: WarningMarker, reason: str) -> WarningMarker:
    """Take the marker off the customer's record, with the reason; audited."""
    require(can_keep_markers(actor), "Team leaders, complaints leads and administrators remove markers")
    locked = _locked_marker(marker)
    locked.removed_reason = _text(reason, "reason", what="Say why the marker is removed")
    locked.removed_at, locked.removed_by = timezone.now(), actor
    locked.save(update_fields=["removed_reason", "removed_at", "removed_by"])
    audit_record(actor=actor, kind="conduct.marker_removed", obj=locked, reason=locked.removed_reason)
    return locked


# --- decisions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestrictionIn:
    """A restriction to impose: its type's code and its parameters (defaults.RESTRICTIONS)."""

    type: str
    parameters: dict = field(default_factory=dict)


def _check_restrictions(level: PolicyLevel, wanted: Sequence[RestrictionIn], customer: Customer) -> list:
    if wanted and not level.restrictions_allowed:
        raise DomainError(
            f"{level.code} {level.name} imposes no restrictions: choose a restriction level",
            code="no_restrictions_at_level",
            fields={"restrictions": f"none at {level.code}"},
        )
    types = {
        t.code: t for t in RestrictionType.objects.filter(code__in=[r.type for r in wanted], active=True)
    }
    checked = []
    for r in wanted:
        rtype = types.get(r.type)
        if rtype is None:
            raise DomainError(f"Unknown restriction {r.type!r}", fields={"restrictions": "unknown"})
        if rtype.min_rank > level.rank:
            raise DomainError(
                f"{rtype.name} is a severe restriction: it needs level L{rtype.min_rank} or above",
                code="restriction_above_level",
                fields={"restrictions": rtype.code},
            )
        params = _check_parameters(rtype, r.parameters or {}, customer)
        checked.append((rtype, params))
    return checked


def _check_parameters(rtype: RestrictionType, given: dict, customer: Customer) -> dict:
    params: dict[str, Any] = {}
    for name in rtype.parameters:
        value = given.get(name)
        if name == "channels":
            channels = [value] if isinstance(value, str) else list(value or [])
            bad = [c for c in channels if c not in defaults.RESTRICTABLE_CHANNELS]
            if bad:
                raise DomainError(
                    f"Unknown channels: {', '.join(map(str, bad))}", fields={"channels": "unknown"}
                )
            params[name] = [c for c in defaults.RESTRICTABLE_CHANNELS if c in channels]
        elif name == "officer":
            officer = get_user_model().objects.filter(pk=value, is_active=True).first() if value else None
            staff = staff_of(officer)
            if staff is None or staff.role not in WORKING_ROLES:
                raise DomainError(
                    "Name the member of staff who will be the single point of contact",
                    fields={"officer": "a member of staff who works cases"},
                )
            params[name] = officer.pk
            params["officer_name"] = _name(officer)
        elif name == "matter":
            reference = (value or "").strip() if isinstance(value, str) else ""
            if not Case.objects.filter(reference=reference, customer=customer).exists():
                raise DomainError(
                    "Name the closed matter: one of the customer's case references",
                    fields={"matter": "unknown case"},
                )
            params[name] = reference
        else:
            params[name] = _text(
                value if isinstance(value, str) else None,
                name,
                what=f"{rtype.name} needs: {RestrictionType.Parameter(name).label.lower()}",
            )[:500]
    return params


def open_channels(restrictions: Iterable[tuple[str, dict]]) -> list[str]:
    """The channels left open to the customer by these (type code, parameters) restrictions: a one-channel
    restriction leaves only its channels; exclusion from premises closes face to face. Emergency contact by
    stays open besides (selectors.emergency_contact)."""
    left = list(defaults.RESTRICTABLE_CHANNELS)
    for code, params in restrictions:
        if code == "one-channel":
            left = [c for c in left if c in (params.get("channels") or [])]
        elif code == "exclusion-from-premises":
            left = [c for c in left if c != Channel.FACE_TO_FACE]
    return left


def _roles_words(roles: Iterable[str]) -> str:
    labels = [Role(r).label.lower() + "s" for r in roles if r in Role.values]
    return ", ".join(labels[:-1]) + (" or " if len(labels) > 1 else "") + (labels[-1] if labels else "nobody")


@transaction.atomic
def decision_make(
    *,
    actor: Any,
    customer: Customer,
    level: PolicyLevel | str,
    reasons: str,
    incidents: Sequence[BehaviourIncident] = (),
    restrictions: Sequence[RestrictionIn] = (),
    adjustments_considered: str = "",
    vulnerability_considered: str = "",
    senior_check_by: Any = None,
    effective_from: date | None = None,
    review_due: date | None = None,
    case: Case | None = None,
    replaces: ConductDecision | None = None,
    action: str = "conduct.decided",
) -> ConductDecision:
    """A decision on how the organisation deals with this customer's behaviour (regulation.md 3.5), or
    nothing at all with the reason: a role the level does not authorise; no reasons; no incidents relied on
    from L2; restrictions without the adjustments considered, or that would close every channel; a
    customer with support needs recorded and no senior check; no review date where the level is
    time-limited. The customer's other active decision is superseded by it (one current decision per
    customer). Complaint clocks are never touched."""
    if isinstance(level, str):
        level = PolicyLevel.objects.filter(code=level).first()
        if level is None:
            raise DomainError("Choose a level of the policy", fields={"level": "unknown"})
    if not can_decide_at(actor, level.decided_by):
        raise PermissionDenied(
            f"Your role may not decide at {level.code} ({level.name}): {_roles_words(level.decided_by)} may",
        )
    reasons = _text(
        reasons, "reasons", what="Give the reasons for the decision: the behaviour and the evidence"
    )
    incidents = list(incidents)
    if any(i.customer_id != customer.pk for i in incidents):
        raise DomainError(
            "An incident relied on is another customer's", fields={"incidents": "another customer's"}
        )
    if level.rank >= 2 and not incidents:
        raise DomainError(
            f"Name the incidents relied on: {level.code} needs them", fields={"incidents": "required"}
        )
    if level.immediate_only and not any(
        i.reported_by_id == actor.pk or i.staff_involved.filter(pk=actor.pk).exists() for i in incidents
    ):
        raise PermissionDenied(
            f"{level.code} {level.name} is taken by whoever faced the behaviour: name an incident you faced"
        )
    checked = _check_restrictions(level, restrictions, customer)
    adjustments = _text(
        adjustments_considered,
        "adjustments_considered",
        required=bool(checked),
        what="Say which reasonable adjustments were considered before restricting contact",
    )
    vulnerability = _text(vulnerability_considered, "vulnerability_considered", required=False)
    if checked:
        left = open_channels((rtype.code, params) for rtype, params in checked)
        if not left:
            from .selectors import emergency_contact

            raise DomainError(
                "These restrictions would close every channel. At least one channel must stay open "
                f"besides the one for emergencies (always open: {emergency_contact()}).",
                code="every_channel_closed",
                fields={"restrictions": "closes every channel"},
            )
    needs = support_needs_of(customer)
    if needs and (checked or level.rank >= 3):
        if senior_check_by is None:
            raise DomainError(
                f"This customer has support needs recorded ({needs}): a complaints lead or administrator "
                "must confirm that reasonable adjustments were considered before they are restricted.",
                code="senior_check_required",
                fields={"senior_check_by": "required"},
            )
        if not can_give_senior_check(senior_check_by):
            raise DomainError(
                "The senior check is a complaints lead's or an administrator's",
                code="senior_check_required",
                fields={"senior_check_by": "not senior"},
            )
        if not vulnerability:
            vulnerability = f"Support needs recorded: {needs}"
    today = timezone.localdate()
    effective_from = effective_from or today
    if effective_from < today - timedelta(days=30):
        raise DomainError(
            "A decision takes effect from today or a recent day", fields={"effective_from": "too early"}
        )
    if level.review_required or review_due is not None:
        _check_review(review_due, after=effective_from)
    case = _check_case(case, customer)
    now = timezone.now()
    staff = staff_of(actor)
    superseded = list(
        ConductDecision.objects.select_for_update().filter(
            customer=customer, status=ConductDecision.Status.ACTIVE
        )
    )
    decision = ConductDecision.objects.create(
        customer=customer,
        case=case,
        level=level,
        reasons=reasons,
        adjustments_considered=adjustments,
        vulnerability_considered=vulnerability,
        senior_check_by=senior_check_by if needs else None,
        decided_by=actor,
        decided_role=staff.role if staff else "",
        decided_at=now,
        effective_from=effective_from,
        review_due=review_due,
        replaces=replaces,
    )
    decision.incidents.set(incidents)
    Restriction.objects.bulk_create(
        Restriction(decision=decision, type=rtype, parameters=params) for rtype, params in checked
    )
    for old in superseded:
        old.status, old.ended_at = ConductDecision.Status.SUPERSEDED, now
        old.save(update_fields=["status", "ended_at"])
        audit_record(actor=actor, kind="conduct.decision_superseded", obj=old, after={"by": decision.pk})
    audit_record(
        actor=actor,
        kind=action,
        obj=decision,
        after={
            "customer": customer.pk,
            "level": level.code,
            "restrictions": [{"type": rtype.code, **params} for rtype, params in checked],
            "incidents": [i.pk for i in incidents],
            "effective_from": effective_from.isoformat(),
            "review_due": review_due.isoformat() if review_due else None,
            "senior_check_by": senior_check_by.pk if needs and senior_check_by else None,
        },
        reason=reasons,
    )
    if case is not None:
        case_event_record(
            case,
            kind=EventKind.CONDUCT_DECIDED,
            actor=actor,
            at=now,
            after={
                "decision": decision.pk,
                "level": level.code,
                "restrictions": [rtype.name for rtype, _ in checked],
            },
        )
    return decision


def _locked_active(decision: ConductDecision) -> ConductDecision:
    locked = ConductDecision.objects.select_for_update().select_related("level").get(pk=decision.pk)
    if locked.status != ConductDecision.Status.ACTIVE:
        raise Conflict(f"This decision is no longer active: {locked.get_status_display().lower()}")
    return locked


@dataclass(frozen=True)
class Variation:
    """A decision's new terms, when a review or an appeal varies it."""

    level: str
    reasons: str
    restrictions: Sequence[RestrictionIn] = ()
    adjustments_considered: str = ""
    review_due: date | None = None
    senior_check_by: Any = None


def _vary(actor: Any, decision: ConductDecision, variation: Variation, *, action: str) -> ConductDecision:
    return decision_make(
        actor=actor,
        customer=decision.customer,
        level=variation.level,
        reasons=variation.reasons,
        incidents=list(decision.incidents.all()),
        restrictions=variation.restrictions,
        adjustments_considered=variation.adjustments_considered or decision.adjustments_considered,
        vulnerability_considered=decision.vulnerability_considered,
        senior_check_by=variation.senior_check_by or decision.senior_check_by,
        review_due=variation.review_due,
        case=decision.case,
        replaces=decision,
        action=action,
    )


@transaction.atomic
def decision_review(
    *,
    actor: Any,
    decision: ConductDecision,
    outcome: str,
    reasons: str,
    next_review_due: date | None = None,
    variation: Variation | None = None,
) -> DecisionReview:
    """Review a decision at its review date (regulation.md 3.5): lift it if the behaviour has improved;
    otherwise continue it with the reasons and a new review date, or vary it. By a role the level
    authorises; audited."""
    locked = _locked_active(decision)
    if not can_decide_at(actor, locked.level.decided_by):
        raise PermissionDenied(f"Your role may not review a {locked.level.code} decision")
    reasons = _text(reasons, "reasons", what="Give the reasons for the review's outcome")
    now = timezone.now()
    new = None
    if outcome == DecisionReview.Outcome.LIFT:
        locked.status, locked.ended_at = ConductDecision.Status.LIFTED, now
        locked.save(update_fields=["status", "ended_at"])
    elif outcome == DecisionReview.Outcome.CONTINUE:
        locked.review_due = _check_review(next_review_due, "next_review_due")
        locked.save(update_fields=["review_due"])
    elif outcome == DecisionReview.Outcome.VARY:
        if variation is None:
            raise DomainError("Say what the decision becomes", fields={"level": "required"})
        new = _vary(actor, locked, variation, action="conduct.decided_on_review")
        next_review_due = new.review_due
    else:
        raise DomainError("A review lifts, continues or varies the decision", fields={"outcome": "unknown"})
    review = DecisionReview.objects.create(
        decision=locked,
        reviewed_by=actor,
        reviewed_at=now,
        outcome=outcome,
        reasons=reasons,
        next_review_due=next_review_due if outcome != DecisionReview.Outcome.LIFT else None,
        new_decision=new,
    )
    audit_record(
        actor=actor,
        kind="conduct.decision_reviewed",
        obj=locked,
        after={
            "outcome": outcome,
            "next_review_due": next_review_due.isoformat() if next_review_due else None,
        },
        reason=reasons,
    )
    if locked.case_id:
        case_event_record(
            locked.case,
            kind=EventKind.CONDUCT_REVIEWED,
            actor=actor,
            at=now,
            after={"decision": locked.pk, "outcome": outcome},
        )
    return review


def involved_in(decision: ConductDecision) -> set[int]:
    """Who took part in a decision: who made it, who gave its senior check, who reported or faced the
    incidents it relies on. None of them decides its appeal."""
    people = {decision.decided_by_id}
    if decision.senior_check_by_id:
        people.add(decision.senior_check_by_id)
    for incident in decision.incidents.all():
        people.add(incident.reported_by_id)
        people.update(incident.staff_involved.values_list("pk", flat=True))
    return people


@transaction.atomic
def appeal_lodge(
    *, actor: Any, decision: ConductDecision, grounds: str, received_at: datetime | None = None
) -> Appeal:
    """Record the customer's appeal against a decision, in their words; the complaints leads are told
    (it is decided by someone not involved)."""
    require(can_report_behaviour(actor), "Only those who work cases record an appeal")
    locked = _locked_active(decision)
    if locked.appeals.filter(decided_at__isnull=True).exists():
        raise Conflict("An appeal against this decision is already waiting")
    now = timezone.now()
    appeal = Appeal.objects.create(
        decision=locked,
        grounds=_text(grounds, "grounds", what="Write down why the customer disagrees"),
        received_at=received_at or now,
        recorded_by=actor,
    )
    audit_record(actor=actor, kind="conduct.appeal_lodged", obj=appeal, after={"decision": locked.pk})
    if locked.case_id:
        case_event_record(
            locked.case,
            kind=EventKind.CONDUCT_APPEALED,
            actor=actor,
            at=now,
            after={"decision": locked.pk, "appeal": appeal.pk},
        )
    notify(
        users=[u for u in complaints_leads() if u.pk not in involved_in(locked)],
        text=f"{locked.customer.name} appealed against the {locked.level.code} decision: someone not "
        "involved decides it",
        link=reverse("conduct_decision", args=[locked.pk]),
        urgent=False,
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *,
    actor: Any,
    appeal: Appeal,
    outcome: str,
    reasons: str,
    variation: Variation | None = None,
) -> Appeal:
    """Decide an appeal: upheld (the decision stands), overturned (it ends) or varied (new terms), by
    someone not involved in the decision whose role may decide at its level. The customer is told, through
    the channel their arrangement leaves open."""
    locked = (
        Appeal.objects.select_for_update()
        .select_related("decision__level", "decision__customer")
        .get(pk=appeal.pk)
    )
    if locked.decided_at is not None:
        raise Conflict("This appeal was already decided")
    decision = locked.decision
    if actor.pk in involved_in(decision) or actor.pk == locked.recorded_by_id:
        raise PermissionDenied(
            "An appeal is decided by someone not involved in the decision or its incidents"
        )
    if not can_decide_at(actor, decision.level.decided_by):
        raise PermissionDenied(f"Your role may not decide a {decision.level.code} decision's appeal")
    reasons = _text(reasons, "reasons", what="Give the reasons for the appeal's outcome")
    now = timezone.now()
    if outcome == Appeal.Outcome.UPHELD:
        pass
    elif outcome == Appeal.Outcome.OVERTURNED:
        active = _locked_active(decision)
        active.status, active.ended_at = ConductDecision.Status.OVERTURNED, now
        active.save(update_fields=["status", "ended_at"])
    elif outcome == Appeal.Outcome.VARIED:
        if variation is None:
            raise DomainError("Say what the decision becomes", fields={"level": "required"})
        _locked_active(decision)
        locked.new_decision = _vary(actor, decision, variation, action="conduct.decided_on_appeal")
    else:
        raise DomainError("An appeal is upheld, overturned or varied", fields={"outcome": "unknown"})
    locked.outcome, locked.reasons, locked.decided_by, locked.decided_at = outcome, reasons, actor, now
    locked.save(update_fields=["outcome", "reasons", "decided_by", "decided_at", "new_decision"])
    audit_record(
        actor=actor, kind="conduct.appeal_decided", obj=locked, after={"outcome": outcome}, reason=reasons
    )
    case = decision.case or _latest_case(decision.customer)
    if case is not None:
        case_event_record(
            case,
            kind=EventKind.APPEAL_DECIDED,
            actor=actor,
            at=now,
            after={"decision": decision.pk, "appeal": locked.pk, "outcome": outcome},
        )
        _tell_customer(case, actor, locked)
    notify(
        users=[decision.decided_by],
        text=f"The appeal against your {decision.level.code} decision on {decision.customer.name}: "
        f"{locked.get_outcome_display().lower()}",
        link=reverse("conduct_decision", args=[decision.pk]),
        urgent=False,
    )
    return locked


def _latest_case(customer: Customer) -> Case | None:
    return Case.objects.filter(customer=customer).order_by("-opened_at", "-id").first()


def _tell_customer(case: Case, actor: Any, appeal: Appeal) -> None:
    from amends.messaging.services import message_send

    words = {
        Appeal.Outcome.UPHELD: "We have looked again at our decision about how we deal with your contact "
        "with us, and it stands.",
        Appeal.Outcome.OVERTURNED: "We have looked again at our decision about how we deal with your contact "
        "with us, and we have withdrawn it: you can contact us in the usual ways again.",
        Appeal.Outcome.VARIED: "We have looked again at our decision about how we deal with your contact "
        "with us, and we have changed it. We will write to you with the new arrangements.",
    }[appeal.outcome]
    body = (
        f"{words}\n\nWhy: {appeal.reasons}\n\nThe appeal was decided by someone who was not involved in the "
        "decision. If you are still unhappy with how we have treated you, you can ask the ombudsman to look "
        "at it.\n\nThis does not change how we deal with your complaint."
    )
    message_send(case=case, actor=actor, body=body, subject="Your appeal about how we deal with your contact")


# --- the notice ---------------------------------------------------------------------------------------


def notice_fields(decision: ConductDecision) -> tuple[dict[str, str], dict | None]:
    """The notice letter's fields and the ombudsman (the regime's referral body, when the case follows
    one): the restriction, from when, the reasons, the review date, how to appeal, the ombudsman."""
    from .selectors import arrangement_words, emergency_contact, regime_referral

    restrictions = list(decision.restrictions.select_related("type"))
    start = f"{decision.effective_from:%-d %B %Y}"
    terms = arrangement_words(restrictions) or decision.level.allows
    lines = [
        f"We have decided to apply the following from {start}: {decision.level.name.lower()}.",
        terms,
        f"Whatever these arrangements say, you can always contact us about an emergency or an urgent health "
        f"and safety matter: {emergency_contact()}.",
    ]
    review = (
        f"This decision is not permanent. We will review it on {decision.review_due:%-d %B %Y}, and write to "
        "you with the outcome: we will lift it if things have improved."
        if decision.review_due
        else "We will keep this decision under review."
    )
    referral = regime_referral(decision.case or _latest_case(decision.customer))
    ombudsman = (
        f"You also have the right to ask {referral['body']} to look at how we have treated you."
        if referral
        else "You also have the right to ask the ombudsman for our sector to look at how we have treated you."
    )
    appeal = (
        "If you disagree with this decision, you can appeal: tell us why, within 28 days of this letter. "
        "Someone who was not involved in the decision will look at it again and tell you what they decide. "
        + ombudsman
    )
    return {
        "message": "",
        "decision": "\n\n".join(line for line in lines if line),
        "reasons": decision.reasons,
        "timescales": review,
        "how_to_escalate": appeal,
    }, referral


def notice_send(*, actor: Any, decision: ConductDecision) -> Any:
    """Write the notice letter (a PDF in the customer's letters, on the decision's case or their latest)
    and send it through the channel the decision leaves open: by email when email is open and we have
    their address, else printed for post. The letter is rendered outside any transaction (letters)."""
    from amends.letters.services import letter_compose, letter_send
    from amends.messaging.services import customer_email

    from .selectors import allowed_channels

    decision = ConductDecision.objects.select_related("level", "customer", "case").get(pk=decision.pk)
    if not can_decide_at(actor, decision.level.decided_by):
        raise PermissionDenied(f"Your role may not send a {decision.level.code} decision's notice")
    if decision.status != ConductDecision.Status.ACTIVE:
        raise Conflict("This decision is no longer active")
    if decision.notice_id:
        raise Conflict("The notice of this decision was already sent")
    case = decision.case or _latest_case(decision.customer)
    if case is None:
        raise DomainError("The customer has no case to keep the letter on", code="no_case")
    fields, referral = notice_fields(decision)
    required = ["decision", "reasons", "timescales", "how_to_escalate"] + (
        ["referral_rights"] if referral else []
    )
    letter = letter_compose(
        case=case, kind="conduct_notice", fields=fields, required=required, referral=referral, actor=actor
    )
    open_ = allowed_channels(decision)
    by = "email" if (open_ is None or "email" in open_) and customer_email(decision.customer) else "print"
    sent = letter_send(letter=letter, actor=actor, by=by)
    with transaction.atomic():
        ConductDecision.objects.filter(pk=decision.pk).update(notice=sent)
        audit_record(
            actor=actor, kind="conduct.notice_sent", obj=decision, after={"letter": sent.pk, "by": by}
        )
    return sent


# --- the worker: reviews due ---------------------------------------------------------------------------


def reviews_remind(now: datetime) -> int:
    """Tell the decision maker, their team leaders and the complaints leads that a decision's review is due,
    once per review date: claimed and marked in one transaction (the worker's pattern, process/tasks.py)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = (
            ConductDecision.objects.filter(status=ConductDecision.Status.ACTIVE, review_due__lte=today)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("review_due")))
            .select_related("decided_by", "customer", "level")
            .order_by("review_due", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        decisions = list(due[:500])
        leads = complaints_leads()
        for decision in decisions:
            people = [decision.decided_by, *team_leaders_of(decision.decided_by), *leads]
            notify(
                users=[p for p in people if p.is_active],
                text=f"Review due: the {decision.level.code} decision on {decision.customer.name} "
                f"({decision.review_due:%-d %b %Y}). Lift, continue or vary it, with reasons.",
                link=reverse("conduct_decision", args=[decision.pk]),
                urgent=False,
            )
            ConductDecision.objects.filter(pk=decision.pk).update(reminded_for=decision.review_due)
            audit_record(
                actor=None,
                kind="conduct.review_reminded",
                obj=decision,
                after={"review_due": decision.review_due.isoformat()},
            )
    return len(decisions)


def markers_remind(now: datetime) -> int:
    """Tell whoever added a warning marker, and their team leaders, that its review is due (ICO: markers
    are reviewed, not kept for ever), once per review date."""
    today = timezone.localdate(now)
    with transaction.atomic():
        due = (
            WarningMarker.objects.filter(removed_at__isnull=True, review_due__lte=today)
            .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("review_due")))
            .select_related("created_by", "customer")
            .order_by("review_due", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        markers = list(due[:500])
        for marker in markers:
            people = [marker.created_by, *team_leaders_of(marker.created_by)]
            notify(
                users=[p for p in people if p.is_active],
                text=f"Review due: the warning marker on {marker.customer.name} "
                f"({marker.review_due:%-d %b %Y}). Keep it to a new date, or remove it.",
                link=reverse("conduct_customer", args=[marker.customer_id]) + "#markers",
                urgent=False,
            )
            WarningMarker.objects.filter(pk=marker.pk).update(reminded_for=marker.review_due)
            audit_record(
                actor=None,
                kind="conduct.marker_review_reminded",
                obj=marker,
                after={"review_due": marker.review_due.isoformat()},
            )
    return len(markers)


def worker_steps() -> dict:
    return {"conduct_reviews": reviews_remind, "conduct_marker_reviews": markers_remind}


def incident_for(user: Any, pk: int) -> BehaviourIncident:
    from .selectors import incidents_visible

    incident = incidents_visible(user).filter(pk=pk).first()
    if incident is None:
        raise NotFound("No such incident, or not one you can see")
    return incident
