"""An attempt is committed before the gateway is called and its outcome after: a worker that dies in
between leaves the message "sending"; once in doubt it is due again — asked about first where the
backend can tell, resent under the same reference otherwise — and every attempt counts, so a message
that kills its worker every time still ends "failed"."""

import pytest

from notifications import backends
from notifications.models import SmsMessage
from notifications.services import _claim_next, sms_deliver_pending
from tests.notifications.factories import SmsMessageFactory, make_due, make_in_doubt

pytestmark = pytest.mark.django_db


def worker_dies_after_claiming() -> SmsMessage:
    """What a worker killed during the gateway call leaves behind: the committed attempt only."""
    claim = _claim_next()
    assert claim is not None and claim.send
    return claim.message


def test_the_attempt_is_committed_before_the_gateway_is_called():
    message = SmsMessageFactory()
    worker_dies_after_claiming()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sending", 1)
    assert message.attempt_started_at is not None
    assert sms_deliver_pending() == 0  # not in doubt yet: no second worker takes it
    assert backends.outbox == []


def test_a_message_in_doubt_is_resent_once_under_the_same_reference():
    message = SmsMessageFactory()
    worker_dies_after_claiming()
    make_in_doubt()
    assert sms_deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert [sent["reference"] for sent in backends.outbox] == [message.reference]


def test_a_gateway_that_already_has_it_is_asked_instead_of_sending_again():
    message = SmsMessageFactory()
    worker_dies_after_claiming()
    # The dead worker's call had reached the gateway before the crash.
    backends.LocmemBackend().send(to=message.phone, text=message.body, reference=message.reference)
    make_in_doubt()
    assert sms_deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert message.provider_message_id == backends.outbox[0]["id"]
    assert len(backends.outbox) == 1


def test_a_message_that_kills_every_worker_fails_after_the_last_attempt(settings):
    settings.SMS_MAX_ATTEMPTS = 3
    message = SmsMessageFactory()
    for attempt in (1, 2, 3):
        worker_dies_after_claiming()
        assert SmsMessage.objects.get(pk=message.pk).attempts == attempt
        make_in_doubt()
    assert sms_deliver_pending() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 3)
    assert "in doubt" in message.last_error
    make_due()
    assert sms_deliver_pending() == 0
    assert backends.outbox == []


def test_a_late_outcome_never_overwrites_a_newer_attempt():
    """The first attempt was in doubt and retried; its outcome arriving afterwards changes nothing."""
    from notifications.services import _attempt

    message = SmsMessageFactory()
    first = _claim_next()
    make_in_doubt()
    assert sms_deliver_pending() == 1  # the retry sent it
    _attempt(backends.LocmemBackend(), first)  # the stalled first worker wakes up
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert message.provider_message_id == backends.outbox[0]["id"]
