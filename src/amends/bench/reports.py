"""`amends bench reports --cases N`: the dashboards' queries (and any report registered beside them) timed
over N cases.

Seeds N cases into the benchmark database (the same world as `bench pages`: the demo's walked-through
cases, then bulk rows), each batch enriched with what the dashboards count (a product, findings with a
root cause on finished cases, satisfaction checks, promises kept and broken), then fills the stored facts
by a full rebuild (timed), then times every registered query `repeats` times: p50 and p95.

`REPORT_QUERIES` is the registry. A query is a function of the `Setting` (who asks, today, the default
filters) that runs its query to the end and returns how many rows or groups it read, which must be more
than none: a report elsewhere (the FCA and Housing Ombudsman returns) is added with `@report_query(name)`.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from amends.cases import hooks as case_hooks
from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event, case_events_record
from amends.demo.generate import demo_exists, seed_demo
from amends.insights import facts, selectors
from amends.insights.facts import RebuildResult
from amends.insights.services import insights_rebuild
from amends.process.models import CaseClock, CaseProcess, Finding, Promise, RootCause, SatisfactionCheck
from amends.regimes.models import RegimeVersion
from amends.returns import states
from amends.returns.periods import last_half_year, last_twelve_months
from amends.returns.selectors import fca_return, hos_report
from amends.returns.services import returns_rebuild

from .figures import require_work
from .pages import PROCESS_CASES, ensure_world
from .seed import bulk_seed

PRODUCTS = [
    "Current account",
    "Credit card",
    "Mortgage",
    "Savings",
    "Personal loan",
    "Insurance",
    "Repairs",
    "Rent",
]
OUTCOMES = ["justified", "partly_justified", "not_justified", "not_justified"]
ANSWERS = ["satisfied", "satisfied", "partly", "not_satisfied", "no_reply"]


@dataclass
class Setting:
    lead: Any  # a complaints lead: sees every case, the widest queries
    leader: Any  # a team leader: their team's
    adviser: Any  # one person: their own
    team: Any
    today: date
    filters: selectors.Filters


QueryFunction = Callable[[Setting], int]
REPORT_QUERIES: dict[str, QueryFunction] = {}


def report_query(name: str) -> Callable[[QueryFunction], QueryFunction]:
    """Register a query for `amends bench reports` under `name` (unique)."""

    def register(function: QueryFunction) -> QueryFunction:
        if name in REPORT_QUERIES and REPORT_QUERIES[name] is not function:
            raise ValueError(f"a report query named {name!r} is already registered")
        REPORT_QUERIES[name] = function
        return function

    return register


@report_query("opened_by_period")
def _opened(s: Setting) -> int:
    return sum(selectors.opened_by_period(s.lead, s.filters).values())


@report_query("finished_by_period")
def _finished(s: Setting) -> int:
    return sum(row["finished"] for row in selectors.finished_by_period(s.lead, s.filters).values())


@report_query("finished_by_week_team")
def _finished_team(s: Setting) -> int:
    weekly = s.filters.narrowed(grain="week")
    return sum(row["finished"] for row in selectors.finished_by_period(s.leader, weekly).values())


def _by(dimension: str) -> QueryFunction:
    def run(s: Setting) -> int:
        return sum(row["opened"] for row in selectors.by_dimension(s.lead, s.filters, dimension))

    return run


for _dimension in selectors.DIMENSIONS:
    report_query(f"by_{_dimension}")(_by(_dimension))


@report_query("filtered_product_channel")
def _filtered(s: Setting) -> int:
    narrowed = s.filters.narrowed(product=PRODUCTS[0], channel="email")
    return sum(selectors.opened_by_period(s.lead, narrowed).values()) + sum(
        row["finished"] for row in selectors.finished_by_period(s.lead, narrowed).values()
    )


@report_query("support_needs_compare")
def _support(s: Setting) -> int:
    return sum(row["finished"] for row in selectors.support_needs_compare(s.lead, s.filters).values())


@report_query("drill_down_page")
def _drill(s: Setting) -> int:
    """The cases behind one month's point: the count the pager shows, and its first page."""
    month = s.filters.narrowed(start=s.today.replace(day=1) - timedelta(days=62), end=s.today.replace(day=1))
    ids = selectors.drill_down(s.lead, month, on="opened")
    return min(ids.count(), 1) + len(selectors.cases_of(s.lead, list(ids[:50])))


@report_query("filter_choices")
def _choices(s: Setting) -> int:
    return sum(len(v) for v in selectors.dimension_values(s.lead).values())


@report_query("team_performance")
def _team(s: Setting) -> int:
    rows = selectors.performance(s.leader, team_id=s.team.pk, today=s.today)
    return sum(r["finished"] for r in rows)


@report_query("person_performance")
def _person(s: Setting) -> int:
    rows = selectors.performance(s.adviser, person_id=s.adviser.pk, today=s.today)
    return sum(r["finished"] for r in rows)


# The regulatory returns (amends.returns), from the complaints' stored states (rebuilt from their events).
# Every seeded complaint is under a regime (`_under_regimes`): the Housing Ombudsman Code for repairs and
# rent, FCA DISP for the rest; `rows` says how many complaints each return counted.
@report_query("fca_return_half_year")
def _fca_return(s: Setting) -> int:
    total = fca_return(last_half_year(s.today))[-1]  # the last row adds up the others
    return total.outstanding_at_start + total.opened + total.closed


@report_query("hos_annual_report")
def _hos_report(s: Setting) -> int:
    report = hos_report(last_twelve_months(s.today))
    return report.stage1.received + report.stage2.received + report.stage1.responded + report.stage2.responded


def _enrich(rng: random.Random, users: list, causes: list[str]) -> Callable[[list[Case]], None]:
    """What the dashboards count, added to each seeded batch (inside its transaction): a product on every
    case, a finding with a root cause on four finished cases in five, a satisfaction check on half of
    them, and promises kept or broken on one case in four."""
    cause_ids = dict(RootCause.objects.filter(code__in=causes).values_list("code", "pk"))

    def enrich(created: list[Case]) -> None:
        by_product: dict[str, list[int]] = {}
        for case in created:
            case.product = rng.choice(PRODUCTS)
            by_product.setdefault(case.product, []).append(case.pk)
        for product, ids in by_product.items():
            Case.objects.filter(pk__in=ids).update(product=product)
        finished = [c for c in created if c.status in ("resolved", "closed")]
        actor = rng.choice(users)
        Finding.objects.bulk_create(
            [
                Finding(
                    case=c,
                    outcome=rng.choice(OUTCOMES),
                    facts="Seeded",
                    reasoning="Seeded",
                    root_cause_id=cause_ids.get(rng.choice(causes)),
                    recorded_by=actor,
                    recorded_at=c.opened_at + timedelta(days=2),
                )
                for c in finished
                if rng.random() < 0.8
            ],
            batch_size=1000,
        )
        SatisfactionCheck.objects.bulk_create(
            [
                SatisfactionCheck(
                    case=c,
                    answer=rng.choice(ANSWERS),
                    checked_by=actor,
                    checked_at=c.opened_at + timedelta(days=9),
                )
                for c in finished
                if rng.random() < 0.5
            ],
            batch_size=1000,
        )
        Promise.objects.bulk_create(
            [
                Promise(
                    case=c,
                    description="Call back",
                    owner=actor,
                    made_by=actor,
                    made_at=c.opened_at,
                    due_at=c.opened_at + timedelta(days=3),
                    status=rng.choice([Promise.Status.KEPT, Promise.Status.KEPT, Promise.Status.BROKEN]),
                    closed_at=c.opened_at + timedelta(days=3),
                )
                for c in created
                if rng.random() < 0.25
            ],
            batch_size=1000,
        )

    return enrich


HOUSING = {"Repairs", "Rent"}  # complaints about these follow the Housing Ombudsman Code, the rest FCA DISP


def _under_regimes(rng: random.Random, causes: list[str], now: datetime) -> Callable[[list[Case]], None]:
    """What the returns count, added to each seeded batch after `_enrich` (inside its transaction): every
    complaint put under its regime (a CaseProcess and a `regime_applied` event at its opening); a finished
    one answered some days later (a finding, one upheld in three with a refund chosen, the status change;
    under the Code, its stage 1 response clock met then), one in ten of those under the Code escalated to
    stage 2 and answered again, one in five of those referred to the Ombudsman. Rows as the services make
    them, inserted in bulk like the rest of the seed."""
    versions = {
        code: RegimeVersion.objects.filter(regime__code=code)
        .order_by("-version")
        .values_list("pk", flat=True)[0]
        for code in ("fca-disp", "hos-2024")
    }
    option_ids = iter(
        range(10**9 + rng.randrange(10**6) * 1000, 2 * 10**9)
    )  # remedies as the event holds them

    def answer(c: Case, at: datetime, events: list, outcome: str) -> None:
        events.append(
            case_event(
                c,
                kind=EventKind.FINDING_RECORDED,
                actor=None,
                at=at,
                after={"outcome": outcome, "root_cause": rng.choice(causes)},
            )
        )
        if outcome != "not_justified" and rng.random() < 0.33:
            option = next(option_ids)
            remedies = [{"kind": "refund", "amount": str(rng.choice([25, 50, 75, 120, 250]))}]
            events.append(
                case_event(
                    c,
                    kind=EventKind.OPTION_ADDED,
                    actor=None,
                    at=at,
                    after={"option": option, "remedies": remedies},
                )
            )
            events.append(
                case_event(c, kind=EventKind.OPTION_CHOSEN, actor=None, at=at, after={"option": option})
            )

    def under(created: list[Case]) -> None:
        complaints = [c for c in created if c.kind == "complaint"]
        processes, events, clocks = [], [], []
        for c in complaints:
            hos = c.product in HOUSING
            processes.append(
                CaseProcess(
                    case=c,
                    regime_version_id=versions["hos-2024" if hos else "fca-disp"],
                    stage="stage1",
                    received_at=c.opened_at,
                )
            )
            events.append(
                case_event(
                    c,
                    kind=EventKind.REGIME_APPLIED,
                    actor=None,
                    at=c.opened_at,
                    after={"regime": "hos-2024" if hos else "fca-disp", "version": 1},
                )
            )
            if c.status not in ("resolved", "closed"):
                continue
            answered = min(now, c.opened_at + timedelta(days=rng.choice([1, 2, 3, 5, 8, 13, 21, 34, 60, 70])))
            answer(c, answered, events, rng.choice(OUTCOMES))
            events.append(
                case_event(
                    c, kind=EventKind.STATUS_CHANGED, actor=None, at=answered, after={"status": c.status}
                )
            )
            if not hos:
                continue
            clocks.append(_met_clock(c, "stage1", c.opened_at + timedelta(days=14), answered))
            if rng.random() < 0.1 and answered + timedelta(days=25) < now:
                escalated = answered + timedelta(days=4)
                events.append(
                    case_event(
                        c, kind=EventKind.ESCALATED, actor=None, at=escalated, after={"stage": "stage2"}
                    )
                )
                events.append(
                    case_event(
                        c, kind=EventKind.STATUS_CHANGED, actor=None, at=escalated, after={"status": "open"}
                    )
                )
                second = escalated + timedelta(days=rng.choice([10, 15, 20]))
                answer(c, second, events, rng.choice(OUTCOMES))
                events.append(
                    case_event(
                        c, kind=EventKind.STATUS_CHANGED, actor=None, at=second, after={"status": c.status}
                    )
                )
                clocks.append(_met_clock(c, "stage2", escalated + timedelta(days=28), second))
                if rng.random() < 0.2:
                    events.append(
                        case_event(
                            c,
                            kind=EventKind.ESCALATED,
                            actor=None,
                            at=second + timedelta(days=3),
                            after={"referred_to": "Housing Ombudsman Service"},
                        )
                    )
        CaseProcess.objects.bulk_create(processes, batch_size=1000)
        case_events_record(events)
        CaseClock.objects.bulk_create(clocks, batch_size=1000)

    return under


def _met_clock(c: Case, stage: str, due: datetime, met: datetime) -> CaseClock:
    return CaseClock(
        case=c,
        stage=stage,
        code=f"{stage}_response",
        name=f"{stage.replace('stage', 'Stage ')} response",
        met_by="responded",
        due_at=due,
        status="met",
        met_at=met,
    )


def seed_to(n: int, *, log: Callable[[str], None], process_cases: int = PROCESS_CASES) -> None:
    """N cases in all, as `bench pages` seeds them, each batch enriched for the dashboards. The facts are
    not kept up as the batches go in (the listener is set aside): the rebuild fills them, timed."""
    teams, leader, lead, advisers = ensure_world()
    listeners = (facts.events_recorded, states.events_recorded)
    for listener in listeners:
        case_hooks.events_recorded.unregister(listener)
    try:
        if process_cases and not demo_exists():
            started = time.perf_counter()
            seed_demo(cases=process_cases, story_customer=False)
            took = time.perf_counter() - started
            log(f"walked {process_cases} cases through the complaint process in {took:.1f} s")
        have = Case.objects.count()
        if have >= n:
            log(f"{have:,} cases already present")
            return
        started = time.perf_counter()
        causes = list(RootCause.objects.filter(parent__isnull=False).values_list("code", flat=True)[:12])
        bulk_seed(
            cases=n - have,
            teams=teams,
            owners=[leader, *advisers],
            seed=have + 1,
            batch=10_000,
            progress=lambda done: log(
                f"  seeded {have + done:,} / {n:,} ({time.perf_counter() - started:.0f} s)"
            ),
            after_batch=_both(
                _enrich(random.Random(have + 7), [leader, *advisers], causes),
                _under_regimes(random.Random(have + 11), causes, timezone.now()),
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"seeded {n - have:,} cases in {time.perf_counter() - started:.1f} s")
    finally:
        for listener in listeners:
            case_hooks.events_recorded.register(listener)


def _both(*steps: Callable[[list[Case]], None]) -> Callable[[list[Case]], None]:
    def run(created: list[Case]) -> None:
        for step in steps:
            step(created)

    return run


def rebuild(*, log: Callable[[str], None]) -> RebuildResult:
    result = insights_rebuild(
        progress=lambda done: log(f"  facts of {done:,} cases") if done % 100_000 < 5000 else None
    )
    log(f"rebuilt the facts of {result.cases:,} cases in {result.seconds:.1f} s")
    states = returns_rebuild(
        progress=lambda done: log(f"  states of {done:,} complaints") if done % 100_000 < 2000 else None
    )
    log(f"rebuilt {states.rows:,} states of {states.cases:,} complaints in {states.seconds:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return result


def measure(*, repeats: int, names: list[str] | None = None) -> list[dict]:
    teams, leader, lead, advisers = ensure_world()
    today = timezone.localdate()
    setting = Setting(
        lead=lead,
        leader=leader,
        adviser=advisers[1],
        team=teams[0],
        today=today,
        filters=selectors.default_filters(today),
    )
    results = []
    for name, query in REPORT_QUERIES.items():
        if names and name not in names:
            continue
        work = query(setting)  # warm caches, and check it read something
        require_work(work, f"{name}: it read nothing, so its time is of an empty query: seed more cases")
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            query(setting)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        results.append(
            {
                "name": name,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[max(0, math.ceil(len(times) * 0.95) - 1)], 2),  # nearest rank
                "n": repeats,
                "rows": work,
            }
        )
    return results


__all__ = ["REPORT_QUERIES", "Setting", "measure", "rebuild", "report_query", "seed_to"]
