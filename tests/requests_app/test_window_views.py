import re

import pytest
from django.urls import reverse

from accounts.models import Role
from requests_app.models import RequestEvent, RequestState, ServiceRequest
from tests.accounts.factories import UserFactory, staff
from tests.requests_app.factories import submit
from tests.requests_app.pdf import pdf_text

pytestmark = pytest.mark.django_db


SUBJECT = "قطعة الأرض رقم 5 — شارع الجلاء"  # what the approver writes on the document


def intake_post(service, **overrides):
    data = {
        "intake_key": "6f1c1a9e-1b7e-4a53-9d0f-3f3f3f3f3f3f",
        "applicant_national_id": "29001011401234",
        "applicant_name_ar": "محمد أحمد علي",
        "applicant_mobile": "01012345678",
        "payment_method": "cash",
    }
    for document in service.documents.filter(is_required=True):
        data[f"doc_{document.document_type.code}"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def urls(org, service, request=None):
    found = {
        "home": reverse("window:home", args=["BNH"]),
        "options": reverse("window:service_options", args=["BNH"]),
        "intake": reverse("window:intake", args=["BNH", service.code]),
    }
    if request:
        found["receipt"] = reverse("window:receipt", args=["BNH", request.receipt_number])
        found["pdf"] = reverse("window:receipt_pdf", args=["BNH", request.receipt_number])
        found["print"] = reverse("window:receipt_print", args=["BNH", request.receipt_number])
    return found


PAGES = ["home", "options", "intake", "receipt", "print", "pdf"]


@pytest.fixture
def taken(service, org, clerk):
    return submit(service, org.bnh, clerk)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_goes_to_login(client, org, service, taken, page):
    response = client.get(urls(org, service, taken)[page])
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", [Role.CENTER_MANAGER, Role.BACKOFFICE, Role.GOVERNORATE_OFFICIAL, None])
def test_other_roles_get_403(client, org, service, taken, page, role):
    scope = {
        Role.CENTER_MANAGER: {"center": org.bnh},
        Role.BACKOFFICE: {"department": org.bnh_eng},
        Role.GOVERNORATE_OFFICIAL: {"governorate": org.qlb},
    }
    client.force_login(staff(role, **scope[role]) if role else UserFactory())
    assert client.get(urls(org, service, taken)[page]).status_code == 403


@pytest.mark.parametrize("page", PAGES)
def test_another_centers_clerk_gets_404(client, org, service, taken, page):
    client.force_login(staff(Role.CLERK, center=org.hlp))
    response = client.get(urls(org, service, taken)[page])
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode() or page == "options"


def test_other_centers_clerk_cannot_post_an_intake_here(client, org, service):
    client.force_login(staff(Role.CLERK, center=org.hlp))
    assert client.post(urls(org, service)["intake"], intake_post(service)).status_code == 404
    assert not ServiceRequest.objects.exists()


def test_window_home_lists_the_clerks_requests_today(client, org, service, clerk, taken):
    other = submit(service, org.bnh, staff(Role.CLERK, center=org.bnh), national_id="29001011401242")
    client.force_login(clerk)
    html = client.get(urls(org, service)["home"]).content.decode()
    assert taken.receipt_number in html
    assert other.receipt_number not in html
    assert "autofocus" in html


def test_start_form_finds_the_service_by_unhamzated_name(client, org, service, clerk):
    client.force_login(clerk)
    response = client.post(
        urls(org, service)["home"], {"national_id": "29001011401234", "service": "اشغال طريق"}
    )
    assert response.status_code == 302
    assert response.url == urls(org, service)["intake"] + "?national_id=29001011401234"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"national_id": "29001011401234", "service": "لا توجد"}, "service"),
        ({"national_id": "29013011401234", "service": "OCC-ROAD"}, "national_id"),
    ],
)
def test_start_form_errors(client, org, service, clerk, data, message):
    client.force_login(clerk)
    response = client.post(urls(org, service)["home"], data)
    assert response.status_code == 200
    assert response.context["form"].errors[message]


def test_service_options_fold_arabic(client, org, service, clerk):
    client.force_login(clerk)
    response = client.get(urls(org, service)["options"], {"q": "اشغال"})
    assert response.json() == {
        "services": [{"code": "OCC-ROAD", "name": "ترخيص إشغال طريق", "label": "OCC-ROAD — ترخيص إشغال طريق"}]
    }


def test_intake_page_prefills_only_the_name_of_a_known_citizen(client, org, service, clerk, taken):
    """The name is on the card the citizen hands over; the mobile and address on file are never shown,
    so a clerk typing any national ID learns nothing more."""
    client.force_login(clerk)
    response = client.get(urls(org, service)["intake"], {"national_id": "29001011401234"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="محمد أحمد علي"' in html
    assert "01012345678" not in html and "+201012345678" not in html and "شارع الجمهورية" not in html
    for document in service.documents.all():
        assert document.document_type.name_ar in html


def test_intake_post_creates_the_request_and_redirects_to_the_receipt(client, org, service, clerk):
    client.force_login(clerk)
    response = client.post(urls(org, service)["intake"], intake_post(service))
    request = ServiceRequest.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("window:receipt", args=["BNH", request.receipt_number])
    assert request.taken_by == clerk


def test_double_submit_creates_one_request(client, org, service, clerk):
    client.force_login(clerk)
    first = client.post(urls(org, service)["intake"], intake_post(service))
    second = client.post(urls(org, service)["intake"], intake_post(service))
    assert first.url == second.url
    assert ServiceRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_national_id": "29013011401234"}, "applicant_national_id"),
        ({"applicant_mobile": "12345"}, "applicant_mobile"),
        ({"applicant_name_ar": ""}, "applicant_name_ar"),
        ({"payment_method": ""}, "payment_method"),
        ({"payment_method": "epayment"}, "payment_reference"),
        ({"on_behalf": "on", "attorney_national_id": "1"}, "attorney_national_id"),
        ({"intake_key": "not-a-uuid"}, "intake_key"),
    ],
)
def test_bad_intake_shows_the_error_and_creates_nothing(client, org, service, clerk, overrides, field):
    client.force_login(clerk)
    response = client.post(urls(org, service)["intake"], intake_post(service, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_missing_document_is_named_on_the_page(client, org, service, clerk):
    client.force_login(clerk)
    data = intake_post(service)
    missing = service.documents.filter(is_required=True).first().document_type
    del data[f"doc_{missing.code}"]
    response = client.post(urls(org, service)["intake"], data)
    assert response.status_code == 200
    assert missing.name_ar in " ".join(response.context["form"].section_errors["documents"])
    assert missing.name_ar in response.content.decode().split('id="documents-error"')[1].split("</p>")[0]
    assert not ServiceRequest.objects.exists()


def test_unknown_service_is_404(client, org, clerk):
    client.force_login(clerk)
    assert client.get(reverse("window:intake", args=["BNH", "NOPE"])).status_code == 404


def test_intake_post_query_count_is_pinned(client, org, service, clerk, django_assert_num_queries):
    """Pinned, not bounded: a query more in the intake transaction is a decision, made in this test."""
    client.force_login(clerk)
    client.post(
        urls(org, service)["intake"], intake_post(service, intake_key="11111111-1111-4111-8111-111111111111")
    )
    with django_assert_num_queries(42):  # 39 + the roll-ups: the day row, the fee rows, the receipt SMS
        assert client.post(urls(org, service)["intake"], intake_post(service)).status_code == 302


def test_receipt_page_shows_the_terms_and_a_qr_and_records_prints(client, org, service, clerk, taken):
    client.force_login(clerk)
    html = client.get(urls(org, service, taken)["receipt"]).content.decode()
    assert taken.receipt_number in html and "ترخيص إشغال طريق" in html and "500.50" in html
    assert "<svg" in html
    assert list(taken.events.values_list("action", flat=True)) == [
        "submitted",
        "route",
    ]  # viewing is not printing
    print_url = reverse("window:receipt_print", args=["BNH", taken.receipt_number])
    assert "data-autoprint" in client.get(print_url).content.decode()
    assert taken.events.count() == 2  # opening the printable page writes nothing
    pressed = client.post(print_url)  # the print button
    assert (pressed.status_code, pressed.url) == (302, print_url)
    client.post(print_url)
    actions = list(taken.events.values_list("action", flat=True))
    assert actions == ["submitted", "route", "receipt_printed", "receipt_reprinted"]


def test_receipt_pdf_is_arabic_with_the_number_and_service_in_logical_order(
    client, org, service, clerk, taken, tmp_path
):
    client.force_login(clerk)
    response = client.get(urls(org, service, taken)["pdf"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert taken.receipt_number in text
    assert "ترخيص إشغال طريق" in text
    assert "500.50" in text
    assert not taken.events.filter(action=RequestEvent.Action.RECEIPT_PRINTED).exists()  # a GET never writes
    assert client.post(urls(org, service, taken)["pdf"]).url == urls(org, service, taken)["pdf"]
    assert taken.events.filter(action=RequestEvent.Action.RECEIPT_PRINTED).count() == 1


def test_cancel_from_the_window(client, org, service, clerk, taken):
    client.force_login(clerk)
    url = reverse("window:cancel", args=["BNH", taken.receipt_number])
    version = taken.version
    client.post(url, {"reason": "", "version": version})
    assert ServiceRequest.objects.get().state == RequestState.IN_REVIEW
    response = client.post(url, {"reason": "عدل المواطن عن الطلب", "version": version}, follow=True)
    assert ServiceRequest.objects.get().state == RequestState.CANCELLED
    assert "تم إلغاء الطلب" in response.content.decode()
    stale = client.post(url, {"reason": "مرة أخرى", "version": version}, follow=True)
    assert "تغير الطلب أثناء اطلاعك عليه" in stale.content.decode()
    again = client.post(url, {"reason": "مرة أخرى", "version": version + 1}, follow=True)
    assert re.search("هذا الإجراء غير ممكن والطلب ملغى", again.content.decode())
    assert taken.events.filter(action="cancel").count() == 1


def test_a_failure_while_printing_never_loses_the_request(
    client, org, service, clerk, taken, monkeypatch, tmp_path
):
    import requests_app.views_window as window_views

    def broken_printer(*args, **kwargs):
        raise OSError("printer spooler crashed")

    client.force_login(clerk)
    client.raise_request_exception = False
    monkeypatch.setattr(window_views, "receipt_pdf", broken_printer)
    assert client.get(urls(org, service, taken)["pdf"]).status_code == 500
    monkeypatch.undo()
    assert ServiceRequest.objects.filter(pk=taken.pk, state=RequestState.IN_REVIEW).exists()
    reprint = client.get(urls(org, service, taken)["pdf"])
    assert reprint.status_code == 200
    assert taken.receipt_number in pdf_text(reprint.content, tmp_path)


def _to_ready(req, org):
    from requests_app.services import service_request_approve, service_request_forward, service_request_issue

    service_request_forward(request_id=req.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service_request_approve(request_id=req.pk, actor=legal, subject=SUBJECT)
    return service_request_issue(request_id=req.pk, actor=legal)


def test_window_lists_ready_and_awaiting_requests_and_resubmits(client, org, service, clerk, taken):
    from requests_app.services import service_request_request_info

    service_request_request_info(
        request_id=taken.pk,
        actor=staff(Role.BACKOFFICE, department=org.bnh_eng),
        documents=[taken.terms["documents"][0]["code"]],
        note="صورة عقد الملكية",
    )
    client.force_login(clerk)
    home = client.get(urls(org, service)["home"])
    assert [r.pk for r in home.context["awaiting_requests"]] == [taken.pk]
    page = client.get(urls(org, service, taken)["receipt"]).content.decode()
    assert "صورة عقد الملكية" in page
    taken = ServiceRequest.objects.get(pk=taken.pk)
    url = reverse("window:resubmit", args=["BNH", taken.receipt_number])
    refused = client.post(url, {"version": taken.version}, follow=True)
    assert "علِّم على المستندات" in refused.content.decode()
    client.post(url, {"version": taken.version, "note": "أحضر العقد"})
    assert ServiceRequest.objects.get(pk=taken.pk).state == RequestState.IN_REVIEW


def test_delivery_at_the_window(client, org, service, clerk, taken):
    ready = _to_ready(taken, org)
    client.force_login(clerk)
    assert [r.pk for r in client.get(urls(org, service)["home"]).context["ready_requests"]] == [ready.pk]
    url = reverse("window:deliver", args=["BNH", ready.receipt_number])
    refused = client.post(
        url, {"version": ready.version, "to_attorney": "on", "attorney_name": "حسن"}, follow=True
    )
    assert "اطّلع على التوكيل" in refused.content.decode()
    assert ServiceRequest.objects.get(pk=ready.pk).state == RequestState.READY
    client.post(url, {"version": ready.version})
    assert ServiceRequest.objects.get(pk=ready.pk).state == RequestState.DELIVERED


def test_another_centers_clerk_cannot_deliver(client, org, service, taken):
    ready = _to_ready(taken, org)
    client.force_login(staff(Role.CLERK, center=org.hlp))
    url = reverse("window:deliver", args=["BNH", ready.receipt_number])
    assert client.post(url, {"version": ready.version}).status_code == 404
    assert ServiceRequest.objects.get(pk=ready.pk).state == RequestState.READY


def test_a_mobile_center_chooses_the_processing_local_unit(client, org, service):
    van_clerk = staff(Role.CLERK, center=org.van)
    client.force_login(van_clerk)
    url = reverse("window:intake", args=[org.van.code, service.code])
    assert 'name="local_unit"' in client.get(url).content.decode()
    missing = client.post(url, intake_post(service))
    assert "local_unit" in missing.context["form"].errors
    assert not ServiceRequest.objects.exists()
    client.post(url, intake_post(service, local_unit=org.bnh.local_unit_id))
    request = ServiceRequest.objects.get()
    assert request.center == org.van and request.local_unit == org.bnh.local_unit
    assert request.current_department == org.bnh_eng
    assert request.receipt_number.startswith("QLBM1-")


def test_a_mobile_center_cannot_send_work_to_another_governorate(client, org, service):
    import uuid

    from django.core.exceptions import ValidationError

    from requests_app.services import service_request_submit
    from tests.requests_app.factories import intake_for

    with pytest.raises(ValidationError) as caught:
        service_request_submit(
            center=org.van,
            clerk=staff(Role.CLERK, center=org.van),
            service=service,
            intake=intake_for(service, local_unit_id=org.hlp.local_unit_id),
            intake_key=uuid.uuid4(),
        )
    assert "local_unit" in caught.value.message_dict
