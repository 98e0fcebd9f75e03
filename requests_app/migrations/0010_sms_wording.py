"""Shorter default SMS wording: the center by its short name ("بمركز بنها", organisation 0002), and
every message within two UCS-2 parts (134 characters) for long real values (tests/notifications/
test_sms_length.py). Only templates still worded as 0002 left them change; an administrator's own
wording stays."""

from django.db import migrations

# event: (the wording of 0002, the new wording)
WORDING = {
    "receipt_issued": (
        "تم استلام طلبكم رقم {receipt} ({service}) بمركز {center}. تابعوا حالته: {tracking_url}",
        "استلمنا طلبكم {receipt} بمركز {center}: {tracking_url}",
    ),
    "documents_requested": (
        "طلبكم رقم {receipt} متوقف لحين استكمال: {documents}. "
        "برجاء تقديمها بمركز {center} ليستأنف العمل عليه. التفاصيل: {tracking_url}",
        "طلبكم {receipt} متوقف لحين تقديم: {documents}. قدموها بمركز {center}.",
    ),
    "ready_for_pickup": (
        "طلبكم رقم {receipt} ({service}) جاهز للاستلام من مركز {center}. "
        "برجاء إحضار الإيصال وبطاقة الرقم القومي.",
        "طلبكم {receipt} ({service}) جاهز للاستلام بمركز {center}. أحضروا الإيصال والبطاقة.",
    ),
    "rejected": (
        "نأسف، تم رفض طلبكم رقم {receipt} ({service}). السبب: {reason}. "
        "التفاصيل وطريقة التظلم: {tracking_url}",
        "نأسف، رُفض طلبكم {receipt}. السبب وطريقة التظلم: {tracking_url}",
    ),
    "overdue_apology": (
        "نعتذر عن تأخر طلبكم رقم {receipt} ({service}) عن موعده. "
        "الموعد المتوقع الجديد: {due_date}. تابعوا حالته: {tracking_url}",
        "نعتذر عن تأخر طلبكم {receipt} ({service}). الموعد المتوقع الجديد: {due_date}.",
    ),
}


def reword(apps, schema_editor, *, backwards=False):
    SmsTemplate = apps.get_model("notifications", "SmsTemplate")
    for event, (old, new) in WORDING.items():
        before, after = (new, old) if backwards else (old, new)
        SmsTemplate.objects.filter(event=event, body_ar=before).update(body_ar=after)


def reword_back(apps, schema_editor):
    reword(apps, schema_editor, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0009_take_next_index"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(reword, reword_back)]
