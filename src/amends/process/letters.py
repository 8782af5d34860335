"""Letters in the process: the regime decides what each must carry; the case supplies what it can."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.letters import elements
from amends.letters.models import Letter, current_block
from amends.letters.services import letter_compose
from amends.messaging.hooks import ReplyPlaceholder
from amends.regimes.calendar import customer_date
from amends.regimes.clocks import compute

from .models import CaseClock, CaseProcess, Finding, Option
from .rules import acknowledgement_event, clock_events, response_due
from .services import definition_of

OUTCOME_DECISIONS = {
    "justified": "upheld",
    "partly_justified": "partly_upheld",
    "not_justified": "not_upheld",
}


def _when(moment, nation: str) -> str:
    """A deadline as the customer is told it: a working day of their nation, never after it."""
    return f"{customer_date(moment, nation):%A %-d %B %Y}"


def _response_due(case: Case, process: CaseProcess):
    """When this stage's response is due; if it counts from an unsent acknowledgement, as if sent now."""
    running = (
        CaseClock.objects.filter(case=case, stage=process.stage, met_by="responded", optional=False)
        .order_by("due_at")
        .first()
    )
    if running is not None:
        return running.due_at
    events = clock_events(process)
    events.setdefault(acknowledgement_event(events), timezone.now())
    return response_due(compute(definition_of(process), process.stage, events, case.customer.nation))


def case_response_due(case: Case):
    """When the case's regime holds us to a response (its current stage's); None if it follows none."""
    process = CaseProcess.objects.filter(case=case).first()
    return _response_due(case, process) if process is not None else None


def respond_by_words(case: Case, writer: Any = None) -> str:
    """{respond_by} in a saved reply: the date the case's regime holds us to (else the case's own target),
    told as the acknowledgement, letters and the status page tell it."""
    due = case_response_due(case) or case.respond_by
    return _when(due, case.customer.nation) if due else ""


RESPOND_BY = ReplyPlaceholder(
    "respond_by", "the date we will respond by, a working day of the customer's nation", respond_by_words
)


def remedy_text(option: Option) -> str:
    """The chosen option as the letter offers it: its title, and each of its remedies when it has several."""
    remedies = option.remedy_list()
    if len(remedies) == 1 and not remedies[0].description:
        amount = remedies[0].amount
        return option.title + (f" (£{amount:,.2f})" if amount else "")
    return f"{option.title}: " + "; ".join(str(r) for r in remedies)


def _apology(finding: Finding | None) -> str:
    """The organisation's apology wording, when the finding upholds the complaint in whole or in part."""
    if finding is None or not elements.gives_apology(finding.outcome):
        return ""
    block = current_block(elements.APOLOGY_BLOCK)
    return block.body.strip() if block is not None else ""


def _require_customer_explanation(case: Case, kind: str) -> None:
    """A letter giving the decision needs the finding's reasons written for the customer (CFACSC7 8): the
    internal reasoning is never pasted in its place."""
    finding = case.findings.order_by("-version").first()
    if finding is not None and finding.customer_explanation.strip():
        return
    what = kind.replace("_", " ")
    first = "Record the finding, with" if finding is None else "Add to the finding"
    raise DomainError(
        f"{first} its explanation for the customer before drafting the {what}: the letter gives the "
        "customer those words, never the finding's internal facts and reasoning.",
        code="no_customer_explanation",
        fields={"customer_explanation": "required for a letter that gives the decision"},
    )


def prefill(case: Case, process: CaseProcess, kind: str) -> dict[str, str]:
    """Element values the case already knows, so the writer starts from facts rather than a blank page."""
    definition = definition_of(process)
    stage = definition.stage(process.stage)
    understanding = case.understandings.order_by("-recorded_at", "-id").first()
    finding = case.findings.order_by("-recorded_at", "-id").first()
    chosen = case.options.filter(status=Option.Status.CHOSEN).order_by("-id").first()
    respond_due = _response_due(case, process)
    reply_by = _when(respond_due, case.customer.nation) if respond_due else ""
    values = {
        "complaint_summary": understanding.what_happened if understanding else case.summary,
        "stage": stage.name,
        "complaint_definition": (
            f"Your complaint is about: {case.summary}. You would like us to: {understanding.outcome_wanted}"
            if understanding
            else f"Your complaint is about: {case.summary}."
        ),
        "timescales": f"We will send you our response by {reply_by}." if reply_by else "",
        "decision": OUTCOME_DECISIONS.get(finding.outcome, "") if finding else "",
        "apology": _apology(finding),
        # Only the words written for the customer: the internal facts and reasoning never go in a letter.
        "reasons": finding.customer_explanation if finding else "",
        "remedy": remedy_text(chosen) if chosen else "",
        "how_to_escalate": (
            "If you are not happy with this response, reply to this letter or call us quoting your reference "
            "and we will look at your complaint again at the next stage. You do not need to give a reason."
        )
        if len(definition.stages) > 1 and stage.code != definition.stages[-1].code
        else "",
        "resolved_statement": "We now consider your complaint resolved."
        if kind == "summary_resolution"
        else "",
    }
    return {k: v for k, v in values.items() if v}


def process_compose_letter(*, case: Case, kind: str, actor: Any, fields: dict[str, str]) -> Letter:
    """Draft a letter of a kind the case's regime knows, with its required elements and referral body."""
    process = CaseProcess.objects.filter(case=case).first()
    if process is None:
        raise DomainError("Apply a regime before writing its letters", code="no_regime")
    definition = definition_of(process)
    spec = definition.letters.get(kind)
    if spec is None:
        known = ", ".join(k.replace("_", " ") for k in sorted(definition.letters))
        raise DomainError(
            f"{definition.name} has no {kind.replace('_', ' ')} letter (it has: {known})",
            fields={"kind": "unknown for this regime"},
        )
    referral = None
    if definition.referral is not None:
        referral = {
            "body": definition.referral.body,
            "website": definition.referral.website or "",
            "customer_time_limit": definition.referral.customer_time_limit or "",
        }
    if "decision" in spec.required:
        _require_customer_explanation(case, kind)
    given = {k: v for k, v in fields.items() if isinstance(v, str) and v.strip()}
    # Prefill only what this kind of letter shows: an acknowledgement must not announce a decision.
    shown = set(elements.form_fields(spec.required, {}))
    known = {k: v for k, v in prefill(case, process, kind).items() if k in shown}
    return letter_compose(
        case=case,
        kind=kind,
        fields={**known, **given},
        required=list(spec.required),
        referral=referral,
        actor=actor,
    )
