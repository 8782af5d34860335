import pytest

from amends.cases.tests.factories import make_case


@pytest.fixture
def complaint(complaints_team, case_handler):
    """An FCA-regulated complaint received on Monday 2 November 2026 at 10:00, owned by the case handler."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    received = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(received, tick=False):
        case = make_case(
            team=complaints_team,
            owner=case_handler,
            summary="Charged twice for one payment",
            email="pat.complainant@example.com",
        )
    return case
