from __future__ import annotations

import base64
import binascii
import hmac

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from amends.care.forms import WHY_WE_ASK
from amends.core.errors import DomainError, InputTooLarge, MalformedInput, NotFound, PermissionDenied
from amends.core.models import Team
from amends.core.permissions import can_configure_mailboxes, can_review_held_email, can_view_case, require
from amends.core.ratelimit import client_address, throttle_before_reading
from amends.core.web import invalid_input, report, staff_required

from .forms import ComplaintForm, new_form_token
from .mailboxes import mailbox_add, mailbox_update
from .models import Mailbox
from .schemas import MailboxIn
from .selectors import held_email_waiting, held_emails_waiting, mailboxes_listed, set_aside_emails
from .services import HeldResult, held_email_release, intake_email, intake_web_form


def _complaints_throttled(request):
    """Too many complaints from this connection: the form again, empty (what was sent is not read)."""
    form = ComplaintForm(initial={"form_token": new_form_token()})
    context = {"form": form, "throttled": True, "why_we_ask": WHY_WE_ASK}
    return render(request, "intake/complain.html", context, status=429)


@throttle_before_reading(
    "complaint-form", lambda: settings.AMENDS_PUBLIC_FORM_RATE, refused=_complaints_throttled
)
def complain(request):
    """The public complaint form. No login; a double submit files one complaint."""
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        if form.is_valid():
            try:
                result = intake_web_form(
                    form_token=form.cleaned_data["form_token"],
                    data=form.complaint_data(),
                    ip=client_address(request),
                    support=form.disclosure(),
                )
            except DomainError as exc:
                for field, problem in exc.fields.items():
                    form.add_error(field if field in form.fields else None, problem)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                return redirect(reverse("portal:status", args=[result.case.public_token]) + "?new=1")
        if "form_token" in form.errors:
            form.data = form.data.copy()
            form.data["form_token"] = new_form_token()
        status = 400
    else:
        form = ComplaintForm(initial={"form_token": new_form_token()})
        status = 200
    return render(request, "intake/complain.html", {"form": form, "why_we_ask": WHY_WE_ASK}, status=status)


def _error(exc: DomainError) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}, status=exc.http_status
    )


def _raw_email(request) -> bytes:
    ctype = request.content_type or ""
    if ctype in {"message/rfc822", "application/octet-stream", "text/plain"}:
        return request.body
    if ctype in {"multipart/form-data", "application/x-www-form-urlencoded"}:
        # SendGrid's raw mode posts the message as "email", Mailgun's MIME route as "body-mime".
        for name in ("email", "body-mime", "message"):
            if name in request.FILES:
                return request.FILES[name].read()
            if name in request.POST:
                return request.POST[name].encode("utf-8", "surrogateescape")
        raise MalformedInput(
            "No raw email found: post it as message/rfc822 or in a field named email or body-mime"
        )
    raise MalformedInput(f"Unsupported content type {ctype!r}: post the raw email as message/rfc822")


MIN_INBOUND_SECRET = 32  # characters: a guessable secret would let anyone open cases by email


def _inbound_secret(request) -> str:
    """The secret the caller presents: `Authorization: Bearer <secret>`, or HTTP basic auth with the
    secret as the password (for providers that take only a URL: https://amends:<secret>@host/...)."""
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def _inbound_refusal(request) -> JsonResponse | None:
    """Why this post may not deliver mail, or None. The endpoint has its own credential: a staff
    member's API token is no use here, and a secret in the URL (which lands in access logs) is refused."""
    expected = settings.AMENDS_INBOUND_EMAIL_SECRET
    if len(expected) < MIN_INBOUND_SECRET:
        return _error(
            PermissionDenied(
                "Inbound email is switched off: set AMENDS_INBOUND_EMAIL_SECRET "
                f"(at least {MIN_INBOUND_SECRET} random characters) to accept it"
            )
        )
    if "key" in request.GET:
        message = "A key in the URL is refused (URLs are logged): send the secret in the Authorization header"
    else:
        given = _inbound_secret(request)
        if given and hmac.compare_digest(given.encode(), expected.encode()):
            return None
        message = "The inbound email secret is needed: Authorization: Bearer <secret>, or basic auth"
    body = {"error": {"code": "unauthenticated", "message": message, "fields": {}}}
    response = JsonResponse(body, status=401)
    response["WWW-Authenticate"] = 'Basic realm="Amends inbound email", charset="UTF-8"'
    return response


@csrf_exempt
@require_POST
def inbound_email(request):
    """Where an email provider (or a mail server's pipe) posts each raw inbound message."""
    refusal = _inbound_refusal(request)
    if refusal is not None:
        return refusal
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.AMENDS_MAX_EMAIL_BYTES:
            limit = settings.AMENDS_MAX_EMAIL_BYTES
            raise InputTooLarge(f"The email is {length:,} bytes; the most Amends accepts is {limit:,}")
        # Mail arrives from the provider, not from a member of staff: no one in particular records it.
        result = intake_email(_raw_email(request))
    except DomainError as exc:
        return _error(exc)
    if isinstance(result, HeldResult):
        # Accepted (the provider must not bounce or retry it), kept raw for a person to review.
        body = {"held": result.held.pk, "reason": result.reason, "duplicate": result.duplicate}
        return JsonResponse(body, status=202)
    return JsonResponse(
        {
            "case": result.case.reference,
            "message": result.message.pk,
            "created_case": result.created_case,
            "duplicate": result.duplicate,
        },
        status=200 if result.duplicate else 201,
    )


def _held(request, pk: int):
    if not can_review_held_email(request.user):
        raise Http404("Only team leaders and complaints leads review held email")
    held = held_email_waiting(pk)
    if held is None:
        raise Http404("No such email waiting for review")
    return held


@staff_required
def held_emails(request):
    """Email intake could not read, for a team leader to look at and release."""
    if not can_review_held_email(request.user):
        raise Http404("Only team leaders and complaints leads review held email")
    return render(
        request, "intake/held_emails.html", {"held": held_emails_waiting(), "set_aside": set_aside_emails()}
    )


@staff_required
def held_email_source(request, pk: int):
    """The email exactly as it arrived, as plain text: never rendered as HTML, never run."""
    held = _held(request, pk)
    response = HttpResponse(bytes(held.raw), content_type="text/plain; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="held-{held.pk}.eml"'
    return response


@require_POST
@staff_required
def held_email_release_view(request, pk: int):
    held = _held(request, pk)
    try:
        result = held_email_release(
            held=held,
            actor=request.user,
            name=request.POST.get("name", "")[:200],
            email=request.POST.get("email", "")[:254],
        )
    except DomainError as exc:
        report(request, exc)
        return redirect("held_emails")
    messages.success(request, f"Released as {result.case.reference}")
    if can_view_case(request.user, result.case):
        return redirect("case_detail", result.case.reference)
    return redirect("held_emails")  # a new case lands in the intake team's queue, perhaps not theirs


MAILBOX_ONLY = "Only administrators configure the team mailboxes"


def _mailbox_posted(post) -> MailboxIn:
    """The form as the API's input. An unticked box posts nothing: enabled only when ticked."""
    fields = {name: post.get(name, "") for name in MailboxIn.model_fields if name != "enabled"}
    fields["port"] = fields["port"] or 993
    fields["team"] = fields["team"] or None
    try:
        return MailboxIn(**fields, enabled=post.get("enabled") == "on")
    except ValidationError as exc:
        raise invalid_input(exc.errors()) from exc


@staff_required
def mailboxes(request):
    """The team mailboxes Amends reads by IMAP: how each is doing, its settings, and a form to add one."""
    if not can_configure_mailboxes(request.user):
        raise Http404(MAILBOX_ONLY)
    if request.method == "POST":
        try:
            mailbox = mailbox_add(data=_mailbox_posted(request.POST), actor=request.user)
            messages.success(request, f"Added {mailbox.name}: the worker reads it at its next sweep")
        except DomainError as exc:
            report(request, exc)
        return redirect("mailboxes")
    return render(
        request,
        "intake/mailboxes.html",
        {
            "mailboxes": mailboxes_listed(),
            "teams": Team.objects.order_by("name"),
            "securities": Mailbox.Security.choices,
            "afters": Mailbox.AfterImport.choices,
            "poll_seconds": settings.AMENDS_MAILBOX_POLL_SECONDS,
        },
    )


@require_POST
@staff_required
def mailbox_change(request, pk: int):
    try:
        require(can_configure_mailboxes(request.user), MAILBOX_ONLY)
        mailbox = Mailbox.objects.filter(pk=pk).first()
        if mailbox is None:
            raise NotFound("No such mailbox")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            raise DomainError("The form lacks the version you read", fields={"version": "required"}) from None
        mailbox = mailbox_update(
            mailbox=mailbox, data=_mailbox_posted(request.POST), expected_version=version, actor=request.user
        )
        messages.success(request, f"Saved {mailbox.name}")
    except DomainError as exc:
        report(request, exc)
    return redirect("mailboxes")
