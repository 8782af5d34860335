"""Reads of support needs: only ever what the reader may see (core.permissions.can_see_support_needs)."""

from __future__ import annotations

from typing import Any

from amends.core.permissions import SUPPORT_NEEDS_DEFAULT_ROLES, can_see_support_needs, staff_of
from amends.customers.hooks import CustomerNotice
from amends.customers.models import Channel, Customer

from .models import SupportNeedsRecord, SupportNeedsVersion
from .vocabulary import CHARACTERISTIC_LABELS, DRIVERS, FORMATS, THIRD_PARTY_KINDS


def _current(customer_ids: list[int]) -> dict[int, SupportNeedsVersion]:
    """The current version of each customer's record, active or ended: one query."""
    records = SupportNeedsRecord.objects.filter(customer_id__in=customer_ids, current__isnull=False)
    return {r.customer_id: r.current for r in records.select_related("current", "current__recorded_by")}


def support_needs_read(user: Any, customer: Customer) -> tuple[bool, SupportNeedsVersion | None]:
    """In one query: whether the user may read this customer's support needs, and the current version
    (active or ended) if there is one they may see. With no record, those a new one would be shown to may
    read (that there is none), so nobody else can tell whether there is one."""
    version = _current([customer.pk]).get(customer.pk)
    if version is not None:
        allowed = can_see_support_needs(user, version)
        return allowed, version if allowed else None
    staff = staff_of(user)
    return staff is not None and staff.role in SUPPORT_NEEDS_DEFAULT_ROLES, None


def support_needs_for(user: Any, customer: Customer) -> SupportNeedsVersion | None:
    """The customer's current support needs (active or ended) if the user may see them, else None."""
    return support_needs_read(user, customer)[1]


def may_read_support_needs(user: Any, customer: Customer) -> bool:
    """Whether the user may read this customer's support needs (`support_needs_read`)."""
    return support_needs_read(user, customer)[0]


def support_needs_history(
    user: Any, customer: Customer, *, current: SupportNeedsVersion | None = None
) -> list[SupportNeedsVersion]:
    """Every version of the customer's record, newest first, if the user may see the current one (given
    as `current` when the caller has read it)."""
    if (current or support_needs_for(user, customer)) is None:
        return []
    return list(
        SupportNeedsVersion.objects.filter(record__customer=customer)
        .select_related("recorded_by")
        .order_by("-number")
    )


def describe(version: SupportNeedsVersion) -> str:
    """The needs in one line, what to do first: "Prefers phone; needs extra time; large print; Jane Doe
    (executor) has authority to act for them"."""
    parts = []
    if version.preferred_channel:
        parts.append(f"Prefers {Channel(version.preferred_channel).label.lower()}")
    if version.extra_time:
        parts.append("needs extra time")
    for code in version.formats:
        label = FORMATS.get(code, code).lower()
        if code == "another_language" and version.language:
            label = f"information in {version.language}"
        parts.append(label)
    if version.third_party_name:
        kind = THIRD_PARTY_KINDS.get(version.third_party_kind, "").split(" or ")[0].lower()
        parts.append(
            f"{version.third_party_name}{f' ({kind})' if kind else ''} has authority to act for them"
        )
    if version.other_adjustments:
        parts.append(version.other_adjustments.splitlines()[0][:120])
    if not parts:
        parts.append(
            version.circumstances.splitlines()[0][:120]
            if version.circumstances
            else ", ".join(DRIVERS[d].lower() for d in version.drivers) or "see the record"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def support_needs_summary(customer: Customer) -> str | None:
    """A one-line description of the customer's active support needs, None when there are none.

    For a check that asks whether adjustments were considered (conduct's senior check before a
    restriction, registered on its hook by the integrator): it answers to a service, not a reader, so the
    caller shows it only to someone allowed to see it."""
    version = _current([customer.pk]).get(customer.pk)
    if version is None or not version.is_active:
        return None
    return describe(version)


def characteristic_labels(version: SupportNeedsVersion) -> list[str]:
    return [CHARACTERISTIC_LABELS.get(c, c) for c in version.characteristics]


def support_needs_notices(user: Any, customer_ids: list[int]) -> dict[int, list[CustomerNotice]]:
    """customers.hooks.customer_notices: "Support needs" on each of these customers whose active record
    the user may see; one query for a whole queue page."""
    if staff_of(user) is None:
        return {}
    found: dict[int, list[CustomerNotice]] = {}
    for customer_id, version in _current(customer_ids).items():
        if version.is_active and can_see_support_needs(user, version):
            notice = CustomerNotice(
                kind="support_needs",
                label="Support needs",
                text=describe(version),
                tone="info",
                link=f"/customers/{customer_id}/#support-needs",
            )
            found[customer_id] = [notice]
    return found
