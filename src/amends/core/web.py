"""Helpers every agent-UI view uses: staff-only access, turning domain errors into messages, and serving
stored files as downloads and previews."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from .errors import DomainError, NotFound
from .files import KINDS, AttachmentFile, check_size, clean_name, thumbnail
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


# A downloaded file is the sender's bytes: never rendered by the browser as a page of ours. Were it opened
# in place anyway, it could run nothing and reach nothing.
SANDBOX = "default-src 'none'; sandbox"


def file_download(stored) -> HttpResponse:
    """A stored file (core.models.StoredFile) as a download, never shown in the page: Content-Disposition
    attachment, no type sniffing, a sandbox. A type not of an accepted kind (a customer's email may claim
    any) goes as application/octet-stream."""
    content_type = stored.content_type if _accepted(stored.content_type) else "application/octet-stream"
    response = HttpResponse(bytes(stored.content), content_type=content_type)
    name = clean_name(stored.filename) or "attachment"  # a customer's email may put anything in a name
    response["Content-Disposition"] = content_disposition_header(True, name)
    return _locked(response)


def file_preview(request, stored) -> HttpResponse:
    """A thumbnail of a stored image, re-encoded by Pillow (core.files.thumbnail); 404 for anything else.
    A browser that has it already (the same content) is answered 304 without making it again."""
    etag = f'"{stored.sha256}-preview"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        made = thumbnail(bytes(stored.content))
        if made is None:
            raise Http404("No preview of this file")
        response = HttpResponse(made[0], content_type=made[1])
        response["Content-Disposition"] = "inline"  # the picture is our re-encoding, not the sender's bytes
    response["ETag"] = etag
    response["Cache-Control"] = "private, max-age=86400"
    return _locked(response)


def _accepted(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() in KINDS


def _locked(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def uploaded_files(request, name: str = "files") -> list[AttachmentFile]:
    """The files posted in `name` (one <input type=file multiple>), read into memory only once each is
    known to be within the per-file limit; the service that stores them checks the rest."""
    uploads = request.FILES.getlist(name)
    for upload in uploads:
        check_size(upload.name or "", upload.size or 0)
    return [AttachmentFile(upload.name or "", upload.content_type or "", upload.read()) for upload in uploads]
