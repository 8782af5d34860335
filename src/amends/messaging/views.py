"""Agent UI for messages: replying to the customer and logging a call, visit or letter from the case page,
and the timelines the case and customer pages show (registered in apps.py)."""

from __future__ import annotations

from django.views.decorators.http import require_POST, require_safe

from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.cases.views import act_on_case
from amends.core.cursors import decode_moment
from amends.core.errors import Conflict, DomainError
from amends.core.web import file_download, file_preview, staff_required, uploaded_files
from amends.customers.models import Customer

from .forms import LogContactForm, ReplyForm
from .selectors import case_attachment, case_timeline, customer_timeline
from .services import message_log_contact, message_send


def case_page_context(request, case: Case) -> dict:
    """The case page's timeline and the forms to add to it."""
    timeline, truncated = case_timeline(case)
    session = getattr(request, "session", {})
    draft = session.pop(_draft_key(case.reference), None) or {}
    log_draft = session.pop(_log_draft_key(case.reference), None) or {}
    forms = {"reply_form": ReplyForm(), "log_form": LogContactForm(initial=log_draft)}
    return {
        "timeline": timeline,
        "truncated": truncated,
        "reply_draft": draft,
        "log_draft": log_draft,
        **forms,
    }


def _draft_key(reference: str) -> str:
    return f"reply-draft:{reference}"


def _log_draft_key(reference: str) -> str:
    return f"log-draft:{reference}"


def customer_page_context(request, customer: Customer) -> dict:
    """The customer page's timeline across the cases the user can see, a page at a time (?before=)."""
    before = decode_moment(request.GET.get("before", "")[:64])  # not one we gave out: from the top
    timeline, next_before = customer_timeline(request.user, customer, before=before)
    return {"timeline": timeline, "next_before": next_before.isoformat() if next_before else None}


@require_POST
@staff_required
def case_reply(request, reference: str):
    def send(case: Case, d: dict) -> None:
        try:
            message_send(
                case=case,
                actor=request.user,
                body=d["body"],
                subject=d["subject"],
                attachments=uploaded_files(request),
                expected_version=d["version"],
            )
        except DomainError:
            # Not sent (the case moved on, a file was refused): the page says why, with the draft kept. The
            # files are chosen again: no browser lets a page put them back in the box.
            request.session[_draft_key(case.reference)] = {"subject": d["subject"], "body": d["body"]}
            raise

    return act_on_case(request, reference, ReplyForm, send, success="Reply sent")


@require_POST
@staff_required
def case_log_contact(request, reference: str):
    def log(case: Case, d: dict) -> None:
        try:
            message_log_contact(
                case=case,
                actor=request.user,
                channel=d["channel"],
                direction=d["direction"],
                summary=d["summary"],
                occurred_at=d["occurred_at"],
                expected_version=d["version"],
            )
        except Conflict:
            # Not logged because the case moved on: the page shows what changed, with the note kept as typed.
            kept = {
                name: request.POST.get(name, "")
                for name in ("channel", "direction", "occurred_at", "summary")
            }
            request.session[_log_draft_key(case.reference)] = kept
            raise

    return act_on_case(request, reference, LogContactForm, log, success="Contact logged")


@require_safe
@staff_required
def attachment_download(request, reference: str, pk: int):
    """A file on one of the case's messages, as a download, for anyone who may see the case (404 for
    anyone else, as for the case itself)."""
    return file_download(case_attachment(case_for(request.user, reference), pk))


@require_safe
@staff_required
def attachment_preview(request, reference: str, pk: int):
    """A picture on one of the case's messages as a thumbnail (404 for anything that is not a picture)."""
    return file_preview(request, case_attachment(case_for(request.user, reference), pk))
