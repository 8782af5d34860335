"""How levels are watched, by default: every dimension, the exact Poisson u-chart (monitoring/models.py)."""

from django.db import migrations

DEFAULT_DIMENSIONS = ["product", "root_cause", "channel", "team", "regime"]


def seed(apps, schema_editor):
    SpcSetting = apps.get_model("monitoring", "SpcSetting")
    SpcSetting.objects.get_or_create(pk=1, defaults={"dimensions": DEFAULT_DIMENSIONS})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
