"""A complaints lead chooses the regimes we work under in the browser, with a rule by product; the case page
offers only those, its rules' choice first once an adviser records what the complaint is about."""

import re

import pytest

from amends.e2e.conftest import sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_sets_the_regimes_and_the_case_page_offers_only_them(
    page, live_server, complaints_lead, case_handler, complaints_team, no_regime_in_use
):
    from amends.cases.models import CaseEvent
    from amends.cases.tests.factories import make_case
    from amends.regimes.choosing import Rule
    from amends.regimes.selectors import regime_rules

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
    page.get_by_label("Rule 1: what it looks at").select_option("product")
    page.get_by_label("Rule 1: category, product or channel").fill("Council tax")
    page.get_by_label("Rule 1: regime").select_option("lgsco")
    page.get_by_label("Rule 2: what it looks at").select_option("default")
    page.get_by_label("Rule 2: regime").select_option("fca-disp")
    page.get_by_role("button", name="Save regime settings").click()
    page.locator(".messages").get_by_text("Regime settings saved").wait_for()
    assert regime_rules() == [Rule("product", "Council tax", "lgsco"), Rule("default", "", "fca-disp")]
    assert page.get_by_label("Rule 1: what it looks at").input_value() == "product"
    sign_out(page)

    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    select = page.locator("#id_regime")
    offered = select.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert sorted(offered) == ["fca-disp", "lgsco"]
    assert select.input_value() == "fca-disp"  # no product recorded yet: the default rule's choice
    page.get_by_label("Product or service").fill("Council tax")
    page.locator("#id_kind_reason").fill("About their council tax bill")
    page.get_by_role("button", name="Reclassify").click()
    page.locator(".messages").get_by_text("Case reclassified").wait_for()
    assert page.locator(".facts").get_by_text("Council tax", exact=True).is_visible()
    event = CaseEvent.objects.get(case=case, kind="reclassified")
    assert (event.before["product"], event.after["product"]) == ("", "Council tax")
    assert select.input_value() == "lgsco"  # the product rule's choice now, not FCA DISP
    select.select_option("fca-disp")
    page.get_by_role("button", name="Apply regime").click()
    page.locator(".messages").get_by_text("Regime applied").wait_for()
    escalate = page.locator("#esc-to option").evaluate_all("options => options.map(o => o.value)")
    assert escalate == ["ombudsman"]  # FCA DISP has one stage: no "to the next stage"
