"""Files staff add in the process: evidence files on the investigation, documents enclosed with a letter
and sent with its email. Each as on the page, so over the API; checked, refused whole, served as downloads."""

from __future__ import annotations

import base64
import email

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amends.cases.models import CaseEvent
from amends.conftest import api_client, login
from amends.core.errors import Conflict
from amends.core.files import AttachmentFile
from amends.core.tests import files
from amends.letters.models import Letter, LetterEnclosure
from amends.letters.services import letter_enclose
from amends.messaging.models import Attachment
from amends.messaging.selectors import case_timeline
from amends.messaging.tasks import send_outbox
from amends.process.letters import process_compose_letter
from amends.process.models import EvidenceFile, EvidenceItem
from amends.process.services import process_send_letter, process_start

pytestmark = pytest.mark.django_db


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


@pytest.fixture
def investigated(complaint, case_handler):
    process_start(case=complaint, regime_code="hos-2024", actor=case_handler)
    return complaint


def test_evidence_files_are_kept_with_the_evidence_and_named_on_the_timeline(investigated, case_handler):
    photo = files.jpeg_with_location()
    client = login(case_handler)
    client.post(
        f"/cases/{investigated.reference}/process/evidence",
        {
            "kind": "photo",
            "description": "Damp in the bedroom",
            "files": [_upload("bedroom.jpg", photo), _upload("report.pdf", files.PDF)],
        },
    )
    item = EvidenceItem.objects.get(case=investigated)
    stored = list(item.files.order_by("pk").values_list("filename", "content_type", "size"))
    assert stored == [
        ("bedroom.jpg", "image/jpeg", len(photo)),
        ("report.pdf", "application/pdf", len(files.PDF)),
    ]
    timeline, _ = case_timeline(investigated)
    assert "Evidence added: bedroom.jpg, report.pdf" in [i.text for i in timeline]

    image, pdf = item.files.order_by("pk")
    page = client.get(f"/cases/{investigated.reference}/").content.decode()
    assert f'src="/cases/{investigated.reference}/evidence/{image.pk}/preview"' in page
    download = client.get(f"/cases/{investigated.reference}/evidence/{pdf.pk}")
    assert (
        download.content == files.PDF
        and download["Content-Disposition"] == 'attachment; filename="report.pdf"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    preview = client.get(f"/cases/{investigated.reference}/evidence/{image.pk}/preview")
    assert preview.status_code == 200 and preview["Content-Type"] == "image/jpeg" and preview.content != photo


def test_evidence_with_a_refused_file_is_not_added_at_all(investigated, case_handler):
    events = CaseEvent.objects.count()
    response = login(case_handler).post(
        f"/cases/{investigated.reference}/process/evidence",
        {"kind": "document", "description": "Statement", "files": [_upload("statement.exe", files.PDF)]},
    )
    assert response.status_code == 302
    assert not EvidenceItem.objects.exists() and not EvidenceFile.objects.exists()
    assert CaseEvent.objects.count() == events


def test_evidence_files_over_the_api(investigated, case_handler):
    url = f"/api/v1/cases/{investigated.reference}/process/evidence"
    body = {
        "kind": "document",
        "description": "Statement",
        "files": [{"filename": "statement.pdf", "content_base64": _b64(files.PDF)}],
    }
    out = api_client(case_handler).post(url, body, content_type="application/json")
    assert out.status_code == 200, out.content
    (evidence,) = out.json()["evidence"]
    assert [(f["filename"], f["content_type"]) for f in evidence["files"]] == [
        ("statement.pdf", "application/pdf")
    ]


def test_readers_cannot_add_evidence_files_and_other_teams_cannot_fetch_them(
    investigated, case_handler, assessor, other_team_adviser
):
    login(assessor).post(
        f"/cases/{investigated.reference}/process/evidence",
        {"kind": "document", "description": "Mine", "files": [_upload("a.pdf", files.PDF)]},
    )
    api = api_client(assessor).post(
        f"/api/v1/cases/{investigated.reference}/process/evidence",
        {
            "kind": "document",
            "description": "Mine",
            "files": [{"filename": "a.pdf", "content_base64": _b64(files.PDF)}],
        },
        content_type="application/json",
    )
    assert api.status_code == 403 and not EvidenceItem.objects.exists()
    login(case_handler).post(
        f"/cases/{investigated.reference}/process/evidence",
        {"kind": "document", "description": "Ours", "files": [_upload("a.pdf", files.PDF)]},
    )
    stored = EvidenceFile.objects.get()
    assert login(assessor).get(f"/cases/{investigated.reference}/evidence/{stored.pk}").status_code == 200
    for url in (
        f"/cases/{investigated.reference}/evidence/{stored.pk}",
        f"/cases/{investigated.reference}/evidence/{stored.pk}/preview",
    ):
        assert login(other_team_adviser).get(url).status_code == 404


@pytest.fixture
def draft(investigated, case_handler):
    return process_compose_letter(
        case=investigated,
        kind="holding",
        actor=case_handler,
        fields={"delay_reasons": "Awaiting a report", "new_date": "2026-12-18"},
    )


def test_documents_enclosed_with_a_letter_go_with_its_email(draft, investigated, case_handler):
    photo = files.png()
    response = login(case_handler).post(
        f"/cases/{investigated.reference}/process/enclose",
        {
            "letter": draft.pk,
            "version": draft.version,
            "files": [_upload("surveyor.pdf", files.PDF), _upload("roof.png", photo)],
        },
    )
    assert response.status_code == 302
    assert list(LetterEnclosure.objects.values_list("filename", flat=True)) == ["surveyor.pdf", "roof.png"]
    draft.refresh_from_db()
    assert draft.version == 2  # enclosing is a change of the draft: an editor who read version 1 is told
    process_send_letter(letter=draft, actor=case_handler, by="email")
    assert send_outbox(timezone.now()) >= 1
    from django.core import mail

    sent = next(m for m in mail.outbox if "roof.png" in [a[0] for a in m.attachments])
    parsed = email.message_from_bytes(sent.message().as_bytes())
    parts = {
        p.get_filename(): (p.get_content_type(), p.get_payload(decode=True))
        for p in parsed.walk()
        if p.get_filename()
    }
    assert parts["surveyor.pdf"] == ("application/pdf", files.PDF) and parts["roof.png"] == (
        "image/png",
        photo,
    )
    assert any(name.endswith("-holding.pdf") for name in parts)  # the letter itself
    assert "with the documents we enclose (surveyor.pdf; and roof.png)" in sent.body
    letter = Letter.objects.get(pk=draft.pk)
    assert Attachment.objects.filter(message=letter.message).count() == 3


def test_an_enclosure_is_taken_out_of_a_draft_and_a_sent_letter_is_frozen(draft, investigated, case_handler):
    (enclosure,) = letter_enclose(
        letter=draft, files=[AttachmentFile("a.pdf", "", files.PDF)], actor=case_handler, expected_version=1
    )
    with pytest.raises(Conflict):  # read before the enclosure was added
        letter_enclose(
            letter=draft,
            files=[AttachmentFile("b.pdf", "", files.PDF)],
            actor=case_handler,
            expected_version=1,
        )
    login(case_handler).post(
        f"/cases/{investigated.reference}/process/remove-enclosure",
        {"letter": draft.pk, "enclosure": enclosure.pk, "version": 2},
    )
    assert not LetterEnclosure.objects.exists()
    process_send_letter(letter=draft, actor=case_handler, by="print")
    with pytest.raises(Conflict, match="already"):
        letter_enclose(letter=draft, files=[AttachmentFile("c.pdf", "", files.PDF)], actor=case_handler)


def test_enclosures_together_stay_within_one_emails_limit(draft, case_handler, settings):
    settings.AMENDS_ATTACHMENTS_MAX_TOTAL_BYTES = len(files.PDF) * 2 + 10
    letter_enclose(letter=draft, files=[AttachmentFile("a.pdf", "", files.PDF)] * 2, actor=case_handler)
    from amends.core.errors import InputTooLarge

    with pytest.raises(InputTooLarge):
        letter_enclose(letter=draft, files=[AttachmentFile("b.pdf", "", files.PDF)], actor=case_handler)
    assert LetterEnclosure.objects.count() == 2


def test_enclosures_over_the_api_and_their_downloads(draft, investigated, case_handler, other_team_adviser):
    base = f"/api/v1/cases/{investigated.reference}/process/letters/enclosures"
    body = {
        "letter": draft.pk,
        "version": 1,
        "files": [{"filename": "plan.pdf", "content_base64": _b64(files.PDF)}],
    }
    out = api_client(case_handler).post(base, body, content_type="application/json")
    assert out.status_code == 200, out.content
    (letter,) = out.json()["letters"]
    (enclosed,) = letter["enclosures"]
    assert enclosed["filename"] == "plan.pdf" and letter["version"] == 2
    url = f"/cases/{investigated.reference}/letters/{draft.pk}/enclosures/{enclosed['id']}"
    assert login(case_handler).get(url).content == files.PDF
    assert login(other_team_adviser).get(url).status_code == 404
    stale = api_client(case_handler).post(base, body, content_type="application/json")
    assert stale.status_code == 409
    removed = api_client(case_handler).post(
        f"{base}/remove",
        {"letter": draft.pk, "enclosure": enclosed["id"], "version": 2},
        content_type="application/json",
    )
    assert removed.status_code == 200 and removed.json()["letters"][0]["enclosures"] == []
