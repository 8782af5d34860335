"""Repeated problems in the browser: a complaints lead opens a problem seen internally, links cases,
changes it, splits one case off, merges it back, unlinks one, previews and sends one message to every
affected customer, and says who owns the product. Every form on the problems pages, submitted."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_runs_a_problem_from_opening_to_telling_the_customers(
    live_server, page, complaints_team, complaints_lead, adviser
):
    from amends.cases.tests.factories import make_case
    from amends.messaging.models import Message
    from amends.problems.models import Problem, ProductOwner

    cases = [
        make_case(
            team=complaints_team,
            summary="App crashes at login",
            email=f"app{i}@example.org",
            name=f"App User {i}",
        )
        for i in range(3)
    ]
    sign_in(page, live_server.url, complaints_lead)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Problems").click()
    page.get_by_role("heading", name="Repeated problems").wait_for()

    # Open a problem seen internally, with two cases.
    page.get_by_label("Title").fill("Mobile app crashes at login")
    page.get_by_label("What is happening").fill("Seen after the 5 Dec release")
    page.get_by_label("Product or service").fill("Mobile app")
    page.get_by_label("Cases (references, optional)").fill(f"{cases[0].reference} {cases[1].reference}")
    page.get_by_role("button", name="Open problem").click()
    page.get_by_text("Problem opened").wait_for()
    problem = Problem.objects.get()
    assert problem.links.count() == 2

    # Link the third; change the status and owner.
    page.get_by_label("Link cases (references)").fill(cases[2].reference)
    page.get_by_role("button", name="Link", exact=True).click()
    page.get_by_text("1 case linked").wait_for()
    page.get_by_label("Status").select_option("investigating")
    page.get_by_label("Owner").select_option(str(adviser.pk))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Problem saved").wait_for()
    problem.refresh_from_db()
    assert problem.status == "investigating" and problem.owner == adviser

    # Split one case off into its own problem, then merge that back.
    page.get_by_label(f"Split off {cases[2].reference}").check()
    page.get_by_label("New problem's title").fill("Crash on older phones")
    page.get_by_role("button", name="Split the chosen cases off").click()
    page.get_by_text("Split into a new problem").wait_for()
    split = Problem.objects.get(title="Crash on older phones")
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    page.get_by_label(re.compile("Crash on older phones")).check()
    page.get_by_role("button", name="Merge into this problem").click()
    page.get_by_text("Merged 1 problem into this one").wait_for()
    split.refresh_from_db()
    assert split.merged_into == problem and problem.links.count() == 3

    # Unlink one.
    page.locator("tr", has_text=cases[1].reference).get_by_role("button", name="Unlink").click()
    page.get_by_text(f"{cases[1].reference} unlinked").wait_for()
    assert problem.links.count() == 2

    # Tell every affected customer: preview with the count, then send.
    page.get_by_label("Message").fill("We have fixed the login crash. Please update the app.")
    page.get_by_role("button", name="Preview").click()
    assert "2 customers" in page.locator("#tell-count").inner_text()
    page.get_by_role("button", name="Send to 2 customers").click()
    page.get_by_text("Sent to 2 customers").wait_for()
    assert Message.objects.filter(direction="out", body_text__contains="fixed the login crash").count() == 2

    # Who owns the product.
    page.goto(f"{live_server.url}/problems/owners/")
    page.get_by_label("Product or service").fill("Mobile app")
    page.get_by_label("Owner", exact=True).select_option(str(adviser.pk))
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Product owner saved").wait_for()
    assert ProductOwner.objects.get(product="Mobile app").owner == adviser
