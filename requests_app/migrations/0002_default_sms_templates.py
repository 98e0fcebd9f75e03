"""The default Arabic text of each request event's SMS; administrators edit them afterwards in the admin."""

from django.db import migrations

# (event, essential, text). Essential messages ask the citizen to act, so they go even after an opt-out.
DEFAULTS = [
    (
        "receipt_issued",
        False,
        "تم استلام طلبكم رقم {receipt} ({service}) بمركز {center}. تابعوا حالته: {tracking_url}",
    ),
    (
        "documents_requested",
        True,
        "طلبكم رقم {receipt} متوقف لحين استكمال: {documents}. "
        "برجاء تقديمها بمركز {center} ليستأنف العمل عليه. التفاصيل: {tracking_url}",
    ),
    (
        "ready_for_pickup",
        False,
        "طلبكم رقم {receipt} ({service}) جاهز للاستلام من مركز {center}. "
        "برجاء إحضار الإيصال وبطاقة الرقم القومي.",
    ),
    (
        "rejected",
        True,
        "نأسف، تم رفض طلبكم رقم {receipt} ({service}). السبب: {reason}. "
        "التفاصيل وطريقة التظلم: {tracking_url}",
    ),
    (
        "overdue_apology",
        False,
        "نعتذر عن تأخر طلبكم رقم {receipt} ({service}) عن موعده. "
        "الموعد المتوقع الجديد: {due_date}. تابعوا حالته: {tracking_url}",
    ),
    (
        "delivered",
        False,
        "تم تسليم طلبكم رقم {receipt} ({service}). شكرًا لتعاملكم مع مركز {center}.",
    ),
]


def create_defaults(apps, schema_editor):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for event, essential, body in DEFAULTS:
        SmsTemplate.objects.get_or_create(event=event, defaults={"essential": essential, "body_ar": body})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial"), ("requests_app", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
