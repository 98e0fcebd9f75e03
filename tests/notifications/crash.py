"""Backends that kill their own worker process, to test the outbox against crashes (used by worker
processes started from tests/notifications/test_worker.py)."""

import os
import signal

from notifications.backends import BaseBackend, HttpGatewayBackend


class SendThenDieBackend(HttpGatewayBackend):
    """The gateway takes the message and answers; the worker dies before it can commit the outcome."""

    def send(self, *, to, text, reference):
        super().send(to=to, text=text, reference=reference)
        os.kill(os.getpid(), signal.SIGKILL)


class DieBackend(BaseBackend):
    """A poison message: the worker dies on it every time."""

    def send(self, *, to, text, reference):
        os.kill(os.getpid(), signal.SIGKILL)
