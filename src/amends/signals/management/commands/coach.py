"""`amends coach`: JSON lines `{"id": ..., "text": ...}` (drafts) on stdin, one `{"id", "findings"}` line
out per input. Optional fields per line: is_closing_reply, customer_text, customer_upset."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from amends.signals.engine.coach import CoachContext, coach, coach_to_dict
from amends.signals.management.commands._jsonlines import run_lines


class Command(BaseCommand):
    help = "Coach draft replies: JSON lines {id, text} on stdin -> {id, findings} on stdout"

    def handle(self, *args, **o):
        def handle(item: dict) -> dict:
            context = CoachContext(
                is_closing_reply=bool(item.get("is_closing_reply")),
                customer_text=str(item.get("customer_text") or ""),
                customer_upset=bool(item.get("customer_upset")),
            )
            return {"findings": coach_to_dict(coach(item["text"], context))}

        bad = run_lines(sys.stdin, self.stdout, handle, "text")
        if bad:
            raise CommandError(f"{bad} line(s) were not valid input; each has an error line in the output")
