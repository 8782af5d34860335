"""Word search over cases: their summary, their customer's name and their messages (see search_index).

Every word must appear somewhere in the case (the last may be the start of a word, as people type). The
newest matches the user may see are taken through the index, then ranked by how well they match, a word in
the summary or the customer's name counting above one in a message, so a search costs the same at a
million cases as at a thousand.
"""

from __future__ import annotations

import json
import re

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())[:8]


def _query(words: list[str]) -> str:
    if connection.vendor == "sqlite":
        return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"*'
    return " & ".join(words[:-1] + [f"{words[-1]}:*"])


def matching(qs: QuerySet, text: str) -> QuerySet:
    """The cases of `qs` that hold every word of `text` (none when it has no words)."""
    words = _words(text)
    if not words:
        return qs.none()
    if connection.vendor == "sqlite":
        sql = "cases_case.id IN (SELECT rowid FROM cases_search WHERE cases_search MATCH %s)"
    else:
        sql = "cases_case.search_vector @@ to_tsquery('simple', %s)"
    # a constant fragment; the words go in as a parameter
    return qs.filter(RawSQL(sql, [_query(words)], output_field=BooleanField()))  # noqa: S611


def ranked(ids: list[int], text: str) -> list[int]:
    """`ids` (cases that match `text`) best match first, the newest first among equals.

    A word in the summary or the customer's name counts ten times one in a message on SQLite (bm25 column
    weights: summary, name, messages); on PostgreSQL they are weight A and the messages B."""
    words = _words(text)
    if not ids or not words:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM cases_search WHERE cases_search MATCH %s "
                "AND rowid IN (SELECT value FROM json_each(%s)) "
                "ORDER BY bm25(cases_search, 10.0, 10.0, 1.0), rowid DESC",
                [_query(words), json.dumps(ids)],
            )
        else:
            cursor.execute(
                "SELECT id FROM cases_case WHERE id = ANY(%s) "
                "ORDER BY ts_rank(search_vector, to_tsquery('simple', %s)) DESC, id DESC",
                [ids, _query(words)],
            )
        return [row[0] for row in cursor.fetchall()]
