"""Signals and the reply coach over the API: analyse any text, coach a draft, read and judge a case's
signals, export advisers' verdicts for retraining."""

from __future__ import annotations

from itertools import islice
from typing import Literal

from django.conf import settings
from django.http import Http404
from ninja import Field, Query, Router, Schema
from pydantic import StrictBool

from amends.cases.selectors import case_for
from amends.core.api_errors import errors
from amends.core.moments import Moment
from amends.core.permissions import can_export_feedback, require

from .engine.analyser import analyse, signal_to_dict
from .engine.coach import CoachContext, coach, coach_to_dict
from .models import MessageSignal
from .selectors import feedback_export
from .services import signal_feedback

router = Router(tags=["signals"])
MAX_TEXT = settings.AMENDS_MAX_TEXT_CHARS  # what intake and the reply box accept


class SignalOut(Schema):
    type: str
    score: float
    spans: list[list[int]]
    explanation: str


class AnalyseIn(Schema):
    text: str = Field(..., max_length=MAX_TEXT)


class AnalyseOut(Schema):
    risk: int = Field(..., description="0..100: what the queue's risk sort uses")
    signals: list[SignalOut] = Field(..., description="Every type, scored 0..1; spans are character offsets")


class CoachIn(Schema):
    draft: str = Field(..., max_length=MAX_TEXT)
    # true or false only: a lax bool takes 0, "no" or "off" too, which the document does not offer.
    is_closing_reply: StrictBool = False
    customer_text: str = Field("", max_length=MAX_TEXT)
    customer_upset: StrictBool = False


class FindingOut(Schema):
    kind: str
    severity: str
    spans: list[list[int]]
    message: str
    suggestion: str
    data: dict | None = None


class StoredSignalOut(SignalOut):
    id: int
    message_id: int
    verdict: str


class FeedbackIn(Schema):
    verdict: Literal["confirmed", "dismissed"]
    note: str = Field("", max_length=300)


@router.post(
    "/signals/analyse",
    response={200: AnalyseOut, **errors(400, 413, 422)},
    summary="Analyse a text: every signal with evidence",
)
def analyse_text(request, payload: AnalyseIn):
    result = analyse(payload.text)
    return {"risk": result.risk, "signals": [signal_to_dict(s) for s in result.signals]}


@router.post(
    "/coach",
    response={200: list[FindingOut], **errors(400, 413, 422)},
    summary="Coach a draft reply before it is sent",
)
def coach_draft(request, payload: CoachIn):
    context = CoachContext(
        is_closing_reply=payload.is_closing_reply,
        customer_text=payload.customer_text,
        customer_upset=payload.customer_upset,
    )
    return coach_to_dict(coach(payload.draft, context))


def _stored(signal: MessageSignal) -> dict:
    fields = ("message_id", "type", "score", "spans", "explanation", "verdict")
    return {"id": signal.pk} | {name: getattr(signal, name) for name in fields}


@router.get(
    "/cases/{reference}/signals",
    response={200: list[StoredSignalOut], **errors(404)},
    summary="A case's stored signals",
)
def case_signals(request, reference: str):
    case = case_for(request.auth, reference)
    return [_stored(s) for s in MessageSignal.objects.filter(case=case).order_by("message_id", "-score")]


@router.post(
    "/cases/{reference}/signals/{signal_id}/feedback",
    response={200: StoredSignalOut, **errors(400, 403, 404, 413, 422)},
    summary="Confirm or dismiss a signal (kept to improve the models)",
)
def judge_signal(request, reference: str, signal_id: int, payload: FeedbackIn):
    case = case_for(request.auth, reference, work=True)
    signal = MessageSignal.objects.filter(case=case, pk=signal_id).first()
    if signal is None:
        raise Http404(f"No signal {signal_id} on {reference}")
    signal_feedback(signal=signal, actor=request.auth, verdict=payload.verdict, note=payload.note)
    signal.refresh_from_db()
    return _stored(signal)


class ExportQuery(Schema):
    since: Moment | None = Field(None, description="Only verdicts at or after this time")
    limit: int = Field(1000, ge=1, le=10_000, description="At most this many, oldest first; page with since")


@router.get(
    "/signals/feedback",
    response={200: list[dict], **errors(403, 422)},
    summary="Advisers' verdicts with text, for retraining",
)
def export_feedback(request, query: Query[ExportQuery]):
    require(
        can_export_feedback(request.auth),
        "Only complaints leads and administrators export feedback (it holds customers' words)",
    )
    return list(islice(feedback_export(query.since), query.limit))
