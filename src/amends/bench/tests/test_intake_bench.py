"""The intake benchmark runs without ../shared/data too, on the demo's texts, and counts what it did."""

import pytest

from amends.cases.models import Case
from amends.messaging.models import Message

pytestmark = pytest.mark.django_db


def test_intake_bench_falls_back_to_demo_texts_and_counts(settings, tmp_path, complaints_team):
    from amends.bench.intake import _texts, measure

    settings.SHARED_DATA_DIR = tmp_path  # no shared data here
    texts = _texts()
    assert len(texts) > 20 and all(t.strip() for t in texts)
    result = measure(8, log=lambda _: None)
    assert result["n"] == 8 and result["new_cases"] == 6  # every fourth message follows up a case
    assert result["unit"] == "messages/s" and result["value"] > 0
    # the follow-ups landed on the latest case, created earlier in the same batch
    assert sorted(Case.objects.values_list("messages__direction", flat=True)).count("in") == 8
    assert Message.objects.filter(case__reference__endswith="000003", direction="in").count() == 2


def test_intake_bench_one_by_one(settings, tmp_path, complaints_team):
    from amends.bench.intake import measure

    settings.SHARED_DATA_DIR = tmp_path
    result = measure(4, log=lambda _: None, one_by_one=True)
    assert result["name"] == "intake_throughput_one_by_one" and result["new_cases"] == 3
