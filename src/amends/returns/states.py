"""Keeping `ComplaintState` rows: each complaint under a regime, as it stood between two moments, rebuilt
from its events (history.py) so the returns read a few indexed queries, not every case's events.

- Incrementally: `cases.hooks.events_recorded` names the cases that just had an event; their rows are
  rebuilt once the transaction commits (as the insights facts are), so a rolled-back change leaves the rows
  as stored and the next commit on the case puts them right.
- In full: `states_rebuild()` (`amends returns_rebuild`) walks every case under a regime.

The rows say exactly what the history says (tests/test_states.py checks them against a replay of the
events): a row is the state after every event at or before its `valid_from`. Events at one instant (a
finding, the remedy and the response letter of one request) land in one row. Consecutive rows that would be
equal are merged, so a complaint has a row for each change a return can see: usually three or four.
"""

from __future__ import annotations

import functools
import time
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import groupby

from django.db import transaction

from amends.cases.events import EventKind
from amends.core.after_commit import RefreshAfterCommit
from amends.process.models import CaseClock, CaseProcess
from amends.process.rules import MONETARY_REMEDIES
from amends.regimes import calendar

from .history import OPEN, CaseHistory, histories
from .models import ComplaintResponse, ComplaintState

BEGINNING = datetime(1900, 1, 1, tzinfo=UTC)
FOREVER = datetime(9999, 12, 31, tzinfo=UTC)
EIGHT_WEEKS = timedelta(weeks=8)
CHUNK = 2000  # cases rebuilt per transaction in a full rebuild
STATUS_KINDS = {EventKind.OPENED, EventKind.STATUS_CHANGED, EventKind.REOPENED}
# The columns a row is compared on when merging equal neighbours (everything but the interval).
COMPARED = (
    "kind",
    "product",
    "category",
    "finished_since",
    "bucket",
    "closure_outcome",
    "closure_root_cause",
    "closure_redress",
    "outcome",
    "root_cause",
    "redress",
)


def closure_bucket(received_at: datetime, closed_at: datetime, nation: str) -> str:
    """Which DISP closure bucket: within 3 business days (by the end of the third business day after the
    day of receipt, London dates, the customer's nation's bank holidays), else within 8 weeks (by the
    end of the 56th day after the day of receipt), else after 8 weeks."""
    received = calendar.to_london(received_at).date()
    closed = calendar.to_london(closed_at).date()
    if closed <= calendar.add_business_days(received, 3, nation):
        return "closed_within_3_business_days"
    if closed <= received + EIGHT_WEEKS:
        return "closed_after_3_business_days_within_8_weeks"
    return "closed_after_8_weeks"


@dataclass
class _Walk:
    """The running state while a history's events are applied in order."""

    finished_since: datetime | None = None
    outcome: str = ""
    root_cause: str = ""
    redress: Decimal = Decimal(0)
    closure: tuple[str, str, str, Decimal] = ("", "", "", Decimal(0))

    def __post_init__(self) -> None:
        self.remedies: dict[int, list[dict]] = {}

    def apply(self, kind: str, at: datetime, after: dict) -> None:
        if kind in STATUS_KINDS:
            if after.get("status", "new") in OPEN:
                self.finished_since = None
            elif self.finished_since is None:
                self.finished_since = at
        elif kind == EventKind.FINDING_RECORDED:
            self.outcome, self.root_cause = after.get("outcome", ""), after.get("root_cause") or ""
        elif kind == EventKind.OPTION_ADDED:
            self.remedies[after.get("option")] = after.get("remedies") or []
        elif kind == EventKind.OPTION_CHOSEN:
            for remedy in self.remedies.get(after.get("option"), []):
                if remedy.get("kind") in MONETARY_REMEDIES and remedy.get("amount") is not None:
                    self.redress += Decimal(str(remedy["amount"]))


def states_of(h: CaseHistory) -> list[ComplaintState]:
    """The rows of one complaint's history; none if no regime was ever applied to it."""
    regime_at = next((e.at for e in h.events if e.kind == EventKind.REGIME_APPLIED), None)
    if regime_at is None:
        return []
    walk = _Walk()
    rows = [_row(h, walk, BEGINNING, regime_at)]
    for at, group in groupby(h.events, key=lambda e: e.at):
        was_finished = walk.finished_since
        for e in group:
            walk.apply(e.kind, e.at, e.after)
        if walk.finished_since is None:
            walk.closure = ("", "", "", Decimal(0))
        elif walk.finished_since != was_finished:  # it finished at this instant: what stood then
            bucket = closure_bucket(h.received_at, walk.finished_since, h.nation)
            walk.closure = (bucket, walk.outcome, walk.root_cause, walk.redress)
        row = _row(h, walk, at, regime_at)
        if any(getattr(row, f) != getattr(rows[-1], f) for f in COMPARED):
            rows.append(row)
    for row, following in zip(rows, rows[1:], strict=False):
        row.valid_to = following.valid_from
    return rows


def _row(h: CaseHistory, walk: _Walk, valid_from: datetime, regime_at: datetime) -> ComplaintState:
    # The classification in force from `valid_from`: the `before` of the first re-classification after it.
    kind, product, category = h.classification_at(valid_from + timedelta(microseconds=1))
    bucket, closure_outcome, closure_root, closure_redress = walk.closure
    return ComplaintState(
        case_id=h.case_id,
        regime=h.regime,
        regime_at=regime_at,
        received_at=h.received_at,
        valid_from=valid_from,
        valid_to=FOREVER,
        kind=kind,
        product=product,
        category=category,
        finished_since=walk.finished_since,
        bucket=bucket,
        closure_outcome=closure_outcome,
        closure_root_cause=closure_root,
        closure_redress=closure_redress,
        outcome=walk.outcome,
        root_cause=walk.root_cause,
        redress=walk.redress,
    )


def responses_of(h: CaseHistory, states: list[ComplaintState], clocks: list[dict]) -> list[ComplaintResponse]:
    """The responses of one complaint: its first response clock per stage that was met (`clocks`, in id
    order), each with the finding and money in force when it went (`states`, the complaint's rows)."""
    if not states:
        return []
    starts = [row.valid_from for row in states]
    escalations = [
        (e.at, e.after["stage"]) for e in h.events if e.kind == EventKind.ESCALATED and e.after.get("stage")
    ]
    seen: set[str] = set()
    rows = []
    for clock in clocks:
        if clock["stage"] in seen:
            continue
        seen.add(clock["stage"])
        met = clock["met_at"]
        if met is None:
            continue
        # The stage began at its last escalation before the response (stage 1: at receipt).
        began = max(
            (at for at, stage in escalations if stage == clock["stage"] and at <= met), default=h.received_at
        )
        state = states[bisect_right(starts, met) - 1]  # in force at `met`, its own events included
        rows.append(
            ComplaintResponse(
                case_id=h.case_id,
                regime=h.regime,
                stage=clock["stage"],
                met_at=met,
                within_timescale=met <= clock["due_at"],
                extended=clock["extended_from"] is not None,
                working_days=max(
                    0,
                    _working_days(calendar.to_london(began).date(), calendar.to_london(met).date(), h.nation),
                ),
                outcome=state.outcome,
                root_cause=state.root_cause,
                redress=state.redress,
            )
        )
    return rows


_working_days = functools.lru_cache(maxsize=65536)(calendar.business_days_between)


def _response_clocks(case_ids: list[int]) -> dict[int, list[dict]]:
    """The clocks a response meets (not optional windows) of these cases, in id order."""
    found: dict[int, list[dict]] = defaultdict(list)
    for clock in (
        CaseClock.objects.filter(case_id__in=case_ids, met_by="responded", optional=False)
        .order_by("id")
        .values("case_id", "stage", "met_at", "due_at", "extended_from")
    ):
        found[clock["case_id"]].append(clock)
    return found


def states_refresh(case_ids: Iterable[int]) -> int:
    """Rebuild the rows (states and responses) of these cases, in the order given (those not under a
    regime have none); how many state rows were written."""
    ids = list(dict.fromkeys(case_ids))
    written = 0
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        clocks = _response_clocks(chunk)
        states, responses = [], []
        for h in histories(chunk):
            rows = states_of(h)
            states += rows
            responses += responses_of(h, rows, clocks.get(h.case_id, []))
        with transaction.atomic():
            ComplaintState.objects.filter(case_id__in=chunk).delete()
            ComplaintResponse.objects.filter(case_id__in=chunk).delete()
            ComplaintState.objects.bulk_create(states, batch_size=1000)
            ComplaintResponse.objects.bulk_create(responses, batch_size=1000)
        written += len(states)
    return written


@dataclass
class RebuildResult:
    cases: int
    rows: int
    seconds: float


def states_rebuild(*, progress: Callable[[int], None] | None = None) -> RebuildResult:
    """Throw every row away and rebuild them all from the events of every case under a regime."""
    started = time.perf_counter()
    _after_commit.pending().clear()
    ComplaintState.objects.all().delete()
    ComplaintResponse.objects.all().delete()
    # In order of receipt, so the rows a period reads lie together on disk (a return reads complaints by
    # when they were received or finished; the rows of later changes are appended near the recent ones).
    ids = list(CaseProcess.objects.order_by("received_at", "case_id").values_list("case_id", flat=True))
    rows = 0
    for i in range(0, len(ids), CHUNK):
        rows += states_refresh(ids[i : i + CHUNK])
        if progress:
            progress(min(i + CHUNK, len(ids)))
    return RebuildResult(cases=len(ids), rows=rows, seconds=time.perf_counter() - started)


# --- the incremental path -------------------------------------------------------------------------


def _refresh_under_regime(ids: set[int]) -> None:
    states_refresh(CaseProcess.objects.filter(case_id__in=ids).values_list("case_id", flat=True))


_after_commit = RefreshAfterCommit("returns states", _refresh_under_regime)


def events_recorded(events) -> None:
    """cases.hooks.events_recorded: note the cases and rebuild their rows after the commit."""
    _after_commit.note(e.case_id for e in events if e.case_id)


__all__ = ["BEGINNING", "FOREVER", "closure_bucket", "events_recorded", "states_rebuild", "states_refresh"]
