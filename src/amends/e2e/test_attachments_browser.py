"""Files from staff in the browser: a reply with a photo chosen and a PDF dropped on the box, sent as email
attachments; a refused file explained with the draft kept; a file added to the investigation's evidence."""

import base64
import re

import pytest
from django.core import mail
from django.utils import timezone

from amends.core.tests import files
from amends.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def case(complaints_team):
    from amends.cases.tests.factories import make_case

    return make_case(team=complaints_team, email="sam.okafor@example.com", summary="Meter read wrong")


def _drop(page, box_id: str, name: str, content: bytes, mime: str):
    """Drop a file on the box as a person dragging it from their desktop would: the browser's own events."""
    page.evaluate(
        """([id, name, b64, mime]) => {
          const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
          const data = new DataTransfer();
          data.items.add(new File([bytes], name, {type: mime}));
          const zone = document.getElementById(id).closest("[data-dropzone]");
          for (const type of ["dragenter", "dragover", "drop"]) {
            zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
          }
        }""",
        [box_id, name, base64.b64encode(content).decode(), mime],
    )


def _expect(page, text: str):
    try:
        page.locator(".messages").get_by_text(text).first.wait_for()
    except Exception as exc:
        raise AssertionError(
            f"expected {text!r}, the page said {page.locator('.messages').all_inner_texts()}"
        ) from exc


def test_a_reply_with_a_chosen_photo_and_a_dropped_pdf_goes_out_with_both(page, live_server, adviser, case):
    from amends.messaging.tasks import send_outbox

    photo = files.png(640, 480)
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_label("Message", exact=True).fill("Here is the photo of your meter and our letter about it.")
    box = page.get_by_label("Attach documents or photos")
    box.set_input_files([{"name": "meter.png", "mimeType": "image/png", "buffer": photo}])
    _drop(page, "reply-files", "reading.pdf", files.PDF, "application/pdf")
    chosen = page.locator(".dropzone", has=page.locator("#reply-files")).locator(".chosen").inner_text()
    assert "meter.png" in chosen and "reading.pdf" in chosen  # the dropped file joined the chosen one
    page.get_by_role("button", name="Send reply").click()
    _expect(page, "Reply sent")

    # The timeline shows the photo's preview (a picture the server made) and both as downloads.
    preview = page.locator("article.tl-message img[alt='Preview of meter.png']")
    preview.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=preview.element_handle())
    assert page.locator("article.tl-message a[download]", has_text="reading.pdf").count() == 1

    assert send_outbox(timezone.now()) == 1
    (sent,) = mail.outbox
    assert sorted((name, mime) for name, _, mime in sent.attachments) == [
        ("meter.png", "image/png"),
        ("reading.pdf", "application/pdf"),
    ]


def test_a_refused_file_is_explained_and_the_reply_kept(page, live_server, adviser, case):
    sign_in(page, live_server.url, adviser)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    page.get_by_label("Message", exact=True).fill("Please find the form attached.")
    page.get_by_label("Attach documents or photos").set_input_files(
        [{"name": "form.exe", "mimeType": "application/pdf", "buffer": files.EXE}]
    )
    page.get_by_role("button", name="Send reply").click()
    _expect(page, "\u201cform.exe\u201d is not a kind of file we can attach")
    assert page.get_by_label("Message", exact=True).input_value() == "Please find the form attached."
    assert not mail.outbox


def test_an_evidence_photo_on_the_investigation(page, live_server, case_handler, case):
    from amends.process.services import process_start

    process_start(case=case, regime_code="hos-2024", actor=case_handler)
    sign_in(page, live_server.url, case_handler)
    page.goto(f"{live_server.url}/cases/{case.reference}/")
    step = page.locator("details.step", has=page.locator("summary", has_text="2. Investigation")).first
    step.evaluate("el => { el.open = true; }")
    step.get_by_label("Kind").select_option("photo")
    step.get_by_label("What it shows").fill("The meter reads 04512, not 45120")
    step.get_by_label("Evidence files (documents, photos)").set_input_files(
        [{"name": "meter.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg_with_location(800, 600)}]
    )
    step.get_by_role("button", name="Add evidence").click()
    _expect(page, "Evidence added")
    page.wait_for_url(re.compile(r"#process$"))
    step = page.locator("details.step", has=page.locator("summary", has_text="2. Investigation")).first
    step.evaluate("el => { el.open = true; }")
    assert step.locator("ul.evidence a[download]", has_text="meter.jpg").count() == 1
    assert step.locator("img[alt='Preview of meter.jpg']").count() == 1
