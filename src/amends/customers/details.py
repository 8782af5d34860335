"""Editing a customer's record: name, nation, preferred channel, contact points and postal addresses.

One service, `customer_update`, changes any of them in one transaction, against the version the editor read,
and writes one audit record naming what changed (as merges are audited: `core.services.audit_record`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.core.services import audit_record

from .models import UK_NAMES, Channel, ContactPoint, Customer, Nation, PostalAddress
from .normalise import name_key, normalise_email, normalise_handle, normalise_phone

MAX_CONTACT_POINTS = 20
MAX_ADDRESSES = 10
EDITABLE_KINDS = (ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE, ContactPoint.Kind.SOCIAL)
# Royal Mail's postcode shapes (A9 9AA, A99 9AA, A9A 9AA, AA9 9AA, AA99 9AA, AA9A 9AA), and GIR 0AA.
UK_POSTCODE = re.compile(r"^(?:[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}|GIR ?0AA)$")
NORMALISERS = {
    ContactPoint.Kind.EMAIL: normalise_email,
    ContactPoint.Kind.PHONE: normalise_phone,
    ContactPoint.Kind.SOCIAL: normalise_handle,
}


@dataclass(frozen=True)
class PointDetails:
    kind: str
    value: str
    is_primary: bool = False


@dataclass(frozen=True)
class AddressDetails:
    lines: tuple[str, ...]
    town: str = ""
    postcode: str = ""
    country: str = "United Kingdom"
    for_letters: bool = False


def uk_postcode(value: str) -> str | None:
    """ "sw1a1aa" -> "SW1A 1AA"; None if it is not the shape of a UK postcode."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if not UK_POSTCODE.match(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def _name(value: str) -> str:
    name = " ".join((value or "").split())
    if not name:
        raise DomainError("A customer needs a name", fields={"name": "required"})
    if len(name) > 200:
        raise DomainError("A name is at most 200 characters", fields={"name": "too long"})
    return name


def _choice(value: str, choices: type, field: str, what: str) -> str:
    if value not in choices.values:
        raise DomainError(f"{what} is one of: {', '.join(choices.values)}", fields={field: "unknown"})
    return value


def _points(points: list[PointDetails]) -> list[tuple[str, str, str, bool]]:
    """(kind, value, normalised, is_primary), one per normalised point, exactly one primary per kind."""
    if len(points) > MAX_CONTACT_POINTS:
        raise DomainError(
            f"At most {MAX_CONTACT_POINTS} contact points", fields={"contact_points": "too many"}
        )
    clean: dict[tuple[str, str], list] = {}
    for i, point in enumerate(points):
        field = f"contact_points.{i}.value"
        if point.kind not in EDITABLE_KINDS:
            raise DomainError(
                "A contact point is an email address, a phone number or a social media handle",
                fields={f"contact_points.{i}.kind": "email, phone or social"},
            )
        value = (point.value or "").strip()
        normalised = NORMALISERS[point.kind](value) if value else None
        if not normalised or len(value) > 300:
            label = ContactPoint.Kind(point.kind).label.lower()
            raise DomainError(
                f"“{value[:60]}” is not a valid {label}", fields={field: f"not a valid {label}"}
            )
        clean.setdefault((point.kind, normalised), [point.kind, value, normalised, point.is_primary])
    rows = list(clean.values())
    for kind in EDITABLE_KINDS:
        of_kind = [row for row in rows if row[0] == kind]
        primary = next((row for row in of_kind if row[3]), of_kind[0] if of_kind else None)
        for row in of_kind:
            row[3] = row is primary
    return [(kind, value, normalised, primary) for kind, value, normalised, primary in rows]


def _address(address: AddressDetails, i: int) -> dict[str, Any]:
    lines = [" ".join(line.split()) for line in address.lines if line and line.strip()]
    country = " ".join((address.country or "").split()) or "United Kingdom"
    town, postcode = " ".join((address.town or "").split()), (address.postcode or "").strip()
    where = f"postal_addresses.{i}"
    if not lines or len(lines) > 3 or any(len(line) > 100 for line in lines):
        raise DomainError(
            "An address has one to three lines above the town, each at most 100 characters",
            fields={f"{where}.lines": "one to three lines"},
        )
    if len(town) > 100 or len(country) > 60:
        raise DomainError("The town or country is too long", fields={f"{where}.town": "too long"})
    if country.casefold() in UK_NAMES:
        if not town:
            raise DomainError("A UK address needs its town", fields={f"{where}.town": "required"})
        postcode = uk_postcode(postcode) or ""
        if not postcode:
            raise DomainError(
                f"“{address.postcode.strip()[:12]}” is not a UK postcode (like SW1A 1AA)",
                fields={f"{where}.postcode": "not a UK postcode"},
            )
    elif len(postcode) > 12:
        raise DomainError("A postcode is at most 12 characters", fields={f"{where}.postcode": "too long"})
    return {"lines": lines, "town": town, "postcode": postcode, "country": country}


def _addresses(addresses: list[AddressDetails]) -> list[dict[str, Any]]:
    """The addresses as stored, exactly one for letters (the first, when none is marked)."""
    if len(addresses) > MAX_ADDRESSES:
        raise DomainError(f"At most {MAX_ADDRESSES} addresses", fields={"postal_addresses": "too many"})
    marked = [i for i, a in enumerate(addresses) if a.for_letters]
    if len(marked) > 1:
        raise DomainError(
            "Mark one address as the one letters go to", fields={"postal_addresses": "one for letters"}
        )
    chosen = marked[0] if marked else 0
    return [{**_address(a, i), "for_letters": i == chosen} for i, a in enumerate(addresses)]


def _stored_points(customer: Customer) -> list[tuple[str, str, str, bool]]:
    return [
        (p.kind, p.value, p.normalised, p.is_primary)
        for p in customer.contact_points.order_by("kind", "-is_primary", "id")
    ]


def _stored_addresses(customer: Customer) -> list[dict[str, Any]]:
    return [
        {
            "lines": a.lines,
            "town": a.town,
            "postcode": a.postcode,
            "country": a.country,
            "for_letters": a.for_letters,
        }
        for a in customer.postal_addresses.order_by("id")
    ]


def _changed_under(customer: Customer, read: int) -> Conflict:
    """The refusal when the record changed since the editor read it: who changed it and when."""
    last = (
        AuditEvent.objects.filter(object_type="customers.customer", object_id=str(customer.pk))
        .select_related("actor")
        .order_by("-at", "-id")
        .first()
    )
    who = "Someone else changed this customer's details"
    if last is not None:
        name = (last.actor.get_full_name() or last.actor.username) if last.actor else "Intake"
        who = f"{name} changed this customer's details at {timezone.localtime(last.at):%H:%M}"
    return Conflict(
        f"{who} while you were editing them. Your changes were not saved: the page shows theirs; "
        "make your changes to it again.",
        code="customer_changed",
        fields={"version": f"you read version {read}; it is now {customer.version}"},
    )


def _save_points(customer: Customer, wanted: list[tuple[str, str, str, bool]]) -> None:
    """Make the customer's contact points these: remove the others, add the new, update the rest. A point
    that is another customer's is refused: matching depends on each belonging to one customer."""
    current = {(p.kind, p.normalised): p for p in customer.contact_points.all()}
    keys = {(kind, normalised) for kind, _, normalised, _ in wanted}
    taken = (
        ContactPoint.objects.filter(normalised__in=[n for _, n in keys])
        .exclude(customer=customer)
        .values_list("kind", "normalised")
    )
    for kind, normalised in taken:
        if (kind, normalised) in keys:
            label = ContactPoint.Kind(kind).label.lower()
            raise Conflict(
                f"That {label} is on another customer's record. If they are the same person, ask a team "
                "leader to merge the two records.",
                code="contact_point_taken",
                fields={"contact_points": f"{label} already belongs to another customer"},
            )
    customer.contact_points.exclude(pk__in=[p.pk for k, p in current.items() if k in keys]).delete()
    now = timezone.now()
    for kind, value, normalised, primary in wanted:
        point = current.get((kind, normalised))
        if point is None:
            ContactPoint.objects.create(
                customer=customer,
                kind=kind,
                value=value[:300],
                normalised=normalised[:300],
                is_primary=primary,
                created_at=now,
            )
        elif (point.value, point.is_primary) != (value, primary):
            point.value, point.is_primary = value[:300], primary
            point.save(update_fields=["value", "is_primary"])


def _save_addresses(customer: Customer, wanted: list[dict[str, Any]]) -> None:
    customer.postal_addresses.all().delete()
    now = timezone.now()
    PostalAddress.objects.bulk_create(PostalAddress(customer=customer, created_at=now, **a) for a in wanted)


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    actor: Any,
    expected_version: int,
    name: str | None = None,
    nation: str | None = None,
    preferred_channel: str | None = None,
    contact_points: list[PointDetails] | None = None,
    postal_addresses: list[AddressDetails] | None = None,
    reason: str = "",
) -> Customer:
    """Change what is given (None: leave it); lists replace the customer's contact points or addresses
    whole. Refused, changing nothing, if anyone changed the record since the editor read `expected_version`
    or a value is not valid. One audit record says what changed, before and after."""
    locked = Customer.objects.select_for_update().get(pk=customer.pk)
    if locked.merged_into_id is not None:
        raise Conflict("This record was merged into another customer: change that one", code="merged")
    if locked.version != expected_version:
        raise _changed_under(locked, expected_version)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    fields = {
        "name": _name(name) if name is not None else None,
        "nation": _choice(nation, Nation, "nation", "The nation") if nation is not None else None,
        "preferred_channel": (
            _choice(preferred_channel, Channel, "preferred_channel", "The preferred channel")
            if preferred_channel is not None
            else None
        ),
    }
    for field, value in fields.items():
        if value is not None and getattr(locked, field) != value:
            before[field], after[field] = getattr(locked, field), value
    points = _points(contact_points) if contact_points is not None else None
    addresses = _addresses(postal_addresses) if postal_addresses is not None else None
    if points is not None:
        stored = _stored_points(locked)
        if sorted(stored) != sorted(points):
            before["contact_points"] = [(k, v, p) for k, v, _, p in stored]
            after["contact_points"] = [(k, v, p) for k, v, _, p in points]
            _save_points(locked, points)
    if addresses is not None:
        stored_addresses = _stored_addresses(locked)
        if stored_addresses != addresses:
            before["postal_addresses"], after["postal_addresses"] = stored_addresses, addresses
            _save_addresses(locked, addresses)
    if not after:
        return locked
    for field in ("name", "nation", "preferred_channel"):
        if field in after:
            setattr(locked, field, after[field])
    locked.name_key = name_key(locked.name)[:200]
    locked.version += 1
    locked.save(update_fields=["name", "name_key", "nation", "preferred_channel", "version"])
    audit_record(actor=actor, kind="customer.updated", obj=locked, before=before, after=after, reason=reason)
    return locked
