"""Attempts in flight ("sending", committed before the gateway call), gateway references prefixed with
the installation id, and resends linked to the message they repeat."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Value
from django.db.models.functions import Concat


def fill_references(apps, schema_editor):
    apps.get_model("notifications", "SmsMessage").objects.update(
        reference=Concat(Value(f"{settings.INSTALLATION_ID}:"), "idempotency_key")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_catch_up_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='smsmessage',
            name='attempt_started_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='last attempt began at'),
        ),
        migrations.AddField(
            model_name='smsmessage',
            name='reference',
            field=models.CharField(max_length=220, null=True, verbose_name='gateway reference'),
        ),
        migrations.AddField(
            model_name='smsmessage',
            name='resend_of',
            field=models.ForeignKey(blank=True, help_text='A failed message sent again by an administrator, under a new reference.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='resends', to='notifications.smsmessage', verbose_name='resend of'),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='smsmessage',
            name='reference',
            field=models.CharField(max_length=220, unique=True, verbose_name='gateway reference'),
        ),
        migrations.AlterField(
            model_name='smsmessage',
            name='status',
            field=models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('delivered', 'Delivered to the phone'), ('failed', 'Failed')], default='pending', max_length=10, verbose_name='status'),
        ),
    ]
