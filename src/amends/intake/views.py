from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from amends.core.errors import DomainError, InputTooLarge, MalformedInput, PermissionDenied
from amends.core.permissions import staff_of
from amends.core.ratelimit import allow, client_address, client_network
from amends.core.selectors import api_token_user

from .forms import ComplaintForm, new_form_token
from .services import intake_email, intake_web_form


def complain(request):
    """The public complaint form. No login; a double submit files one complaint."""
    if request.method == "POST":
        form = ComplaintForm(request.POST)
        limit, window = settings.AMENDS_PUBLIC_FORM_RATE
        if not allow("complaint-form", client_network(request), limit=limit, window=window):
            return render(request, "intake/complain.html", {"form": form, "throttled": True}, status=429)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "form_token"}
            try:
                result = intake_web_form(
                    form_token=form.cleaned_data["form_token"], data=data, ip=client_address(request)
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
    return render(request, "intake/complain.html", {"form": form}, status=status)


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


@csrf_exempt
@require_POST
def inbound_email(request):
    """Where an email provider (or a mail server's pipe) posts each raw inbound message."""
    key = request.headers.get("Authorization", "").removeprefix("Bearer ").strip() or request.GET.get(
        "key", ""
    )
    user = api_token_user(key)
    try:
        if user is None or staff_of(user) is None:
            raise PermissionDenied("A valid API token is needed: Authorization: Bearer <token>")
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > settings.AMENDS_MAX_EMAIL_BYTES:
            limit = settings.AMENDS_MAX_EMAIL_BYTES
            raise InputTooLarge(f"The email is {length:,} bytes; the most Amends accepts is {limit:,}")
        result = intake_email(_raw_email(request), actor=user)
    except DomainError as exc:
        return _error(exc)
    return JsonResponse(
        {
            "case": result.case.reference,
            "message": result.message.pk,
            "created_case": result.created_case,
            "duplicate": result.duplicate,
        },
        status=200 if result.duplicate else 201,
    )
