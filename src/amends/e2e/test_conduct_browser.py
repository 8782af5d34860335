"""Challenging behaviour in the browser (issue 12's acceptance): Ada reports abuse on a call from the case
page; Tess, her team leader, is alerted, issues a written warning and later a one-channel (email only)
restriction with a review date; the case's reply form then offers only email; the complaint's response
clock is unchanged; time moves past the review date, the worker runs and the reminder appears; the
customer appeals and Lee, a complaints lead not involved, decides it. axe checks the new pages.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _clock(case):
    from amends.cases.models import Case
    from amends.process.models import CaseClock

    fresh = Case.objects.get(pk=case.pk)
    return fresh.respond_by, sorted(
        CaseClock.objects.filter(case=case).values_list("code", "status", "due_at", "paused_at")
    )


def test_abuse_reported_warned_restricted_reviewed_and_appealed(
    live_server, page, complaints_team, adviser, team_leader, complaints_lead
):
    from amends.cases.tests.factories import make_case
    from amends.conduct.models import Appeal, BehaviourIncident, ConductDecision
    from amends.process.services import process_start
    from amends.process.tasks import sweep

    case = make_case(team=complaints_team, owner=adviser, summary="Refund refused", name="Sam Harker")
    process_start(case=case, regime_code="fca-disp", actor=complaints_lead)
    clock_before = _clock(case)

    # Ada, on the phone: two clicks from the case page.
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("link", name="Report behaviour").click()
    page.get_by_label("What kind of behaviour").select_option(label="Abuse or harassment in any channel")
    page.get_by_label("Where").select_option("phone")
    page.get_by_label("What happened").fill("Called me useless and swore at me when I explained the refund.")
    page.get_by_label(re.compile("What was said")).fill("You're f***ing useless, all of you")
    page.get_by_role("button", name="Report").click()
    page.get_by_text(
        "Behaviour reported: abuse or harassment in any channel. Your team leader has been told."
    ).wait_for()
    assert page.url.endswith(f"/cases/{case.reference}/")
    incident = BehaviourIncident.objects.get(case=case)
    sign_out(page)

    # Tess is alerted at once, and issues a written warning.
    sign_in(page, live_server.url, team_leader)
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Notifications")).click()
    urgent = page.locator("section", has=page.get_by_role("heading", name="Urgent"))
    urgent.get_by_role("link", name=re.compile("Ada Adviser reported abuse or harassment")).click()
    page.wait_for_url(re.compile(rf"/conduct/incidents/{incident.pk}/"))
    page.get_by_role("link", name="Sam Harker").click()
    page.get_by_label("Level", exact=True).select_option("L2")
    page.get_by_label(re.compile("^Reasons")).fill("Abusive language to an adviser on the phone.")
    page.get_by_label(re.compile("Abuse or harassment in any channel,")).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded: L2 Written warning or behaviour agreement.").wait_for()
    page.get_by_role("button", name="Send notice letter").click()
    page.get_by_text("Notice letter sent").wait_for()
    warning = ConductDecision.objects.get(level__code="L2")
    assert warning.notice is not None and warning.notice.kind == "conduct_notice"

    # Later: email only, reviewed in a week.
    review_due = timezone.localdate() + timedelta(days=7)
    page.goto(f"{live_server.url}/customers/{case.customer_id}/conduct/")
    page.get_by_label("Level", exact=True).select_option("L3")
    page.locator("#r-one-channel").check()
    page.get_by_role("group", name="One channel: the channels left open").get_by_label("Email").check()
    page.get_by_label(re.compile("Reasonable adjustments considered")).fill(
        "Email lets Sam write when calm; no support needs known."
    )
    page.get_by_label(re.compile("^Review date")).fill(review_due.isoformat())
    page.get_by_label(re.compile("^Reasons")).fill("Abuse continued on the phone after the written warning.")
    page.get_by_label(re.compile("Abuse or harassment in any channel,")).check()
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("Decision recorded: L3 Time-limited restrictions.").wait_for()
    restriction = ConductDecision.objects.get(level__code="L3", status="active")
    assert restriction.restrictions.get().parameters == {"channels": ["email"]}

    # The case's reply form offers only email, and says why; the clock runs on.
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    radios = page.locator('input[name="send_by"]')
    assert [radios.nth(i).get_attribute("value") for i in range(radios.count())] == ["email", "by_hand"]
    assert "Contact by email only" in page.locator("#reply-arrangement").inner_text()
    assert page.locator("select[name=by_hand_channel] option").all_inner_texts() == ["Email"]
    assert _clock(case) == clock_before
    sign_out(page)

    # A week and a day later the worker reminds Tess that the review is due.
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=True):
        assert sweep().counts["conduct_reviews"] == 1
        assert sweep().counts["conduct_reviews"] == 0
        sign_in(page, live_server.url, team_leader)
        page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=re.compile("Notifications")
        ).click()
        page.get_by_role("link", name=re.compile("Review due: the L3 decision on Sam Harker")).click()
        page.wait_for_url(re.compile(rf"/conduct/decisions/{restriction.pk}/"))
        # The customer appeals (Tess records it); she made the decision, so she cannot decide it.
        page.get_by_text("Record the customer's appeal").click()
        page.get_by_label("Why the customer disagrees").fill(
            "I was upset about my refund; I have apologised."
        )
        page.get_by_role("button", name="Record appeal").click()
        page.get_by_text("Appeal recorded: someone not involved will decide it").wait_for()
        assert page.get_by_role("button", name="Decide appeal").count() == 0
        sign_out(page)

        sign_in(page, live_server.url, complaints_lead)
        page.goto(f"{live_server.url}/conduct/decisions/{restriction.pk}/")
        appeal_form = page.locator("form", has=page.get_by_role("button", name="Decide appeal"))
        appeal_form.get_by_label("Decision upheld").check()
        appeal_form.get_by_label(re.compile("^Reasons")).fill(
            "The abuse was recorded word for word; email only stays."
        )
        appeal_form.get_by_role("button", name="Decide appeal").click()
        page.get_by_text("Appeal decided: the customer has been told").wait_for()
    appeal = Appeal.objects.get()
    assert appeal.decided_by == complaints_lead and appeal.outcome == "upheld"
    told = case.messages.filter(direction="out", subject__icontains="appeal").get()
    assert told.channel == "email" and "stands" in told.body_text
    assert _clock(case)[0] == clock_before[0]


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_conduct_pages_pass_axe(live_server, axe_page, complaints_team, adviser, complaints_lead):
    from amends.cases.tests.factories import make_case
    from amends.conduct import services
    from amends.e2e.test_accessibility import violations

    case = make_case(team=complaints_team, owner=adviser, summary="Refund refused", name="Sam Harker")
    done = services.safety_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        channel="phone",
        description="Threatened to come to the office",
        verbatim="I will come down there and hurt someone",
        immediate_action="ended_call",
        marker=services.MarkerRequest(reason="Threatened staff on the phone"),
    )
    decision = services.decision_make(
        actor=complaints_lead,
        customer=case.customer,
        level="L3",
        reasons="Threats of violence",
        incidents=[done.incident],
        restrictions=[services.RestrictionIn("one-channel", {"channels": ["email"]})],
        adjustments_considered="Email only; no support needs known",
        review_due=timezone.localdate() + timedelta(days=90),
        case=case,
    )
    sign_in(axe_page, live_server.url, complaints_lead)
    for path in (
        f"/conduct/report/?customer={case.customer_id}&case={case.reference}",
        f"/conduct/safety/?customer={case.customer_id}&case={case.reference}",
        f"/customers/{case.customer_id}/conduct/",
        f"/conduct/decisions/{decision.pk}/",
        f"/conduct/incidents/{done.incident.pk}/",
        "/conduct/",
        "/conduct/settings/",
        f"/cases/{case.reference}/",
    ):
        axe_page.goto(f"{live_server.url}{path}")
        assert violations(axe_page) == [], path


def test_a_safety_report_its_follow_up_the_marker_a_review_and_the_policy(
    live_server, page, complaints_team, adviser, team_leader, complaints_lead
):
    """Ada makes a safety report with a marker; Tess closes the wellbeing follow-up, keeps the marker after
    review and then removes it, and continues a decision at its review; Lee changes the policy."""
    from amends.cases.tests.factories import make_case
    from amends.conduct import services
    from amends.conduct.models import (
        BehaviourCategory,
        PolicyLevel,
        RestrictionType,
        WarningMarker,
        WellbeingFollowUp,
    )

    case = make_case(team=complaints_team, owner=adviser, summary="Claim refused", name="Dan Price")
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_role("link", name="Safety report").click()
    page.get_by_label("What happened").fill("Threatened to come to the office and hurt someone.")
    page.get_by_label("What was said, word for word").fill("I will come down there and hurt someone")
    page.get_by_label(re.compile("^Why")).fill("Threatened violence to staff on the phone")
    page.get_by_role("button", name="Make safety report").click()
    page.get_by_text(re.compile("Safety report made: Tess Leader told at once")).wait_for()
    assert "Threatened violence to staff on the phone" in page.locator(".customer-notices").inner_text()
    sign_out(page)

    sign_in(page, live_server.url, team_leader)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Conduct").click()
    page.get_by_label("How they are, and the support offered").fill("Spoke to Ada; she took a break.")
    page.get_by_role("button", name="Follow-up done").click()
    page.get_by_text("Follow-up done").first.wait_for()
    assert WellbeingFollowUp.objects.get().done_by == team_leader

    page.goto(f"{live_server.url}/customers/{case.customer_id}/conduct/")
    marker = WarningMarker.objects.get()
    page.get_by_text("Review or remove").click()
    page.get_by_label("Why it is still needed").fill("Still angry about the claim")
    page.get_by_label("Next review").fill((timezone.localdate() + timedelta(days=60)).isoformat())
    page.get_by_role("button", name="Keep after review").click()
    page.get_by_text("Marker reviewed: kept to the new review date").wait_for()
    page.get_by_text("Review or remove").click()
    page.get_by_label("Why it is removed").fill("Calm for six months; claim settled")
    page.get_by_role("button", name="Remove marker").click()
    page.get_by_text("Marker removed").wait_for()
    marker.refresh_from_db()
    assert marker.reviewed_at is not None and marker.removed_at is not None

    decision = services.decision_make(
        actor=team_leader,
        customer=case.customer,
        level="L2",
        reasons="Threats on the phone",
        incidents=list(case.incidents.all()),
        case=case,
    )
    page.goto(f"{live_server.url}/conduct/decisions/{decision.pk}/")
    page.get_by_text("Review this decision").click()
    page.get_by_role("radio", name="Continued").check()
    page.get_by_label("Reasons", exact=True).fill("No further contact yet")
    page.get_by_label(re.compile("Next review")).fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Record review").click()
    page.get_by_text("Review recorded").wait_for()
    assert decision.reviews.get().outcome == "continue"
    sign_out(page)

    sign_in(page, live_server.url, complaints_lead)
    page.goto(f"{live_server.url}/conduct/settings/")
    level = page.locator("form", has=page.get_by_role("button", name="Save L3"))
    level.get_by_label("Default review period (days), required").fill("60")
    level.get_by_role("button", name="Save L3").click()
    page.get_by_text("L3 saved").wait_for()
    added = page.locator("form", has=page.get_by_role("button", name="Add category"))
    added.get_by_label("Name").fill("Filming staff")
    added.get_by_role("button", name="Add category").click()
    page.get_by_text("Behaviour category saved").wait_for()
    limit = page.locator("form", has=page.get_by_label("Name").and_(page.locator("#rt-limit-issues-name")))
    limit.get_by_label("In use").uncheck()
    limit.get_by_role("button", name="Save restriction").click()
    page.get_by_text("Restriction saved").wait_for()
    assert PolicyLevel.objects.get(code="L3").review_days == 60
    assert BehaviourCategory.objects.filter(name="Filming staff").exists()
    assert not RestrictionType.objects.get(code="limit-issues").active
