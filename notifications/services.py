"""Every write on the SMS outbox.

A message is written in the transaction of the event it reports (``sms_enqueue``), so it exists if and
only if the event does. Delivery happens afterwards, one message per transaction, with the row locked
while the gateway is called (``sms_deliver_pending``), so two workers never send the same message.
Should a worker die after the gateway took a message but before the outcome was committed, the
message is tried again with the same reference (its idempotency key), which lets the gateway drop it.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.backends import BaseBackend, PermanentSmsError, RetryableSmsError, get_backend
from notifications.encoding import sms_parts
from notifications.events import sms_event
from notifications.models import SmsMessage, SmsOptOut, SmsTemplate, validate_e164
from notifications.templating import render

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 500  # messages one pass handles at most; the task queues another pass if it hit it


def sms_enqueue(
    *,
    event: str,
    phone: str,
    context: dict[str, str],
    idempotency_key: str,
    subject: models.Model | None = None,
) -> SmsMessage | None:
    """Queue the SMS for one occurrence of ``event`` (declared with ``register_sms_event``), with the
    values of its placeholders. ``idempotency_key`` names the occurrence: queued twice, it is one
    message. ``subject`` is what the message is about, kept for the record. Call it inside the event's
    transaction. Returns the message — the one already queued if this occurrence was queued before —
    or None when nothing is to be sent."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("sms_enqueue runs inside the event's transaction.")
    kind = sms_event(event)
    if kind is None:
        raise ValueError(f"Unknown SMS event {event!r}: declare it with register_sms_event.")
    unknown = set(context) - set(kind.placeholders)
    if unknown:
        raise ValueError(f"Unknown SMS placeholders for {event}: {sorted(unknown)}")
    validate_e164(phone)
    template = SmsTemplate.objects.filter(event=event, is_active=True).first()
    if template is None:
        logger.warning("No active SMS template for %s: %s not queued", event, idempotency_key)
        return None
    if not template.essential and SmsOptOut.objects.filter(phone=phone).exists():
        logger.info("%s not queued: the phone opted out of non-essential SMS", idempotency_key)
        return None
    try:
        body = render(template.body_ar, context, kind.placeholders)
    except ValidationError:
        logger.error("SMS template for %s is invalid: %s not queued", event, idempotency_key)
        return None
    size = sms_parts(body)
    # ON CONFLICT DO NOTHING: a repeated occurrence neither duplicates the message nor raises an
    # IntegrityError that would break the caller's transaction.
    SmsMessage.objects.bulk_create(
        [
            SmsMessage(
                idempotency_key=idempotency_key,
                event=event,
                subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
                subject_id=subject.pk if subject is not None else None,
                phone=phone,
                body=body,
                encoding=size.encoding,
                parts=size.parts,
            )
        ],
        ignore_conflicts=True,
    )
    transaction.on_commit(_schedule_delivery, robust=True)
    return SmsMessage.objects.get(idempotency_key=idempotency_key)


def _schedule_delivery() -> None:
    from notifications.tasks import schedule_delivery  # the task module imports this one

    schedule_delivery()


def sms_deliver_pending(*, limit: int = DELIVERY_BATCH) -> int:
    """Send due messages one at a time until none is due or ``limit`` were tried; returns how many."""
    backend = get_backend()
    tried = 0
    while tried < limit and _deliver_next(backend):
        tried += 1
    return tried


def _deliver_next(backend: BaseBackend) -> bool:
    with transaction.atomic():
        message = (
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status=SmsMessage.Status.PENDING, next_attempt_at__lte=Now())
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return False
        # The row stays locked while the gateway is called: another pass skips it instead of resending.
        _attempt(backend, message)
        return True


def _attempt(backend: BaseBackend, message: SmsMessage) -> None:
    message.attempts += 1
    try:
        provider_id = backend.send(to=message.phone, text=message.body, reference=message.idempotency_key)
    except PermanentSmsError as exc:
        message.status = SmsMessage.Status.FAILED
        message.last_error = str(exc)
    except Exception as exc:  # RetryableSmsError, or a fault of the backend itself: try again, within limits
        if not isinstance(exc, RetryableSmsError):
            logger.exception("SMS backend failed on %s", message.idempotency_key)
        message.last_error = str(exc) or exc.__class__.__name__
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            message.status = SmsMessage.Status.FAILED
        else:
            delay = settings.SMS_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1)
            message.next_attempt_at = Now() + timedelta(seconds=delay)
    else:
        message.status = SmsMessage.Status.SENT
        message.provider_message_id = provider_id
        message.sent_at = timezone.now()
    message.save(
        update_fields=[
            "attempts",
            "status",
            "last_error",
            "next_attempt_at",
            "provider_message_id",
            "sent_at",
        ]
    )


@transaction.atomic
def sms_resend(*, message_id: int) -> SmsMessage:
    """Give a failed message a fresh set of attempts."""
    message = SmsMessage.objects.select_for_update().get(pk=message_id)
    if message.status != SmsMessage.Status.FAILED:
        raise ValidationError(_("Only a failed message can be sent again."))
    message.status = SmsMessage.Status.PENDING
    message.attempts = 0
    message.next_attempt_at = Now()
    message.save(update_fields=["status", "attempts", "next_attempt_at"])
    message.refresh_from_db(fields=["next_attempt_at"])
    transaction.on_commit(_schedule_delivery, robust=True)
    return message


REPORT_STATUSES = (SmsMessage.Status.DELIVERED, SmsMessage.Status.FAILED)


@transaction.atomic
def sms_record_delivery_report(*, provider_message_id: str, status: str, error: str = "") -> SmsMessage:
    """Record the gateway's word on a sent message. Raises SmsMessage.DoesNotExist for an unknown id.

    Delivered is final (a late or repeated report changes nothing); a failure report counts only for a
    message still marked sent; a delivered report also settles a message marked failed or pending for a
    resend, since the phone has it."""
    if status not in REPORT_STATUSES:
        raise ValidationError(_("Unknown delivery status %(status)s.") % {"status": status})
    message = (
        SmsMessage.objects.select_for_update()
        .filter(provider_message_id=provider_message_id)
        .exclude(provider_message_id="")
        .order_by("-id")
        .first()
    )
    if message is None:
        raise SmsMessage.DoesNotExist(provider_message_id)
    if status == SmsMessage.Status.DELIVERED and message.status != SmsMessage.Status.DELIVERED:
        message.status = SmsMessage.Status.DELIVERED
        message.delivered_at = timezone.now()
    elif status == SmsMessage.Status.FAILED and message.status == SmsMessage.Status.SENT:
        message.status = SmsMessage.Status.FAILED
        message.last_error = error or "reported failed by the gateway"
    else:
        return message
    message.save(update_fields=["status", "delivered_at", "last_error"])
    return message


@transaction.atomic
def sms_opt_out_set(*, phone: str, opted_out: bool) -> bool:
    """Stop (or resume) the non-essential messages to ``phone``; essential ones are always sent.
    Returns whether the phone is opted out now. Idempotent."""
    validate_e164(phone)
    if opted_out:
        SmsOptOut.objects.get_or_create(phone=phone)
    else:
        SmsOptOut.objects.filter(phone=phone).delete()
    return opted_out


def sms_is_opted_out(*, phone: str) -> bool:
    return SmsOptOut.objects.filter(phone=phone).exists()
