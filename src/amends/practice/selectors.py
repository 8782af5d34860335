"""Practice sessions a user may read, and what a session shows: the conversation with each reply's feedback
and the rubric so far."""

from __future__ import annotations

from typing import Any

from amends.core.errors import NotFound
from amends.core.permissions import practice_scope

from .frozen import frozen_scenario, records
from .marking import assess, turn_feedback
from .models import PracticeSession

LISTED = 50


def session_for(user: Any, pk: int) -> PracticeSession:
    """A session the user may read (theirs, or their learner's for an assessor), else NotFound: another
    person's practice is not theirs to know of."""
    session = PracticeSession.objects.filter(practice_scope(user), pk=pk).select_related("learner").first()
    if session is None:
        raise NotFound("No such practice session")
    return session


def sessions_for(user: Any) -> list[PracticeSession]:
    """The latest sessions the user may read, newest first: one query."""
    return list(
        PracticeSession.objects.filter(practice_scope(user))
        .select_related("learner")
        .defer("scenario", "assessment")
        .order_by("-started_at")[:LISTED]
    )


def session_view(session: PracticeSession) -> dict[str, Any]:
    """The conversation with each reply's feedback, and the rubric: final once ended, so far while running."""
    played = frozen_scenario(session)
    turns = list(session.turns.all())
    read = records(turns)
    assessment = session.assessment or assess(played, read, ended=not session.is_active)
    return {
        "scenario": played,
        "state": played.state(session.state),
        "mood_max": max(s.mood for s in played.states.values()),
        "turns": [
            {
                "turn": turn,
                "feedback": turn_feedback(played, record),
                "change": _change(played.state(turn.state_before).mood, played.state(turn.state_after).mood),
            }
            for turn, record in zip(turns, read, strict=True)
        ],
        "assessment": assessment,
    }


def _change(before: int, after: int) -> str:
    """How the reply left the customer: calmer, angrier or unchanged (by the states' moods)."""
    return "calmer" if after > before else "angrier" if after < before else "unchanged"
