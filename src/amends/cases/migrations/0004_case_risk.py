"""The case's risk (0-100) from the signals in its messages, with indexes for "sort by risk".

On SQLite, adding a column with a CHECK constraint rebuilds the table, which drops the full-text triggers
of migration 0002; they are created again here and the index rebuilt, so search keeps working.
"""

from django.db import migrations, models

from importlib import import_module

SEARCH = import_module("amends.cases.migrations.0002_case_search")


def restore_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in SEARCH.SQLITE_FORWARD[1:]:  # the triggers; the FTS table itself survives the rebuild
        name = sql.split()[2]
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(sql)
    schema_editor.execute("INSERT INTO cases_case_fts(cases_case_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_search_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="risk",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["risk", "id"], name="case_risk"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["team", "risk", "id"], name="case_team_risk"),
        ),
        migrations.RunPython(restore_search_triggers, migrations.RunPython.noop),
    ]
