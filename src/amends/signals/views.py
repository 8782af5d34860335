"""Advisers confirm or dismiss a signal; the reply coach runs as they type; the case page's signals panel
and the queue's "reads like a complaint" filter (registered in apps.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from amends.cases.hooks import QueueFilter
from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.cases.views import workable_case
from amends.core.errors import DomainError
from amends.core.web import form_errors, report, staff_required
from amends.messaging.forms import ReplyForm

from .engine.coach import CoachContext, coach
from .models import MessageSignal, SignalFeedback
from .selectors import case_signals_summary, complaint_signal_kept, signals_by_message
from .services import signal_feedback

# The queue's filter for queries whose messages read as a complaint that nobody has dismissed.
READS_LIKE_COMPLAINT = QueueFilter(
    code="flagged",
    label="Query that reads like a complaint",
    apply=lambda cases: cases.filter(kind="query").filter(complaint_signal_kept()),
)


def case_page_context(request, case: Case) -> dict:
    """The case page's signals: per message for the timeline, and the panel's alerts and flag."""
    grouped = signals_by_message(case)
    return {"message_signals": grouped, "case_signals": case_signals_summary(case, grouped)}


class FeedbackForm(forms.Form):
    verdict = forms.ChoiceField(choices=[("confirmed", "Confirm"), ("dismissed", "Dismiss")])
    note = forms.CharField(max_length=300, required=False)


# The boxes on the case page the coach reads as they are typed in, by the id its findings replace: the
# reply box and the progress update (drafted letters are read through letters.hooks.draft_readers).
COACH_TARGETS = ("coach", "progress-coach")


class CoachForm(forms.Form):
    # The reply box's own limit: the coach reads whatever may be sent.
    body = forms.CharField(required=False, max_length=ReplyForm.base_fields["body"].max_length)
    closing = forms.BooleanField(required=False)
    target = forms.ChoiceField(choices=[(t, t) for t in COACH_TARGETS], required=False)


@require_POST
@staff_required
def feedback(request, reference: str, signal_id: int):
    case = workable_case(request, reference)
    if case is None:
        return redirect("case_detail", reference=reference)
    signal = MessageSignal.objects.filter(case=case, pk=signal_id).first()
    if signal is None:
        raise Http404("No such signal on this case")
    try:
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            form_errors(request, form)
        else:
            signal_feedback(signal=signal, actor=request.user, **form.cleaned_data)
            messages.success(
                request, f"Signal {form.cleaned_data['verdict']}: thank you, it is kept to improve it"
            )
    except DomainError as exc:
        report(request, exc)
    return redirect(reverse("case_detail", args=[case.reference]) + f"#message-{signal.message_id}")


def _coach_context(case: Case, closing: bool) -> CoachContext:
    latest = case.messages.filter(direction="in").order_by("-occurred_at", "-id").first()
    upset = MessageSignal.objects.filter(
        case=case, type__in=["anger", "abuse", "dissatisfaction", "distress_not_coping"]
    ).exclude(verdict=SignalFeedback.Verdict.DISMISSED)
    return CoachContext(
        customer_name=case.customer.name,
        is_closing_reply=closing,
        customer_text=latest.body_text if latest else "",
        customer_upset=upset.exists(),
        has_open_complaint=case.kind == "complaint" and case.is_open,
    )


def _coached(case: Case, text: str, *, closing: bool, target: str) -> dict:
    """The coach template's context for a draft: each finding with the words it quotes."""
    findings = coach(text, _coach_context(case, closing)) if text.strip() else []
    items = [
        {
            "finding": f,
            "quotes": [text[a:b] for a, b in f.spans][:4],
            "promise_text": (f.data or {}).get("promise_text", ""),
        }
        for f in findings
    ]
    return {"findings": items, "case": case, "empty": not text.strip(), "coach_id": target}


@require_POST
@staff_required
def coach_draft(request, reference: str):
    """The coach's findings for the draft in the reply box or the progress update (an htmx fragment,
    re-fetched as they type)."""
    case = case_for(request.user, reference)
    form = CoachForm(request.POST)
    if not form.is_valid():
        # The reply box itself refuses such a draft on sending; say so here rather than go quiet.
        errors = form.errors.get("body") or form.errors.get("target") or ["Not a draft"]
        target = request.POST.get("target") if request.POST.get("target") in COACH_TARGETS else "coach"
        return render(
            request, "signals/_coach.html", {"case": case, "error": "; ".join(errors), "coach_id": target}
        )
    data = form.cleaned_data
    context = _coached(case, data["body"], closing=data["closing"], target=data["target"] or "coach")
    return render(request, "signals/_coach.html", context)


def coach_letter(request, case: Case, text: str, *, closing: bool, target: str) -> str:
    """letters.hooks.draft_readers: the coach reads a draft letter as it reads a reply, the decision
    letters as a final response (a summary and the route to an independent body: CFACSC7 9, K5)."""
    return render_to_string(
        "signals/_coach.html", _coached(case, text, closing=closing, target=target), request=request
    )
