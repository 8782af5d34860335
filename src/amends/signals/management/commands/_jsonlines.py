"""JSON lines in, JSON lines out, one output line per input line; a bad line gets an error line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import IO


def run_lines(stdin: IO[str], stdout: IO[str], handle: Callable[[dict], dict], field: str) -> int:
    """Returns the number of bad lines; good lines are still answered (nothing is silently dropped)."""
    bad = 0
    for number, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get(field), str):
                raise ValueError(f'each line must be a JSON object with a string "{field}"')
            out = {"id": item.get("id"), **handle(item)}
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            bad += 1
            out = {"id": None, "line": number, "error": str(exc)}
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return bad
