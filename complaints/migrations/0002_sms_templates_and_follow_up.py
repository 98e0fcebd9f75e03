"""The default Arabic text of each complaint SMS (administrators edit them afterwards), and the daily
follow-up: closing answered complaints once the reopening window has passed, reminders to rate."""

from django.db import migrations

from core.beat import interval_task_ensure, periodic_task_remove

# (event, essential, text)
DEFAULTS = [
    (
        "complaint_received",
        False,
        "تم استلام شكواكم رقم {number} ({category}) وسيتم الرد عليها في الموعد المحدد. تابعوها: {tracking_url}",
    ),
    (
        "complaint_resolved",
        True,
        "تم الرد على شكواكم رقم {number}: {reply} — التفاصيل وإعادة الفتح: {tracking_url}",
    ),
    ("complaint_rejected", True, "نأسف، تعذر قبول شكواكم رقم {number}: {reason} — التفاصيل: {tracking_url}"),
    (
        "complaint_rating_reminder",
        False,
        "نرجو تقييم الرد على شكواكم رقم {number} من 1 إلى 5 لنحسن خدماتنا: {tracking_url}",
    ),
]
TASK_NAME = "complaints-follow-up"


def create_defaults(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for event, essential, body in DEFAULTS:
        SmsTemplate.objects.get_or_create(event=event, defaults={"essential": essential, "body_ar": body})
    interval_task_ensure(
        apps,
        name=TASK_NAME,
        task="complaints.follow_up",
        every=1,
        period="hours",
        description="Complaints: close answered ones after the reopening window, remind to rate",
    )


def remove_defaults(apps, schema_editor):
    periodic_task_remove(apps, name=TASK_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("notifications", "0003_attempts_in_flight"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
