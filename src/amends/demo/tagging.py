"""The demo's tags, put on as people would have: through the queue's bulk action and the case page's service.

The complaints lead went through the cases whose customers' words showed they may be vulnerable (the signals
engine's distress signals: bereavement, illness, money worries, not coping) and tagged them "Vulnerable" from
the queue, a page at a time (cases.bulk, each case through the tag service). The Complaints team leader tagged
the open cases of customers who have come to us three times or more "Repeat contact", one by one. Both are
stamped today, as done after the history the rest of the demo back-dates.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from amends.cases.bulk import BULK_LIMIT, Selected, cases_bulk
from amends.cases.models import Case
from amends.cases.tags import case_tag_add

VULNERABLE = "Vulnerable"
REPEAT = "Repeat contact"


def demo_tags(users: dict[str, Any]) -> None:
    vulnerable = list(
        Case.objects.filter(signals__type__startswith="distress_")
        .values_list("reference", "version")
        .distinct()
        .order_by("reference")
    )
    for start in range(0, len(vulnerable), BULK_LIMIT):
        page = [Selected(reference, version) for reference, version in vulnerable[start : start + BULK_LIMIT]]
        cases_bulk(actor=users["lead"], action="tag", selected=page, args={"tag": VULNERABLE})
    leader = users["leader"]
    repeat = (
        Case.objects.open()
        .filter(team__slug="complaints")
        .annotate(customer_cases=Count("customer__cases"))
        .filter(customer_cases__gte=3)
        .order_by("reference")
    )
    for case in repeat:
        case_tag_add(case=case, tag=REPEAT, actor=leader)
