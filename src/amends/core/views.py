from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .errors import DomainError
from .models import Notification, NotifyEmail
from .ratelimit import allow, client_network, throttle_before_reading
from .selectors import inbox
from .services import notifications_mark_read, staff_notify_email_set
from .web import report, staff_required


def home(request):
    return redirect("queue" if request.user.is_authenticated else "login")


class ThrottledLoginView(LoginView):
    """Django's login, with attempts limited per client address, and per username from that address.

    Never per username alone: then anyone who knows a username could lock its owner out by guessing.
    """

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # Per address was counted before the body was read (`login`); per username needs the form.
        limit, window = settings.AMENDS_LOGIN_RATE
        username = request.POST.get("username", "")[:150].lower()
        if not allow("login-user", f"{username}\0{client_network(request)}", limit=limit, window=window):
            return _login_throttled(request)
        return super().post(request, *args, **kwargs)


def _login_throttled(request):
    """Too many attempts: the sign-in form again, empty."""
    form = ThrottledLoginView.form_class(request)
    return render(request, "core/login.html", {"form": form, "throttled": True}, status=429)


def _login_rate() -> tuple[int, int]:
    limit, window = settings.AMENDS_LOGIN_RATE
    return limit * 3, window


# Attempts from one address, three times the per-username allowance, counted before the body is read.
login = throttle_before_reading("login-address", _login_rate, refused=_login_throttled)(
    ThrottledLoginView.as_view()
)


@staff_required
def notifications(request):
    """What the person needs to know: urgent ones first (safety alerts, approvals, breaches, broken
    promises), then the routine digests. Posting marks read everything up to the newest shown."""
    if request.method == "POST":
        up_to = request.POST.get("up_to", "")
        notifications_mark_read(user=request.user, up_to=int(up_to) if up_to.isdecimal() else 0)
        return redirect("notifications")
    return render(request, "core/notifications.html", inbox(request.user))


@staff_required
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read on the way; only to a page of this site."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications_mark_read(user=request.user, ids=[note.pk])
    link = note.link
    safe = link.startswith("/") and url_has_allowed_host_and_scheme(
        link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(link if safe else "notifications")


@staff_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """Each person's own choice of which notifications also reach them by email."""
    staff = request.user.staff
    if request.method == "POST":
        try:
            staff_notify_email_set(
                user=request.user, preference=request.POST.get("notify_email", ""), actor=request.user
            )
        except DomainError as exc:
            report(request, exc)
        else:
            messages.success(request, "Your email choice is saved.")
            return redirect("notification_settings")
    return render(
        request,
        "core/notification_settings.html",
        {"choices": NotifyEmail.choices, "chosen": staff.notify_email, "email": request.user.email},
    )
