from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("process", "0007_improvement_finding_cause_index")]

    operations = [
        migrations.AddIndex(
            model_name="caseprocess",
            index=models.Index(fields=["received_at"], name="caseprocess_received"),
        ),
    ]
