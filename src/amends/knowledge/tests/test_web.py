"""Knowledge checks on the pages and the API: who sees what (learners their own, assessors their learners',
IQAs everyone's, managers nothing), the form without script, marking, and no right answer shown before the
check is submitted.

Hal is Ash's learner; Ada is Ava's; Iris is the IQA; Tess, a team leader, manages them.
"""

import pytest

from amends.conftest import api_client, login
from amends.knowledge import bank
from amends.knowledge.models import KnowledgeAnswer
from amends.knowledge.services import attempt_start, attempt_submit

from .conftest import CRITERIA, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(learner):
    return attempt_start(learner=learner, criteria=CRITERIA)


@pytest.fixture
def submitted(learner, attempt):
    attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
    return attempt


def secrets(attempt):
    """What only a submitted check shows: each option's why, each order's why, model answers."""
    found = []
    for q in attempt.question_list():
        found += [o.why for o in q.options] + [q.why, q.model_answer, q.guidance]
    return [s for s in found if s]


def form_post(attempt, short="Within my limit I refund fees; above it I ask my team leader."):
    data = {}
    for q in attempt.question_list():
        if q.format == "order":
            data.update({f"q-{q.id}-{n}": key for n, key in enumerate(q.order, start=1)})
        elif q.format == "choice":
            data[f"q-{q.id}"] = list(q.correct_keys)
        else:
            data[f"q-{q.id}"] = short
    return data


def test_no_right_answer_is_shown_before_the_check_is_submitted(learner, attempt):
    from django.utils.html import escape

    page = login(learner).get(f"/knowledge/checks/{attempt.pk}/").content.decode()
    assert all(escape(s) not in page for s in secrets(attempt))
    assert "Submit the check" in page
    body = api_client(learner).get(f"/api/v1/knowledge/attempts/{attempt.pk}").content.decode()
    assert all(s not in body for s in secrets(attempt)) and '"correct"' not in body
    banks = api_client(learner).get("/api/v1/knowledge/banks")
    every = [q for b in bank.banks().values() for q in b.questions]
    assert banks.status_code == 200 and sum(len(b["questions"]) for b in banks.json()) == len(every)
    text = banks.content.decode()
    assert '"correct"' not in text and '"why"' not in text and "model_answer" not in text
    assert all(o.why not in text for q in every for o in q.options)


def test_a_learner_takes_a_check_by_the_plain_form_and_sees_why(learner, assessor):
    client = login(learner)
    index = client.get("/knowledge/").content.decode()
    assert "Take the WM57 check" in index and "WM57 h" in index
    started = client.post("/knowledge/start", {"unit": "WM57"})
    attempt = learner.knowledge_attempts.get()
    assert started.url == f"/knowledge/checks/{attempt.pk}/"
    done = client.post(started.url, form_post(attempt), follow=True).content.decode()
    assert "Check submitted" in done and "Waiting for the assessor" in done
    assert "Feeling sorry" not in done  # a CFACSC4 question is not in a WM57 check
    q = next(q for q in attempt.question_list() if q.format == "choice")
    from django.utils.html import escape

    assert escape(q.options[0].why) in done
    assert KnowledgeAnswer.objects.filter(attempt=attempt).count() == len(attempt.questions)
    assert "Marking guidance" not in done  # the assessor's, not the learner's


def test_a_form_with_a_missing_answer_keeps_what_was_written_and_saves_nothing(learner, attempt):
    post = form_post(attempt, short="My own words")
    order_q = next(q for q in attempt.question_list() if q.format == "order")
    del post[f"q-{order_q.id}-2"]
    response = login(learner).post(f"/knowledge/checks/{attempt.pk}/", post)
    page = response.content.decode()
    assert response.status_code == 400 and "put all 5 steps in order" in page
    assert "My own words</textarea>" in page
    assert not KnowledgeAnswer.objects.exists()


def test_the_assessor_marks_a_short_answer_through_the_form(learner, assessor, submitted):
    client = login(assessor)
    queue = client.get("/knowledge/marking/").content.decode()
    assert "Hal Handler" in queue and "Marking guidance" in queue
    answer = submitted.answers.get(format="short")
    refused = client.post(f"/knowledge/answers/{answer.pk}/mark", {"verdict": "not_yet"}, follow=True)
    assert "Say what is missing" in refused.content.decode()
    marked = client.post(
        f"/knowledge/answers/{answer.pk}/mark", {"verdict": "acceptable", "comment": "Good"}, follow=True
    )
    assert "Answer marked" in marked.content.decode() and "Nothing waiting to mark" in marked.content.decode()
    answer.refresh_from_db()
    assert answer.correct is True and answer.marked_by == assessor
    mine = login(learner).get("/knowledge/").content.decode()
    assert mine.count("result-met") == 2  # WM57 h and j


def test_who_reads_whose_checks(learner, assessor, other_assessor, iqa, team_leader, submitted):
    url = f"/knowledge/checks/{submitted.pk}/"
    learner_url = f"/knowledge/learners/{learner.pk}/"
    for reader, reads in ((learner, True), (assessor, True), (iqa, True), (other_assessor, False)):
        assert login(reader).get(url).status_code == (200 if reads else 404), reader.username
        got = api_client(reader).get(f"/api/v1/knowledge/learners/{learner.pk}/results")
        assert got.status_code == (200 if reads else 404), reader.username
    assert login(assessor).get(learner_url).status_code == 200
    assert login(other_assessor).get(learner_url).status_code == 404
    for page in ("/knowledge/", url, learner_url, "/knowledge/marking/"):
        assert login(team_leader).get(page).status_code in (403, 404), page
    assert "Knowledge checks" not in login(team_leader).get("/queue/").content.decode()
    assert api_client(team_leader).get("/api/v1/knowledge/banks").status_code == 403
    assert api_client(iqa).get("/api/v1/knowledge/banks").status_code == 200
    assert "Knowledge checks" in login(learner).get("/queue/").content.decode()
    iqa_index = login(iqa).get("/knowledge/").content.decode()
    assert "Hal Handler" in iqa_index and "Take the" not in iqa_index
    assert "Hal Handler" in login(assessor).get("/knowledge/").content.decode()
    assert "Hal Handler" not in login(other_assessor).get("/knowledge/").content.decode()


def test_the_api_starts_submits_reads_and_marks(learner, assessor, iqa):
    client = api_client(learner)
    made = client.post("/api/v1/knowledge/attempts", {"criteria": CRITERIA}, content_type="application/json")
    assert made.status_code == 201 and made.json()["status"] == "in_progress"
    body = made.json()
    assert body["answers"] == [] and body["explained"] == []
    pk = body["id"]
    attempt = learner.knowledge_attempts.get()
    bad = client.post(
        f"/api/v1/knowledge/attempts/{pk}/submit", {"answers": {}}, content_type="application/json"
    )
    assert bad.status_code == 400 and len(bad.json()["error"]["fields"]) == 4
    done = client.post(
        f"/api/v1/knowledge/attempts/{pk}/submit",
        {"answers": right_answers(attempt)},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["status"] == "waiting"
    explained = {e["id"]: e for e in done.json()["explained"]}
    assert explained["pr-limits-short"]["model_answer"] and explained["pr-limits-short"]["guidance"] == ""
    again = client.post(
        f"/api/v1/knowledge/attempts/{pk}/submit",
        {"answers": right_answers(attempt)},
        content_type="application/json",
    )
    assert again.status_code == 409
    (waiting,) = api_client(assessor).get("/api/v1/knowledge/marking").json()
    assert waiting["learner"] == learner.pk and waiting["guidance"]
    url = f"/api/v1/knowledge/answers/{waiting['answer']}/mark"
    assert api_client(iqa).post(url, {"acceptable": True}, content_type="application/json").status_code == 403
    marked = api_client(assessor).post(url, {"acceptable": True}, content_type="application/json")
    assert marked.status_code == 200 and marked.json()["correct"] is True
    results = {
        r["criterion"]: r for r in client.get(f"/api/v1/knowledge/learners/{learner.pk}/results").json()
    }
    assert results["WM57 j"]["status"] == "met" and results["WM57 j"]["marked_by"] == assessor.pk
    assert [
        a["id"] for a in api_client(iqa).get(f"/api/v1/knowledge/attempts?learner={learner.pk}").json()
    ] == [pk]


def test_the_pages_queries_stay_flat_as_checks_grow(learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(learner)
    counts = []
    for _ in range(2):
        for _ in range(2):
            attempt = attempt_start(learner=learner, criteria=["WM57 h"])
            attempt_submit(attempt=attempt, learner=learner, answers=right_answers(attempt))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/knowledge/").status_code == 200
            assert client.get(f"/knowledge/checks/{attempt.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] < 30
