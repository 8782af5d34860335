"""`amends bench intake --messages N`: N customer messages through intake, analysis included, end to end.

The messages go through `intake_contacts` in batches of 500, as `amends intake json` sends a file:
validation, customer matching, a new case or a follow-up on one (every fourth message follows up the
latest case, which is often in the same batch), the stored source, the acknowledgement and its delivery,
the events, and the signals analysis with the customer's history. `--one-by-one` sends each through
`intake_contact` in its own transaction instead, as the API does. Texts are the real complaint tweets and
CFPB narratives from ../shared/data when present, else the demo's complaint texts. Pinned to one core.
"""

from __future__ import annotations

import time
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from amends.cases.models import ReferenceCounter
from amends.cases.services import format_reference
from amends.core.errors import DomainError
from amends.demo.texts import CATEGORIES
from amends.intake.schemas import ContactIn
from amends.intake.services import intake_contact, intake_contacts
from amends.signals.engine.analyser import analyse
from amends.signals.learning.datasets import load_acl, load_payday_narratives
from amends.signals.learning.evaluation import one_core
from amends.signals.models import MessageAnalysis

from .figures import require_work

BATCH = 500


def _texts() -> list[str]:
    data = settings.SHARED_DATA_DIR
    if (data / "complaints_acl2019").is_dir() and (data / "cfpb_payday_2023").is_dir():
        return load_acl(data)[0] + load_payday_narratives(data)
    return [i.happened for c in CATEGORIES for i in c.queries + c.problems + c.complaints]


def _contacts(n: int, run: str, texts: list[str]) -> list:
    """The contacts, built before the clock starts. A follow-up names the latest case by the reference
    it will get: references are handed out in order from the year's counter."""
    year = timezone.now().year
    counter = ReferenceCounter.objects.filter(year=year).first()
    issued = counter.last if counter else 0
    contacts = []
    for i in range(n):
        follow_up = i % 4 == 3 and i > 0
        contacts.append(
            ContactIn(
                channel="api",
                external_id=f"bench-{run}-{i}",
                customer={"name": f"Bench Customer {i // 3}", "email": f"bench.{run}.{i // 3}@example.com"},
                text=texts[i % len(texts)],
                case_reference=format_reference(year, issued) if follow_up else None,
            )
        )
        issued += 0 if follow_up else 1
    return contacts


def measure(n: int, *, log, one_by_one: bool = False) -> dict:
    texts = [t for t in _texts() if t.strip()]
    run = uuid.uuid4().hex[:8]
    analyse(texts[0])  # load the models and the URLs outside the timing, as a running server has
    reverse("portal:status", args=["warm"])
    signalled_before = MessageAnalysis.objects.filter(risk__gt=0).count()
    contacts = _contacts(n, run, texts)
    how = "one by one" if one_by_one else f"in batches of {BATCH}"
    log(f"Intake of {n:,} messages {how} (run {run}) ...")
    results: list = []
    with one_core():
        start = time.perf_counter()
        if one_by_one:
            results = [intake_contact(contact) for contact in contacts]
        else:
            for i in range(0, n, BATCH):
                results += intake_contacts(contacts[i : i + BATCH])
        seconds = time.perf_counter() - start
    refused = [r for r in results if isinstance(r, DomainError)]
    if refused:
        raise RuntimeError(f"{len(refused)} contacts refused, the first: {refused[0].message}")
    stored = sum(1 for r in results if not r.duplicate)  # a duplicate is looked up, not stored
    require_work(stored, f"none of the {n:,} messages was stored (each was a duplicate, or there were none)")
    signalled = MessageAnalysis.objects.filter(risk__gt=0).count() - signalled_before
    return {
        "name": "intake_throughput_one_by_one" if one_by_one else "intake_throughput",
        "value": round(stored / seconds, 1),
        "unit": "messages/s",
        "published": None,
        "n": n,
        "seconds": round(seconds, 2),
        "new_cases": sum(1 for r in results if r.created_case),
        "signalled": signalled,
    }
