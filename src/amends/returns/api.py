"""The returns over the API: the same figures and files as the returns page, each produced one recorded
(who produced which return for which period), for complaints leads and administrators."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator, WithJsonSchema

from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.permissions import can_produce_returns, require

from .models import ReturnProduced
from .periods import PeriodError, last_half_year, last_twelve_months, parse
from .produce import produce
from .selectors import FCA_COLUMNS, mappings
from .services import return_mapping_set, self_assessment_save

router = Router(tags=["returns"])

ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _written_as_a_date(value: object) -> object:
    """A day as YYYY-MM-DD (pydantic alone also reads a number as seconds since 1970)."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DATE.match(value)):
        return value
    raise ValueError("must be a date, like 2026-06-30")


Day = Annotated[
    date,
    BeforeValidator(_written_as_a_date),
    WithJsonSchema(
        {"type": "string", "format": "date", "pattern": r"^(19[7-9][0-9]|2[01][0-9][0-9])-[0-9]{2}-[0-9]{2}$"}
    ),
]
REPORTS = ReturnProduced.Report


class ReturnPeriodQuery(Schema):
    first: Day | None = Field(None, description="The period's first day (default: the last complete one)")
    last: Day | None = Field(None, description="The period's last day, included")


class ReturnYearQuery(Schema):
    year: int = Field(
        ..., ge=2000, le=2100, description="The reporting year, named by the year it starts in (April)"
    )


class FcaReturnOut(Schema):
    period_start: date
    period_end: date
    columns: list[str]
    rows: list[dict[str, str]]


class SelfAssessmentAnswerIn(Schema):
    complies: str = Field("", description="yes, partly or no")
    how: str = ""
    evidence: str = ""
    actions: str = ""
    version: int | None = Field(
        None, description="The answer's version you read (0: none); refused if changed"
    )


class SelfAssessmentIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    answers: dict[str, SelfAssessmentAnswerIn] = Field(
        default_factory=dict, description="Provision code -> answer"
    )


class ReturnMappingIn(Schema):
    kind: str = Field(..., description="product or cause")
    key: str = Field("", max_length=100, description="Our product, or a root cause's code")
    value: str = Field(
        "", max_length=100, description="The return's product group or cause; empty: the default"
    )


class ReturnMappingOut(Schema):
    products: dict[str, str]
    causes: dict[str, str]


def _period(report: str, query: ReturnPeriodQuery):
    today = timezone.localdate()
    default = last_half_year(today) if report == REPORTS.FCA else last_twelve_months(today)
    try:
        return parse(query.first, query.last, default)
    except PeriodError as exc:
        raise DomainError(str(exc), fields={"period": str(exc)}) from exc


def _allowed(user) -> None:
    require(can_produce_returns(user), "Only complaints leads and administrators produce returns")


def _file(produced) -> HttpResponse:
    response = HttpResponse(produced.content, content_type=produced.content_type)
    response["Content-Disposition"] = content_disposition_header(True, produced.filename)
    return response


def _binary(description: str, media: str) -> dict:
    return {
        "responses": {
            "200": {
                "description": description,
                "content": {media: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/returns/fca",
    response={200: FcaReturnOut, **errors(400, 403, 422)},
    summary="The FCA complaints return's figures for a period (default: the last complete half-year)",
)
def fca(request, query: Query[ReturnPeriodQuery]):
    _allowed(request.auth)
    period = _period(REPORTS.FCA, query)
    produced = produce(REPORTS.FCA, period=period, year=period.first.year, fmt="json", actor=request.auth)
    return {
        "period_start": period.first,
        "period_end": period.last,
        "columns": list(FCA_COLUMNS),
        "rows": produced.figures,
    }


@router.get(
    "/returns/fca.csv",
    response={**errors(400, 403, 422)},
    summary="The FCA complaints return as CSV (columns in docs/design/returns.md)",
    openapi_extra=_binary("The return as CSV", "text/csv"),
)
def fca_csv(request, query: Query[ReturnPeriodQuery]):
    _allowed(request.auth)
    period = _period(REPORTS.FCA, query)
    return _file(produce(REPORTS.FCA, period=period, year=period.first.year, fmt="csv", actor=request.auth))


@router.get(
    "/returns/hos",
    response={200: dict, **errors(400, 403, 422)},
    summary="The Housing Ombudsman annual complaints performance and service improvement report's figures",
)
def hos(request, query: Query[ReturnPeriodQuery]):
    _allowed(request.auth)
    period = _period(REPORTS.HOS, query)
    return produce(REPORTS.HOS, period=period, year=period.first.year, fmt="json", actor=request.auth).figures


@router.get(
    "/returns/hos.pdf",
    response={**errors(400, 403, 422)},
    summary="The annual complaints performance and service improvement report as PDF",
    openapi_extra=_binary("The report as PDF", "application/pdf"),
)
def hos_pdf(request, query: Query[ReturnPeriodQuery]):
    _allowed(request.auth)
    period = _period(REPORTS.HOS, query)
    return _file(produce(REPORTS.HOS, period=period, year=period.first.year, fmt="pdf", actor=request.auth))


@router.get(
    "/returns/self-assessment",
    response={200: list[dict], **errors(403, 422)},
    summary="The Code self-assessment's provisions and our answers for a year",
)
def self_assessment_get(request, query: Query[ReturnYearQuery]):
    _allowed(request.auth)
    period = last_twelve_months(timezone.localdate())
    return produce(
        REPORTS.SELF_ASSESSMENT, period=period, year=query.year, fmt="json", actor=request.auth
    ).figures


@router.get(
    "/returns/self-assessment.pdf",
    response={**errors(403, 422)},
    summary="The Code self-assessment for a year as PDF",
    openapi_extra=_binary("The self-assessment as PDF", "application/pdf"),
)
def self_assessment_pdf(request, query: Query[ReturnYearQuery]):
    _allowed(request.auth)
    period = last_twelve_months(timezone.localdate())
    return _file(
        produce(REPORTS.SELF_ASSESSMENT, period=period, year=query.year, fmt="pdf", actor=request.auth)
    )


@router.put(
    "/returns/self-assessment",
    response={200: list[dict], **errors(400, 403, 409, 413, 422)},
    summary="Answer provisions of the Code self-assessment for a year (each change a new version, audited)",
)
def self_assessment_put(request, payload: SelfAssessmentIn):
    saved = self_assessment_save(
        year=payload.year, answers={k: v.model_dump() for k, v in payload.answers.items()}, actor=request.auth
    )
    return [{"provision": a.provision, "version": a.version, "complies": a.complies} for a in saved]


@router.get(
    "/returns/mapping",
    response={200: ReturnMappingOut, **errors(403)},
    summary="Our own product and cause mapping",
)
def mapping_get(request):
    _allowed(request.auth)
    products, causes = mappings()
    return {"products": products, "causes": causes}


@router.put(
    "/returns/mapping",
    response={200: ReturnMappingOut, **errors(400, 403, 413, 422)},
    summary="Count one of our products (or root causes) under a product group (or cause) of the FCA return",
)
def mapping_put(request, payload: ReturnMappingIn):
    return_mapping_set(kind=payload.kind, key=payload.key, value=payload.value, actor=request.auth)
    products, causes = mappings()
    return {"products": products, "causes": causes}
