"""Derived figures refreshed once a transaction commits: the ids it touched are collected per thread and
handed to a refresh function after the commit (insights' case facts, the returns' complaint states).

A request that records three events on a case refreshes it once; a rolled-back change refreshes nothing
wrong (its ids are refreshed with the thread's next commit, from what is stored). The refresh runs after
the change is saved, so its failure is logged, never raised: the next full rebuild puts it right.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

from django.db import transaction

log = logging.getLogger(__name__)


class RefreshAfterCommit:
    """Ids noted during transactions, refreshed by `refresh(ids)` once after each commit."""

    def __init__(self, what: str, refresh: Callable[[set[int]], object]) -> None:
        self.what = what
        self._local = threading.local()

        def flush() -> None:
            ids = self.pending()
            if not ids:
                return
            batch = set(ids)
            ids.clear()
            try:
                refresh(batch)
            except Exception:  # the change itself is committed: a stale row waits for the next rebuild
                log.exception("%s: refreshing %d cases after the commit failed", what, len(batch))

        # core.emails.other_callbacks: it recomputes figures and sends nothing.
        flush.derived_only = True  # type: ignore[attr-defined]
        self.flush = flush

    def pending(self) -> set[int]:
        """The ids noted on this thread and not yet refreshed."""
        if not hasattr(self._local, "ids"):
            self._local.ids = set()
        return self._local.ids

    def note(self, ids: Iterable[int]) -> None:
        """Refresh these ids after the current transaction commits (at once outside one)."""
        self.pending().update(ids)
        transaction.on_commit(self.flush)
