"""Notifications in the browser, as Tess the team leader meets them on a morning with three breaches and
three customers owed a progress update on her team: the breaches stand apart and first, the updates are one
line that opens the queue filtered to them (and is read once opened), and "Mark all as read" clears the rest.
"""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def morning(complaints_team, case_handler, team_leader):
    from amends.cases.tests.factories import make_case
    from amends.process import services, tasks
    from amends.process.models import CaseClock, CaseProcess

    cases = [make_case(team=complaints_team, owner=case_handler, summary=f"Complaint {i}") for i in range(3)]
    for case in cases:
        services.process_start(case=case, regime_code="fca-disp", actor=case_handler)
    breach = max(CaseClock.objects.filter(code="acknowledgement").values_list("due_at", flat=True))
    assert tasks.breach_clocks(breach) == 3
    due = max(CaseProcess.objects.values_list("next_update_due", flat=True))
    assert tasks.keep_informed(due) == 3
    return cases


def test_the_team_leader_sees_what_matters_first_and_clears_the_rest(live_server, page, team_leader, morning):
    sign_in(page, live_server.url, team_leader)
    nav = page.get_by_role("navigation", name="Main")
    assert re.search(r"Notifications\s+3 urgent\s+1\s+reminder\b", nav.inner_text())

    nav.get_by_role("link", name=re.compile("Notifications")).click()
    urgent = page.locator("section", has=page.get_by_role("heading", name="Urgent"))
    reminders = page.locator("section", has=page.get_by_role("heading", name="Reminders"))
    assert urgent.locator("li.unread").count() == 3
    assert all("breached" in text for text in urgent.locator("li").all_inner_texts())
    assert page.content().index("breached") < page.content().index("due a progress update")
    assert reminders.locator("li").count() == 1  # three customers, one line

    reminders.get_by_role("link", name="3 customers are due a progress update").click()
    page.wait_for_url(re.compile(r"/queue/\?queue=team&risk=update_due$"))
    for case in morning:
        page.get_by_role("link", name=case.reference).first.wait_for()
    assert "reminder" not in page.get_by_role("navigation", name="Main").inner_text()  # read once opened

    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Notifications")).click()
    assert reminders.locator("li.unread").count() == 0 and urgent.locator("li.unread").count() == 3
    page.get_by_role("button", name="Mark all as read").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    assert page.locator("li.unread").count() == 0
    assert "urgent" not in page.get_by_role("navigation", name="Main").inner_text()
    assert page.get_by_role("button", name="Mark all as read").count() == 0  # nothing left to mark
