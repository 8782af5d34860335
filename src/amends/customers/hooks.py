"""What customers let the apps above them hear (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable
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

# What the customer page shows beyond the customer's own record, as template context:
# (request, customer) -> dict. Cases adds the cases the user may see, messaging the timeline across them,
# process the open and broken promises; the page stays in customers.
CustomerPageContext = Callable[["HttpRequest", "Customer"], dict[str, Any]]
customer_page_context: Hook[CustomerPageContext] = Hook("customers.customer_page_context")


def customer_page_extras(request: HttpRequest, customer: Customer) -> dict[str, Any]:
    """Every registered provider's context for the customer page, in registration order."""
    return customer_page_context.merged(request, customer)
