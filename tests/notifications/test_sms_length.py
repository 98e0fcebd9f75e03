"""Every default SMS fits two UCS-2 parts (134 characters) with long real values, and names the center
by its short name ("بمركز بنها"), never "بمركز المركز التكنولوجي …"."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from core.loading import read_yaml
from notifications.encoding import UCS2, sms_parts
from notifications.models import SmsTemplate
from notifications.templating import render
from organisation.models import Center
from organisation.services import organisation_load_reference
from requests_app.models import new_tracking_token
from requests_app.services.notify import SMS_EVENTS, request_sms_values
from services.services import DATA_DIR as CATALOG_DIR
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db

wording = import_module("requests_app.migrations.0010_sms_wording")


def longest(names) -> str:
    return max(names, key=len)


@pytest.fixture
def long_values(settings) -> dict[str, str]:
    """The longest values the reference data gives, a mobile center's receipt number (its code is
    longer than a fixed center's) and a full tracking URL under a real-looking public address."""
    settings.PUBLIC_BASE_URL = "https://csc.example.gov.eg"
    organisation_load_reference()
    catalog = read_yaml(CATALOG_DIR / "catalog.yaml")
    documents = read_yaml(CATALOG_DIR / "documents.yaml")
    url = settings.PUBLIC_BASE_URL + reverse("track:status", args=[new_tracking_token()])
    values = {
        "receipt": "QLBM1-2026-104512",
        "service": longest(s["name_ar"] for s in catalog["services"]),
        "center": longest(Center.objects.values_list("short_name_ar", flat=True)),
        "tracking_url": url,
        "due_date": "15/12/2026",
        "documents": longest(d["name_ar"] for d in documents),
        "reason": "عدم مطابقة الرسومات لاشتراطات الارتفاع في المخطط التفصيلي",
        "appeal_url": url,
    }
    assert len(values["service"]) >= 40 and len(values["center"]) >= 15 and len(url) >= 73
    return values


@pytest.mark.parametrize("event", sorted(SMS_EVENTS))
def test_every_default_template_fits_two_parts_with_long_values(event, long_values):
    template = SmsTemplate.objects.get(event=event)
    text = render(template.body_ar, long_values, template.placeholders)
    parts = sms_parts(text)
    assert parts.encoding == UCS2
    assert parts.parts <= 2, f"{event}: {parts.units} characters in {parts.parts} parts: {text}"


def test_the_messages_name_the_center_by_its_short_name(org, service, clerk):
    request = submit(service, org.bnh, clerk)
    assert request_sms_values(request)["center"] == "بنها"
    message = request.sms_messages.get(event="receipt_issued")
    assert "بمركز بنها:" in message.body
    assert "المركز التكنولوجي" not in message.body


def test_the_rewording_leaves_an_administrators_own_wording_alone():
    own = "طلبكم {receipt} مستلم. شكرًا."
    SmsTemplate.objects.filter(event="delivered").update(body_ar=own)
    old_receipt, new_receipt = wording.WORDING["receipt_issued"]
    SmsTemplate.objects.filter(event="receipt_issued").update(body_ar=old_receipt)
    SmsTemplate.objects.filter(event="rejected").update(body_ar="رفض {receipt}: {reason}")

    wording.reword(apps, None)

    bodies = dict(SmsTemplate.objects.values_list("event", "body_ar"))
    assert bodies["receipt_issued"] == new_receipt
    assert bodies["delivered"] == own
    assert bodies["rejected"] == "رفض {receipt}: {reason}"
    wording.reword_back(apps, None)
    assert SmsTemplate.objects.get(event="receipt_issued").body_ar == old_receipt
