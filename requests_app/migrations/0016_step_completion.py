"""Each request step keeps who finished it and the working days it took (for the reports' step roll-up)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def from_the_history(apps, schema_editor):
    """Steps finished before the fields existed: the finisher from the history row that finished the
    step, the working days from its stored clock (allowance, due date, completion) and its center's
    calendar. A step with no due date (never started by the workflow) keeps no working days."""
    from deadlines.clock import clock_working_days_used
    from organisation.calendar import WorkCalendar
    from organisation.models import Center

    RequestStep = apps.get_model("requests_app", "RequestStep")
    RequestEvent = apps.get_model("requests_app", "RequestEvent")
    finisher = (
        RequestEvent.objects.filter(step=models.OuterRef("pk"), action__in=["forward", "approve", "reject"])
        .order_by("-at", "-pk")
        .values("actor")[:1]
    )
    done = (
        RequestStep.objects.filter(status="done", completed_at__isnull=False)
        .annotate(center_id=models.F("request__center_id"), finished_by=models.Subquery(finisher))
        .order_by("pk")
    )
    calendars, batch = {}, []
    for step in done.iterator(chunk_size=2000):
        step.completed_by_id = step.finished_by
        if step.due_at is not None:
            if step.center_id not in calendars:
                calendars[step.center_id] = WorkCalendar(Center.objects.get(pk=step.center_id))
            step.working_days_taken = clock_working_days_used(
                calendars[step.center_id],
                due_at=step.due_at,
                working_days=step.working_days,
                at=step.completed_at,
            )
        batch.append(step)
        if len(batch) >= 2000:
            RequestStep.objects.bulk_update(batch, ["completed_by", "working_days_taken"])
            batch = []
    RequestStep.objects.bulk_update(batch, ["completed_by", "working_days_taken"])


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0015_working_days_taken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="requeststep",
            name="completed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="requeststep",
            name="working_days_taken",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(from_the_history, migrations.RunPython.noop),
    ]
