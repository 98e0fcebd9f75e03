"""Two delivery passes at once, each on its own database connection, never send a message twice:
the pass that holds a message's row lock sends it, the other skips it (SKIP LOCKED)."""

import threading

import pytest
from django.db import connection

from notifications.models import SmsMessage
from notifications.services import sms_deliver_pending
from tests.notifications.factories import SmsMessageFactory

MESSAGES = 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_passes_at_once_send_each_message_exactly_once(gateway):
    messages = SmsMessageFactory.create_batch(MESSAGES)
    gateway.delay = 0.01  # each answer takes a moment, so the two passes overlap
    start = threading.Barrier(2)
    tried, errors = {}, []

    def run_pass(name):
        try:
            start.wait()
            tried[name] = sms_deliver_pending()
        except Exception as exc:  # reported below: an exception in a thread would otherwise vanish
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own database connection

    threads = [threading.Thread(target=run_pass, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert tried["a"] + tried["b"] == MESSAGES
    assert tried["a"] > 0 and tried["b"] > 0  # both passes really worked at the same time
    assert sorted(post["reference"] for post in gateway.posts) == sorted(m.reference for m in messages)
    assert set(SmsMessage.objects.values_list("status", "attempts")) == {("sent", 1)}
