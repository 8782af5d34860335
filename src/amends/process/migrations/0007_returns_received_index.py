from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("process", "0006_finding_customer_explanation")]

    operations = [
        migrations.AddIndex(
            model_name="caseprocess",
            index=models.Index(fields=["received_at"], name="caseprocess_received"),
        ),
    ]
