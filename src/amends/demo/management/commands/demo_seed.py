"""`amends demo_seed`: load realistic demo data for a UK complaints team, once."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from amends.demo.generate import MARKER_TEAM, seed_demo, summary


class Command(BaseCommand):
    help = (
        "Load demo teams, logins, customers and cases, with complaints taken through their regimes (letters, "
        "approvals, promises, escalations). Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2000, help="how many cases (default 2000)")
        parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed, the same demo")

    def handle(self, *args, cases: int, seed: int, **options):
        if cases < 1:
            self.stderr.write("--cases must be at least 1")
            return
        started = time.monotonic()
        # Seeding sends thousands of acknowledgements and replies. The file backend would write each one to
        # var/outbox, so while seeding they go to the in-memory backend and are dropped when the command ends.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            loaded = seed_demo(cases=cases, seed=seed)
        if not loaded:
            self.stdout.write(f"Demo data is already loaded (team '{MARKER_TEAM}' exists): nothing to do.")
            return
        self.stdout.write(summary())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {time.monotonic() - started:.1f} s."))
