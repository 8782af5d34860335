"""Shared by the competence record's tests: one fixed moment (time_machine, never the wall clock)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

NOW = datetime(2026, 11, 4, 15, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
