"""The Housing Ombudsman annual complaints performance and service improvement report for a fixture year
matches figures computed by hand; it renders as a PDF that says whose document it is."""

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest

from amends.returns.documents import (
    hos_report_html,
    hos_report_pdf,
    self_assessment_html,
    self_assessment_pdf,
)
from amends.returns.periods import Period, financial_year
from amends.returns.selectors import hos_report, improvements_in, self_assessment

pytestmark = pytest.mark.django_db

YEAR = financial_year(2025)


def test_the_report_matches_the_figures_worked_by_hand(hos_history):
    report = hos_report(YEAR)
    s1, s2 = report.stage1, report.stage2
    assert (s1.received, s1.responded, s1.within_timescale, s1.extended) == (4, 3, 2, 1)
    assert s1.outcomes == {"Upheld": 1, "Not upheld": 1, "Partly upheld": 1}
    # H1 2 Jun -> 9 Jun: 5 working days; H2 7 Jul -> 4 Aug: 20; H3 2 Mar -> 25 Mar: 17. 42 / 3 = 14.0
    assert s1.mean_working_days == Decimal("14.0")
    assert s1.within_share == Decimal("0.6667")
    assert (s2.received, s2.responded, s2.within_timescale, s2.extended) == (1, 1, 1, 0)
    assert s2.outcomes == {"Partly upheld": 1}
    # 12 Aug -> 3 Sep 2025, the August bank holiday (25th) not counted: 15 working days
    assert s2.mean_working_days == Decimal("15.0")
    assert report.referred_to_ombudsman == 1
    assert report.themes == [("Repairs", 2), ("Anti-social behaviour", 1), ("Rent and service charges", 1)]
    assert report.root_causes == [
        ("Process: Delay or backlog", 2),
        ("People: Staff error", 1),
        ("Third parties: Contractor or supplier failure", 1),
    ]
    assert report.redress_gbp == Decimal("100")
    assert report.improvements == [] == improvements_in(YEAR)


def test_the_next_year_counts_what_came_after(hos_history):
    report = hos_report(financial_year(2026))
    assert (report.stage1.received, report.stage1.responded, report.stage1.within_timescale) == (0, 1, 1)
    assert report.stage1.outcomes == {"Upheld": 1}


def _boxes(box):
    if getattr(box, "text", None):
        yield box.text
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _pdf_text(pdf: bytes, html: str, tmp_path) -> str:
    """The PDF's text by pdftotext when installed, else the text of the pages WeasyPrint laid out from the
    same HTML (the document the PDF is written from). Spaces normalised."""
    if shutil.which("pdftotext"):
        path = tmp_path / "report.pdf"
        path.write_bytes(pdf)
        tool = shutil.which("pdftotext")
        text = subprocess.run([tool, "-layout", str(path), "-"], capture_output=True, text=True).stdout  # noqa: S603
    else:
        from weasyprint import HTML

        document = HTML(string=html).render()
        text = " ".join(t for page in document.pages for t in _boxes(page._page_box))
    return " ".join(text.split())


def test_the_report_renders_as_a_pdf_with_its_figures(hos_history, tmp_path, settings):
    settings.ORGANISATION_NAME = "Riverside Homes"
    report = hos_report(YEAR)
    pdf = hos_report_pdf(report)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, hos_report_html(report), tmp_path)
    assert "Riverside Homes: annual complaints performance and service improvement report" in text
    assert "not a document of the Housing Ombudsman Service" in text
    assert "Process: Delay or backlog 2" in text
    assert "Responses sent 3 1" in text
    assert "Responses within the Code's timescale 2 1" in text
    assert "Share within the timescale 67% 100%" in text
    assert "£100.00" in text


def test_the_self_assessment_renders_every_provision(complaints_lead, tmp_path):
    from amends.returns.services import self_assessment_save

    self_assessment_save(
        year=2025,
        answers={
            "6.2": {
                "complies": "yes",
                "how": "Acknowledged within five working days",
                "evidence": "Policy 4.1",
            }
        },
        actor=complaints_lead,
    )
    sections = self_assessment(2025)
    assert len(sections) == 9
    answered = [a for _, answers in sections for a in answers if a.complies]
    assert [(a.provision, a.complies, a.version) for a in answered] == [("6.2", "yes", 1)]
    pdf = self_assessment_pdf(2025)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, self_assessment_html(2025), tmp_path)
    assert "Acknowledged within five working days" in text
    assert "not the Ombudsman's self-assessment form" in text
    assert "Not yet answered" in text


def test_periods_are_checked():
    from amends.returns.periods import PeriodError

    with pytest.raises(PeriodError):
        Period(date(2026, 7, 1), date(2026, 6, 30))
    with pytest.raises(PeriodError):
        Period(date(2020, 1, 1), date(2026, 6, 30))


def test_the_improvements_made_in_the_year_as_they_stood_at_its_end(team_leader, case_handler):
    """An action past Plan in the year is in the report with its stage then; one only planned is not; a
    later stage does not change the past year's report."""
    import time_machine

    from amends.improvement import services as improvement
    from amends.improvement.services import ActionPlan
    from amends.returns.periods import LONDON

    def plan(title: str) -> ActionPlan:
        return ActionPlan(
            title=title,
            change="Advisers call the customer back within two days when a refund is late",
            owner_id=case_handler.pk,
            due_date=date(2026, 2, 27),
            before_start=date(2025, 10, 1),
            before_end=date(2025, 12, 31),
            after_start=date(2026, 2, 1),
            after_end=date(2026, 2, 28),
            root_causes=("delay",),
        )

    with time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=LONDON), tick=False):
        made = improvement.action_plan(actor=team_leader, plan=plan("Ring before a refund is late"))
        improvement.action_do(action=made, actor=case_handler, note="Script changed")
        improvement.action_plan(actor=team_leader, plan=plan("Only an idea so far"))
    with time_machine.travel(datetime(2026, 4, 20, 10, tzinfo=LONDON), tick=False):
        improvement.action_check(action=made, actor=case_handler)

    expected = [
        {"title": "Ring before a refund is late", "cause": "Delay or backlog", "stage": "Do", "outcome": ""}
    ]
    assert improvements_in(YEAR) == expected == hos_report(YEAR).improvements
    assert improvements_in(financial_year(2026))[0]["stage"] == "Check"
