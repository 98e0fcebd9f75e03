"""The default Arabic text of the hall's SMS (administrators edit them afterwards)."""

from django.db import migrations

# (event, essential, text)
DEFAULTS = [
    (
        "hall_ticket_near",
        True,
        "اقترب دوركم في مركز {center}: أمام التذكرة {ticket} الآن {ahead} — تابعوا دوركم: {url}",
    ),
    (
        "hall_ticket_called",
        True,
        "حان دوركم: التذكرة {ticket} — تفضلوا إلى الشباك رقم {window} بمركز {center}",
    ),
]


def create_defaults(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for event, essential, body in DEFAULTS:
        SmsTemplate.objects.get_or_create(event=event, defaults={"essential": essential, "body_ar": body})


def remove_defaults(apps, schema_editor):
    apps.get_model("notifications", "SmsTemplate").objects.filter(
        event__in=[e for e, _, _ in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("hall", "0001_initial"),
        ("notifications", "0003_attempts_in_flight"),
    ]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
