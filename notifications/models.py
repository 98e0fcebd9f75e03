"""The SMS outbox: templates per event, the messages themselves, and citizens who opted out."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from notifications.encoding import GSM7, UCS2
from notifications.events import sms_event, sms_event_choices
from notifications.templating import body_errors

validate_e164 = RegexValidator(
    r"^\+[1-9][0-9]{7,14}$", _("Enter the number in international form, e.g. +201012345678.")
)


class SmsTemplate(models.Model):
    # Events are declared by the apps that send them (notifications.events).
    event = models.CharField(_("event"), max_length=40, unique=True, choices=sms_event_choices)
    body_ar = models.TextField(
        _("text (Arabic)"), help_text=_("Fields in braces are filled in when the message is sent.")
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

    @property
    def placeholders(self) -> tuple[str, ...]:
        kind = sms_event(self.event)
        return kind.placeholders if kind else ()

    def clean(self):
        errors = body_errors(self.body_ar, self.placeholders)
        if errors:
            raise ValidationError({"body_ar": errors})


class SmsMessage(models.Model):
    """One message to one phone. Written in the transaction of the event it reports, delivered later."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")  # an attempt is in flight (committed before the gateway call)
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered to the phone")
        FAILED = "failed", _("Failed")

    class Encoding(models.TextChoices):
        GSM7 = GSM7, "GSM-7"
        UCS2 = UCS2, "UCS-2"

    # Chosen by the caller, one per occurrence of an event (e.g. "<event>:<request id>:<occurrence>"):
    # the same occurrence is never queued twice, and the gateway gets it as the client reference so
    # that it can drop a resend after a lost reply.
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # What the gateway gets as the client reference: "<INSTALLATION_ID>:<idempotency key>", the same for
    # every attempt at this message (so a de-duplicating gateway drops a copy after a lost answer).
    reference = models.CharField(_("gateway reference"), max_length=220, unique=True)
    resend_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resends",
        verbose_name=_("resend of"),
        help_text=_("A failed message sent again by an administrator, under a new reference."),
    )
    event = models.CharField(_("event"), max_length=40, choices=sms_event_choices)
    # What the message is about (a request, a complaint …), whatever app it belongs to.
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    phone = models.CharField(_("phone"), max_length=16, validators=[validate_e164])
    body = models.TextField(_("text"))
    encoding = models.CharField(_("encoding"), max_length=4, choices=Encoding.choices)
    parts = models.PositiveSmallIntegerField(_("parts"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Database time, like the delivery pass's "due" test, so web and worker clocks need not agree.
    # While sending: when the attempt in flight is in doubt and the message is due again.
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_default=Now())
    attempt_started_at = models.DateTimeField(_("last attempt began at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("SMS message")
        verbose_name_plural = _("SMS messages")
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="sms_subject"),
            # The dashboards count a period's messages.
            models.Index(fields=["created_at"], name="sms_created"),
            # The delivery pass: status IN (pending, sending) AND next_attempt_at <= now
            # ORDER BY next_attempt_at, id.
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
