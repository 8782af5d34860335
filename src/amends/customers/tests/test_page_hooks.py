"""What the apps above customers add to the customer page, through customers.hooks.customer_page_context."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.customers.hooks import customer_page_context
from amends.messaging.services import message_log_contact
from amends.process.promises import promise_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(adviser):
    client = Client()
    client.force_login(adviser)
    return client


def test_a_registered_providers_context_reaches_the_customer_page(page, complaints_team):
    case = make_case(team=complaints_team)
    seen = []

    def provider(request, customer):
        seen.append((request.user.username, customer.pk))
        return {"next_before": "2030-01-01T00:00:00", "from_the_test": "hello"}

    customer_page_context.register(provider)
    try:
        response = page.get(f"/customers/{case.customer_id}/")
    finally:
        customer_page_context.unregister(provider)
    assert seen == [("ada", case.customer_id)]
    assert response.context["from_the_test"] == "hello"
    assert "?before=2030-01-01T00%3A00%3A00" in response.content.decode()  # the page renders what it got


def test_cases_messaging_and_process_fill_the_customer_page(page, adviser, complaints_team, billing_team):
    case = make_case(team=complaints_team, email="same@example.com", name="Sam Same")
    hidden = make_case(team=billing_team, email="same@example.com", name="Sam Same")
    assert hidden.customer_id == case.customer_id
    message_log_contact(case=case, actor=adviser, channel="phone", direction="in", summary="Rang about it")
    promise_make(case=case, actor=adviser, description="Call back", due_at=timezone.now() + timedelta(days=1))
    context = page.get(f"/customers/{case.customer_id}/").context
    assert [c.reference for c in context["cases"]] == [case.reference]  # not the other team's
    assert any(item.kind == "message" for item in context["timeline"])
    assert {item.obj.case_id for item in context["timeline"]} == {case.pk}
    assert [p.description for p in context["promises"]] == ["Call back"]


@pytest.mark.parametrize(
    "before", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "²", "2026-01-01T10:00"]
)
def test_a_before_not_given_out_by_the_page_shows_the_timeline_from_the_newest(
    page, adviser, complaints_team, before
):
    case = make_case(team=complaints_team)
    message_log_contact(case=case, actor=adviser, channel="phone", direction="in", summary="Rang about it")
    response = page.get(f"/customers/{case.customer_id}/", {"before": before})
    assert response.status_code == 200
    assert any(item.kind == "message" for item in response.context["timeline"])
