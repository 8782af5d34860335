"""`amends worker`: sweep due work (clock warnings and breaches, promise reminders, progress updates) and
send the outbox's email, with retries.

`--once` does one sweep and exits, for cron. Safe to run several at once: see process/tasks.py.
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand
from django.urls import reverse

from amends.process.tasks import sweep


class Command(BaseCommand):
    help = (
        "Claim and do due work: clock warnings and breaches, promise reminders, progress-update reminders, "
        "outbound email"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one sweep, then exit (for cron)")
        parser.add_argument("--interval", type=int, default=60, help="seconds between sweeps (default 60)")

    def handle(self, *args, once, interval, **options):
        reverse("queue")  # notifications link to pages: load the URLconf once, up front
        while True:
            result = sweep()
            if result.total or once:
                self.stdout.write(json.dumps(result.counts))
            if once:
                return
            time.sleep(max(1, interval))
