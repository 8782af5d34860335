"""What customers let the apps above them hear (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from amends.core.hooks import Hook

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .models import Customer

# Two customer records became one. Each app that keeps rows per customer moves its own rows from the
# duplicate to the kept record, inside the merge's transaction, and says how many it moved for the audit
# record, e.g. {"cases_moved": 3}: (*, keep: Customer, duplicate: Customer, actor, at, reason) -> dict
MergeListener = Callable[..., dict[str, int]]
customer_merged: Hook[MergeListener] = Hook("customers.customer_merged")

# A colleague alert was raised on a customer ("may re-open the matter"): (alert) -> None, inside the
# transaction that raised it. Assessment takes it as a learner's evidence of warning colleagues (CFACSC4 P16).
AlertListener = Callable[[Any], None]
colleague_alert_raised: Hook[AlertListener] = Hook("customers.colleague_alert_raised")

# What the customer page shows beyond the customer's own record, as template context:
# (request, customer) -> dict. Cases adds the cases the user may see, messaging the timeline across them,
# process the open and broken promises; the page stays in customers.
CustomerPageContext = Callable[["HttpRequest", "Customer"], dict[str, Any]]
customer_page_context: Hook[CustomerPageContext] = Hook("customers.customer_page_context")


def customer_page_extras(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """Every registered provider's context for the customer page, in registration order."""
    return customer_page_context.merged(request, customer)


@dataclass(frozen=True)
class CustomerNotice:
    """Something whoever deals with this customer must see first, on every screen that shows them: a
    warning marker, agreed contact arrangements, support needs, a colleague's alert ("may re-open the
    matter"). The app that keeps the record decides who may see it, so a notice is only ever given to a
    user allowed to read it."""

    kind: str  # e.g. "warning_marker", "restriction", "support_needs", "colleague_alert"
    label: str  # a few words, shown as the badge: "Warning marker"
    text: str  # what to know or do, one or two sentences
    tone: str = "info"  # "danger", "warning" or "info": how loudly it is shown
    link: str = ""  # where the record is kept, if the user may open it


# The notices on these customers for this user: (user, customer_ids) -> {customer_id: [CustomerNotice]}.
# Called with every customer a page shows at once (a queue page, a case, a customer), so a provider answers
# in a fixed number of queries however many rows there are.
CustomerNotices = Callable[[Any, list[int]], dict[int, list[CustomerNotice]]]
customer_notices: Hook[CustomerNotices] = Hook("customers.customer_notices")

TONE_ORDER = {"danger": 0, "warning": 1, "info": 2}


def notices_for(user: Any, customer_ids: Iterable[int]) -> dict[int, list[CustomerNotice]]:
    """Every registered provider's notices on these customers, the loudest first."""
    ids = list(dict.fromkeys(customer_ids))
    found: dict[int, list[CustomerNotice]] = {}
    if not ids:
        return found
    for provider in customer_notices:
        for customer_id, notices in provider(user, ids).items():
            found.setdefault(customer_id, []).extend(notices)
    for notices in found.values():
        notices.sort(key=lambda n: TONE_ORDER.get(n.tone, 3))
    return found
