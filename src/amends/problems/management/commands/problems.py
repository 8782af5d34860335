"""`amends problems group FILE.jsonl [--json]` and `amends problems regroup`.

group: JSON lines `{"id": ..., "text": ..., "product"?: ..., "root_cause"?: ...}` in FILE ("-" for stdin),
one `{"id", "group"}` line out per input, in input order: the batch grouping, no database opened. A bad line
stops the command with its line number before anything is printed. Without --json a summary (how many
messages, how many groups) follows on stderr; with --json stdout and stderr carry only the JSON lines.

regroup: the batch grouping over the stored messages (the worker's incremental grouping continues from it).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

EXTRA_KEYS = ("product", "root_cause")


def read_items(lines) -> list[dict]:
    """Every line checked before any grouping: a bad one raises ValueError naming its line number."""
    items: list[dict] = []
    seen: set = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise ValueError(f"line {number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError(f'line {number}: each line must be a JSON object with a string "text"')
        if "id" not in item:
            raise ValueError(f'line {number}: no "id"')
        key = json.dumps(item["id"])
        if key in seen:
            raise ValueError(f"line {number}: the id {item['id']!r} was on an earlier line")
        seen.add(key)
        for extra in EXTRA_KEYS:
            if item.get(extra) is not None and not isinstance(item[extra], str):
                raise ValueError(f'line {number}: "{extra}" must be a string')
        items.append(item)
    if not items:
        raise ValueError("no lines to group")
    return items


class Command(BaseCommand):
    help = "Repeated problems: group JSON lines (no database), regroup the stored messages"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="which", required=True)
        group = sub.add_parser("group", help="JSON lines {id, text} -> {id, group} lines (no database)")
        group.add_argument("file", help='a JSON lines file, or "-" for stdin')
        group.add_argument("--json", action="store_true", help="only the JSON lines, no summary")
        group.add_argument("--threshold", type=float, default=None, help="cosine distance to merge groups")
        sub.add_parser("regroup", help="the batch grouping over the stored messages")

    def handle(self, *args, which, **o):
        if which == "group":
            return self._group(o["file"], o["json"], o["threshold"])
        return self._regroup()

    def _group(self, file: str, as_json: bool, threshold: float | None):
        from amends.problems.grouping import Grouper  # scikit-learn: loaded only to group

        try:
            if file == "-":
                items = read_items(sys.stdin)
            else:
                path = Path(file)
                if not path.is_file():
                    raise CommandError(f"No file {file}")
                with path.open(encoding="utf-8") as f:
                    items = read_items(f)
        except ValueError as exc:
            raise CommandError(f"{file}: {exc}; nothing was grouped") from exc
        extra = [{k: item[k] for k in EXTRA_KEYS if item.get(k)} for item in items]
        grouper = Grouper() if threshold is None else Grouper(threshold=threshold)
        groups = grouper.fit([item["text"] for item in items], extra if any(extra) else None)
        for item, found in zip(items, groups, strict=True):
            self.stdout.write(json.dumps({"id": item["id"], "group": int(found)}, ensure_ascii=False))
        if not as_json:
            self.stderr.write(f"{len(items):,} messages in {int(groups.max()) + 1:,} groups")

    def _regroup(self):
        from amends.problems.services import problems_regroup

        summary = problems_regroup(actor=None)
        self.stdout.write(json.dumps(summary))
