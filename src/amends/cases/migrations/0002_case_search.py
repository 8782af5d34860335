"""Full-text search over case summaries: FTS5 on SQLite, a GIN tsvector index on PostgreSQL.

Kept in step by triggers (SQLite) or by the expression index itself (PostgreSQL), so every write path,
bulk inserts included, is searchable without application code remembering to index.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5(summary, content='cases_case', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cases_case_fts_ai AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(rowid, summary) VALUES (new.id, new.summary); END",
    "CREATE TRIGGER cases_case_fts_ad AFTER DELETE ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, summary) VALUES ('delete', old.id, old.summary); END",
    "CREATE TRIGGER cases_case_fts_au AFTER UPDATE OF summary ON cases_case BEGIN "
    "INSERT INTO cases_case_fts(cases_case_fts, rowid, summary) VALUES ('delete', old.id, old.summary); "
    "INSERT INTO cases_case_fts(rowid, summary) VALUES (new.id, new.summary); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS cases_case_fts_au",
    "DROP TRIGGER IF EXISTS cases_case_fts_ad",
    "DROP TRIGGER IF EXISTS cases_case_fts_ai",
    "DROP TABLE IF EXISTS cases_case_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX cases_case_summary_fts ON cases_case USING gin (to_tsvector('simple', summary))",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS cases_case_summary_fts"]


def forward(apps, schema_editor):
    statements = SQLITE_FORWARD if schema_editor.connection.vendor == "sqlite" else POSTGRES_FORWARD
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = SQLITE_BACKWARD if schema_editor.connection.vendor == "sqlite" else POSTGRES_BACKWARD
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
