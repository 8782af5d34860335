"""A customer tells us about support they need on the public complaint form and on their status page:
optional, explained, with their explicit consent, kept as a support-needs record disclosed by them, never
in the complaint's message (which everyone who sees the case reads), and never lost."""

from __future__ import annotations

import pytest
from django.test import Client

from amends.care.models import SupportNeedsRecord, SupportNeedsVersion
from amends.care.services import Disclosure, support_needs_disclosed
from amends.cases.models import Case, CasePriority
from amends.cases.tests.factories import make_case
from amends.conftest import login
from amends.intake.forms import new_form_token
from amends.messaging.models import Message, MessageSource

pytestmark = pytest.mark.django_db

WHY = "Only the people handling your complaint and their managers will see it. You do not have to tell us."


def _form(**over):
    return {
        "name": "Morgan Ellis",
        "email": "morgan@example.com",
        "phone": "",
        "nation": "england",
        "subject": "Boiler broken",
        "what_happened": "Three visits and still no hot water.",
        "outcome_wanted": "A new boiler",
        "form_token": new_form_token(),
    } | over


def test_the_form_asks_explains_why_and_who_will_see_it():
    page = Client().get("/complain/").content.decode()
    assert "Do you need any support or changes to how we contact you?" in page and WHY in page
    assert "Letters in large print" in page and "It is hard for me to deal with this right now" in page


def test_a_complaint_without_support_needs_records_none(complaints_team):
    assert Client().post("/complain/", _form()).status_code == 302
    assert Case.objects.count() == 1 and not SupportNeedsRecord.objects.exists()


def test_what_the_customer_ticks_is_kept_with_their_consent_apart_from_the_complaint(complaints_team):
    response = Client().post(
        "/complain/",
        _form(
            support_needs=["large_print", "extra_time"],
            support_text="My eyesight is poor since my stroke.",
            support_consent="on",
        ),
    )
    assert response.status_code == 302
    case = Case.objects.get()
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.disclosed_via == "complaint_form" and version.lawful_basis == "explicit_consent"
    assert version.formats == ["large_print"] and version.extra_time
    assert "stroke" in version.circumstances and version.recorded_by is None
    assert "complaint form" in version.lawful_basis_note
    assert CasePriority.objects.filter(case=case, source="care").exists()
    # Not in the message or its source: an assessor reading the case would see those.
    assert not any("stroke" in str(row) for row in Message.objects.filter(case=case).values())
    assert not any(b"stroke" in bytes(s.raw) for s in MessageSource.objects.all())


def test_no_consent_keeps_nothing_and_gives_every_word_back(complaints_team):
    response = Client().post(
        "/complain/", _form(support_needs=["phone"], support_text="Please ring after 6pm.")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box to let us keep what you told us" in page
    assert "Please ring after 6pm." in page and "Three visits and still no hot water." in page
    assert not Case.objects.exists() and not SupportNeedsRecord.objects.exists()


def test_a_failure_keeping_the_needs_keeps_neither_and_the_form_stays_filled(complaints_team, monkeypatch):
    from amends.care import services
    from amends.core.errors import DomainError

    def broken(**kwargs):
        raise DomainError("We could not keep that just now")

    monkeypatch.setattr("amends.intake.contacts.support_needs_disclosed", broken)
    response = Client().post("/complain/", _form(support_needs=["extra_time"], support_consent="on"))
    assert response.status_code == 400 and "Three visits" in response.content.decode()
    assert not Case.objects.exists() and not Message.objects.exists()
    assert services.support_needs_disclosed is not broken


def test_a_double_submit_records_the_needs_once(complaints_team):
    client = Client()
    data = _form(support_needs=["extra_time"], support_consent="on")
    client.post("/complain/", data)
    client.post("/complain/", data)
    assert SupportNeedsVersion.objects.count() == 1


def test_a_new_case_of_a_customer_who_told_us_starts_with_priority_raised(complaints_team):
    Client().post("/complain/", _form(support_needs=["extra_time"], support_consent="on"))
    Client().post("/complain/", _form(subject="Another thing", what_happened="The bill is wrong too."))
    assert Case.objects.count() == 2
    assert CasePriority.objects.count() == 2


# The status page.


@pytest.fixture
def case(complaints_team):
    return make_case(team=complaints_team, email="grace@example.com", name="Grace Okafor")


def test_the_status_page_asks_and_keeps_what_the_customer_says(case, adviser):
    client = Client()
    page = client.get(f"/status/{case.public_token}/").content.decode()
    assert "Do you need any support" in page and WHY in page
    response = client.post(
        f"/status/{case.public_token}/support",
        {
            "support_needs": ["phone", "someone_else"],
            "support_text": "My son Tom helps me.",
            "support_consent": "on",
        },
    )
    assert response.status_code == 302
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.disclosed_via == "status_page" and version.preferred_channel == "phone"
    assert "ask who" in version.circumstances and "My son Tom" in version.circumstances
    assert "Thank you for telling us" in client.get(response["Location"]).content.decode()
    # Staff add to it; the status page never shows the record back.
    assert "My son Tom" not in client.get(f"/status/{case.public_token}/").content.decode()
    assert "My son Tom" in login(adviser).get(f"/customers/{case.customer_id}/").content.decode()


def test_the_status_page_adds_to_needs_already_recorded(case):
    support_needs_disclosed(
        customer=case.customer,
        disclosure=Disclosure(needs=("large_print",), consent=True),
        via="complaint_form",
    )
    Client().post(
        f"/status/{case.public_token}/support", {"support_needs": ["extra_time"], "support_consent": "on"}
    )
    version = SupportNeedsRecord.objects.get(customer=case.customer).current
    assert version.number == 2 and version.formats == ["large_print"] and version.extra_time


def test_the_status_page_without_consent_gives_the_words_back(case):
    response = Client().post(
        f"/status/{case.public_token}/support", {"support_text": "I am a carer for my mum."}
    )
    assert response.status_code == 400 and "I am a carer for my mum." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert not SupportNeedsRecord.objects.exists()


def test_the_status_page_with_nothing_ticked_changes_nothing(case):
    response = Client().post(f"/status/{case.public_token}/support", {"support_consent": "on"})
    assert response.status_code == 302 and not SupportNeedsRecord.objects.exists()


def test_a_bad_link_is_not_found(case):
    assert Client().post("/status/not-a-link/support", {"support_text": "x"}).status_code == 404
