"""Turning a Letter into HTML (Django templates) and PDF (WeasyPrint). Reads only: services decide when.

The same templates give the letter as a document (`letters/document.html`: the frozen HTML, the email's
text and the PDF, tagged for screen readers as PDF/UA-1) and as a sheet on the case page beside its form
(`letters/sheet.html`: the preview, styled by the UI's stylesheet).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from amends.customers.models import PostalAddress
from amends.messaging.services import customer_email

from . import elements
from .models import Letter, TextBlock, current_blocks

ORG_BLOCKS = ("org.contact_details", "org.signature")
LAYOUTS = {"document": "letters/document.html", "sheet": "letters/sheet.html"}
# The letter's heading levels: its own in the document; under the case page's in the sheet, which sits in
# the page's "4. Letters" step (a second h1 would make the page's outline wrong).
HEADINGS = {"document": ("h1", "h2"), "sheet": ("h3", "h4")}
# Tagged PDF for screen readers (ISO 14289-1): the structure tree, the document's language and title.
PDF_VARIANT = "pdf/ua-1"


def block_codes(letter: Letter) -> list[str]:
    """Every text block a letter may show: the regime's required blocks and the organisation's own."""
    return list(dict.fromkeys([*elements.required_block_codes(letter.required_elements), *ORG_BLOCKS]))


def letter_blocks(letter: Letter, at: datetime | None = None) -> dict[str, TextBlock]:
    return current_blocks(block_codes(letter), at)


def element_context(letter: Letter, blocks: dict[str, TextBlock]) -> dict:
    """What elements.find_missing needs besides the fields: the case, the referral and block titles."""
    return {
        "reference": letter.case.reference,
        "complaint_summary": letter.case.summary,
        "referral": letter.referral,
        "final_position_label": elements.DEFAULT_FINAL_POSITION_LABELS.get(letter.kind, ""),
        "block_titles": {code: block.title for code, block in blocks.items()},
    }


def find_missing(letter: Letter, blocks: dict[str, TextBlock]) -> dict[str, str]:
    bodies = {code: block.body for code, block in blocks.items()}
    return elements.find_missing(
        letter.required_elements, letter.fields, bodies, element_context(letter, blocks)
    )


def _address_lines(letter: Letter) -> list[str]:
    """The customer's address for letters (else their first) as an envelope shows it; [] for none."""
    address = PostalAddress.objects.filter(customer_id=letter.case.customer_id).first()  # for letters first
    return address.block_lines() if address is not None else []


def _signatory(letter: Letter) -> dict[str, str] | None:
    """Who signs the letter: the person who drafted it, by name and job title (or role)."""
    user = letter.created_by
    if user is None:
        return None
    staff = getattr(user, "staff", None)
    return {"name": user.get_full_name() or user.get_username(), "title": staff.title if staff else ""}


def _values(letter: Letter, context: dict) -> dict[str, str]:
    values = {name: elements.element_value(name, letter.fields, context) for name in elements.FIELD_NAMES}
    values["reference"] = context["reference"]
    if values["decision"]:
        values["decision"] = elements.decision_words(values["decision"])
    if values["new_date"]:
        values["new_date"] = elements.date_words(values["new_date"])
    return values


def render_context(
    letter: Letter, blocks: dict[str, TextBlock], *, at: datetime, draft: bool, layout: str = "document"
) -> dict:
    context = element_context(letter, blocks)
    address_lines = _address_lines(letter)
    values = _values(letter, context)
    required = letter.required_elements
    shown_blocks = []
    for code in elements.required_block_codes(required):
        block = blocks.get(code)
        shown_blocks.append(
            {
                "code": code,
                "title": block.title if block else code,
                "body": block.body.strip() if block else "",
            }
        )
    contact_block = blocks.get("org.contact_details")
    signature_block = blocks.get("org.signature")
    referral = letter.referral or {}
    return {
        "layout": LAYOUTS[layout],
        "h1": HEADINGS[layout][0],
        "h2": HEADINGS[layout][1],
        "letter": letter,
        "draft": draft,
        "missing": list(find_missing(letter, blocks).values()) if draft else [],
        "org_name": settings.ORGANISATION_NAME,
        "letter_date": timezone.localtime(at).date(),
        "customer_name": letter.case.customer.name,
        "address_lines": address_lines,
        # No postal address: the letter says it goes by email, and to where.
        "email_to": "" if address_lines else (customer_email(letter.case.customer) or ""),
        "signatory": _signatory(letter),
        "reference": context["reference"],
        "subject": elements.KIND_SUBJECTS[letter.kind],
        "values": values,
        "blocks": shown_blocks,
        "contact_details": values["contact_details"] or (contact_block.body.strip() if contact_block else ""),
        "signature": signature_block.body.strip() if signature_block else "",
        "show_referral": "referral_rights" in required and elements.referral_complete(referral),
        "referral": referral,
        "referral_link": str(referral.get("website", "")).startswith(("https://", "http://")),
    }


def used_block_versions(letter: Letter, blocks: dict[str, TextBlock]) -> dict[str, int]:
    """Code -> version of every block the rendered letter shows."""
    used = elements.required_block_codes(letter.required_elements) + ["org.signature"]
    if not elements.element_value("contact_details", letter.fields, {}):
        used.append("org.contact_details")
    return {code: blocks[code].version for code in dict.fromkeys(used) if code in blocks}


def render_html(
    letter: Letter, blocks: dict[str, TextBlock], *, at: datetime, draft: bool, layout: str = "document"
) -> str:
    context = render_context(letter, blocks, at=at, draft=draft, layout=layout)
    return render_to_string(f"letters/kinds/{letter.kind}.html", context)


class _NoNetwork(URLFetcher):
    """A letter is self-contained: nothing it renders may reach a file or the network."""

    def fetch(self, url, headers=None):
        raise ValueError(f"Letters load nothing from outside the letter ({url[:100]})")


def render_pdf(html: str) -> bytes:
    """The letter's PDF, tagged (PDF/UA-1) so a screen reader reads it in order, in English, by its title."""
    return HTML(string=html, url_fetcher=_NoNetwork(), base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
