"""A complaint arriving gets the regime the organisation's rules choose, its clocks start on arrival, and the
acknowledgement quotes the date that regime holds us to, on a working day of the customer's nation."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from amends.cases.events import EventKind
from amends.intake.arrivals import status_url
from amends.intake.contacts import intake_web_form
from amends.intake.forms import new_form_token
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact
from amends.messaging.models import Message
from amends.process.models import CaseClock, CaseProcess
from amends.regimes.choosing import Rule
from amends.regimes.services import regime_settings_save

pytestmark = pytest.mark.django_db

ARRIVED = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)  # the trial: a Saturday


def _complain(category="", nation="england"):
    data = {
        "name": "Morgan Ellis",
        "email": "morgan@example.com",
        "nation": nation,
        "subject": "Mortgage payment taken twice",
        "what_happened": "You took my mortgage payment twice this month and I am now overdrawn.",
        "category": category,
    }
    return intake_web_form(form_token=new_form_token(), data=data)


def _acknowledgement(case) -> str:
    return Message.objects.get(case=case, purpose="acknowledgement").body_text


@time_machine.travel(ARRIVED, tick=False)
def test_the_chosen_regime_applies_on_arrival_and_the_acknowledgement_quotes_its_date(
    complaints_team, complaints_lead, no_regime_in_use
):
    regime_settings_save(
        in_use=["fca-disp", "lgsco"],
        rules=[Rule("category", "Council tax", "lgsco"), Rule("default", "", "fca-disp")],
        actor=complaints_lead,
    )
    case = _complain().case
    process = CaseProcess.objects.get(case=case)
    assert process.regime_version.regime.code == "fca-disp" and process.received_at == ARRIVED
    final = CaseClock.objects.get(case=case, code="final_response")
    assert (
        final.status == "running" and final.due_at.date().isoformat() == "2027-01-30"
    )  # 8 weeks: a Saturday
    # The customer is told the last working day before it, once, and not the internal target (Christmas Day)
    ack = _acknowledgement(case)
    assert "reply to you by Friday 29 January 2027" in ack
    assert "December" not in ack
    assert case.events.filter(kind=EventKind.REGIME_APPLIED).count() == 1
    # The status page tells the same date (not the acknowledgement clock's, nor a Saturday)
    status = Client().get(status_url(case).removeprefix(settings.SITE_URL)).content.decode()
    assert "Friday 29 January 2027" in status and "Saturday 30 January" not in status

    council = _complain(category="council tax").case
    assert CaseProcess.objects.get(case=council).regime_version.regime.code == "lgsco"


def _contact(external_id: str, product: str):
    contact = ContactIn(
        channel="api",
        external_id=external_id,
        customer={"name": "Ali Khan", "email": "ali@example.com", "nation": "england"},
        text="The shop charged my card twice for one order and you will not refund it.",
        category="Current account",
        product=product,
    )
    return intake_contact(contact).case


@time_machine.travel(ARRIVED, tick=False)
def test_a_product_rule_chooses_on_arrival_and_the_acknowledgement_quotes_its_date(
    complaints_team, complaints_lead, no_regime_in_use
):
    regime_settings_save(
        in_use=["fca-disp", "fca-psd"],
        rules=[Rule("product", "Debit card", "fca-psd"), Rule("default", "", "fca-disp")],
        actor=complaints_lead,
    )
    case = _contact("card-1", " debit card ")
    assert case.product == "debit card"
    process = CaseProcess.objects.get(case=case)
    assert process.regime_version.regime.code == "fca-psd" and process.received_at == ARRIVED
    final = CaseClock.objects.get(case=case, code="final_response")
    # 15 business days from a Saturday, over Christmas and the Boxing Day holiday (Monday 28 December)
    assert final.status == "running" and final.due_at.date().isoformat() == "2026-12-29"
    assert "reply to you by Tuesday 29 December 2026" in _acknowledgement(case)
    assert case.events.filter(kind=EventKind.REGIME_APPLIED).count() == 1
    # Another product, the same category: the default's regime and its date
    other = _contact("account-1", "Current account")
    assert CaseProcess.objects.get(case=other).regime_version.regime.code == "fca-disp"
    assert "reply to you by Friday 29 January 2027" in _acknowledgement(other)


@time_machine.travel(ARRIVED, tick=False)
def test_with_no_rule_the_internal_target_is_quoted_on_a_working_day(complaints_team, no_regime_in_use):
    case = _complain().case
    assert not CaseProcess.objects.filter(case=case).exists()
    assert case.respond_by.date().isoformat() == "2026-12-25"  # 20 calendar days: Christmas Day
    assert "reply to you by Thursday 24 December 2026" in _acknowledgement(case)
    status = Client().get(status_url(case).removeprefix(settings.SITE_URL)).content.decode()
    assert "Thursday 24 December 2026" in status and "25 December" not in status


@time_machine.travel(ARRIVED, tick=False)
def test_an_acknowledgement_sent_later_quotes_the_regime_the_case_follows(case_handler, complaints_team):
    from amends.cases.tests.factories import make_case
    from amends.intake.services import acknowledge
    from amends.process.services import process_start

    case = make_case(team=complaints_team)
    process_start(case=case, regime_code="fca-disp", actor=case_handler)
    acknowledge(case)
    assert "reply to you by Friday 29 January 2027" in _acknowledgement(case)
