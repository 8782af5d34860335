"""What customers let the apps above them hear (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable

from amends.core.hooks import Hook

# Two customer records became one. Each app that keeps rows per customer moves its own rows from the
# duplicate to the kept record, inside the merge's transaction, and says how many it moved for the audit
# record, e.g. {"cases_moved": 3}: (*, keep: Customer, duplicate: Customer, actor, at, reason) -> dict
MergeListener = Callable[..., dict[str, int]]
customer_merged: Hook[MergeListener] = Hook("customers.customer_merged")
