"""Recording an observation: one service, in a transaction, audited (the learner is told)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import DomainError, PermissionDenied
from amends.core.permissions import can_observe, owner_refusal
from amends.core.services import audit_record, notify
from amends.core.templatetags.amends import person
from amends.standards.criteria import CriteriaError, references

from .evidence import observation_evidence
from .models import Observation

SEEN_LIMIT = 10_000


@transaction.atomic
def observation_record(
    *,
    case: Case,
    assessor: Any,
    learner: Any,
    criteria: str | list[str],
    seen: str,
    observed_on: date | None = None,
) -> Observation:
    """An assessor records what they saw of a learner's work on this case, against the standards' criteria.

    The learner is someone who may work the case (the rule `owner_refusal` states for owners); the criteria
    are references the catalogue holds (criteria.py); the day is not in the future. Audited, not a case
    event: the case's timeline is read by the whole team, and an observation is for the learner and the
    assessors (`core.permissions.observation_scope`), never for the customer.
    """
    if not can_observe(assessor, case):
        raise PermissionDenied("Only an assessor who can see this case records observations on it")
    if learner is None:
        raise DomainError("Say whose work you observed", fields={"learner": "required"})
    if refusal := owner_refusal(learner, team_id=case.team_id):
        raise DomainError(
            f"{refusal[1]}: observe someone who works this case", fields={"learner": refusal[0]}
        )
    try:
        named = references(criteria)
    except CriteriaError as exc:
        raise DomainError(
            str(exc), code="unknown_criteria", fields={"criteria": "; ".join(exc.bad) or "required"}
        ) from exc
    seen = (seen or "").strip()
    if not seen:
        raise DomainError("Say what you saw", fields={"seen": "required"})
    if len(seen) > SEEN_LIMIT:
        raise DomainError("What you saw is too long", fields={"seen": f"at most {SEEN_LIMIT}"})
    now = timezone.now()
    observed_on = observed_on or timezone.localdate(now)
    if observed_on > timezone.localdate(now):
        raise DomainError(
            "An observation is of something already seen", fields={"observed_on": "in the future"}
        )
    observation = Observation.objects.create(
        case=case,
        learner=learner,
        assessor=assessor,
        criteria=named,
        seen=seen,
        observed_on=observed_on,
        recorded_at=now,
    )
    audit_record(
        actor=assessor,
        kind="observation.recorded",
        obj=observation,
        after={
            "case": case.reference,
            "learner": learner.pk,
            "criteria": named,
            "observed_on": observed_on.isoformat(),
        },
    )
    observation_evidence(
        observation
    )  # evidence by observation, if they are working towards the qualification
    notify(
        users=[learner],
        text=f"{person(assessor)} recorded an observation of your work on {case.reference}",
        link=reverse("case_detail", args=[case.reference]) + "#observations",
        urgent=False,
    )
    return observation
