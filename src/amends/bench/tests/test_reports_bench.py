from datetime import date
from types import SimpleNamespace

import pytest

from amends.bench import reports
from amends.insights.models import CaseFact, DailyRollup
from amends.process.models import CaseClock, CaseProcess
from amends.returns.models import ComplaintState
from amends.returns.tests.fixtures import book, fca_history, hos_history  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_seed_rebuild_then_time_every_registered_query():
    logs = []
    reports.seed_to(600, log=logs.append, process_cases=0)
    assert not CaseFact.objects.exists()  # filled by the rebuild, not as the batches went in
    rebuilt = reports.rebuild(log=logs.append)
    assert rebuilt.cases == 600 == CaseFact.objects.count()
    assert DailyRollup.objects.exists() and CaseFact.objects.exclude(root_cause="").exists()
    # Every seeded complaint is under a regime, its states rebuilt (not kept as the batches went in).
    complaints = CaseFact.objects.filter(kind="complaint").count()
    assert CaseProcess.objects.count() == complaints > 0
    assert ComplaintState.objects.values("case_id").distinct().count() == complaints
    assert ComplaintState.objects.exclude(closure_redress=0).exists()
    assert CaseClock.objects.filter(met_by="responded", met_at__isnull=False).exists()

    @reports.report_query("test_extra")
    def extra(setting):  # a report another app registers, as the returns will
        return CaseFact.objects.count()

    every = [name for name in reports.REPORT_QUERIES if name != "test_extra"]
    assert set(RETURNS) <= set(every)
    try:
        results = reports.measure(repeats=2)
    finally:
        del reports.REPORT_QUERIES["test_extra"]
    assert [r["name"] for r in results] == [*every, "test_extra"]
    for r in results:
        assert r["n"] == 2 and 0 < r["p50_ms"] <= r["p95_ms"] and r["rows"] > 0
    with pytest.raises(ValueError, match="already registered"):
        reports.report_query("by_product")(extra)


RETURNS = ("fca_return_half_year", "hos_annual_report")


@pytest.mark.usefixtures("fca_history", "hos_history")
def test_the_returns_are_registered_and_count_the_complaints_they_read():
    """The FCA return of the last half-year and the Housing Ombudsman report of the last twelve months, on
    the returns' fixture histories (H1 2026; the financial year 2025)."""
    summer = SimpleNamespace(today=date(2026, 7, 15))
    assert reports.REPORT_QUERIES["fca_return_half_year"](summer) > 0
    assert reports.REPORT_QUERIES["hos_annual_report"](SimpleNamespace(today=date(2026, 4, 2))) > 0
