"""Personas for knowledge checks: Hal (a case handler) is Ash's learner; Ada (an adviser) is Ava's learner;
Iris is the IQA; Tess, a team leader, manages them and has nothing to do here."""

import pytest

from amends.conftest import _person
from amends.core.models import Role, StaffProfile

# Two questions each: WM57 h (a choice, and an order question it shares with CFACSC7 K9) and WM57 j (a
# choice and a short answer): every format in a check quick to take.
CRITERIA = ["WM57 h", "WM57 j"]


def make_learner(learner, assessor):
    StaffProfile.objects.filter(user=learner).update(assessor=assessor)
    learner.refresh_from_db()
    return learner


@pytest.fixture
def learner(case_handler, assessor):
    return make_learner(case_handler, assessor)


@pytest.fixture
def other_assessor(complaints_team):
    return _person("ava", Role.ASSESSOR, complaints_team, "Ava", "Other")


@pytest.fixture
def other_learner(adviser, other_assessor):
    return make_learner(adviser, other_assessor)


@pytest.fixture
def iqa(db):
    return _person("iris", Role.IQA, None, "Iris", "Quality")


def right_answers(attempt, short="Within my limit I refund fees; above it I ask my team leader."):
    """Every question answered right (the short one with this text)."""
    answers = {}
    for q in attempt.question_list():
        answers[q.id] = {"choice": list(q.correct_keys), "order": list(q.order)}.get(q.format, short)
    return answers


def wrong(attempt, fmt):
    """Right answers but for the first question of this format, answered wrong."""
    answers = right_answers(attempt)
    q = next(q for q in attempt.question_list() if q.format == fmt)
    if fmt == "choice":
        answers[q.id] = [next(o.key for o in q.options if not o.correct)]
    else:
        answers[q.id] = list(reversed(q.order))
    return answers
