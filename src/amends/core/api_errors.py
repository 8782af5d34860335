"""The API's one error shape, for the OpenAPI document: every endpoint declares the errors it can answer.

The exception handlers in `amends.api` write this shape; `errors(...)` declares it on an endpoint's
`response=`, so generated clients and schemathesis know every status and its body.
"""

from __future__ import annotations

from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str = Field(
        ...,
        description="Stable and machine-readable: invalid, validation_error, unauthenticated, forbidden, "
        "not_found, conflict, transition_not_allowed, too_large, rate_limited, ...",
    )
    message: str = Field(..., description="For people")
    fields: dict[str, str] = Field(..., description="What was wrong with each named input; may be empty")


class ErrorOut(Schema):
    error: ErrorDetail


ERROR_STATUSES = frozenset({400, 401, 403, 404, 409, 413, 422, 429})


def errors(*statuses: int) -> dict[int, type[Schema]]:
    """The error responses of an endpoint, each with the one error shape. Every endpoint needs a token, so
    401 is always among them."""
    unknown = set(statuses) - set(ERROR_STATUSES)
    if unknown:
        raise ValueError(f"Not an error status the API answers: {sorted(unknown)}")
    return dict.fromkeys(sorted({401, *statuses}), ErrorOut)
