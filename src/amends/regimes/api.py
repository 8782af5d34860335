"""Regimes over the API: list them, read a version, compute due dates, add an organisation's own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from amends.core.api_errors import errors
from amends.core.errors import DomainError
from amends.core.moments import Moment
from amends.core.permissions import can_add_regimes, require

from .calendar import CalendarError
from .clocks import ClockError, compute_all
from .definition import DefinitionError
from .models import Regime
from .schemas import RegimeSettingsIn, RegimeSettingsOut
from .selectors import current_version, regime_rules, regimes_in_use
from .services import regime_settings_save, regime_version_add

router = Router(tags=["regimes"])


class RegimeOut(Schema):
    code: str
    name: str
    is_builtin: bool
    version: int | None
    effective_from: date | None


class RegimeVersionOut(RegimeOut):
    definition: dict[str, Any]


class DueQuery(Schema):
    received: Moment = Field(..., description="When the complaint was received (ISO 8601 with a time zone)")
    nation: Literal["england", "wales", "scotland", "northern-ireland"] = "england"
    stage: str | None = None


class DueOut(Schema):
    code: str
    name: str
    unit: str
    amount: int
    due: datetime
    regulatory: bool
    evidence: str
    assumes: str


class RegimeIn(Schema):
    code: str = Field(..., pattern=r"^[a-z0-9][a-z0-9-]{1,58}$")
    name: str = Field(..., max_length=200)
    effective_from: date
    definition: dict[str, Any]


def _out(regime: Regime, on: date) -> dict:
    version = current_version(regime.code, on)
    return {
        "code": regime.code,
        "name": regime.name,
        "is_builtin": regime.is_builtin,
        "version": version.version if version else None,
        "effective_from": version.effective_from if version else None,
        "definition": version.definition if version else {},
    }


@router.get(
    "", response={200: list[RegimeOut], **errors()}, summary="Every regime and the version in force today"
)
def list_regimes(request):
    today = timezone.localdate()
    return [_out(r, today) for r in Regime.objects.order_by("code")]


def _settings() -> dict:
    return {
        "in_use": sorted(r.code for r in regimes_in_use()),
        "rules": [{"match": r.match, "value": r.value, "regime": r.regime} for r in regime_rules()],
    }


@router.get(
    "/settings",
    response={200: RegimeSettingsOut, **errors()},
    summary="The regimes we work under and the rules that choose a new complaint's regime",
)
def get_settings(request):
    return _settings()


@router.post(
    "/settings",
    response={200: RegimeSettingsOut, **errors(400, 403, 413, 422)},
    summary="Change the regimes we work under and the rules that choose a new complaint's regime",
)
def put_settings(request, payload: RegimeSettingsIn):
    require(can_add_regimes(request.auth), "Only complaints leads and administrators change regime settings")
    regime_settings_save(in_use=payload.in_use, rules=[r.rule() for r in payload.rules], actor=request.auth)
    return _settings()


@router.get(
    "/{code}",
    response={200: RegimeVersionOut, **errors(404)},
    summary="The version in force today, with its definition",
)
def get_regime(request, code: str):
    regime = Regime.objects.filter(code=code).first()
    if regime is None:
        raise Http404(f"No regime {code!r}")
    return _out(regime, timezone.localdate())


@router.get(
    "/{code}/due",
    response={200: list[DueOut], **errors(400, 404, 422)},
    summary="Every clock of a stage for a complaint received then",
)
def due(request, code: str, params: Query[DueQuery]):
    if params.received.tzinfo is None:
        raise DomainError(
            "received needs a time zone, e.g. 2026-11-20T09:00:00Z", fields={"received": "no time zone"}
        )
    version = current_version(code, params.received.date())
    if version is None:
        raise Http404(f"No regime {code!r} in force on {params.received.date()}")
    try:
        clocks = compute_all(version.parsed(), params.received, params.nation, stage_code=params.stage)
    except ClockError as exc:  # a stage the regime does not have: the message names the ones it has
        raise DomainError(f"Cannot compute: {exc}", fields={"stage": str(exc)}) from exc
    except CalendarError as exc:
        raise DomainError(f"Cannot compute: {exc}") from exc
    return [{**c.as_json(), "due": c.due_at, "assumes": c.assumes} for c in clocks]


@router.post(
    "",
    response={201: RegimeVersionOut, **errors(400, 403, 409, 413, 422)},
    summary="Add a version of your organisation's own regime",
)
def add_regime(request, payload: RegimeIn):
    require(can_add_regimes(request.auth), "Only complaints leads and administrators add regimes")
    try:
        version = regime_version_add(
            code=payload.code,
            name=payload.name,
            definition=payload.definition,
            effective_from=payload.effective_from,
            actor=request.auth,
        )
    except DefinitionError as exc:
        raise DomainError(f"The definition is not valid: {exc}", fields={"definition": str(exc)}) from exc
    return Status(201, _out(version.regime, payload.effective_from))
