"""`amends regimes list` and `amends regimes due --regime CODE --received ISO-DATETIME --nation NATION`.

`due` prints when each clock of a stage runs out for a complaint received at that moment, using the
version of the regime in force on the day of receipt (Europe/London).
"""

from __future__ import annotations

import json
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amends.regimes.calendar import LONDON, NATION_NAMES, NATIONS
from amends.regimes.clocks import ClockError, compute_all
from amends.regimes.definition import DefinitionError
from amends.regimes.models import Regime
from amends.regimes.selectors import current_version, regimes_with_current_version

MOMENT = "%a %d %b %Y %H:%M:%S %Z"


class Command(BaseCommand):
    help = "Complaint-handling regimes: list them, or show when each clock falls due for a complaint"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="one regime a line: code, name, version in force today, effective date")
        due = sub.add_parser("due", help="when each clock of a stage runs out for a complaint received then")
        due.add_argument("--regime", required=True, help="regime code, as shown by `amends regimes list`")
        due.add_argument(
            "--received",
            required=True,
            help="ISO date-time of receipt (or, with --stage for a later stage, of the escalation request), "
            "e.g. 2026-04-01T10:30:00+01:00; without an offset it is read as Europe/London time",
        )
        due.add_argument("--nation", required=True, help=f"whose bank holidays: {', '.join(NATIONS)}")
        due.add_argument("--stage", help="stage code (default: the regime's first stage)")
        due.add_argument("--json", action="store_true", help="print a JSON list instead of text")

    def handle(self, *args, action, **options):
        if action == "list":
            self._list()
        else:
            self._due(options)

    def _list(self):
        today = timezone.localdate()
        for regime, in_force, first in regimes_with_current_version(today):
            if in_force is None:
                when = f"no version in force yet (v{first.version} from {first.effective_from})"
            else:
                when = f"v{in_force.version} from {in_force.effective_from}"
            self.stdout.write(f"{regime.code:<20} {regime.name:<70} {when}")

    def _due(self, options):
        nation = options["nation"]
        if nation not in NATIONS:
            raise CommandError(f"Unknown nation {nation!r}: use one of {', '.join(NATIONS)}")
        received = _parse_moment(options["received"])
        if received.tzinfo is None:
            received = received.replace(tzinfo=LONDON)
            self.stderr.write(
                f"--received {options['received']} has no time zone: read as Europe/London time."
            )
        code = options["regime"]
        on = received.astimezone(LONDON).date()
        version = current_version(code, on)
        if version is None:
            raise CommandError(_no_version(code, on))
        try:
            definition = version.parsed()
            rows = compute_all(definition, received, nation, stage_code=options["stage"])
        except (ClockError, DefinitionError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps([row.as_json() for row in rows], indent=2))
            return
        stage = definition.stage(options["stage"] or definition.stages[0].code)
        self.stdout.write(
            f"{definition.code} v{definition.version} ({definition.name}), {stage.name}; received "
            f"{received.astimezone(LONDON).strftime(MOMENT)}; {NATION_NAMES[nation]} bank holidays"
        )
        for row in rows:
            kind = "regulatory" if row.regulatory else "internal target"
            period = f"{row.amount} {row.unit.replace('_', ' ')}"
            due_at = row.due_at.strftime(MOMENT)
            self.stdout.write(f"  {row.name:<55} {period:<18} {due_at}   {kind}, evidence {row.evidence}")
            if row.assumes:
                self.stdout.write(f"      ({row.assumes})")


def _parse_moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--received {text!r} is not an ISO date-time such as 2026-04-01T10:30:00+01:00"
        ) from None


def _no_version(code: str, on) -> str:
    regime = Regime.objects.filter(code=code).first()
    if regime is None:
        known = ", ".join(Regime.objects.order_by("code").values_list("code", flat=True))
        return f"Unknown regime {code!r}; known regimes: {known or 'none (run amends migrate)'}"
    first = regime.versions.order_by("effective_from").first()
    if first is None:
        return f"Regime {code!r} has no versions"
    return (
        f"No version of {code} is in force on {on}: the earliest, v{first.version}, "
        f"starts {first.effective_from}"
    )
