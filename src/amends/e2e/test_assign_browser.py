"""A team leader assigns a case from its page, choosing a person by name, team and open workload."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_leader_assigns_by_name_and_never_to_an_assessor(
    page, live_server, complaints_team, team_leader, case_handler, assessor
):
    from amends.cases.models import Case
    from amends.cases.tests.factories import make_case

    make_case(team=complaints_team, owner=case_handler)
    case = make_case(team=complaints_team)
    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/cases/{case.reference}/")

    owner = page.get_by_label("Assign to")
    options = owner.locator("option").all_inner_texts()
    assert "Hal Handler · Complaints · 1 open case" in options
    assert "Tess Leader · Complaints · 0 open cases" in options
    assert not [o for o in options if "Assessor" in o or o in {"ash", "hal", "tess"}]

    owner.select_option(label="Hal Handler · Complaints · 1 open case")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Owner changed").wait_for()
    assert Case.objects.get(pk=case.pk).owner == case_handler
    # The page shows the new owner's workload, counted afresh.
    assert (
        "Hal Handler · Complaints · 2 open cases"
        in page.get_by_label("Assign to").locator("option:checked").all_inner_texts()
    )


def test_a_case_changes_hands_with_a_reason_and_a_note_the_new_owner_reads(
    page, browser, live_server, complaints_team, team_leader, case_handler, adviser
):
    from amends.cases.models import Case, HandOver
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team, owner=case_handler)
    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_label("Assign to").select_option(label="Ada Adviser · Complaints · 0 open cases")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Say why the case changes hands").wait_for()  # refused: nothing changed
    assert Case.objects.get(pk=case.pk).owner == case_handler

    page.get_by_label("Assign to").select_option(label="Ada Adviser · Complaints · 0 open cases")
    page.get_by_label("Why it changes hands").select_option(label="The owner is on leave")
    page.get_by_label("Hand-over note").fill("Refund promised by Friday. Anxious; email only.")
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("Owner changed").wait_for()
    assert HandOver.objects.get(case=case).reason == "leave"

    context = browser.new_context()
    ada = context.new_page()
    sign_in(ada, live_server.url, adviser)
    ada.goto(f"{live_server.url}/cases/{case.reference}/")
    ada.get_by_role("heading", name="Handed to you by Hal Handler: the owner is on leave").wait_for()
    ada.get_by_text("Refund promised by Friday").wait_for()
    ada.get_by_role("button", name="I have read the hand-over note").click()
    ada.get_by_text("Hand-over note marked read").wait_for()
    assert ada.get_by_role("button", name="I have read the hand-over note").count() == 0
    assert HandOver.objects.get(case=case).read_at is not None
    context.close()
