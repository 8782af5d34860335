"""Support needs in Debian's chromium: an adviser records, changes and ends them on the customer page and
the case page; a customer tells us on the public complaint form (refused without consent, every word kept)
and on their status page. axe finds no serious or critical violation on the new forms."""

import re

import pytest

from amends.e2e.conftest import sign_in
from amends.e2e.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def axe_page(browser):
    """As test_accessibility's: the browser context lets axe in, the pages' policy stays as served."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def case(complaints_team, adviser):
    from amends.cases.tests.factories import make_case

    return make_case(team=complaints_team, owner=adviser, name="Grace Okafor", email="grace@example.com")


def _open(panel, summary: str):
    details = panel.locator("details.step", has=panel.page.locator("summary", has_text=summary))
    if details.get_attribute("open") is None:
        details.locator("summary", has_text=summary).click()
    return details


def test_an_adviser_records_changes_and_ends_support_needs(page, live_server, adviser, case):
    from amends.care.models import SupportNeedsRecord
    from amends.cases.models import CasePriority

    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/customers/{case.customer_id}/")
    panel = page.locator("#support-needs")
    form = _open(panel, "Record support needs")
    form.get_by_label("Preferred way to contact them").select_option("phone")
    form.get_by_label("Needs extra time").check()
    form.get_by_label("Someone with authority to act for them").fill("Sarah Okafor (daughter)")
    form.get_by_label("Their authority").select_option("executor")
    form.get_by_label("Life event", exact=True).check()
    form.locator("summary", has_text="Characteristics").click()
    form.get_by_label("Bereavement").check()
    form.get_by_label("In their words").fill("Her husband died in March.")
    form.get_by_label("How we came to know").select_option("phone")
    form.get_by_label("Lawful basis").select_option("explicit_consent")
    form.get_by_label("How consent was given, or why another basis applies").fill("Agreed on the phone")
    form.get_by_role("button", name="Save support needs").click()

    page.locator(".messages").get_by_text("Support needs saved").wait_for()
    notice = page.locator(".customer-notices").inner_text()
    assert "Prefers phone; needs extra time; Sarah Okafor (daughter)" in notice
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.characteristics == ["bereavement"] and version.recorded_by == adviser
    assert CasePriority.objects.filter(case=case).exists()

    # On the case page: the reply area shows them; a change adds large print.
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    assert "Reply by phone if you can" in page.locator(".reply-needs").inner_text()
    assert "Priority raised" in page.locator("h1").inner_text()
    panel = page.locator("#support-needs")
    form = _open(panel, "Change support needs")
    form.get_by_label("Large print").check()
    form.get_by_label("Why it changed").fill("Asked for large print letters")
    form.get_by_role("button", name="Save support needs").click()
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/"))
    page.locator(".messages").get_by_text("Support needs saved").wait_for()
    assert "large print" in page.locator("#support-needs").inner_text()
    assert SupportNeedsRecord.objects.get(customer=case.customer).current.formats == ["large_print"]

    # Ended: the history stays, the priority goes back.
    form = _open(page.locator("#support-needs"), "End support needs")
    form.get_by_label("Why they no longer apply").fill("Estate settled; she asked us to stop")
    form.get_by_role("button", name="End support needs").click()
    page.locator(".messages").get_by_text("Support needs ended").wait_for()
    assert "Earlier versions (2)" in page.locator("#support-needs").inner_text()
    assert not CasePriority.objects.filter(case=case).exists()


def _fill_complaint(page):
    page.get_by_label("Your name").fill("Iris Bell")
    page.get_by_label("Email address").fill("iris.bell@example.com")
    page.get_by_label("What is it about?").fill("Statement I cannot read")
    page.get_by_label("What happened, and how has it affected you?").fill(
        "Your statements are in tiny print and I cannot read them, so I missed a payment."
    )


def test_a_customer_tells_us_on_the_form_and_on_their_status_page(page, live_server, complaints_team):
    from amends.care.models import SupportNeedsRecord
    from amends.cases.models import Case

    page.goto(f"{live_server.url}/complain/")
    _fill_complaint(page)
    ask = page.get_by_role("group", name="Do you need any support or changes to how we contact you?")
    assert "Only the people handling your complaint and their managers will see it" in ask.inner_text()
    ask.get_by_label("Letters in large print").check()
    anything_else = "Anything else you would like us to know (optional)"
    ask.get_by_label(anything_else).fill("I have macular degeneration.")
    page.get_by_role("button", name="Send complaint").click()
    # Without consent: refused, everything still there.
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert page.get_by_label(anything_else).input_value() == "I have macular degeneration."
    assert page.get_by_label("Letters in large print").is_checked()
    assert not Case.objects.exists()
    page.get_by_label(re.compile("I agree that you may keep what I have told you")).check()
    page.get_by_role("button", name="Send complaint").click()
    page.wait_for_url(re.compile(r"/status/"))
    case = Case.objects.get()
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.formats == ["large_print"] and version.disclosed_via == "complaint_form"
    assert "macular degeneration" in version.circumstances

    # Later, on the status page, she asks for phone calls.
    page.get_by_label("Phone calls rather than email").check()
    page.get_by_label(re.compile("I agree that you may keep what I have told you")).check()
    page.get_by_role("button", name="Tell us").click()
    page.get_by_text("Thank you for telling us").wait_for()
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.number == 2 and version.preferred_channel == "phone" and version.formats == ["large_print"]
    assert "macular" not in page.content()  # the status page never shows the record back


def test_the_new_forms_pass_axe(axe_page, live_server, adviser, case):
    page = axe_page
    page.goto(f"{live_server.url}/complain/")
    page.get_by_label("Letters in large print").check()
    page.get_by_role("button", name="Send complaint").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert violations(page) == []
    page.goto(f"{live_server.url}/status/{case.public_token}/")
    page.get_by_role("button", name="Tell us").click()  # nothing ticked: told nothing changed
    page.get_by_text("nothing was changed").wait_for()
    assert violations(page) == []
    page.get_by_label("More time to reply or to do things").check()
    page.get_by_role("button", name="Tell us").click()  # no consent: the errors are shown
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert violations(page) == []
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/customers/{case.customer_id}/")
    _open(page.locator("#support-needs"), "Record support needs")
    assert violations(page) == []
