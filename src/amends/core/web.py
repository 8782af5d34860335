"""Helpers every agent-UI view uses: staff-only access and turning domain errors into messages."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse

from .errors import DomainError, NotFound
from .permissions import staff_of


def staff_required(view):
    """Signed-out users go to the login page; signed-in users without a role get 403. A NotFound the
    view lets through (a case they cannot see) is the 404 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if staff_of(request.user) is None:
            raise DjangoPermissionDenied("This account has no role in Amends")
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def report(request, exc: DomainError) -> None:
    # A detail the message already gives (a refused close names its problems) is not said twice.
    details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items() if str(v) not in exc.message)
    messages.error(request, f"{exc.message}" + (f" ({details})" if details else ""))


def invalid_input(errors: list[dict]) -> DomainError:
    """Pydantic's complaints about an input as the one error the API and the pages both show."""
    fields = {}
    for err in errors:
        loc = [str(p) for p in err.get("loc", []) if p not in {"body", "query", "path", "payload"}]
        fields[".".join(loc) or "body"] = err.get("msg", "invalid")
    return DomainError("Some values are missing or of the wrong type", code="validation_error", fields=fields)


def form_errors(request, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields and form.fields[name].label else name
        messages.error(request, f"{str(label).replace('_', ' ').capitalize()}: {' '.join(errors)}")


def htmx_redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response
