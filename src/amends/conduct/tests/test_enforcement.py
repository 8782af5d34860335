"""Restrictions apply where they apply: the reply form and the reply service (UI and API), the case page,
the notices on every screen, the notice letter, intake's routing to the named contact."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case
from amends.conduct import services
from amends.conduct.services import RestrictionIn
from amends.core.errors import DomainError
from amends.core.services import api_token_create
from amends.messaging.routes import case_routes
from amends.messaging.services import message_send

pytestmark = pytest.mark.django_db


def _restrict(case, adviser, team_leader, *restrictions):
    incident = services.incident_report(
        actor=adviser,
        customer=case.customer,
        case=case,
        category="abuse-harassment",
        channel="phone",
        description="Swore at me repeatedly",
    )
    return services.decision_make(
        actor=team_leader,
        customer=case.customer,
        level="L3",
        reasons="Abuse on the phone after a written warning",
        incidents=[incident],
        restrictions=list(restrictions),
        adjustments_considered="Email lets them write when calm; no support needs recorded",
        review_due=timezone.localdate() + timedelta(days=90),
        case=case,
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_one_channel_leaves_only_that_channel_for_replies(case, adviser, team_leader, settings):
    settings.AMENDS_SMS_PROVIDER = "log"
    case.customer.contact_points.create(
        kind="phone", value="07700 900123", normalised="+447700900123", created_at=timezone.now()
    )
    assert {r.channel for r in case_routes(case).offered} == {"email", "sms"}
    _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["email"]}))
    routes = case_routes(case)
    assert [r.channel for r in routes.offered] == ["email"]
    assert "email only" in routes.arrangement
    with pytest.raises(DomainError) as refused:
        message_send(case=case, actor=adviser, body="Hello", send_by="sms")
    assert refused.value.code == "channel_unavailable" and "email only" in refused.value.message
    with pytest.raises(DomainError):
        message_send(case=case, actor=adviser, body="Hello", sent_by_hand="sms")
    page = _client(adviser).get(f"/cases/{case.reference}/").content.decode()
    assert 'name="send_by" value="email"' in page and 'name="send_by" value="sms"' not in page
    assert "Contact arrangement" in page
    _, key = api_token_create(user=adviser, name="t")
    response = Client().post(
        f"/api/v1/cases/{case.reference}/replies",
        json.dumps({"body": "Hi", "version": Case.objects.get(pk=case.pk).version, "send_by": "sms"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "channel_unavailable"


def test_the_closed_matter_guidance_and_named_contact_show_on_the_case(
    case, adviser, case_handler, team_leader
):
    _restrict(
        case,
        adviser,
        team_leader,
        RestrictionIn("no-replies-closed-matter", {"matter": case.reference}),
        RestrictionIn("single-point-of-contact", {"officer": case_handler.pk}),
        RestrictionIn("set-call-times", {"call_times": "Tuesdays 10:00-11:00"}),
    )
    page = _client(adviser).get(f"/cases/{case.reference}/").content.decode()
    assert "Do not reply to correspondence that repeats the closed matter" in page
    assert "New contacts from this customer go to" in page and "Hal Handler" in page
    assert "Tuesdays 10:00-11:00" in page


def test_a_new_contact_goes_to_the_named_contact(case, adviser, case_handler, team_leader):
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact

    _restrict(
        case, adviser, team_leader, RestrictionIn("single-point-of-contact", {"officer": case_handler.pk})
    )
    result = intake_contact(
        ContactIn(
            channel="web_form",
            external_id="again-1",
            text="I am writing again about my refund",
            customer={"name": "Pat Shouter", "email": "pat@example.com"},
        )
    )
    assert result.created_case and result.case.customer_id == case.customer_id
    assert Case.objects.get(pk=result.case.pk).owner == case_handler


@pytest.mark.parametrize("path", ["queue", "case", "customer"])
def test_markers_and_arrangements_show_on_every_screen_to_those_allowed(
    case, adviser, team_leader, assessor, path
):
    _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["email"]}))
    services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Threatened staff on the phone",
        basis="HSWA 1974",
        visible_to=["adviser", "team_leader"],
        review_due=timezone.localdate() + timedelta(days=90),
    )
    url = {
        "queue": "/queue/?queue=all",
        "case": f"/cases/{case.reference}/",
        "customer": f"/customers/{case.customer_id}/",
    }[path]
    seen = _client(adviser).get(url).content.decode()
    assert "Threatened staff on the phone" in seen and "Contact by email only" in seen
    hidden = _client(assessor).get(url).content.decode()
    assert "Threatened staff on the phone" not in hidden and "Contact by email only" not in hidden


def test_markers_are_hidden_from_roles_not_allowed_in_the_api(
    case, adviser, team_leader, case_handler, assessor
):
    services.marker_add(
        actor=adviser,
        customer=case.customer,
        reason="Threatened staff",
        basis="HSWA 1974",
        visible_to=["team_leader"],
        review_due=timezone.localdate() + timedelta(days=90),
    )

    def conduct(user):
        _, key = api_token_create(user=user, name="t")
        return Client().get(
            f"/api/v1/customers/{case.customer_id}/conduct", HTTP_AUTHORIZATION=f"Bearer {key}"
        )

    assert [m["reason"] for m in conduct(team_leader).json()["markers"]] == ["Threatened staff"]
    assert conduct(case_handler).json()["markers"] == []
    assert conduct(assessor).status_code == 403
    page = _client(case_handler).get(f"/customers/{case.customer_id}/conduct/").content.decode()
    assert "Threatened staff" not in page
    assert (
        "Threatened staff"
        in _client(team_leader).get(f"/customers/{case.customer_id}/conduct/").content.decode()
    )


def test_the_notice_letter_is_a_pdf_sent_by_the_permitted_channel(
    case, adviser, team_leader, complaints_lead, mailoutbox
):
    from amends.process.services import process_start

    process_start(case=case, regime_code="fca-disp", actor=complaints_lead)
    decision = _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["email"]}))
    letter = services.notice_send(actor=team_leader, decision=decision)
    assert (
        letter.kind == "conduct_notice" and letter.status == "sent" and bytes(letter.pdf).startswith(b"%PDF")
    )
    for words in (
        "Contact by email only",
        "Abuse on the phone",
        "review it on",
        "appeal",
        "Financial Ombudsman",
    ):
        assert words in letter.html, words
    assert letter.message.channel == "email"
    decision.refresh_from_db()
    assert decision.notice == letter


def test_a_letters_only_notice_is_printed_for_post(case, adviser, team_leader):
    decision = _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["letter"]}))
    letter = services.notice_send(actor=team_leader, decision=decision)
    assert letter.status == "printed" and "ombudsman" in letter.html


def test_report_behaviour_in_two_clicks_from_the_case_page(
    case, adviser, case_handler, team_leader, other_team_adviser
):
    client = _client(adviser)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "Report behaviour" in page
    form = client.get(f"/conduct/report/?customer={case.customer_id}&case={case.reference}")
    assert form.status_code == 200 and case.reference in form.content.decode()
    done = client.post(
        "/conduct/report/",
        {
            "customer": case.customer_id,
            "case": case.reference,
            "category": "abuse-harassment",
            "channel": "phone",
            "severity": "medium",
            "description": "Swore at me",
            "immediate_action": "none",
            "staff": [adviser.pk, case_handler.pk, other_team_adviser.pk],
        },
    )
    assert done.status_code == 302 and done.url == f"/cases/{case.reference}/"
    incident = case.incidents.get()
    # Only colleagues the form offered (the reporter's team) are named.
    assert set(incident.staff_involved.all()) == {adviser, case_handler}


def test_the_api_reports_and_decides(case, adviser, team_leader):
    _, adviser_key = api_token_create(user=adviser, name="t")
    _, leader_key = api_token_create(user=team_leader, name="t")
    post = lambda url, body, key: Client().post(  # noqa: E731
        url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    made = post(
        "/api/v1/incidents",
        {
            "customer": case.customer_id,
            "case": case.reference,
            "category": "abuse-harassment",
            "channel": "email",
            "description": "Abusive email",
        },
        adviser_key,
    )
    assert made.status_code == 201 and made.json()["team_leader_told"] is True
    decision = {
        "level": "L3",
        "reasons": "Abuse",
        "incidents": [made.json()["id"]],
        "restrictions": [{"type": "one-channel", "parameters": {"channels": ["letter"]}}],
        "adjustments_considered": "Letters give time to reply",
        "review_due": (timezone.localdate() + timedelta(days=90)).isoformat(),
    }
    assert (
        post(f"/api/v1/customers/{case.customer_id}/conduct/decisions", decision, adviser_key).status_code
        == 403
    )
    assert (
        post(f"/api/v1/customers/{case.customer_id}/conduct/decisions", decision, leader_key).status_code
        == 201
    )


def test_the_acknowledgement_of_a_new_case_keeps_to_the_arrangement(case, adviser, team_leader, admin_user):
    """A restricted customer writes on a channel the arrangement closed: the acknowledgement goes by email."""
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact
    from amends.messaging.integrations import integration_add
    from amends.messaging.schemas import IntegrationIn

    integration_add(
        data=IntegrationIn(name="Chat", channels=["chat"], url="https://chat.example/hook"), actor=admin_user
    )
    _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["email"]}))
    result = intake_contact(
        ContactIn(
            channel="chat",
            external_id="chat-9",
            text="Why has nobody answered me",
            customer={"name": "Pat Shouter", "email": "pat@example.com"},
        )
    )
    ack = result.case.messages.get(purpose="acknowledgement")
    assert result.case.customer_id == case.customer_id and ack.channel == "email"
    # Another customer writing the same way is answered in their chat.
    other = intake_contact(
        ContactIn(
            channel="chat",
            external_id="chat-10",
            text="Hello",
            customer={"name": "Al", "email": "al@example.com"},
        )
    )
    assert other.case.messages.get(purpose="acknowledgement").channel == "chat"


def test_the_emergency_contact_is_the_organisations_own(
    case, adviser, team_leader, complaints_lead, settings
):
    """The contact that stays open is a setting: the arrangement, the case page, the notice letter and the
    refusal of a decision closing every channel all give it; blank, the default words."""
    from amends.conduct.selectors import arrangements_for, emergency_contact

    settings.AMENDS_CONDUCT_EMERGENCY_CONTACT = " "
    assert emergency_contact() == "Phone, for emergencies and urgent health and safety matters"
    own = "Phone 0300 123 4567 (24 hours), for emergencies and urgent health and safety matters"
    settings.AMENDS_CONDUCT_EMERGENCY_CONTACT = own
    decision = _restrict(case, adviser, team_leader, RestrictionIn("one-channel", {"channels": ["email"]}))
    assert arrangements_for([case.customer_id])[case.customer_id].text.endswith(
        f"Always open for emergencies: {own}."
    )
    assert f"{own} stays open" in _client(adviser).get(f"/cases/{case.reference}/").content.decode()
    assert own in _client(complaints_lead).get("/conduct/settings/").content.decode()
    letter = services.notice_send(actor=team_leader, decision=decision)
    assert "0300 123 4567 (24 hours)" in letter.html
    with pytest.raises(DomainError) as refused:
        services.decision_make(
            actor=team_leader,
            customer=case.customer,
            level="L3",
            reasons="Closing everything",
            incidents=list(decision.incidents.all()),
            restrictions=[RestrictionIn("one-channel", {"channels": []})],
            adjustments_considered="None would help",
            review_due=timezone.localdate() + timedelta(days=30),
        )
    assert refused.value.code == "every_channel_closed" and own in refused.value.message
