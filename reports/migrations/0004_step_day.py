"""The step roll-up: per day × center × service × department × employee, the steps finished, how many by
their due date, and their working days — filled at once from the steps already finished."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def from_the_steps(apps, schema_editor):
    from reports.step_rollups import step_days_rebuild

    step_days_rebuild(apps.get_model("requests_app", "RequestStep"), apps.get_model("reports", "StepDay"))


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0002_center_short_name"),
        ("reports", "0003_export_cleanup_schedule"),
        ("requests_app", "0016_step_completion"),
        ("services", "0003_validity_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StepDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("steps_done", models.PositiveIntegerField(default=0)),
                ("steps_on_time", models.PositiveIntegerField(default=0)),
                ("working_days", models.PositiveBigIntegerField(default=0)),
                (
                    "center",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.center",
                    ),
                ),
                (
                    "department",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.department",
                    ),
                ),
                (
                    "employee",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="services.service"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["department", "day"], name="step_day_department"),
                    models.Index(fields=["center", "day"], name="step_day_center"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("day", "center", "service", "department", "employee"), name="one_step_day_row"
                    )
                ],
            },
        ),
        migrations.RunPython(from_the_steps, migrations.RunPython.noop),
    ]
