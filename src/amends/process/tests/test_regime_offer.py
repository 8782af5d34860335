"""The case page offers only the regimes we work under, and only the escalations a regime has."""

import pytest
from django.test import Client

from amends.cases.services import case_reclassify
from amends.cases.tests.factories import make_case
from amends.conftest import PASSWORD
from amends.core.errors import Conflict
from amends.process import services
from amends.process.selectors import Panel, _after_not_accepted
from amends.regimes.choosing import Rule
from amends.regimes.services import regime_settings_save

pytestmark = pytest.mark.django_db


def _page(user, case):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client.get(f"/cases/{case.reference}/").content.decode()


def _options(page: str, select_id: str) -> str:
    start = page.index(f'id="{select_id}"')
    return page[start : page.index("</select>", start)]


def test_only_regimes_in_use_are_offered_the_rules_choice_first(
    case_handler, complaints_team, complaints_lead, no_regime_in_use
):
    case = make_case(team=complaints_team)
    case_reclassify(case=case, actor=case_handler, kind="complaint", category="Council tax", reason="council")
    page = _page(case_handler, case)
    assert 'id="no-regimes"' in page and 'id="id_regime"' not in page
    regime_settings_save(
        in_use=["fca-disp", "lgsco"],
        rules=[Rule("category", "council tax", "lgsco"), Rule("default", "", "fca-disp")],
        actor=complaints_lead,
    )
    offered = _options(_page(case_handler, case), "id_regime")
    assert offered.count("<option") == 2  # not all eleven
    assert '<option value="lgsco" selected>' in offered and 'value="fca-disp">' in offered
    with pytest.raises(Conflict) as refused:
        services.process_start(case=case, regime_code="ofgem", actor=case_handler)
    assert refused.value.code == "regime_not_in_use"


def test_no_rule_fits_nothing_is_preselected(
    case_handler, complaints_team, complaints_lead, no_regime_in_use
):
    regime_settings_save(in_use=["fca-disp", "lgsco"], rules=[], actor=complaints_lead)
    offered = _options(_page(case_handler, make_case(team=complaints_team)), "id_regime")
    assert '<option value="">Choose a regime</option>' in offered and "selected" not in offered


@pytest.mark.parametrize(
    ("regime", "next_stage", "referral"),
    [("fca-disp", False, "Financial Ombudsman Service"), ("hos-2024", True, "Housing Ombudsman Service")],
)
def test_escalating_offers_the_next_stage_only_when_the_regime_has_one(
    case_handler, complaints_team, regime, next_stage, referral
):
    case = make_case(team=complaints_team)
    process = services.process_start(case=case, regime_code=regime, actor=case_handler)
    offered = _options(_page(case_handler, case), "esc-to")
    assert ('value="next_stage"' in offered) is next_stage
    assert f"refer to {referral}" in offered
    advice = _after_not_accepted(Panel(process=process, definition=services.definition_of(process)))
    assert ("next stage" in advice) is next_stage and referral in advice


def test_the_acknowledgement_letter_quotes_a_working_day_not_the_saturday_deadline(
    case_handler, complaints_team
):
    import time_machine

    from amends.process.letters import process_compose_letter

    with time_machine.travel("2026-12-05T10:00:00Z", tick=False):
        case = make_case(team=complaints_team)
        services.process_start(case=case, regime_code="fca-disp", actor=case_handler)
        letter = process_compose_letter(case=case, kind="acknowledgement", actor=case_handler, fields={})
    # FCA DISP: 8 weeks from Saturday 5 December 2026 ends on Saturday 30 January 2027
    assert letter.fields["timescales"] == "We will send you our response by Friday 29 January 2027."
