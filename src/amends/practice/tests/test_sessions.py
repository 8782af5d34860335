"""Practising through the services: a session starts with its scenario frozen, each reply moves the customer
and is audited, the session ends and is scored when the customer settles or walks away. Bad input changes
nothing. Hal practises; Ash is his assessor; Ada, a colleague, may not touch his sessions."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amends.core.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed
from amends.core.models import AuditEvent
from amends.practice.library import scenarios
from amends.practice.models import PracticeSession, PracticeTurn
from amends.practice.services import MAX_TURNS, practice_end, practice_reply, practice_start

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 4, 15, 0, tzinfo=ZoneInfo("Europe/London"))
ANGRY = "angry-double-charge"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def kinds():
    """The audit events practice wrote (the personas' creation is audited too)."""
    return list(
        AuditEvent.objects.filter(kind__startswith="practice.").order_by("pk").values_list("kind", flat=True)
    )


def test_a_session_starts_with_the_scenario_frozen_and_audited(learner):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    angry = scenarios()[ANGRY]
    assert (session.state, session.scenario_version, session.scenario) == ("angry", angry.version, angry.data)
    assert session.provenance == "simulation" and session.is_active
    (audit,) = AuditEvent.objects.filter(kind="practice.started")
    assert audit.actor == learner and audit.object_id == str(session.pk)
    assert audit.after == {"scenario": ANGRY, "version": angry.version, "provenance": "simulation"}


def test_replies_move_the_customer_and_settling_ends_and_scores_the_session(learner):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    first = practice_reply(session=session, learner=learner, text=scenarios()[ANGRY].ideal[0])
    assert (first.number, first.state_before, first.state_after) == (1, "angry", "calmer")
    assert first.customer_reply.startswith("Okay. Okay, that's something.")
    assert "apology_or_empathy" in {f["kind"] for f in first.findings}
    assert "acknowledged" in first.signals
    session.refresh_from_db()
    assert session.state == "calmer" and session.is_active

    practice_reply(session=session, learner=learner, text=scenarios()[ANGRY].ideal[1])
    session.refresh_from_db()
    assert (session.state, session.ending, session.ended_at) == ("settled", "resolved", NOW)
    assert session.score == 100 and session.passed is True
    assert session.assessment["blockers_failed"] == []
    assert kinds() == ["practice.started", "practice.replied", "practice.replied", "practice.ended"]
    ended = AuditEvent.objects.get(kind="practice.ended")
    assert ended.after == {
        "ending": "resolved",
        "score": 100,
        "passed": True,
        "blockers_failed": [],
        "provenance": "simulation",
    }


def test_losing_the_customer_ends_the_session(learner):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    practice_reply(session=session, learner=learner, text="Calm down. It's our policy.")
    practice_reply(session=session, learner=learner, text="Whatever.")
    session.refresh_from_db()
    assert (session.state, session.ending, session.passed) == ("lost", "lost", False)


def test_the_learner_may_stop_and_is_scored_on_the_replies_so_far(learner):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    practice_reply(session=session, learner=learner, text="I'm so sorry, I can hear how upsetting this is.")
    session = practice_end(session=session, learner=learner)
    assert session.ending == "stopped" and session.score is not None and session.passed is False
    statuses = {p["id"]: p["status"] for p in session.assessment["points"]}
    assert statuses["acknowledge-feelings"] == "met" and statuses["next-step-with-time"] == "missed"


def test_a_conversation_going_nowhere_ends_after_the_last_turn(learner):
    session = practice_start(learner=learner, scenario_id="over-dependent-daily-caller")
    for _ in range(MAX_TURNS):
        practice_reply(session=session, learner=learner, text="Hello again.")
    session.refresh_from_db()
    assert session.ending == "out_of_turns" and session.turns.count() == MAX_TURNS


def test_a_session_keeps_its_scenario_when_the_library_changes(learner):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    frozen = dict(session.scenario)
    frozen["states"] = {
        **frozen["states"],
        "calmer": {**frozen["states"]["calmer"], "says": ["As it was then."]},
    }
    PracticeSession.objects.filter(pk=session.pk).update(scenario=frozen, scenario_version="an-older-one")
    session.refresh_from_db()
    turn = practice_reply(session=session, learner=learner, text=scenarios()[ANGRY].ideal[0])
    assert turn.customer_reply == "As it was then."


@pytest.mark.parametrize(
    ("text", "fields"),
    [("", {"text": "required"}), ("   \n ", {"text": "required"}), ("x" * 2001, {"text": "at most 2000"})],
)
def test_a_bad_reply_changes_nothing(learner, text, fields):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    with pytest.raises(DomainError) as refused:
        practice_reply(session=session, learner=learner, text=text)
    assert refused.value.fields == fields
    session.refresh_from_db()
    assert session.state == "angry" and not PracticeTurn.objects.exists()
    assert kinds() == ["practice.started"]


def test_nobody_replies_in_someone_elses_session_nor_in_an_ended_one(learner, assessor, adviser):
    session = practice_start(learner=learner, scenario_id=ANGRY)
    for other in (assessor, adviser):
        with pytest.raises(PermissionDenied):
            practice_reply(session=session, learner=other, text="I'm sorry to hear that.")
        with pytest.raises(PermissionDenied):
            practice_end(session=session, learner=other)
    practice_end(session=session, learner=learner)
    with pytest.raises(TransitionNotAllowed) as refused:
        practice_reply(session=session, learner=learner, text="One more thing.")
    assert refused.value.fields == {"session": "ended"}
    with pytest.raises(TransitionNotAllowed):
        practice_end(session=session, learner=learner)
    assert not PracticeTurn.objects.exists()
    assert kinds() == ["practice.started", "practice.ended"]


def test_only_staff_practise_and_only_scenarios_the_library_holds(learner, outsider):
    with pytest.raises(PermissionDenied):
        practice_start(learner=outsider, scenario_id=ANGRY)
    with pytest.raises(NotFound) as refused:
        practice_start(learner=learner, scenario_id="no-such-scenario")
    assert refused.value.fields == {"scenario": "unknown"}
    assert not PracticeSession.objects.exists() and kinds() == []


def test_practice_writes_nothing_but_its_own_rows_and_audit(learner):
    from amends.assessment.models import Observation
    from amends.core.models import Notification

    before = AuditEvent.objects.count()
    session = practice_start(learner=learner, scenario_id=ANGRY)
    for text in scenarios()[ANGRY].ideal:
        practice_reply(session=session, learner=learner, text=text)
    assert not Observation.objects.exists() and not Notification.objects.exists()
    assert AuditEvent.objects.count() - before == len(kinds()) == 4
