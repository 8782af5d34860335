"""The returns as the events give them, case by case: the first implementation, kept as the oracle the
stored states (states.py) are checked against (test_states.py). Slow on purpose: it replays every case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from amends.cases.events import EventKind
from amends.cases.lifecycle import Status
from amends.cases.models import CaseEvent
from amends.process.models import CaseClock, CaseProcess, RootCause
from amends.process.rules import MONETARY_REMEDIES
from amends.regimes import calendar
from amends.returns import mapping
from amends.returns.history import OPEN, CaseHistory, Event, histories
from amends.returns.periods import Period
from amends.returns.selectors import (
    ALL,
    FCA_REGIMES,
    HOS_REGIMES,
    OUTCOME_WORDS,
    UPHELD,
    FcaRow,
    HosReport,
    StageFigures,
    _parents,
    improvements_in,
    mappings,
)
from amends.returns.states import EIGHT_WEEKS

# How the first implementation read a history at a moment (the app now reads the stored states).


def regime_applied_before(h: CaseHistory, moment: datetime) -> bool:
    return any(e.kind == EventKind.REGIME_APPLIED and e.at < moment for e in h.events)


def finished_since(h: CaseHistory, moment: datetime) -> datetime | None:
    """When the case last finished (left the open statuses) before `moment`, if it was still finished
    then; None when it was open (or not yet opened) at `moment`."""
    since = None
    for e in h.events:
        if e.at >= moment:
            break
        if e.kind not in (EventKind.OPENED, EventKind.STATUS_CHANGED, EventKind.REOPENED):
            continue
        status = e.after.get("status", Status.NEW.value)
        if status in OPEN:
            since = None
        elif since is None:
            since = e.at
    return since


def finding_at(h: CaseHistory, moment: datetime) -> tuple[str, str | None] | None:
    """(outcome, root cause code) of the last finding recorded at or before `moment`."""
    found = None
    for e in h.events:
        if e.at > moment:
            break
        if e.kind == EventKind.FINDING_RECORDED:
            found = (e.after.get("outcome", ""), e.after.get("root_cause"))
    return found


def redress_at(h: CaseHistory, moment: datetime) -> Decimal:
    """The money of every option chosen at or before `moment`."""
    remedies: dict[int, list[dict]] = {}
    total = Decimal(0)
    for e in h.events:
        if e.at > moment:
            break
        if e.kind == EventKind.OPTION_ADDED:
            remedies[e.after.get("option")] = e.after.get("remedies") or []
        elif e.kind == EventKind.OPTION_CHOSEN:
            for remedy in remedies.get(e.after.get("option"), []):
                if remedy.get("kind") in MONETARY_REMEDIES and remedy.get("amount") is not None:
                    total += Decimal(str(remedy["amount"]))
    return total


def escalations_in(h: CaseHistory, start: datetime, end: datetime) -> list[Event]:
    return [e for e in h.events if e.kind == EventKind.ESCALATED and start <= e.at < end]


def closure_bucket(history: CaseHistory, closed_at: datetime) -> str:
    """Which DISP closure bucket: within 3 business days (by the end of the third business day after the
    day of receipt, London dates, the customer's nation's bank holidays), else within 8 weeks (by the
    end of the 56th day after the day of receipt), else after 8 weeks."""
    received = calendar.to_london(history.received_at).date()
    closed = calendar.to_london(closed_at).date()
    if closed <= calendar.add_business_days(received, 3, history.nation):
        return "closed_within_3_business_days"
    if closed <= received + EIGHT_WEEKS:
        return "closed_after_3_business_days_within_8_weeks"
    return "closed_after_8_weeks"


def fca_return_replayed(period: Period, *, regimes: Iterable[str] = FCA_REGIMES) -> list[FcaRow]:
    """The FCA complaints return for `period`: a row per product group and cause with any figure, sorted,
    then one total row ("All", "All"). Rebuilt from the events: what Amends held at the period's end."""
    start, end = period.start, period.end
    products, causes = mappings()
    parents = _parents()
    rows: dict[tuple[str, str], FcaRow] = {}
    for h in histories(candidates(regimes, start, end)):
        if not regime_applied_before(h, end):
            continue
        kind, product, _ = h.classification_at(end)
        if kind != "complaint":
            continue
        closed_at = finished_since(h, end)
        closed_in = closed_at is not None and start <= closed_at < end
        opened_in = start <= h.received_at < end
        outstanding = h.received_at < start and finished_since(h, start) is None
        if not (closed_in or opened_in or outstanding):
            continue
        finding = finding_at(h, closed_at if closed_in else end)
        root = finding[1] if finding else None
        key = (mapping.product_group(product, products), mapping.cause(root, parents.get(root or ""), causes))
        row = rows.setdefault(key, FcaRow(*key))
        row.outstanding_at_start += outstanding
        row.opened += opened_in
        if closed_in:
            row.closed += 1
            bucket = closure_bucket(h, closed_at)
            setattr(row, bucket, getattr(row, bucket) + 1)
            row.upheld += bool(finding and finding[0] in UPHELD)
            row.redress_paid_gbp += redress_at(h, closed_at)
    ordered = [rows[k] for k in sorted(rows)]
    total = FcaRow(ALL, ALL)
    for row in ordered:
        total.add(row)
    return [*ordered, total]


def _response_clocks(case_ids: list[int]) -> dict[tuple[int, str], CaseClock]:
    """Each case's response clock per stage (the one a response letter meets, not an optional window).
    Once met it never changes: an extension is only possible while it runs."""
    clocks: dict[tuple[int, str], CaseClock] = {}
    for i in range(0, len(case_ids), 500):
        for clock in CaseClock.objects.filter(
            case_id__in=case_ids[i : i + 500], met_by="responded", optional=False
        ).order_by("id"):
            clocks.setdefault((clock.case_id, clock.stage), clock)
    return clocks


def hos_report_replayed(period: Period, *, regimes: Iterable[str] = HOS_REGIMES) -> HosReport:
    """The annual report's figures for `period` (usually a financial year), from the events and the
    met response clocks: stage 1 and stage 2 complaints received and answered, within the Code's
    timescales, extended, their outcomes, the themes and root causes, referrals to the Ombudsman."""
    start, end = period.start, period.end
    parents = _parents()
    names = dict(RootCause.objects.values_list("code", "name"))
    found = [h for h in histories(candidates(regimes, start, end)) if regime_applied_before(h, end)]
    found = [h for h in found if h.classification_at(end)[0] == "complaint"]
    clocks = _response_clocks([h.case_id for h in found])
    stages = {"stage1": StageFigures(), "stage2": StageFigures()}
    themes: Counter[str] = Counter()
    causes: Counter[str] = Counter()
    referred = 0
    redress = Decimal(0)
    for h in found:
        if start <= h.received_at < end:
            stages["stage1"].received += 1
            themes[h.classification_at(end)[2] or "Not categorised"] += 1
        stage_started = {"stage1": h.received_at}
        for e in escalations_in(h, h.received_at, end):
            if e.after.get("stage"):
                stage_started[e.after["stage"]] = e.at
                if start <= e.at and e.after["stage"] in stages:
                    stages[e.after["stage"]].received += 1
            elif e.after.get("referred_to") and start <= e.at:
                referred += 1
        answered = None
        for code, figures in stages.items():
            clock = clocks.get((h.case_id, code))
            if clock is None or clock.met_at is None or not (start <= clock.met_at < end):
                continue
            figures.responded += 1
            figures.within_timescale += clock.met_at <= clock.due_at
            figures.extended += clock.extended_from is not None
            began = stage_started.get(code, h.received_at)
            figures.working_days_total += max(
                0,
                calendar.business_days_between(
                    calendar.to_london(began).date(), calendar.to_london(clock.met_at).date(), h.nation
                ),
            )
            finding = finding_at(h, clock.met_at)
            outcome = OUTCOME_WORDS.get(finding[0] if finding else "", "No finding recorded")
            figures.outcomes[outcome] = figures.outcomes.get(outcome, 0) + 1
            if finding and finding[1]:
                parent = parents.get(finding[1])
                label = names.get(finding[1], finding[1])
                causes[f"{names.get(parent, parent)}: {label}" if parent else label] += 1
            answered = max(answered or clock.met_at, clock.met_at)
        if answered is not None:
            redress += redress_at(h, answered)  # once a case, as it stood at its last response
    return HosReport(
        period=period,
        stage1=stages["stage1"],
        stage2=stages["stage2"],
        referred_to_ombudsman=referred,
        themes=sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])),
        root_causes=sorted(causes.items(), key=lambda kv: (-kv[1], kv[0])),
        redress_gbp=redress,
        improvements=improvements_in(period),
    )


def candidates(regimes: Iterable[str], start: datetime, end: datetime) -> set[int]:
    """The cases under these regimes that a figure for [start, end) may count: received before the end,
    and either received in the period, or with a status event in it, or open now (then open since), or
    with a status event since the start (then perhaps open at the start). Index-backed: CaseProcess by
    received_at, the case events by kind and time (cases migration `caseevent_kind_at`)."""
    under = CaseProcess.objects.filter(regime_version__regime__code__in=list(regimes), received_at__lt=end)
    received = set(under.filter(received_at__gte=start).values_list("case_id", flat=True))
    moved = set(
        CaseEvent.objects.filter(
            kind__in=[EventKind.STATUS_CHANGED.value, EventKind.REOPENED.value, EventKind.ESCALATED.value],
            at__gte=start,
            case__process__regime_version__regime__code__in=list(regimes),
            case__process__received_at__lt=end,
        ).values_list("case_id", flat=True)
    )
    still_open = set(
        under.filter(received_at__lt=start, case__status__in=sorted(OPEN)).values_list("case_id", flat=True)
    )
    return received | moved | still_open
