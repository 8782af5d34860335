"""The observations on the case page (their panel, and an assessor's form to record one)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.cases.models import Case
from amends.cases.selectors import assignable_people, case_for
from amends.core.errors import DomainError
from amends.core.permissions import can_observe, can_witness
from amends.core.web import invalid_input, report, staff_required
from amends.standards.criteria import SEPARATORS, catalogue, criterion

from .actions import ObservationIn, observation_add
from .evidence import witness_statement_add
from .selectors import case_observations


def case_page_context(request, case: Case) -> dict:
    """What the reader may see of the observations on this case; an assessor also gets the form's choices:
    whose work (those who may work the case) and the criteria the catalogue holds."""
    observing = can_observe(request.user, case)
    observations = case_observations(request.user, case)
    witnessing = can_witness(request.user, case)
    named = {ref for o in observations for ref in o.criteria}
    return {
        "observations": observations,
        # What each criterion shown says, for its tag's title (from the catalogue in memory: no query).
        "criteria_text": {ref: c.text for ref in named if (c := criterion(ref)) is not None},
        "can_observe": observing,
        "observation_learners": list(assignable_people(case)) if observing else [],
        "criteria_units": list(catalogue().values()) if observing else [],
        "today": timezone.localdate(),
        # A team leader who saw a learner's work on this case may give a witness statement of it.
        "can_witness": witnessing,
        # Those who may work the case and have an assessor: one query.
        "witness_learners": list(assignable_people(case).filter(staff__assessor__isnull=False))
        if witnessing
        else [],
    }


@require_POST
@staff_required
def case_observe(request, reference: str):
    """An assessor records an observation; anyone else is refused by the service, whatever they post."""
    case = case_for(request.user, reference)
    post = request.POST
    data = {
        "learner": post.get("learner", ""),
        "criteria": [c for c in SEPARATORS.split(post.get("criteria", "")) if c.strip()],
        "seen": post.get("seen", ""),
        **({"observed_on": post["observed_on"]} if post.get("observed_on") else {}),
    }
    try:
        observation_add(case, request.user, ObservationIn.model_validate(data))
        messages.success(request, "Observation recorded: the learner can read it on the case")
    except ValidationError as exc:
        report(request, invalid_input(exc.errors()))
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("case_detail", args=[reference]) + "#observations")


@require_POST
@staff_required
def case_witness(request, reference: str):
    """A team leader's witness statement of a learner's work on this case; the service refuses anyone else."""
    case = case_for(request.user, reference)
    post = request.POST
    learner = get_user_model().objects.filter(pk=post.get("learner") or 0, is_active=True).first()
    try:
        witness_statement_add(
            witness=request.user,
            learner=learner,
            case=case,
            criteria=[c for c in SEPARATORS.split(post.get("criteria", "")) if c.strip()],
            text=post.get("text", ""),
        )
        messages.success(request, "Witness statement added to the learner's portfolio")
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("case_detail", args=[reference]) + "#observations")
