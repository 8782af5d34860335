"""Migration 0004 keeps every option's remedy: its one remedy and amount become its first OptionRemedy, and
going back puts the first remedy (and the option's money) on the option again."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("process", "0003_finding_version")]
AFTER = [("process", "0004_option_remedies_agreements_tasks")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_an_option_s_remedy_becomes_its_first_remedy_and_comes_back(complaint, case_handler):
    old = _migrate(BEFORE)
    Option = old.get_model("process", "Option")
    common = {
        "case_id": complaint.pk,
        "benefits_customer": "Money back",
        "created_by_id": case_handler.pk,
        "created_at": datetime(2026, 11, 2, 10, tzinfo=UTC),
    }
    refund = Option.objects.create(title="Refund", remedy_type="refund", amount=Decimal("120.00"), **common)
    apology = Option.objects.create(title="Apologise", remedy_type="apology", amount=None, **common)

    new = _migrate(AFTER)
    remedies = new.get_model("process", "OptionRemedy").objects.order_by("option_id")
    assert [(r.option_id, r.kind, r.amount, r.position) for r in remedies] == [
        (refund.pk, "refund", Decimal("120.00"), 0),
        (apology.pk, "apology", None, 0),
    ]

    back = _migrate(BEFORE)
    options = back.get_model("process", "Option").objects.order_by("pk")
    assert [(o.remedy_type, o.amount) for o in options] == [("refund", Decimal("120.00")), ("apology", None)]
    # Forward to the end again: going back also took back what later migrations of other apps built on
    # process (improvement's tables), which the tests after this one need.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
