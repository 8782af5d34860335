"""The product or service a case is about, indexed with the team for counting complaints by product.

On SQLite adding the column rebuilds the table, which the search index's triggers would refuse: they are
dropped first and put back after (cases/search_index.py).
"""

from django.conf import settings
from django.db import migrations, models

from amends.cases import search_index


def drop_search_triggers(apps, schema_editor):
    search_index.drop_sqlite_triggers(schema_editor)


def restore_search_triggers(apps, schema_editor):
    search_index.ensure_search_index(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_case_search_document'),
        ('core', '0004_notification_urgency'),
        ('customers', '0002_contact_point_normalised'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_search_triggers, restore_search_triggers),
        migrations.AddField(
            model_name='case',
            name='product',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['team', 'product'], name='case_team_product'),
        ),
        migrations.RunPython(restore_search_triggers, drop_search_triggers),
    ]
