"""The returns' figures, computed from the case events for any period (docs/design/returns.md).

One selector per return, so each can be timed (`amends bench reports`):

- `fca_return(period)`: the FCA complaints return's figures (DISP 1.10) by product group and cause;
  `fca_return_csv(period)` the same as CSV;
- `hos_report(period)`: the Housing Ombudsman annual complaints performance and service improvement
  report's figures;
- `self_assessment(year)`: the Code self-assessment's answers for a year.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from amends.improvement.selectors import improvements_made
from amends.process.models import CaseClock, Finding, RootCause
from amends.regimes import calendar

from . import mapping
from .history import CaseHistory, candidates, histories
from .hos_code import PROVISIONS, SECTIONS
from .models import ReturnMapping, SelfAssessmentAnswer
from .periods import Period

# Which regimes each return counts. FCA payment services complaints (fca-psd) have a return of their own
# (DISP 1 Annex 1AA), not this one.
FCA_REGIMES = ("fca-disp",)
HOS_REGIMES = ("hos-2024",)
UPHELD = {Finding.Outcome.JUSTIFIED.value, Finding.Outcome.PARTLY.value}
OUTCOME_WORDS = {
    Finding.Outcome.JUSTIFIED.value: "Upheld",
    Finding.Outcome.PARTLY.value: "Partly upheld",
    Finding.Outcome.NOT.value: "Not upheld",
    "": "No finding recorded",
}
EIGHT_WEEKS = timedelta(weeks=8)
ALL = "All"

# The CSV's columns, in order; their meaning is in docs/design/returns.md. Never renamed: a firm's own
# tools read them.
FCA_COLUMNS = (
    "period_start",
    "period_end",
    "product_group",
    "cause",
    "outstanding_at_start",
    "opened",
    "closed",
    "closed_within_3_business_days",
    "closed_after_3_business_days_within_8_weeks",
    "closed_after_8_weeks",
    "upheld",
    "upheld_share",
    "redress_paid_gbp",
)


@dataclass
class FcaRow:
    product_group: str
    cause: str
    outstanding_at_start: int = 0
    opened: int = 0
    closed: int = 0
    closed_within_3_business_days: int = 0
    closed_after_3_business_days_within_8_weeks: int = 0
    closed_after_8_weeks: int = 0
    upheld: int = 0
    redress_paid_gbp: Decimal = Decimal("0.00")

    @property
    def upheld_share(self) -> Decimal | None:
        """Upheld as a share of closed (0 to 1, four places); None with nothing closed."""
        if not self.closed:
            return None
        return (Decimal(self.upheld) / Decimal(self.closed)).quantize(Decimal("0.0001"))

    def add(self, other: FcaRow) -> None:
        for name in (
            "outstanding_at_start",
            "opened",
            "closed",
            "closed_within_3_business_days",
            "closed_after_3_business_days_within_8_weeks",
            "closed_after_8_weeks",
            "upheld",
            "redress_paid_gbp",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def mappings() -> tuple[dict[str, str], dict[str, str]]:
    """The organisation's own mapping rows: (products, causes)."""
    products: dict[str, str] = {}
    causes: dict[str, str] = {}
    for kind, key, value in ReturnMapping.objects.values_list("kind", "key", "value"):
        (products if kind == ReturnMapping.Kind.PRODUCT else causes)[key] = value
    return products, causes


def _parents() -> dict[str, str | None]:
    return dict(RootCause.objects.values_list("code", "parent__code"))


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


def fca_return(period: Period, *, regimes: Iterable[str] = FCA_REGIMES) -> list[FcaRow]:
    """The FCA complaints return for `period`: a row per product group and cause with any figure, sorted,
    then one total row ("All", "All"). Rebuilt from the events: what Amends held at the period's end."""
    start, end = period.start, period.end
    products, causes = mappings()
    parents = _parents()
    rows: dict[tuple[str, str], FcaRow] = {}
    for h in histories(candidates(regimes, start, end)):
        if not h.regime_applied_before(end):
            continue
        kind, product, _ = h.classification_at(end)
        if kind != "complaint":
            continue
        closed_at = h.finished_since(end)
        closed_in = closed_at is not None and start <= closed_at < end
        opened_in = start <= h.received_at < end
        outstanding = h.received_at < start and h.finished_since(start) is None
        if not (closed_in or opened_in or outstanding):
            continue
        finding = h.finding_at(closed_at if closed_in else end)
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
            row.redress_paid_gbp += h.redress_at(closed_at)
    ordered = [rows[k] for k in sorted(rows)]
    total = FcaRow(ALL, ALL)
    for row in ordered:
        total.add(row)
    return [*ordered, total]


def fca_rows_out(period: Period, rows: list[FcaRow]) -> list[dict[str, str]]:
    """The rows as the CSV and the API give them: every column as text, money to the penny."""
    out = []
    for row in rows:
        values = asdict(row)
        values["upheld_share"] = "" if row.upheld_share is None else str(row.upheld_share)
        values["redress_paid_gbp"] = f"{row.redress_paid_gbp:.2f}"
        values["period_start"], values["period_end"] = period.first.isoformat(), period.last.isoformat()
        out.append({column: str(values[column]) for column in FCA_COLUMNS})
    return out


def fca_return_csv(period: Period, rows: list[FcaRow] | None = None) -> str:
    """The FCA return as CSV: FCA_COLUMNS, a row per product group and cause, the total last."""
    rows = fca_return(period) if rows is None else rows
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FCA_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(fca_rows_out(period, rows))
    return buffer.getvalue()


# --- Housing Ombudsman: annual complaints performance and service improvement report -----------------


@dataclass
class StageFigures:
    """One stage's figures for the year."""

    received: int = 0
    responded: int = 0
    within_timescale: int = 0
    extended: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    working_days_total: int = 0

    @property
    def within_share(self) -> Decimal | None:
        if not self.responded:
            return None
        return (Decimal(self.within_timescale) / Decimal(self.responded)).quantize(Decimal("0.0001"))

    @property
    def mean_working_days(self) -> Decimal | None:
        if not self.responded:
            return None
        return (Decimal(self.working_days_total) / Decimal(self.responded)).quantize(Decimal("0.1"))


@dataclass
class HosReport:
    period: Period
    stage1: StageFigures
    stage2: StageFigures
    referred_to_ombudsman: int
    themes: list[tuple[str, int]]  # categories of the complaints received
    root_causes: list[tuple[str, int]]  # of the findings the year's responses gave
    redress_gbp: Decimal
    improvements: list[dict]

    def as_dict(self) -> dict:
        def stage(s: StageFigures) -> dict:
            return {
                "received": s.received,
                "responded": s.responded,
                "within_timescale": s.within_timescale,
                "within_share": None if s.within_share is None else str(s.within_share),
                "extended": s.extended,
                "mean_working_days": None if s.mean_working_days is None else str(s.mean_working_days),
                "outcomes": dict(s.outcomes),
            }

        return {
            "period_start": self.period.first.isoformat(),
            "period_end": self.period.last.isoformat(),
            "stage1": stage(self.stage1),
            "stage2": stage(self.stage2),
            "referred_to_ombudsman": self.referred_to_ombudsman,
            "themes": [{"name": n, "count": c} for n, c in self.themes],
            "root_causes": [{"name": n, "count": c} for n, c in self.root_causes],
            "redress_gbp": f"{self.redress_gbp:.2f}",
            "improvements": self.improvements,
        }


def improvements_in(period: Period) -> list[dict]:
    """The service improvements made in `period`, for the annual report: each a dict with "title",
    "cause", "stage" and "outcome", as they stood at the period's end (improvement actions past Plan,
    from their event history)."""
    return improvements_made(period.start, period.end)


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


def hos_report(period: Period, *, regimes: Iterable[str] = HOS_REGIMES) -> HosReport:
    """The annual report's figures for `period` (usually a financial year), from the events and the
    met response clocks: stage 1 and stage 2 complaints received and answered, within the Code's
    timescales, extended, their outcomes, the themes and root causes, referrals to the Ombudsman."""
    start, end = period.start, period.end
    parents = _parents()
    names = dict(RootCause.objects.values_list("code", "name"))
    found = [h for h in histories(candidates(regimes, start, end)) if h.regime_applied_before(end)]
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
        for e in h.escalations_in(h.received_at, end):
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
            finding = h.finding_at(clock.met_at)
            outcome = OUTCOME_WORDS.get(finding[0] if finding else "", "No finding recorded")
            figures.outcomes[outcome] = figures.outcomes.get(outcome, 0) + 1
            if finding and finding[1]:
                parent = parents.get(finding[1])
                label = names.get(finding[1], finding[1])
                causes[f"{names.get(parent, parent)}: {label}" if parent else label] += 1
            answered = max(answered or clock.met_at, clock.met_at)
        if answered is not None:
            redress += h.redress_at(answered)  # once a case, as it stood at its last response
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


# --- the Code self-assessment ----------------------------------------------------------------------------


@dataclass
class Answer:
    provision: str
    text: str
    section: str
    evidence_label: str
    complies: str = ""
    how: str = ""
    evidence: str = ""
    actions: str = ""
    version: int = 0
    recorded_by: str = ""
    recorded_at: datetime | None = None


def self_assessment(year: int, *, as_at: datetime | None = None) -> list[tuple[str, list[Answer]]]:
    """The Code's sections, each with its provisions and the organisation's latest answer for `year`
    (as it stood at `as_at`, when given): every provision, answered or not."""
    latest: dict[str, SelfAssessmentAnswer] = {}
    answers = SelfAssessmentAnswer.objects.filter(year=year).select_related("recorded_by")
    if as_at is not None:
        answers = answers.filter(recorded_at__lte=as_at)
    for answer in answers.order_by("provision", "version"):
        latest[answer.provision] = answer
    by_section: dict[str, list[Answer]] = defaultdict(list)
    for p in PROVISIONS:
        row = Answer(provision=p.code, text=p.text, section=p.section, evidence_label=p.evidence)
        if (a := latest.get(p.code)) is not None:
            row.complies, row.how, row.evidence, row.actions = a.complies, a.how, a.evidence, a.actions
            row.version, row.recorded_at = a.version, a.recorded_at
            row.recorded_by = a.recorded_by.get_full_name() or a.recorded_by.get_username()
        by_section[p.section].append(row)
    return [(title, by_section[code]) for code, title in SECTIONS]


def self_assessment_versions(year: int) -> dict[str, int]:
    """Each provision's current version for `year` (0: never answered): what an edit form carries."""
    versions: dict[str, int] = {}
    for provision, version in SelfAssessmentAnswer.objects.filter(year=year).values_list(
        "provision", "version"
    ):
        versions[provision] = max(version, versions.get(provision, 0))
    return versions


def known_products(regimes: Iterable[str] = FCA_REGIMES) -> list[str]:
    """The products complaints under these regimes are about, for the mapping form."""
    from amends.cases.models import Case

    return sorted(
        p
        for p in Case.objects.filter(process__regime_version__regime__code__in=list(regimes))
        .exclude(product="")
        .values_list("product", flat=True)
        .distinct()
    )
