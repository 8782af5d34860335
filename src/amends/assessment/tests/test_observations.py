"""An assessor records an observation of someone's work on a case against the standards' criteria. It is
audited, the learner is told, and it is read by assessors and the learner only: not by colleagues on the
case, never on the customer's status page.

Ash, an assessor in the complaints team, observes Hal, the case handler who owns the complaint; Ada, an
adviser in the same team, sees the case but not Hal's observations; Lee, the complaints lead, neither.
"""

from datetime import date

import pytest
from django.test import Client
from django.utils.html import escape

from amends.assessment.models import Observation
from amends.assessment.services import observation_record
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
SEEN = "Summarised the customer's concerns back to her before offering options; named the fee she was owed."


@pytest.fixture
def case(complaints_team, case_handler):
    return make_case(team=complaints_team, owner=case_handler, summary="Charged twice")


def record(case, assessor, learner, **given):
    return observation_record(
        case=case,
        assessor=assessor,
        learner=learner,
        **{"criteria": "CFACSC4 P10, wm57 1", "seen": SEEN, **given},
    )


def test_an_observation_is_recorded_audited_and_the_learner_told(case, assessor, case_handler):
    observation = record(case, assessor, case_handler, observed_on=date(2026, 11, 3))

    assert observation.criteria == ["CFACSC4 P10", "WM57 1"]
    assert (observation.learner, observation.assessor, observation.observed_on) == (
        case_handler,
        assessor,
        date(2026, 11, 3),
    )
    (audit,) = AuditEvent.objects.filter(kind="observation.recorded")
    assert audit.actor == assessor and audit.object_id == str(observation.pk)
    assert audit.after == {
        "case": case.reference,
        "learner": case_handler.pk,
        "criteria": ["CFACSC4 P10", "WM57 1"],
        "observed_on": "2026-11-03",
    }
    (note,) = Notification.objects.filter(user=case_handler)
    assert note.text == f"Ash Assessor recorded an observation of your work on {case.reference}"
    assert note.urgency == "routine" and note.link.endswith("#observations")
    # Not a case event: the timeline is read by the whole team.
    assert not case.events.exclude(kind__in=["opened", "assigned"]).exists()
    assert record(case, assessor, case_handler).observed_on == date(2026, 11, 4)  # today unless said


@pytest.mark.parametrize(
    ("given", "fields"),
    [
        ({"criteria": "CFACSC4 P99"}, {"criteria": "CFACSC4 P99"}),
        ({"criteria": "P11"}, {"criteria": "P11"}),
        ({"criteria": ""}, {"criteria": "required"}),
        ({"seen": "  "}, {"seen": "required"}),
        ({"seen": "x" * 10_001}, {"seen": "at most 10000"}),
        ({"observed_on": date(2026, 11, 5)}, {"observed_on": "in the future"}),
    ],
)
def test_refusals_change_nothing(case, assessor, case_handler, given, fields):
    with pytest.raises(DomainError) as err:
        record(case, assessor, case_handler, **given)
    assert err.value.fields == fields
    assert (
        not Observation.objects.exists()
        and not AuditEvent.objects.filter(kind="observation.recorded").exists()
    )


def test_only_an_assessor_who_sees_the_case_observes_someone_who_works_it(
    case, assessor, case_handler, adviser, complaints_lead, other_team_adviser
):
    for observer in (complaints_lead, adviser):
        with pytest.raises(PermissionDenied):
            record(case, observer, case_handler)
    for learner, reason in ((assessor, "may not work cases"), (other_team_adviser, "not in team")):
        with pytest.raises(DomainError) as err:
            record(case, assessor, learner)
        assert err.value.fields == {"learner": reason}
    other = make_case(team=other_team_adviser.staff.team, owner=other_team_adviser)
    with pytest.raises(PermissionDenied):
        record(other, assessor, other_team_adviser)
    assert not Observation.objects.exists()


def test_assessors_and_the_learner_read_it_nobody_else(
    case, assessor, case_handler, adviser, complaints_lead
):
    record(case, assessor, case_handler)
    url = f"/cases/{case.reference}/"
    for reader, sees in ((assessor, True), (case_handler, True), (adviser, False), (complaints_lead, False)):
        page = login(reader).get(url).content.decode()
        assert (escape(SEEN) in page) is sees, reader.username
        assert ("Record an observation" in page) is (reader == assessor)
        listed = api_client(reader).get(f"/api/v1/cases/{case.reference}/observations").json()
        assert [o["seen"] for o in listed] == ([SEEN] if sees else [])
    status_page = Client().get(f"/status/{case.public_token}/").content.decode()
    assert escape(SEEN) not in status_page and "CFACSC4" not in status_page


def test_the_page_form_records_one(case, assessor, case_handler):
    response = login(assessor).post(
        f"/cases/{case.reference}/observations",
        {
            "learner": case_handler.pk,
            "criteria": "CFACSC4 P11\nWM57 16",
            "seen": SEEN,
            "observed_on": "2026-11-02",
        },
        follow=True,
    )
    assert "Observation recorded" in response.content.decode()
    # Each criterion's tag says what it is.
    assert 'title="listen carefully to your customers about problems they have raised">WM57 16<' in (
        response.content.decode()
    )
    (observation,) = Observation.objects.all()
    assert observation.criteria == ["CFACSC4 P11", "WM57 16"] and observation.observed_on == date(2026, 11, 2)
    refused = login(assessor).post(
        f"/cases/{case.reference}/observations",
        {"learner": case_handler.pk, "criteria": "WM57 99", "seen": SEEN},
        follow=True,
    )
    assert "WM57 99 names no criterion" in refused.content.decode()
    assert Observation.objects.count() == 1


def test_the_api_records_one_for_an_assessor_and_refuses_anyone_else(case, assessor, case_handler, adviser):
    body = {"learner": case_handler.pk, "criteria": ["CFACSC7 4", "CFACSC7 K4"], "seen": SEEN}
    url = f"/api/v1/cases/{case.reference}/observations"
    made = api_client(assessor).post(url, body, content_type="application/json")
    assert made.status_code == 201 and made.json()["criteria"] == ["CFACSC7 4", "CFACSC7 K4"]
    refused = api_client(adviser).post(url, body, content_type="application/json")
    assert refused.status_code == 403 and Observation.objects.count() == 1
    unknown = api_client(assessor).post(url, {**body, "learner": 99999}, content_type="application/json")
    assert unknown.status_code == 404
