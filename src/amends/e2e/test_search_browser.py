"""The queue's search box in Debian's chromium: a customer's full name and a word of their messages."""

import pytest

from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_adviser_finds_a_case_by_the_customers_name_and_a_message_word(
    page, live_server, adviser, complaints_team, billing_team
):
    from amends.cases.tests.factories import make_case
    from amends.messaging.services import message_log_contact

    ours = make_case(team=complaints_team, summary="Mortgage arrears", name="Eleanor Vance-Whitfield")
    message_log_contact(
        case=ours, actor=adviser, channel="phone", direction="in", summary="Worried about repossession"
    )
    theirs = make_case(team=billing_team, summary="Repossession letter", name="Eleanor Vance-Whitfield")
    sign_in(page, live_server.url, adviser)
    for words in ["Eleanor Vance-Whitfield", "repossession"]:
        page.get_by_label("Search").fill(words)
        page.get_by_label("Search").press("Enter")
        page.get_by_role("link", name=ours.reference).wait_for()
        assert theirs.reference not in page.content(), words
