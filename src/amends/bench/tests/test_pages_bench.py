import pytest

from amends.bench.pages import measure, seed_to
from amends.cases.models import Case, CaseEvent
from amends.demo import care, problems, reviews
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db


def test_seed_then_measure_every_page(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]  # the default, as `amends bench` runs: no testserver
    logs = []
    seed_to(40, log=logs.append, process_cases=0)
    assert Case.objects.count() == 40
    inbound, replies = (Message.objects.filter(direction=d).count() for d in ("in", "out"))
    assert inbound == 40 and replies == 14 and CaseEvent.objects.count() == 40
    seed_to(40, log=logs.append, process_cases=20)  # nothing bulk-added; some walked through the process
    walked = Case.objects.filter(process__isnull=False, findings__isnull=False, letters__isnull=False)
    # 40 inserted, 20 walked through the process, and the demo's support-needs complaints (demo/care.py)
    # its rising complaints about one product (demo/reviews.py) and its repeated problem (demo/problems.py)
    added = care.CASES_ADDED + reviews.CASES_ADDED + problems.CASES_ADDED
    assert walked.exists() and Case.objects.count() == 60 + added
    seed_to(40, log=logs.append)  # all there: nothing added
    assert Case.objects.count() == 60 + added
    results = measure(requests=3)
    names = {r["name"] for r in results}
    assert {
        "queue",
        "case_page",
        "case_page_process",
        "customer_page",
        "search_words",
        "search_name",
        "search_message_word",
        "api_list",
    } <= names
    for r in results:
        assert set(r) == {"name", "p50_ms", "p95_ms", "n"} and r["n"] == 3
        assert 0 < r["p50_ms"] <= r["p95_ms"]


def test_sweep_bench_touches_only_due_rows():
    from amends.bench.sweep import measure as measure_sweep
    from amends.bench.sweep import seed_open

    seed_open(300, log=lambda s: None)
    [first] = measure_sweep(300)  # the idle sweep after it is a check, not a figure
    due = first["due_before"]
    assert (
        first["rows_touched"] == due["clocks_due"] + due["promises_due"] + first["counts"]["progress_updates"]
    )
    assert first["rows_touched"] > 0 and first["then_idle_seconds"] >= 0
    [again] = measure_sweep(300)  # the same seeded database: what the first run swept is put back
    assert again["due_before"] == due and again["rows_touched"] == first["rows_touched"]
