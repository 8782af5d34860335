"""Every way a customer's message gets in is analysed as it is stored: the mailbox endpoint, the email and
mbox and JSON imports, the API (a new case, a message on a case), the public form, and a message handed
to intake on a known case (the demo). A failing analyser never costs the message."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.core.services import api_token_create
from amends.intake import arrivals
from amends.intake.services import intake_message
from amends.messaging.models import Message
from amends.messaging.services import Incoming
from amends.signals.models import MessageAnalysis

pytestmark = pytest.mark.django_db

ANGRY = "Third time I have called and it is still not fixed. I am furious and going to the ombudsman."
EMAIL = (
    "From: Jo Bloggs <jo@example.com>\r\nTo: complaints@amends.example\r\nSubject: Refund\r\n"
    "Message-ID: <{id}@example.com>\r\nDate: Fri, 20 Nov 2026 09:00:00 +0000\r\n\r\n" + ANGRY + "\r\n"
)


def _email(message_id: str) -> bytes:
    return EMAIL.format(id=message_id).encode()


def _contact(external_id: str, **over) -> dict:
    return {"channel": "chat", "external_id": external_id, "text": ANGRY, "customer": {"name": "Ann"}, **over}


@pytest.fixture
def bearer(team_leader, inbound_secret):
    _, key = api_token_create(user=team_leader, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _provider() -> dict:
    """The email provider's own credential (the inbound_secret fixture sets it)."""
    return {"HTTP_AUTHORIZATION": f"Bearer {settings.AMENDS_INBOUND_EMAIL_SECRET}"}


def by_mailbox_endpoint(bearer, tmp_path):
    response = Client().post(
        "/inbound/email", _email("endpoint"), content_type="message/rfc822", **_provider()
    )
    assert response.status_code == 201
    return "email:<endpoint@example.com>"


def by_eml_import(bearer, tmp_path):
    (tmp_path / "one.eml").write_bytes(_email("eml"))
    call_command("intake", "eml", str(tmp_path / "one.eml"))
    return "email:<eml@example.com>"


def by_mbox_import(bearer, tmp_path):
    (tmp_path / "box.mbox").write_bytes(b"From MAILER-DAEMON Fri Nov 20 09:00:00 2026\n" + _email("mbox"))
    call_command("intake", "mbox", str(tmp_path / "box.mbox"))
    return "email:<mbox@example.com>"


def by_a_reply_email(bearer, tmp_path):
    by_mailbox_endpoint(bearer, tmp_path)
    reply = _email("reply").replace(b"Subject: Refund", b"In-Reply-To: <endpoint@example.com>\r\nSubject: Re")
    Client().post("/inbound/email", reply, content_type="message/rfc822", **_provider())
    assert Message.objects.get(idempotency_key="email:<reply@example.com>").case.messages.count() == 3
    return "email:<reply@example.com>"


def by_json_import(bearer, tmp_path):
    (tmp_path / "contacts.json").write_text(json.dumps([_contact("json-1"), _contact("json-2")]))
    call_command("intake", "json", str(tmp_path / "contacts.json"))
    return "chat:json-2"


def by_api_new_case(bearer, tmp_path):
    body = json.dumps(_contact("api-1"))
    assert Client().post("/api/v1/cases", body, content_type="application/json", **bearer).status_code == 201
    return "chat:api-1"


def by_api_message_on_a_case(bearer, tmp_path):
    by_api_new_case(bearer, tmp_path)
    reference = Message.objects.get(idempotency_key="chat:api-1").case.reference
    body = json.dumps({"channel": "chat", "external_id": "api-2", "text": ANGRY})
    response = Client().post(
        f"/api/v1/cases/{reference}/messages", body, content_type="application/json", **bearer
    )
    assert response.status_code == 201
    return "chat:api-2"


def by_public_form(bearer, tmp_path):
    client = Client()
    page = client.get("/complain/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    form = {
        "name": "Morgan Ellis",
        "email": "morgan@example.com",
        "nation": "england",
        "subject": "Boiler",
        "what_happened": ANGRY,
        "form_token": token,
    }
    assert client.post("/complain/", form).status_code == 302
    return f"web_form:{token}"


def by_intake_message(bearer, tmp_path):
    case = make_case()
    incoming = Incoming(
        channel="phone", body_text=ANGRY, occurred_at=timezone.now(), idempotency_key="demo-1"
    )
    intake_message(case=case, incoming=incoming)
    return "demo-1"


PATHS = [
    by_mailbox_endpoint,
    by_eml_import,
    by_mbox_import,
    by_a_reply_email,
    by_json_import,
    by_api_new_case,
    by_api_message_on_a_case,
    by_public_form,
    by_intake_message,
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_the_message_is_analysed_as_it_is_stored(path, complaints_team, bearer, tmp_path):
    key = path(bearer, tmp_path)
    message = Message.objects.get(idempotency_key=key)
    analysis = MessageAnalysis.objects.get(message=message)
    assert analysis.case == message.case and analysis.risk >= 60
    assert message.case.events.filter(kind="signals_found", after__message=message.pk).exists()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.__name__)
def test_a_failing_analyser_keeps_the_message(path, complaints_team, bearer, tmp_path, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("model file missing")

    monkeypatch.setattr(arrivals, "analyse", broken)
    key = path(bearer, tmp_path)
    message = Message.objects.get(idempotency_key=key)
    assert not MessageAnalysis.objects.filter(message=message).exists()
    assert "Signals analysis failed" in caplog.text


# A threat to staff, as a customer writes or says it: it must alert whichever way it comes in.
THREAT = "Nobody has fixed it. I know where you live and you'll regret it if this is not sorted."


def by_imap_mailbox(bearer, tmp_path):
    """What the IMAP poller stores for each fetched email (`mailbox_email_import`; the server side is
    test_imap.py's, against a real dovecot)."""
    from amends.intake.mailboxes import mailbox_email_import
    from amends.intake.models import Mailbox

    box = Mailbox.objects.create(
        name="Complaints", host="imap.example.org", port=993, username="c", password_env="X"
    )
    row = mailbox_email_import(box, uidvalidity=1, uid=1, raw=_email("imap"))
    assert row.outcome == "stored"
    return "email:<imap@example.com>"


def by_a_held_email_released(bearer, tmp_path):
    from amends.intake.services import held_email_release, intake_email

    raw = _email("held").replace(b"From: Jo Bloggs <jo@example.com>", b"From: undisclosed")
    held = intake_email(raw).held
    held_email_release(held=held, actor=None, name="Jo Bloggs", email="jo@example.com")
    return "email:<held@example.com>"


def by_api_sms(bearer, tmp_path):
    """An SMS provider's or a social network's inbound message, as its integration posts it."""
    body = json.dumps(_contact("sms-1", channel="sms", customer={"name": "Ann", "phone": "07700 900123"}))
    assert Client().post("/api/v1/cases", body, content_type="application/json", **bearer).status_code == 201
    return "sms:sms-1"


def by_api_social(bearer, tmp_path):
    body = json.dumps(_contact("x-1", channel="social"))
    assert Client().post("/api/v1/cases", body, content_type="application/json", **bearer).status_code == 201
    return "social:x-1"


@pytest.mark.parametrize(
    "path",
    [*PATHS, by_imap_mailbox, by_a_held_email_released, by_api_sms, by_api_social],
    ids=lambda p: p.__name__,
)
def test_a_threat_alerts_whichever_way_it_comes_in(
    path, complaints_team, team_leader, complaints_lead, bearer, tmp_path, monkeypatch
):
    from amends.core.models import Notification

    monkeypatch.setattr("amends.intake.tests.test_every_path_analyses.EMAIL", EMAIL.replace(ANGRY, THREAT))
    monkeypatch.setattr("amends.intake.tests.test_every_path_analyses.ANGRY", THREAT)
    key = path(bearer, tmp_path)
    message = Message.objects.get(idempotency_key=key)
    assert message.case.events.filter(kind="safety_alert", after__message=message.pk).count() == 1
    for person in (team_leader, complaints_lead):
        urgent = Notification.objects.filter(user=person, urgency="urgent", link__endswith=f"-{message.pk}")
        assert urgent.count() == 1, person
        assert "threat to staff" in urgent.get().text
