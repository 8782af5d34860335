"""Search a case by its summary, its customer's name and the words of its messages (see search_index)."""

from django.db import migrations

from amends.cases import search_index


def forward(apps, schema_editor):
    search_index.create_search_index(schema_editor)


def backward(apps, schema_editor):
    search_index.drop_search_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_case_risk"),
        ("customers", "0002_contact_point_normalised"),
        ("messaging", "0002_outbox"),
    ]
    operations = [migrations.RunPython(forward, backward)]
