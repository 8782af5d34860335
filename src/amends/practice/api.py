"""Practice over the API: the scenario library, starting a session, replying, reading one. Formative:
every response says it never counts as evidence of performance, and carries provenance "simulation"."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Router, Schema, Status

from amends.core.api_errors import errors
from amends.core.api_types import RowId
from amends.core.errors import PermissionDenied
from amends.core.permissions import can_practise, require

from .actions import PracticeReplyIn, PracticeStartIn
from .library import Scenario, scenarios
from .marking import named
from .models import NOTICE, PROVENANCE
from .selectors import session_for, session_view
from .services import practice_end, practice_reply, practice_start

router = Router(tags=["practice"])


class PracticeCriterionOut(Schema):
    reference: str
    title: str


class ScenarioOut(Schema):
    id: str
    version: str
    title: str
    channel: str
    persona: str
    situation: str
    opening: list[str]
    criteria: list[PracticeCriterionOut]
    provenance: Literal["simulation"]
    notice: str


class ScenarioListOut(Schema):
    notice: str = Field(..., description="Practice never counts as evidence of performance")
    scenarios: list[ScenarioOut]


class TurnOut(Schema):
    number: int
    learner_text: str
    customer_reply: str
    state_before: str
    state_after: str
    findings: list[dict[str, Any]] = Field(..., description="The reply coach's findings on this reply")
    feedback: dict[str, Any] = Field(..., description="Marking points this reply met or broke; mistakes made")
    at: datetime


class SessionOut(Schema):
    id: int
    learner: int
    scenario: ScenarioOut
    state: str
    mood: int
    active: bool
    ending: str
    started_at: datetime
    ended_at: datetime | None
    score: int | None
    passed: bool | None
    assessment: dict[str, Any] = Field(
        ..., description="The rubric: final once the session ended, so far while it runs"
    )
    turns: list[TurnOut]
    provenance: Literal["simulation"]
    notice: str


def _scenario(s: Scenario) -> dict:
    return {
        "id": s.id,
        "version": s.version,
        "title": s.title,
        "channel": s.channel,
        "persona": s.persona,
        "situation": s.situation,
        "opening": list(s.opening),
        "criteria": named(s.criteria),
        "provenance": PROVENANCE,
        "notice": NOTICE,
    }


def _session(session) -> dict:
    view = session_view(session)
    return {
        "id": session.pk,
        "learner": session.learner_id,
        "scenario": _scenario(view["scenario"]),
        "state": session.state,
        "mood": view["state"].mood,
        "active": session.is_active,
        "ending": session.ending,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "score": view["assessment"]["score"],
        "passed": session.passed,
        "assessment": view["assessment"],
        "turns": [
            {
                "number": t["turn"].number,
                "learner_text": t["turn"].learner_text,
                "customer_reply": t["turn"].customer_reply,
                "state_before": t["turn"].state_before,
                "state_after": t["turn"].state_after,
                "findings": t["turn"].findings,
                "feedback": t["feedback"],
                "at": t["turn"].at,
            }
            for t in view["turns"]
        ],
        "provenance": PROVENANCE,
        "notice": NOTICE,
    }


@router.get(
    "/practice/scenarios",
    response={200: ScenarioListOut, **errors(403, 422)},
    summary="The practice scenarios, filtered by persona or channel (practice never counts as evidence)",
)
def list_scenarios(request, persona: str = "", channel: str = ""):
    if not can_practise(request.auth):
        raise PermissionDenied("Only staff practise with simulated customers")
    chosen = [
        s
        for s in scenarios().values()
        if (not persona or s.persona == persona) and (not channel or s.channel == channel)
    ]
    return {"notice": NOTICE, "scenarios": [_scenario(s) for s in chosen]}


@router.post(
    "/practice/sessions",
    response={201: SessionOut, **errors(400, 403, 404, 413, 422)},
    summary="Start a practice session with a simulated customer",
)
def start_session(request, payload: PracticeStartIn):
    return Status(201, _session(practice_start(learner=request.auth, scenario_id=payload.scenario)))


@router.get(
    "/practice/sessions/{session_id}",
    response={200: SessionOut, **errors(404, 422)},
    summary="A practice session: yours, or as their assessor a learner's (read-only)",
)
def read_session(request, session_id: RowId):
    return _session(session_for(request.auth, session_id))


@router.post(
    "/practice/sessions/{session_id}/replies",
    response={201: SessionOut, **errors(400, 403, 404, 409, 413, 422)},
    summary="Reply to the simulated customer; the session with their answer and the feedback",
)
def reply(request, session_id: RowId, payload: PracticeReplyIn):
    require(can_practise(request.auth), "Those who deal with customers practise with simulated ones")
    session = session_for(request.auth, session_id)
    practice_reply(session=session, learner=request.auth, text=payload.text)
    return Status(201, _session(session_for(request.auth, session_id)))


@router.post(
    "/practice/sessions/{session_id}/end",
    response={200: SessionOut, **errors(403, 404, 409, 422)},
    summary="Stop a practice session before the customer settles; it is scored on the replies so far",
)
def end_session(request, session_id: RowId):
    require(can_practise(request.auth), "Those who deal with customers practise with simulated ones")
    session = practice_end(session=session_for(request.auth, session_id), learner=request.auth)
    return _session(session)
