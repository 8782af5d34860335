"""`amends bench competence --items N`: what the competence record costs (issue 14).

- **Capture**: case events recorded through `case_events_record` (the one writer), 100 a batch, once with
  a learner as actor (each becomes evidence: rule, situation, hash, audit) and once with someone who is not
  (the listener's one query); the difference is what capture adds to the work. The events are note events
  on the learner's cases; both runs record the same number each time.
- **Reading**: a learner with N evidence items (inserted in bulk up to N, so every run reads the same), then
  the portfolio page and the criterion page (p50/p95 over `--requests`), the portfolio PDF and the xAPI
  export (each timed three times, the median kept), as their assessor.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from amends.assessment.capture import RULES
from amends.assessment.decisions import learner_enrol
from amends.assessment.models import EvidenceItem
from amends.cases.events import EventKind
from amends.cases.models import Case
from amends.cases.services import case_event, case_events_record
from amends.core.models import Role
from amends.core.services import staff_create

from .figures import require_work
from .pages import PASSWORD, ensure_world
from .seed import bulk_seed

CAPTURED = 500  # events recorded per capture run
BATCH = 100
CASES = 200  # the learner's cases the events are spread over


def world(*, log):
    teams, _leader, lead, advisers = ensure_world()
    learner, other = advisers[1], advisers[3]  # same team
    users = get_user_model().objects
    assessor = users.filter(username="bench-assessor").first() or staff_create(
        username="bench-assessor", password=PASSWORD, role=Role.ASSESSOR, team=teams[0]
    )
    if not hasattr(learner, "enrolment"):
        learner_enrol(
            actor=lead, learner=learner, assessor=assessor, units=["CFACSC4", "CFACSC7", "WM57", "C4"]
        )
    if Case.objects.filter(owner=learner).count() < CASES:
        bulk_seed(cases=CASES, teams=[teams[0]], owners=[learner], seed=11)
        log(f"seeded {CASES} cases for the learner")
    return learner, other, assessor


def capture_rate(actor, cases) -> float:
    """Case events a second through the one writer, `actor` doing them."""
    started = time.perf_counter()
    for start in range(0, CAPTURED, BATCH):
        events = [
            case_event(cases[(start + i) % len(cases)], kind=EventKind.NOTE_ADDED, actor=actor)
            for i in range(BATCH)
        ]
        case_events_record(events)
    return CAPTURED / (time.perf_counter() - started)


def fill_to(learner, items: int) -> int:
    """Evidence up to `items`, inserted in bulk (what capture would have made, spread over a year)."""
    have = EvidenceItem.objects.filter(learner=learner).count()
    cases = list(Case.objects.filter(owner=learner).order_by("pk")[:CASES])
    kinds = list(RULES.items())
    now = timezone.now()
    rows = []
    for n in range(have, items):
        kind, rule = kinds[n % len(kinds)]
        rows.append(
            EvidenceItem(
                learner=learner,
                method="case_event",
                case=cases[n % len(cases)],
                source=f"bench:{learner.pk}:{n}",
                criteria=list(rule.criteria),
                what=rule.what,
                channel=("written", "phone", "face_to_face")[n % 3],
                situation=("routine", "busy", "quiet", "let_down")[n % 4],
                derived={"situation": "routine", "why": "bench"},
                rule=f"bench: {kind}",
                occurred_at=now - timedelta(minutes=n * 7),
                captured_at=now,
                content_hash=hashlib.sha256(str(n).encode()).hexdigest(),
            )
        )
    EvidenceItem.objects.bulk_create(rows, batch_size=2000)
    return EvidenceItem.objects.filter(learner=learner).count()


def _timed(client: Client, url: str, times: int) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(url, HTTP_HOST="127.0.0.1")
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    return out


def measure(items: int, *, requests: int, log) -> list[dict]:
    learner, other, assessor = world(log=log)
    cases = list(Case.objects.filter(owner=learner).order_by("pk")[:CASES])
    require_work(len(cases), "no cases for the learner")
    before = EvidenceItem.objects.filter(learner=learner).count()
    with_capture = capture_rate(learner, cases)
    made = EvidenceItem.objects.filter(learner=learner).count() - before
    require_work(made, "capture made no evidence")
    without = capture_rate(other, cases)
    # Reading: back to exactly N items, so every run reads the same portfolio.
    EvidenceItem.objects.filter(learner=learner, source__startswith="event:").delete()
    held = fill_to(learner, items)
    require_work(held, "no evidence to read")
    client = Client()
    client.force_login(assessor)
    base = f"/competence/learners/{learner.pk}/"
    figures = [
        {
            "name": "capture: events by a learner",
            "value": round(with_capture),
            "unit": "events/s",
            "n": CAPTURED,
            "evidence_made": made,
        },
        {
            "name": "capture: events by a non-learner",
            "value": round(without),
            "unit": "events/s",
            "n": CAPTURED,
        },
    ]
    for name, url, times in (
        ("portfolio page", base, requests),
        ("criterion page (WM57 13)", base + "criteria/WM57/13/", requests),
        ("portfolio PDF", base + "portfolio.pdf", 3),
        ("xAPI export", base + "xapi.json", 3),
    ):
        _timed(client, url, 1)  # warm
        ms = sorted(_timed(client, url, times))
        figures.append(
            {
                "name": name,
                "p50_ms": round(statistics.median(ms), 1),
                "p95_ms": round(ms[min(len(ms) - 1, int(0.95 * len(ms)))], 1),
                "n": held,
                "requests": times,
            }
        )
    return figures
