from django.conf import settings
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render

from .models import Notification
from .ratelimit import allow, client_network
from .services import notifications_mark_read
from .web import staff_required


def home(request):
    return redirect("queue" if request.user.is_authenticated else "login")


class ThrottledLoginView(LoginView):
    """Django's login, with attempts limited per client address, and per username from that address.

    Never per username alone: then anyone who knows a username could lock its owner out by guessing.
    """

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limit, window = settings.AMENDS_LOGIN_RATE
        username = request.POST.get("username", "")[:150].lower()
        address = client_network(request)
        if not (
            allow("login-address", address, limit=limit * 3, window=window)
            and allow("login-user", f"{username}\0{address}", limit=limit, window=window)
        ):
            response = render(
                request,
                "core/login.html",
                {
                    "form": self.get_form_class()(request),
                    "throttled": True,
                },
                status=429,
            )
            return response
        return super().post(request, *args, **kwargs)


@staff_required
def notifications(request):
    """What the person needs to know: approvals to decide, clocks at risk or breached, decisions made."""
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    items = list(Notification.objects.filter(user=request.user).order_by("-created_at")[:100])
    return render(request, "core/notifications.html", {"items": items})
