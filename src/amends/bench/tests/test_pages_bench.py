import pytest

from amends.bench.pages import measure, seed_to
from amends.cases.models import Case, CaseEvent
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db


def test_seed_then_measure_every_page():
    logs = []
    seed_to(40, log=logs.append)
    assert Case.objects.count() == 40
    assert Message.objects.count() == 40 and CaseEvent.objects.count() == 40
    seed_to(40, log=logs.append)  # already there: nothing added
    assert Case.objects.count() == 40
    results = measure(requests=3)
    names = {r["name"] for r in results}
    assert {"queue", "case_page", "customer_page", "search_words", "api_list"} <= names
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
