"""Colleague alerts on a customer: raised with why and an expiry, shown as a notice to whoever deals with
the customer next (queue, case page, customer page, a new case from a message on any channel), told to
the colleague they name, closed by those allowed, audited, and by the API.

Hal handles cases in the complaints team, Ada is an adviser in it, Tess leads it, Ash assesses.
"""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.core.errors import DomainError, PermissionDenied
from amends.core.models import AuditEvent, Notification
from amends.core.services import api_token_create
from amends.customers.alerts import colleague_alert_close, colleague_alert_raise
from amends.customers.hooks import notices_for
from amends.customers.models import ColleagueAlert
from amends.messaging.services import message_log_contact

pytestmark = pytest.mark.django_db
WHY = "Final response sent 3 Dec; she said she will come back if the refund is not in her account by Friday."


@pytest.fixture
def case(complaints_team, case_handler):
    return make_case(team=complaints_team, owner=case_handler, email="pat@example.com")


def _raise(case, actor, **kwargs):
    return colleague_alert_raise(
        customer=case.customer, actor=actor, kind=kwargs.pop("kind", "may_reopen"), text=WHY, **kwargs
    )


def test_an_alert_is_a_notice_to_whoever_deals_with_the_customer_next(case, case_handler, adviser):
    alert = _raise(case, case_handler, contact=case_handler)
    notices = notices_for(adviser, [case.customer_id])[case.customer_id]
    assert [n.label for n in notices] == ["May re-open the matter"]
    assert WHY in notices[0].text and "Hal Handler" in notices[0].text
    assert AuditEvent.objects.filter(kind="customer.alert_raised", object_id=str(alert.pk)).exists()
    client = Client()
    client.force_login(adviser)
    for url in ("/queue/?queue=all", f"/cases/{case.reference}/", f"/customers/{case.customer_id}/"):
        assert "May re-open the matter" in client.get(url).content.decode(), url


def test_a_new_contact_on_another_channel_shows_it_on_the_case_it_lands_on(case, case_handler, adviser):
    _raise(case, case_handler)
    other = make_case(team=case.team, email="pat@example.com", channel="phone")
    assert other.customer_id == case.customer_id
    message_log_contact(case=other, actor=adviser, channel="phone", direction="in", summary="Pat rang again")
    client = Client()
    client.force_login(adviser)
    page = client.get(f"/cases/{other.reference}/").content.decode()
    assert "May re-open the matter" in page and "refund is not in her account" in page


def test_the_colleague_it_names_is_told(case, adviser, case_handler):
    _raise(case, adviser, kind="may_contact", contact=case_handler)
    note = Notification.objects.get(user=case_handler)
    assert "raised an alert on Pat Customer: may contact you" in note.text
    assert WHY not in note.text


def test_an_expired_or_closed_alert_is_shown_no_more(case, case_handler, adviser, time_machine):
    _raise(case, case_handler, expires_on=timezone.localdate() + timedelta(days=2))
    time_machine.move_to(timezone.now() + timedelta(days=3))
    assert notices_for(adviser, [case.customer_id]) == {}
    alert = _raise(case, case_handler)
    with pytest.raises(PermissionDenied):
        colleague_alert_close(alert=alert, actor=adviser)  # neither raised it nor named, nor a leader
    colleague_alert_close(alert=alert, actor=case_handler, reason="Refund arrived")
    assert notices_for(adviser, [case.customer_id]) == {}
    assert AuditEvent.objects.filter(kind="customer.alert_closed", reason="Refund arrived").exists()


def test_bad_input_and_an_assessor_are_refused_and_nothing_is_kept(case, case_handler, assessor):
    with pytest.raises(DomainError):
        colleague_alert_raise(customer=case.customer, actor=case_handler, kind="may_reopen", text="  ")
    with pytest.raises(DomainError):
        _raise(case, case_handler, expires_on=timezone.localdate() + timedelta(days=400))
    with pytest.raises(DomainError):
        _raise(case, case_handler, kind="grumpy")
    with pytest.raises(PermissionDenied):
        _raise(case, assessor)
    assert not ColleagueAlert.objects.exists()


def test_the_forms_raise_and_close_from_the_case_page(case, case_handler, team_leader):
    client = Client()
    client.force_login(case_handler)
    back = f"/cases/{case.reference}/"
    response = client.post(
        f"/customers/{case.customer_id}/alerts",
        {"kind": "may_reopen", "text": WHY, "expires_on": "", "contact": "", "back": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    alert = ColleagueAlert.objects.get()
    leader = Client()
    leader.force_login(team_leader)
    leader.post(f"/customers/{case.customer_id}/alerts/{alert.pk}/close", {"reason": "Seen to"})
    alert.refresh_from_db()
    assert alert.closed_by == team_leader


def test_the_api_raises_lists_and_closes(case, case_handler):
    _, key = api_token_create(user=case_handler, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/customers/{case.customer_id}/alerts"
    made = api.post(
        url, json.dumps({"kind": "may_contact", "text": WHY, "contact": "hal"}), "application/json"
    )
    assert made.status_code == 201 and made.json()["contact"] == "hal"
    assert [a["kind"] for a in api.get(url).json()] == ["may_contact"]
    closed = api.post(f"{url}/{made.json()['id']}/close", json.dumps({"reason": "done"}), "application/json")
    assert closed.status_code == 200 and closed.json()["closed_at"]
    assert api.get(url).json() == []
    refused = api.post(url, json.dumps({"kind": "other", "text": ""}), "application/json")
    assert refused.status_code == 400


def test_the_colleague_named_is_told_when_the_customer_gets_in_touch_again(case, adviser, case_handler):
    from amends.messaging.services import Incoming, message_record_inbound

    _raise(case, adviser, kind="may_contact", contact=case_handler)
    Notification.objects.all().delete()
    message_log_contact(case=case, actor=case_handler, channel="phone", direction="in", summary="Pat rang")
    assert not Notification.objects.filter(user=case_handler).exists()  # they took the call themselves
    message_record_inbound(
        case=case,
        customer=case.customer,
        incoming=Incoming(channel="email", body_text="Any news?", occurred_at=timezone.now()),
    )
    told = Notification.objects.get(user=case_handler)
    assert (
        told.text
        == f"Pat Customer got in touch again (email) on {case.reference}; your alert: may contact you"
    )
    assert not Notification.objects.filter(user=adviser).exists()  # who raised it is not named
