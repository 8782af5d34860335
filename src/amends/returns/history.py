"""A complaint's append-only events, read in chunks of cases (`histories`), and how they say what it was
at a moment (docs/design/returns.md). states.py folds them into the stored states the returns read; the
first implementation's per-moment readings are the tests' oracle (tests/replay.py).

Reads only. A return for a past period counts what Amends held at the end of that period: a case re-opened,
re-classified, given a new finding or a new remedy after it does not change the figures. What each figure
reads:

- classification (kind, product, category) at a moment: the case's values now, unless a `reclassified`
  event at or after the moment changed them: then that event's `before` (the first such event);
- status at a moment: the `opened`, `status_changed` and `reopened` events before it, in order;
- closed: the moment the case last left the open statuses (new, open, awaiting customer) for resolved or
  closed, without a re-open since (a response letter resolves a complaint; a person closes it);
- the finding at a moment: the last `finding_recorded` event at or before it (outcome and root cause);
- redress: the money remedies (refund, fee waived, goodwill, compensation) of every option chosen at or
  before the moment, read from the `option_added` event that recorded the option's remedies and the
  `option_chosen` event that chose it;
- regime: the case counts under a regime from its `regime_applied` event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from amends.cases.events import EventKind
from amends.cases.lifecycle import OPEN_STATUSES
from amends.cases.models import CaseEvent
from amends.process.models import CaseProcess

KINDS = (
    EventKind.OPENED,
    EventKind.STATUS_CHANGED,
    EventKind.REOPENED,
    EventKind.RECLASSIFIED,
    EventKind.REGIME_APPLIED,
    EventKind.FINDING_RECORDED,
    EventKind.OPTION_ADDED,
    EventKind.OPTION_CHOSEN,
    EventKind.ESCALATED,
)
OPEN = {s.value for s in OPEN_STATUSES}
CHUNK = 500  # cases whose events are read in one query


@dataclass
class Event:
    at: datetime
    id: int
    kind: str
    before: dict
    after: dict


@dataclass
class CaseHistory:
    """One case's events of the kinds returns read, in order, and what is known of it now."""

    case_id: int
    reference: str
    kind: str
    product: str
    category: str
    nation: str
    received_at: datetime
    events: list[Event] = field(default_factory=list)
    regime: str = ""

    def classification_at(self, moment: datetime) -> tuple[str, str, str]:
        """(kind, product, category) at `moment`."""
        for e in self.events:
            if e.kind == EventKind.RECLASSIFIED and e.at >= moment:
                return (
                    e.before.get("kind", self.kind),
                    e.before.get("product", self.product),
                    e.before.get("category", self.category),
                )
        return self.kind, self.product, self.category


def histories(case_ids: Iterable[int]) -> Iterator[CaseHistory]:
    """The histories of these cases (under a regime), a chunk of cases per two queries."""
    ids = sorted(set(case_ids))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        rows = (
            CaseProcess.objects.filter(case_id__in=chunk)
            .values_list(
                "case_id",
                "received_at",
                "case__reference",
                "case__kind",
                "case__product",
                "case__category",
                "case__customer__nation",
                "regime_version__regime__code",
            )
            .order_by("case_id")
        )
        events: dict[int, list[Event]] = defaultdict(list)
        for case_id, at, pk, kind, before, after in (
            CaseEvent.objects.filter(case_id__in=chunk, kind__in=[k.value for k in KINDS])
            .order_by("case_id", "at", "id")
            .values_list("case_id", "at", "id", "kind", "before", "after")
        ):
            events[case_id].append(Event(at, pk, kind, before or {}, after or {}))
        for case_id, received, reference, kind, product, category, nation, regime in rows:
            yield CaseHistory(
                case_id=case_id,
                reference=reference,
                kind=kind,
                product=product,
                category=category,
                nation=nation,
                received_at=received,
                events=events[case_id],
                regime=regime,
            )
