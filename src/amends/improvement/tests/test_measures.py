"""The measure before and after, against figures worked out by hand from a fixture."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection

from amends.improvement import measures
from amends.improvement.tests.conftest import at
from amends.process.models import RootCause
from amends.process.steps import finding_record

pytestmark = pytest.mark.django_db


def _spec(*codes, measure="root_cause", product=""):
    ids = tuple(RootCause.objects.filter(code__in=codes).values_list("pk", flat=True))
    return measures.MeasureSpec(measure=measure, root_cause_ids=ids, product=product)


def test_root_cause_counts_by_hand(found, case_handler):
    # Before window 1-28 Feb (28 days = 4 weeks): 6 delays, 1 on each side outside it, 2 of another cause.
    for day in (1, 3, 9, 15, 22, 28):
        found("delay", date(2026, 2, day))
    found("delay", date(2026, 1, 31))  # the day before: outside
    found("staff-error", date(2026, 2, 10))  # another cause: not counted
    found("staff-error", date(2026, 2, 11))
    # After window 1-14 Apr (14 days = 2 weeks): 1 delay, and 1 case re-found as something else.
    found("delay", date(2026, 4, 2))
    moved = found("delay", date(2026, 4, 5))
    with time_machine.travel(at(date(2026, 4, 6)), tick=False):
        finding_record(
            case=moved, actor=case_handler, outcome="justified", facts="f", reasoning="r", expected_version=1
        )  # the case's finding now names no root cause: only its current finding counts
    found("delay", date(2026, 4, 15))  # the day after: outside

    before = measures.window_figures(_spec("delay"), measures.Window(date(2026, 2, 1), date(2026, 2, 28)))
    after = measures.window_figures(_spec("delay"), measures.Window(date(2026, 4, 1), date(2026, 4, 14)))
    assert (before.count, before.per_week) == (6, Decimal("1.50"))  # 6 / 4 weeks
    assert (after.count, after.per_week) == (1, Decimal("0.50"))  # 1 / 2 weeks
    assert measures.suggested_result(before, after) == "effective"  # a third of the rate before
    # A group measures everything under it: process = delay + policy-unclear + ...
    group = measures.window_figures(_spec("process"), measures.Window(date(2026, 2, 1), date(2026, 2, 28)))
    assert group.count == 6
    people = measures.window_figures(_spec("people"), measures.Window(date(2026, 2, 1), date(2026, 2, 28)))
    assert people.count == 2


def test_weekly_series_and_product_measure(found):
    for day in (2, 3, 9, 20):
        found("charges", date(2026, 3, day), product="Current account")
    found("charges", date(2026, 3, 4), product="Mortgage")
    series = measures.weekly_series(_spec("charges"), measures.Window(date(2026, 3, 1), date(2026, 3, 21)))
    assert series == [(date(2026, 3, 1), 3), (date(2026, 3, 8), 1), (date(2026, 3, 15), 1)]
    product = _spec(measure="product", product="Current account")
    figures = measures.window_figures(product, measures.Window(date(2026, 3, 1), date(2026, 3, 14)))
    assert (figures.count, figures.per_week) == (3, Decimal("1.50"))


@pytest.mark.parametrize(
    ("before", "after", "reading"),
    [
        ((20, "5.00"), (8, "2.00"), "effective"),
        ((20, "5.00"), (24, "6.00"), "not_effective"),
        ((2, "0.50"), (1, "0.25"), "inconclusive"),
        ((20, "5.00"), (18, "4.50"), "inconclusive"),
    ],
)
def test_the_suggested_reading(before, after, reading):
    figures = [measures.Figures(n, Decimal(rate)) for n, rate in (before, after)]
    assert measures.suggested_result(*figures) == reading


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan wording")
def test_the_measures_use_their_indexes():
    window = measures.Window(date(2026, 3, 1), date(2026, 3, 28))
    for spec, index in (
        (_spec("delay"), "finding_cause_recorded"),
        (_spec(measure="product", product="Mortgage"), "case_product_opened"),
    ):
        rows, _ = measures._rows(spec, window)
        sql, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert index in plan, plan
