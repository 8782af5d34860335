"""Agent UI for messages: replying to the customer (from a saved reply or not, saying before it goes which
way it goes) and logging a call, visit or letter from the case page, the timelines the case and customer
pages show (registered in apps.py), the saved replies page and the administrators' integrations page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST, require_safe
from pydantic import ValidationError

from amends.cases.models import Case
from amends.cases.selectors import case_for
from amends.cases.views import act_on_case
from amends.core.cursors import decode_moment
from amends.core.errors import Conflict, DomainError
from amends.core.models import Team
from amends.core.permissions import (
    can_keep_saved_replies,
    can_manage_integrations,
    can_manage_team_replies,
    can_work_case,
    require,
)
from amends.core.web import (
    file_download,
    file_preview,
    form_errors,
    invalid_input,
    report,
    staff_required,
    uploaded_files,
)
from amends.customers.models import Customer

from . import signing
from .forms import (
    LogContactForm,
    ReplyForm,
    SavedReplyDeleteForm,
    SavedReplyForm,
    SendAgainForm,
    chosen_route,
)
from .integrations import integration_add, integration_change
from .models import Integration, Message
from .replies import (
    placeholders,
    saved_replies_for,
    saved_replies_kept,
    saved_reply_create,
    saved_reply_delete,
    saved_reply_fill,
    saved_reply_kept,
    saved_reply_update,
    saved_reply_usable,
    teams_kept_by,
)
from .routes import BY_HAND_CHANNELS, WEBHOOK_CHANNELS, case_routes, in_words
from .schemas import IntegrationIn
from .selectors import case_attachment, case_message, case_timeline, customer_timeline
from .services import customer_email, message_log_contact, message_send, message_send_again


def case_page_context(request, case: Case) -> dict:
    """The case page's timeline and the forms to add to it; `?saved_reply=<id>` fills the reply box with
    that saved reply (what the Insert button asks for without JavaScript; with it, the page's script
    fetches the text from `saved_reply_text` and puts it in at the cursor)."""
    timeline, truncated = case_timeline(case)
    session = getattr(request, "session", {})
    draft = session.pop(_draft_key(case.reference), None) or {}
    log_draft = session.pop(_log_draft_key(case.reference), None) or {}
    forms = {"reply_form": ReplyForm(), "log_form": LogContactForm(initial=log_draft)}
    saved = saved_replies_for(request.user, case)
    chosen = request.GET.get("saved_reply", "")
    if chosen and not draft:
        reply = next((r for r in saved if str(r.pk) == chosen), None)
        if reply is None:
            messages.error(request, "That saved reply is not one you can use here")
        else:
            draft = {"subject": "", "body": saved_reply_fill(reply, case=case, writer=request.user)}
    return {
        "timeline": timeline,
        "truncated": truncated,
        "reply_draft": draft,
        "log_draft": log_draft,
        "send_again_to": _send_again_to(case, timeline),
        # Where a reply goes, said before it is sent: only for those who may send one.
        "reply_routes": (routes := case_routes(case) if can_work_case(request.user, case) else None),
        # Under a contact arrangement, only the channels it leaves open (hooks.reply_channels).
        "by_hand_channels": [
            (c.value, c.label)
            for c in BY_HAND_CHANNELS
            if routes is None or routes.allowed is None or c.value in routes.allowed
        ],
        "sms_max_parts": settings.AMENDS_SMS_MAX_SEGMENTS,
        "saved_replies": saved,
        **forms,
    }


def _send_again_to(case: Case, timeline) -> str | None:
    """Where "Send again" sends an undelivered email: the customer's email address now. Looked up only
    when the timeline has one to send again."""
    undelivered = {Message.Delivery.RETRYING, Message.Delivery.FAILED}
    if not any(i.kind == "message" and i.obj.delivery in undelivered for i in timeline):
        return None
    return customer_email(case.customer)


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
    def send(case: Case, d: dict) -> Message:
        try:
            return message_send(
                case=case,
                actor=request.user,
                body=d["body"],
                subject=d["subject"],
                attachments=uploaded_files(request),
                expected_version=d["version"],
                **chosen_route(d),
            )
        except DomainError:
            # Not sent (the case moved on, the channel chosen cannot carry it, a file was refused): the
            # page says why, with the draft kept. The files are chosen again: no browser lets a page put
            # them back in the box.
            kept = {"subject": d["subject"], "body": d["body"], "send_by": d["send_by"]}
            request.session[_draft_key(case.reference)] = kept | {"by_hand_channel": d["by_hand_channel"]}
            raise

    return act_on_case(request, reference, ReplyForm, send, success=sent_where)


def sent_where(message: Message) -> str:
    """What became of a reply, in the words the page tells its writer."""
    channel = in_words(message.channel)
    if message.delivery == Message.Delivery.BY_HAND:
        return f"Reply recorded as sent by you by {channel}"
    if message.delivery == Message.Delivery.NO_ADDRESS:
        return "Reply kept on the case, not sent: Amends has no way to reach the customer"
    return f"Reply sent: it goes by {channel} at the worker's next step"


@require_POST
@staff_required
def case_send_again(request, reference: str, message_id: int):
    return act_on_case(
        request,
        reference,
        SendAgainForm,
        lambda case, d: message_send_again(
            message=case_message(case, message_id), actor=request.user, reason=d["reason"]
        ),
        success="The email is back in the outbox: it goes at the worker's next step",
    )


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


INTEGRATION_DRAFT = "integration-draft"


def _integration_in(post, *, version: bool) -> IntegrationIn:
    """The integrations page's form as the API's input."""
    try:
        return IntegrationIn(
            name=post.get("name", ""),
            channels=post.getlist("channels"),
            url=post.get("url", ""),
            secret=post.get("secret", ""),
            new_secret=post.get("new_secret") == "on",
            enabled=post.get("enabled") == "on",
            version=(post.get("version") or None) if version else None,
        )
    except ValidationError as exc:
        raise invalid_input(exc.errors()) from exc


@staff_required
def integrations(request):
    """The integrations that carry replies on social media and chat: an administrator adds and changes
    them here (or through the API). A secret Amends makes is shown on the answer to the post that made
    it, once, and never again."""
    if not can_manage_integrations(request.user):
        raise Http404("Only administrators manage integrations")
    made: tuple[Integration, str] | None = None
    if request.method == "POST":
        try:
            made = _integration_post(request)
        except DomainError as exc:
            keep = {k: request.POST.get(k, "") for k in ("target", "name", "url")}
            request.session[INTEGRATION_DRAFT] = keep | {"channels": request.POST.getlist("channels")}
            report(request, exc)
        if made is None or not made[1]:
            return redirect("integrations")
    return render(
        request,
        "messaging/integrations.html",
        {
            "integrations": list(Integration.objects.all()),
            "channels": [(c.value, c.label) for c in WEBHOOK_CHANNELS],
            "made": made,
            "draft": request.session.pop(INTEGRATION_DRAFT, None) or {},
            "signature_header": signing.HEADER,
        },
    )


def _integration_post(request) -> tuple[Integration, str]:
    target = request.POST.get("target", "new")
    data = _integration_in(request.POST, version=target != "new")
    if target == "new":
        integration, secret = integration_add(data=data, actor=request.user)
        messages.success(request, f"{integration.name} added")
    else:
        if not target.isdigit():
            raise DomainError("No such integration", code="not_found")
        integration, secret = integration_change(integration_id=int(target), data=data, actor=request.user)
        messages.success(request, f"{integration.name} saved")
    return integration, secret


@require_GET
@staff_required
def saved_reply_text(request, reference: str, pk: int):
    """A saved reply filled in for this case, as JSON, for the case page's script to put in the reply box."""
    case = case_for(request.user, reference)
    if not can_work_case(request.user, case):
        return JsonResponse({"error": "You can view this case but not reply on it"}, status=403)
    reply = saved_reply_usable(request.user, case, pk)
    if reply is None:
        return JsonResponse({"error": "No such saved reply that you can use here"}, status=404)
    return JsonResponse(
        {"title": reply.title, "body": saved_reply_fill(reply, case=case, writer=request.user)}
    )


@staff_required
def saved_replies(request):
    """The replies one may use, each team's kept by its leaders (and the leads); one's own by oneself."""
    user = request.user
    if not can_keep_saved_replies(user):
        raise Http404("Saved replies are for those who reply to customers")
    replies = saved_replies_kept(user)
    context = {
        "replies": replies,
        "editable": {
            r.pk for r in replies if r.owner_id == user.pk or can_manage_team_replies(user, r.team_id)
        },
        "teams": teams_kept_by(user),
        # As plain pairs: a template would call a ReplyPlaceholder (it is callable) rather than read it.
        "placeholders": [{"name": p.name, "label": p.label} for p in placeholders().values()],
        "form": SavedReplyForm(),
    }
    return render(request, "messaging/saved_replies.html", context)


def _saved_reply_action(request, form_class, action, success: str):
    """A form from the saved replies page: the permission first (the service asks again), a valid form,
    one service call, a message, and back to the page."""
    try:
        require(can_keep_saved_replies(request.user), "Saved replies are for those who reply to customers")
        form = form_class(request.POST)
        if not form.is_valid():
            form_errors(request, form)
        else:
            action(form.cleaned_data)
            messages.success(request, success)
    except DomainError as exc:
        report(request, exc)
    return redirect("saved_replies")


def _team(user, value: str) -> Team | None:
    """The team a new saved reply is for: "" for one's own; else one of the teams the user keeps."""
    if not value:
        return None
    team = next((t for t in teams_kept_by(user) if str(t.pk) == value), None)
    if team is None:
        raise DomainError("You do not keep that team's saved replies", fields={"team": "not yours to keep"})
    return team


@require_POST
@staff_required
def saved_reply_add(request):
    user = request.user
    return _saved_reply_action(
        request,
        SavedReplyForm,
        lambda d: saved_reply_create(
            actor=user, title=d["title"], body=d["body"], team=_team(user, d["team"])
        ),
        success="Saved reply added",
    )


@require_POST
@staff_required
def saved_reply_edit(request, pk: int):
    def edit(d):
        if d["version"] is None:
            raise DomainError(
                "The version you read is missing: reload the page", fields={"version": "required"}
            )
        saved_reply_update(
            reply=saved_reply_kept(request.user, pk),
            actor=request.user,
            title=d["title"],
            body=d["body"],
            expected_version=d["version"],
        )

    return _saved_reply_action(request, SavedReplyForm, edit, success="Saved reply changed")


@require_POST
@staff_required
def saved_reply_remove(request, pk: int):
    return _saved_reply_action(
        request,
        SavedReplyDeleteForm,
        lambda d: saved_reply_delete(
            reply=saved_reply_kept(request.user, pk), actor=request.user, expected_version=d["version"]
        ),
        success="Saved reply deleted",
    )


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
