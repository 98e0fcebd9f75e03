"""The roll-ups' sums per center of all services and per service of all centers (``reports.spans``),
filled from the day rows."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from reports.spans import aggregates_rebuild

    made_here = {
        "RequestDay": {"CenterRequestDay", "CenterRequestMonth"},
        "RequestDayDuration": {
            "CenterDayDuration",
            "CenterMonthDuration",
            "ServiceDayDuration",
            "ServiceMonthDuration",
        },
    }
    for name, aggregates in made_here.items():
        aggregates_rebuild(
            apps.get_model("reports", name), lambda model: apps.get_model("reports", model), only=aggregates
        )


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_center_short_name'),
        ('reports', '0007_month_rollups'),
        ('services', '0003_validity_limit'),
    ]

    operations = [
        migrations.CreateModel(
            name='CenterDayDuration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('working_days', models.PositiveSmallIntegerField()),
                ('decided', models.PositiveIntegerField(default=0)),
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('center', 'day', 'working_days'), name='one_center_day_duration')],
            },
        ),
        migrations.CreateModel(
            name='CenterMonthDuration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('working_days', models.PositiveSmallIntegerField()),
                ('decided', models.PositiveIntegerField(default=0)),
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('center', 'day', 'working_days'), name='one_center_month_duration')],
            },
        ),
        migrations.CreateModel(
            name='CenterRequestDay',
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
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('center', 'day'), name='one_center_request_day_row')],
            },
        ),
        migrations.CreateModel(
            name='CenterRequestMonth',
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
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('center', 'day'), name='one_center_request_month_row')],
            },
        ),
        migrations.CreateModel(
            name='ServiceDayDuration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('working_days', models.PositiveSmallIntegerField()),
                ('decided', models.PositiveIntegerField(default=0)),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'service', 'working_days'), name='one_service_day_duration')],
            },
        ),
        migrations.CreateModel(
            name='ServiceMonthDuration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('working_days', models.PositiveSmallIntegerField()),
                ('decided', models.PositiveIntegerField(default=0)),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('day', 'service', 'working_days'), name='one_service_month_duration')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
