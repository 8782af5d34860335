"""Practising with a simulated customer: start, reply, end. One service each, in a transaction, audited.

Practice is formative: nothing here writes evidence, a case, a message or anything a customer could see. Each
service refuses bad input with a DomainError naming the field, before it changes anything.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.core.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed
from amends.core.permissions import can_practise
from amends.core.services import audit_record

from .dialogue import step
from .frozen import frozen_scenario, opening_line, records
from .library import scenario
from .marking import assess
from .models import PROVENANCE, Ending, PracticeSession, PracticeTurn

REPLY_LIMIT = 2_000
# A conversation that neither settles nor breaks down ends here, so a session cannot grow without bound.
MAX_TURNS = 12


@transaction.atomic
def practice_start(*, learner: Any, scenario_id: str) -> PracticeSession:
    """A member of staff starts a scenario; the session keeps the scenario as it is now."""
    if not can_practise(learner):
        raise PermissionDenied("Those who deal with customers practise with simulated ones")
    chosen = scenario((scenario_id or "").strip())
    if chosen is None:
        raise NotFound("No such scenario", fields={"scenario": "unknown"})
    session = PracticeSession.objects.create(
        learner=learner,
        scenario_id=chosen.id,
        scenario_version=chosen.version,
        scenario=chosen.data,
        state=chosen.start,
        started_at=timezone.now(),
    )
    audit_record(
        actor=learner,
        kind="practice.started",
        obj=session,
        after={"scenario": chosen.id, "version": chosen.version, "provenance": PROVENANCE},
    )
    return session


@transaction.atomic
def practice_reply(*, session: PracticeSession, learner: Any, text: str) -> PracticeTurn:
    """The learner's reply: the customer reads it and answers from the state it leads to. A reply that
    settles the customer, or loses them, ends the session and scores it."""
    session = _locked(session, learner)
    text = (text or "").strip()
    if not text:
        raise DomainError("Write a reply to the customer", fields={"text": "required"})
    if len(text) > REPLY_LIMIT:
        raise DomainError("The reply is too long", fields={"text": f"at most {REPLY_LIMIT}"})
    played = frozen_scenario(session)
    turns = list(session.turns.all())
    visits: dict[str, int] = {}
    for turn in turns:
        visits[turn.state_after] = visits.get(turn.state_after, 0) + 1
    last = turns[-1].customer_reply if turns else opening_line(played)
    moved = step(played, session.state, text, customer_text=last, visits=visits)
    turn = PracticeTurn.objects.create(
        session=session,
        number=len(turns) + 1,
        learner_text=text,
        customer_reply=moved.says,
        state_before=moved.before,
        state_after=moved.after,
        signals=moved.reading.signals,
        findings=moved.reading.findings_dict(),
        at=timezone.now(),
    )
    session.state = moved.after
    audit_record(
        actor=learner,
        kind="practice.replied",
        obj=session,
        after={"turn": turn.number, "from": moved.before, "to": moved.after, "provenance": PROVENANCE},
    )
    if moved.ending or turn.number >= MAX_TURNS:
        _finish(session, learner, Ending(moved.ending) if moved.ending else Ending.OUT_OF_TURNS)
    else:
        session.save(update_fields=["state"])
    return turn


@transaction.atomic
def practice_end(*, session: PracticeSession, learner: Any) -> PracticeSession:
    """The learner stops before the customer settles; what they did so far is scored."""
    session = _locked(session, learner)
    _finish(session, learner, Ending.STOPPED)
    return session


def _locked(session: PracticeSession, learner: Any) -> PracticeSession:
    """The session, locked against a second reply racing this one; only its learner writes in it, and only
    while it runs."""
    if session.learner_id != getattr(learner, "pk", None):
        raise PermissionDenied("Only the learner who started a practice session replies in it")
    session = PracticeSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_active:
        raise TransitionNotAllowed("This practice session has ended", fields={"session": "ended"})
    return session


def _finish(session: PracticeSession, learner: Any, ending: Ending) -> None:
    result = assess(frozen_scenario(session), records(session.turns.all()), ended=True)
    # A pass also needs the customer settled: a good start abandoned, or a customer lost, is not one.
    result["passed"] = result["passed"] and ending == Ending.RESOLVED
    session.ending = ending
    session.ended_at = timezone.now()
    session.score = result["score"]
    session.passed = result["passed"]
    session.assessment = result
    session.save(update_fields=["state", "ending", "ended_at", "score", "passed", "assessment"])
    audit_record(
        actor=learner,
        kind="practice.ended",
        obj=session,
        after={
            "ending": ending.value,
            "score": result["score"],
            "passed": result["passed"],
            "blockers_failed": result["blockers_failed"],
            "provenance": PROVENANCE,
        },
    )
