"""The backlog snapshot (``reports.backlog``): its cells and its "as of", counted every five minutes by
Celery beat ("reports-backlog-refresh", editable in the admin), and two partial indexes of the open
requests (17 % of the benchmark's 10 million):

- ``request_open_backlog`` holds every column the count reads, so the count — and the drill-down's
  count of a figure's requests — reads the index alone (an index-only scan, never the table);
- ``request_open_newest`` gives the drill-down's lists of open requests their order (newest first),
  so a page of 50 stops after a few hundred index entries instead of sorting a governorate's whole
  backlog (0.7–1.2 s → 15–30 ms at 2 million requests).

They are on ``requests_app_servicerequest`` but are the backlog's need, so they are made here (raw SQL:
not part of ``ServiceRequest``'s model state). On PostgreSQL they are built ``CONCURRENTLY``, so a large
requests table keeps taking intakes meanwhile; hence this migration is not atomic (each step is
idempotent: run again after a failure, it finishes what is missing)."""

import django.db.models.deletion
from django.db import migrations, models

from core.beat import interval_task_ensure, periodic_task_remove

TASK_NAME = "reports-backlog-refresh"
OPEN = "WHERE state IN ('submitted', 'in_review', 'awaiting_citizen')"
INDEXES = {
    "request_open_backlog": (
        "(center_id, service_id, current_department_id, state, submitted_at, overdue_since, step_risk_at) "
        + OPEN
    ),
    "request_open_newest": "(submitted_at, id) " + OPEN,
}


def create_schedule(apps, schema_editor):
    interval_task_ensure(
        apps,
        name=TASK_NAME,
        task="reports.backlog_refresh",
        every=5,
        period="minutes",
        description="Count the open requests for the dashboards (in progress, overdue, at risk, aging)",
    )
    # A count not started within its five minutes is dropped: the next one comes anyway.
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name=TASK_NAME, expire_seconds__isnull=True, expires__isnull=True
    ).update(expire_seconds=300)


def remove_schedule(apps, schema_editor):
    periodic_task_remove(apps, name=TASK_NAME)


def create_indexes(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, definition in INDEXES.items():
        if postgresql:  # a build interrupted earlier leaves an invalid index that IF NOT EXISTS would keep
            schema_editor.execute(
                f"""DO $$ BEGIN
                    IF EXISTS (SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                               WHERE c.relname = '{name}' AND NOT i.indisvalid) THEN
                        EXECUTE 'DROP INDEX {name}';
                    END IF;
                END $$"""
            )
        concurrently = "CONCURRENTLY" if postgresql else ""
        schema_editor.execute(
            f"CREATE INDEX {concurrently} IF NOT EXISTS {name} ON requests_app_servicerequest {definition}"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("organisation", "0002_center_short_name"),
        ("reports", "0004_step_day"),
        ("services", "0003_validity_limit"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.CreateModel(
            name="BacklogCell",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("waiting", models.BooleanField()),
                ("open", models.PositiveIntegerField(default=0)),
                ("overdue", models.PositiveIntegerField(default=0)),
                ("at_risk", models.PositiveIntegerField(default=0)),
                ("aged_0_5", models.PositiveIntegerField(default=0)),
                ("aged_6_10", models.PositiveIntegerField(default=0)),
                ("aged_11_20", models.PositiveIntegerField(default=0)),
                ("aged_21_40", models.PositiveIntegerField(default=0)),
                ("aged_over_40", models.PositiveIntegerField(default=0)),
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
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="organisation.department",
                    ),
                ),
                (
                    "service",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="services.service"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="BacklogSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("taken_at", models.DateTimeField(null=True)),
                ("open", models.PositiveIntegerField(default=0)),
                ("cells", models.PositiveIntegerField(default=0)),
                ("seconds", models.FloatField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("pk", 1)), name="one_backlog_snapshot")
                ],
            },
        ),
        migrations.RunPython(create_schedule, remove_schedule),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
