"""Postal addresses as their own rows (lines, town, postcode, country, the one for letters), a version on
the customer for optimistic locking, and Wales as a nation of its own.

On SQLite, adding the version column rebuilds customers_customer, and renaming the rebuilt table fails while
any trigger names it: the case search index's triggers (cases app) read the customer's name. They are
dropped first; cases puts back whatever is missing, and rebuilds the index, after every migrate
(cases.search_index.ensure_search_index).
"""

import re

import django.db.models.deletion
from django.db import migrations, models

UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$", re.IGNORECASE)


def drop_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'cases_search_%'")
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def postal_points_to_addresses(apps, schema_editor):
    """A postal address stored as a contact point (one string) becomes a PostalAddress: its lines as they
    were written, the last one taken as the postcode when it reads as a UK postcode. Nothing wrote such
    points before this migration, but an installation may have added some by hand."""
    ContactPoint = apps.get_model("customers", "ContactPoint")
    PostalAddress = apps.get_model("customers", "PostalAddress")
    for point in ContactPoint.objects.filter(kind="postal").order_by("customer_id", "-is_primary", "id"):
        lines = [line.strip() for line in point.value.replace(",", "\n").splitlines() if line.strip()]
        postcode = lines.pop() if lines and UK_POSTCODE.match(lines[-1]) else ""
        PostalAddress.objects.create(
            customer_id=point.customer_id,
            lines=lines[:3],
            town=" ".join(lines[3:])[:100],
            postcode=postcode.upper(),
            for_letters=not PostalAddress.objects.filter(customer_id=point.customer_id).exists(),
            created_at=point.created_at,
        )
    ContactPoint.objects.filter(kind="postal").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('customers', '0002_contact_point_normalised'),
    ]

    operations = [
        migrations.RunPython(drop_search_triggers, migrations.RunPython.noop),
        migrations.AddField(
            model_name='customer',
            name='version',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name='contactpoint',
            name='kind',
            field=models.CharField(choices=[('email', 'Email'), ('phone', 'Phone'), ('social', 'Social media handle')], max_length=10),
        ),
        migrations.AlterField(
            model_name='customer',
            name='nation',
            field=models.CharField(choices=[('england', 'England'), ('wales', 'Wales'), ('scotland', 'Scotland'), ('northern-ireland', 'Northern Ireland')], default='england', max_length=20),
        ),
        migrations.CreateModel(
            name='PostalAddress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('lines', models.JSONField(default=list)),
                ('town', models.CharField(blank=True, max_length=100)),
                ('postcode', models.CharField(blank=True, max_length=12)),
                ('country', models.CharField(default='United Kingdom', max_length=60)),
                ('for_letters', models.BooleanField(default=False)),
                ('created_at', models.DateTimeField()),
                ('customer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='postal_addresses', to='customers.customer')),
            ],
            options={
                'ordering': ['-for_letters', 'id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('for_letters', True)), fields=('customer',), name='postal_address_one_for_letters')],
            },
        ),
        migrations.RunPython(postal_points_to_addresses, migrations.RunPython.noop),
    ]
