"""The organisation's regime settings: which regimes it works under and how a new complaint's is chosen."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from amends.conftest import PASSWORD, api_client
from amends.core.errors import DomainError
from amends.core.models import AuditEvent
from amends.regimes.calendar import customer_date
from amends.regimes.choosing import Rule, choose
from amends.regimes.models import Regime, RegimeRule
from amends.regimes.selectors import RegimeChooser, regime_rules, regimes_in_use
from amends.regimes.services import regime_settings_save

LONDON = ZoneInfo("Europe/London")


def test_a_date_told_to_a_customer_is_a_working_day_of_their_nation_never_after_the_deadline():
    christmas = datetime(2026, 12, 25, 23, 59, 59, tzinfo=LONDON)  # a Friday
    assert customer_date(christmas, "england") == date(2026, 12, 24)
    saturday = datetime(2027, 1, 30, 23, 59, 59, tzinfo=LONDON)
    assert customer_date(saturday, "england") == date(2027, 1, 29)
    # Monday 4 January 2027 is a working day in England, a holiday (for 2 January) in Scotland
    assert customer_date(datetime(2027, 1, 4, 12, tzinfo=LONDON), "england") == date(2027, 1, 4)
    assert customer_date(datetime(2027, 1, 4, 12, tzinfo=LONDON), "scotland") == date(2026, 12, 31)
    assert customer_date(datetime(2026, 12, 9, 12, tzinfo=LONDON), "england") == date(2026, 12, 9)


def test_the_first_rule_that_fits_chooses():
    rules = [
        Rule("category", "Council Tax", "lgsco"),
        Rule("product", "Debit card", "fca-psd"),
        Rule("channel", "phone", "ofcom"),
        Rule("default", "", "fca-disp"),
    ]
    assert choose(rules, category="  council   tax ", product="Debit card", channel="phone") == "lgsco"
    assert choose(rules, category="Mortgage", product=" debit  CARD", channel="phone") == "fca-psd"
    assert choose(rules, category="Mortgage", product="Mortgage", channel="phone") == "ofcom"
    assert choose(rules, category="Mortgage", product="", channel="email") == "fca-disp"
    # A product rule looks at the product only: the same words as a category do not match it
    assert choose(rules[1:2], category="Debit card", product="", channel="email") is None
    assert choose(rules[:3], category="Mortgage", product="Mortgage", channel="email") is None


@pytest.fixture
def lead_settings(complaints_lead, no_regime_in_use):
    return regime_settings_save(
        in_use=["fca-disp", "lgsco"],
        rules=[Rule("category", "Council tax", "lgsco"), Rule("default", "", "fca-disp")],
        actor=complaints_lead,
    )


def test_a_lead_switches_regimes_on_and_sets_the_rules_audited(lead_settings, complaints_lead):
    assert [r.code for r in regimes_in_use()] == ["fca-disp", "lgsco"]
    assert Regime.objects.count() == 11 and not Regime.objects.get(code="ofgem").in_use
    assert regime_rules() == [Rule("category", "Council tax", "lgsco"), Rule("default", "", "fca-disp")]
    kinds = sorted(AuditEvent.objects.filter(actor=complaints_lead).values_list("kind", flat=True))
    assert kinds == ["regime.in_use", "regime.in_use", "regime_rules.changed"]
    chooser = RegimeChooser()
    assert chooser.for_case(kind="complaint", category="council tax", product="", channel="email") == "lgsco"
    assert chooser.for_case(kind="complaint", category="", product="", channel="email") == "fca-disp"
    assert chooser.for_case(kind="query", category="", product="", channel="email") is None
    # Saving the same again changes and records nothing
    regime_settings_save(
        in_use=["lgsco", "fca-disp"],
        rules=[Rule("category", "Council tax", "lgsco"), Rule("default", "", "fca-disp")],
        actor=complaints_lead,
    )
    assert AuditEvent.objects.filter(actor=complaints_lead).count() == 3


@pytest.mark.parametrize(
    ("in_use", "rules", "field"),
    [
        (["fca-disp", "nope"], [], "in_use"),
        (["fca-disp"], [Rule("category", "Council tax", "lgsco")], "rules.1"),  # lgsco switched off
        (["fca-disp"], [Rule("default", "", "fca-disp"), Rule("channel", "phone", "fca-disp")], "rules.1"),
        (["fca-disp"], [Rule("channel", "pigeon", "fca-disp")], "rules.1"),
        (["fca-disp"], [Rule("category", "  ", "fca-disp")], "rules.1"),
        (["fca-disp"], [Rule("product", "", "fca-disp")], "rules.1"),
        (["fca-disp"], [Rule("postcode", "x", "fca-disp")], "rules.1"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(lead_settings, complaints_lead, in_use, rules, field):
    with pytest.raises(DomainError) as refused:
        regime_settings_save(in_use=in_use, rules=rules, actor=complaints_lead)
    assert field in refused.value.fields
    assert [r.code for r in regimes_in_use()] == ["fca-disp", "lgsco"]
    assert RegimeRule.objects.count() == 2


_api = api_client


def test_the_api_reads_and_changes_the_settings_for_leads_only(lead_settings, adviser, complaints_lead):
    product_rule = {"match": "product", "value": " Prepayment  energy ", "regime": "ofgem"}
    body = {"in_use": ["ofgem"], "rules": [product_rule, {"match": "default", "regime": "ofgem"}]}
    got = _api(adviser).get("/api/v1/regimes/settings")
    assert got.status_code == 200 and got.json()["in_use"] == ["fca-disp", "lgsco"]
    assert got.json()["rules"][0] == {"match": "category", "value": "Council tax", "regime": "lgsco"}
    refused = _api(adviser).post("/api/v1/regimes/settings", body, content_type="application/json")
    assert refused.status_code == 403 and not Regime.objects.get(code="ofgem").in_use
    bad = _api(complaints_lead).post(
        "/api/v1/regimes/settings",
        {"in_use": [], "rules": [{"match": "default", "regime": "ofgem"}]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["fields"] == {"rules.1": "regime not in use"}
    no_product = _api(complaints_lead).post(
        "/api/v1/regimes/settings",
        {"in_use": ["ofgem"], "rules": [{"match": "product", "regime": "ofgem"}]},
        content_type="application/json",
    )
    assert no_product.status_code == 400
    assert no_product.json()["error"]["fields"] == {"rules.1": "value required"}
    assert not Regime.objects.get(code="ofgem").in_use
    done = _api(complaints_lead).post("/api/v1/regimes/settings", body, content_type="application/json")
    assert done.status_code == 200
    assert done.json() == {
        "in_use": ["ofgem"],
        "rules": [
            {"match": "product", "value": "Prepayment energy", "regime": "ofgem"},
            {"match": "default", "value": "", "regime": "ofgem"},
        ],
    }
    # The regime listing still answers for a code (the settings path does not shadow it, nor it them)
    assert _api(adviser).get("/api/v1/regimes/ofgem").json()["code"] == "ofgem"


def _signed_in(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_settings_page_saves_for_a_lead_and_is_read_only_for_others(
    complaints_lead, adviser, no_regime_in_use
):
    page = _signed_in(adviser).get("/regimes/settings").content.decode()
    assert "Regime settings" in page and "<fieldset disabled>" in page and "Save regime settings" not in page
    form = {
        "in_use": ["hos-2024", "lgsco"],
        "rule_match": ["category", "default", ""],
        "rule_value": ["Council tax", "", ""],
        "rule_regime": ["lgsco", "hos-2024", ""],
    }
    _signed_in(adviser).post("/regimes/settings", form)
    assert regimes_in_use() == []
    response = _signed_in(complaints_lead).post("/regimes/settings", form, follow=True)
    assert "Regime settings saved" in response.content.decode()
    assert [r.code for r in regimes_in_use()] == ["hos-2024", "lgsco"]
    assert regime_rules() == [Rule("category", "Council tax", "lgsco"), Rule("default", "", "hos-2024")]
    shown = _signed_in(complaints_lead).get("/regimes/settings").content.decode()
    assert 'id="in-use-lgsco" name="in_use" value="lgsco" checked' in shown
    refused = (
        _signed_in(complaints_lead)
        .post("/regimes/settings", {**form, "in_use": ["lgsco"]}, follow=True)
        .content.decode()
    )
    assert "not a regime you work under" in refused
    assert [r.code for r in regimes_in_use()] == ["hos-2024", "lgsco"]
