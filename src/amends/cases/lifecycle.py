"""The case lifecycle: statuses and the table of allowed transitions. Framework-free.

The complaint process of issue 3 (investigate, decide, respond...) will add its steps here; the rule stays
that `cases.services.case_transition` is the only thing that changes a status, and it checks this table.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    OPEN = "open"
    AWAITING_CUSTOMER = "awaiting_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Status.NEW: "New",
    Status.OPEN: "Open",
    Status.AWAITING_CUSTOMER: "Awaiting customer",
    Status.RESOLVED: "Resolved",
    Status.CLOSED: "Closed",
}

OPEN_STATUSES = frozenset({Status.NEW, Status.OPEN, Status.AWAITING_CUSTOMER})

# from -> the statuses it may move to. Anything not listed is refused with a clear error.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.OPEN, Status.AWAITING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.OPEN: frozenset({Status.AWAITING_CUSTOMER, Status.RESOLVED, Status.CLOSED}),
    Status.AWAITING_CUSTOMER: frozenset({Status.OPEN, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),  # -> open is a re-open
    Status.CLOSED: frozenset({Status.OPEN}),  # re-open when the customer comes back
}

# Moves that must say why: closing, and re-opening something the customer was told was finished.
REASON_REQUIRED = frozenset(
    {(s, Status.CLOSED) for s in Status} | {(Status.RESOLVED, Status.OPEN), (Status.CLOSED, Status.OPEN)}
)


def allowed(current: str, target: str) -> bool:
    try:
        return Status(target) in TRANSITIONS[Status(current)]
    except ValueError:
        return False


def is_reopen(before: str, after: str) -> bool:
    """A move from finished (resolved, closed) back to open: recorded as a re-open, not a status change."""
    return Status(before) not in OPEN_STATUSES and Status(after) in OPEN_STATUSES


def after_customer_contact(current: str) -> Status | None:
    """Where a message from the customer moves the case: back to open from waiting on them or from
    finished (CFACSC7: a customer coming back re-opens the matter); None when it stays as it is."""
    if Status(current) in {Status.NEW, Status.OPEN}:
        return None
    return Status.OPEN if allowed(current, Status.OPEN) else None


def next_statuses(current: str) -> list[Status]:
    return sorted(TRANSITIONS.get(Status(current), frozenset()), key=list(Status).index)
