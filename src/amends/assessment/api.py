"""Observations over the API: those the caller may read on a case, and an assessor's new one."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema, Status

from amends.cases.selectors import case_for
from amends.core.api_errors import errors

from .actions import ObservationIn, observation_add
from .selectors import case_observations

router = Router(tags=["assessment"])


class ObservationOut(Schema):
    id: int
    learner: int
    assessor: int
    criteria: list[str]
    seen: str
    observed_on: date
    recorded_at: datetime


def _out(observation) -> dict:
    return {
        "id": observation.pk,
        "learner": observation.learner_id,
        "assessor": observation.assessor_id,
        "criteria": observation.criteria,
        "seen": observation.seen,
        "observed_on": observation.observed_on,
        "recorded_at": observation.recorded_at,
    }


@router.get(
    "/{reference}/observations",
    response={200: list[ObservationOut], **errors(404)},
    summary="The observations on a case you may read (an assessor: all; anyone else: of their own work)",
)
def list_observations(request, reference: str):
    case = case_for(request.auth, reference)
    return [_out(o) for o in case_observations(request.auth, case)]


@router.post(
    "/{reference}/observations",
    response={201: ObservationOut, **errors(400, 403, 404, 413, 422)},
    summary="Record an observation of someone's work on the case against the standards' criteria (assessors)",
)
def record_observation(request, reference: str, payload: ObservationIn):
    case = case_for(request.auth, reference)
    return Status(201, _out(observation_add(case, request.auth, payload)))
