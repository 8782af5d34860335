"""`amends bench intake --messages N`: N customer messages through intake, analysis included, end to end.

Each message goes through `intake_contact` as the API and the JSON importer send it: customer matching,
a new case or a follow-up on one (every fourth message), the stored source, the acknowledgement, and the
signals analysis with the customer's history. Texts are the real complaint tweets and CFPB narratives
from ../shared/data when present, else the demo's complaint texts. Pinned to one core.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings

from amends.signals.evaluation import one_core
from amends.signals.training import load_acl, load_payday_narratives


def _texts() -> list[str]:
    data = settings.SHARED_DATA_DIR
    if (data / "complaints_acl2019").is_dir() and (data / "cfpb_payday_2023").is_dir():
        return load_acl(data)[0] + load_payday_narratives(data)
    from amends.demo.texts import CATEGORIES

    return [i.happened for c in CATEGORIES for i in c.queries + c.problems + c.complaints]


def measure(n: int, *, log) -> dict:
    from amends.intake.schemas import ContactIn
    from amends.intake.services import intake_contact
    from amends.signals.analyser import analyse
    from amends.signals.models import MessageAnalysis

    texts = [t for t in _texts() if t.strip()]
    run = uuid.uuid4().hex[:8]
    analyse(texts[0])  # load the models outside the timing, as a running server has
    signalled_before = MessageAnalysis.objects.filter(risk__gt=0).count()
    references: list[str] = []
    log(f"Intake of {n:,} messages (run {run}) ...")
    with one_core():
        start = time.perf_counter()
        for i in range(n):
            contact = ContactIn(
                channel="api",
                external_id=f"bench-{run}-{i}",
                customer={"name": f"Bench Customer {i // 3}", "email": f"bench.{run}.{i // 3}@example.com"},
                text=texts[i % len(texts)],
                case_reference=references[-1] if i % 4 == 3 and references else None,
            )
            result = intake_contact(contact)
            if result.created_case:
                references.append(result.case.reference)
        seconds = time.perf_counter() - start
    signalled = MessageAnalysis.objects.filter(risk__gt=0).count() - signalled_before
    return {
        "name": "intake_throughput",
        "value": round(n / seconds, 1),
        "unit": "messages/s",
        "published": None,
        "n": n,
        "seconds": round(seconds, 2),
        "new_cases": len(references),
        "signalled": signalled,
    }
