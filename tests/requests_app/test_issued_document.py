"""Approval issues the service's output document in the same transaction (issue 13): numbered by the
issuing center and the output's kind, frozen with the approver's subject and key terms; no approval
without a subject, and a refused approval leaves no document."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Role
from documents.models import IssuedDocument
from requests_app.models import RequestState, ServiceRequest
from requests_app.services import WorkflowError, service_request_approve, service_request_forward
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def permit_service(org):
    return ServiceFactory(
        code="BLD-NEW",
        name_ar="ترخيص بناء جديد",
        output_name_ar="ترخيص بناء",
        output_name_en="Building permit",
        output_kind="PRM",
        output_valid_years=3,
        terms__route=["ENG", "LEGAL"],
    )


@pytest.fixture
def at_last_step(permit_service, org, clerk):
    request = submit(permit_service, org.bnh, clerk, national_id="28506121401234")
    service_request_forward(request_id=request.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng))
    return request


def test_approval_issues_the_output_document(at_last_step, org):
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    approved = service_request_approve(
        request_id=at_last_step.pk,
        actor=legal,
        subject="قطعة الأرض رقم 14 — شارع سعد زغلول",
        terms=[("عدد الأدوار", "4")],
    )
    document = ServiceRequest.objects.get(pk=approved.pk).document
    assert approved.state == RequestState.APPROVED
    assert document.number.startswith("BNH-PRM-") and document.serial == 1
    assert document.title_ar == "ترخيص بناء" and document.title_en == "Building permit"
    assert document.holder_name == at_last_step.applicant_name_ar
    assert document.holder_national_id == "28506121401234"
    assert document.subject == "قطعة الأرض رقم 14 — شارع سعد زغلول" and document.terms == [
        ["عدد الأدوار", "4"]
    ]
    assert document.source_reference == at_last_step.receipt_number
    assert document.valid_until is not None and document.issued_by == legal and document.carries_qr
    assert at_last_step.events.filter(action="approve").count() == 1


def test_no_approval_without_a_subject_and_nothing_is_issued(at_last_step, org):
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    with pytest.raises(WorkflowError, match="موضوع المستند"):
        service_request_approve(request_id=at_last_step.pk, actor=legal, subject=" ")
    assert ServiceRequest.objects.get(pk=at_last_step.pk).state == RequestState.IN_REVIEW
    assert IssuedDocument.objects.count() == 0


def test_a_refused_approval_issues_nothing(at_last_step, org):
    with pytest.raises(PermissionDenied):
        service_request_approve(
            request_id=at_last_step.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_eng), subject="عقار"
        )
    assert IssuedDocument.objects.count() == 0


def test_a_request_taken_before_kinds_were_known_issues_a_letter(at_last_step, org):
    """…and an output the catalog does not make verifiable carries no QR."""
    terms = at_last_step.terms
    del terms["output"]["kind"]
    terms["output"]["verifiable"] = False
    ServiceRequest.objects.filter(pk=at_last_step.pk).update(terms=terms)
    service_request_approve(
        request_id=at_last_step.pk, actor=staff(Role.BACKOFFICE, department=org.bnh_legal), subject="عقار"
    )
    assert IssuedDocument.objects.get().kind == "LTR" and not IssuedDocument.objects.get().carries_qr


def test_the_window_and_the_file_name_the_document(client, at_last_step, org, clerk):
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    service_request_approve(request_id=at_last_step.pk, actor=legal, subject="عقار رقم 3")
    number = IssuedDocument.objects.get().number
    client.force_login(clerk)
    window = client.get(f"/window/{org.bnh.code}/r/{at_last_step.receipt_number}/").content.decode()
    assert f"/documents/{number}/" in window
    client.force_login(legal)
    assert number in client.get(f"/office/r/{at_last_step.receipt_number}/").content.decode()


def test_the_approval_form_asks_for_the_subject_and_reads_the_terms(client, at_last_step, org):
    legal = staff(Role.BACKOFFICE, department=org.bnh_legal)
    client.force_login(legal)
    file = f"/office/r/{at_last_step.receipt_number}/"
    assert 'name="subject"' in client.get(file).content.decode()
    act = f"{file}act/approve/"
    bad = client.post(act, {"version": 2, "subject": "عقار", "terms": "بدون نقطتين"}, follow=True)
    assert "السطر 1 من البيانات الأساسية" in bad.content.decode()
    assert IssuedDocument.objects.count() == 0
    client.post(act, {"version": 2, "subject": "عقار رقم 3", "terms": "عدد الأدوار: 4\n\nالمساحة: 120 م²"})
    assert IssuedDocument.objects.get().terms == [["عدد الأدوار", "4"], ["المساحة", "120 م²"]]
