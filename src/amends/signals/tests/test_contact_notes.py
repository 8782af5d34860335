"""A note an adviser logs of a call or a visit is analysed like an email: a threat said on the phone alerts
the owner, the team's leaders and the complaints leads at once, once per note (messaging.hooks.contact_logged,
registered by signals)."""

from __future__ import annotations

import json

import pytest

from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.models import Notification
from amends.messaging.models import Message
from amends.messaging.services import message_log_contact
from amends.signals import services
from amends.signals.models import MessageAnalysis, MessageSignal

pytestmark = pytest.mark.django_db

THREAT = (
    "Mr Jones rang about the repair. He said he will come down there and hurt someone if it is not fixed."
)
SELF_HARM = "Ms Khan called in tears about the arrears. She said she feels like ending it all."


@pytest.fixture
def case(team_leader, adviser):
    return make_case(team=team_leader.staff.team, owner=adviser)


def _urgent(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, urgency=Notification.Urgency.URGENT))


def _log(case, adviser, summary, **over) -> Message:
    case.refresh_from_db()
    kwargs = {"channel": "phone", "direction": "in", "summary": summary, **over}
    return message_log_contact(case=case, actor=adviser, expected_version=case.version, **kwargs)


def test_a_threat_in_a_phone_note_alerts_the_team_leader_once(case, adviser, team_leader, complaints_lead):
    note = _log(case, adviser, THREAT)

    (alert,) = _urgent(team_leader)
    assert "threat to staff" in alert.text and case.reference in alert.text
    assert alert.link.endswith(f"#message-{note.pk}")
    assert len(_urgent(complaints_lead)) == 1 and len(_urgent(adviser)) == 1
    (event,) = case.events.filter(kind="safety_alert")
    assert event.after == {"type": "threat_to_staff", "message": note.pk}
    assert MessageAnalysis.objects.get(message=note).risk == 100
    case.refresh_from_db()
    assert case.risk == 100


def test_each_note_alerts_once_and_analysing_a_note_again_alerts_nobody(case, adviser, team_leader):
    first = _log(case, adviser, THREAT)
    _log(case, adviser, THREAT, channel="face_to_face")
    assert len(_urgent(team_leader)) == 2  # one per note

    assert services.signals_contact_logged(first) is None  # already analysed: left as it was
    assert len(_urgent(team_leader)) == 2
    assert case.events.filter(kind="safety_alert").count() == 2
    assert MessageAnalysis.objects.filter(message=first).count() == 1


def test_self_harm_said_in_a_visit_alerts(case, adviser, team_leader):
    note = _log(case, adviser, SELF_HARM, channel="face_to_face")
    (alert,) = _urgent(team_leader)
    assert "self-harm" in alert.text.lower()
    assert MessageSignal.objects.filter(message=note, type="self_harm").exists()


def test_a_call_we_made_is_analysed_and_a_letter_we_sent_is_not(case, adviser, team_leader):
    called = _log(case, adviser, THREAT, direction="out")
    assert MessageAnalysis.objects.filter(message=called).exists()
    assert len(_urgent(team_leader)) == 1
    sent = _log(
        case,
        adviser,
        "Sent the leaflet 'If you feel like ending it all, call us'.",
        channel="letter",
        direction="out",
    )
    assert not MessageAnalysis.objects.filter(message=sent).exists()
    assert len(_urgent(team_leader)) == 1


def test_a_calm_note_is_analysed_and_alerts_nobody(case, adviser, team_leader):
    note = _log(case, adviser, "Customer called to ask when the engineer is coming. Told her Tuesday.")
    assert MessageAnalysis.objects.filter(message=note).exists()
    assert not _urgent(team_leader)
    assert not case.events.filter(kind="safety_alert").exists()


def test_a_failing_analyser_keeps_the_note(case, adviser, team_leader, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(services, "analyse", broken)
    note = _log(case, adviser, THREAT)
    assert Message.objects.filter(pk=note.pk).exists()
    assert case.events.filter(kind="contact_logged").exists()
    assert not MessageAnalysis.objects.filter(message=note).exists()
    assert "Signals analysis failed for the contact note" in caplog.text


def test_a_threat_logged_through_the_api_alerts(case, adviser, team_leader):
    case.refresh_from_db()
    body = {"channel": "phone", "direction": "in", "summary": THREAT, "version": case.version}
    response = api_client(adviser).post(
        f"/api/v1/cases/{case.reference}/contacts", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert len(_urgent(team_leader)) == 1
    assert case.events.filter(kind="safety_alert", after__message=response.json()["id"]).exists()


def test_a_threat_logged_on_the_case_page_alerts(case, adviser, team_leader):
    case.refresh_from_db()
    form = {"channel": "phone", "direction": "in", "summary": THREAT, "version": case.version}
    response = login(adviser).post(f"/cases/{case.reference}/log-contact", form)
    assert response.status_code == 302
    assert len(_urgent(team_leader)) == 1
    page = login(team_leader).get(f"/cases/{case.reference}/").content.decode()
    assert "Threat to staff" in page


def test_a_threat_in_a_phone_note_reaches_the_team_leader_in_the_app_and_by_email_once(
    case, adviser, team_leader, django_capture_on_commit_callbacks
):
    """Issue 12's acceptance: the team leader chose in-app notifications only, yet a threat is a safety
    alert (`notify(..., safety=True)`), so it is emailed too: once, after the note commits, even when the
    worker's sweep runs as well; logging the same words again is a new note and a new alert."""
    from datetime import UTC, datetime, timedelta

    from django.core import mail

    from amends.core.emails import notification_emails_sweep
    from amends.core.models import NotifyEmail
    from amends.core.services import staff_notify_email_set

    staff_notify_email_set(user=team_leader, preference=NotifyEmail.NONE, actor=team_leader)
    with django_capture_on_commit_callbacks(execute=True):
        _log(case, adviser, THREAT)
    notification_emails_sweep(datetime.now(UTC) + timedelta(days=1))  # the worker finds it already sent

    (alert,) = _urgent(team_leader)
    assert alert.safety
    to_leader = [m for m in mail.outbox if m.to == [team_leader.email]]
    assert len(to_leader) == 1 and "threat to staff" in to_leader[0].subject
    assert "Make sure" in to_leader[0].body or "999" in to_leader[0].body  # what to do, as in the app
