"""What the outbox tells its readers, inside the transaction of each change (the outbox knows no one)."""

from django.dispatch import Signal

# A message was queued (``before`` is None) or moved from status ``before`` to ``after``. Sent with
# ``message`` (the SmsMessage, its ``status`` possibly not yet reloaded) and, when the caller holds it,
# ``subject`` (what the message is about); inside the transaction that made the change.
sms_status_changed = Signal()
