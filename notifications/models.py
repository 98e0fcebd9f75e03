"""The SMS outbox: templates per event, the messages themselves, and citizens who opted out."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from notifications.encoding import GSM7, UCS2
from notifications.templating import body_errors, placeholders_help

validate_e164 = RegexValidator(
    r"^\+[1-9][0-9]{7,14}$", _("Enter the number in international form, e.g. +201012345678.")
)


class SmsEvent(models.TextChoices):
    RECEIPT_ISSUED = "receipt_issued", _("Receipt issued")
    DOCUMENTS_REQUESTED = "documents_requested", _("Documents requested")
    READY_FOR_PICKUP = "ready_for_pickup", _("Ready for pickup")
    REJECTED = "rejected", _("Rejected")
    OVERDUE_APOLOGY = "overdue_apology", _("Apology for a delay")
    DELIVERED = "delivered", _("Delivered")


class SmsTemplate(models.Model):
    event = models.CharField(_("event"), max_length=40, unique=True, choices=SmsEvent.choices)
    body_ar = models.TextField(
        _("text (Arabic)"),
        help_text=format_lazy(
            _("Fields in braces are filled in when the message is sent. Allowed: {fields}."),
            fields=placeholders_help(),
        ),
    )
    essential = models.BooleanField(
        _("essential"),
        default=False,
        help_text=_("Sent even to citizens who opted out of SMS, because they must act on it."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["event"]

    def __str__(self) -> str:
        return self.get_event_display()

    def clean(self):
        errors = body_errors(self.body_ar)
        if errors:
            raise ValidationError({"body_ar": errors})


class SmsMessage(models.Model):
    """One message to one phone. Written in the transaction of the event it reports, delivered later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered to the phone")
        FAILED = "failed", _("Failed")

    class Encoding(models.TextChoices):
        GSM7 = GSM7, "GSM-7"
        UCS2 = UCS2, "UCS-2"

    # "<event>:<request id>:<occurrence>": the same occurrence of an event is never queued twice, and
    # the gateway gets it as the client reference so that it can drop a resend after a lost reply.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    event = models.CharField(_("event"), max_length=40, choices=SmsEvent.choices)
    request = models.ForeignKey(
        "requests_app.ServiceRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name=_("request"),
    )
    phone = models.CharField(_("phone"), max_length=16, validators=[validate_e164])
    body = models.TextField(_("text"))
    encoding = models.CharField(_("encoding"), max_length=4, choices=Encoding.choices)
    parts = models.PositiveSmallIntegerField(_("parts"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Database time, like the delivery pass's "due" test, so web and worker clocks need not agree.
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        indexes = [
            # The delivery pass: status = pending AND next_attempt_at <= now ORDER BY next_attempt_at, id.
            models.Index(fields=["status", "next_attempt_at", "id"], name="sms_due"),
            # Delivery reports look messages up by the gateway's id.
            models.Index(
                fields=["provider_message_id"],
                name="sms_provider_id",
                condition=~models.Q(provider_message_id=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idempotency_key} → {self.phone} ({self.status})"


class SmsOptOut(models.Model):
    """A phone whose owner asked for no SMS but the essential ones."""

    phone = models.CharField(_("phone"), max_length=16, unique=True, validators=[validate_e164])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("SMS opt-out")
        verbose_name_plural = _("SMS opt-outs")

    def __str__(self) -> str:
        return self.phone
