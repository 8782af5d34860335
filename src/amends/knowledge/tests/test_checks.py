"""A learner takes a knowledge check: started (questions frozen), submitted (choice and order marked at
once, short answers to the assessor), marked by their assessor; each step audited; refusals change nothing.

Hal is Ash's learner; Ada is Ava's; Iris is the IQA.
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from amends.core.errors import Conflict, DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification
from amends.knowledge import bank
from amends.knowledge.models import KnowledgeAnswer, KnowledgeAttempt
from amends.knowledge.selectors import attempts_for, criteria_results, marking_queue
from amends.knowledge.services import answer_mark, attempt_start, attempt_submit

from .conftest import CRITERIA, right_answers, wrong

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def attempt(learner):
    return attempt_start(learner=learner, criteria=CRITERIA)


def short_answer(attempt):
    return attempt.answers.get(format="short")


def test_a_check_starts_with_its_questions_frozen_and_audited(learner, attempt):
    assert attempt.criteria == CRITERIA and attempt.unit == ""
    expected = bank.questions_for(CRITERIA)
    assert [q["id"] for q in attempt.questions] == [q.id for q in expected]
    assert [q.format for q in attempt.question_list()] == ["order", "choice", "choice", "short"]
    assert attempt.bank_versions == {"complaints": 1, "problems": 1}
    assert attempt.status == "in_progress"
    (audit,) = AuditEvent.objects.filter(kind="knowledge.attempt_started")
    assert audit.actor == learner and audit.after["criteria"] == CRITERIA
    # Taking it up again rather than starting a second.
    assert attempt_start(learner=learner, criteria=["wm57 h", "WM57 j"]) == attempt
    unit = attempt_start(learner=learner, unit="cfacsc7")
    assert unit.unit == "CFACSC7" and len(unit.criteria) == 13 and len(unit.questions) >= 26


def test_a_unit_check_covers_every_knowledge_criterion_of_it(learner):
    attempt = attempt_start(learner=learner, unit="C4")
    assert attempt.criteria == [f"C4 3.{n}" for n in range(1, 11)]
    assert {ref for q in attempt.question_list() for ref in q.criteria} >= set(attempt.criteria)


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"unit": "XYZ"}, {"unit": "no such unit"}),
        ({"criteria": ["WM57 1"]}, {"criteria": "WM57 1"}),  # a performance criterion: no questions
        ({"criteria": ["WM57 zz"]}, {"criteria": "WM57 zz"}),
        ({}, {"criteria": "required"}),
        ({"unit": "WM57", "criteria": ["WM57 h"]}, {"unit": "or criteria, not both"}),
    ],
)
def test_a_check_on_nothing_we_hold_is_refused(learner, given, fields):
    with pytest.raises(DomainError) as err:
        attempt_start(learner=learner, **given)
    assert err.value.fields == fields
    assert not KnowledgeAttempt.objects.exists() and not AuditEvent.objects.filter(
        kind__startswith="knowledge"
    )


def test_only_a_learner_takes_a_check(case_handler, assessor, iqa):
    for someone in (case_handler, assessor, iqa):  # Hal has no assessor yet here
        with pytest.raises(PermissionDenied):
            attempt_start(learner=someone, criteria=CRITERIA)


def test_all_right_with_no_short_answer_is_complete_and_met_at_once(learner):
    attempt = attempt_start(learner=learner, criteria=["WM57 h"])
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.status == "complete" and attempt.submitted_at == attempt.completed_at == NOW
    assert list(attempt.answers.values_list("correct", flat=True)) == [True, True]
    (result,) = criteria_results(learner).values()
    assert (result.criterion, result.met, result.status, result.attempt_id) == (
        "WM57 h",
        True,
        "met",
        attempt.pk,
    )
    assert (result.decided_at, result.marked_by_id, result.marked_by_name) == (NOW, None, "")
    assert not Notification.objects.exists()  # nothing for the assessor to mark


@pytest.mark.parametrize("fmt", ["choice", "order"])
def test_a_wrong_choice_or_order_leaves_its_criteria_not_yet_met(learner, fmt):
    attempt = attempt_start(learner=learner, criteria=["WM57 h"])
    attempt_submit(attempt=attempt, learner=learner, answers=wrong(attempt, fmt))
    results = criteria_results(learner)
    assert results["WM57 h"].met is False and results["WM57 h"].status == "not_yet"
    if fmt == "order":  # the order question is CFACSC7 K9's too: the check did not cover it
        assert "CFACSC7 K9" not in results


def test_a_short_answer_waits_for_the_assessor_who_is_told(learner, assessor, attempt):
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.status == "waiting" and attempt.completed_at is None
    states = {s.criterion: s.state for s in attempt.criterion_states()}
    assert states == {"WM57 h": "met", "WM57 j": "waiting"}
    assert set(criteria_results(learner)) == {"WM57 h"}
    (note,) = Notification.objects.filter(user=assessor)
    assert note.text == "Hal Handler answered 1 knowledge question for you to mark (WM57 h, WM57 j)"
    assert note.link == "/knowledge/marking/"
    (audit,) = AuditEvent.objects.filter(kind="knowledge.attempt_submitted")
    assert audit.actor == learner and audit.after == {"right": 3, "wrong": 0, "waiting": 1}
    assert [a.question_id for a in marking_queue(assessor)] == ["pr-limits-short"]


def test_the_assessor_marks_it_and_the_check_is_complete(learner, assessor, attempt):
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    answer_mark(answer=short_answer(attempt), assessor=assessor, acceptable=True, comment="Clear limits")
    attempt.refresh_from_db()
    assert attempt.status == "complete"
    result = criteria_results(learner)["WM57 j"]
    assert (result.met, result.marked_by_id, result.marked_by_name) == (True, assessor.pk, "Ash Assessor")
    (audit,) = AuditEvent.objects.filter(kind="knowledge.answer_marked")
    assert audit.actor == assessor and audit.after["acceptable"] is True
    (note,) = Notification.objects.filter(user=learner)
    assert note.text == "Ash Assessor marked your knowledge check (WM57 h, WM57 j): see your results"
    assert note.link == f"/knowledge/checks/{attempt.pk}/"
    assert marking_queue(assessor) == []


def test_not_yet_needs_a_comment_and_leaves_the_criterion_not_yet_met(learner, assessor, attempt):
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    with pytest.raises(DomainError) as err:
        answer_mark(answer=short_answer(attempt), assessor=assessor, acceptable=False, comment=" ")
    assert err.value.fields == {"comment": "required for not yet"}
    assert short_answer(attempt).correct is None
    answer_mark(answer=short_answer(attempt), assessor=assessor, acceptable=False, comment="Name your limit")
    assert criteria_results(learner)["WM57 j"].met is False
    assert short_answer(attempt).comment == "Name your limit"


@pytest.mark.parametrize(
    ("spoil", "fields"),
    [
        (lambda a, q: {**a, q["choice"]: ["z"]}, "choice:no option z"),
        (lambda a, q: {**a, q["order"]: a[q["order"]][:-1]}, "order:put all 5 steps in order"),
        (lambda a, q: {**a, q["short"]: "   "}, "short:write an answer"),
        (lambda a, q: {k: v for k, v in a.items() if k != q["short"]}, "short:write an answer"),
        (lambda a, q: {**a, "made-up": "a"}, "answers:not in this check: made-up"),
    ],
)
def test_bad_answers_change_nothing(learner, attempt, spoil, fields):
    ids = {}
    for q in attempt.question_list():
        ids.setdefault(q.format, q.id)
    with pytest.raises(DomainError) as err:
        attempt_submit(attempt=attempt, learner=learner, answers=spoil(right_answers(attempt), ids))
    key, problem = fields.split(":", 1)
    assert err.value.fields == {ids.get(key, key): problem}
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not KnowledgeAnswer.objects.exists()
    assert not AuditEvent.objects.filter(kind="knowledge.attempt_submitted").exists()
    assert not Notification.objects.exists()


def test_submitting_twice_or_someone_elses_is_refused(learner, other_learner, attempt):
    with pytest.raises(PermissionDenied):
        attempt_submit(attempt=attempt, learner=other_learner, answers=right_answers(attempt))
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    with pytest.raises(Conflict):
        attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    assert KnowledgeAnswer.objects.count() == 4
    assert AuditEvent.objects.filter(kind="knowledge.attempt_submitted").count() == 1


def test_only_the_learners_own_assessor_marks_and_only_short_answers_once(
    learner, assessor, other_assessor, iqa, team_leader, attempt
):
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    for someone in (other_assessor, iqa, team_leader, learner):
        with pytest.raises(PermissionDenied):
            answer_mark(answer=short_answer(attempt), assessor=someone, acceptable=True)
    automatic = attempt.answers.get(format="order")
    with pytest.raises(DomainError) as err:
        answer_mark(answer=automatic, assessor=assessor, acceptable=False, comment="No")
    assert err.value.fields == {"answer": "marked automatically"}
    assert KnowledgeAnswer.objects.get(pk=automatic.pk).correct is True
    assert not AuditEvent.objects.filter(kind="knowledge.answer_marked").exists()
    answer_mark(answer=short_answer(attempt), assessor=assessor, acceptable=True)
    with pytest.raises(Conflict):
        answer_mark(
            answer=short_answer(attempt), assessor=assessor, acceptable=False, comment="Changed my mind"
        )
    assert short_answer(attempt).correct is True


def test_the_latest_decided_result_counts(learner, assessor, time_machine):
    first = attempt_start(learner=learner, criteria=CRITERIA)
    attempt_submit(attempt=first, learner=learner, answers=right_answers(first))
    answer_mark(answer=short_answer(first), assessor=assessor, acceptable=True)
    time_machine.move_to(datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
    second = attempt_start(learner=learner, criteria=CRITERIA)
    attempt_submit(attempt=second, learner=learner, answers=wrong(second, "choice"))
    results = criteria_results(learner)
    # WM57 h is not yet met now; WM57 j waits for its short answer, so the earlier "met" stands.
    assert (results["WM57 h"].met, results["WM57 h"].attempt_id) == (False, second.pk)
    assert (results["WM57 j"].met, results["WM57 j"].attempt_id) == (True, first.pk)
    assert [a.pk for a in attempts_for(learner)] == [second.pk, first.pk]


def test_a_bank_changed_later_leaves_a_started_check_as_it_was(learner, attempt, monkeypatch):
    frozen = json.loads(json.dumps(attempt.questions))
    # Marking reads the questions the attempt froze, never the banks as they are now.
    monkeypatch.setattr(bank, "questions_for", lambda refs: [])
    monkeypatch.setattr(bank, "banks", dict)
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    attempt.refresh_from_db()
    assert attempt.questions == frozen and attempt.answers.count() == 4
