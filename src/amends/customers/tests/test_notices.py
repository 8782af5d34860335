"""Notices on a customer (customers.hooks.customer_notices) show on every screen that shows the customer:
the queue's rows, the case page and the customer page, given only by the providers the user may read."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amends.cases.tests.factories import make_case
from amends.customers.hooks import CustomerNotice, customer_notices, notices_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(complaints_team):
    """Two cases of two customers; a provider that marks the first customer for everyone but assessors."""
    first = make_case(team=complaints_team, email="first@example.com", name="First Customer")
    second = make_case(team=complaints_team, email="second@example.com", name="Second Customer")
    calls = []

    def provider(user, customer_ids):
        calls.append(sorted(customer_ids))
        if user.staff.role == "assessor":
            return {}
        return {
            first.customer_id: [
                CustomerNotice(kind="support_needs", label="Support needs", text="Large print.", tone="info"),
                CustomerNotice(kind="warning_marker", label="Warning marker", text="Threats.", tone="danger"),
            ]
        }

    customer_notices.register(provider)
    yield first, second, calls
    customer_notices.unregister(provider)


def test_the_loudest_notice_comes_first_and_one_call_answers_for_every_customer(marked, adviser):
    first, second, calls = marked
    found = notices_for(adviser, [first.customer_id, second.customer_id, first.customer_id])
    assert [n.kind for n in found[first.customer_id]] == ["warning_marker", "support_needs"]
    assert second.customer_id not in found
    assert calls == [sorted([first.customer_id, second.customer_id])]


def test_no_customers_asks_no_provider(marked, adviser):
    assert notices_for(adviser, []) == {}
    assert marked[2] == []


@pytest.mark.parametrize("path", ["queue", "case", "customer"])
def test_every_screen_that_shows_the_customer_shows_the_notice(marked, adviser, path):
    first, _second, _calls = marked
    client = Client()
    client.force_login(adviser)
    url = {
        "queue": "/queue/",
        "case": f"/cases/{first.reference}/",
        "customer": f"/customers/{first.customer_id}/",
    }
    html = client.get(url[path]).content.decode()
    assert "Warning marker" in html
    assert html.index("Warning marker") < html.index("Support needs")


def test_a_user_the_provider_refuses_sees_no_notice(marked, assessor):
    first, _second, _calls = marked
    client = Client()
    client.force_login(assessor)
    assert "Warning marker" not in client.get(f"/cases/{first.reference}/").content.decode()


def test_the_queue_asks_once_for_a_whole_page(marked, adviser, complaints_team):
    for n in range(5):
        make_case(team=complaints_team, email=f"more{n}@example.com", name=f"More {n}")
    client = Client()
    client.force_login(adviser)
    with CaptureQueriesContext(connection):
        client.get("/queue/")
    assert len(marked[2]) == 1
