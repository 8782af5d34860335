from django.conf import settings
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render

from .ratelimit import allow, client_address


def home(request):
    return redirect("queue" if request.user.is_authenticated else "login")


class ThrottledLoginView(LoginView):
    """Django's login, with attempts limited per client address and per username (brute force)."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        limit, window = settings.AMENDS_LOGIN_RATE
        username = request.POST.get("username", "")[:150].lower()
        if not (
            allow("login-ip", client_address(request), limit=limit * 3, window=window)
            and allow("login-user", username, limit=limit, window=window)
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
