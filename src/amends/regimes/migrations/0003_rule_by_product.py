"""Regime rules may choose by the case's product."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('regimes', '0002_regime_settings'),
    ]

    operations = [
        migrations.AlterField(
            model_name='regimerule',
            name='match',
            field=models.CharField(choices=[('category', 'Category is'), ('product', 'Product is'), ('channel', 'Channel is'), ('default', 'Any other complaint')], max_length=20),
        ),
    ]
