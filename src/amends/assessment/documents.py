"""A learner's portfolio as a PDF for the awarding body's external quality assurer (WeasyPrint, as the
letters and returns are: self-contained HTML, nothing fetched, tagged PDF/UA-1). Reads only.

It says plainly that the centre produced it from its own records: it is not the awarding body's document.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from .models import EvidenceChannel, Situation
from .selectors import Portfolio, decisions_by_code

PDF_VARIANT = "pdf/ua-1"
LATEST = 100


class _NoNetwork(URLFetcher):
    def fetch(self, url, headers=None):
        raise ValueError(f"A portfolio loads nothing from outside itself ({url[:100]})")


def portfolio_html(folio: Portfolio, *, produced_for: Any) -> str:
    history = decisions_by_code(folio.learner)
    decided = {i for ds in history.values() for d in ds for i in d.evidence}
    behind = [i for i in folio.evidence if i.pk in decided]
    return render_to_string(
        "assessment/portfolio_document.html",
        {
            "org_name": settings.ORGANISATION_NAME,
            "produced_at": timezone.localtime(),
            "produced_for": produced_for,
            "folio": folio,
            "learner": folio.learner,
            "history": history,
            # What every decision rests on, in full; of the rest, the latest (the xAPI export has all).
            "behind": behind,
            "latest": [i for i in folio.evidence if i.pk not in decided][:LATEST],
            "situations": Situation.choices,
            "channels": EvidenceChannel.choices,
        },
    )


def portfolio_pdf(folio: Portfolio, *, produced_for: Any) -> bytes:
    html = portfolio_html(folio, produced_for=produced_for)
    return HTML(string=html, url_fetcher=_NoNetwork(), base_url=None).write_pdf(pdf_variant=PDF_VARIANT)
