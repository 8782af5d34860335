"""Typed domain errors. Services raise them; the API maps them to one JSON shape, the UI to a message."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses. `code` is stable and machine-readable; `message` is for people."""

    code = "invalid"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.fields = fields or {}


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "forbidden"
    http_status = 403


class Conflict(DomainError):
    """Someone else changed the record since it was read; nothing was overwritten."""

    code = "conflict"
    http_status = 409


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    http_status = 409


class InputTooLarge(DomainError):
    code = "too_large"
    http_status = 413


class MalformedInput(DomainError):
    code = "malformed"
    http_status = 400


class RateLimited(DomainError):
    code = "rate_limited"
    http_status = 429
