"""What conduct asks the apps above it (core.hooks explains the pattern).

`support_needs`: (customer) -> str | None, the customer's recorded support needs in a few words, or None.
Registered by the care app (vulnerability and support needs). A decision that restricts a customer with
support needs recorded needs a senior check that reasonable adjustments were considered (Equality Act
2010; regulation.md 3.2 guard-rail (c), 3.5 pre-conditions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from amends.core.hooks import Hook

SupportNeeds = Callable[[Any], "str | None"]
support_needs: Hook[SupportNeeds] = Hook("conduct.support_needs")


def support_needs_of(customer: Any) -> str | None:
    """Every registered provider's description of the customer's support needs, joined; None if none."""
    found = [text for provider in support_needs if (text := provider(customer))]
    return "; ".join(found) if found else None
