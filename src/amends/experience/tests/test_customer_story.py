"""The customer's view, from a history made through the services: the page and the API tell it, with a fixed
number of queries however long it is, to those who may see the customer and to nobody else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.conftest import api_client, login

from .histories import START, build_history, no_pdf

pytestmark = pytest.mark.django_db

# The most queries each may take, whatever the history: the page's session, user, role and notification
# counts, the API's token; then the customer (two), and the story's seven reads.
PAGE_CEILING = 14
API_CEILING = 10


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    monkeypatch.setattr("amends.letters.rendering.render_pdf", no_pdf)


@pytest.fixture
def history(complaints_team, adviser, case_handler, team_leader):
    def build(email="grace.okafor@example.com", cases=1, rounds=1):
        return build_history(
            email=email,
            cases=cases,
            rounds=rounds,
            team=complaints_team,
            adviser=adviser,
            handler=case_handler,
            leader=team_leader,
        )

    return build


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_tells_the_story_from_the_customers_side(history, adviser):
    cases = history(cases=2, rounds=2)
    customer = cases[0].customer
    with time_machine.travel(START + timedelta(days=70), tick=False):
        response = login(adviser).get(f"/customers/{customer.pk}/story")
    assert response.status_code == 200
    page = _text(response)
    assert (
        "Grace Okafor has contacted us 11 times in 9 weeks about 2 matters, by email, phone, their status "
        "page and text message." in page
    )
    assert "They are waiting for our reply now: 8 days so far on AM-" in page
    assert "We kept 4 of 8 promises due; 4 broken." in page
    assert "They have had to explain their problem" in page
    assert "Switched from email to phone after 3 days without a reply" in page
    assert "Waited 3 days for our reply" in page
    assert "Promise broken: “Refund the charge”" in page and "Promise kept: “Call back”" in page
    assert "Handed over from Ada Adviser to Hal Handler" in page
    assert "Letter: acknowledgement (printed for post, Hal Handler)" in page
    assert "Confirmed our summary of the complaint on their status page" in page
    assert "Re-opened The customer contacted us" in page and "SMS from them It is not fixed." in page
    assert "Ada Adviser promised: “Call back” by Fri 6 Mar" in page
    html = response.content.decode()
    assert '<th scope="row">Promises kept / made</th><td>4 / 8' in html
    assert re.search(r'<time datetime="2026-03-0\dT', html)
    assert "How we count" in page and "including the first time on each matter" in page


def test_the_page_and_the_api_take_the_same_queries_for_a_short_and_a_long_history(history, adviser):
    short = history(email="short@example.com", cases=1, rounds=1)[0].customer
    long = history(email="long@example.com", cases=4, rounds=5)[0].customer
    client, api = login(adviser), api_client(adviser)
    counts = {}
    for name, customer in (("short", short), ("long", long)):
        for kind, get, url in (
            ("page", client.get, f"/customers/{customer.pk}/story"),
            ("api", api.get, f"/api/v1/customers/{customer.pk}/story"),
        ):
            get(url)  # the session and the token are warm
            with CaptureQueriesContext(connection) as queries:
                assert get(url).status_code == 200
            counts[name, kind] = len(queries)
    assert counts["short", "page"] == counts["long", "page"] <= PAGE_CEILING
    assert counts["short", "api"] == counts["long", "api"] <= API_CEILING
    long_story = api.get(f"/api/v1/customers/{long.pk}/story").json()
    assert long_story["figures"]["contacts_in"] > 40 and len(long_story["cases"]) == 4


def test_the_api_gives_summary_figures_and_timeline(history, adviser):
    case = history(cases=1, rounds=2)[0]
    with time_machine.travel(START + timedelta(days=40), tick=False):
        body = api_client(adviser).get(f"/api/v1/customers/{case.customer_id}/story").json()
    assert body["customer_id"] == case.customer_id and body["name"] == "Grace Okafor"
    assert body["summary"][0].startswith("Grace Okafor has contacted us")
    figures = body["figures"]
    assert figures["promises_made"] == 4 and figures["promises_kept"] == 2 and figures["promises_broken"] == 2
    # Their text after the case was resolved has had no reply for 8 days; the waits we answered took 3.
    assert figures["longest_wait_seconds"] == 8 * 86400 and figures["longest_wait_ongoing"]
    assert figures["median_wait_seconds"] == 3 * 86400 + 2 * 3600 and figures["waiting_now"] == 1
    assert figures["channels"][0] == "email" and figures["reopens"] == 1
    entries = body["cases"][0]["entries"]
    first = next(e for e in entries if e["kind"] == "contact" and e["direction"] == "in")
    assert first["wait_seconds"] == 3 * 86400 + 2 * 3600 and first["explained"]
    assert set(body["definitions"]) == {"wait", "explained", "switch"}


def test_a_customer_the_viewer_may_not_see_is_not_found(history, other_team_adviser, assessor, adviser):
    customer = history()[0].customer
    assert login(other_team_adviser).get(f"/customers/{customer.pk}/story").status_code == 404
    assert api_client(other_team_adviser).get(f"/api/v1/customers/{customer.pk}/story").status_code == 404
    assert login(assessor).get(f"/customers/{customer.pk}/story").status_code == 200
    assert login(adviser).get("/customers/999999/story").status_code == 404


def test_the_customer_and_case_pages_link_to_the_story(history, adviser):
    case = history()[0]
    client = login(adviser)
    url = f"/customers/{case.customer_id}/story"
    assert url in client.get(f"/customers/{case.customer_id}/").content.decode()
    assert url in client.get(f"/cases/{case.reference}/").content.decode()


def test_a_history_longer_than_the_limit_is_cut_to_its_newest_contacts_and_says_so(
    history, adviser, monkeypatch
):
    from amends.experience import selectors

    case = history(cases=1, rounds=2)[0]
    monkeypatch.setattr(selectors, "STORY_LIMIT", 3)
    story = selectors.customer_story(adviser, case.customer)
    contacts = [c for s in story.cases for c in s.facts.contacts if c.anchor]  # those that are messages
    assert story.truncated and len(contacts) == 3
    assert contacts[-1].what.startswith("SMS from them")  # the newest is kept
    page = login(adviser).get(f"/customers/{case.customer_id}/story").content.decode()
    assert "Their history is long" in page
