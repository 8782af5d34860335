"""Carries out the complaint-process steps of a demo plan, and a problem's, through the process and letters
services.

Each runner calls what a person's click would call: process_start, letter_send, understanding_record,
evidence_add, finding_record, option_add, approval_request, approval_decide, option_choose, promise_make,
clock_extend, process_escalate, customer_answer_record, satisfaction_record, and for a problem
agreement_record, task_add and task_done. The services stamp rows with
timezone.now(), and generate.py moves every row a step stamped to the step's planned time afterwards. A few
things cannot wait for that, because a service computes something from "now"; each is corrected where it
happens and marked "Demo back-dating":

- a letter's clocks: process_send_letter meets and starts clocks at the moment the letter went out, so the
  demo calls its two halves (letter_send, then process_letter_sent with the planned time);
- a letter's date: it is rendered with today's date, which is replaced by the planned one;
- an escalation's clocks count from the moment of escalating: the new stage's clocks are re-derived;
- a promise or a task must be due after the wall clock: it is made due as long after now as it was after the
  moment it was made, then given its planned times.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import Case, CaseEvent
from amends.core.files import AttachmentFile
from amends.letters.models import Letter
from amends.letters.rendering import render_pdf  # the real one: seeding swaps the module's for a stub
from amends.letters.services import letter_send
from amends.messaging.models import Attachment, Message
from amends.process.authority import Remedy, approval_decide, approval_request, option_add, option_choose
from amends.process.letters import process_compose_letter
from amends.process.models import (
    ApprovalRequest,
    CaseClock,
    CaseProcess,
    Option,
    Promise,
    Task,
    Understanding,
)
from amends.process.promises import (
    promise_break,
    promise_keep,
    promise_make,
    promise_renegotiate,
    remind_time,
)
from amends.process.resolution import agreement_record, task_add, task_done
from amends.process.rules import acknowledgement_event, clock_events, response_due
from amends.process.services import (
    clock_extend,
    definition_of,
    process_escalate,
    process_letter_sent,
    process_start,
    sync_respond_by,
)
from amends.process.steps import (
    customer_answer_record,
    evidence_add,
    finding_record,
    satisfaction_record,
    understanding_confirm,
    understanding_record,
)
from amends.regimes.clocks import compute

from .files import demo_pdf, demo_photo
from .plan import Step

if TYPE_CHECKING:
    from .generate import Context


@dataclass
class CaseState:
    """What a case's later steps refer back to: its summary, options, approval requests, promises, tasks."""

    understanding: Understanding | None = None
    options: dict[int, Option] = field(default_factory=dict)
    approvals: dict[int, ApprovalRequest] = field(default_factory=dict)
    promises: dict[int, Promise] = field(default_factory=dict)
    tasks: dict[int, Task] = field(default_factory=dict)


@dataclass
class Notice:
    """An approval notification, sent when the seed commits, to be dated when it really happened."""

    text: str
    link: str
    at: datetime
    read_at: datetime | None = None


@dataclass
class Emailed:
    """A letter that went by email, and its PDF on the way (see PdfRenderer)."""

    letter_id: int
    message_id: int
    pdf: Any


class PdfRenderer:
    """Renders emailed letters' PDFs, in a second process when `parallel`: the seed is one long transaction
    on one core, and each PDF takes a fifth of a second or more of WeasyPrint on the other.

    The worker process is forked before the seed starts and only ever renders HTML it is given; it never
    touches the database.
    """

    def __init__(self, *, parallel: bool):
        self.pool = multiprocessing.get_context("fork").Pool(1) if parallel else None

    def __enter__(self) -> PdfRenderer:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()

    def submit(self, html: str) -> Any:
        if self.pool is None:
            return render_pdf(html)
        return self.pool.apply_async(_render_pdf, (html,))

    def result(self, pending: Any) -> bytes:
        return pending if isinstance(pending, bytes) else pending.get()


def _render_pdf(html: str) -> bytes:
    """In the worker process: the real renderer (pickled by this module's name, not the swapped one's)."""
    return render_pdf(html)


def _day(moment: datetime) -> str:
    """The letter template's date format ("j F Y")."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y}"


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%A %-d %B %Y}"


# --- the regime and its letters -----------------------------------------------------------------------------


def _regime(case: Case, step: Step, ctx: Context) -> Case:
    process_start(case=case, regime_code=step.data["regime"], actor=ctx.user(step.actor))
    return case


def _letter(case: Case, step: Step, ctx: Context) -> Case:
    d, actor = step.data, ctx.user(step.actor)
    fields = {**d["fields"], **_fields(case, d, step.at, ctx)}
    letter = process_compose_letter(case=case, kind=d["kind"], actor=actor, fields=fields)
    with transaction.atomic():
        sent = letter_send(letter=letter, actor=actor, by=d["by"])
        # Demo back-dating: process_send_letter would meet and start clocks at the wall-clock moment the
        # letter went out; the demo's letter went out at step.at, so its second half is given that time.
        process_letter_sent(case=case, kind=sent.kind, at=step.at, actor=actor)
    _date_letter(sent, step.at, ctx)
    return case


def _draft(case: Case, step: Step, ctx: Context) -> Case:
    """A response drafted and not sent yet: the next step on the case page."""
    process_compose_letter(
        case=case, kind=step.data["kind"], actor=ctx.user(step.actor), fields=step.data["fields"]
    )
    return case


def _fields(case: Case, data: dict, at: datetime, ctx: Context) -> dict[str, str]:
    """Element values that depend on the planned time (prefill would use today's)."""
    kind = data["kind"]
    if kind in {"acknowledgement", "holding"}:
        process = CaseProcess.objects.select_related("case__customer").get(case_id=case.pk)
    if kind == "acknowledgement":
        # The response clock may count from this very letter (Housing Ombudsman: from the acknowledgement).
        events = clock_events(process)
        events[acknowledgement_event(events)] = at
        due = response_due(
            compute(definition_of(process), process.stage, events, process.case.customer.nation)
        )
        return {"timescales": f"We will send you our response by {_when(due)}."} if due else {}
    if kind == "holding":
        clock = (
            CaseClock.objects.filter(
                case_id=process.case_id, stage=process.stage, extended_from__isnull=False
            )
            .order_by("-id")
            .first()
        )
        return {"new_date": timezone.localtime(clock.due_at).date().isoformat()} if clock else {}
    if "outstanding" in data:
        promise = ctx.state.promises[data["outstanding"]["promise"]]
        action = data["outstanding"]["action"]
        text = f"We will {action} by {_when(promise.due_at)}, and let you know when it is done."
        return {"outstanding_actions": text}
    return {}


def _date_letter(letter: Letter, at: datetime, ctx: Context) -> None:
    """Demo back-dating: the letter was rendered with today's date; it carries its planned date instead.

    A printed letter keeps no PDF: the letter page renders it from this frozen HTML when someone opens it.
    An emailed one has its PDF (and the email's attachment) made from it at the end of the seed.
    """
    today, planned = _day(letter.sent_at), _day(at)
    html = letter.html.replace(f"<p>{today}</p>", f"<p>{planned}</p>", 1)
    Letter.objects.filter(pk=letter.pk).update(html=html, pdf=None)
    if letter.message_id:
        message = Message.objects.only("body_text").get(pk=letter.message_id)
        Message.objects.filter(pk=letter.message_id).update(
            body_text=message.body_text.replace(today, planned, 1)
        )
        ctx.emailed.append(Emailed(letter.pk, letter.message_id, ctx.pdfs.submit(html)))


def attach_pdfs(emailed: list[Emailed], pdfs: PdfRenderer) -> None:
    """Put each emailed letter's PDF, rendered from its dated HTML, on the letter and on the email."""
    for item in emailed:
        pdf = pdfs.result(item.pdf)
        Letter.objects.filter(pk=item.letter_id).update(pdf=pdf)
        Attachment.objects.filter(message_id=item.message_id, content_type="application/pdf").update(
            content=pdf, size=len(pdf), sha256=hashlib.sha256(pdf).hexdigest()
        )


# --- understanding, evidence, finding -----------------------------------------------------------------------


def _understand(case: Case, step: Step, ctx: Context) -> Case:
    ctx.state.understanding = understanding_record(case=case, actor=ctx.user(step.actor), **step.data)
    return case


def _confirm(case: Case, step: Step, ctx: Context) -> Case:
    understanding_confirm(
        understanding=ctx.state.understanding, via=step.data["via"], actor=ctx.user(step.actor)
    )
    return case


def _evidence(case: Case, step: Step, ctx: Context) -> Case:
    evidence_add(
        case=case, actor=ctx.user(step.actor), files=_evidence_files(case, step.data, ctx), **step.data
    )
    return case


def _evidence_files(case: Case, data: dict, ctx: Context) -> list[AttachmentFile]:
    """What an investigator attaches: a resident's photo to photo evidence, a document (its title and
    source on a page) to the first few documents, records and statements."""
    kind, description = data["kind"], data["description"]
    if kind == "photo" and ctx.take("photo"):
        return [AttachmentFile(f"photo-{case.reference}.png", "image/png", demo_photo(description, case.pk))]
    if kind in {"document", "record", "statement"} and ctx.take("document"):
        pdf = demo_pdf(description, (f"Source: {data.get('source') or 'internal'}.",))
        return [AttachmentFile(f"{kind}-{case.reference}.pdf", "application/pdf", pdf)]
    return []


def _finding(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    finding_record(
        case=case,
        actor=ctx.user(step.actor),
        outcome=d["outcome"],
        facts=d["facts"],
        reasoning=d["reasoning"],
        customer_explanation=d.get("customer_explanation", ""),
        root_cause=ctx.root_causes[d["root_cause"]] if d["root_cause"] else None,
    )
    return case


# --- options and approvals ----------------------------------------------------------------------------------


def _option(case: Case, step: Step, ctx: Context) -> Case:
    d = dict(step.data)
    index = d.pop("index")
    d["risk_customer"], d["risk_organisation"] = tuple(d["risk_customer"]), tuple(d["risk_organisation"])
    d["remedies"] = [
        Remedy(r["kind"], r.get("description", ""), r.get("amount")) for r in d.get("remedies", [])
    ]
    ctx.state.options[index] = option_add(case=case, actor=ctx.user(step.actor), **d)
    return case


def _approval(case: Case, step: Step, ctx: Context) -> Case:
    option = ctx.state.options[step.data["option"]]
    request = approval_request(option=option, actor=ctx.user(step.actor), reason=step.data["reason"])
    ctx.state.approvals[step.data["option"]] = request
    # Sent to the approvers when the seed commits; dated to now: the request's time (generate.py).
    ctx.notices[request.pk] = [
        Notice(f"Approval needed on {case.reference}: {option.title}", _link(case), step.at)
    ]
    return case


def _decide(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    request = ctx.state.approvals[d["option"]]
    approval_decide(request=request, actor=ctx.user(step.actor), approve=d["approve"], reason=d["reason"])
    asked = ctx.notices[request.pk][0]
    asked.read_at = step.at  # the approver read it to decide
    verdict = "approved" if d["approve"] else "declined"
    text = f"{request.option.title} on {case.reference} was {verdict}: {d['reason'].strip()}"
    ctx.notices[request.pk].append(Notice(text, asked.link, step.at))
    return case


def _choose(case: Case, step: Step, ctx: Context) -> Case:
    option_choose(
        option=ctx.state.options[step.data["option"]], actor=ctx.user(step.actor), reason=step.data["reason"]
    )
    return case


def _link(case: Case) -> str:
    return reverse("case_detail", args=[case.reference])


# --- the customer's answer, escalation, extension -----------------------------------------------------------


def _answer(case: Case, step: Step, ctx: Context) -> Case:
    customer_answer_record(case=case, actor=ctx.user(step.actor), **step.data)
    return case


def _satisfaction(case: Case, step: Step, ctx: Context) -> Case:
    satisfaction_record(case=case, actor=ctx.user(step.actor), **step.data)
    return case


def _escalate(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    process = process_escalate(case=case, actor=ctx.user(step.actor), to=d["to"], reason=d["reason"])
    if d["to"] == "next_stage":
        # Demo back-dating: the case was escalated at step.at, and the new stage's clocks count from then.
        CaseProcess.objects.filter(pk=process.pk).update(escalated_at=step.at)
        process.escalated_at = step.at
        for due in compute(
            definition_of(process), process.stage, clock_events(process), process.case.customer.nation
        ):
            CaseClock.objects.filter(
                case_id=case.pk, stage=process.stage, code=due.code, status=CaseClock.Status.RUNNING
            ).update(due_at=due.due_at, warn_at=due.warn_at)
        sync_respond_by(case)
    return Case.objects.get(pk=case.pk)


def _extend(case: Case, step: Step, ctx: Context) -> Case:
    process = CaseProcess.objects.get(case_id=case.pk)
    extends = definition_of(process).stage(process.stage).extension.extends
    clock = CaseClock.objects.get(case_id=case.pk, stage=process.stage, code=extends)
    clock_extend(clock=clock, actor=ctx.user(step.actor), reason=step.data["reason"])
    return case


# --- promises -----------------------------------------------------------------------------------------------


def _promise(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    # Demo back-dating: promise_make wants a due time after the wall clock, so the promise is made due as long
    # after now as it was after step.at, then given its planned times.
    promise = promise_make(
        case=case,
        actor=ctx.user(step.actor),
        description=d["description"],
        due_at=timezone.now() + (d["due"] - step.at),
    )
    ctx.state.promises[d["index"]] = _plan_promise(promise, step.at, d["due"])
    return case


def _promise_keep(case: Case, step: Step, ctx: Context) -> Case:
    promise_keep(
        promise=ctx.state.promises[step.data["index"]], actor=ctx.user(step.actor), note=step.data["note"]
    )
    return case


def _promise_break(case: Case, step: Step, ctx: Context) -> Case:
    # No actor: the worker marked it broken when it fell due (process.tasks.break_overdue_promises).
    promise_break(
        promise=ctx.state.promises[step.data["index"]], actor=ctx.user(step.actor), note=step.data["note"]
    )
    return case


def _promise_renegotiate(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    new = promise_renegotiate(
        promise=ctx.state.promises[d["index"]],
        actor=ctx.user(step.actor),
        new_due_at=timezone.now() + (d["due"] - step.at),  # as in _promise
        note=d["note"],
    )
    ctx.state.promises[d["new_index"]] = _plan_promise(new, step.at, d["due"])
    return case


def _plan_promise(promise: Promise, made: datetime, due: datetime) -> Promise:
    """Demo back-dating: the promise's due and reminder times, and the due time its event records."""
    Promise.objects.filter(pk=promise.pk).update(due_at=due, remind_at=remind_time(made, due))
    promise.due_at, promise.remind_at = due, remind_time(made, due)
    event = CaseEvent.objects.filter(case_id=promise.case_id, kind="promise_made").order_by("-id").first()
    if event is not None and isinstance(event.after, dict):
        # Events are append-only to the services; like its time, this just-written event's due is back-dated.
        CaseEvent.objects.filter(pk=event.pk).update(after={**event.after, "due": due.isoformat()})
    return promise


# --- a problem's agreement and the tasks that carry it out (WM57 10-11) -------------------------------------


def _agree(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    agreement_record(
        case=case,
        actor=ctx.user(step.actor),
        option=ctx.state.options[d["option"]],
        agreed_by=d["agreed_by"],
        via=d["via"],
        agreed_at=step.at,
        note=d["note"],
    )
    return case


def _task(case: Case, step: Step, ctx: Context) -> Case:
    d = step.data
    # Demo back-dating: as for a promise, due as long after now as it was after step.at, then planned.
    task = task_add(
        case=case,
        actor=ctx.user(step.actor),
        title=d["title"],
        owner=ctx.user(d["owner"]),
        due_at=timezone.now() + (d["due"] - step.at),
        option=ctx.state.options[d["option"]],
    )
    Task.objects.filter(pk=task.pk).update(due_at=d["due"])
    task.due_at = d["due"]
    event = CaseEvent.objects.filter(case_id=case.pk, kind="task_added").order_by("-id").first()
    if event is not None and isinstance(event.after, dict):
        CaseEvent.objects.filter(pk=event.pk).update(after={**event.after, "due": d["due"].isoformat()})
    ctx.state.tasks[d["index"]] = task
    return case


def _task_done(case: Case, step: Step, ctx: Context) -> Case:
    task_done(task=ctx.state.tasks[step.data["index"]], actor=ctx.user(step.actor), note=step.data["note"])
    return case


RUNNERS: dict[str, Callable[[Case, Step, Any], Case]] = {
    "regime": _regime,
    "letter": _letter,
    "draft": _draft,
    "understand": _understand,
    "confirm": _confirm,
    "evidence": _evidence,
    "finding": _finding,
    "option": _option,
    "approval": _approval,
    "decide": _decide,
    "choose": _choose,
    "answer": _answer,
    "satisfaction": _satisfaction,
    "escalate": _escalate,
    "extend": _extend,
    "promise": _promise,
    "promise_keep": _promise_keep,
    "promise_break": _promise_break,
    "promise_renegotiate": _promise_renegotiate,
    "agree": _agree,
    "task": _task,
    "task_done": _task_done,
}
