import pytest

from amends.bench import reports
from amends.insights.models import CaseFact, DailyRollup

pytestmark = pytest.mark.django_db


def test_seed_rebuild_then_time_every_registered_query():
    logs = []
    reports.seed_to(600, log=logs.append, process_cases=0)
    assert not CaseFact.objects.exists()  # filled by the rebuild, not as the batches went in
    rebuilt = reports.rebuild(log=logs.append)
    assert rebuilt.cases == 600 == CaseFact.objects.count()
    assert DailyRollup.objects.exists() and CaseFact.objects.exclude(root_cause="").exists()

    @reports.report_query("test_extra")
    def extra(setting):  # a report another app registers, as the returns will
        return CaseFact.objects.count()

    try:
        results = reports.measure(repeats=2)
    finally:
        del reports.REPORT_QUERIES["test_extra"]
    assert [r["name"] for r in results] == [*reports.REPORT_QUERIES, "test_extra"]
    for r in results:
        assert r["n"] == 2 and 0 < r["p50_ms"] <= r["p95_ms"] and r["rows"] > 0
    with pytest.raises(ValueError, match="already registered"):
        reports.report_query("by_product")(extra)
