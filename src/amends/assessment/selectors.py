"""The observations a user may read on a case: one query."""

from __future__ import annotations

from typing import Any

from amends.cases.models import Case
from amends.core.permissions import observation_scope

from .models import Observation


def case_observations(user: Any, case: Case) -> list[Observation]:
    return list(
        Observation.objects.filter(observation_scope(user), case=case)
        .select_related("learner", "assessor")
        .order_by("-observed_on", "-recorded_at")
    )
