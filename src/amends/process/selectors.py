"""What the case page shows of the process, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from amends.cases.hooks import QueueFilter
from amends.cases.lifecycle import Status
from amends.cases.models import Case, CaseKind
from amends.core.permissions import can_work_case, staff_of
from amends.letters.models import Letter, LetterEnclosure
from amends.messaging.models import Message
from amends.regimes.calendar import customer_date

from .authority import limits_for, option_within
from .models import (
    Agreement,
    ApprovalRequest,
    CaseClock,
    CaseProcess,
    EvidenceFile,
    EvidenceItem,
    Finding,
    Option,
    Promise,
    RootCause,
    SatisfactionCheck,
    Task,
    Understanding,
)
from .rules import RESPONSE_LETTERS, next_stage
from .services import definition_of


@dataclass
class ClockView:
    clock: CaseClock
    state: str  # running, at_risk, breached, met, lapsed, stopped, paused
    can_extend: bool


@dataclass
class Panel:
    """What the process panel shows. `process` is None for a problem, and a complaint no regime covers
    yet: their steps are WM57's with no clocks and no letters (`steps_without_regime`)."""

    process: CaseProcess | None
    case_kind: str = ""
    definition: Any = None
    clocks: list[ClockView] = field(default_factory=list)
    understanding: Understanding | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    finding: Finding | None = None
    options: list[Option] = field(default_factory=list)
    approvals: list[ApprovalRequest] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    satisfaction: SatisfactionCheck | None = None
    agreement: Agreement | None = None
    tasks: list[Task] = field(default_factory=list)
    letters: list = field(default_factory=list)
    letter_kinds: list[str] = field(default_factory=list)
    root_causes: list[RootCause] = field(default_factory=list)
    next_step: str = ""
    case_status: str = ""
    update_due: bool = False
    progress_draft: str = ""
    can_work: bool = False
    can_choose: dict[int, bool] = field(default_factory=dict)
    can_approve: dict[int, bool] = field(default_factory=dict)

    @property
    def steps_without_regime(self) -> bool:
        """A problem, or a complaint still without a regime: WM57's steps, no clocks, no letters. A query
        has only its promises."""
        return self.process is None and self.case_kind in {CaseKind.PROBLEM, CaseKind.COMPLAINT}

    @property
    def chosen(self) -> Option | None:
        return next((o for o in self.options if o.status == Option.Status.CHOSEN), None)

    @property
    def open_actions(self) -> int:
        """Tasks not done and promises not yet kept, broken or renegotiated."""
        return sum(t.is_open for t in self.tasks) + sum(
            p.status == Promise.Status.OPEN for p in self.promises
        )


def clock_state(clock: CaseClock, now) -> str:
    if clock.status != CaseClock.Status.RUNNING:
        return clock.status
    if clock.paused_at is not None:
        return "paused"
    if clock.due_at <= now:
        return "lapsed" if clock.optional else "breached"
    if clock.warn_at is not None and clock.warn_at <= now:
        return "at_risk"
    return "running"


def next_step(panel: Panel) -> str:
    """The step the process expects next, in the words of the standards."""
    process = panel.process
    if panel.case_status == Status.CLOSED:
        return "Nothing: the case is closed. If the customer writes again, it re-opens."
    if process is None:
        if panel.case_kind == CaseKind.COMPLAINT:
            then = _without_regime(panel)
            return (
                "Apply the regime that covers this complaint, so its clocks and letter rules apply. Until "
                f"one does: {then[0].lower()}{then[1:]}"
            )
        return _without_regime(panel)
    sent = {letter.kind for letter in panel.letters if letter.status != "draft"}
    if "acknowledgement" in panel.letter_kinds and process.acknowledged_at is None:
        return "Send the acknowledgement letter with the timescales."
    if panel.understanding is None:
        return "Write a check-back summary: what happened, its impact and the outcome the customer wants."
    if panel.understanding.confirmed_at is None:
        return "Ask the customer to confirm the summary (on their status page or by phone)."
    if panel.finding is None:
        return "Investigate: add the evidence and record a finding with your reasoning."
    if not any(o.status == Option.Status.CHOSEN for o in panel.options):
        if any(o.status == Option.Status.AWAITING_APPROVAL for o in panel.options):
            return "Wait for the approval decision on the option beyond your authority."
        return "Weigh the options for the customer and the organisation, then choose one."
    if process.response_sent_at is None or not (sent & RESPONSE_LETTERS):
        if not panel.finding.customer_explanation.strip():
            return (
                "Write the finding's explanation for the customer, then draft and send the response letter."
            )
        return "Send the response letter."
    if not process.customer_answer:
        return "Record whether the customer accepts the response."
    if panel.satisfaction is None:
        return "Check the customer's satisfaction."
    if process.customer_answer == "not_accepted":
        return _after_not_accepted(panel)
    return "Close the case with your reasons."


def _without_regime(panel: Panel) -> str:
    """A problem resolved step by step (WM57 1, 5-8, 10-15), or a complaint no regime covers yet (which is
    investigated too: CFACSC7 5). A query follows no steps: only its promises."""
    if panel.case_kind == CaseKind.QUERY:
        return "Answer the query; record any promise you make to the customer."
    if panel.understanding is None:
        return (
            "Ask the customer about the problem and write a check-back summary: what happened, its impact "
            "and the outcome they want (WM57 1)."
        )
    if panel.understanding.confirmed_at is None:
        return "Ask the customer to confirm the summary (on their status page or by phone)."
    if panel.case_kind == CaseKind.COMPLAINT and panel.finding is None:
        return "Investigate: add the evidence and record a finding with your reasoning."
    chosen = panel.chosen
    if chosen is None:
        if any(o.status == Option.Status.AWAITING_APPROVAL for o in panel.options):
            return "Wait for the approval decision on the option beyond your authority."
        if not panel.options:
            return (
                "Work out the options for resolving it, each weighed for the customer and for us: cost, "
                "time, risk and what it achieves (WM57 5-7)."
            )
        return "Pick the best option for the customer and for us (WM57 8)."
    if panel.agreement is None:
        return (
            "Discuss the option with the customer and record their agreement: who agreed, how and when "
            "(WM57 10)."
        )
    if not panel.tasks and not panel.promises:
        return (
            "Set out the actions that carry out the agreed option: a promise to the customer, or a task with "
            "an owner and a due date (WM57 11)."
        )
    if panel.open_actions:
        return f"Carry out the agreed actions: {panel.open_actions} still open (WM57 11-12)."
    if panel.satisfaction is None:
        return "Check with the customer that the problem is resolved to their satisfaction (WM57 14)."
    if panel.satisfaction.answer in {SatisfactionCheck.Answer.NOT, SatisfactionCheck.Answer.PARTLY}:
        return (
            "Give the customer clear reasons why it could not be resolved to their satisfaction (WM57 15), "
            "then close the case with your reasons."
        )
    if panel.case_status != Status.RESOLVED:
        return "Mark the case resolved: the customer is satisfied."
    return "Close the case with your reasons."


def _after_not_accepted(panel: Panel) -> str:
    """What a customer who does not accept the response can have: the next stage if the regime has one
    (a single-stage regime never offers it), the independent body if it names one."""
    definition = panel.definition
    body = definition.referral.body if definition and definition.referral else ""
    if definition is not None and next_stage(definition, panel.process.stage) is None:
        if body:
            return f"Refer the customer to {body}, or close the case with your reasons."
        return "Close the case with your reasons; there is no further stage."
    if body:
        return f"Escalate to the next stage, or refer the customer to {body}."
    return "Escalate to the next stage."


def process_panel(case: Case, user: Any) -> Panel:
    process = (
        CaseProcess.objects.select_related("regime_version", "regime_version__regime")
        .filter(case=case)
        .first()
    )
    panel = Panel(
        process=process,
        case_kind=case.kind,
        case_status=case.status,
        can_work=can_work_case(user, case),
    )
    panel.promises = list(case.promises.select_related("owner").order_by("-status", "due_at"))
    if process is None and not panel.steps_without_regime:  # a query: its promises, nothing else
        panel.next_step = next_step(panel)
        return panel
    if process is not None:
        _regime(panel, case, process)
    _steps(panel, case)
    if panel.can_work and panel.options:
        _authority(panel, user)
    panel.next_step = next_step(panel)
    if process is not None and process.next_update_due is not None and case.is_open:
        panel.update_due = process.next_update_due <= timezone.now() + timedelta(days=1)
        panel.progress_draft = progress_update_draft(case, panel)
    return panel


def _regime(panel: Panel, case: Case, process: CaseProcess) -> None:
    """The regime's part: its definition, the clocks, the letters."""
    panel.definition = definition_of(process)
    panel.letter_kinds = list(panel.definition.letters)
    now = timezone.now()
    stage = panel.definition.stage(process.stage)
    extendable = {stage.extension.extends} if stage.extension else set()
    panel.clocks = [
        ClockView(
            c,
            clock_state(c, now),
            c.status == "running" and c.code in extendable and c.stage == process.stage,
        )
        for c in CaseClock.objects.filter(case=case).order_by("stage", "due_at")
    ]
    panel.letters = list(
        Letter.objects.filter(case=case)
        .prefetch_related(Prefetch("enclosures", LetterEnclosure.objects.defer("content").order_by("pk")))
        .order_by("created_at")
        .defer("pdf", "html")
    )


def _steps(panel: Panel, case: Case) -> None:
    """The steps recorded on the case, whoever may see it: each a fixed number of queries, and none for a
    step that cannot have been taken yet (no approvals without options, no agreement without a choice)."""
    investigated = panel.process is not None or panel.case_kind == CaseKind.COMPLAINT
    panel.understanding = case.understandings.order_by("-recorded_at", "-id").first()
    if investigated:  # a problem is not investigated for a finding (WM57 has none)
        panel.evidence = list(
            case.evidence.select_related("added_by")
            .prefetch_related(Prefetch("files", EvidenceFile.objects.defer("content").order_by("pk")))
            .order_by("added_at")
        )
        panel.finding = (
            case.findings.select_related("root_cause", "recorded_by").order_by("-recorded_at", "-id").first()
        )
        if panel.can_work:  # the finding form's list, in the order it shows them ("Parent: child")
            panel.root_causes = sorted(
                RootCause.objects.filter(active=True).select_related("parent"),
                key=lambda rc: str(rc).casefold(),
            )
    panel.options = list(
        case.options.select_related("created_by").prefetch_related("remedies").order_by("created_at")
    )
    if panel.options:
        panel.approvals = list(
            ApprovalRequest.objects.filter(option__case=case).select_related("requested_by", "decided_by")
        )
        by_pk = {option.pk: option for option in panel.options}
        for request in panel.approvals:
            request.option = by_pk[request.option_id]  # already loaded, with its remedies
    panel.satisfaction = case.satisfaction_checks.order_by("-checked_at").first()
    # Agreement and tasks are WM57's steps after choosing; a regime's path goes by its response letter,
    # but a complaint worked before its regime applied keeps what it recorded.
    if panel.chosen is not None:
        panel.agreement = (
            case.agreements.select_related("option", "recorded_by").order_by("-recorded_at", "-id").first()
        )
    panel.tasks = list(
        case.tasks.select_related("owner", "done_by").order_by(
            F("done_at").asc(nulls_first=True), "due_at", "id"
        )
    )


def _authority(panel: Panel, user: Any) -> None:
    """Which options this user may choose, and which approvals decide: only for someone who works the case
    (one who reads it, an assessor, is offered neither)."""
    staff = staff_of(user)
    limits = limits_for(staff.role if staff else None)
    for option in panel.options:
        panel.can_choose[option.pk] = option_within(limits, option)
    for request in panel.approvals:
        panel.can_approve[request.pk] = request.requested_by_id != getattr(
            user, "pk", None
        ) and option_within(limits, request.option)


def progress_update_draft(case: Case, panel: Panel) -> str:
    """A progress update the adviser can edit and send: where things are and when to expect more (WM57 13)."""
    running = [c.clock for c in panel.clocks if c.state in {"running", "at_risk"} and not c.clock.optional]
    if panel.finding is None:
        where_now = "We are still looking into what happened and checking our records."
    elif not any(o.status == Option.Status.CHOSEN for o in panel.options):
        where_now = (
            "We have finished looking into what happened and are deciding how best to put things right."
        )
    else:
        where_now = "We have decided how to put things right and are preparing our full response."
    due = min((c.due_at for c in running), default=None)
    when = (
        f" We will send you our response by {customer_date(due, case.customer.nation):%A %-d %B %Y}."
        if due
        else ""
    )
    return (
        f"Dear {case.customer.name},\n\nI am writing to update you on your complaint ({case.reference}). "
        f"{where_now}{when}\n\nIf anything has changed, or you have anything to add, please reply to this "
        f"message.\n\nKind regards"
    )


# The queue filters a routine reminder's digest links to (process.notices): reminded and not done yet.


def _clock_at_risk(cases: QuerySet[Case]) -> QuerySet[Case]:
    warned = CaseClock.objects.filter(
        case=OuterRef("pk"), status=CaseClock.Status.RUNNING, warned_at__isnull=False
    )
    return cases.filter(Exists(warned))


def _update_due(cases: QuerySet[Case]) -> QuerySet[Case]:
    update_since = Message.objects.filter(
        case=OuterRef("case"), direction="out", occurred_at__gte=OuterRef("next_update_reminded_at")
    )
    reminded = CaseProcess.objects.filter(case=OuterRef("pk"), next_update_reminded_at__isnull=False)
    return cases.filter(Exists(reminded.filter(~Exists(update_since))))


QUEUE_FILTERS = [
    QueueFilter(code="clock_at_risk", label="A clock close to its due time", apply=_clock_at_risk),
    QueueFilter(code="update_due", label="Customer due a progress update", apply=_update_due),
]
