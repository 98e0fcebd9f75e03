"""The request flows per service of all centers (``reports.spans``), filled from the day rows."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from reports.spans import aggregates_rebuild

    aggregates_rebuild(
        apps.get_model("reports", "RequestDay"),
        lambda model: apps.get_model("reports", model),
        only={"ServiceRequestDay", "ServiceRequestMonth"},
    )


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0009_place_aggregate_indexes'),
        ('services', '0003_validity_limit'),
    ]

    operations = [
        migrations.CreateModel(
            name='ServiceRequestDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('received', models.PositiveIntegerField(default=0)),
                ('approved', models.PositiveIntegerField(default=0)),
                ('rejected', models.PositiveIntegerField(default=0)),
                ('decided_on_time', models.PositiveIntegerField(default=0)),
                ('delivered', models.PositiveIntegerField(default=0)),
                ('cancelled', models.PositiveIntegerField(default=0)),
                ('working_days', models.PositiveBigIntegerField(default=0)),
                ('fees', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'service'), name='one_service_request_day_row')],
            },
        ),
        migrations.CreateModel(
            name='ServiceRequestMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('received', models.PositiveIntegerField(default=0)),
                ('approved', models.PositiveIntegerField(default=0)),
                ('rejected', models.PositiveIntegerField(default=0)),
                ('decided_on_time', models.PositiveIntegerField(default=0)),
                ('delivered', models.PositiveIntegerField(default=0)),
                ('cancelled', models.PositiveIntegerField(default=0)),
                ('working_days', models.PositiveBigIntegerField(default=0)),
                ('fees', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'service'), name='one_service_request_month_row')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
