"""Word search over cases: their summary, their customer's name and their messages (see search_index).

Every word must appear somewhere in the case (the last may be the start of a word, as people type). The
index gives the matches newest first; each is checked against the user's scope as it comes, so the walk
stops at the newest `limit` the user may see, and only those are ranked: a search costs about the same at
a million cases as at a thousand, whatever the user's scope.
"""

from __future__ import annotations

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


def best_matches(qs: QuerySet, text: str, *, limit: int) -> tuple[list[int], int]:
    """Ids of the cases in `qs` that hold every word of `text`, best match first, and how many were ranked
    (the newest `limit` matches; fewer means these are all there are).

    A word in the summary or the customer's name counts ten times one in a message on SQLite (bm25 column
    weights: summary, name, messages); on PostgreSQL they carry weight A and the messages B."""
    words = _words(text)
    if not words:
        return [], 0
    query = _query(words)
    if connection.vendor == "sqlite":
        rows = _sqlite_matches(qs, query, limit)
        rows.sort(key=lambda row: (row[1], -row[0]))  # bm25: lower is better
    else:
        matched = qs.filter(search_vector_matches(query)).order_by("-id")
        rank = RawSQL("ts_rank(cases_case.search_vector, to_tsquery('simple', %s))", [query])  # noqa: S611
        rows = list(matched.annotate(rank=rank).values_list("id", "rank")[:limit])
        rows.sort(key=lambda row: (-row[1], -row[0]))
    return [row[0] for row in rows], len(rows)


def search_vector_matches(query: str) -> RawSQL:
    # a constant fragment; the words go in as a parameter
    return RawSQL(  # noqa: S611
        "cases_case.search_vector @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()
    )


def _sqlite_matches(qs: QuerySet, query: str, limit: int) -> list[tuple[int, float]]:
    """FTS5 walks its matches newest first; the user's scope is asked of each (EXISTS, by primary key)
    until `limit` pass, rather than the scope's whole set being built for every search."""
    in_scope = qs.filter(id=RawSQL("cases_search.rowid", [])).order_by().values("id")  # noqa: S611
    scope_sql, scope_params = in_scope.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cases_search.rowid, bm25(cases_search, 10.0, 10.0, 1.0) FROM cases_search "  # noqa: S608
            f"WHERE cases_search MATCH %s AND EXISTS ({scope_sql}) ORDER BY cases_search.rowid DESC LIMIT %s",
            [query, *scope_params, limit],
        )
        return cursor.fetchall()
