"""Keeping the SMS roll-up (``reports.models.SmsDay`` and its month) current, and rebuilding it.

The outbox knows no domain: it says, inside the transaction of each change, that a message was queued or
moved from one status to another (``notifications.signals.sms_status_changed``). The same transaction
adds the change to the row of the day the message was queued, the center of what it is about (a request,
a complaint, a hall ticket: ``SUBJECTS``) and whether that is a complaint about staff conduct: one more
queued; sent (accepted or delivered) and its parts, or failed, moved with the status — a delivery report
that fails a sent message takes it back from "sent". Messages about nothing of a center's are not rolled
up (no dashboard place holds them). The rebuild reads the messages' own status and parts.
"""

from django.apps import apps as installed_apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from notifications.models import SmsMessage
from organisation.calendar import CAIRO
from reports import rollups, spans
from reports.models import SmsDay

SMS_FIGURES = spans.COLUMNS["SmsDay"][1]
# What a message may be about, for the dashboards: each has a center; a complaint may be confidential.
SUBJECTS = ("requests_app.servicerequest", "complaints.complaint", "hall.ticket")
SENT = (SmsMessage.Status.SENT, SmsMessage.Status.DELIVERED)


def _standing(status: str | None, parts: int) -> dict:
    sent = status in SENT
    return {
        "sent": int(sent),
        "parts": parts if sent else 0,
        "failed": int(status == SmsMessage.Status.FAILED),
    }


def _confidential(model: type[Model]) -> bool:
    """Whether what ``model`` holds may be confidential (a complaint about staff conduct)."""
    return any(field.name == "confidential" for field in model._meta.fields)


def _place(message: SmsMessage, subject) -> tuple[str, int, bool] | None:
    """The message's subject kind, center and confidentiality, or None when no dashboard counts it."""
    if message.subject_type_id is None:
        return None
    model = ContentType.objects.get_for_id(message.subject_type_id).model_class()
    label = model._meta.label_lower if model is not None else ""
    if label not in SUBJECTS:
        return None
    if subject is None:
        columns = ["center_id", *(["confidential"] if _confidential(model) else [])]
        subject = model.objects.filter(pk=message.subject_id).values(*columns).first()
        if subject is None:
            return None
        return label, subject["center_id"], bool(subject.get("confidential"))
    return label, subject.center_id, bool(getattr(subject, "confidential", False))


def sms_status_changed(
    sender, *, message: SmsMessage, before: str | None, after: str, subject=None, **kwargs
):
    """``notifications.signals.sms_status_changed``'s receiver (``reports.apps`` connects it)."""
    now, then = _standing(after, message.parts), _standing(before, message.parts)
    change = {"queued": int(before is None), **{name: now[name] - then[name] for name in now}}
    if not any(change.values()):
        return
    place = _place(message, subject)
    if place is None:
        return
    label, center_id, confidential = place
    keys = {
        "day": timezone.localdate(message.created_at, CAIRO),
        "center_id": center_id,
        "subject": label,
        "confidential": confidential,
    }
    # (an upsert checks the row it proposes before it meets the existing one: what a change takes away
    # is subtracted from the rows, which exist since the message was queued)
    added = {name: max(change[name], 0) for name in SMS_FIGURES}
    taken = {name: max(-change[name], 0) for name in SMS_FIGURES}
    if any(added.values()):
        rollups._add(SmsDay, keys, added)
    if any(taken.values()):
        rollups._take_back(SmsDay, keys, taken)


def sms_days_rebuild(get_model=installed_apps.get_model) -> int:
    """Every SMS roll-up row again, from the messages alone (inside the caller's transaction, which has
    locked the table; ``get_model`` gives a migration's historical models)."""
    message_model, day_model = get_model("notifications", "SmsMessage"), get_model("reports", "SmsDay")
    sent, failed = Q(status__in=SENT), Q(status=SmsMessage.Status.FAILED)
    rows = []
    for label in SUBJECTS:
        app_label, model_name = label.split(".")
        model = get_model(app_label, model_name)
        subject = model.objects.filter(pk=OuterRef("subject_id"))
        lines = (
            message_model.objects.filter(subject_type__app_label=app_label, subject_type__model=model_name)
            .annotate(
                day=TruncDate("created_at", tzinfo=CAIRO),
                place=Subquery(subject.values("center_id")[:1]),
                secret=Subquery(subject.values("confidential")[:1]) if _confidential(model) else Value(False),
            )
            .filter(place__isnull=False)
            .values("day", "place", "secret")
            .annotate(
                queued=Count("pk"),
                sent=Count("pk", filter=sent),
                parts=Coalesce(Sum("parts", filter=sent), 0),
                failed=Count("pk", filter=failed),
            )
            .order_by()
        )
        rows += [
            day_model(
                day=line["day"],
                center_id=line["place"],
                subject=label,
                confidential=line["secret"],
                **{name: line[name] for name in SMS_FIGURES},
            )
            for line in lines
        ]
    return spans.rows_replace(day_model, rows)
