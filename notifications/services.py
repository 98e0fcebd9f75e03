"""Every write on the SMS outbox.

A message is written in the transaction of the event it reports (``sms_enqueue``), so it exists if and
only if the event does. Delivery happens afterwards (``sms_deliver_pending``), one message at a time,
in two commits around the gateway call: the attempt (status "sending", counted), then its outcome.
``FOR UPDATE SKIP LOCKED`` on the claim means two workers never take the same message. A worker that
dies between the two commits leaves the message "sending"; after ``SMS_IN_DOUBT_SECONDS`` it is due
again and is resent under the same reference (asking the gateway first where the backend can), so a
gateway that de-duplicates by reference drops the copy: at least once to the gateway, exactly once
to the phone where the gateway de-duplicates.
"""

import logging
from dataclasses import dataclass
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
from notifications.signals import sms_status_changed
from notifications.templating import render

logger = logging.getLogger(__name__)

DELIVERY_BATCH = 500  # messages one pass handles at most; the task queues another pass if it hit it
# Due messages: waiting ones, and those whose attempt in flight is in doubt.
CLAIMABLE = (SmsMessage.Status.PENDING, SmsMessage.Status.SENDING)


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
    draft = SmsMessage(
        idempotency_key=idempotency_key,
        reference=sms_reference(idempotency_key),
        event=event,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
        phone=phone,
        body=body,
        encoding=size.encoding,
        parts=size.parts,
    )
    SmsMessage.objects.bulk_create([draft], ignore_conflicts=True)
    transaction.on_commit(_schedule_delivery, robust=True)
    message = SmsMessage.objects.get(idempotency_key=idempotency_key)
    # This call inserted it when the row bears the moment stamped on the draft (to the microsecond); an
    # occurrence queued before keeps its own.
    if message.created_at == draft.created_at:
        _changed(message, None, subject=subject)
    return message


def _changed(message: SmsMessage, before: str | None, subject: models.Model | None = None) -> None:
    sms_status_changed.send(SmsMessage, message=message, before=before, after=message.status, subject=subject)


def _schedule_delivery() -> None:
    from notifications.tasks import schedule_delivery  # the task module imports this one

    schedule_delivery()


def sms_deliver_pending(*, limit: int = DELIVERY_BATCH) -> int:
    """Send due messages one at a time until none is due or ``limit`` were tried; returns how many."""
    backend = get_backend()
    tried = 0
    while tried < limit:
        attempt = _claim_next()
        if attempt is None:
            break
        tried += 1
        if attempt.send:
            _attempt(backend, attempt)
    return tried


@dataclass(frozen=True)
class _Claim:
    message: SmsMessage
    in_doubt: bool  # the previous attempt never reported back
    send: bool  # False: the message has just been failed instead


def _claim_next() -> _Claim | None:
    """Commit the next due message's attempt before the gateway is called: status "sending", the
    attempt counted, and due again once in doubt. A worker that dies after the gateway took the message
    leaves it "sending"; once in doubt it is claimed again (and counted), and resent under the same
    reference — or failed, when it has used up its attempts (a message that kills its worker every time
    thus still ends). Returns the claimed message, or None when nothing is due."""
    with transaction.atomic():
        message = (
            SmsMessage.objects.select_for_update(skip_locked=True)
            .filter(status__in=CLAIMABLE, next_attempt_at__lte=Now())
            .order_by("next_attempt_at", "id")
            .first()
        )
        if message is None:
            return None
        in_doubt = message.status == SmsMessage.Status.SENDING
        if in_doubt and message.attempts >= settings.SMS_MAX_ATTEMPTS:
            message.status = SmsMessage.Status.FAILED
            message.last_error = f"in doubt: attempt {message.attempts} never reported back (worker stopped?)"
            message.save(update_fields=["status", "last_error"])
            _changed(message, SmsMessage.Status.SENDING)
            return _Claim(message, in_doubt=True, send=False)
        if in_doubt:
            logger.warning(
                "SMS %s in doubt after attempt %d: trying again", message.reference, message.attempts
            )
        message.status = SmsMessage.Status.SENDING
        message.attempts += 1
        message.attempt_started_at = Now()
        message.next_attempt_at = Now() + timedelta(seconds=settings.SMS_IN_DOUBT_SECONDS)
        message.save(update_fields=["status", "attempts", "attempt_started_at", "next_attempt_at"])
        return _Claim(message, in_doubt=in_doubt, send=True)


def _attempt(backend: BaseBackend, claim: _Claim) -> None:
    """Call the gateway with no transaction open, then commit the outcome of this very attempt."""
    message = claim.message
    try:
        # After a crash the gateway may already have it: ask, where it can tell, before sending again.
        known = backend.lookup(reference=message.reference) if claim.in_doubt else None
        provider_id = (
            known
            if known is not None
            else backend.send(to=message.phone, text=message.body, reference=message.reference)
        )
    except PermanentSmsError as exc:
        outcome = {"status": SmsMessage.Status.FAILED, "last_error": str(exc)}
    except Exception as exc:  # RetryableSmsError, or a fault of the backend itself: try again, within limits
        if not isinstance(exc, RetryableSmsError):
            logger.exception("SMS backend failed on %s", message.reference)
        outcome = {"last_error": str(exc) or exc.__class__.__name__}
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            outcome["status"] = SmsMessage.Status.FAILED
        else:
            delay = settings.SMS_RETRY_BASE_SECONDS * 2 ** (message.attempts - 1)
            outcome.update(status=SmsMessage.Status.PENDING, next_attempt_at=Now() + timedelta(seconds=delay))
    else:
        outcome = {"status": SmsMessage.Status.SENT, "provider_message_id": provider_id, "sent_at": Now()}
    # Only this attempt's own row state: a later attempt (this one was in doubt) or a delivery report
    # that arrived first is never overwritten.
    with transaction.atomic():
        recorded = SmsMessage.objects.filter(
            pk=message.pk, status=SmsMessage.Status.SENDING, attempts=message.attempts
        ).update(**outcome)
        if recorded and outcome.get("status", SmsMessage.Status.SENDING) != SmsMessage.Status.SENDING:
            message.status = outcome["status"]
            _changed(message, SmsMessage.Status.SENDING)
    if not recorded:
        logger.warning(
            "SMS %s attempt %d: outcome came after the row moved on", message.reference, message.attempts
        )


@transaction.atomic
def sms_resend(*, message_id: int) -> SmsMessage:
    """Send a failed message again as a new message with a new reference, linked to the first: the
    gateway may have dropped the first reference as a duplicate, and the record keeps both."""
    message = SmsMessage.objects.select_for_update().get(pk=message_id)
    if message.status != SmsMessage.Status.FAILED:
        raise ValidationError(_("Only a failed message can be sent again."))
    if message.resends.exists():
        raise ValidationError(_("This message was already sent again; resend the newest copy."))
    original = message.resend_of or message
    number = original.resends.count() + 1
    key = f"{original.idempotency_key}:resend-{number}"
    copy = SmsMessage.objects.create(
        idempotency_key=key,
        reference=sms_reference(key),
        resend_of=message,
        event=message.event,
        subject_type=message.subject_type,
        subject_id=message.subject_id,
        phone=message.phone,
        body=message.body,
        encoding=message.encoding,
        parts=message.parts,
    )
    _changed(copy, None)
    transaction.on_commit(_schedule_delivery, robust=True)
    return copy


def sms_reference(idempotency_key: str) -> str:
    return f"{settings.INSTALLATION_ID}:{idempotency_key}"


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
    before = message.status
    if status == SmsMessage.Status.DELIVERED and message.status != SmsMessage.Status.DELIVERED:
        message.status = SmsMessage.Status.DELIVERED
        message.delivered_at = timezone.now()
    elif status == SmsMessage.Status.FAILED and message.status == SmsMessage.Status.SENT:
        message.status = SmsMessage.Status.FAILED
        message.last_error = error or "reported failed by the gateway"
    else:
        return message
    message.save(update_fields=["status", "delivered_at", "last_error"])
    _changed(message, before)
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
