"""Recording an observation as one typed input, taken alike by the case page's form and the API."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from ninja import Field, Schema

from amends.cases.models import Case
from amends.core.api_types import RowId
from amends.core.errors import NotFound

from .models import Observation
from .services import observation_record


class ObservationIn(Schema):
    learner: RowId = Field(..., description="The user id of the member of staff whose work was observed")
    criteria: list[Annotated[str, Field(max_length=40)]] = Field(
        ...,
        min_length=1,
        max_length=20,
        description='The standards\' criteria, e.g. ["CFACSC4 P11", "WM57 7"]',
    )
    seen: str = Field(..., max_length=10_000, description="What the assessor saw")
    observed_on: date | None = Field(None, description="The day of the work observed; today if not given")


def observation_add(case: Case, assessor: Any, data: ObservationIn) -> Observation:
    learner = get_user_model().objects.filter(pk=data.learner, is_active=True).first()
    if learner is None:
        raise NotFound("No such member of staff")
    return observation_record(
        case=case,
        assessor=assessor,
        learner=learner,
        criteria=data.criteria,
        seen=data.seen,
        observed_on=data.observed_on,
    )
