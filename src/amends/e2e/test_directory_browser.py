"""From a case, an adviser asks who can help: the directory, searched by the case's product, shows a
colleague who helps with it and their authority; the adviser keeps their own entry there."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ask_someone_who_can_help_from_the_case_and_keep_ones_own_entry(
    page, live_server, complaints_team, adviser, case_handler
):
    from amends.cases.services import case_reclassify
    from amends.cases.tests.factories import make_case
    from amends.core.services import staff_directory_set

    staff_directory_set(
        user=case_handler, helps_with="Mortgage, arrears", reach="ext 4417", actor=case_handler
    )
    case = make_case(team=complaints_team, owner=adviser)
    case_reclassify(case=case, actor=adviser, kind="complaint", reason="Dissatisfied", product="Mortgage")
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("link", name="Ask someone who can help").click()
    page.get_by_role("heading", name="Who can help").wait_for()
    entry = page.locator(f"#person-{case_handler.pk}")
    entry.get_by_text("ext 4417").wait_for()
    assert "Refund up to £500" in entry.inner_text()
    assert page.locator(f"#person-{adviser.pk}").count() == 0  # the search is the case's product

    page.get_by_label("Search by name, team, role or what they help with").fill("Ada")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("Edit your entry").click()
    page.get_by_label("Can help with (one per line, or separated by commas)").fill("Card disputes, Welsh")
    page.get_by_label("How to reach them").fill("Teams, 9 to 5")
    page.get_by_role("button", name="Save entry").click()
    page.get_by_text("Directory entry saved").wait_for()
    adviser.staff.refresh_from_db()
    assert adviser.staff.helps_with == "Card disputes\nWelsh"
