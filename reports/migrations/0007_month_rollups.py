"""The month twins of the four day roll-ups (``reports.spans``), filled from the day rows."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_months(apps, schema_editor):
    from reports.spans import aggregates_rebuild

    for name in ("RequestDay", "RequestDayDuration", "FeeDay", "StepDay"):
        month = name.replace("Day", "Month")  # RequestDayDuration: RequestMonthDuration
        aggregates_rebuild(
            apps.get_model("reports", name), lambda model: apps.get_model("reports", model), only={month}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('organisation', '0002_center_short_name'),
        ('reports', '0006_place_day_indexes'),
        ('services', '0003_validity_limit'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='FeeMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('fee_name_ar', models.CharField(max_length=200)),
                ('payment_method', models.CharField(max_length=12)),
                ('count', models.PositiveIntegerField(default=0)),
                ('amount', models.DecimalField(decimal_places=2, default=0, max_digits=14)),
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'indexes': [models.Index(fields=['center', 'day'], name='fee_month_center')],
                'constraints': [models.UniqueConstraint(fields=('day', 'center', 'service', 'fee_name_ar', 'payment_method'), name='one_fee_month_row')],
            },
        ),
        migrations.CreateModel(
            name='RequestMonth',
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
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'indexes': [models.Index(fields=['center', 'day'], name='request_month_center')],
                'constraints': [models.UniqueConstraint(fields=('day', 'center', 'service'), name='one_request_month_row')],
            },
        ),
        migrations.CreateModel(
            name='RequestMonthDuration',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('working_days', models.PositiveSmallIntegerField()),
                ('decided', models.PositiveIntegerField(default=0)),
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'indexes': [models.Index(fields=['center', 'day'], include=('service', 'working_days', 'decided'), name='request_month_duration_center')],
                'constraints': [models.UniqueConstraint(fields=('day', 'center', 'service', 'working_days'), name='one_request_month_duration')],
            },
        ),
        migrations.CreateModel(
            name='StepMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField()),
                ('steps_done', models.PositiveIntegerField(default=0)),
                ('steps_on_time', models.PositiveIntegerField(default=0)),
                ('working_days', models.PositiveBigIntegerField(default=0)),
                ('center', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.center')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organisation.department')),
                ('employee', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='services.service')),
            ],
            options={
                'indexes': [models.Index(fields=['department', 'day'], name='step_month_department'), models.Index(fields=['center', 'day'], name='step_month_center')],
                'constraints': [models.UniqueConstraint(fields=('day', 'center', 'service', 'department', 'employee'), name='one_step_month_row')],
            },
        ),
        migrations.RunPython(fill_months, migrations.RunPython.noop),
    ]
