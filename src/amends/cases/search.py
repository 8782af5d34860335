"""Word search over cases: their summary, their customer's name and their messages (see search_index).

Every word must appear somewhere in the case (the last may be the start of a word, as people type; on
SQLite only when the whole word does not fill the page, see `_sqlite_best`). The
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


def _query(words: list[str], *, prefix: bool = True) -> str:
    if connection.vendor == "sqlite":
        return " ".join(f'"{w}"' for w in words[:-1]) + f' "{words[-1]}"' + ("*" if prefix else "")
    return " & ".join(words[:-1] + [f"{words[-1]}:*"])


def best_matches(qs: QuerySet, text: str, *, limit: int) -> tuple[list[int], int]:
    """Ids of the cases in `qs` that hold every word of `text`, best match first, and how many were ranked
    (the newest `limit` matches; fewer means these are all there are).

    A case whose summary or customer's name holds more of the words ranks first (on PostgreSQL, ts_rank
    with the summary and name at weight A, the messages at B); then the newest."""
    words = _words(text)
    if not words:
        return [], 0
    if connection.vendor == "sqlite":
        ids = _sqlite_best(qs, words, limit)
        return ids, len(ids)
    query = _query(words)
    matched = qs.filter(search_vector_matches(query)).order_by("-id")
    rank = RawSQL("ts_rank(cases_case.search_vector, to_tsquery('simple', %s))", [query])  # noqa: S611
    rows = list(matched.annotate(rank=rank).values_list("id", "rank")[:limit])
    rows.sort(key=lambda row: (-row[1], -row[0]))
    return [row[0] for row in rows], len(rows)


def _sqlite_best(qs: QuerySet, words: list[str], limit: int) -> list[int]:
    """The last word is first searched whole: when it alone fills `limit` it is common, and its newest
    matches are the answer; only otherwise is it the start of a word (as people type). A prefix makes FTS5
    gather every matching term's whole list before the first row (200 ms for a word every case holds, at a
    million cases), where a whole word is read newest first and stops at `limit` (under 1 ms).

    Ranked here, not by FTS5's bm25, which reads each word's whole list to count the cases holding it
    (150 ms for a common word at a million cases): a word found in the summary or the customer's name
    counts, one found only in the messages does not."""
    ids = _sqlite_matches(qs, _query(words, prefix=False), limit)
    prefix = len(ids) < limit
    if prefix:
        ids = _sqlite_matches(qs, _query(words, prefix=True), limit)
    shown = qs.model.objects.filter(id__in=ids).values_list("id", "summary", "customer__name")
    score = {pk: _in_summary_or_name(words, f"{summary} {name}", prefix) for pk, summary, name in shown}
    return sorted(ids, key=lambda pk: (-score.get(pk, 0), -pk))


def _in_summary_or_name(words: list[str], text: str, prefix: bool) -> int:
    held = set(_words_all(text))
    found = sum(w in held for w in words[:-1])
    last = words[-1]
    return found + (any(h.startswith(last) for h in held) if prefix else last in held)


def _words_all(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def search_vector_matches(query: str) -> RawSQL:
    # a constant fragment; the words go in as a parameter
    return RawSQL(  # noqa: S611
        "cases_case.search_vector @@ to_tsquery('simple', %s)", [query], output_field=BooleanField()
    )


def _sqlite_matches(qs: QuerySet, query: str, limit: int) -> list[int]:
    """FTS5 walks its matches newest first; the user's scope is asked of each (EXISTS, by primary key)
    until `limit` pass, rather than the scope's whole set being built for every search."""
    in_scope = qs.filter(id=RawSQL("cases_search.rowid", [])).order_by().values("id")  # noqa: S611
    scope_sql, scope_params = in_scope.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT cases_search.rowid FROM cases_search "  # noqa: S608
            f"WHERE cases_search MATCH %s AND EXISTS ({scope_sql}) ORDER BY cases_search.rowid DESC LIMIT %s",
            [query, *scope_params, limit],
        )
        return [row[0] for row in cursor.fetchall()]
