"""Root causes and improvement in the browser (issue 13, scope 4): a complaints lead keeps the root causes
(adds, renames, moves, retires, restores one), a case handler corrects a finding's root cause, the lead takes
an improvement action through Plan, Do, Check and Act to Closed (and abandons another), and shares a lesson
with the team; Ada acknowledges it and the lead sees who has and who has not."""

import re
from datetime import timedelta

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _done(page, text):
    page.locator(".messages").get_by_text(text).first.wait_for()


def test_root_causes_kept_and_corrected(live_server, page, complaints_lead, case_handler, complaints_team):
    from amends.cases.models import CaseEvent
    from amends.cases.tests.factories import make_case
    from amends.process.models import Finding, RootCause
    from amends.process.steps import finding_record

    sign_in(page, live_server.url, complaints_lead)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Improvement").click()
    page.get_by_role("link", name="Root causes").click()
    page.wait_for_url(re.compile(r"/settings/root-causes/$"))
    page.get_by_label("Name of the new root cause").fill("Call-back not made")
    page.get_by_label("Put it under").select_option(label="Process")
    page.get_by_role("button", name="Add root cause").click()
    _done(page, "Root cause added")

    row = page.locator("#rc-delay")
    row.get_by_text("Change Delay or backlog").click()
    row.get_by_label("New name for Delay or backlog").fill("Refund backlog")
    row.get_by_role("button", name="Rename").click()
    _done(page, "Renamed")
    assert RootCause.objects.get(code="delay").name == "Refund backlog"

    row = page.locator("#rc-call-back-not-made")
    row.get_by_text("Change Call-back not made").click()
    row.get_by_label("Move Call-back not made under").select_option(label="Communication")
    row.get_by_role("button", name="Move").click()
    _done(page, "Moved")
    assert RootCause.objects.get(code="call-back-not-made").parent.code == "communication"

    row = page.locator("#rc-charges")
    row.get_by_text("Change Charges or pricing").click()
    row.get_by_label("Why retire Charges or pricing").fill("Pricing complaints go to the product team's list")
    row.get_by_role("button", name="Retire").click()
    _done(page, "Retired")
    assert not RootCause.objects.get(code="charges").active
    row = page.locator("#rc-charges")
    row.get_by_text("Change Charges or pricing").click()
    row.get_by_role("button", name="Use Charges or pricing again").click()
    _done(page, "In use again")
    assert RootCause.objects.get(code="charges").active
    sign_out(page)

    case = make_case(team=complaints_team, owner=case_handler, summary="Refund late")
    finding_record(
        case=case,
        actor=case_handler,
        outcome="justified",
        facts="Refund sent late",
        reasoning="r",
        root_cause=RootCause.objects.get(code="staff-error"),
    )
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.locator("summary", has_text="Investigation and finding").click()  # closed once there is a finding
    page.get_by_text("Correct the root cause").click()
    page.locator("#rc-cause").select_option("delay")
    page.get_by_label("Why it is corrected").fill(
        "The refund queue was three weeks behind, not one person's slip"
    )
    page.get_by_role("button", name="Correct root cause").click()
    _done(page, "Root cause corrected")
    assert Finding.objects.get(case=case).root_cause.code == "delay"
    assert CaseEvent.objects.filter(case=case, kind="root_cause_corrected").count() == 1


def test_an_action_through_every_stage_and_a_lesson_acknowledged(
    live_server, page, complaints_lead, case_handler, adviser, complaints_team
):
    from django.utils import timezone

    from amends.improvement import services
    from amends.improvement.models import ImprovementAction, LessonRecipient

    today = timezone.localdate()
    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/improvement/")
    page.get_by_label("Title").fill("Call before a refund is late")
    page.get_by_label("What it should change").fill(
        "Advisers ring the customer two days before a refund is due"
    )
    page.get_by_label("Owner").select_option(label="Hal Handler")
    page.get_by_label("Due").fill(str(today + timedelta(days=30)))
    page.get_by_label("Root causes it addresses").select_option(["delay", "not-kept-informed"])
    page.get_by_label("Before: from").fill(str(today - timedelta(days=56)))
    page.get_by_label("Before: to").fill(str(today - timedelta(days=1)))
    page.get_by_label("After: from").fill(str(today))
    page.get_by_label("After: to").fill(str(today + timedelta(days=27)))
    page.get_by_role("button", name="Plan action").click()
    _done(page, "Improvement action planned")
    action = ImprovementAction.objects.get()
    assert page.locator("#measure svg").count() == 1

    for button, stage in (("Start doing it", "Do"), ("Start checking its effect", "Check")):
        page.get_by_role("button", name=button).click()
        _done(page, f"Now in {stage}")
    page.get_by_label("Result").select_option("inconclusive")
    page.get_by_label("What the figures show").fill("Too early to tell: no complaints either side yet")
    page.get_by_role("button", name="Record check").click()
    _done(page, "Check recorded")
    page.get_by_label(re.compile("Note")).fill("Keep ringing; check again next quarter")
    page.get_by_role("button", name="Act on the check").click()
    _done(page, "Now in Act")
    page.get_by_role("button", name="Close the action").click()
    _done(page, "Now in Closed")
    action.refresh_from_db()
    assert action.stage == "closed" and action.check_result == "inconclusive"
    assert list(action.events.values_list("to_stage", flat=True).exclude(to_stage="")) == [
        "plan",
        "do",
        "check",
        "act",
        "closed",
    ]
    history = page.locator("#history").inner_text()
    assert "act → closed" in history

    # A lesson from it, shared with the team.
    page.get_by_text("Share a lesson learned").click()
    page.get_by_label("What happened").fill("Customers chased refunds we had promised")
    page.get_by_label("What we learned").fill("A call before the date stops the chase")
    page.get_by_label("What changes").fill("The refunds script has the call in it")
    page.get_by_label("Share with teams").select_option(label="Complaints")
    page.get_by_role("button", name="Share lesson").click()
    _done(page, "Lesson shared with")

    # Another action, abandoned with a reason.
    other = services.action_plan(
        actor=complaints_lead,
        plan=services.ActionPlan(
            title="Letters in plain English",
            change="Rewrite the refund letters",
            owner_id=case_handler.pk,
            due_date=today,
            before_start=today - timedelta(days=28),
            before_end=today - timedelta(days=1),
            after_start=today,
            after_end=today + timedelta(days=27),
            root_causes=("unclear-information",),
        ),
    )
    page.goto(f"{live_server.url}/improvement/{other.pk}/")
    page.get_by_text("Abandon the action").click()
    page.get_by_label("Why it is abandoned").fill("The letters are being replaced by the new system")
    page.get_by_role("button", name="Abandon").click()
    _done(page, "Now in Abandoned")
    page.goto(f"{live_server.url}/improvement/")
    page.get_by_label("Show").select_option("abandoned")
    page.get_by_role("button", name="Show").click()
    assert page.locator("#improvement-actions").get_by_text("Letters in plain English").is_visible()
    sign_out(page)

    sign_in(page, live_server.url, adviser)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lessons").click()
    page.get_by_role("link", name="Call before a refund is late").click()
    page.get_by_role("button", name="I have read this lesson").click()
    _done(page, "Acknowledged")
    assert LessonRecipient.objects.get(user=adviser).acknowledged_at is not None
    sign_out(page)

    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/lessons/")
    assert "1 of 2" in page.locator("#shared-lessons").inner_text()
    page.locator("#shared-lessons").get_by_role("link", name="Call before a refund is late").click()
    assert "Ada Adviser" in page.locator("#acknowledged").inner_text()
    assert "Hal Handler" in page.locator("#waiting").inner_text()

    # A lesson by hand, from the lessons page, to one person.
    page.goto(f"{live_server.url}/lessons/")
    page.get_by_label("Title").fill("Say when you will call")
    page.get_by_label("What happened").fill("A customer waited in all day")
    page.get_by_label("What we learned").fill("Give a time window")
    page.get_by_label("What changes").fill("Every call-back has a two-hour window")
    page.get_by_label("and with people").select_option(label="Ada Adviser (Complaints)")
    page.get_by_role("button", name="Share lesson").click()
    _done(page, "Lesson shared with 1 colleagues")


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(bypass_csp=True)  # lets the test's axe in, as test_accessibility.py does
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_improvement_pages_have_no_serious_accessibility_violation(
    live_server, axe_page, complaints_lead, case_handler, complaints_team
):
    from datetime import date

    from django.utils import timezone

    from amends.e2e.test_accessibility import violations
    from amends.improvement import lessons, services
    from amends.improvement.tests.conftest import complaint_found

    today = timezone.localdate()
    complaint_found(
        team=complaints_team, cause_code="delay", on=today - timedelta(days=20), actor=case_handler
    )
    action = services.action_plan(
        actor=complaints_lead,
        plan=services.ActionPlan(
            title="Ring first",
            change="Ring before a refund is late",
            owner_id=case_handler.pk,
            due_date=date(2030, 1, 1),
            before_start=today - timedelta(days=56),
            before_end=today - timedelta(days=1),
            after_start=today,
            after_end=today + timedelta(days=27),
            root_causes=("delay",),
        ),
    )
    lesson = lessons.lesson_share(
        actor=complaints_lead,
        title="Ring first",
        what_happened="h",
        what_learned="l",
        what_changes="c",
        people_ids=[case_handler.pk],
    )
    sign_in(axe_page, live_server.url, complaints_lead)
    for path in (
        "/improvement/",
        f"/improvement/{action.pk}/",
        "/settings/root-causes/",
        "/lessons/",
        f"/lessons/{lesson.pk}/",
    ):
        axe_page.goto(f"{live_server.url}{path}")
        assert violations(axe_page) == [], path
