"""The insights' writes: rebuilding the stored facts, and setting objectives (audited)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import DomainError
from amends.core.permissions import can_set_objectives, require
from amends.core.services import audit_record

from .facts import RebuildResult, facts_rebuild
from .models import Measure, Objective


def insights_rebuild(*, progress=None) -> RebuildResult:
    """Recompute every case's stored facts from the cases, process and care tables (after an import, or
    to put right anything the incremental refresh missed). Not audited: the facts are derived data, and a
    rebuild changes nothing anyone recorded."""
    return facts_rebuild(progress=progress)


LIMITS = {Measure.DAYS_TO_RESOLVE: (Decimal(0), Decimal(3650))}


@transaction.atomic
def objective_set(
    *, actor: Any, measure: str, target: Any, team: Any = None, person: Any = None, note: str = ""
) -> Objective | None:
    """Set (or, with an empty target, remove) the target on one measure for a team or a person."""
    if (team is None) == (person is None):
        raise DomainError("Choose a team or a person", fields={"team": "one of team or person"})
    require(
        can_set_objectives(actor, team=team, person=person),
        "Only their team leader or a complaints lead sets these objectives",
    )
    if measure not in Measure.values:
        raise DomainError("Choose a measure", fields={"measure": "unknown"})
    existing = Objective.objects.select_for_update().filter(team=team, person=person, measure=measure).first()
    before = {"target": str(existing.target), "note": existing.note} if existing else None
    subject = team if team is not None else person
    if target in (None, ""):
        if existing is None:
            return None
        existing.delete()
        audit_record(
            actor=actor,
            kind="insights.objective_removed",
            obj=subject,
            before=before,
            after={"measure": measure},
        )
        return None
    try:
        value = Decimal(str(target)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("The target must be a number", fields={"target": "not a number"}) from None
    low, high = LIMITS.get(measure, (Decimal(0), Decimal(100)))
    if not low <= value <= high:
        raise DomainError(
            f"The target must be between {low} and {high}", fields={"target": f"between {low} and {high}"}
        )
    if len(note) > 300:
        raise DomainError("The note is too long (300 characters at most)", fields={"note": "too long"})
    objective = existing or Objective(team=team, person=person, measure=measure)
    objective.target, objective.note = value, note.strip()
    objective.set_by, objective.set_at = actor, timezone.now()
    objective.save()
    audit_record(
        actor=actor,
        kind="insights.objective_set",
        obj=subject,
        before=before,
        after={"measure": measure, "target": str(value), "note": objective.note},
    )
    return objective
