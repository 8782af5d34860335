"""Customer records: matching incoming contacts to one customer, contact points, merging duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.services import audit_record

from .models import Channel, ContactPoint, Customer, MergeSuggestion, Nation
from .normalise import name_key, normalise_email, normalise_handle, normalise_phone


@dataclass(frozen=True)
class ContactDetails:
    """What an incoming contact tells us about who sent it. Any field may be missing."""

    name: str = ""
    email: str = ""
    phone: str = ""
    handle: str = ""
    nation: str = ""
    kind: str = Customer.Kind.PERSON


def _normal_points(details: ContactDetails) -> list[tuple[str, str, str]]:
    points = []
    if details.email:
        email = normalise_email(details.email)
        if email is None:
            raise DomainError("That email address does not look valid", fields={"email": "not a valid email"})
        points.append((ContactPoint.Kind.EMAIL, details.email.strip(), email))
    if details.phone:
        phone = normalise_phone(details.phone)
        if phone is None:
            raise DomainError("That phone number does not look valid", fields={"phone": "not a valid number"})
        points.append((ContactPoint.Kind.PHONE, details.phone.strip(), phone))
    if details.handle:
        handle = normalise_handle(details.handle)
        if handle:
            points.append((ContactPoint.Kind.SOCIAL, details.handle.strip(), handle))
    return points


def _resolve(customer: Customer) -> Customer:
    """Follow merges to the surviving record."""
    seen = set()
    while customer.merged_into_id is not None and customer.pk not in seen:
        seen.add(customer.pk)
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


@transaction.atomic
def customer_match_or_create(
    *, details: ContactDetails, channel: str = Channel.EMAIL, actor: Any = None
) -> tuple[Customer, bool]:
    """The customer these details belong to, creating one if nobody matches.

    Email, then phone, then social handle decide. When the details point at two different customers, the
    first match wins and a merge is suggested for a person to decide: records are never merged silently.
    """
    points = _normal_points(details)
    if not points and not details.name.strip():
        raise DomainError("A contact needs at least a name, an email address or a phone number")
    existing = {
        (cp.kind, cp.normalised): cp
        for cp in ContactPoint.objects.select_related("customer").filter(
            normalised__in=[p[2] for p in points]
        )
    }
    matched = [_resolve(existing[(k, n)].customer) for k, _, n in points if (k, n) in existing]
    now = timezone.now()
    created = False
    if matched:
        customer = matched[0]
        for other in matched[1:]:
            if other.pk != customer.pk:
                merge_suggest(
                    keep=customer, duplicate=other, reason="Contact details of one message match both"
                )
    else:
        name = details.name.strip() or points[0][1]
        nation = details.nation if details.nation in Nation.values else Nation.ENGLAND_WALES
        if details.kind not in Customer.Kind.values:
            raise DomainError(
                "A customer is a person or an organisation", fields={"kind": "person or organisation"}
            )
        customer = Customer.objects.create(
            kind=details.kind,
            name=name[:200],
            name_key=name_key(name)[:200],
            nation=nation,
            preferred_channel=channel,
            created_at=now,
        )
        created = True
        audit_record(actor=actor, kind="customer.created", obj=customer, after={"name": customer.name})
    for kind, value, normalised in points:
        if (kind, normalised) not in existing:
            _add_point(customer, kind, value, normalised, actor)
    if created:
        _suggest_same_name(customer)
    return customer, created


def _add_point(customer: Customer, kind: str, value: str, normalised: str, actor: Any) -> None:
    is_primary = not customer.contact_points.filter(kind=kind).exists()
    try:
        with transaction.atomic():
            ContactPoint.objects.create(
                customer=customer,
                kind=kind,
                value=value[:300],
                normalised=normalised[:300],
                is_primary=is_primary,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return  # another request added it first: it already belongs to someone, which is what matters
    audit_record(actor=actor, kind="customer.contact_point_added", obj=customer, after={kind: value})


def _suggest_same_name(customer: Customer) -> None:
    others = (
        Customer.objects.filter(name_key=customer.name_key, merged_into__isnull=True)
        .exclude(pk=customer.pk)
        .order_by("id")[:3]
    )
    for other in others:
        merge_suggest(keep=other, duplicate=customer, reason="Same name, different contact details")


def merge_suggest(*, keep: Customer, duplicate: Customer, reason: str) -> MergeSuggestion | None:
    if keep.pk == duplicate.pk:
        return None
    suggestion, _ = MergeSuggestion.objects.get_or_create(
        keep=keep, duplicate=duplicate, defaults={"reason": reason, "created_at": timezone.now()}
    )
    return suggestion


@transaction.atomic
def customer_merge(*, suggestion: MergeSuggestion, actor: Any, reason: str = "") -> Customer:
    """Fold the duplicate into the kept record: its cases, messages and contact points move across."""
    from amends.cases.models import Case, CaseEvent
    from amends.messaging.models import Message

    suggestion = MergeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != MergeSuggestion.Status.OPEN:
        raise Conflict("This suggestion has already been decided")
    keep, duplicate = _resolve(suggestion.keep), suggestion.duplicate
    if duplicate.merged_into_id is not None or keep.pk == duplicate.pk:
        raise Conflict("These records have already been merged")
    now = timezone.now()
    case_ids = list(Case.objects.filter(customer=duplicate).values_list("id", flat=True))
    Case.objects.filter(id__in=case_ids).update(customer=keep, updated_at=now)
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case_id=cid,
            at=now,
            actor=actor,
            kind="customer_merged",
            before={"customer": duplicate.pk},
            after={"customer": keep.pk},
            reason=reason,
        )
        for cid in case_ids
    )
    Message.objects.filter(customer=duplicate).update(customer=keep)
    duplicate.contact_points.update(customer=keep, is_primary=False)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    suggestion.status = MergeSuggestion.Status.MERGED
    suggestion.decided_by, suggestion.decided_at = actor, now
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        kind="customer.merged",
        obj=keep,
        before={"duplicate": duplicate.pk},
        after={"cases_moved": len(case_ids)},
        reason=reason,
    )
    return keep


@transaction.atomic
def merge_suggestion_dismiss(*, suggestion: MergeSuggestion, actor: Any, reason: str = "") -> None:
    suggestion = MergeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != MergeSuggestion.Status.OPEN:
        raise Conflict("This suggestion has already been decided")
    suggestion.status = MergeSuggestion.Status.DISMISSED
    suggestion.decided_by, suggestion.decided_at = actor, timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=actor, kind="customer.merge_dismissed", obj=suggestion, reason=reason)
