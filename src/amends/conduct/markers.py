"""Warning markers on a customer (reason, lawful basis, who may see it, review date): added, reviewed,
removed, each audited. Markers are reviewed, never kept for ever (ICO; regulation.md 3.5)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import Conflict, DomainError
from amends.core.permissions import (
    can_keep_markers,
    can_report_behaviour,
    require,
)
from amends.core.services import audit_record
from amends.customers.models import Customer

from .inputs import checked_roles, clean_text, review_date
from .models import (
    BehaviourIncident,
    WarningMarker,
)

# --- warning markers ----------------------------------------------------------------------------------


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
    roles = checked_roles(visible_to, "visible_to")
    if not roles:
        raise DomainError("Say who may see the marker", fields={"visible_to": "required"})
    marker = WarningMarker.objects.create(
        customer=customer,
        incident=incident,
        reason=clean_text(reason, "reason", what="Say why the marker is needed"),
        basis=clean_text(basis, "basis", what="Give the lawful basis for the marker")[:200],
        visible_to=roles,
        review_due=review_date(review_due or timezone.localdate() + timedelta(days=180)),
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
    locked.review_due = review_date(review_due)
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["review_due", "reviewed_at"])
    audit_record(
        actor=actor,
        kind="conduct.marker_reviewed",
        obj=locked,
        before=before,
        after={"review_due": locked.review_due.isoformat()},
        reason=clean_text(reasons, "reasons"),
    )
    return locked


@transaction.atomic
def marker_remove(*, actor: Any, marker: WarningMarker, reason: str) -> WarningMarker:
    """Take the marker off the customer's record, with the reason; audited."""
    require(can_keep_markers(actor), "Team leaders, complaints leads and administrators remove markers")
    locked = _locked_marker(marker)
    locked.removed_reason = clean_text(reason, "reason", what="Say why the marker is removed")
    locked.removed_at, locked.removed_by = timezone.now(), actor
    locked.save(update_fields=["removed_reason", "removed_at", "removed_by"])
    audit_record(actor=actor, kind="conduct.marker_removed", obj=locked, reason=locked.removed_reason)
    return locked
