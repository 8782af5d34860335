"""Every form a customer sees, clicked in Debian's chromium: the complaint form and the status page."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _complain(page, base_url: str, *, what_happened: str = "Charged twice for one order.") -> str:
    """File a complaint on the public form; the status page's reference."""
    page.goto(f"{base_url}/complain/")
    page.get_by_label("Your name").fill("Robin Ashby")
    page.get_by_label("Email address").fill("robin.ashby@example.com")
    page.get_by_label("What is it about?").fill("Charged twice")
    page.get_by_label("What happened, and how has it affected you?").fill(what_happened)
    page.get_by_role("button", name="Send complaint").click()
    page.wait_for_url(re.compile(r"/status/"))
    return re.search(r"AM-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)


def test_customer_confirms_the_summary_on_the_status_page(page, live_server, case_handler, complaints_team):
    from amends.cases.models import Case
    from amends.process.models import Understanding
    from amends.process.steps import understanding_record

    reference = _complain(page, live_server.url)
    assert "We have received your complaint" in page.content()
    # Only the link the acknowledgement gave: the page asks the browser to keep it out of other sites' logs.
    response = page.reload()
    assert response.headers["referrer-policy"] == "same-origin"
    understanding_record(
        case=Case.objects.get(reference=reference),
        actor=case_handler,
        what_happened="You were charged twice for one order.",
        impact="Your account went overdrawn.",
        outcome_wanted="A refund of the second charge.",
    )
    page.reload()
    page.get_by_role("button", name="Yes, this is right").click()
    page.get_by_text("Thank you for confirming our summary").wait_for()
    assert "You confirmed this summary" in page.content()
    assert Understanding.objects.get(case__reference=reference).confirmed_via == "customer status page"


def test_a_refused_form_says_what_to_do_instead_of_a_raw_403(page, live_server):
    page.goto(f"{live_server.url}/complain/")
    # The session's CSRF cookie is gone (cleared, blocked, or the page sat open across a browser restart).
    page.context.clear_cookies()
    page.get_by_label("Your name").fill("Robin Ashby")
    page.get_by_role("button", name="Send complaint").click()
    page.get_by_role("heading", name="We could not accept that form").wait_for()
    text = page.locator("main").inner_text()
    assert "CSRF" not in text and "Forbidden" not in text
    assert "cookies" in text and "send it again" in text
    page.get_by_role("link", name="Go back to the page").click()
    page.wait_for_url(re.compile(r"/complain/$"))
    assert page.get_by_role("button", name="Send complaint").is_visible()


def test_a_long_paste_is_kept_whole_and_the_form_says_how_much_to_trim(page, live_server):
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.goto(f"{live_server.url}/complain/")
    field = page.get_by_label("What happened, and how has it affected you?")
    assert "20,000 of 20,000 characters left" in page.locator("#id_what_happened_counter").inner_text()
    # A paste is a single insertion; the browser's maxlength used to cut it at 20,000 without a word.
    field.focus()
    page.keyboard.insert_text("x" * 20_050)
    assert len(field.input_value()) == 20_050
    counter = page.locator("#id_what_happened_counter").inner_text()
    assert "50 characters too many" in counter and "nothing has been cut" in counter
    assert "id_what_happened_counter" in field.get_attribute("aria-describedby")
    page.get_by_label("Your name").fill("Robin Ashby")
    page.get_by_label("Email address").fill("robin.ashby@example.com")
    page.get_by_label("What is it about?").fill("Charged twice")
    page.get_by_role("button", name="Send complaint").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert "at most 20000 characters" in page.locator(".error-summary").inner_text()
    assert len(page.get_by_label("What happened, and how has it affected you?").input_value()) == 20_050
    # And no page asked for something that is not there (the favicon was a 404 on every page).
    assert missing == []
