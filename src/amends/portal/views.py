"""The customer's own view of their case, by the private link in the acknowledgement."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from amends.care.forms import WHY_WE_ASK, SupportAskForm
from amends.care.services import support_needs_disclosed
from amends.cases.lifecycle import Status
from amends.cases.models import Case
from amends.core.errors import DomainError
from amends.core.ratelimit import throttle_before_reading
from amends.process.letters import case_response_due
from amends.process.steps import understanding_confirm
from amends.regimes.calendar import customer_date

CUSTOMER_STATUS = {
    Status.NEW: ("Received", "We have received it and will start looking into it shortly."),
    Status.OPEN: ("Being looked into", "We are looking into it and will reply by the date below."),
    Status.AWAITING_CUSTOMER: (
        "Waiting for you",
        "We need some information from you before we can go on. Please reply to our last message.",
    ),
    Status.RESOLVED: (
        "Response sent",
        "We have sent you our response. If you are not happy with it, reply quoting your reference.",
    ),
    Status.CLOSED: (
        "Closed",
        "This case is closed. If something is still wrong, contact us quoting your reference and we will "
        "look at it again.",
    ),
}


def _private(response):
    """Headers for a page that carries the customer's link."""
    response["Cache-Control"] = "private, no-store"
    # The link is the customer's key: other sites must never see it in a Referer. "same-origin" keeps it
    # at home yet lets the browser send our own Origin with the page's forms, which the CSRF check needs
    # ("no-referrer" made chromium send `Origin: null`, and every confirmation was refused).
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _throttled(request, token: str):
    """Too many posts from this connection, or to this link from anywhere: nothing done (what was sent is
    not read), and the way back to the status page."""
    return _private(render(request, "portal/throttled.html", {"token": token}, status=429))


# Every form on the portal is posted by someone not signed in: each post is counted per client address
# and per link before its body is read (settings.AMENDS_PORTAL_RATE, AMENDS_PORTAL_LINK_RATE).
portal_form = throttle_before_reading(
    "portal",
    lambda: settings.AMENDS_PORTAL_RATE,
    refused=_throttled,
    per_url_arg="token",
    url_arg_rate=lambda: settings.AMENDS_PORTAL_LINK_RATE,
)


# A page, not a form's target: a POST is refused (405) unread, where the CSRF check would have read it.
@csrf_exempt
@require_safe
def status(request, token: str):
    return _status_page(request, _case(token))


def _case(token: str) -> Case:
    case = Case.objects.filter(public_token=token).first() if len(token) <= 64 else None
    if case is None:
        raise Http404("This link is not valid")
    return case


def _status_page(request, case: Case, *, support_form: SupportAskForm | None = None, status: int = 200):
    label, next_step = CUSTOMER_STATUS[Status(case.status)]
    correspondence = list(
        case.messages.exclude(purpose="contact_note")
        .order_by("occurred_at")
        .only("occurred_at", "direction", "subject", "body_text", "channel")[:100]
    )
    # The date the regime holds us to (the case's respond_by may be an earlier internal step), told as a
    # working day of the customer's nation, as the acknowledgement and letters tell it.
    due = (case_response_due(case) or case.respond_by) if case.is_open else None
    response = render(
        request,
        "portal/status.html",
        {
            "case": case,
            "label": label,
            "next_step": next_step,
            "correspondence": correspondence,
            "understanding": case.understandings.order_by("-recorded_at", "-id").first(),
            "is_new": request.GET.get("new") == "1",
            "reply_by": customer_date(due, case.customer.nation) if due else None,
            "overdue": due is not None and due < timezone.now(),
            # The question about support needs: never what is recorded (staff may have added to it).
            "form": support_form or SupportAskForm(),
            "why_we_ask": WHY_WE_ASK,
        },
        status=status,
    )
    return _private(response)


@portal_form
@require_POST
def tell_support_needs(request, token: str):
    """The customer tells us about support they need (CFACSC4 P5; FCA FG21/1), with their consent. What
    they wrote is never lost: a form we cannot keep as it is comes back to them filled in."""
    case = _case(token)
    form = SupportAskForm(request.POST)
    if not form.is_valid():
        return _status_page(request, case, support_form=form, status=400)
    if not form.disclosure().says_something:
        messages.info(request, "You did not tell us anything about support: nothing was changed.")
    else:
        support_needs_disclosed(customer=case.customer, disclosure=form.disclosure(), via="status_page")
        messages.success(
            request,
            "Thank you for telling us. The people handling your complaint will see it and take it into "
            "account.",
        )
    return redirect("portal:status", token=token)


def csrf_failure(request, reason: str = ""):
    """A form refused by the CSRF check (settings.CSRF_FAILURE_VIEW), for customers and staff alike: what
    to do next in plain words, and the way back to the page the form was on when it is one of ours."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "403_csrf.html", {"back": back}, status=403)


@portal_form
@require_POST
def confirm_understanding(request, token: str):
    """The customer confirms our summary of their complaint (CFACSC4 P10, WM57 1)."""
    case = _case(token)
    understanding = case.understandings.order_by("-recorded_at", "-id").first()
    if understanding is None or str(understanding.pk) != request.POST.get("understanding"):
        messages.error(
            request, "We have updated our summary since you opened this page: please read it again."
        )
    else:
        try:
            understanding_confirm(understanding=understanding, via="customer status page")
            messages.success(request, "Thank you for confirming our summary.")
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("portal:status", token=token)
