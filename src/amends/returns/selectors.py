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
from datetime import datetime
from decimal import Decimal

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.fields.json import KT

from amends.cases.events import EventKind
from amends.cases.models import CaseEvent
from amends.improvement.selectors import improvements_made
from amends.process.models import Finding, RootCause

from . import mapping
from .hos_code import PROVISIONS, SECTIONS
from .models import ComplaintResponse, ComplaintState, ReturnMapping, SelfAssessmentAnswer
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


def _at(regimes: Iterable[str], moment: datetime) -> QuerySet[ComplaintState]:
    """Each complaint's row as it stood at `moment` (events strictly before it) under these regimes, the
    regime applied before it: a complaint then."""
    return ComplaintState.objects.filter(
        regime__in=list(regimes),
        regime_at__lt=moment,
        valid_from__lt=moment,
        valid_to__gte=moment,
        kind="complaint",
    )


def _fca_key(closed: Q) -> DbCase:
    """The root cause a complaint is counted under: the finding it closed with, else its latest."""
    return DbCase(When(closed, then=F("closure_root_cause")), default=F("root_cause"))


def fca_return(period: Period, *, regimes: Iterable[str] = FCA_REGIMES) -> list[FcaRow]:
    """The FCA complaints return for `period`: a row per product group and cause with any figure, sorted,
    then one total row ("All", "All"). What Amends held at the period's end, from the stored states
    (states.py): three grouped queries whatever the number of complaints."""
    start, end = period.start, period.end
    products, causes = mappings()
    parents = _parents()
    closed = Q(finished_since__gte=start, finished_since__lt=end)
    opened = Q(received_at__gte=start, received_at__lt=end)
    at_end = _at(regimes, end)

    def flag(condition: Q) -> Sum:
        return Sum(DbCase(When(condition, then=1), default=0, output_field=IntegerField()))

    upheld = Q(closure_outcome__in=sorted(UPHELD))
    money = DecimalField(max_digits=14, decimal_places=2)
    # Received in the period (closed in it or not), then closed in it but received before: two disjoint
    # sets, each read along one index.
    received = (
        at_end.filter(opened)
        .annotate(cause_code=_fca_key(closed))
        .values("product", "cause_code")
        .annotate(
            opened=Count("id"),
            closed=flag(closed),
            within_3=flag(closed & Q(bucket="closed_within_3_business_days")),
            within_8_weeks=flag(closed & Q(bucket="closed_after_3_business_days_within_8_weeks")),
            after_8_weeks=flag(closed & Q(bucket="closed_after_8_weeks")),
            upheld=flag(closed & upheld),
            redress=Sum(
                DbCase(When(closed, then=F("closure_redress")), default=Value(Decimal(0)), output_field=money)
            ),
        )
    )
    earlier = (
        at_end.filter(closed, received_at__lt=start)
        .annotate(cause_code=F("closure_root_cause"))
        .values("product", "cause_code")
        .annotate(
            opened=Value(0),
            closed=Count("id"),
            within_3=flag(Q(bucket="closed_within_3_business_days")),
            within_8_weeks=flag(Q(bucket="closed_after_3_business_days_within_8_weeks")),
            after_8_weeks=flag(Q(bucket="closed_after_8_weeks")),
            upheld=flag(upheld),
            redress=Sum("closure_redress"),
        )
    )
    # Outstanding at the start: received before it and open then (its row at the start unfinished).
    open_at_start = ComplaintState.objects.filter(
        regime__in=list(regimes),
        received_at__lt=start,
        finished_since__isnull=True,
        valid_from__lt=start,
        valid_to__gte=start,
    ).values("case_id")
    outstanding = (
        at_end.filter(received_at__lt=start, case_id__in=open_at_start)
        .annotate(cause_code=_fca_key(closed))
        .values("product", "cause_code")
        .annotate(n=Count("id"))
    )
    rows: dict[tuple[str, str], FcaRow] = {}

    def row_of(product: str, code: str) -> FcaRow:
        key = (mapping.product_group(product, products), mapping.cause(code, parents.get(code), causes))
        return rows.setdefault(key, FcaRow(*key))

    for g in [*received, *earlier]:
        row = row_of(g["product"], g["cause_code"])
        row.opened += g["opened"]
        row.closed += g["closed"]
        row.closed_within_3_business_days += g["within_3"]
        row.closed_after_3_business_days_within_8_weeks += g["within_8_weeks"]
        row.closed_after_8_weeks += g["after_8_weeks"]
        row.upheld += g["upheld"]
        row.redress_paid_gbp += Decimal(g["redress"] or 0)
    for g in outstanding:
        row_of(g["product"], g["cause_code"]).outstanding_at_start += g["n"]
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


def _redress_at_last_responses(responses: QuerySet[ComplaintResponse]) -> Decimal:
    """The money to put things right, once a case, as it stood at its last response of these: every
    response's money added up, less that of the responses a later one of the same case follows (only cases
    answered more than once in the period, a few, are read row by row)."""
    total = Decimal(responses.aggregate(total=Sum("redress"))["total"] or 0)
    several = responses.values("case_id").annotate(n=Count("id")).filter(n__gt=1).values("case_id")
    last: dict[int, tuple] = {}
    for case_id, met, money in responses.filter(case_id__in=several).values_list(
        "case_id", "met_at", "redress"
    ):
        total -= money
        if case_id not in last or met > last[case_id][0]:
            last[case_id] = (met, money)
    return total + sum((money for _, money in last.values()), Decimal(0))


def hos_report(period: Period, *, regimes: Iterable[str] = HOS_REGIMES) -> HosReport:
    """The annual report's figures for `period` (usually a financial year), from the stored states and
    responses (states.py) and the escalation events: stage 1 and stage 2 complaints received and answered,
    within the Code's timescales, extended, their outcomes, the themes and root causes, referrals to the
    Ombudsman. Grouped queries whatever the number of complaints."""
    start, end = period.start, period.end
    parents = _parents()
    names = dict(RootCause.objects.values_list("code", "name"))
    at_end = _at(regimes, end)
    # A complaint at the end (its row then): checked row by row on the few events and responses of the
    # period, by the (case, valid from) index, rather than listing every complaint first.
    complaint = Exists(_at(regimes, end).filter(case_id=OuterRef("case_id")))
    stages = {"stage1": StageFigures(), "stage2": StageFigures()}
    themes: Counter[str] = Counter()
    for category, n in (
        at_end.filter(received_at__gte=start, received_at__lt=end)
        .values_list("category")
        .annotate(n=Count("id"))
    ):
        stages["stage1"].received += n
        themes[category or "Not categorised"] += n
    escalated = CaseEvent.objects.filter(complaint, kind=EventKind.ESCALATED.value, at__gte=start, at__lt=end)
    for stage, n in (
        escalated.filter(after__stage__in=list(stages))
        .values_list(KT("after__stage"))
        .annotate(n=Count("id"))
    ):
        stages[stage].received += n
    referred = escalated.filter(after__stage__isnull=True, after__referred_to__isnull=False).count()
    # The responses of the period, less those of cases that were no longer complaints at its end (a
    # response presupposes the regime, applied before it): re-classified cases are few, so they are listed
    # (a partial index) rather than every response checked against its complaint's row.
    not_complaints = (
        ComplaintState.objects.filter(regime__in=list(regimes), valid_from__lt=end, valid_to__gte=end)
        .exclude(kind="complaint")
        .values("case_id")
    )
    responses = ComplaintResponse.objects.filter(
        regime__in=list(regimes), met_at__gte=start, met_at__lt=end
    ).exclude(case_id__in=not_complaints)
    causes: Counter[str] = Counter()
    for g in responses.values("stage", "outcome", "root_cause").annotate(
        n=Count("id"),
        within=Sum(DbCase(When(within_timescale=True, then=1), default=0, output_field=IntegerField())),
        extended=Sum(DbCase(When(extended=True, then=1), default=0, output_field=IntegerField())),
        days=Sum("working_days"),
    ):
        figures = stages.get(g["stage"])
        if figures is None:
            continue
        figures.responded += g["n"]
        figures.within_timescale += g["within"]
        figures.extended += g["extended"]
        figures.working_days_total += g["days"]
        word = OUTCOME_WORDS.get(g["outcome"], "No finding recorded")
        figures.outcomes[word] = figures.outcomes.get(word, 0) + g["n"]
        if root := g["root_cause"]:
            parent = parents.get(root)
            label = names.get(root, root)
            causes[f"{names.get(parent, parent)}: {label}" if parent else label] += g["n"]
    redress = _redress_at_last_responses(responses.filter(stage__in=list(stages)))
    return HosReport(
        period=period,
        stage1=stages["stage1"],
        stage2=stages["stage2"],
        referred_to_ombudsman=referred,
        themes=sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])),
        root_causes=sorted(causes.items(), key=lambda kv: (-kv[1], kv[0])),
        redress_gbp=Decimal(redress),
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
