"""What the case page shows of the process, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from amends.cases.hooks import QueueFilter
from amends.cases.lifecycle import Status
from amends.cases.models import Case
from amends.core.permissions import staff_of
from amends.letters.models import Letter
from amends.messaging.models import Message
from amends.regimes.calendar import customer_date

from .authority import limits_for, within_limit
from .models import (
    ApprovalRequest,
    CaseClock,
    CaseProcess,
    EvidenceItem,
    Finding,
    Option,
    Promise,
    RootCause,
    SatisfactionCheck,
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
    process: CaseProcess | None
    definition: Any = None
    clocks: list[ClockView] = field(default_factory=list)
    understanding: Understanding | None = None
    evidence: list[EvidenceItem] = field(default_factory=list)
    finding: Finding | None = None
    options: list[Option] = field(default_factory=list)
    approvals: list[ApprovalRequest] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    satisfaction: SatisfactionCheck | None = None
    letters: list = field(default_factory=list)
    letter_kinds: list[str] = field(default_factory=list)
    root_causes: list[RootCause] = field(default_factory=list)
    next_step: str = ""
    case_status: str = ""
    update_due: bool = False
    progress_draft: str = ""
    can_choose: dict[int, bool] = field(default_factory=dict)
    can_approve: dict[int, bool] = field(default_factory=dict)


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
        return "Apply the regime that covers this complaint, so its clocks and letter rules apply."
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
    if process is None:  # "apply a regime" and the promises (every case can have them): nothing else
        panel = Panel(process=None, case_status=case.status)
        panel.promises = list(case.promises.select_related("owner").order_by("-status", "due_at"))
        panel.next_step = next_step(panel)
        return panel
    panel = Panel(
        process=process,
        case_status=case.status,
        # In the order the list shows them ("Parent: child"), each parent followed by its children.
        root_causes=sorted(
            RootCause.objects.filter(active=True).select_related("parent"), key=lambda rc: str(rc).casefold()
        ),
    )
    if process is not None:
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
    panel.understanding = case.understandings.order_by("-recorded_at", "-id").first()
    panel.evidence = list(case.evidence.select_related("added_by").order_by("added_at"))
    panel.finding = (
        case.findings.select_related("root_cause", "recorded_by").order_by("-recorded_at", "-id").first()
    )
    panel.options = list(case.options.select_related("created_by").order_by("created_at"))
    panel.approvals = list(
        ApprovalRequest.objects.filter(option__case=case).select_related(
            "requested_by", "decided_by", "option"
        )
    )
    panel.promises = list(case.promises.select_related("owner").order_by("-status", "due_at"))
    panel.satisfaction = case.satisfaction_checks.order_by("-checked_at").first()
    panel.letters = list(Letter.objects.filter(case=case).order_by("created_at").defer("pdf", "html"))
    staff = staff_of(user)
    role = staff.role if staff else None
    limits = limits_for(role)
    for option in panel.options:
        panel.can_choose[option.pk] = within_limit(
            limits.get(option.remedy_type), option.remedy_type, option.amount
        )
    for request in panel.approvals:
        option = request.option
        panel.can_approve[request.pk] = request.requested_by_id != getattr(user, "pk", None) and within_limit(
            limits.get(option.remedy_type), option.remedy_type, option.amount
        )
    panel.next_step = next_step(panel)
    if process is not None and process.next_update_due is not None and case.is_open:
        panel.update_due = process.next_update_due <= timezone.now() + timedelta(days=1)
        panel.progress_draft = progress_update_draft(case, panel)
    return panel


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
