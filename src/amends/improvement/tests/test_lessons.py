"""Lessons learned shared with teams and people: each is told and acknowledges it; the sharer sees who has."""

import pytest

from amends.conftest import api_client, login
from amends.core.errors import DomainError, NotFound
from amends.core.models import AuditEvent, Notification
from amends.improvement import lessons
from amends.improvement.models import Lesson, LessonRecipient

pytestmark = pytest.mark.django_db

WORDS = dict(
    title="Refund delays: call before the deadline",
    what_happened="Customers chased refunds we had promised",
    what_learned="A call two days before the promised date stops the chase",
    what_changes="The refunds script now has the call in it",
)


def test_a_lesson_shared_with_a_team_and_a_person(
    team_leader, adviser, case_handler, assessor, other_team_adviser, complaints_team, complaints_lead
):
    lesson = lessons.lesson_share(
        actor=team_leader, team_ids=[complaints_team.pk], people_ids=[other_team_adviser.pk], **WORDS
    )
    told = set(lesson.recipients.values_list("user__username", flat=True))
    assert told == {"ada", "hal", "otto"}  # the team's who work cases (no assessor, not the sharer), and Otto
    assert Notification.objects.filter(text__contains=WORDS["title"]).count() == 3
    assert AuditEvent.objects.get(kind="lesson.shared").after["teams"] == ["complaints"]

    lessons.lesson_acknowledge(lesson=lesson, user=adviser)
    with pytest.raises(DomainError, match="already"):
        lessons.lesson_acknowledge(lesson=lesson, user=adviser)
    with pytest.raises(NotFound):
        lessons.lesson_acknowledge(lesson=lesson, user=complaints_lead)

    page = login(team_leader).get(f"/lessons/{lesson.pk}/").content.decode()
    acknowledged, waiting = page.split('id="acknowledged"')[1].split('id="waiting"')
    assert "Ada Adviser" in acknowledged and "Hal Handler" in waiting and "Otto Other" in waiting
    assert "1 of 3" in login(team_leader).get("/lessons/").content.decode()
    mine = login(case_handler).get(f"/lessons/{lesson.pk}/").content.decode()
    assert "I have read this lesson" in mine and 'id="answers"' not in mine  # not who else has
    assert login(complaints_lead).get(f"/lessons/{lesson.pk}/").status_code == 200  # every lesson's answers
    assert login(assessor).get(f"/lessons/{lesson.pk}/").status_code == 404


def test_acknowledging_on_the_page(team_leader, case_handler):
    lesson = lessons.lesson_share(actor=team_leader, people_ids=[case_handler.pk], **WORDS)
    client = login(case_handler)
    assert WORDS["title"] in client.get("/lessons/").content.decode()
    client.post(f"/lessons/{lesson.pk}/acknowledge")
    row = LessonRecipient.objects.get(lesson=lesson, user=case_handler)
    assert row.acknowledged_at is not None
    assert "You acknowledged it" in client.get(f"/lessons/{lesson.pk}/").content.decode()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": ""}, "Title is required"),
        ({"what_learned": "  "}, "What learned is required"),
        ({"people_ids": []}, "at least one colleague"),
        ({"team_ids": [999_999]}, "No such team"),
    ],
)
def test_bad_lessons_change_nothing(team_leader, case_handler, changes, error):
    values = WORDS | {"people_ids": [case_handler.pk]} | changes
    with pytest.raises((DomainError, NotFound), match=error):
        lessons.lesson_share(actor=team_leader, **values)
    assert not Lesson.objects.exists() and not Notification.objects.exists()


def test_an_adviser_may_not_share_and_the_api_shares_and_acknowledges(team_leader, adviser, complaints_team):
    refused = login(adviser).post("/lessons/share", WORDS | {"people": [team_leader.pk]}, follow=True)
    assert "Team leaders and complaints leads share lessons" in refused.content.decode()
    assert not Lesson.objects.exists()
    shared = api_client(team_leader).post(
        "/api/v1/lessons", WORDS | {"teams": [complaints_team.pk]}, content_type="application/json"
    )
    assert shared.status_code == 200, shared.content
    lesson_id = shared.json()["id"]
    assert shared.json()["recipients"] == [{"user": adviser.pk, "acknowledged_at": None}]
    api = api_client(adviser)
    assert api.get(f"/api/v1/lessons/{lesson_id}").json()["recipients"] is None
    acknowledged = api.post(f"/api/v1/lessons/{lesson_id}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_at"]
    assert api.post(f"/api/v1/lessons/{lesson_id}/acknowledge").status_code == 400


def test_the_lessons_pages_take_the_same_queries_however_many_lessons(team_leader, adviser, complaints_team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def share(n):
        for i in range(n):
            lessons.lesson_share(
                actor=team_leader, team_ids=[complaints_team.pk], **(WORDS | {"title": f"L{i}"})
            )

    share(1)
    counts = {}
    for user in (team_leader, adviser):
        with CaptureQueriesContext(connection) as queries:
            login(user).get("/lessons/")
        counts[user.username] = len(queries)
    share(4)
    for user in (team_leader, adviser):
        with CaptureQueriesContext(connection) as queries:
            page = login(user).get("/lessons/").content.decode()
        # The link's text, not the bare "L3": a CSRF token can hold those two characters.
        assert page.count(">L3</a>") == 1
        assert len(queries) == counts[user.username], user.username


def test_the_case_page_offers_a_lesson_from_the_case(team_leader, adviser, complaints_team):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team)
    link = f"/lessons/?case={case.reference}#lesson-form"
    assert link in login(team_leader).get(f"/cases/{case.reference}/").content.decode()
    assert (
        "Share a lesson learned from this case"
        not in login(adviser).get(f"/cases/{case.reference}/").content.decode()
    )
    assert (
        f'value="{case.reference}"'
        in login(team_leader).get(f"/lessons/?case={case.reference}").content.decode()
    )
    login(team_leader).post("/lessons/share", WORDS | {"case": case.reference, "people": [adviser.pk]})
    assert Lesson.objects.get().case == case
