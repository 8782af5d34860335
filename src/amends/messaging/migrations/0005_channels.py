"""The outbox carries every connector, not only email (issue 11 item 8): OutboxEmail becomes OutboxItem,
its `to` the `destination`, and each row says its connector. The rows already there are emails, and keep
going as they were: `connector` defaults to email. Integrations (the webhooks that carry social media and
chat replies) are new, as are SMS and replies sent by hand."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('messaging', '0004_saved_reply'),
        ('customers', '0004_sms_channel'),
    ]

    operations = [
        migrations.CreateModel(
            name='Integration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True)),
                ('channels', models.JSONField(default=list)),
                ('url', models.URLField(max_length=500)),
                ('secret', models.CharField(max_length=200)),
                ('enabled', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField()),
                ('updated_at', models.DateTimeField()),
                ('version', models.PositiveIntegerField(default=1)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.RenameModel(old_name='OutboxEmail', new_name='OutboxItem'),
        migrations.RenameField(model_name='outboxitem', old_name='to', new_name='destination'),
        migrations.AddField(
            model_name='outboxitem',
            name='connector',
            field=models.CharField(choices=[('email', 'Email'), ('webhook', 'Integration (webhook)'), ('sms', 'SMS provider')], default='email', max_length=10),
        ),
        migrations.AddField(
            model_name='outboxitem',
            name='integration',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='messaging.integration'),
        ),
        migrations.AlterField(
            model_name='message',
            name='channel',
            field=models.CharField(choices=[('email', 'Email'), ('web_form', 'Web form'), ('phone', 'Phone'), ('face_to_face', 'Face to face'), ('letter', 'Letter'), ('social', 'Social media'), ('chat', 'Chat'), ('sms', 'SMS'), ('api', 'API')], max_length=20),
        ),
        migrations.AlterField(
            model_name='message',
            name='delivery',
            field=models.CharField(blank=True, choices=[('', 'Not sent by Amends'), ('queued', 'Queued'), ('retrying', 'Not sent yet: retrying'), ('sent', 'Sent'), ('failed', 'Not sent: gave up'), ('no_address', 'Not sent: no address'), ('by_hand', 'Sent by hand'), ('bounced', 'Not delivered: bounced')], default='', max_length=12),
        ),
    ]
