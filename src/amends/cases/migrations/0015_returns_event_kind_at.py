from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0014_improvement_product_opened")]

    operations = [
        migrations.AddIndex(
            model_name="caseevent",
            index=models.Index(fields=["kind", "at"], name="caseevent_kind_at"),
        ),
    ]
