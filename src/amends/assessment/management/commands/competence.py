"""`amends competence criteria [--json]`: every criterion of the four units, with its kind, our title and
the criteria of other units that are the same competence. --json prints one JSON list of
`{"unit", "code", "kind", "title", "same_as"}`; without it, a table for reading."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from amends.standards import criteria


class Command(BaseCommand):
    help = "The standards' criteria catalogue"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        listed = sub.add_parser("criteria", help="every criterion: unit, code, kind, title, same as")
        listed.add_argument("--json", action="store_true", help="one JSON list")

    def handle(self, *args, **options):
        rows = criteria.listing()
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        self.stdout.write(f"criteria catalogue version {criteria.version()}: {len(rows)} criteria")
        for r in rows:
            same = f"  (= {', '.join(r['same_as'])})" if r["same_as"] else ""
            self.stdout.write(f"{r['unit']:8} {r['code']:5} {r['kind']:11} {r['title']}{same}")
