"""The customer's view in the browser: an adviser opens a customer with a long history from the customer page,
reads the summary and the figures, and follows a contact back to its case."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_adviser_reads_the_customers_story_from_the_customer_page(
    page, live_server, monkeypatch, complaints_team, adviser, case_handler, team_leader
):
    from amends.experience.tests.histories import build_history, no_pdf

    monkeypatch.setattr("amends.letters.rendering.render_pdf", no_pdf)
    cases = build_history(
        email="grace.okafor@example.com",
        cases=2,
        rounds=2,
        team=complaints_team,
        adviser=adviser,
        handler=case_handler,
        leader=team_leader,
    )
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/customers/{cases[0].customer_id}/")
    page.get_by_role("link", name=re.compile("The customer's view")).click()
    page.wait_for_url(re.compile(rf"/customers/{cases[0].customer_id}/story$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Grace Okafor: the story from their side"
    summary = page.locator("section.story-summary")
    assert "Grace Okafor has contacted us 11 times" in summary.inner_text()
    assert "They have had to explain their problem" in summary.inner_text()
    promises = page.get_by_role("table").get_by_role("row", name="Promises kept / made")
    assert promises.get_by_role("cell").inner_text().startswith("4 / 8")
    # Each case is a section of its own, headed by its reference; a contact links to it on the case page.
    older = page.get_by_role("region", name=re.compile(cases[0].reference))
    older.get_by_text("Switched from email to phone after 3 days without a reply").first.wait_for()
    older.get_by_role("link", name=re.compile("Phone call from them")).first.click()
    page.wait_for_url(re.compile(rf"/cases/{cases[0].reference}/#message-\d+$"))
    page.get_by_role("heading", level=1).wait_for()
