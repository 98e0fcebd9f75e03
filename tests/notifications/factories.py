import factory
from django.db.models.functions import Now

from notifications.models import SmsMessage, SmsOptOut, SmsTemplate
from notifications.services import sms_reference


class SmsTemplateFactory(factory.django.DjangoModelFactory):
    """The event's template; reuses the row the data migration made when it is there."""

    class Meta:
        model = SmsTemplate
        django_get_or_create = ("event",)

    event = "receipt_issued"
    body_ar = "استلمنا طلبكم {receipt} بمركز {center}: {tracking_url}"
    essential = False
    is_active = True


class SmsMessageFactory(factory.django.DjangoModelFactory):
    """A message waiting in the outbox, not tied to a request."""

    class Meta:
        model = SmsMessage

    idempotency_key = factory.Sequence(lambda n: f"ready_for_pickup:-:test-{n}")
    reference = factory.LazyAttribute(lambda message: sms_reference(message.idempotency_key))
    event = "ready_for_pickup"
    phone = factory.Sequence(lambda n: f"+20100{n % 10000000:07d}")
    body = factory.Sequence(lambda n: f"رسالة اختبار رقم {n}")
    encoding = SmsMessage.Encoding.UCS2
    parts = 1


class SmsOptOutFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SmsOptOut
        django_get_or_create = ("phone",)

    phone = "+201012345678"


def make_due() -> None:
    """Move every waiting retry to now instead of sleeping through the back-off."""
    SmsMessage.objects.filter(status=SmsMessage.Status.PENDING).update(next_attempt_at=Now())


def make_in_doubt() -> None:
    """Let the in-doubt window of every attempt in flight pass."""
    SmsMessage.objects.filter(status=SmsMessage.Status.SENDING).update(next_attempt_at=Now())
