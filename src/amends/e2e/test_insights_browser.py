"""Insights in the browser (issue 13): the dashboard draws its charts with the vendored Chart.js, a click
on a point lists the cases behind it, the table view shows the same numbers; the filters and the
objectives form work as a person uses them."""

import re

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cases(complaints_team, billing_team, adviser, other_team_adviser):
    from amends.cases.models import Case
    from amends.cases.services import case_transition
    from amends.cases.tests.factories import make_case
    from amends.process import steps

    ours = [
        make_case(team=complaints_team, owner=adviser, channel="email", summary="Charged twice"),
        make_case(team=complaints_team, owner=adviser, channel="phone", summary="Card blocked"),
        make_case(team=complaints_team, owner=adviser, channel="email", summary="Letter never came"),
    ]
    theirs = make_case(team=billing_team, owner=other_team_adviser, summary="Bill wrong")
    steps.finding_record(case=ours[0], actor=adviser, outcome="justified", facts="f", reasoning="r")
    case_transition(case=Case.objects.get(pk=ours[0].pk), to="resolved", actor=adviser)
    return ours, theirs


def _chart(page, chart_id):
    page.wait_for_function(f"() => window.amendsCharts && window.amendsCharts[{chart_id!r}]")
    return page.evaluate(
        f"""() => {{
        const c = window.amendsCharts[{chart_id!r}];
        return {{labels: c.data.labels, data: c.data.datasets.map(d => d.data),
                 drawn: c.getDatasetMeta(0).data.length, width: c.width}};
    }}"""
    )


def test_the_dashboard_draws_its_charts_and_a_point_opens_its_cases(live_server, page, cases, team_leader):
    ours, theirs = cases
    sign_in(page, live_server.url, team_leader)
    page.get_by_role("link", name="Insights").click()
    page.wait_for_url(re.compile(r"/insights/$"))
    volumes = _chart(page, "volumes")
    assert volumes["width"] > 0 and volumes["drawn"] == len(volumes["labels"])
    last = len(volumes["labels"]) - 1
    assert volumes["data"][0][last] == 3  # opened this month: the team's three, not the billing team's
    assert volumes["data"][1][last] == 1  # finished
    assert _chart(page, "upheld-rate")["data"][0][last] == 100

    # The table view has the same numbers.
    page.locator("#table-volumes summary").click()
    row = page.locator("#table-volumes tbody tr").nth(last)
    assert row.locator("td").nth(0).inner_text() == "3"
    assert row.locator("td").nth(1).inner_text() == "1"

    # A click on this month's "opened" point lists its cases.
    page.locator("#chart-volumes").scroll_into_view_if_needed()
    x, y = page.evaluate(
        f"""() => {{
        const c = window.amendsCharts.volumes;
        const p = c.getDatasetMeta(0).data[{last}];
        const r = c.canvas.getBoundingClientRect();
        return [r.left + p.x, r.top + p.y];
    }}"""
    )
    page.mouse.click(x, y)
    page.wait_for_url(re.compile(r"/insights/cases/\?.*on=opened"))
    listed = page.locator("main table").inner_text()
    assert all(c.reference in listed for c in ours)
    assert theirs.reference not in listed
    assert "3 cases" in page.locator("main").inner_text()

    # A number in a table opens the same list.
    page.go_back()
    page.locator("#table-volumes summary").click()
    page.locator("#table-volumes tbody tr").nth(last).get_by_role("link", name="1").click()
    page.wait_for_url(re.compile(r"/insights/cases/\?.*on=finished"))
    assert ours[0].reference in page.locator("main table").inner_text()
    page.get_by_role("link", name=ours[0].reference).click()
    page.wait_for_url(re.compile(rf"/cases/{ours[0].reference}/"))


def test_the_filters_narrow_the_charts(live_server, page, cases, complaints_lead):
    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/insights/")
    last = len(_chart(page, "volumes")["labels"]) - 1
    assert _chart(page, "volumes")["data"][0][last] == 4
    page.get_by_label("Channel").select_option("email")
    page.get_by_label("Break down by").select_option("team")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"channel=email"))
    volumes = _chart(page, "volumes")
    assert volumes["data"][0][len(volumes["labels"]) - 1] == 3  # two of ours and the billing team's
    assert sorted(_chart(page, "by-dimension")["labels"]) == ["Billing", "Complaints"]


def test_a_team_leader_sets_an_objective_for_the_team(live_server, page, cases, team_leader, complaints_team):
    from amends.insights.models import Objective

    sign_in(page, live_server.url, team_leader)
    page.get_by_role("link", name="Performance").click()
    page.wait_for_url(re.compile(r"/insights/teams/"))
    assert "Performance: Complaints" in page.locator("h1").inner_text()
    _chart(page, "perf-upheld-rate")
    form = page.get_by_role("form", name="Set an objective")
    form.get_by_label("Measure").select_option("within_deadline_rate")
    form.get_by_label("Target", exact=True).fill("95")
    form.get_by_label("Why this target (optional)").fill("The regulator's deadline, every time")
    form.get_by_role("button", name="Set objective").click()
    page.get_by_text("Objective set: Within deadline (%), target 95").wait_for()
    assert Objective.objects.get(team=complaints_team, measure="within_deadline_rate").target == 95
    assert "The regulator's deadline, every time" in page.locator("main").inner_text()
    # A bad target is refused with a message, and nothing changes.
    form = page.get_by_role("form", name="Set an objective")
    form.get_by_label("Measure").select_option("within_deadline_rate")
    form.get_by_label("Target", exact=True).fill("120")
    form.get_by_role("button", name="Set objective").click()
    page.get_by_text("The target must be between 0 and 100").wait_for()
    assert Objective.objects.get(team=complaints_team, measure="within_deadline_rate").target == 95
    # One of the team's people: their own months, and an objective of their own.
    page.get_by_label("Or one person").select_option(label="Ada Adviser (Complaints)")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"person="))
    assert "Performance: Ada Adviser" in page.locator("h1").inner_text()
    form = page.get_by_role("form", name="Set an objective")
    form.get_by_label("Measure").select_option("reopen_rate")
    form.get_by_label("Target", exact=True).fill("5")
    form.get_by_role("button", name="Set objective").click()
    page.get_by_text("Objective set: Re-opened (% of finished cases), target 5").wait_for()
    assert Objective.objects.get(person__username="ada", measure="reopen_rate").target == 5
