"""Files staff send with a reply: checked before anything is stored, sent as real MIME attachments by the
outbox, and served only as downloads (previews re-encoded) to those who may see the case."""

from __future__ import annotations

import base64
import email
import io

import pytest
from django.core import mail
from django.utils import timezone

from amends.cases.tests.factories import make_case
from amends.conftest import api_client, login
from amends.core.tests import files
from amends.messaging.models import Attachment, Message, OutboxItem
from amends.messaging.services import AttachmentFile, Incoming, message_record_inbound, message_send
from amends.messaging.tasks import send_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(complaints_team):
    return make_case(team=complaints_team, email="pat@example.com")


def _post_reply(client, case, *uploads, body="Here is the statement we talked about."):
    return client.post(
        f"/cases/{case.reference}/reply",
        {"body": body, "subject": "", "version": case.version, "files": list(uploads)},
    )


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def test_a_reply_with_files_goes_out_as_mime_attachments(case, adviser):
    photo, notes = files.png(), "Meter read on 3 Nov: 04512 \u2014 caf\u00e9 closed\n".encode()
    response = _post_reply(
        login(adviser),
        case,
        _upload("statement.pdf", files.PDF),
        _upload("meter.png", photo),
        _upload("notes.txt", notes),
    )
    assert response.status_code == 302
    message = Message.objects.get(case=case, purpose="reply")
    stored = list(message.attachments.order_by("pk").values_list("filename", "content_type", "size"))
    assert stored == [
        ("statement.pdf", "application/pdf", len(files.PDF)),
        ("meter.png", "image/png", len(photo)),
        ("notes.txt", "text/plain", len(notes)),
    ]

    assert send_outbox(timezone.now()) == 1
    (sent,) = mail.outbox
    parsed = email.message_from_bytes(sent.message().as_bytes())
    parts = [(p.get_filename(), p.get_content_type(), p.get_payload(decode=True)) for p in parsed.walk()]
    assert ("statement.pdf", "application/pdf", files.PDF) in parts
    assert ("meter.png", "image/png", photo) in parts
    assert ("notes.txt", "text/plain", notes) in parts
    (text,) = [p for p in parsed.walk() if p.get_filename() == "notes.txt"]
    assert text.get_params() == [("text/plain", ""), ("charset", "utf-8")]  # one charset, well formed
    assert parsed.get_content_type() == "multipart/mixed"


def test_a_refused_file_sends_and_stores_nothing_and_keeps_the_draft(case, adviser):
    client = login(adviser)
    response = _post_reply(client, case, _upload("ok.pdf", files.PDF), _upload("setup.exe", files.EXE))
    assert response.status_code == 302
    assert not Message.objects.filter(purpose="reply").exists()
    assert not Attachment.objects.exists() and not OutboxItem.objects.exists()
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "\u201csetup.exe\u201d is not a kind of file we can attach" in page
    assert "Here is the statement we talked about." in page  # the reply box has the text back


def test_a_file_over_the_limit_is_refused_before_it_is_read(case, adviser, settings):
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 100
    _post_reply(login(adviser), case, _upload("statement.pdf", files.PDF))
    assert not Message.objects.filter(purpose="reply").exists()


def test_files_on_a_message_are_only_ever_downloads(case, adviser):
    sent = message_send(
        case=case,
        actor=adviser,
        body="Attached.",
        attachments=[AttachmentFile("photo.jpg", "", files.jpeg_with_location())],
    )
    attachment = sent.attachments.get()
    client = login(adviser)
    response = client.get(f"/cases/{case.reference}/attachments/{attachment.pk}")
    assert response.status_code == 200 and response.content == files.jpeg_with_location()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_preview_is_a_small_reencoded_picture_and_only_for_pictures(case, adviser):
    from PIL import Image

    sent = message_send(
        case=case,
        actor=adviser,
        body="Attached.",
        attachments=[
            AttachmentFile("photo.jpg", "", files.jpeg_with_location()),
            AttachmentFile("statement.pdf", "", files.PDF),
        ],
    )
    photo, pdf = sent.attachments.order_by("pk")
    client = login(adviser)
    preview = client.get(f"/cases/{case.reference}/attachments/{photo.pk}/preview")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg"
    assert preview["Content-Security-Policy"] == "default-src 'none'; sandbox"
    with Image.open(io.BytesIO(preview.content)) as image:
        assert max(image.size) <= 480 and not image.getexif()
    again = client.get(
        f"/cases/{case.reference}/attachments/{photo.pk}/preview", HTTP_IF_NONE_MATCH=preview["ETag"]
    )
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"/cases/{case.reference}/attachments/{pdf.pk}/preview").status_code == 404

    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'src="/cases/{case.reference}/attachments/{photo.pk}/preview"' in page
    assert f'href="/cases/{case.reference}/attachments/{pdf.pk}" download' in page


def test_a_customers_html_attachment_is_served_as_bytes_not_a_page(case, adviser):
    inbound = message_record_inbound(
        case=case,
        customer=case.customer,
        incoming=Incoming(
            channel="email",
            body_text="See attached",
            occurred_at=timezone.now(),
            attachments=[AttachmentFile("invoice\r\n.html", "text/html", files.HTML)],
        ),
    )
    attachment = inbound.attachments.get()
    response = login(adviser).get(f"/cases/{case.reference}/attachments/{attachment.pk}")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="invoice.html"'


def test_someone_who_cannot_see_the_case_gets_404_and_a_reader_cannot_send(
    case, adviser, other_team_adviser, assessor
):
    sent = message_send(
        case=case, actor=adviser, body="Attached.", attachments=[AttachmentFile("s.pdf", "", files.PDF)]
    )
    attachment = sent.attachments.get()
    for url in (
        f"/cases/{case.reference}/attachments/{attachment.pk}",
        f"/cases/{case.reference}/attachments/{attachment.pk}/preview",
    ):
        assert login(other_team_adviser).get(url).status_code == 404
    # An attachment of another case is not found through this one.
    other = make_case(team=case.team)
    assert login(adviser).get(f"/cases/{other.reference}/attachments/{attachment.pk}").status_code == 404
    # An assessor reads the file but cannot send one.
    assert login(assessor).get(f"/cases/{case.reference}/attachments/{attachment.pk}").status_code == 200
    _post_reply(login(assessor), case, _upload("more.pdf", files.PDF))
    assert Attachment.objects.count() == 1


def test_the_api_sends_a_reply_with_files_and_serves_them(case, adviser, assessor, other_team_adviser):
    client = api_client(adviser)
    payload = {
        "body": "Your statement is attached.",
        "version": case.version,
        "attachments": [
            {"filename": "statement.pdf", "content_base64": base64.b64encode(files.PDF).decode()}
        ],
    }
    response = client.post(
        f"/api/v1/cases/{case.reference}/replies", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    (listed,) = response.json()["attachments"]
    assert listed["filename"] == "statement.pdf" and listed["content_type"] == "application/pdf"
    url = f"/api/v1/cases/{case.reference}/attachments/{listed['id']}"
    got = api_client(assessor).get(url)
    assert got.status_code == 200 and got.content == files.PDF
    assert got["Content-Type"] == "application/octet-stream"
    assert api_client(other_team_adviser).get(url).status_code == 404
    messages = client.get(f"/api/v1/cases/{case.reference}/messages").json()["items"]
    assert [m["attachments"] for m in messages if m["purpose"] == "reply"] == [[listed]]

    case.refresh_from_db()
    refused = client.post(
        f"/api/v1/cases/{case.reference}/replies",
        {
            **payload,
            "version": case.version,
            "attachments": [{"filename": "x.pdf", "content_base64": base64.b64encode(files.EXE).decode()}],
        },
        content_type="application/json",
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "file_refused"
    not_base64 = client.post(
        f"/api/v1/cases/{case.reference}/replies",
        {**payload, "attachments": [{"filename": "x.pdf", "content_base64": "%%%"}]},
        content_type="application/json",
    )
    assert not_base64.status_code == 422
    assert (
        api_client(assessor)
        .post(f"/api/v1/cases/{case.reference}/replies", payload, content_type="application/json")
        .status_code
        == 403
    )
