"""Bulk actions from the queue and tags on the case page, clicked in chromium.

A team leader assigns several cases at once: the ones still as the queue showed them go to the person chosen;
one someone changed meanwhile is reported with the reason, not overwritten. An adviser selects every case on
the page, un-ticks one and tags the rest; the queue shows the tags and filters by them. On a case page a tag
is added and removed.
"""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_leader_assigns_from_the_queue_and_a_case_changed_meanwhile_is_reported(
    page, live_server, complaints_team, team_leader, case_handler, adviser
):
    from amends.cases.models import Case
    from amends.cases.services import case_transition
    from amends.cases.tests.factories import make_case

    first, second, changed = (make_case(team=complaints_team, summary=f"Bulk case {n}") for n in range(3))
    untouched = make_case(team=complaints_team, summary="Not ticked")
    sign_in(page, live_server.url, team_leader)
    page.goto(f"{live_server.url}/queue/?queue=team")

    count = page.locator("#bulk-count")
    assert count.inner_text() == "0 cases selected"
    for case in (first, second, changed):
        page.get_by_label(f"Select {case.reference}", exact=True).check()
    assert count.inner_text() == "3 cases selected"
    # Someone else moves one of them on while the team leader is looking at the queue.
    case_transition(case=changed, to="open", actor=adviser)

    page.get_by_label("Assign to", exact=True).select_option(value=case_handler.username)
    page.get_by_role("button", name="Assign", exact=True).click()

    page.get_by_text("Assign: 2 done, 1 refused.").wait_for()
    assert page.get_by_text(
        f"{changed.reference}: {changed.reference} was changed by someone else while you were looking at it."
    ).is_visible()
    assert [Case.objects.get(pk=c.pk).owner for c in (first, second, changed, untouched)] == [
        case_handler,
        case_handler,
        None,
        None,
    ]
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=first.reference, exact=True))
    assert "Hal Handler" in row.inner_text()
    assert re.search(r"/queue/\?queue=team$", page.url)  # back on the same queue


def test_an_adviser_tags_every_case_on_the_page_but_one_and_filters_by_the_tag(
    page, live_server, complaints_team, adviser
):
    from amends.cases.models import CaseEvent
    from amends.cases.tests.factories import make_case

    cases = [make_case(team=complaints_team, summary=f"Tag me {n}") for n in range(3)]
    left_out = cases[1]
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/queue/?queue=team")

    page.get_by_label("Select every case on this page").check()
    assert page.locator("#bulk-count").inner_text() == "3 cases selected"
    page.get_by_label(f"Select {left_out.reference}", exact=True).uncheck()
    assert page.locator("#bulk-count").inner_text() == "2 cases selected"
    page.get_by_label("Tag to add", exact=True).fill("Vulnerable")
    page.get_by_role("button", name="Add tag", exact=True).click()

    page.get_by_text("Add tag: 2 done, 0 refused.").wait_for()
    assert page.locator(".case-tag", has_text="Vulnerable").count() == 2
    assert CaseEvent.objects.filter(kind="tag_added").count() == 2

    page.get_by_label("Tag", exact=True).select_option(label="Vulnerable")
    page.get_by_role("button", name="Apply", exact=True).click()
    page.wait_for_url(re.compile(r"tag=Vulnerable"))
    shown = page.locator("table.queue").inner_text()
    assert cases[0].reference in shown and cases[2].reference in shown and left_out.reference not in shown


def test_a_tag_is_added_and_removed_on_the_case_page(page, live_server, complaints_team, adviser):
    from amends.cases.models import Case
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team)
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")

    page.get_by_label("Add a tag").fill("Media interest")
    page.get_by_role("button", name="Add tag", exact=True).click()
    page.get_by_text("Tag added").wait_for()
    assert [t.name for t in Case.objects.get(pk=case.pk).tags.all()] == ["Media interest"]
    page.get_by_text("Tagged “Media interest”").wait_for()  # on the timeline

    page.get_by_role("button", name="Remove the tag Media interest").click()
    page.get_by_text("Tag removed").wait_for()
    assert not Case.objects.get(pk=case.pk).tags.exists()
    assert page.get_by_text("No tags yet.").is_visible()
