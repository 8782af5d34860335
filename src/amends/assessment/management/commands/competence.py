"""`amends competence criteria [--json]`: every criterion of the four units, with its kind, our title and
the criteria of other units that are the same competence. --json prints one JSON list of
`{"unit", "code", "kind", "title", "same_as"}`; without it, a table for reading.

`amends competence capture [--days N]`: capture what learners' work of the last N days shows and is not yet
captured (after a capture fault was logged; capture is idempotent, so running it twice adds nothing).

`amends competence xapi [--learner USERNAME] [--send]`: every learner's (or one's) evidence, decisions and
IQA samples as xAPI statements, validated: printed as one JSON array, or with --send posted to the learning
record store at AMENDS_LRS_ENDPOINT (key and secret in AMENDS_LRS_KEY, AMENDS_LRS_SECRET). Statement ids
are stable, so sending again stores nothing twice. Run it from cron or by hand: it is never run in a request.
"""

from __future__ import annotations

import json
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amends.standards import criteria


class Command(BaseCommand):
    help = "The standards' criteria catalogue, and capturing evidence from learners' work"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        listed = sub.add_parser("criteria", help="every criterion: unit, code, kind, title, same as")
        listed.add_argument("--json", action="store_true", help="one JSON list")
        capture = sub.add_parser("capture", help="capture learners' evidence missed in the last N days")
        capture.add_argument("--days", type=int, default=30, help="how far back (default 30)")
        statements = sub.add_parser("xapi", help="learners' records as xAPI statements (print, or --send)")
        statements.add_argument("--learner", default="", help="one learner's username (default: every one)")
        statements.add_argument("--send", action="store_true", help="post them to AMENDS_LRS_ENDPOINT")

    def handle(self, *args, **options):
        if options["which"] == "capture":
            self._capture(options["days"])
            return
        if options["which"] == "xapi":
            self._xapi(options["learner"], send=options["send"])
            return
        rows = criteria.listing()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        self.stdout.write(f"criteria catalogue version {criteria.version()}: {len(rows)} criteria")
        for r in rows:
            same = f"  (= {', '.join(r['same_as'])})" if r["same_as"] else ""
            self.stdout.write(f"{r['unit']:8} {r['code']:5} {r['kind']:11} {r['title']}{same}")

    def _capture(self, days: int) -> None:
        from amends.assessment.evidence import evidence_recapture

        since = timezone.now() - timedelta(days=max(days, 1))
        learners = get_user_model().objects.filter(staff__assessor__isnull=False).order_by("pk")
        made = {u.get_username(): evidence_recapture(u, since=since) for u in learners}
        self.stdout.write(
            f"{sum(made.values())} items captured for {len(made)} learners since {since:%Y-%m-%d}"
        )

    def _xapi(self, username: str, *, send: bool) -> None:
        from django.conf import settings

        from amends.assessment.portable import learner_statements
        from amends.standards.xapi import send_statements

        learners = get_user_model().objects.filter(staff__assessor__isnull=False).order_by("pk")
        if username:
            learners = learners.filter(username=username)
            if not learners.exists():
                raise CommandError(f"{username} is not working towards the qualification")
        statements = [s for learner in learners for s in learner_statements(learner)]
        if not send:
            self.stdout.write(json.dumps(statements, indent=2))
            return
        if not settings.AMENDS_LRS_ENDPOINT:
            raise CommandError("Set AMENDS_LRS_ENDPOINT (and AMENDS_LRS_KEY, AMENDS_LRS_SECRET) to send")
        stored = send_statements(
            settings.AMENDS_LRS_ENDPOINT, (settings.AMENDS_LRS_KEY, settings.AMENDS_LRS_SECRET), statements
        )
        self.stdout.write(f"{len(stored)} statements sent to {settings.AMENDS_LRS_ENDPOINT}")
