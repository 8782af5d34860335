"""The returns pages: choose a return and a period, preview its figures, download it (CSV or PDF, each
download recorded); answer the Code self-assessment; map our products and root causes to the return's."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError
from amends.core.permissions import can_edit_self_assessment, can_produce_returns
from amends.core.web import report, staff_required

from . import mapping
from .hos_code import EVIDENCE_WORDS, PROVISIONS
from .models import ReturnProduced, SelfAssessmentAnswer
from .periods import PeriodError, last_half_year, last_twelve_months, parse
from .produce import Produced, produce
from .selectors import known_products, mappings, self_assessment, self_assessment_versions
from .services import return_mapping_set, self_assessment_save

REPORTS = ReturnProduced.Report


def _allowed(request) -> None:
    if not can_produce_returns(request.user):
        raise Http404("Only complaints leads and administrators produce returns")


def _default_period(report_code: str, today: date):
    return last_half_year(today) if report_code == REPORTS.FCA else last_twelve_months(today)


def _year(value: str | None, today: date) -> int:
    default = today.year - 1 if today.month < 4 else today.year
    try:
        year = int(value) if value else default
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


@staff_required
def returns_page(request):
    """Choose a return and a period; the preview shows the figures the download gives."""
    _allowed(request)
    today = timezone.localdate()
    report_code = request.GET.get("report") or REPORTS.FCA
    if report_code not in REPORTS.values:
        report_code = REPORTS.FCA
    default = _default_period(report_code, today)
    year = _year(request.GET.get("year"), today)
    error = ""
    try:
        period = parse(request.GET.get("first"), request.GET.get("last"), default)
    except PeriodError as exc:
        error, period = str(exc), default
    preview = None
    if request.GET.get("preview") and not error:
        preview = produce(report_code, period=period, year=year, fmt="json")
    query = {
        "report": report_code,
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "year": year,
    }
    products, causes = mappings()
    return render(
        request,
        "returns/returns.html",
        {
            "reports": REPORTS.choices,
            "report": report_code,
            "period": period,
            "year": year,
            "error": error,
            "preview": preview,
            "download_query": urlencode(query),
            "formats": ["csv"] if report_code == REPORTS.FCA else ["pdf"],
            "editor": can_edit_self_assessment(request.user),
            "products": [(p, mapping.product_group(p, products), p in products) for p in known_products()],
            "product_groups": mapping.PRODUCT_GROUPS,
            "cause_overrides": sorted(causes.items()),
            "causes": (*mapping.CAUSES, mapping.NO_CAUSE),
            "recent": ReturnProduced.objects.select_related("produced_by").order_by("-produced_at", "-id")[
                :10
            ],
        },
    )


@staff_required
def returns_download(request):
    """The return as a file: the CSV (FCA) or the PDF (the annual report, the self-assessment). Every
    download is recorded with the figures it gave (who, which, which period)."""
    _allowed(request)
    today = timezone.localdate()
    report_code = request.GET.get("report", "")
    if report_code not in REPORTS.values:
        raise Http404("No such return")
    fmt = request.GET.get("format") or ("csv" if report_code == REPORTS.FCA else "pdf")
    try:
        period = parse(request.GET.get("first"), request.GET.get("last"), _default_period(report_code, today))
        produced = produce(
            report_code,
            period=period,
            year=_year(request.GET.get("year"), today),
            fmt=fmt,
            actor=request.user,
        )
    except (PeriodError, DomainError) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
        return redirect(reverse("returns") + "?" + urlencode({"report": report_code}))
    return file_response(produced)


def file_response(produced: Produced) -> HttpResponse:
    response = HttpResponse(produced.content, content_type=produced.content_type)
    response["Content-Disposition"] = content_disposition_header(True, produced.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
def self_assessment_page(request):
    """The Code self-assessment for a year: every provision with our answer; complaints leads and
    administrators change the answers (each change a new version, audited)."""
    _allowed(request)
    year = _year(request.GET.get("year") or request.POST.get("year"), timezone.localdate())
    editor = can_edit_self_assessment(request.user)
    if request.method == "POST":
        if not editor:
            raise Http404
        versions = self_assessment_versions(year)
        answers = {
            p.code: {
                "complies": request.POST.get(f"complies-{p.code}", ""),
                "how": request.POST.get(f"how-{p.code}", ""),
                "evidence": request.POST.get(f"evidence-{p.code}", ""),
                "actions": request.POST.get(f"actions-{p.code}", ""),
                "version": request.POST.get(f"version-{p.code}", versions.get(p.code, 0)),
            }
            for p in PROVISIONS
            if f"complies-{p.code}" in request.POST
        }
        try:
            saved = self_assessment_save(year=year, answers=answers, actor=request.user)
            messages.success(
                request, f"Self-assessment saved: {len(saved)} answer{'' if len(saved) == 1 else 's'} changed"
            )
        except (DomainError, ValueError) as exc:
            if isinstance(exc, DomainError):
                report(request, exc)
            else:
                messages.error(request, "A version number was not a number: reload the page")
        return redirect(reverse("self_assessment") + f"?year={year}")
    return render(
        request,
        "returns/self_assessment.html",
        {
            "year": year,
            "year_label": f"{year} to {year + 1}",
            "sections": self_assessment(year),
            "complies": SelfAssessmentAnswer.Complies.choices,
            "editor": editor,
            "evidence_words": EVIDENCE_WORDS,
            "download_query": urlencode({"report": REPORTS.SELF_ASSESSMENT, "year": year, "format": "pdf"}),
        },
    )


@require_POST
@staff_required
def mapping_save(request):
    """Count one of our products (or root causes) under one of the return's groupings (or causes)."""
    _allowed(request)
    if not can_edit_self_assessment(request.user):
        raise Http404
    try:
        return_mapping_set(
            kind=request.POST.get("kind", ""),
            key=request.POST.get("key", ""),
            value=request.POST.get("value", ""),
            actor=request.user,
        )
        messages.success(request, "Mapping saved: the next return counts it so")
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("returns") + "?" + urlencode({"report": REPORTS.FCA}) + "#mapping")
