import io
import uuid
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from accounts.models import Role
from core.models import NumberSeries
from requests_app.models import (
    Citizen,
    RequestDocument,
    RequestEvent,
    RequestFee,
    RequestState,
    ServiceRequest,
)
from requests_app.services import (
    CitizenInput,
    citizen_contact_change,
    receipt_print_record,
    service_request_cancel,
    service_request_submit,
)
from requests_app.services.notify import request_sms_enqueue
from tests.accounts.factories import staff
from tests.requests_app.factories import intake_for, pdf_bytes, submit
from tests.services.factories import DocumentTypeFactory, ServiceFactory

pytestmark = pytest.mark.django_db

ROWS = (Citizen, ServiceRequest, RequestFee, RequestDocument, RequestEvent)


def counts():
    return [m.objects.count() for m in ROWS]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_submit_leaves_the_request_its_snapshot_first_history_and_receipt_number(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    year = request.submitted_at.year
    assert request.receipt_number == f"BNH-{year}-000001"
    assert request.state == RequestState.IN_REVIEW  # routed to the first department in the same transaction
    assert request.current_department == org.bnh_eng
    assert [(s.position, s.department, s.status) for s in request.steps.all()] == [
        (1, org.bnh_eng, "active"),
        (2, org.bnh_legal, "pending"),
    ]
    assert request.step_due_at < request.due_at
    assert request.applicant.national_id == "29001011401234"
    assert request.applicant.mobile == "+201012345678"
    assert request.fees_total == Decimal("500.50")
    assert [(f.name_ar, f.amount) for f in request.fees.all()] == [
        ("رسم فحص", Decimal("150.00")),
        ("رسم إصدار", Decimal("350.50")),
    ]
    documents = list(request.documents.all())
    assert [(d.required, d.received) for d in documents] == [(True, True), (True, True), (False, False)]
    assert request.terms["legal_deadline_days"] == 10
    assert request.due_at > request.submitted_at
    events = list(request.events.all())
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        ("submitted", "", "submitted", clerk),
        ("route", "submitted", "in_review", None),
    ]
    assert len(request.tracking_token) >= 43  # 256 bits, URL-safe


def test_later_catalog_edits_do_not_change_a_taken_request(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    service.fee_items.update(amount=Decimal("9999"))
    service.legal_deadline_days = 2
    service.save()
    request.refresh_from_db()
    assert request.fees_total == Decimal("500.50")
    assert request.terms["fees_total"] == "500.50"
    assert request.terms["legal_deadline_days"] == 10
    assert sum(f.amount for f in request.fees.all()) == Decimal("500.50")


def test_numbers_follow_per_center_and_year(service, org, clerk):
    hlp_clerk = staff(Role.CLERK, center=org.hlp)
    numbers = [submit(service, org.bnh, clerk).receipt_number for _ in range(3)]
    numbers.append(submit(service, org.hlp, hlp_clerk).receipt_number)
    year = datetime.now().year
    assert numbers == [f"BNH-{year}-000001", f"BNH-{year}-000002", f"BNH-{year}-000003", f"HLP-{year}-000001"]


def test_due_date_counts_working_days_only(service, org, clerk):
    from zoneinfo import ZoneInfo

    sunday = datetime(2026, 11, 22, 10, 0, tzinfo=ZoneInfo("Africa/Cairo"))
    request = service_request_submit(
        center=org.bnh,
        clerk=clerk,
        service=service,
        intake=intake_for(service),
        intake_key=uuid.uuid4(),
        now=sunday,
    )
    # 10 working days after Sunday 22 Nov 2026 skip two Friday–Saturday weekends: Sunday 6 Dec.
    assert request.due_at.astimezone(ZoneInfo("Africa/Cairo")).date().isoformat() == "2026-12-06"


def test_same_intake_key_twice_creates_one_request(service, org, clerk):
    key = uuid.uuid4()
    first = service_request_submit(
        center=org.bnh, clerk=clerk, service=service, intake=intake_for(service), intake_key=key
    )
    second = service_request_submit(
        center=org.bnh, clerk=clerk, service=service, intake=intake_for(service), intake_key=key
    )
    assert first.pk == second.pk
    assert ServiceRequest.objects.count() == 1
    assert NumberSeries.objects.get().last_number == 1


def test_an_intake_key_replayed_by_another_clerk_or_center_is_a_new_intake(service, org, clerk):
    """The key belongs to one clerk's form at one center: replayed elsewhere it takes a new request
    rather than dropping it and showing someone else's receipt as a false success."""
    key = uuid.uuid4()
    first = service_request_submit(
        center=org.bnh, clerk=clerk, service=service, intake=intake_for(service), intake_key=key
    )
    colleague = staff(Role.CLERK, center=org.bnh)
    elsewhere = staff(Role.CLERK, center=org.hlp)
    by_colleague = service_request_submit(
        center=org.bnh, clerk=colleague, service=service, intake=intake_for(service), intake_key=key
    )
    at_heliopolis = service_request_submit(
        center=org.hlp, clerk=elsewhere, service=service, intake=intake_for(service), intake_key=key
    )
    assert len({first.pk, by_colleague.pk, at_heliopolis.pk}) == 3
    assert (by_colleague.taken_by, at_heliopolis.center) == (colleague, org.hlp)


def test_an_intake_elsewhere_never_changes_another_requests_contact(service, org, clerk):
    """A Heliopolis intake with a Benha citizen's national ID and other details: the Benha request keeps
    its details and its next SMS still goes to its own number; the citizen's record is not touched."""
    benha = submit(service, org.bnh, clerk)
    heliopolis_clerk = staff(Role.CLERK, center=org.hlp)
    heliopolis = submit(
        service,
        org.hlp,
        heliopolis_clerk,
        applicant=CitizenInput("29001011401234", "اسم آخر تماما", "01112345678", "عنوان آخر"),
    )
    assert Citizen.objects.count() == 1
    citizen = Citizen.objects.get()
    assert (citizen.name_ar, citizen.mobile) == ("محمد أحمد علي", "+201012345678")
    benha.refresh_from_db()
    assert (benha.applicant_name_ar, benha.applicant_mobile) == ("محمد أحمد علي", "+201012345678")
    assert (heliopolis.applicant_name_ar, heliopolis.applicant_mobile) == ("اسم آخر تماما", "+201112345678")
    with transaction.atomic():
        message = request_sms_enqueue(benha, "ready_for_pickup", "after-heliopolis")
    assert message.phone == "+201012345678"


def test_changing_a_citizens_mobile_is_an_audited_action(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    citizen = request.applicant
    with pytest.raises(ValidationError):
        citizen_contact_change(
            citizen_id=citizen.pk, mobile="0123", address="", actor=clerk, reason="رقم جديد"
        )
    with pytest.raises(ValidationError):
        citizen_contact_change(
            citizen_id=citizen.pk, mobile="01112345678", address="", actor=clerk, reason="\u200f"
        )
    assert Citizen.objects.get().mobile == "+201012345678"
    changed = citizen_contact_change(
        citizen_id=citizen.pk, mobile="01112345678", address="بنها", actor=clerk, reason="فقد الهاتف القديم"
    )
    latest = changed.history.latest()
    assert (latest.mobile, latest.history_user, latest.history_change_reason) == (
        "+201112345678",
        clerk,
        "فقد الهاتف القديم",
    )
    request.refresh_from_db()
    assert request.applicant_mobile == "+201012345678"  # the request keeps what it was taken with


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"national_id": "29013011401234"}, "applicant_national_id"),
        ({"national_id": "123"}, "applicant_national_id"),
        ({"mobile": "0223456789"}, "applicant_mobile"),
        ({"received_documents": set()}, "documents"),
        ({"received_documents": {"NOPE"}}, "documents"),
        ({"payment_method": ""}, "payment_method"),
        ({"payment_method": "epayment"}, "payment_reference"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(service, org, clerk, overrides, field):
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, **overrides)
    assert field in caught.value.message_dict
    assert counts() == [0] * len(ROWS)
    assert NumberSeries.objects.filter(last_number__gt=0).count() == 0


def test_missing_documents_are_named(service, org, clerk):
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, received_documents=set())
    names = [d.document_type.name_ar for d in service.documents.filter(is_required=True)]
    message = caught.value.message_dict["documents"][0]
    assert all(name in message for name in names)


def test_attorney_needs_the_power_of_attorney(service, org, clerk):
    attorney = CitizenInput("28505051201235", "حسن محمود", "01223456789")
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, attorney=attorney)
    assert "documents" in caught.value.message_dict
    required = {d.document_type.code for d in service.documents.filter(is_required=True)}
    request = submit(service, org.bnh, clerk, attorney=attorney, received_documents=required | {"POA"})
    assert request.attorney.name_ar == "حسن محمود"
    poa = request.documents.get(code="POA")
    assert poa.received and poa.required


def test_attorney_cannot_be_the_applicant(service, org, clerk):
    same = CitizenInput("29001011401234", "محمد أحمد علي", "01012345678")
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, attorney=same, received_documents={"POA"})
    assert "attorney_national_id" in caught.value.message_dict


def test_free_service_takes_no_payment(org, clerk):
    free = ServiceFactory(legal_deadline_days=4)
    free.fee_items.all().delete()
    request = submit(free, org.bnh, clerk)
    assert request.fees_total == 0 and request.payment_method == ""
    with pytest.raises(ValidationError):
        submit(free, org.bnh, clerk, payment_method="cash")


def test_scan_is_stored_under_a_generated_name_outside_the_web_root(service, org, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code
    upload = SimpleUploadedFile("../../etc/passwd.png", png_bytes(), content_type="image/png")
    request = submit(service, org.bnh, clerk, scans={code: upload})
    document = request.documents.get(code=code)
    assert document.scan_content_type == "image/png"
    assert document.scan.name.startswith("scans/") and "passwd" not in document.scan.name
    assert (tmp_path / document.scan.name).read_bytes() == png_bytes()
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"MZ\x90\x00 this is a windows program", "scan.pdf"),
        (b"<html><script>alert(1)</script></html>", "scan.png"),
        (b"GIF89a\x01\x00\x01\x00", "scan.jpg"),
    ],
)
def test_wrong_file_type_is_refused_by_content(service, org, clerk, settings, tmp_path, content, name):
    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, scans={code: SimpleUploadedFile(name, content)})
    assert f"scan_{code}" in caught.value.message_dict
    assert counts() == [0] * len(ROWS)
    assert not any(tmp_path.rglob("*.*"))


@pytest.mark.parametrize(
    "content",
    [pdf_bytes(javascript="app.alert('x')"), pdf_bytes(launch=True), b"%PDF-1.7\n%broken beyond reading"],
    ids=["javascript", "launch action", "unreadable"],
)
def test_a_pdf_carrying_code_is_refused(service, org, clerk, settings, tmp_path, content):
    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, scans={code: SimpleUploadedFile("scan.pdf", content)})
    assert "PDF" in caught.value.message_dict[f"scan_{code}"][0]
    assert counts() == [0] * len(ROWS)
    assert not any(tmp_path.rglob("*.*"))


def test_a_plain_pdf_scan_is_accepted(service, org, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code
    request = submit(service, org.bnh, clerk, scans={code: SimpleUploadedFile("scan.pdf", pdf_bytes())})
    assert request.documents.get(code=code).scan_content_type == "application/pdf"


def test_oversized_scan_is_refused(service, org, clerk, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SCAN_MAX_BYTES = 1000
    code = service.documents.filter(is_required=True).first().document_type.code
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk, scans={code: big})
    assert "ميجابايت" in caught.value.message_dict[f"scan_{code}"][0]
    assert counts() == [0] * len(ROWS)


def test_a_failure_after_the_scan_was_saved_removes_the_file_and_the_number(
    service, org, clerk, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    code = service.documents.filter(is_required=True).first().document_type.code

    def explode(*args, **kwargs):
        raise RuntimeError("disk full while writing the history")

    monkeypatch.setattr(RequestEvent.objects, "create", explode)
    with pytest.raises(RuntimeError):
        submit(service, org.bnh, clerk, scans={code: SimpleUploadedFile("s.png", png_bytes())})
    assert counts() == [0] * len(ROWS)
    assert not NumberSeries.objects.filter(last_number__gt=0).exists()
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("role", [Role.CENTER_MANAGER, Role.GOVERNORATE_OFFICIAL])
def test_only_a_clerk_of_the_center_takes_requests(service, org, role):
    scope = {"center": org.bnh} if role == Role.CENTER_MANAGER else {"governorate": org.qlb}
    with pytest.raises(PermissionDenied):
        submit(service, org.bnh, staff(role, **scope))
    with pytest.raises(PermissionDenied):
        submit(service, org.bnh, staff(Role.CLERK, center=org.hlp))
    assert counts() == [0] * len(ROWS)


def test_service_not_offered_at_the_center_is_refused(service, org, clerk):
    service.centers.set([org.hlp])
    with pytest.raises(ValidationError) as caught:
        submit(service, org.bnh, clerk)
    assert "service" in caught.value.message_dict


def test_cancel_needs_a_reason_and_leaves_one_history_row(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    with pytest.raises(ValidationError):
        service_request_cancel(request_id=request.pk, clerk=clerk, reason="   ")
    assert request.events.count() == 2  # submitted, routed
    cancelled = service_request_cancel(request_id=request.pk, clerk=clerk, reason="المواطن عدل عن الطلب")
    assert cancelled.state == RequestState.CANCELLED
    assert cancelled.current_department is None and cancelled.completed_at is not None
    event = request.events.get(action="cancel")
    assert (event.from_state, event.to_state, event.note) == (
        "in_review",
        "cancelled",
        "المواطن عدل عن الطلب",
    )
    assert request.events.count() == 3


def test_cancel_twice_is_refused_and_changes_nothing(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    service_request_cancel(request_id=request.pk, clerk=clerk, reason="سبب")
    with pytest.raises(ValidationError):
        service_request_cancel(request_id=request.pk, clerk=clerk, reason="سبب آخر")
    assert request.events.count() == 3


def test_another_centers_clerk_cannot_cancel(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    with pytest.raises(PermissionDenied):
        service_request_cancel(request_id=request.pk, clerk=staff(Role.CLERK, center=org.hlp), reason="سبب")
    request.refresh_from_db()
    assert request.state == RequestState.IN_REVIEW


def test_state_cannot_be_set_directly(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    with pytest.raises(AttributeError):
        request.state = RequestState.CANCELLED


def test_prints_are_recorded_and_reprints_marked(service, org, clerk):
    request = submit(service, org.bnh, clerk)
    assert receipt_print_record(request=request, actor=clerk).action == "receipt_printed"
    assert receipt_print_record(request=request, actor=clerk).action == "receipt_reprinted"


def test_submit_query_count_does_not_grow_with_documents_or_fees(org, clerk, django_assert_max_num_queries):
    small = ServiceFactory()
    big = ServiceFactory()
    for i in range(12):
        big.fee_items.create(position=10 + i, name_ar=f"بند {i}", amount=1)
        big.documents.create(document_type=DocumentTypeFactory(), is_required=True, position=10 + i)
    submit(small, org.bnh, clerk)  # warm caches (content types, counters, the services' terms)
    submit(big, org.bnh, clerk, national_id="29001011401269")
    with django_assert_max_num_queries(45) as small_queries:
        submit(small, org.bnh, clerk, national_id="29001011401242")
    with django_assert_max_num_queries(len(small_queries.captured_queries)):
        submit(big, org.bnh, clerk, national_id="29001011401250")
