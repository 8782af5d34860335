"""Appeals against a conduct decision: lodged for the customer, decided only by someone not involved in the
decision (regulation.md 3.4), the customer told of the outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event_record
from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.permissions import (
    can_decide_at,
    can_report_behaviour,
    require,
)
from amends.core.services import audit_record, notify

from .decisions import Variation, locked_active, vary
from .inputs import clean_text, latest_case
from .models import (
    Appeal,
    ConductDecision,
)
from .people import complaints_leads


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
    locked = locked_active(decision)
    if locked.appeals.filter(decided_at__isnull=True).exists():
        raise Conflict("An appeal against this decision is already waiting")
    now = timezone.now()
    appeal = Appeal.objects.create(
        decision=locked,
        grounds=clean_text(grounds, "grounds", what="Write down why the customer disagrees"),
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
    reasons = clean_text(reasons, "reasons", what="Give the reasons for the appeal's outcome")
    now = timezone.now()
    if outcome == Appeal.Outcome.UPHELD:
        pass
    elif outcome == Appeal.Outcome.OVERTURNED:
        active = locked_active(decision)
        active.status, active.ended_at = ConductDecision.Status.OVERTURNED, now
        active.save(update_fields=["status", "ended_at"])
    elif outcome == Appeal.Outcome.VARIED:
        if variation is None:
            raise DomainError("Say what the decision becomes", fields={"level": "required"})
        locked_active(decision)
        locked.new_decision = vary(actor, decision, variation, action="conduct.decided_on_appeal")
    else:
        raise DomainError("An appeal is upheld, overturned or varied", fields={"outcome": "unknown"})
    locked.outcome, locked.reasons, locked.decided_by, locked.decided_at = outcome, reasons, actor, now
    locked.save(update_fields=["outcome", "reasons", "decided_by", "decided_at", "new_decision"])
    audit_record(
        actor=actor, kind="conduct.appeal_decided", obj=locked, after={"outcome": outcome}, reason=reasons
    )
    case = decision.case or latest_case(decision.customer)
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
