"""What intake lets the apps above it add (core.hooks explains the pattern)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from amends.core.hooks import Hook

# (ids of the customers' messages a batch stored) -> None, called after the batch's transaction commits,
# so nothing a listener does (or fails at) can undo or refuse an arrival. Registered by problems: the
# incremental grouping of repeated problems.
MessagesStored = Callable[[Sequence[int]], None]
messages_stored: Hook[MessagesStored] = Hook("intake.messages_stored")
