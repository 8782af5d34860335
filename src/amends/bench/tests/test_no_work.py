"""Every benchmark measures work or reports no figure: a time over nothing reads as a fast system."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from amends.bench.figures import NoWork
from amends.bench.pages import measure as measure_pages
from amends.bench.pages import seed_to
from amends.bench.sweep import measure as measure_sweep
from amends.bench.sweep import seed_open
from amends.cases.models import Case
from amends.core.models import Team
from amends.process.models import CaseClock, Promise

pytestmark = pytest.mark.django_db


def _nothing_due():
    later = timezone.now() + timedelta(days=30)
    CaseClock.objects.filter(status="running").update(due_at=later)
    Promise.objects.filter(status="open").update(due_at=later)


def test_a_sweep_with_nothing_due_reports_no_figure_and_says_why():
    seed_open(50, log=lambda s: None)
    _nothing_due()
    with pytest.raises(NoWork, match="No clock or promise is due among the 50 open cases"):
        measure_sweep(50)


def test_the_command_refuses_with_the_reason(capsys):
    seed_open(50, log=lambda s: None)
    _nothing_due()
    with pytest.raises(CommandError, match="no figure: No clock or promise is due"):
        call_command("bench", "sweep", "--cases", "50", "--in-bench-database")
    assert "sweep" not in capsys.readouterr().out  # no line of figures


def test_the_pages_benchmark_refuses_a_page_that_shows_no_case():
    seed_to(30, log=lambda s: None)
    Case.objects.update(team=Team.objects.get(slug="bench-2"), owner=None)  # nothing for the team leader
    with pytest.raises(NoWork, match="queue_team: none of its 2 pages showed a case"):
        measure_pages(requests=2)


def test_the_pages_benchmark_refuses_an_empty_database():
    with pytest.raises(NoWork, match="no cases to show"):
        measure_pages(requests=2)


def test_the_intake_benchmark_refuses_when_nothing_was_stored(settings, tmp_path, complaints_team):
    from amends.bench.intake import measure as measure_intake

    settings.SHARED_DATA_DIR = tmp_path
    with pytest.raises(NoWork, match="none of the 0 messages was stored"):
        measure_intake(0, log=lambda _: None)
