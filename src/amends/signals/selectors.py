"""Reads for the signals: the history a message is judged against, a case's signals, the feedback export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.messaging.models import Message
from amends.process.models import CaseProcess, Promise, Understanding
from amends.regimes.selectors import current_version

from .engine.analyser import SIGNAL_TYPES, URGENT_TYPES
from .engine.context import Contact, History
from .models import MessageSignal, SignalFeedback
from .safety import safety_text

HISTORY_WINDOW = timedelta(days=30)
CASES_WINDOW = timedelta(days=90)


def history_for(case: Case, now: datetime) -> History:
    """The customer's contacts in the last 30 days on every case, and this case's re-opens, broken
    promises and outcomes wanted. Five small indexed queries: cheap enough to run on every message."""
    book = HistoryBook(customer_ids=[case.customer_id], case_ids=[case.pk], since=now)
    return book.history(case.pk, case.customer_id, now)


class HistoryBook:
    """`history_for` for a batch of messages: the stored history of the batch's customers and cases is
    read once (five queries), and what the batch adds before each message (its messages, new cases,
    re-opens) is noted here, so each message is judged on what one-by-one intake would have read.

    Customers and cases not yet stored are keyed by any hashable the caller chooses."""

    def __init__(self, *, customer_ids: list[int], case_ids: list[int], since: datetime):
        self._contacts: dict[object, list[Contact]] = defaultdict(list)
        self._opened: dict[object, list[datetime]] = defaultdict(list)
        self._reopens: dict[object, int] = defaultdict(int)
        self._broken: dict[object, int] = defaultdict(int)
        self._outcomes: dict[object, set[str]] = defaultdict(set)
        if customer_ids:
            rows = (
                Message.objects.filter(customer_id__in=customer_ids, occurred_at__gte=since - HISTORY_WINDOW)
                .order_by("occurred_at", "id")
                .values_list("customer_id", "occurred_at", "channel", "direction")
            )
            for customer_id, at, channel, direction in rows:
                self.add_contact(customer_id, at, channel, inbound=direction == Message.Direction.INBOUND)
            opened = Case.objects.filter(customer_id__in=customer_ids, opened_at__gte=since - CASES_WINDOW)
            for customer_id, at in opened.values_list("customer_id", "opened_at"):
                self._opened[customer_id].append(at)
        if case_ids:
            reopened = CaseEvent.objects.filter(case_id__in=case_ids, kind="reopened")
            for row in reopened.values("case_id").annotate(n=Count("id")):
                self._reopens[row["case_id"]] = row["n"]
            broken = Promise.objects.filter(case_id__in=case_ids, status=Promise.Status.BROKEN)
            for row in broken.values("case_id").annotate(n=Count("id")):
                self._broken[row["case_id"]] = row["n"]
            understood = Understanding.objects.filter(case_id__in=case_ids)
            for case_id, outcome in understood.values_list("case_id", "outcome_wanted").distinct():
                self._outcomes[case_id].add(outcome)

    def add_contact(self, customer: object, at: datetime, channel: str, *, inbound: bool) -> None:
        self._contacts[customer].append(Contact(at=at, channel=channel, inbound=inbound))

    def add_case(self, customer: object, opened_at: datetime) -> None:
        self._opened[customer].append(opened_at)

    def add_reopen(self, case: object) -> None:
        self._reopens[case] += 1

    def history(self, case: object, customer: object, now: datetime) -> History:
        start = now - HISTORY_WINDOW
        return History(
            now=now,
            contacts=[c for c in self._contacts[customer] if start <= c.at <= now],
            reopens=self._reopens[case],
            broken_promises=self._broken[case],
            outcomes_wanted=len(self._outcomes[case]),
            cases_in_90_days=sum(1 for at in self._opened[customer] if at >= now - CASES_WINDOW),
        )


def signals_by_message(case: Case) -> dict[int, list[MessageSignal]]:
    """Every stored signal of the case, grouped by message, strongest first. One query."""
    grouped: dict[int, list[MessageSignal]] = defaultdict(list)
    for signal in MessageSignal.objects.filter(case=case).order_by("-score", "type"):
        grouped[signal.message_id].append(signal)
    return dict(grouped)


def complaint_signal_kept() -> Exists:
    """For a case queryset: a complaint signal nobody has dismissed. The queue's "query that reads like
    a complaint" filter; `reads_like_complaint` is the same rule on one case's loaded signals."""
    kept = MessageSignal.objects.filter(case=OuterRef("pk"), type="complaint").exclude(
        verdict=SignalFeedback.Verdict.DISMISSED
    )
    return Exists(kept)


def reads_like_complaint(case: Case, signals: dict[int, list[MessageSignal]]) -> MessageSignal | None:
    """A query whose messages read as a complaint, and nobody has dismissed that: the adviser decides."""
    if case.kind != "query":
        return None
    for group in signals.values():
        for signal in group:
            if signal.type == "complaint" and signal.verdict != SignalFeedback.Verdict.DISMISSED:
                return signal
    return None


def feedback_export(since: datetime | None = None) -> Iterator[dict]:
    """Every adviser verdict with the message text and the evidence, oldest first: retraining input."""
    qs = SignalFeedback.objects.select_related("signal__message", "signal__analysis").order_by("at", "id")
    if since is not None:
        qs = qs.filter(at__gte=since)
    for fb in qs.iterator(chunk_size=500):
        signal = fb.signal
        text = signal.message.body_text
        yield {
            "feedback_id": fb.pk,
            "at": fb.at.isoformat(),
            "verdict": fb.verdict,
            "note": fb.note,
            "type": signal.type,
            "score": signal.score,
            "analyser_version": signal.analysis.analyser_version,
            "case_id": signal.case_id,
            "message_id": signal.message_id,
            "text": text,
            "spans": signal.spans,
            "evidence": [text[a:b] for a, b in signal.spans],
        }


def _definition(case: Case) -> tuple[str, str]:
    """The complaint definition that decides: the case's regime, or the ISO 10002 one the internal
    process uses when no regime has been chosen yet."""
    process = CaseProcess.objects.filter(case=case).select_related("regime_version__regime").first()
    version = (
        process.regime_version if process else current_version("internal-iso10002", timezone.now().date())
    )
    if version is None:
        return "", ""
    return version.definition.get("complaint_definition", ""), version.definition.get("name", "The regime")


def case_signals_summary(case: Case, grouped: dict[int, list[MessageSignal]]) -> dict:
    """The case page's signals panel: urgent alerts, the reads-like-a-complaint flag, a count by type."""
    kept = [s for g in grouped.values() for s in g if s.verdict != SignalFeedback.Verdict.DISMISSED]
    counts: dict[str, int] = defaultdict(int)
    for s in kept:
        counts[s.type] += 1
    types = [(label, group, counts[t]) for t, (label, group, _) in SIGNAL_TYPES.items() if counts.get(t)]
    flag = reads_like_complaint(case, grouped)
    definition, source = _definition(case) if flag else ("", "")
    band = "high" if case.risk >= 60 else "medium" if case.risk >= 30 else "low"
    return {
        # each urgent signal with what to do about it (safety.py: signposting, the threat procedure)
        "urgent": [(s, safety_text(s.type, "steps")) for s in kept if s.type in URGENT_TYPES],
        "reads_like_complaint": flag,
        "definition": definition,
        "definition_source": source,
        "types": types,
        "band": band,
    }
