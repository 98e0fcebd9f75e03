"""Where messages go, chosen by settings.SMS_BACKEND like Django's email backends.

``send`` returns the provider's message id, or raises RetryableSmsError (try again later) or
PermanentSmsError (this message will never go: a bad number, a refused text). ``lookup`` asks the
gateway whether it already has a message under a reference, before one in doubt is sent again.
"""

import json
import sys
import threading
import uuid
from abc import ABC, abstractmethod
from datetime import UTC, datetime

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class SmsError(Exception):
    pass


class RetryableSmsError(SmsError):
    pass


class PermanentSmsError(SmsError):
    pass


class BaseBackend(ABC):
    @abstractmethod
    def send(self, *, to: str, text: str, reference: str) -> str:
        """Send one message and return the provider's message id (``reference`` lets it de-duplicate)."""

    def lookup(self, *, reference: str) -> str | None:
        """The provider's id of the message the gateway took under ``reference``; None when it has none
        or cannot tell (the message is then sent again under the same reference)."""
        return None


def get_backend() -> BaseBackend:
    return import_string(settings.SMS_BACKEND)()


class ConsoleBackend(BaseBackend):
    def send(self, *, to, text, reference):
        sys.stdout.write(f"SMS to {to} [{reference}]\n{text}\n{'-' * 40}\n")
        sys.stdout.flush()
        return f"console-{reference}"


class FileBackend(BaseBackend):
    """One JSON line per message in SMS_FILE_PATH/sms.log."""

    _lock = threading.Lock()

    def send(self, *, to, text, reference):
        folder = settings.SMS_FILE_PATH
        folder.mkdir(parents=True, exist_ok=True)
        line = {"at": datetime.now(UTC).isoformat(), "to": to, "text": text, "reference": reference}
        with self._lock, open(folder / "sms.log", "a", encoding="utf-8") as log:
            log.write(json.dumps(line, ensure_ascii=False) + "\n")
        return f"file-{reference}"


outbox: list[dict] = []  # LocmemBackend's messages, for tests


class LocmemBackend(BaseBackend):
    def send(self, *, to, text, reference):
        message_id = f"locmem-{uuid.uuid4().hex}"
        outbox.append({"to": to, "text": text, "reference": reference, "id": message_id})
        return message_id

    def lookup(self, *, reference):
        return next((sent["id"] for sent in outbox if sent["reference"] == reference), None)


# Statuses that say "not now" rather than "never": request timeout and rate limiting.
_RETRYABLE_4XX = {408, 429}


class HttpGatewayBackend(BaseBackend):
    """POST {to, from, text, reference} as JSON with basic auth; the reply is {"id": ...}."""

    def __init__(self):
        if not settings.SMS_GATEWAY_URL:
            raise ImproperlyConfigured("SMS_GATEWAY_URL is needed by the HTTP gateway SMS backend.")
        self.session = requests.Session()
        if settings.SMS_GATEWAY_USERNAME:
            self.session.auth = (settings.SMS_GATEWAY_USERNAME, settings.SMS_GATEWAY_PASSWORD)

    def send(self, *, to, text, reference):
        payload = {"to": to, "from": settings.SMS_SENDER_NAME, "text": text, "reference": reference}
        try:
            reply = self.session.post(
                settings.SMS_GATEWAY_URL,
                json=payload,
                timeout=settings.SMS_GATEWAY_TIMEOUT,
                allow_redirects=False,
            )
        except requests.Timeout as exc:
            raise RetryableSmsError(f"gateway timeout: {exc}") from exc
        except requests.RequestException as exc:
            raise RetryableSmsError(f"gateway unreachable: {exc}") from exc
        detail = f"HTTP {reply.status_code}: {reply.text[:300]}"
        if 400 <= reply.status_code < 500 and reply.status_code not in _RETRYABLE_4XX:
            raise PermanentSmsError(detail)
        if not 200 <= reply.status_code < 300:
            raise RetryableSmsError(detail)  # 5xx, and redirects: a gateway or proxy fault, not the message's
        return _message_id(reply)

    def lookup(self, *, reference):
        """GET SMS_GATEWAY_STATUS_URL?reference=…: 200 {"id"} when the gateway has it, 404 when not."""
        if not settings.SMS_GATEWAY_STATUS_URL:
            return None
        try:
            reply = self.session.get(
                settings.SMS_GATEWAY_STATUS_URL,
                params={"reference": reference},
                timeout=settings.SMS_GATEWAY_TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException:
            return None  # cannot tell: send again under the same reference
        return _message_id(reply) if reply.status_code == 200 else None


def _message_id(reply: requests.Response) -> str:
    try:
        return str(reply.json()["id"])
    except (ValueError, KeyError, TypeError):
        # The gateway took the message; sending it again could reach the citizen twice.
        return ""
