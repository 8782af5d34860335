"""Special reviews in the browser (issue 13, CFACSC7 K1): a complaints lead finds the review the trigger
opened with its control chart and the table of the same numbers, gives it an owner; the owner records the
findings; the lead closes it with its outcome. A lead also opens one by hand and changes how levels are
watched."""

import re
from datetime import timedelta

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_triggered_review_is_owned_investigated_and_closed(live_server, page, complaints_lead, team_leader):
    from amends.monitoring.models import SpcSetting
    from amends.monitoring.services import reviews_check
    from amends.monitoring.tests.conftest import START, store_weeks

    SpcSetting.objects.update_or_create(pk=1, defaults={"dimensions": ["product", "channel"]})
    store_weeks(weeks=28, per_week=20, seed=4, spike={27: ("Credit card", 3.0)})
    (review,) = reviews_check(now=START + timedelta(weeks=28, days=1))

    sign_in(page, live_server.url, complaints_lead)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    page.get_by_role("link", name=f"Review {review.pk}").click()
    page.get_by_role("heading", name=re.compile("Product: Credit card")).wait_for()
    chart = page.get_by_role("img", name=re.compile("Complaints a week about Product: Credit card"))
    assert chart.locator("circle").count() == len(review.evidence["counts"]) == 30
    table = page.locator("table.chart-table")
    last = table.locator("tbody tr").last
    assert last.locator("td").nth(1).inner_text() == str(review.evidence["counts"][-1])
    assert last.locator("td").last.inner_text() == "Yes"

    page.get_by_label("Who owns this review").select_option(label="Tess Leader")
    page.get_by_role("button", name="Save owner").click()
    page.get_by_text("Owner saved").wait_for()
    sign_out(page)

    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_label(re.compile("What the review found")).fill(
        "A new card statement layout hid the due date"
    )
    page.get_by_role("button", name="Record findings").click()
    page.get_by_text("Findings recorded").wait_for()
    assert page.get_by_role("button", name="Close review").count() == 0  # a lead closes it
    sign_out(page)

    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.get_by_label("Outcome").select_option("offer_changed")
    page.get_by_label("What changes, and who does it").fill("Statement redesigned by the cards team")
    page.get_by_role("button", name="Close review").click()
    page.get_by_text("Review closed").wait_for()
    review.refresh_from_db()
    assert (review.status, review.owner, review.outcome) == ("closed", team_leader, "offer_changed")


def test_a_lead_opens_a_review_by_hand_and_changes_the_settings(live_server, page, complaints_lead):
    from amends.monitoring.models import ServiceReview, SpcSetting

    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/reviews/")
    page.get_by_label("What it is about").select_option("channel")
    page.get_by_label(re.compile("Which one")).fill("phone")
    page.get_by_label(re.compile("What you saw")).fill("Callers say they wait 40 minutes since the new menu")
    page.get_by_role("button", name="Open review").click()
    page.get_by_text("Special review opened: Channel: Phone").wait_for()
    assert ServiceReview.objects.get().trigger == "manual"

    page.goto(f"{live_server.url}/reviews/")
    page.get_by_role("link", name=re.compile("How levels are watched")).click()
    page.get_by_label("Method").select_option("ewma")
    page.get_by_label(re.compile(r"EWMA: weight")).fill("0.2")
    page.get_by_label("Regime").uncheck()
    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("Settings saved").wait_for()
    saved = SpcSetting.objects.get(pk=1)
    assert (saved.method, saved.ewma_lambda) == ("ewma", 0.2)
    assert "regime" not in saved.dimensions


def test_the_review_pages_pass_axe(browser, live_server, complaints_lead):
    """The review with its chart and table, the list and the settings: no serious or critical findings."""
    from amends.e2e.test_accessibility import violations
    from amends.monitoring.models import SpcSetting
    from amends.monitoring.services import reviews_check
    from amends.monitoring.tests.conftest import START, store_weeks

    SpcSetting.objects.update_or_create(pk=1, defaults={"dimensions": ["product"]})
    store_weeks(weeks=28, per_week=20, seed=4, spike={27: ("Credit card", 3.0)})
    (review,) = reviews_check(now=START + timedelta(weeks=28, days=1))
    context = browser.new_context(bypass_csp=True)  # lets the test's axe in, as test_accessibility does
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, complaints_lead)
    for path in (f"/reviews/{review.pk}/", "/reviews/", "/reviews/settings/"):
        page.goto(live_server.url + path)
        assert violations(page) == [], path
    context.close()
