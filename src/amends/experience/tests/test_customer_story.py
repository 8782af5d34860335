"""The customer's view, from a history made through the services: the page and the API tell it, with a fixed
number of queries however long it is, to those who may see the customer and to nobody else."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amends.cases.services import case_assign, case_transition
from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.messaging.services import Incoming, message_log_contact, message_send
from amends.process.letters import process_compose_letter
from amends.process.promises import promise_break, promise_keep, promise_make
from amends.process.services import process_send_letter, process_start
from amends.process.steps import understanding_confirm, understanding_record

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# The most queries each may take, whatever the history: the page's session, user, role and notification
# counts, the API's token; then the customer (two), and the story's seven reads.
PAGE_CEILING = 14
API_CEILING = 10
LETTER = {"complaint_definition": "The charge", "contact_details": "Call 0300 000 0000"}


@pytest.fixture(autouse=True)
def _no_pdf(monkeypatch):
    """Letters are rendered to PDF by WeasyPrint, a fifth of a second each: the story needs only that they
    were sent."""
    monkeypatch.setattr("amends.letters.rendering.render_pdf", lambda html: b"%PDF-1.7\n% test\n")


def _inbound(case, at, channel, text, key):
    from amends.intake.services import intake_message

    incoming = Incoming(channel=channel, body_text=text, occurred_at=at, sender="Grace", idempotency_key=key)
    with time_machine.travel(at, tick=False):
        intake_message(case=case, incoming=incoming)


def build_history(*, email, cases, rounds, team, adviser, handler, leader):
    """A customer with `cases` complaints, each `rounds` times round: an email and a wait, a reply, a call
    when the next went unanswered, a promise kept and one broken, a hand-over; a printed letter, their
    confirmation on the status page, and a re-open on the first."""
    made = []
    for n in range(cases):
        opened = START + timedelta(days=n * 30)
        with time_machine.travel(opened, tick=False):
            case = make_case(team=team, email=email, name="Grace Okafor", summary=f"Matter {n}")
            process_start(case=case, regime_code="hos-2024", actor=leader)
            case_assign(case=case, owner=adviser, actor=leader)
        for r in range(rounds):
            t = opened + timedelta(days=r * 6, hours=1)
            _inbound(case, t, "email", "I have emailed again and nobody has replied.", f"m-{email}-{n}-{r}")
            with time_machine.travel(t + timedelta(days=3), tick=False):
                message_log_contact(
                    case=case, actor=handler, channel="phone", direction="in", summary="Rang: still no reply"
                )
            with time_machine.travel(t + timedelta(days=3, hours=2), tick=False):
                message_send(case=case, actor=adviser, body="Sorry for the wait: here is where we are.")
                kept = promise_make(
                    case=case, actor=adviser, description="Call back", due_at=t + timedelta(days=4)
                )
                broken = promise_make(
                    case=case, actor=adviser, description="Refund the charge", due_at=t + timedelta(days=4)
                )
            with time_machine.travel(t + timedelta(days=3, hours=5), tick=False):
                promise_keep(promise=kept, actor=adviser)
            with time_machine.travel(t + timedelta(days=5), tick=False):
                promise_break(promise=broken, actor=adviser, note="Refund not made in time")
                case_assign(case=case, owner=handler if r % 2 == 0 else adviser, actor=leader, reason="Leave")
        with time_machine.travel(opened + timedelta(days=rounds * 6 + 1), tick=False):
            letter = process_compose_letter(case=case, kind="acknowledgement", actor=handler, fields=LETTER)
            process_send_letter(letter=letter, actor=handler, by="print")
            understanding = understanding_record(
                case=case, actor=handler, what_happened="Charged", impact="Overdrawn", outcome_wanted="Refund"
            )
        with time_machine.travel(opened + timedelta(days=rounds * 6 + 2), tick=False):
            understanding_confirm(understanding=understanding, via="customer status page")
        made.append(case)
    first = made[0]
    with time_machine.travel(START + timedelta(days=cases * 30 + 1), tick=False):
        case_transition(case=first, to="resolved", actor=handler)
    _inbound(first, START + timedelta(days=cases * 30 + 2), "sms", "It is not fixed.", f"m-{email}-again")
    return made


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
