"""PostgreSQL: keep the summary's tsvector in a stored generated column.

Computing to_tsvector per row while walking the primary key backwards made word search cost ~80 ms at a
million cases; a stored vector makes the same plan ~7 ms (docs/benchmarks.md). SQLite keeps FTS5.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE cases_case ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', summary)) STORED",
    "CREATE INDEX IF NOT EXISTS cases_case_search_vector ON cases_case USING gin (search_vector)",
    "DROP INDEX IF EXISTS cases_case_summary_fts",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS cases_case_summary_fts ON cases_case USING gin (to_tsvector('simple', summary))",
    "DROP INDEX IF EXISTS cases_case_search_vector",
    "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_search")]
    operations = [migrations.RunPython(forward, backward)]
