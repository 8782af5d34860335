"""Full-text search over case summaries, using each database's own index (see migration 0002)."""

from __future__ import annotations

import re

from django.db import connection

WORD_RE = re.compile(r"\w+", re.UNICODE)


def matching_case_ids(text: str, *, limit: int) -> list[int]:
    """Ids of the newest cases whose summary contains every word of `text` (prefix match on the last)."""
    words = WORD_RE.findall(text.lower())[:8]
    if not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            query = " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
            cursor.execute(
                "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s ORDER BY rowid DESC LIMIT %s",
                [query.strip(), limit],
            )
        else:
            query = " & ".join(words[:-1] + [f"{words[-1]}:*"])
            cursor.execute(
                "SELECT id FROM cases_case WHERE search_vector @@ to_tsquery('simple', %s) "
                "ORDER BY id DESC LIMIT %s",
                [query, limit],
            )
        return [row[0] for row in cursor.fetchall()]
