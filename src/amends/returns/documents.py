"""The Housing Ombudsman annual report and the Code self-assessment as PDF documents (WeasyPrint, as the
letters are: self-contained HTML, nothing fetched, tagged PDF/UA-1 for screen readers). Reads only.

Each document says plainly that the organisation prepared it: it is never presented as the Ombudsman's own
document or form.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .hos_code import EVIDENCE_WORDS
from .selectors import HosReport, self_assessment

PDF_VARIANT = "pdf/ua-1"


class _NoNetwork(URLFetcher):
    def fetch(self, url, headers=None):
        raise ValueError(f"Reports load nothing from outside the report ({url[:100]})")


def render_pdf(html: str) -> bytes:
    return HTML(string=html, url_fetcher=_NoNetwork(), base_url=None).write_pdf(pdf_variant=PDF_VARIANT)


def _common(at: datetime | None) -> dict:
    return {
        "org_name": settings.ORGANISATION_NAME,
        "produced_on": timezone.localtime(at or timezone.now()).date(),
    }


def hos_report_html(report: HosReport, *, at: datetime | None = None) -> str:
    return render_to_string("returns/hos_report_document.html", {**_common(at), "report": report})


def hos_report_pdf(report: HosReport, *, at: datetime | None = None) -> bytes:
    return render_pdf(hos_report_html(report, at=at))


def self_assessment_html(year: int, *, as_at: datetime | None = None, at: datetime | None = None) -> str:
    return render_to_string(
        "returns/self_assessment_document.html",
        {
            **_common(at),
            "year": year,
            "year_label": f"{year} to {year + 1}",
            "sections": self_assessment(year, as_at=as_at),
            "evidence_words": EVIDENCE_WORDS,
        },
    )


def self_assessment_pdf(year: int, *, as_at: datetime | None = None, at: datetime | None = None) -> bytes:
    return render_pdf(self_assessment_html(year, as_at=as_at, at=at))
