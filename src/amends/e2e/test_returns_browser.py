"""Returns in the browser: the complaints lead previews the FCA return for a past half-year, downloads it
as CSV and the annual report as PDF, and answers the Code self-assessment."""

import csv
import io
import re
from pathlib import Path

import pytest

from amends.e2e.conftest import sign_in
from amends.returns.tests import fixtures

# The returns' fixture history (built through the services, back-dated), as fixtures of this module.
book, fca_history = fixtures.book, fixtures.fca_history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_download_and_answer_the_self_assessment(live_server, page, complaints_lead, fca_history):
    from amends.returns.models import ReturnProduced, SelfAssessmentAnswer

    sign_in(page, live_server.url, complaints_lead)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Returns").click()
    page.wait_for_url(re.compile(r"/returns/"))
    page.get_by_label("Return", exact=True).select_option("fca")
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_label("To (included)").fill("2026-06-30")
    page.get_by_role("button", name="Preview").click()
    table = page.locator("#fca-figures")
    table.wait_for()
    total = table.locator("tr.total")
    assert total.locator("td").all_inner_texts()[1:] == ["1", "6", "6", "2", "3", "1", "3", "50%", "170.00"]

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "fca-complaints-return-2026-01-01-to-2026-06-30.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[-1]["closed_within_3_business_days"] == "2"

    # The annual report for a year, as PDF.
    page.get_by_label("Return", exact=True).select_option("hos")
    page.get_by_role("button", name="Preview").click()  # the same half-year: no housing complaints in it
    page.locator("#hos-figures").wait_for()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    assert Path(info.value.path()).read_bytes()[:4] == b"%PDF"
    assert list(ReturnProduced.objects.order_by("id").values_list("report", "format")) == [
        ("fca", "csv"),
        ("hos", "pdf"),
    ]

    # The self-assessment for 2025 to 2026.
    page.goto(f"{live_server.url}/returns/self-assessment/?year=2025")
    page.get_by_label("Compliance with 6.2").select_option("yes")
    page.get_by_label("How we comply with 6.2").fill(
        "Every complaint is acknowledged within five working days"
    )
    page.get_by_label("Evidence for 6.2").fill("Complaints policy section 4")
    page.get_by_role("button", name="Save self-assessment").click()
    page.get_by_text("Self-assessment saved: 1 answer changed").wait_for()
    assert page.get_by_label("How we comply with 6.2").input_value().startswith("Every complaint")
    answer = SelfAssessmentAnswer.objects.get(year=2025, provision="6.2")
    assert (answer.complies, answer.version, answer.recorded_by) == ("yes", 1, complaints_lead)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    assert info.value.suggested_filename == "code-self-assessment-2025-2026.pdf"
