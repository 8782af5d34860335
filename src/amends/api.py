"""The JSON API at /api/v1/: token authentication, one error shape, keyset pagination.

Errors always look like {"error": {"code": ..., "message": ..., "fields": {...}}}.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from amends.assessment.api import router as assessment_router
from amends.assessment.competence_api import router as competence_router
from amends.care.api import router as care_router
from amends.cases.api import router as cases_router
from amends.conduct.api import router as conduct_router
from amends.core.errors import DomainError
from amends.core.permissions import staff_of
from amends.core.selectors import api_token_user
from amends.core.web import invalid_input
from amends.customers.api import router as customers_router
from amends.experience.api import router as experience_router
from amends.improvement.api import router as improvement_router
from amends.insights.api import router as insights_router
from amends.intake import api as _intake_api  # adds its endpoints to the cases router; has its own too
from amends.knowledge.api import router as knowledge_router
from amends.messaging import api as _messaging_api  # noqa: F401 (the same)
from amends.messaging.api import integrations_router, saved_replies_router
from amends.monitoring.api import router as monitoring_router
from amends.practice.api import router as practice_router
from amends.problems.api import router as problems_router
from amends.process.api import router as process_router
from amends.regimes.api import router as regimes_router
from amends.returns.api import router as returns_router
from amends.signals.api import router as signals_router

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is None or staff_of(user) is None:
            return None
        request.user = user
        return user


class TextParser(Parser):
    """JSON bodies and query strings, refusing the NUL character anywhere in them, as Django's form fields
    do for the pages (ProhibitNullCharactersValidator): no text column takes it (PostgreSQL refuses it, a
    server error that schemathesis found) and nobody means it."""

    def parse_body(self, request):
        data = super().parse_body(request)
        _refuse_nul(data, ["body"])
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result, ["query"])
        return result


def _refuse_nul(value, loc: list) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError(
                [{"loc": loc, "msg": "must not contain the NUL character", "type": "value_error"}]
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_nul(item, [*loc, str(key)])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_nul(item, [*loc, str(index)])


api = NinjaAPI(
    title="Amends API",
    parser=TextParser(),
    version="1",
    description="Complaints and customer problems: cases, customers, messages. "
    "Authenticate with `Authorization: Bearer <token>` (create one with `amends api_token USERNAME`). "
    "No text in a query or a body may hold the NUL character: such a request is refused with 422.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": message, "fields": fields or {}}}, status=status
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.http_status, exc.code, exc.message, exc.fields)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    error = invalid_input(exc.errors)
    return _error(request, 422, error.code, error.message, error.fields)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return _error(
        request, 401, "unauthenticated", "A valid API token is needed: Authorization: Bearer <token>"
    )


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or "Not found")


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    return _error(request, 413, "too_large", "The request body is larger than this server accepts")


@api.exception_handler(SuspiciousOperation)
def on_suspicious(request, exc):
    # What Django itself answers 400 to (a malformed header or body); without this the handler below
    # would call it a fault of ours.
    return _error(request, 400, "invalid", "The request is malformed")


@api.exception_handler(DjangoPermissionDenied)
def on_django_forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or "Forbidden")


@api.exception_handler(Exception)
def on_unexpected_error(request, exc: Exception):
    """A fault of ours, not of the request: logged with its traceback, and still the one error shape (ninja
    would hand it to Django, whose 500 page is HTML)."""
    logger.exception("Unexpected error in %s %s", request.method, request.path, exc_info=exc)
    return _error(
        request, 500, "server_error", "Something went wrong on our side; it is logged. Try again later."
    )


# With messaging's and intake's endpoints on it (imported above; cases/api.py says why).
api.add_router("/cases", cases_router)
api.add_router("/cases", process_router)
api.add_router("/cases", assessment_router)
api.add_router("/competence", competence_router)
api.add_router("/customers", customers_router)
api.add_router("/customers", experience_router)
api.add_router("/customers", care_router)
api.add_router("/regimes", regimes_router)
api.add_router("/intake", _intake_api.mailbox_router)
api.add_router("/saved-replies", saved_replies_router)
api.add_router("/integrations", integrations_router)
api.add_router("", signals_router)
api.add_router("", conduct_router)
api.add_router("", problems_router)
api.add_router("", insights_router)
api.add_router("", monitoring_router)
api.add_router("", improvement_router)
api.add_router("", returns_router)
api.add_router("", practice_router)
api.add_router("/knowledge", knowledge_router)
