"""A complaints lead chooses the regimes we work under in the browser; the case page offers only those."""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_sets_the_regimes_and_the_case_page_offers_only_them(
    page, live_server, complaints_lead, case_handler, complaints_team, no_regime_in_use
):
    from amends.cases.tests.factories import make_case

    case = make_case(team=complaints_team, summary="Council tax bill wrong")
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    assert page.locator("#no-regimes").is_visible()  # a new installation: nothing switched on yet
    assert page.locator("#id_regime").count() == 0
    sign_out(page)

    sign_in(page, live_server.url, complaints_lead)
    page.get_by_role("link", name="Regimes").click()
    page.wait_for_url(re.compile(r"/regimes/settings"))
    page.get_by_label("Local Government and Social Care Ombudsman").check()
    page.locator("#in-use-fca-disp").check()
    page.get_by_label("Rule 1: what it looks at").select_option("default")
    page.get_by_label("Rule 1: regime").select_option("lgsco")
    page.get_by_role("button", name="Save regime settings").click()
    page.locator(".messages").get_by_text("Regime settings saved").wait_for()
    sign_out(page)

    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    select = page.locator("#id_regime")
    offered = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert sorted(offered) == ["fca-disp", "lgsco"]
    assert select.input_value() == "lgsco"  # the rule's choice, not FCA DISP
    select.select_option("fca-disp")
    page.get_by_role("button", name="Apply regime").click()
    page.locator(".messages").get_by_text("Regime applied").wait_for()
    escalate = page.locator("#esc-to option").evaluate_all("options => options.map(o => o.value)")
    assert escalate == ["ombudsman"]  # FCA DISP has one stage: no "to the next stage"
