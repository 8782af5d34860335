"""What the apps above cases add to the case page and the queue, through the hooks cases owns."""

import pytest
from django.test import Client

from amends.cases.hooks import QueueFilter, case_page_context, queue_filters
from amends.cases.selectors import risk_filters
from amends.cases.tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(team_leader):
    client = Client()
    client.force_login(team_leader)
    return client


def test_a_registered_providers_context_reaches_the_case_page(page, complaints_team):
    case = make_case(team=complaints_team)
    seen = []

    def provider(request, shown):
        seen.append((request.user.username, shown.reference))
        # A name the page renders: registered after messaging, so it wins over messaging's value.
        return {"truncated": True, "from_the_test": "hello"}

    case_page_context.register(provider)
    try:
        response = page.get(f"/cases/{case.reference}/")
    finally:
        case_page_context.unregister(provider)
    assert seen == [("tess", case.reference)]
    assert response.context["from_the_test"] == "hello"
    assert "Showing the most recent 200 messages and events." in response.content.decode()
    assert "Showing the most recent" not in page.get(f"/cases/{case.reference}/").content.decode()


def test_messaging_process_and_signals_fill_the_case_page(page, complaints_team):
    case = make_case(team=complaints_team)
    context = page.get(f"/cases/{case.reference}/").context
    for name in ("timeline", "log_form", "p", "letters_missing", "message_signals", "case_signals"):
        assert name in context, name
    assert [item.kind for item in context["timeline"]] == ["event"]  # "case opened"


def test_a_registered_queue_filter_is_offered_and_applied(page, complaints_team):
    kept = make_case(team=complaints_team, summary="Keep me")
    make_case(team=complaints_team, summary="Leave me out")
    only_kept = QueueFilter(
        code="just-one", label="Just the one", apply=lambda cases: cases.filter(pk=kept.pk)
    )
    queue_filters.register(only_kept)
    try:
        assert risk_filters()["just-one"] == "Just the one"
        body = page.get("/queue/", {"queue": "all", "risk": "just-one"}).content.decode()
    finally:
        queue_filters.unregister(only_kept)
    assert "Just the one" in body and "Keep me" in body and "Leave me out" not in body
    # Unregistered, the code is unknown: the queue ignores it and shows everything.
    body = page.get("/queue/", {"queue": "all", "risk": "just-one"}).content.decode()
    assert "Keep me" in body and "Leave me out" in body


def test_signals_registers_the_reads_like_a_complaint_filter():
    assert risk_filters()["flagged"] == "Query that reads like a complaint"
