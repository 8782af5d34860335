"""Keeping `CaseFact` rows: computed set-wise for a batch of cases, the same code for both ways.

- Incrementally: `cases.hooks.events_recorded` tells us which cases just had an event (every service that
  changes a case records one); their ids are collected per thread and refreshed once the transaction
  commits (`transaction.on_commit`), so a request that records three events refreshes the case once and a
  rolled-back change refreshes nothing wrong (its ids are refreshed with the next commit, from what is
  stored).
- In full: `facts_rebuild()` walks every case by id range, CHUNK at a time.

Each batch reads its cases with eight queries whatever its size (cases, findings, clocks, re-opens,
finish times, promises, satisfaction, support needs) and replaces their fact rows.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from amends.care.models import SupportNeedsRecord, SupportNeedsVersion
from amends.cases.events import EventKind
from amends.cases.lifecycle import Status
from amends.cases.models import Case, CaseEvent
from amends.core.after_commit import RefreshAfterCommit
from amends.process.models import CaseClock, Finding, Promise, SatisfactionCheck

from .models import CaseFact, DailyRollup

CHUNK = 5000
FINISHED = {Status.RESOLVED.value, Status.CLOSED.value}
UPHELD = {Finding.Outcome.JUSTIFIED.value, Finding.Outcome.PARTLY.value}


def _scope(ids: list[int] | None, lo: int, hi: int) -> Callable[[str], Q]:
    """A filter on `<path>` for the batch: its ids, or the id range [lo, hi)."""
    if ids is not None:
        return lambda path: Q(**{f"{path}__in": ids})
    return lambda path: Q(**{f"{path}__gte": lo, f"{path}__lt": hi})


def _compute(scope: Callable[[str], Q], now: datetime) -> list[CaseFact]:
    cases = list(
        Case.objects.filter(scope("id")).values_list(
            "id",
            "kind",
            "team_id",
            "owner_id",
            "product",
            "channel",
            "status",
            "opened_at",
            "closed_at",
            "respond_by",
            "customer_id",
            "process__regime_version__regime__code",
        )
    )
    if not cases:
        return []
    findings: dict[int, tuple[str, str]] = {}
    for case_id, outcome, cause in (
        Finding.objects.filter(scope("case_id"))
        .order_by("case_id", "version")
        .values_list("case_id", "outcome", "root_cause__code")
    ):
        findings[case_id] = (outcome, cause or "")  # the latest version wins
    clocks: dict[int, set[str]] = {}
    for case_id, status in CaseClock.objects.filter(
        scope("case_id"), regulatory=True, optional=False
    ).values_list("case_id", "status"):
        clocks.setdefault(case_id, set()).add(status)
    events = CaseEvent.objects.filter(scope("case_id"))
    reopens = dict(
        events.filter(kind=EventKind.REOPENED)
        .values("case_id")
        .annotate(n=Count("id"))
        .values_list("case_id", "n")
    )
    resolved_ids = [c[0] for c in cases if c[6] == Status.RESOLVED.value]
    resolved_at = (
        dict(
            events.filter(case_id__in=resolved_ids, kind=EventKind.STATUS_CHANGED)
            .values("case_id")
            .annotate(at=Max("at"))
            .values_list("case_id", "at")
        )
        if resolved_ids
        else {}
    )
    promises: dict[int, list[int]] = {}
    for case_id, status, n in (
        Promise.objects.filter(scope("case_id"), status__in=[Promise.Status.KEPT, Promise.Status.BROKEN])
        .values("case_id", "status")
        .annotate(n=Count("id"))
        .values_list("case_id", "status", "n")
    ):
        counts = promises.setdefault(case_id, [0, 0])
        counts[0] += n
        counts[1] += n if status == Promise.Status.KEPT else 0
    satisfaction: dict[int, str] = {}
    for case_id, answer in (
        SatisfactionCheck.objects.filter(scope("case_id"))
        .order_by("case_id", "checked_at", "id")
        .values_list("case_id", "answer")
    ):
        satisfaction[case_id] = answer
    customers = {c[10] for c in cases}
    supported = set(
        SupportNeedsRecord.objects.filter(
            customer_id__in=customers, current__status=SupportNeedsVersion.Status.ACTIVE
        ).values_list("customer_id", flat=True)
    )
    facts = []
    for (
        case_id,
        kind,
        team_id,
        owner_id,
        product,
        channel,
        status,
        opened_at,
        closed_at,
        respond_by,
        customer_id,
        regime,
    ) in cases:
        finished_at = None
        if status in FINISHED:
            finished_at = closed_at or resolved_at.get(case_id) or opened_at
            finished_at = max(finished_at, opened_at)
        opened_on = timezone.localdate(opened_at)
        finished_on = timezone.localdate(finished_at) if finished_at else None
        outcome, cause = findings.get(case_id, ("", ""))
        made, kept = promises.get(case_id, (0, 0))
        answer = satisfaction.get(case_id, "")
        facts.append(
            CaseFact(
                case_id=case_id,
                kind=kind,
                team_id=team_id,
                owner_id=owner_id,
                product=product,
                channel=channel,
                regime=regime or "",
                root_cause=cause,
                support_needs=customer_id in supported,
                opened_on=opened_on,
                opened_week=opened_on - timedelta(days=opened_on.weekday()),
                opened_month=opened_on.replace(day=1),
                finished_on=finished_on,
                finished_week=finished_on - timedelta(days=finished_on.weekday()) if finished_on else None,
                finished_month=finished_on.replace(day=1) if finished_on else None,
                outcome=outcome,
                upheld=(1 if outcome in UPHELD else 0) if outcome else None,
                within_deadline=_within_deadline(clocks.get(case_id), finished_at, respond_by),
                reopens=reopens.get(case_id, 0),
                hours_to_resolve=(
                    int((finished_at - opened_at).total_seconds() // 3600) if finished_at else None
                ),
                promises_decided=made,
                promises_kept=kept,
                satisfied=(
                    None
                    if answer in ("", SatisfactionCheck.Answer.NO_REPLY)
                    else int(answer == SatisfactionCheck.Answer.SATISFIED)
                ),
                refreshed_at=now,
            )
        )
    return facts


def _within_deadline(clock_statuses: set[str] | None, finished_at, respond_by) -> int | None:
    """0 once a regulatory clock is breached; for a finished case 1 when its clocks were met (or, with no
    regime clocks, it finished by its respond-by time); NULL while it is open and not breached."""
    if clock_statuses and CaseClock.Status.BREACHED in clock_statuses:
        return 0
    if finished_at is None:
        return None
    if clock_statuses and CaseClock.Status.MET in clock_statuses:
        return 1
    if respond_by is None:
        return None
    return int(finished_at <= respond_by)


def _replace(scope: Callable[[str], Q], now: datetime, *, rollups: bool = True) -> int:
    facts = _compute(scope, now)
    with transaction.atomic():
        stale = CaseFact.objects.filter(scope("case_id"))
        opened_days, finished_days = set(), set()
        if rollups:
            for opened_on, finished_on in stale.values_list("opened_on", "finished_on"):
                opened_days.add(opened_on)
                finished_days.add(finished_on)
        stale.delete()
        CaseFact.objects.bulk_create(facts, batch_size=1000)
        if rollups:
            opened_days |= {f.opened_on for f in facts}
            finished_days |= {f.finished_on for f in facts}
            rollups_refresh("opened", opened_days)
            rollups_refresh("finished", finished_days - {None})
    return len(facts)


# --- the daily rollups ------------------------------------------------------------------------------

NONE = "-"  # as selectors.NONE: a dimension value not recorded
ROLLUP_DIMENSIONS = {
    "all": None,
    "product": "product",
    "channel": "channel",
    "team": "team_id",
    "regime": "regime",
    "root_cause": "root_cause",
    "support_needs": "support_needs",
}


def _rollup_sql(on: str, dimension: str, days: list | None) -> tuple[str, list]:
    """INSERT ... SELECT of one dimension's rollup rows, grouped in the database (no rows through Python)."""
    q = connection.ops.quote_name
    column = f"{on}_on"
    field = ROLLUP_DIMENSIONS[dimension]
    if field is None:
        value = "''"
    elif dimension == "support_needs":
        value = f"CASE WHEN {q(field)} THEN 'yes' ELSE 'no' END"
    elif dimension == "team":
        value = f"COALESCE(CAST({q(field)} AS VARCHAR(20)), '{NONE}')"
    else:
        value = f"CASE WHEN {q(field)} = '' THEN '{NONE}' ELSE {q(field)} END"
    group = [q(column), q(f"{on}_week"), q(f"{on}_month"), q("kind"), q("team_id")]
    if field and field != "team_id":
        group.append(q(field))
    where = f"{q(column)} IS NOT NULL"
    params: list = [on, dimension]
    if days is not None:
        where += f" AND {q(column)} IN ({', '.join(['%s'] * len(days))})"
        params += days
    columns = [
        "on", "day", "week", "month", "kind", "team_id", "dimension", "value", "cases", "finished", "upheld",
        "with_finding", "within", "with_deadline", "satisfied", "asked", "kept", "decided", "reopened",
        "hours_sum", "hours_n",
    ]  # fmt: skip
    periods = f"{q(column)}, {q(f'{on}_week')}, {q(f'{on}_month')}"
    # Only our own quoted names and fixed expressions are put into the text; the values are parameters.
    sql = f"""
        INSERT INTO {q(DailyRollup._meta.db_table)} ({", ".join(q(c) for c in columns)})
        SELECT %s, {periods}, {q("kind")}, {q("team_id")}, %s, {value},
            COUNT(*), COUNT({q("finished_on")}), COALESCE(SUM({q("upheld")}), 0), COUNT({q("upheld")}),
            COALESCE(SUM({q("within_deadline")}), 0), COUNT({q("within_deadline")}),
            COALESCE(SUM({q("satisfied")}), 0), COUNT({q("satisfied")}),
            COALESCE(SUM({q("promises_kept")}), 0), COALESCE(SUM({q("promises_decided")}), 0),
            SUM(CASE WHEN {q("reopens")} > 0 THEN 1 ELSE 0 END),
            COALESCE(SUM({q("hours_to_resolve")}), 0), COUNT({q("hours_to_resolve")})
        FROM {q(CaseFact._meta.db_table)}
        WHERE {where}
        GROUP BY {", ".join(group)}
    """  # noqa: S608
    return sql, params


def rollups_refresh(on: str, days: set | None) -> int:
    """Recompute the rollup rows of these days (all days: None) from the facts, by the day cases `on`
    ("opened" or "finished"), in the database; returns how many rows were written."""
    day_list = sorted(days) if days is not None else None
    if day_list == []:
        return 0
    rollups = DailyRollup.objects.filter(on=on)
    if day_list is not None:
        rollups = rollups.filter(day__in=day_list)
    rollups.delete()
    written = 0
    with connection.cursor() as cursor:
        for dimension in ROLLUP_DIMENSIONS:
            cursor.execute(*_rollup_sql(on, dimension, day_list))
            written += max(cursor.rowcount, 0)
    return written


def facts_refresh(case_ids: Iterable[int]) -> int:
    """Recompute the fact rows of these cases from what is stored; returns how many were written."""
    ids = sorted(set(case_ids))
    now = timezone.now()
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        written += _replace(_scope(chunk, 0, 0), now)
    return written


@dataclass
class RebuildResult:
    cases: int
    seconds: float


def facts_rebuild(*, progress: Callable[[int], None] | None = None) -> RebuildResult:
    """Throw every fact row away and recompute them all from the source tables, by id range."""
    started = time.perf_counter()
    now = timezone.now()
    _after_commit.pending().clear()  # every case is recomputed: what waited for the commit is done here
    CaseFact.objects.all().delete()
    last = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    first = Case.objects.order_by("id").values_list("id", flat=True).first() or 1
    written = 0
    for lo in range(first, last + 1, CHUNK):
        written += _replace(_scope(None, lo, lo + CHUNK), now, rollups=False)
        if progress:
            progress(written)
    with transaction.atomic():
        rollups_refresh("opened", None)
        rollups_refresh("finished", None)
    return RebuildResult(cases=written, seconds=time.perf_counter() - started)


# --- the incremental path -------------------------------------------------------------------------

_after_commit = RefreshAfterCommit("insights facts", facts_refresh)


def events_recorded(events) -> None:
    """cases.hooks.events_recorded: note the cases and refresh their facts after the commit."""
    _after_commit.note(e.case_id for e in events if e.case_id)
