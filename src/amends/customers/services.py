"""Customer records: matching incoming contacts to one customer, contact points, merging duplicates."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.models import AuditEvent
from amends.core.services import audit_event, audit_record

from . import hooks
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
    book = CustomerBook([details])
    customer, created = book.match(details, channel=channel, at=timezone.now())
    book.save(actor=actor)
    return customer, created


@dataclass
class _NewPoint:
    customer: Customer
    kind: str
    value: str
    normalised: str
    is_primary: bool
    at: datetime


class CustomerBook:
    """`customer_match_or_create` for a batch of contacts, with the same meaning for each in turn.

    The stored contact points are read in one query. The customers, contact points, audit events and merge
    suggestions the batch adds are kept here until `save()`, and a later contact in the batch matches them
    as if they were already stored. `check` refuses bad details before `match` changes anything.
    """

    def __init__(self, details: list[ContactDetails]):
        normalised: set[str] = set()
        for d in details:
            with suppress(DomainError):  # refused when its turn comes
                normalised.update(p[2] for p in _normal_points(d))
        self._customers: dict[int, Customer] = {}
        self._points: dict[tuple[str, str], Customer] = {}
        if normalised:
            for cp in ContactPoint.objects.select_related("customer").filter(normalised__in=normalised):
                self._points[(cp.kind, cp.normalised)] = self._one(cp.customer)
        # Each customer's points as (kind, value, is_primary) in the order they were added; read from the
        # database for the stored customers when first needed, in one query for all of them.
        self._known: dict[int, list[tuple[str, str, bool]]] = {}
        self._new: list[Customer] = []
        self._new_points: list[_NewPoint] = []
        # What the one-by-one path writes, in its order: ("created", customer, at), ("point", _NewPoint),
        # ("suggest", keep, duplicate, reason, at), ("same_name", customer, at).
        self._log: list[tuple] = []

    @property
    def stored_ids(self) -> list[int]:
        return list(self._customers)

    def _one(self, customer: Customer) -> Customer:
        """One object per customer, merges followed, so every contact of the batch shares it."""
        if customer.pk not in self._customers:
            resolved = _resolve(customer)
            self._customers[customer.pk] = self._customers.setdefault(resolved.pk, resolved)
        return self._customers[customer.pk]

    def _points_of(self, customer: Customer) -> list[tuple[str, str, bool]]:
        if id(customer) not in self._known:
            unread = {c.pk: c for c in self._customers.values() if id(c) not in self._known}
            unread[customer.pk] = customer
            for c in unread.values():
                self._known[id(c)] = []
            rows = ContactPoint.objects.filter(customer_id__in=list(unread)).order_by("id")
            for pk, kind, value, primary in rows.values_list("customer_id", "kind", "value", "is_primary"):
                self._known[id(unread[pk])].append((kind, value, primary))
        return self._known[id(customer)]

    def points_of(self, customer: Customer) -> list[tuple[str, str, bool]]:
        """The customer's contact points as (kind, value, is_primary) in the order they were added, the
        batch's own among them: how a reply can reach them."""
        return list(self._points_of(customer))

    def email_of(self, customer: Customer) -> str | None:
        """The customer's primary email address, else their first: where a reply goes."""
        emails = [
            (not primary, i, value)
            for i, (kind, value, primary) in enumerate(self._points_of(customer))
            if kind == ContactPoint.Kind.EMAIL
        ]
        return min(emails)[2] if emails else None

    def _matched(self, points: list[tuple[str, str, str]]) -> list[Customer]:
        return [self._points[(k, n)] for k, _, n in points if (k, n) in self._points]

    def check(self, details: ContactDetails) -> list[tuple[str, str, str]]:
        """The details' normalised contact points; DomainError if they neither find nor make a customer."""
        points = _normal_points(details)
        if not points and not details.name.strip():
            raise DomainError("A contact needs at least a name, an email address or a phone number")
        if not self._matched(points) and details.kind not in Customer.Kind.values:
            raise DomainError(
                "A customer is a person or an organisation", fields={"kind": "person or organisation"}
            )
        return points

    def match(
        self,
        details: ContactDetails,
        *,
        channel: str,
        at: datetime,
        points: list[tuple[str, str, str]] | None = None,
    ) -> tuple[Customer, bool]:
        """The customer these details belong to, creating one (stored by `save()`) if nobody matches."""
        points = self.check(details) if points is None else points
        matched = self._matched(points)
        if matched:
            customer, created = matched[0], False
            for other in matched[1:]:
                if other is not customer:
                    self._log.append(
                        ("suggest", customer, other, "Contact details of one message match both", at)
                    )
        else:
            name = details.name.strip() or points[0][1]
            customer, created = (
                Customer(
                    kind=details.kind,
                    name=name[:200],
                    name_key=name_key(name)[:200],
                    nation=details.nation if details.nation in Nation.values else Nation.ENGLAND,
                    preferred_channel=channel,
                    created_at=at,
                ),
                True,
            )
            self._new.append(customer)
            self._known[id(customer)] = []
            self._log.append(("created", customer, at))
        known = self._points_of(customer)
        for kind, value, normalised in points:
            if (kind, normalised) not in self._points:
                point = _NewPoint(
                    customer, kind, value, normalised, not any(k == kind for k, *_ in known), at
                )
                self._new_points.append(point)
                self._log.append(("point", point))
                known.append((kind, value[:300], point.is_primary))
                self._points[(kind, normalised)] = customer
        if created:
            self._log.append(("same_name", customer, at))
        return customer, created

    def save(self, *, actor: Any) -> None:
        """Write what the batch added: customers, contact points, their audit events, merge suggestions."""
        Customer.objects.bulk_create(self._new)
        added = self._save_points()
        # A stored customer with a new contact point has changed: an editor who read it before must not
        # save over it (details.customer_update compares versions).
        grown = {p.customer.pk for p in self._new_points if id(p) in added and p.customer.pk is not None}
        grown -= {c.pk for c in self._new}
        if grown:
            Customer.objects.filter(pk__in=grown).update(version=F("version") + 1)
        earlier = self._same_name_stored()
        audits: list[AuditEvent] = []
        suggestions: list[tuple[Customer, Customer, str, datetime]] = []
        seen: list[Customer] = []
        for entry in self._log:
            if entry[0] == "created":
                customer, at = entry[1:]
                audits.append(
                    audit_event(
                        actor=actor,
                        kind="customer.created",
                        obj=customer,
                        after={"name": customer.name},
                        at=at,
                    )
                )
            elif entry[0] == "point" and id(entry[1]) in added:
                p = entry[1]
                audits.append(
                    audit_event(
                        actor=actor,
                        kind="customer.contact_point_added",
                        obj=p.customer,
                        after={p.kind: p.value},
                        at=p.at,
                    )
                )
            elif entry[0] == "suggest":
                suggestions.append(entry[1:])
            elif entry[0] == "same_name":
                customer, at = entry[1:]
                others = earlier.get(customer.name_key, []) + [
                    c for c in seen if c.name_key == customer.name_key
                ]
                suggestions += [(o, customer, "Same name, different contact details", at) for o in others[:3]]
                seen.append(customer)
        AuditEvent.objects.bulk_create(audits)
        _suggest_many(suggestions)

    def _save_points(self) -> set[int]:
        """Insert the new contact points; the ids of those stored. One another request added meanwhile
        already belongs to someone, which is what matters: it is skipped, as one by one."""
        rows = [
            ContactPoint(
                customer=p.customer,
                kind=p.kind,
                value=p.value[:300],
                normalised=p.normalised[:300],
                is_primary=p.is_primary,
                created_at=p.at,
            )
            for p in self._new_points
        ]
        try:
            with transaction.atomic():
                ContactPoint.objects.bulk_create(rows)
            return {id(p) for p in self._new_points}
        except IntegrityError:
            pass
        added = set()
        for point, row in zip(self._new_points, rows, strict=True):
            row.pk = None
            try:
                with transaction.atomic():
                    row.save(force_insert=True)
            except IntegrityError:
                continue
            added.add(id(point))
        return added

    def _same_name_stored(self) -> dict[str, list[Customer]]:
        """Customers stored before the batch with a new customer's name, oldest first."""
        keys = {c.name_key for c in self._new}
        if not keys:
            return {}
        found: dict[str, list[Customer]] = {}
        rows = (
            Customer.objects.filter(name_key__in=keys, merged_into__isnull=True)
            .exclude(pk__in=[c.pk for c in self._new])
            .order_by("id")
        )
        for customer in rows:
            found.setdefault(customer.name_key, []).append(customer)
        return found


def _suggest_many(suggestions: list[tuple[Customer, Customer, str, datetime]]) -> None:
    """Suggest each pair be merged, for a person to decide: a pair suggested before keeps its first
    suggestion (the pair is unique). The one way merge suggestions are made."""
    rows, pairs = [], set()
    for keep, duplicate, reason, at in suggestions:
        if keep.pk != duplicate.pk and (keep.pk, duplicate.pk) not in pairs:
            pairs.add((keep.pk, duplicate.pk))
            rows.append(MergeSuggestion(keep=keep, duplicate=duplicate, reason=reason, created_at=at))
    MergeSuggestion.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def customer_merge(*, suggestion: MergeSuggestion, actor: Any, reason: str = "") -> Customer:
    """Fold the duplicate into the kept record: its contact points move across here, and every app that
    keeps rows per customer (cases, messaging) moves its own through the `customer_merged` hook."""
    suggestion = MergeSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != MergeSuggestion.Status.OPEN:
        raise Conflict("This suggestion has already been decided")
    keep, duplicate = _resolve(suggestion.keep), suggestion.duplicate
    if duplicate.merged_into_id is not None or keep.pk == duplicate.pk:
        raise Conflict("These records have already been merged")
    now = timezone.now()
    # cases and messaging move their own rows, and say how many
    moved = hooks.customer_merged.merged(keep=keep, duplicate=duplicate, actor=actor, at=now, reason=reason)
    duplicate.contact_points.update(customer=keep, is_primary=False)
    duplicate.postal_addresses.update(customer=keep, for_letters=False)
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    Customer.objects.filter(pk=keep.pk).update(version=F("version") + 1)
    suggestion.status = MergeSuggestion.Status.MERGED
    suggestion.decided_by, suggestion.decided_at = actor, now
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        kind="customer.merged",
        obj=keep,
        before={"duplicate": duplicate.pk},
        after=moved,
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
