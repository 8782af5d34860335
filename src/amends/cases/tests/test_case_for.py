"""The one "case this user may see / may work on" question, and how the pages and the API answer it."""

import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from amends.cases.selectors import case_for
from amends.cases.tests.factories import make_case
from amends.core.errors import NotFound, PermissionDenied
from amends.core.services import api_token_create

pytestmark = pytest.mark.django_db

#            persona               see    work
PERSONAS = [
    ("adviser", True, True),
    ("case_handler", True, True),
    ("team_leader", True, True),
    ("complaints_lead", True, True),
    ("admin_user", True, True),
    ("assessor", True, False),
    ("other_team_adviser", False, False),
    ("outsider", False, False),
]


@pytest.fixture
def case(complaints_team):
    return make_case(team=complaints_team)


@pytest.mark.parametrize(("persona", "see", "work"), PERSONAS)
def test_case_for_answers_see_and_work_per_role(request, case, persona, see, work):
    user = request.getfixturevalue(persona)
    if not see:
        with pytest.raises(NotFound):
            case_for(user, case.reference)
        with pytest.raises(NotFound):  # not seeing comes first: nothing says the case exists
            case_for(user, case.reference, work=True)
        return
    assert case_for(user, case.reference) == case
    if work:
        assert case_for(user, case.reference, work=True) == case
    else:
        with pytest.raises(PermissionDenied, match="You can view this case but not work on it"):
            case_for(user, case.reference, work=True)


def test_an_unknown_reference_is_not_found(complaints_lead):
    with pytest.raises(NotFound, match="No case AM-0000-000000 that you can see"):
        case_for(complaints_lead, "AM-0000-000000")


def test_a_case_owned_outside_ones_team_is_seen_and_worked_by_its_owner(other_team_adviser):
    case = make_case(team=None, owner=other_team_adviser)
    assert case_for(other_team_adviser, case.reference, work=True) == case


@pytest.mark.parametrize("url", ["status", "process/understanding", "reply", "signals/1/feedback"])
def test_pages_404_for_an_unseen_case_and_say_why_for_a_read_only_one(
    case, other_team_adviser, assessor, url
):
    hidden, reader = Client(), Client()
    hidden.force_login(other_team_adviser)
    reader.force_login(assessor)
    assert hidden.post(f"/cases/{case.reference}/{url}", {}).status_code == 404
    response = reader.post(f"/cases/{case.reference}/{url}", {})
    assert response.status_code == 302 and response["Location"].startswith(f"/cases/{case.reference}/")
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert said == ["You can view this case but not work on it"]


def test_the_api_gives_the_same_answers_in_its_error_shape(case, other_team_adviser, assessor):
    def post(user, url, body):
        _, key = api_token_create(user=user, name="t")
        return Client().post(
            url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    reply = f"/api/v1/cases/{case.reference}/replies"
    hidden = post(other_team_adviser, reply, {"body": "Hello", "version": case.version})
    assert hidden.status_code == 404
    assert hidden.json() == {
        "error": {"code": "not_found", "message": f"No case {case.reference} that you can see", "fields": {}}
    }
    read_only = post(assessor, reply, {"body": "Hello", "version": case.version})
    assert read_only.status_code == 403
    assert read_only.json()["error"] == {
        "code": "forbidden",
        "message": "You can view this case but not work on it",
        "fields": {},
    }
