"""The development and test backends, and the operators' command."""

import json
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from notifications import backends
from notifications.models import SmsMessage
from tests.notifications.factories import SmsMessageFactory

pytestmark = pytest.mark.django_db


def test_locmem_keeps_the_messages(settings):
    message = SmsMessageFactory(body="طلبكم جاهز للاستلام")
    call_command("sms_deliver", stdout=StringIO())
    [sent] = backends.outbox
    assert (sent["to"], sent["text"], sent["reference"]) == (
        message.phone,
        "طلبكم جاهز للاستلام",
        message.reference,
    )
    message.refresh_from_db()
    assert (message.status, message.provider_message_id) == ("sent", sent["id"])


def test_the_file_backend_appends_json_lines(settings, tmp_path):
    settings.SMS_BACKEND = "notifications.backends.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "not-yet" / "sms"
    first, second = SmsMessageFactory(body="الأولى"), SmsMessageFactory(body="الثانية")
    call_command("sms_deliver", stdout=StringIO())
    lines = (tmp_path / "not-yet" / "sms" / "sms.log").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["text"] for line in lines] == ["الأولى", "الثانية"]
    assert json.loads(lines[0])["reference"] == first.reference
    assert "الثانية" in lines[1]  # readable Arabic, not \\u escapes
    assert SmsMessage.objects.get(pk=second.pk).status == "sent"


def test_the_console_backend_prints(settings, capsys):
    settings.SMS_BACKEND = "notifications.backends.ConsoleBackend"
    message = SmsMessageFactory(body="طلبكم جاهز")
    call_command("sms_deliver", limit=5)
    out = capsys.readouterr().out
    assert f"SMS to {message.phone}" in out and "طلبكم جاهز" in out
    assert "1 message(s) tried" in out


def test_the_command_stops_at_its_limit():
    SmsMessageFactory.create_batch(3)
    call_command("sms_deliver", limit=2, stdout=StringIO())
    assert SmsMessage.objects.filter(status="sent").count() == 2


def test_the_http_backend_needs_a_url(settings):
    settings.SMS_BACKEND = "notifications.backends.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured):
        backends.get_backend()
