"""Server time of the pages people wait on, measured in-process with Django's test client.

Server time here is request in, response out: URL routing, middleware, session, queries, template. It
excludes the network and the browser.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client, override_settings

from amends.cases.models import Case
from amends.core.models import Role, Team
from amends.core.services import api_token_create, staff_create, team_create
from amends.demo.generate import demo_exists, seed_demo
from amends.messaging.models import Message

from .figures import require_work
from .seed import MESSAGE_WORDS, bulk_seed

PASSWORD = "bench-password-not-secret"
# Cases walked through the whole complaint process by the demo's generator (regime, clocks, understanding,
# evidence, finding, options, approvals, letters, promises, escalation), so the case page is measured
# with one as well as with the bulk-seeded cases' single message.
PROCESS_CASES = 200
SHOWS_A_CASE = re.compile(rb"AM-\d{4}-\d{6}")  # a case reference: the page listed or showed a case


def ensure_world():
    team = Team.objects.filter(slug="bench").first() or team_create(name="Bench team", slug="bench")
    other = Team.objects.filter(slug="bench-2").first() or team_create(name="Bench team 2", slug="bench-2")
    users = get_user_model().objects
    leader = users.filter(username="bench-leader").first() or staff_create(
        username="bench-leader", password=PASSWORD, role=Role.TEAM_LEADER, team=team
    )
    lead = users.filter(username="bench-lead").first() or staff_create(
        username="bench-lead", password=PASSWORD, role=Role.COMPLAINTS_LEAD, team=None
    )
    advisers = [
        users.filter(username=f"bench-adviser-{i}").first()
        or staff_create(
            username=f"bench-adviser-{i}", password=PASSWORD, role=Role.ADVISER, team=team if i % 2 else other
        )
        for i in range(20)
    ]
    return [team, other], leader, lead, advisers


def seed_to(n: int, *, log: Callable[[str], None], process_cases: int = PROCESS_CASES) -> None:
    """N cases in all: `process_cases` walked through the complaint process, the rest bulk-inserted."""
    teams, leader, lead, advisers = ensure_world()
    if process_cases and not demo_exists():
        started = time.perf_counter()
        seed_demo(cases=process_cases, story_customer=False)  # exactly this many: no hand-made story
        took = time.perf_counter() - started
        log(f"walked {process_cases} cases through the complaint process in {took:.1f} s")
    have = Case.objects.count()
    if have >= n:
        log(f"{have:,} cases already present")
        return
    started = time.perf_counter()

    def progress(done):
        log(f"  seeded {have + done:,} / {n:,} ({time.perf_counter() - started:.0f} s)")

    bulk_seed(
        cases=n - have,
        teams=teams,
        owners=[leader, *advisers],
        seed=have + 1,
        batch=10_000,
        progress=progress,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"seeded {n - have:,} cases in {time.perf_counter() - started:.1f} s")


def _two_words(case: tuple, rng: random.Random) -> str:
    """Two words of a sampled case's summary: a search people make, that finds at least that case."""
    words = case[2].lower().split()
    return f"{rng.choice(words)}+{rng.choice(words)}"


def _message_word(case: tuple, bodies: dict[int, str], rng: random.Random) -> str:
    """A word its message holds and its summary does not: a search that finds the case by its messages."""
    summary = set(case[2].lower().split())
    words = {w for w in re.findall(r"[a-z]{4,}", bodies.get(case[3], "").lower()) if w not in summary}
    # the seed's own message words first; a file seeded before them has only "please sort this out"
    return rng.choice(sorted(words & set(MESSAGE_WORDS) or words or MESSAGE_WORDS))


def _process_cases(limit: int) -> list[str]:
    """References of cases with the whole complaint process: a regime's clocks, a finding and a letter."""
    return list(
        Case.objects.filter(process__isnull=False, findings__isnull=False, letters__isnull=False)
        .values_list("reference", flat=True)
        .distinct()
        .order_by("reference")[:limit]
    )


# The in-process client names its host "testserver", which production settings rightly do not allow.
@override_settings(ALLOWED_HOSTS=["testserver"])
def measure(*, requests: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    teams, leader, lead, advisers = ensure_world()
    max_id = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    require_work(max_id, "there are no cases to show: seed some first")
    # ids need not start at 1 (a PostgreSQL sequence keeps counting after rows are gone)
    min_id = Case.objects.order_by("id").values_list("id", flat=True).first() or 1
    sample = [
        c
        for c in Case.objects.filter(
            id__in=[rng.randint(min_id, max_id) for _ in range(requests * 2)]
        ).values_list("reference", "customer_id", "summary", "id", "customer__name")
    ]
    bodies = dict(
        Message.objects.filter(case_id__in=[c[3] for c in sample], direction="in").values_list(
            "case_id", "body_text"
        )
    )
    with_process = _process_cases(requests)
    require_work(len(with_process), "no case has the whole complaint process: seed again")
    web = Client()  # a complaints lead sees every case: the widest queues
    web.force_login(lead)
    team_web = Client()
    team_web.force_login(leader)
    api = Client()
    _, key = api_token_create(user=lead, name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    pages: dict[str, Callable[[int], tuple[Client, str, dict]]] = {
        "queue": lambda i: (web, ["/queue/", "/queue/?queue=unassigned", "/queue/?queue=due"][i % 3], {}),
        "queue_team": lambda i: (
            team_web,
            ["/queue/?queue=team", "/queue/?queue=mine", "/queue/?queue=due"][i % 3],
            {},
        ),
        "queue_filtered": lambda i: (
            web,
            f"/queue/?kind={['complaint', 'query', 'problem'][i % 3]}&status=all&channel=email",
            {},
        ),
        "case_page": lambda i: (web, f"/cases/{sample[i % len(sample)][0]}/", {}),
        "case_page_process": lambda i: (web, f"/cases/{with_process[i % len(with_process)]}/", {}),
        "customer_page": lambda i: (web, f"/customers/{sample[i % len(sample)][1]}/", {}),
        "search_words": lambda i: (
            web,
            f"/queue/?queue=all&status=all&q={_two_words(sample[i % len(sample)], rng)}",
            {},
        ),
        "search_name": lambda i: (
            web,
            f"/queue/?queue=all&status=all&q={sample[i % len(sample)][4].replace(' ', '+')}",
            {},
        ),
        "search_message_word": lambda i: (
            web,
            f"/queue/?queue=all&status=all&q={_message_word(sample[i % len(sample)], bodies, rng)}",
            {},
        ),
        "search_reference": lambda i: (web, f"/queue/?q={sample[i % len(sample)][0]}", {}),
        "api_list": lambda i: (api, "/api/v1/cases?queue=all&status=all", auth),
        "api_case": lambda i: (api, f"/api/v1/cases/{sample[i % len(sample)][0]}", auth),
    }
    results = []
    for name, make in pages.items():
        for i in range(3):  # warm caches and connections
            client, url, headers = make(i)
            client.get(url, **headers)
        times, showing = [], 0
        for i in range(requests):
            client, url, headers = make(i)
            started = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            showing += bool(SHOWS_A_CASE.search(response.content))
        require_work(
            showing,
            f"{name}: none of its {requests} pages showed a case (the last: {url}), so its time is of an "
            "empty page: seed more cases",
        )
        times.sort()
        results.append(
            {
                "name": name,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
                "n": requests,
            }
        )
    return results
