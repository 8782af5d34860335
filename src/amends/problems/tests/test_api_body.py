import pytest
from django.test import Client

from amends.core.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ['"AAA"', "[]", "1", '{"title": 5}'])
def test_a_body_that_is_not_a_problem_is_refused(team_leader, body):
    _, key = api_token_create(user=team_leader, name="t")
    response = Client().post(
        "/api/v1/problems", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert response.status_code in (400, 422), response.content
