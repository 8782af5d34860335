"""Conduct decisions (regulation.md 3.3-3.5; CFACSC4 P17, K8, K10): made only by a role the level authorises,
with reasons, the incidents relied on from L2, adjustments considered and a senior check when the customer has
support needs (`hooks.support_needs`); at least one channel and the emergency contact always stay open;
time-limited with a review date; reviewed (lift, continue, vary). A decision never touches a complaint's
clocks: restricting contact does not end the duty to handle an open complaint."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import Role
from amends.core.permissions import (
    WORKING_ROLES,
    can_decide_at,
    can_give_senior_check,
    staff_of,
)
from amends.core.services import audit_record
from amends.customers.models import Channel, Customer

from . import defaults
from .hooks import support_needs_of
from .inputs import checked_case, clean_text, name_of, review_date
from .models import (
    BehaviourIncident,
    ConductDecision,
    DecisionReview,
    PolicyLevel,
    Restriction,
    RestrictionType,
)

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
            params["officer_name"] = name_of(officer)
        elif name == "matter":
            reference = (value or "").strip() if isinstance(value, str) else ""
            if not Case.objects.filter(reference=reference, customer=customer).exists():
                raise DomainError(
                    "Name the closed matter: one of the customer's case references",
                    fields={"matter": "unknown case"},
                )
            params[name] = reference
        else:
            params[name] = clean_text(
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
    reasons = clean_text(
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
    adjustments = clean_text(
        adjustments_considered,
        "adjustments_considered",
        required=bool(checked),
        what="Say which reasonable adjustments were considered before restricting contact",
    )
    vulnerability = clean_text(vulnerability_considered, "vulnerability_considered", required=False)
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
        review_date(review_due, after=effective_from)
    case = checked_case(case, customer)
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


def locked_active(decision: ConductDecision) -> ConductDecision:
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


def vary(actor: Any, decision: ConductDecision, variation: Variation, *, action: str) -> ConductDecision:
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
    locked = locked_active(decision)
    if not can_decide_at(actor, locked.level.decided_by):
        raise PermissionDenied(f"Your role may not review a {locked.level.code} decision")
    reasons = clean_text(reasons, "reasons", what="Give the reasons for the review's outcome")
    now = timezone.now()
    new = None
    if outcome == DecisionReview.Outcome.LIFT:
        locked.status, locked.ended_at = ConductDecision.Status.LIFTED, now
        locked.save(update_fields=["status", "ended_at"])
    elif outcome == DecisionReview.Outcome.CONTINUE:
        locked.review_due = review_date(next_review_due, "next_review_due")
        locked.save(update_fields=["review_due"])
    elif outcome == DecisionReview.Outcome.VARY:
        if variation is None:
            raise DomainError("Say what the decision becomes", fields={"level": "required"})
        new = vary(actor, locked, variation, action="conduct.decided_on_review")
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
