import base64
import json

import pytest
from django.core.management import call_command
from django.test import Client

from amends.cases.models import Case
from amends.core.services import api_token_create
from amends.intake.models import HeldEmail
from amends.messaging.models import Message, MessageSource

pytestmark = pytest.mark.django_db

RAW = (
    b"From: Jo Bloggs <jo@example.com>\r\nTo: complaints@amends.example\r\nSubject: Refund\r\n"
    b"Message-ID: <endpoint-1@example.com>\r\nDate: Fri, 20 Nov 2026 09:00:00 +0000\r\n"
    b"\r\nWhere is my refund?\r\n"
)


@pytest.fixture
def post(inbound_secret):
    key = inbound_secret
    client = Client()

    def send(body, content_type="message/rfc822", **extra):
        return client.post(
            "/inbound/email", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {key}", **extra
        )

    return send


def _counts():
    return Case.objects.count(), Message.objects.count(), MessageSource.objects.count()


def test_raw_post_is_stored_once(post):
    first = post(RAW)
    assert first.status_code == 201 and first.json()["created_case"] is True
    counts = _counts()
    again = post(RAW)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert _counts() == counts
    assert bytes(MessageSource.objects.get().raw) == RAW


def test_sendgrid_email_file_field(inbound_secret):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("message.eml", RAW, content_type="message/rfc822")
    response = Client().post(
        "/inbound/email", {"email": upload}, HTTP_AUTHORIZATION=f"Bearer {inbound_secret}"
    )
    assert response.status_code == 201
    assert bytes(MessageSource.objects.get().raw) == RAW


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_mailgun_body_mime_field_with_the_secret_as_basic_auth_password(inbound_secret):
    # A provider that takes only a URL is given https://amends:<secret>@host/inbound/email: the
    # credentials travel in the Authorization header, never in the logged path or query.
    response = Client().post(
        "/inbound/email", {"body-mime": RAW.decode()}, HTTP_AUTHORIZATION=_basic("amends", inbound_secret)
    )
    assert response.status_code == 201
    assert Case.objects.get().summary == "Refund"


def _refused(response) -> bool:
    return response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_inbound_email_takes_its_own_secret_and_nothing_else(inbound_secret, adviser, admin_user):
    client = Client()
    send = lambda **extra: client.post("/inbound/email", RAW, content_type="message/rfc822", **extra)  # noqa: E731
    _, staff_key = api_token_create(user=admin_user, name="an administrator's token")
    refused = [
        send(),
        send(HTTP_AUTHORIZATION=f"Bearer {staff_key}"),
        send(HTTP_AUTHORIZATION=f"Bearer {inbound_secret}x"),
        send(HTTP_AUTHORIZATION=f"Bearer {inbound_secret[:-1]}"),
        send(HTTP_AUTHORIZATION=_basic("amends", staff_key)),
        send(HTTP_AUTHORIZATION=_basic(inbound_secret, "")),
        send(HTTP_AUTHORIZATION="Basic not-base64!"),
        client.post(f"/inbound/email?key={inbound_secret}", RAW, content_type="message/rfc822"),
        # The secret in the URL is refused even beside a good header: it has already been logged.
        client.post(
            f"/inbound/email?key={inbound_secret}",
            RAW,
            content_type="message/rfc822",
            HTTP_AUTHORIZATION=f"Bearer {inbound_secret}",
        ),
    ]
    assert all(_refused(r) for r in refused), [r.status_code for r in refused]
    assert refused[0]["WWW-Authenticate"].startswith("Basic ")
    assert "URL" in refused[-1].json()["error"]["message"]
    assert _counts() == (0, 0, 0)
    assert send(HTTP_AUTHORIZATION=f"Bearer {inbound_secret}").status_code == 201
    assert (
        Message.objects.get(direction="in").author is None
    )  # the provider delivers it, not a member of staff


@pytest.mark.parametrize("secret", ["", "short-and-guessable"])
def test_inbound_email_is_off_until_a_long_secret_is_set(settings, adviser, secret):
    settings.AMENDS_INBOUND_EMAIL_SECRET = secret
    _, key = api_token_create(user=adviser, name="x")
    for auth in ("", "Bearer ", f"Bearer {key}", _basic("amends", ""), f"Bearer {secret}"):
        response = Client().post(
            "/inbound/email", RAW, content_type="message/rfc822", HTTP_AUTHORIZATION=auth
        )
        assert response.status_code == 403
        assert "AMENDS_INBOUND_EMAIL_SECRET" in response.json()["error"]["message"]
    assert _counts() == (0, 0, 0)


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"", "message/rfc822", 400),
        (b'{"json": true}', "application/json", 400),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(post, body, content_type, status):
    counts = _counts()
    response = post(body, content_type=content_type)
    assert response.status_code == status
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert _counts() == counts


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\x00\x01\x02 not an email at all", "no header lines"),
        (b"Subject: no sender\r\n\r\nbody", "no readable sender"),
    ],
)
def test_an_unreadable_email_is_held_for_review_not_lost(post, body, reason):
    counts = _counts()
    response = post(body, content_type="message/rfc822")
    assert response.status_code == 202, response.content
    assert reason in response.json()["reason"] and response.json()["duplicate"] is False
    assert _counts() == counts  # no case, customer or message
    held = HeldEmail.objects.get()
    assert bytes(held.raw) == body and held.status == HeldEmail.Status.HELD
    again = post(body, content_type="message/rfc822")
    assert again.status_code == 202 and again.json() == {**response.json(), "duplicate": True}
    assert HeldEmail.objects.count() == 1


def test_a_50_mb_body_is_refused_before_it_is_read(post):
    counts = _counts()
    huge = b"X-Filler: y\r\n" + b"x" * 50_000_000
    response = post(huge)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert _counts() == counts


def test_intake_json_file_lines_and_lists(tmp_path, capsys):
    contacts = [
        {
            "channel": "social",
            "external_id": "x:1",
            "text": "Still no hot water",
            "customer": {"handle": "@sam"},
        },
        {
            "channel": "chat",
            "external_id": "chat:9",
            "text": "Agent: hello\nCustomer: my bill is wrong",
            "customer": {"name": "Ali Khan", "email": "ali@example.com"},
            "kind": "problem",
            "product": "Broadband and landline",
        },
    ]
    listing = tmp_path / "contacts.json"
    listing.write_text(json.dumps(contacts))
    call_command("intake", "json", str(listing))
    assert Case.objects.count() == 2
    assert set(Case.objects.values_list("channel", "product")) == {
        ("social", ""),
        ("chat", "Broadband and landline"),
    }
    lines = tmp_path / "contacts.jsonl"
    lines.write_text("\n".join(json.dumps(c) for c in contacts))
    call_command("intake", "json", str(lines))  # the same contacts again: nothing new
    assert Case.objects.count() == 2
    assert "2 already imported" in capsys.readouterr().out


def test_intake_json_reports_bad_rows_and_keeps_good_ones(tmp_path, capsys):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps({"channel": "social", "external_id": "ok", "text": "fine", "customer": {"name": "A"}})
        + "\n{broken json\n"
        + json.dumps({"channel": "fax", "external_id": "bad", "text": "x", "customer": {"name": "B"}})
        + "\n"
    )
    with pytest.raises(SystemExit):
        call_command("intake", "json", str(path))
    err = capsys.readouterr().err
    assert "mixed.jsonl:2: refused" in err and "mixed.jsonl:3: refused" in err
    assert Case.objects.count() == 1


def test_intake_eml_and_mbox_commands(tmp_path, capsys):
    eml = tmp_path / "one.eml"
    eml.write_bytes(RAW)
    mbox = tmp_path / "box.mbox"
    second = RAW.replace(b"endpoint-1", b"endpoint-2").replace(b"Subject: Refund", b"Subject: Second")
    mbox.write_bytes(
        b"From MAILER-DAEMON Fri Nov 20 09:00:00 2026\n"
        + RAW.replace(b"\r\n", b"\n")
        + b"\n"
        + b"From MAILER-DAEMON Fri Nov 20 09:05:00 2026\n"
        + second.replace(b"\r\n", b"\n")
    )
    call_command("intake", "eml", str(eml))
    call_command("intake", "mbox", str(mbox))
    out = capsys.readouterr().out
    assert "1 new cases" in out and "1 already imported" in out
    assert Message.objects.filter(direction="in").count() == 2


def test_a_very_long_email_is_kept_whole_not_refused(post, settings):
    settings.AMENDS_MAX_TEXT_CHARS = 1000
    raw = RAW.replace(b"endpoint-1", b"long-1").replace(b"Where is my refund?", b"word " * 2000)
    response = post(raw)
    assert response.status_code == 201
    message = Message.objects.get(pk=response.json()["message"])
    assert len(message.body_text) == 1000 and "full original is kept" in message.body_text
    assert bytes(message.source.raw) == raw
