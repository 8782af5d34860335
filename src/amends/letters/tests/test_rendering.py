"""A letter as the customer gets it: addressed by post (or saying it goes by email), signed by a person,
and as a PDF tagged for screen readers (PDF/UA-1)."""

import re
import zlib

import pytest

from amends.cases.tests.factories import make_case
from amends.core.services import staff_job_title_set
from amends.customers.details import AddressDetails, customer_update
from amends.letters.models import Letter
from amends.letters.services import letter_compose, letter_render_html, letter_render_pdf, letter_render_text

pytestmark = pytest.mark.django_db

DECIDED = {"decision": "upheld", "reasons": "We sent the refund late.", "remedy": "We will pay you £50."}


@pytest.fixture
def case(complaints_team):
    return make_case(team=complaints_team, name="Robin Ashby", email="robin@example.com")


def draft(case, actor, kind="final_response", fields=DECIDED):
    return letter_compose(
        case=case, kind=kind, fields=fields, required=["reference", "decision"], referral=None, actor=actor
    )


def with_addresses(customer, actor, *addresses):
    return customer_update(
        customer=customer, actor=actor, expected_version=customer.version, postal_addresses=list(addresses)
    )


def pdf_text(pdf: bytes) -> bytes:
    """The PDF's objects, with its compressed streams (object streams among them) inflated."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_letter_goes_to_the_address_for_letters(case, case_handler):
    home = AddressDetails(("Flat 2", "14 Mill Lane"), "Leeds", "ls1 4ab")
    work = AddressDetails(("Unit 9, Dock Road",), "Cardiff", "CF10 5AA", for_letters=True)
    with_addresses(case.customer, case_handler, home, work)

    html = letter_render_html(draft(case, case_handler))

    recipient = re.search(r'<address class="recipient">(.*?)</address>', html, re.S).group(1)
    assert recipient == "Robin Ashby<br>Unit 9, Dock Road<br>CARDIFF<br>CF10 5AA"
    assert "By email" not in html


def test_an_address_abroad_names_its_country(case, case_handler):
    with_addresses(case.customer, case_handler, AddressDetails(("Rue 1",), "Dublin", "D02 X285", "Ireland"))
    html = letter_render_html(draft(case, case_handler))
    assert "Rue 1<br>Dublin<br>D02 X285<br>IRELAND</address>" in html


def test_with_no_postal_address_the_letter_says_it_goes_by_email(case, case_handler):
    html = letter_render_html(draft(case, case_handler))
    assert '<span class="by-email">By email to robin@example.com</span>' in html
    assert "By email to robin@example.com" in letter_render_text(draft(case, case_handler))


def test_the_person_who_wrote_it_signs_it_with_their_job_title(case, case_handler, adviser):
    staff_job_title_set(user=case_handler, job_title="Customer Relations Manager")

    signed = letter_render_html(Letter.objects.get(pk=draft(case, case_handler).pk))
    by_role = letter_render_html(Letter.objects.get(pk=draft(case, adviser).pk))

    assert '<p class="signatory"><strong>Hal Handler</strong><br>Customer Relations Manager</p>' in signed
    assert '<p class="signatory"><strong>Ada Adviser</strong><br>Adviser</p>' in by_role
    # The organisation's own signature block still follows.
    assert signed.index("Customer Relations Manager") < signed.index("Amends demo organisation</p>\n</div>")


def test_the_pdf_is_tagged_for_screen_readers_with_its_language_and_title(case, case_handler):
    pdf = letter_render_pdf(draft(case, case_handler))

    objects = pdf_text(pdf)
    assert pdf.startswith(b"%PDF-1.7")
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects and b"/Marked true" in objects
    assert b"/Lang (en-GB)" in objects
    assert b"/DisplayDocTitle true" in objects
    title = "Our final response to your complaint – " + case.reference
    assert title.encode("utf-16-be") in objects or title.encode() in objects
    assert b"pdfuaid:part" in objects  # it says which standard it keeps to
    # Headings and paragraphs are in the structure tree, not just painted on the page.
    assert b"/S /H1" in objects and b"/S /P" in objects
