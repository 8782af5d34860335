"""The practice pages and API, and who may read what. Those who deal with customers practise (an assessor
reads, never writes); a learner reads only their own sessions; their assessor reads them (read-only,
formative); nobody else, not even the team leader. Every page and response says practice never counts
as evidence of performance."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from amends.conftest import api_client, login
from amends.core.models import AuditEvent
from amends.practice.library import scenarios
from amends.practice.models import NOTICE, PracticeSession, PracticeTurn
from amends.practice.services import practice_reply, practice_start

pytestmark = pytest.mark.django_db
ANGRY = "angry-double-charge"


@pytest.fixture
def session(learner):
    started = practice_start(learner=learner, scenario_id=ANGRY)
    practice_reply(session=started, learner=learner, text=scenarios()[ANGRY].ideal[0])
    return started


def test_the_library_lists_and_filters_scenarios_with_the_notice(adviser):
    page = login(adviser).get("/practice/")
    assert page.status_code == 200
    html = page.content.decode()
    assert NOTICE in html
    assert html.count('class="practice-scenario"') == len(scenarios())
    page = login(adviser).get("/practice/?persona=threatening&channel=face_to_face")
    html = page.content.decode()
    assert html.count('class="practice-scenario"') == 1 and "scenario-threatening-at-the-counter" in html
    assert 'href="/practice/"' in login(adviser).get("/queue/").content.decode()  # in the navigation


def test_a_learner_starts_replies_and_reads_the_feedback_on_the_pages(learner):
    client = login(learner)
    started = client.post("/practice/start", {"scenario": ANGRY})
    session = PracticeSession.objects.get()
    assert started.url == f"/practice/sessions/{session.pk}/"
    replied = client.post(f"/practice/sessions/{session.pk}/reply", {"text": scenarios()[ANGRY].ideal[0]})
    assert replied.url == f"/practice/sessions/{session.pk}/#reply"
    html = client.get(f"/practice/sessions/{session.pk}/").content.decode()
    assert NOTICE in html and 'name="text"' in html
    assert escape("Okay. Okay, that's something.") in html and 'data-change="calmer"' in html
    assert "CFACSC4 P11" in html and "Shows empathy without admitting fault" in html
    ended = client.post(f"/practice/sessions/{session.pk}/reply", {"text": scenarios()[ANGRY].ideal[1]})
    assert ended.url == f"/practice/sessions/{session.pk}/results"
    html = client.get(ended.url).content.decode()
    assert "Score: 100 / 100" in html and "passed" in html and NOTICE in html


def test_a_bad_reply_on_the_page_is_a_message_and_changes_nothing(learner, session):
    client = login(learner)
    response = client.post(f"/practice/sessions/{session.pk}/reply", {"text": "  "}, follow=True)
    assert "Write a reply to the customer" in response.content.decode()
    assert PracticeTurn.objects.count() == 1


def test_the_assessor_reads_the_learners_session_without_a_reply_form(assessor, session):
    client = login(assessor)
    html = client.get(f"/practice/sessions/{session.pk}/").content.decode()
    assert "Read-only" in html and 'name="text"' not in html
    response = client.post(f"/practice/sessions/{session.pk}/reply", {"text": "Let me help."}, follow=True)
    assert "Only the learner who started" in response.content.decode()
    assert PracticeTurn.objects.count() == 1
    assert "Hal Handler" in client.get("/practice/").content.decode()  # the learner's sessions listed


@pytest.mark.parametrize("who", ["adviser", "team_leader", "complaints_lead"])
def test_nobody_else_reads_a_learners_session(request, session, who):
    client = login(request.getfixturevalue(who))
    assert client.get(f"/practice/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/practice/sessions/{session.pk}/results").status_code == 404
    assert client.post(f"/practice/sessions/{session.pk}/reply", {"text": "Hi"}).status_code == 404
    assert "Hal Handler" not in client.get("/practice/").content.decode()


def test_an_assessor_reads_only_their_own_learners(session, assessor, complaints_team):
    from amends.conftest import _person
    from amends.core.models import Role

    other = _person("ari", Role.ASSESSOR, complaints_team, "Ari", "Other")
    assert login(other).get(f"/practice/sessions/{session.pk}/").status_code == 404


def test_someone_without_a_role_cannot_practise(outsider):
    assert login(outsider).get("/practice/").status_code == 403


def test_the_library_page_is_flat_as_sessions_grow(learner, django_assert_num_queries):
    client = login(learner)
    practice_start(learner=learner, scenario_id=ANGRY)
    client.get("/practice/")  # the session and the user's staff profile are loaded and cached
    one = _queries(client)
    for _ in range(4):
        practice_start(learner=learner, scenario_id=ANGRY)
    with django_assert_num_queries(one):
        client.get("/practice/")


def test_the_session_page_is_flat_as_turns_grow(learner, django_assert_num_queries):
    client = login(learner)
    session = practice_start(learner=learner, scenario_id="over-dependent-daily-caller")
    practice_reply(session=session, learner=learner, text="Hello.")
    one = _queries(client, f"/practice/sessions/{session.pk}/")
    for _ in range(4):
        practice_reply(session=session, learner=learner, text="Hello again.")
    with django_assert_num_queries(one):
        client.get(f"/practice/sessions/{session.pk}/")


def _queries(client, url="/practice/"):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


# --- the API ------------------------------------------------------------------------------------------


def test_the_api_lists_starts_replies_and_reads_with_provenance_simulation(learner):
    client = api_client(learner)
    listed = client.get("/api/v1/practice/scenarios?persona=angry").json()
    assert listed["notice"] == NOTICE
    assert {s["id"] for s in listed["scenarios"]} == {ANGRY, "email-missed-repairs"}
    assert all(s["provenance"] == "simulation" for s in listed["scenarios"])

    started = client.post("/api/v1/practice/sessions", {"scenario": ANGRY}, content_type="application/json")
    assert started.status_code == 201
    body = started.json()
    assert (body["state"], body["provenance"], body["notice"], body["turns"]) == (
        "angry",
        "simulation",
        NOTICE,
        [],
    )
    replied = client.post(
        f"/api/v1/practice/sessions/{body['id']}/replies",
        {"text": scenarios()[ANGRY].ideal[0]},
        content_type="application/json",
    ).json()
    (turn,) = replied["turns"]
    assert (turn["state_before"], turn["state_after"], replied["mood"]) == ("angry", "calmer", 4)
    assert "apology_or_empathy" in {f["kind"] for f in turn["findings"]}
    assert "acknowledge-feelings" in {p["id"] for p in turn["feedback"]["met"]}
    assert replied["assessment"]["score"] > 0 and replied["passed"] is None
    read = client.get(f"/api/v1/practice/sessions/{body['id']}").json()
    assert read["turns"] == replied["turns"] and read["provenance"] == "simulation"

    ended = client.post(f"/api/v1/practice/sessions/{body['id']}/end").json()
    # A good start, stopped before the customer settled: scored, not passed.
    assert ended["ending"] == "stopped" and ended["score"] >= 70 and ended["passed"] is False


def test_the_api_refuses_bad_input_and_other_peoples_sessions(learner, session, adviser, assessor):
    client = api_client(learner)
    empty = client.post(
        f"/api/v1/practice/sessions/{session.pk}/replies", {"text": " "}, content_type="application/json"
    )
    assert empty.status_code == 400 and empty.json()["error"]["fields"] == {"text": "required"}
    unknown = client.post("/api/v1/practice/sessions", {"scenario": "nope"}, content_type="application/json")
    assert unknown.status_code == 404
    assert api_client(adviser).get(f"/api/v1/practice/sessions/{session.pk}").status_code == 404
    assert api_client(assessor).get(f"/api/v1/practice/sessions/{session.pk}").status_code == 200
    refused = api_client(assessor).post(
        f"/api/v1/practice/sessions/{session.pk}/replies", {"text": "Hi"}, content_type="application/json"
    )
    assert refused.status_code == 403
    client.post(f"/api/v1/practice/sessions/{session.pk}/end")
    ended = client.post(
        f"/api/v1/practice/sessions/{session.pk}/replies", {"text": "Hi"}, content_type="application/json"
    )
    assert ended.status_code == 409
    assert PracticeTurn.objects.count() == 1
    assert AuditEvent.objects.filter(kind="practice.replied").count() == 1
