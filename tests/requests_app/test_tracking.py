import re

import pytest
from django.urls import reverse

from requests_app.services import service_request_cancel
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db

TRACK = reverse("track:lookup")


@pytest.fixture
def taken(service, org, clerk):
    return submit(service, org.bnh, clerk)


def status_url(request):
    return reverse("track:status", args=[request.tracking_token])


def test_qr_token_opens_the_arabic_status_page_without_personal_data(client, taken):
    response = client.get(status_url(taken))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert taken.receipt_number in html
    assert "ترخيص إشغال طريق" in html
    assert "قيد الدراسة" in html and "الإدارة الهندسية" in html and "المرحلة 1 من 2" in html
    assert "تم استلام الطلب بالشباك" in html  # history
    assert "أُرسل الطلب إلى الإدارة الهندسية" in html
    assert "في الموعد" in html
    for secret in (
        "29001011401234",
        "1234",
        "01012345678",
        "+201012345678",
        "محمد أحمد علي",
        taken.taken_by.username,
        str(taken.taken_by),
    ):
        assert secret not in html.replace(taken.receipt_number, "")


def test_receipt_and_last_four_digits_show_the_status(client, taken):
    response = client.post(
        TRACK, {"receipt_number": taken.receipt_number.lower(), "national_id_last4": "١٢٣٤"}
    )
    assert response.status_code == 200
    assert "قيد الدراسة" in response.content.decode()


@pytest.mark.parametrize(
    ("receipt", "digits"),
    [("existing", "9999"), ("BNH-2026-999999", "1234"), ("nonsense", "1234"), ("existing", "12")],
)
def test_not_found_answer_is_the_same_whether_the_receipt_exists_or_not(client, taken, receipt, digits):
    receipt = taken.receipt_number if receipt == "existing" else receipt
    response = client.post(TRACK, {"receipt_number": receipt, "national_id_last4": digits})
    assert response.status_code in (200, 404)
    html = response.content.decode()
    assert "ترخيص إشغال طريق" not in html
    if digits != "12":  # a malformed form says what is wrong with it, and nothing about the receipt
        assert response.status_code == 404
        assert "لا يوجد طلب مطابق" in html


def test_answers_for_existing_and_unknown_receipts_are_identical(client, taken):
    wrong_digits = client.post(TRACK, {"receipt_number": taken.receipt_number, "national_id_last4": "9999"})
    unknown = client.post(TRACK, {"receipt_number": "BNH-2026-999999", "national_id_last4": "9999"})
    assert wrong_digits.status_code == unknown.status_code == 404

    def page(response, number):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode().replace(number, "")
        )

    assert page(wrong_digits, taken.receipt_number) == page(unknown, "BNH-2026-999999")


def test_unknown_token_is_404(client, taken):
    assert client.get(reverse("track:status", args=["x" * 43])).status_code == 404


def test_lookups_are_rate_limited_per_address_with_an_arabic_message(client, taken, settings):
    settings.TRACKING_RATE = "3/m"
    for _ in range(3):
        assert client.post(TRACK, {"receipt_number": "X", "national_id_last4": "0000"}).status_code == 404
    blocked = client.post(TRACK, {"receipt_number": taken.receipt_number, "national_id_last4": "1234"})
    assert blocked.status_code == 429
    assert "أجريت عمليات بحث كثيرة" in blocked.content.decode()
    assert client.get(status_url(taken)).status_code == 429  # the QR page counts too
    other_address = client.post(
        TRACK, {"receipt_number": taken.receipt_number, "national_id_last4": "1234"}, REMOTE_ADDR="10.0.0.9"
    )
    assert other_address.status_code == 200


def test_cancelled_request_says_so_and_drops_the_deadline(client, taken, clerk):
    service_request_cancel(request_id=taken.pk, clerk=clerk, reason="عدل المواطن")
    html = client.get(status_url(taken)).content.decode()
    assert "تم إلغاء الطلب بناءً على رغبتك" in html
    assert "موعد الإنجاز المتوقع" not in html
    assert "عدل المواطن" not in html  # the reason is an internal note


def test_late_request_says_late(client, taken):
    from datetime import timedelta

    from django.utils import timezone

    type(taken).objects.filter(pk=taken.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert "متأخر" in client.get(status_url(taken)).content.decode()


def test_status_page_query_count_is_constant(client, taken, clerk, django_assert_num_queries):
    """Rendered: what the page depends on, the request, its history. From the page cache: one query.
    (The site's header and the departments' names come from the cache too, once any page read them:
    here the English page, rendered first.)"""
    from requests_app.services import receipt_print_record

    client.cookies["django_language"] = "en"
    assert client.get(status_url(taken)).status_code == 200
    del client.cookies["django_language"]
    with django_assert_num_queries(3):
        assert client.get(status_url(taken)).status_code == 200
    for _ in range(5):
        receipt_print_record(request=taken, actor=clerk)  # not the citizen's history: same page
    with django_assert_num_queries(1):
        assert client.get(status_url(taken)).status_code == 200


def test_the_citizen_stops_and_resumes_non_essential_sms_from_the_status_page(client, taken, org):
    from accounts.models import Role
    from notifications.models import SmsMessage, SmsOptOut
    from requests_app.services import service_request_forward, service_request_request_info
    from tests.accounts.factories import staff

    url = reverse("track:sms", args=[taken.tracking_token])
    page = client.post(url, {"sms": "stop"}, follow=True).content.decode()
    assert SmsOptOut.objects.filter(phone="+201012345678").exists()
    assert "+201012345678" not in page and "01012345678" not in page
    assert 'value="resume"' in page
    before = SmsMessage.objects.count()
    service_request_forward(request_id=taken.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service_request_request_info(
        request_id=taken.pk, actor=legal, documents=[taken.terms["documents"][0]["code"]], note="صورة البطاقة"
    )
    events = list(SmsMessage.objects.order_by("pk").values_list("event", flat=True)[before:])
    assert events == ["documents_requested"]  # essential: sent even after opting out
    client.post(url, {"sms": "resume"})
    assert not SmsOptOut.objects.exists()


def test_sms_preference_needs_the_token(client, taken):
    assert client.post(reverse("track:sms", args=["x" * 43]), {"sms": "stop"}).status_code == 404
