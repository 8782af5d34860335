"""`amends intake eml FILE...`, `amends intake mbox FILE`, `amends intake json FILE`.

Emails are imported each in its own transaction, JSON contacts 500 to a transaction
(`intake_contacts`); either way one bad message is reported and skipped and the rest land. Running the
same import twice adds nothing (idempotent by Message-ID, hash or external_id).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from amends.core.errors import DomainError
from amends.intake.schemas import ContactIn
from amends.intake.services import HeldResult, intake_contacts, intake_email, split_mbox

# JSON contacts are imported this many to a transaction: a commit per message is what made imports slow.
CHUNK = 500


class Command(BaseCommand):
    help = "Import customer messages: raw emails (.eml), mailboxes (mbox) or JSON contacts (social, chat...)"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True)
        eml = sub.add_parser("eml", help="one or more raw email files")
        eml.add_argument("files", nargs="+")
        mbox = sub.add_parser("mbox", help="an mbox mailbox file")
        mbox.add_argument("file")
        js = sub.add_parser(
            "json",
            help="a JSON file: a list of contacts, or one contact per line (schema: docs/intake-json.md)",
        )
        js.add_argument("file")

    def handle(self, *args, source, **options):
        counts = {"created": 0, "added": 0, "duplicate": 0, "held": 0, "failed": 0}
        if source == "eml":
            items = [(f, _read(f)) for f in options["files"]]
            self._run(items, lambda raw: intake_email(raw), counts)
        elif source == "mbox":
            messages = split_mbox(_read(options["file"]))
            self._run(
                [(f"{options['file']}#{i + 1}", m) for i, m in enumerate(messages)], intake_email, counts
            )
        else:
            rows = list(_json_contacts(options["file"]))
            for i in range(0, len(rows), CHUNK):
                self._run_contacts(rows[i : i + CHUNK], counts)
        self.stdout.write(
            f"{counts['created']} new cases, {counts['added']} messages added to existing cases, "
            f"{counts['duplicate']} already imported, {counts['held']} held for review, "
            f"{counts['failed']} refused"
        )
        if counts["failed"]:
            sys.exit(1)

    def _run(self, items, importer, counts):
        for label, payload in items:
            try:
                result = importer(payload)
            except (DomainError, ValidationError) as exc:
                self._report(label, exc, counts)
                continue
            self._report(label, result, counts)

    def _run_contacts(self, rows, counts):
        """One chunk of JSON contacts in one transaction; each still refused or imported on its own."""
        parsed: list = []
        for _, row in rows:
            try:
                parsed.append(_contact(row))
            except ValidationError as exc:
                parsed.append(exc)
        contacts = [p for p in parsed if isinstance(p, ContactIn)]
        imported = iter(intake_contacts(contacts))
        for (label, _), p in zip(rows, parsed, strict=True):
            self._report(label, next(imported) if isinstance(p, ContactIn) else p, counts)

    def _report(self, label, result, counts):
        if isinstance(result, (DomainError, ValidationError)):
            counts["failed"] += 1
            message = result.message if isinstance(result, DomainError) else _pydantic_message(result)
            self.stderr.write(f"{label}: refused: {message}")
            return
        if isinstance(result, HeldResult):
            # Kept, raw, for a person to review (the held email page); nothing was lost.
            counts["held"] += 1
            again = " (held before)" if result.duplicate else ""
            self.stdout.write(f"{label}: held for review: {result.reason}{again}")
            return
        if result.duplicate:
            counts["duplicate"] += 1
        elif result.created_case:
            counts["created"] += 1
        else:
            counts["added"] += 1
        self.stdout.write(f"{label}: {result.case.reference}{' (duplicate)' if result.duplicate else ''}")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc


def _json_contacts(path: str):
    text = _read(path).decode("utf-8-sig", errors="replace").strip()
    if text.startswith("["):
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path} is not valid JSON: {exc}") from exc
        for i, row in enumerate(rows):
            yield f"{path}[{i}]", row
        return
    for i, line in enumerate(text.splitlines()):
        if line.strip():
            yield f"{path}:{i + 1}", line


def _contact(row) -> ContactIn:
    return ContactIn.model_validate_json(row) if isinstance(row, str) else ContactIn.model_validate(row)


def _pydantic_message(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
