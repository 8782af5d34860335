"""Producing a return: the figures for a period in the format asked, and, for a download, the record of
who produced it (services.return_produced). The pages and the API both come here, so a file downloaded
from either is the same file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from amends.core.errors import DomainError

from .documents import hos_report_pdf, self_assessment_pdf
from .models import ReturnProduced
from .periods import Period, financial_year
from .selectors import fca_return, fca_return_csv, fca_rows_out, hos_report, self_assessment
from .services import return_produced

REPORTS = ReturnProduced.Report
FORMATS = {
    REPORTS.FCA: ("csv", "json"),
    REPORTS.HOS: ("pdf", "json"),
    REPORTS.SELF_ASSESSMENT: ("pdf", "json"),
}
TYPES = {"csv": "text/csv; charset=utf-8", "pdf": "application/pdf", "json": "application/json"}


@dataclass
class Produced:
    report: str
    period: Period
    year: int
    fmt: str
    figures: Any  # what the return says, as JSON-able values (kept with the download record)
    preview: Any = None  # the selector's own result, for the page's table
    content: bytes = b""
    record: ReturnProduced | None = field(default=None)

    @property
    def content_type(self) -> str:
        return TYPES[self.fmt]

    @property
    def filename(self) -> str:
        if self.report == REPORTS.SELF_ASSESSMENT:
            return f"code-self-assessment-{self.year}-{self.year + 1}.{self.fmt}"
        name = "fca-complaints-return" if self.report == REPORTS.FCA else "complaints-performance-report"
        return f"{name}-{self.period.first:%Y-%m-%d}-to-{self.period.last:%Y-%m-%d}.{self.fmt}"


def _answers(year: int) -> list[dict]:
    return [
        {
            "section": title,
            "provision": a.provision,
            "requirement": a.text,
            "complies": a.complies,
            "how": a.how,
            "evidence": a.evidence,
            "actions": a.actions,
            "version": a.version,
        }
        for title, answers in self_assessment(year)
        for a in answers
    ]


def produce(report: str, *, period: Period, year: int, fmt: str, actor: Any = None) -> Produced:
    """The return `report` for `period` (the self-assessment: for `year`) as `fmt`. With an `actor` it is
    a download: recorded, with its figures, and audited."""
    if report not in FORMATS:
        raise DomainError("Unknown return", fields={"report": ", ".join(FORMATS)})
    if fmt not in FORMATS[report]:
        raise DomainError(f"This return comes as {' or '.join(FORMATS[report])}", fields={"format": fmt})
    produced = Produced(report=report, period=period, year=year, fmt=fmt, figures=None)
    if report == REPORTS.FCA:
        rows = fca_return(period)
        produced.preview, produced.figures = rows, fca_rows_out(period, rows)
        if fmt == "csv":
            produced.content = fca_return_csv(period, rows).encode("utf-8")
    elif report == REPORTS.HOS:
        result = hos_report(period)
        produced.preview, produced.figures = result, result.as_dict()
        if fmt == "pdf":
            produced.content = hos_report_pdf(result)
    else:
        produced.preview, produced.figures = self_assessment(year), _answers(year)
        if fmt == "pdf":
            produced.content = self_assessment_pdf(year)
    if actor is not None:
        if report == REPORTS.SELF_ASSESSMENT:
            period = financial_year(year)
        produced.record = return_produced(
            report=report, fmt=fmt, period=period, figures=produced.figures, actor=actor
        )
    return produced
