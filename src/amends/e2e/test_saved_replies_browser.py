"""Saved replies in the browser (issue 11's acceptance, "a reply with ... a saved reply"): Tess, the team
leader, keeps her team's saved replies on their page (an unknown placeholder refused, one changed, one
deleted); Ada inserts one into the reply box on a case, the coach reads it, she edits it and sends it.
Without JavaScript the same Insert button reloads the page with the reply box filled in.
"""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = (
    "Dear {customer_name},\n\nThank you for telling us ({reference}). We will reply by {respond_by}.\n\n"
    "{owner_name}"
)


def _add(page, title, body, team="The Complaints team"):
    form = page.locator("form", has=page.get_by_role("button", name="Add saved reply"))
    form.get_by_label("For").select_option(label=team)
    form.get_by_label("Title").fill(title)
    form.get_by_label("Reply").fill(body)
    form.get_by_role("button", name="Add saved reply").click()


def test_a_saved_reply_kept_inserted_coached_and_sent(
    live_server, page, complaints_team, adviser, team_leader
):
    from playwright.sync_api import expect

    from amends.cases.tests.factories import make_case
    from amends.messaging.models import Message, SavedReply

    case = make_case(team=complaints_team, owner=adviser, summary="Charged twice", name="Morgan Ellis")

    sign_in(page, live_server.url, team_leader)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Saved replies").click()
    _add(page, "Acknowledge", BODY.replace("{customer_name}", "{Customer Name}"))
    page.get_by_text(re.compile(r"Unknown placeholder \{Customer Name\}")).wait_for()
    _add(page, "Acknowledge", BODY)
    page.get_by_text("Saved reply added").wait_for()
    _add(page, "Chaser", "Hello {customer_name}")
    page.get_by_text("Saved reply added").wait_for()
    chaser = SavedReply.objects.get(title="Chaser")
    card = page.locator(f"#saved-reply-{chaser.pk}")
    card.get_by_text("Change “Chaser”").click()
    card.get_by_label("Title").fill("Chasing the bank")
    card.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved reply changed").wait_for()
    card.get_by_text("Change “Chasing the bank”").click()
    card.get_by_role("button", name="Delete “Chasing the bank”").click()
    page.get_by_text("Saved reply deleted").wait_for()
    assert list(SavedReply.objects.values_list("title", flat=True)) == ["Acknowledge"]
    sign_out(page)

    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    box = page.get_by_label("Message", exact=True)
    box.fill("Hello,")
    page.get_by_label("Saved reply").select_option(label="Acknowledge")
    page.get_by_role("button", name="Insert").click()
    expect(box).to_have_value(re.compile("Dear Morgan Ellis"))
    assert "saved_reply=" not in page.url  # put in by the script, the page not reloaded
    text = box.input_value()
    assert text.startswith("Hello,\n\nDear Morgan Ellis,") and case.reference in text
    assert re.search(r"We will reply by \w+day \d{1,2} \w+ \d{4}\.", text)
    assert text.rstrip().endswith("Ada Adviser")
    # The coach reads what was inserted, as it reads anything typed.
    expect(page.locator("#coach")).not_to_contain_text("reads your draft as you write")

    box.press("Control+End")
    page.keyboard.type(" I have asked our payments team to look at the second charge today.")
    page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Reply sent").wait_for()
    sent = Message.objects.get(case=case, purpose="reply")
    assert "Dear Morgan Ellis," in sent.body_text and "second charge today" in sent.body_text


def test_without_javascript_insert_reloads_the_page_with_the_reply_filled_in(
    live_server, browser, complaints_team, adviser, team_leader
):
    from amends.cases.tests.factories import make_case
    from amends.messaging.replies import saved_reply_create

    case = make_case(team=complaints_team, owner=adviser, name="Morgan Ellis")
    saved_reply_create(actor=team_leader, title="Acknowledge", body=BODY, team=complaints_team)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, live_server.url, adviser)
        page.goto(f"{live_server.url}/cases/{case.reference}/")
        page.get_by_label("Saved reply").select_option(label="Acknowledge")
        page.get_by_role("button", name="Insert").click()
        page.wait_for_url(re.compile(r"\?saved_reply=\d+#reply-h$"))
        assert page.get_by_label("Message", exact=True).input_value().startswith("Dear Morgan Ellis,")
    finally:
        context.close()
