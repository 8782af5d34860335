"""Reads of behaviour records, decisions and markers: what a user may see, and the contact arrangements
the other apps apply (the reply form's channels, intake's named contact, the notices on a customer)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from amends.core.errors import NotFound
from amends.core.permissions import (
    can_configure_conduct,
    can_see_conduct,
    can_see_marker,
    case_scope,
    staff_of,
)
from amends.customers.models import Channel, Customer

from . import defaults
from .models import BehaviourIncident, ConductDecision, Restriction, WarningMarker, WellbeingFollowUp


def can_configure(user: Any) -> bool:
    return can_configure_conduct(user)


def incidents_visible(user: Any) -> QuerySet[BehaviourIncident]:
    """Incidents on customers the user can see (a case of theirs), for those who may see conduct records."""
    if not can_see_conduct(user):
        return BehaviourIncident.objects.none()
    customers = Customer.objects.filter(case_scope(user, through="cases__")).values("pk")
    return BehaviourIncident.objects.filter(customer_id__in=customers).select_related(
        "category", "customer", "case", "reported_by"
    )


def decisions_visible(user: Any) -> QuerySet[ConductDecision]:
    if not can_see_conduct(user):
        return ConductDecision.objects.none()
    customers = Customer.objects.filter(case_scope(user, through="cases__")).values("pk")
    return ConductDecision.objects.filter(customer_id__in=customers).select_related(
        "level", "customer", "case", "decided_by", "notice"
    )


def markers_for(user: Any, customer_ids: Sequence[int]) -> list[WarningMarker]:
    """The active markers on these customers this user's role may see: one query."""
    staff = staff_of(user)
    if staff is None:
        return []
    return [
        m
        for m in WarningMarker.objects.filter(customer_id__in=customer_ids, removed_at__isnull=True).order_by(
            "id"
        )
        if can_see_marker(user, m.visible_to)
    ]


def _active(customer_ids: Iterable[int]) -> list[ConductDecision]:
    return list(
        ConductDecision.objects.filter(
            customer_id__in=list(customer_ids), status=ConductDecision.Status.ACTIVE
        )
        .select_related("level")
        .prefetch_related(Prefetch("restrictions", queryset=Restriction.objects.select_related("type")))
    )


@dataclass(frozen=True)
class Arrangement:
    """How contact with a customer works under their active decision: what every screen says."""

    decision: ConductDecision
    restrictions: list[Restriction]
    channels: list[str] | None  # None: no one-channel restriction
    officer: int | None
    officer_name: str
    call_times: str
    closed_matter: str
    text: str


def arrangements_for(customer_ids: Iterable[int]) -> dict[int, Arrangement]:
    """The active decisions' contact arrangements, by customer: two queries."""
    found = {}
    for decision in _active(customer_ids):
        restrictions = list(decision.restrictions.all())
        if not restrictions:
            continue
        params = {r.type.code: r.parameters for r in restrictions}
        channels = params["one-channel"].get("channels") if "one-channel" in params else None
        spoc = params.get("single-point-of-contact", {})
        text = arrangement_words(restrictions)
        if decision.review_due:
            text += f" Until {decision.review_due:%-d %b %Y} (review)."
        text += f" Always open for emergencies: {emergency_contact()}."
        found[decision.customer_id] = Arrangement(
            decision=decision,
            restrictions=restrictions,
            channels=channels,
            officer=spoc.get("officer"),
            officer_name=spoc.get("officer_name", ""),
            call_times=params.get("set-call-times", {}).get("call_times", ""),
            closed_matter=params.get("no-replies-closed-matter", {}).get("matter", ""),
            text=text,
        )
    return found


def case_arrangement(case: Any, *, fresh: bool = True) -> Arrangement | None:
    """The arrangement of this case's customer, kept on the case object: read afresh (the reply channels,
    every time), or, with fresh=False, as last read for it (the case page's panel, after its reply form)."""
    if fresh or not hasattr(case, "_conduct_arrangement"):
        case._conduct_arrangement = arrangements_for([case.customer_id]).get(case.customer_id)
    return case._conduct_arrangement


def channel_words(channels: Sequence[str]) -> str:
    words = [Channel(c).label.lower() if Channel(c).label != "SMS" else "SMS" for c in channels]
    return " or ".join(words)


def arrangement_words(restrictions: Sequence[Restriction]) -> str:
    """The restrictions in a sentence each: "Contact by email only."."""
    parts = []
    for r in restrictions:
        p, code = r.parameters, r.type.code
        if code == "one-channel":
            parts.append(f"Contact by {channel_words(p.get('channels', []))} only.")
        elif code == "single-point-of-contact":
            parts.append(f"One named contact: {p.get('officer_name', '')}.")
        elif code == "set-call-times":
            parts.append(f"Calls only {p.get('call_times', '')}.")
        elif code == "no-replies-closed-matter":
            parts.append(
                "No replies to repeat correspondence on the closed matter "
                f"{p.get('matter', '')}: read and file it; acknowledge and consider new issues."
            )
        elif code == "appointments-only":
            parts.append("Face-to-face contact by appointment only.")
        elif code == "via-representative":
            parts.append(f"Contact through their representative, {p.get('representative', '')}.")
        elif code == "limit-issues":
            parts.append(f"A limit on issues: {p.get('issues', '')}.")
        elif code == "exclusion-from-premises":
            parts.append(f"Excluded from premises: {p.get('premises', '')}.")
        elif code == "service-elsewhere":
            parts.append(f"Service elsewhere: {p.get('service', '')}.")
        else:
            parts.append(f"{r.type.name}.")
    return " ".join(parts)


def allowed_channels(decision: ConductDecision) -> list[str] | None:
    """The channels a decision's one-channel restriction leaves open; None if it has none."""
    for r in decision.restrictions.select_related("type"):
        if r.type.code == "one-channel":
            return list(r.parameters.get("channels") or [])
    return None


def named_contacts(customer_ids: Iterable[int]) -> dict[int, int]:
    """customer id -> the user id of their named single point of contact, where an active decision names
    one: intake gives their new cases to that person. One query."""
    ids = list(customer_ids)
    if not ids:
        return {}
    rows = Restriction.objects.filter(
        decision__customer_id__in=ids,
        decision__status=ConductDecision.Status.ACTIVE,
        type__code="single-point-of-contact",
    ).values_list("decision__customer_id", "parameters")
    return {customer_id: params["officer"] for customer_id, params in rows if params.get("officer")}


def regime_referral(case: Any) -> dict | None:
    """The ombudsman of the case's regime (its referral body), for the notice; None when it follows none."""
    if case is None:
        return None
    from amends.process.models import CaseProcess
    from amends.process.services import definition_of

    process = CaseProcess.objects.filter(case=case).first()
    if process is None:
        return None
    referral = definition_of(process).referral
    if referral is None:
        return None
    return {
        "body": referral.body,
        "website": referral.website or "",
        "customer_time_limit": referral.customer_time_limit or "",
    }


def follow_ups_for(user: Any) -> list[WellbeingFollowUp]:
    return list(
        WellbeingFollowUp.objects.filter(owner=user, done_at__isnull=True)
        .select_related("incident__customer", "staff_member")
        .order_by("due_at")
    )


def emergency_contact() -> str:
    """The contact that stays open whatever a decision restricts, in the organisation's words (the
    AMENDS_CONDUCT_EMERGENCY_CONTACT setting), else the default: "Phone, for emergencies and ..."."""
    own = getattr(settings, "AMENDS_CONDUCT_EMERGENCY_CONTACT", "") or ""
    return own.strip() or defaults.EMERGENCY_CONTACT


def incident_for(user: Any, pk: int) -> BehaviourIncident:
    """The incident the user may see, else `NotFound` (the same answer whether it exists or not)."""
    incident = incidents_visible(user).filter(pk=pk).first()
    if incident is None:
        raise NotFound("No such incident, or not one you can see")
    return incident
