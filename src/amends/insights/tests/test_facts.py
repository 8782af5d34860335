"""The stored facts: kept up to date as cases change, and equal to a full rebuild from the source tables."""

from datetime import UTC, datetime

import pytest
import time_machine

from amends.cases.models import Case
from amends.cases.services import case_transition
from amends.cases.tests.factories import make_case
from amends.insights.facts import facts_rebuild, facts_refresh
from amends.insights.models import CaseFact
from amends.process import promises, steps
from amends.process.models import RootCause
from amends.process.services import process_start

pytestmark = pytest.mark.django_db


def _facts() -> dict[int, dict]:
    return {
        row["case_id"]: {k: v for k, v in row.items() if k != "refreshed_at"}
        for row in CaseFact.objects.values()
    }


@pytest.fixture
def story(django_capture_on_commit_callbacks, complaints_team, adviser, complaints_lead):
    """A realistic run of events, each in its own commit as the pages make them."""

    def step(fn):
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    cause = RootCause.objects.filter(parent__isnull=False).first()
    with time_machine.travel(datetime(2026, 10, 5, 10, 0, tzinfo=UTC), tick=False):
        complaint = step(lambda: make_case(team=complaints_team, owner=adviser, summary="Charged twice"))
        step(lambda: process_start(case=complaint, regime_code="fca-disp", actor=complaints_lead))
        query = step(lambda: make_case(team=complaints_team, kind="query", summary="Where is my card"))
        other = step(lambda: make_case(team=None, kind="problem", summary="Boiler broken"))
    with time_machine.travel(datetime(2026, 10, 7, 10, 0, tzinfo=UTC), tick=False):
        step(
            lambda: steps.finding_record(
                case=complaint, actor=adviser, outcome="justified", facts="f", reasoning="r", root_cause=cause
            )
        )
        promise = step(
            lambda: promises.promise_make(
                case=complaint,
                actor=adviser,
                description="Call back",
                due_at=datetime(2026, 10, 8, tzinfo=UTC),
            )
        )
        step(lambda: promises.promise_keep(promise=promise, actor=adviser))
        step(lambda: case_transition(case=Case.objects.get(pk=query.pk), to="resolved", actor=adviser))
    with time_machine.travel(datetime(2026, 10, 9, 12, 0, tzinfo=UTC), tick=False):
        step(
            lambda: case_transition(
                case=Case.objects.get(pk=query.pk), to="open", actor=adviser, reason="Back"
            )
        )
        step(
            lambda: case_transition(
                case=Case.objects.get(pk=query.pk), to="closed", actor=adviser, reason="Done"
            )
        )
        step(lambda: steps.satisfaction_record(case=complaint, actor=adviser, answer="satisfied"))
    return complaint, query, other, cause


def test_facts_follow_the_events_and_equal_a_rebuild(story):
    complaint, query, other, cause = story
    incremental = _facts()
    assert set(incremental) == {complaint.pk, query.pk, other.pk}
    c = incremental[complaint.pk]
    assert (c["regime"], c["root_cause"], c["outcome"], c["upheld"]) == (
        "fca-disp",
        cause.code,
        "justified",
        1,
    )
    assert (c["promises_decided"], c["promises_kept"], c["satisfied"], c["finished_on"]) == (1, 1, 1, None)
    q = incremental[query.pk]
    assert q["reopens"] == 1
    assert str(q["finished_on"]) == "2026-10-09"
    assert q["hours_to_resolve"] == 4 * 24 + 2
    assert q["within_deadline"] in (0, 1)
    assert incremental[other.pk]["team_id"] is None

    result = facts_rebuild()
    assert result.cases == 3
    assert _facts() == incremental


def test_a_rolled_back_change_leaves_the_fact_as_stored(django_capture_on_commit_callbacks, complaints_team):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(team=complaints_team)
    assert CaseFact.objects.get(pk=case.pk).kind == "complaint"
    Case.objects.filter(pk=case.pk).update(kind="query")  # changed behind the services' back
    assert facts_refresh([case.pk]) == 1
    assert CaseFact.objects.get(pk=case.pk).kind == "query"


def test_refresh_reads_a_batch_in_a_fixed_number_of_queries(
    django_assert_max_num_queries, django_capture_on_commit_callbacks, complaints_team
):
    with django_capture_on_commit_callbacks(execute=True):
        cases = [make_case(team=complaints_team) for _ in range(3)]
    with django_assert_max_num_queries(30) as few:
        facts_refresh([c.pk for c in cases[:1]])
    with django_assert_max_num_queries(len(few.captured_queries)):
        facts_refresh([c.pk for c in cases])


def test_the_rebuild_command_fills_every_case(complaints_team):
    from io import StringIO

    from django.core.management import call_command

    cases = [make_case(team=complaints_team) for _ in range(3)]  # no commit here: nothing refreshed yet
    assert not CaseFact.objects.exists()
    out = StringIO()
    call_command("insights_rebuild", stdout=out)
    assert "rebuilt the facts of 3 cases" in out.getvalue()
    assert set(CaseFact.objects.values_list("case_id", flat=True)) == {c.pk for c in cases}


def test_the_rollups_give_the_facts_figures(story, complaints_lead, monkeypatch):
    from datetime import date

    from amends.insights import selectors
    from amends.insights.models import DailyRollup

    assert DailyRollup.objects.filter(dimension="all").exists()
    filters = selectors.Filters(start=date(2026, 1, 1), end=date(2026, 12, 31), grain="week")
    questions = [
        lambda f: selectors.opened_by_period(complaints_lead, f),
        lambda f: selectors.finished_by_period(complaints_lead, f),
        lambda f: selectors.by_dimension(complaints_lead, f, "root_cause"),
        lambda f: selectors.by_dimension(complaints_lead, f, "team"),
        lambda f: selectors.support_needs_compare(complaints_lead, f),
        lambda f: selectors.opened_by_period(complaints_lead, f.narrowed(kind="query", product="-")),
    ]
    from_rollups = [ask(filters) for ask in questions]
    facts_rollups = [(r.on, r.day, r.dimension, r.value, r.cases) for r in DailyRollup.objects.order_by("pk")]
    monkeypatch.setattr(selectors, "_rollups", lambda *a, **k: None)
    assert [ask(filters) for ask in questions] == from_rollups
    assert sum(from_rollups[0].values()) == 3
    facts_rebuild()
    rebuilt = [(r.on, r.day, r.dimension, r.value, r.cases) for r in DailyRollup.objects.order_by("pk")]
    assert sorted(rebuilt) == sorted(facts_rollups)


def test_a_team_leaders_rollups_give_their_facts_figures(story, team_leader, monkeypatch):
    from datetime import date

    from amends.insights import selectors

    filters = selectors.Filters(start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert selectors._rollup_team(team_leader) == team_leader.staff.team_id
    from_rollups = [
        selectors.opened_by_period(team_leader, filters),
        selectors.finished_by_period(team_leader, filters),
        selectors.by_dimension(team_leader, filters, "product"),
    ]
    monkeypatch.setattr(selectors, "_rollups", lambda *a, **k: None)
    from_facts = [
        selectors.opened_by_period(team_leader, filters),
        selectors.finished_by_period(team_leader, filters),
        selectors.by_dimension(team_leader, filters, "product"),
    ]
    assert from_rollups == from_facts
    assert sum(from_facts[0].values()) == 2  # the team's two, not the case with no team
