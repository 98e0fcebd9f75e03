"""Issue 12, defect 3: a request for documents names document types of the catalog (plus an optional
note); the citizen's SMS and status page and the window's resubmission form show exactly those."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.models import Role
from notifications.models import SmsMessage
from requests_app.models import POWER_OF_ATTORNEY, RequestEvent, RequestState, ServiceRequest
from requests_app.services import (
    WorkflowError,
    service_request_request_info,
    service_request_resubmit,
)
from tests.accounts.factories import staff
from tests.requests_app.factories import submit
from tests.services.factories import DocumentTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eng(org):
    return staff(Role.BACKOFFICE, department=org.bnh_eng)


@pytest.fixture
def taken(service, org, clerk):
    return submit(service, org.bnh, clerk)


@pytest.fixture
def deed(db):
    """A document type of the catalog that the service itself does not list."""
    return DocumentTypeFactory(code="DEED", name_ar="سند الملكية", name_en="Title deed")


def snapshot(request) -> tuple:
    fresh = ServiceRequest.objects.get(pk=request.pk)
    return fresh.state, fresh.version, fresh.events.count(), SmsMessage.objects.count()


def test_a_request_for_documents_names_catalog_documents_and_keeps_them_with_the_note(
    service, taken, eng, deed
):
    own = service.terms()["documents"][0]
    service_request_request_info(
        request_id=taken.pk, actor=eng, documents=[deed.code, own["code"]], note="صورة حديثة"
    )
    event = taken.events.get(action=RequestEvent.Action.INFO_REQUESTED)
    # The service's own documents first, then the others; names copied as the catalog had them.
    assert [d["code"] for d in event.documents] == [own["code"], "DEED"]
    assert event.documents[1] == {"code": "DEED", "name_ar": "سند الملكية", "name_en": "Title deed"}
    assert event.public_note == "صورة حديثة"
    sms = SmsMessage.objects.get(event="documents_requested")
    assert own["name_ar"] in sms.body and "سند الملكية" in sms.body and "صورة حديثة" in sms.body


@pytest.mark.parametrize(
    ("documents", "message"),
    [
        ([], "اختر المستندات"),
        (["NO-SUCH-DOC"], "NO-SUCH-DOC"),
    ],
    ids=["none chosen", "not in the catalog"],
)
def test_a_request_for_documents_without_catalog_documents_is_refused(taken, eng, documents, message):
    before = snapshot(taken)
    with pytest.raises(WorkflowError, match=message):
        service_request_request_info(request_id=taken.pk, actor=eng, documents=documents, note="أي شيء")
    assert snapshot(taken) == before


def test_the_resubmission_form_lists_exactly_the_documents_asked_for(
    client, service, taken, eng, deed, clerk
):
    # Taken in person: the power of attorney is missing from the file but was never asked for.
    assert not taken.documents.filter(code=POWER_OF_ATTORNEY).exists()
    optional = next(d for d in service.terms()["documents"] if not d["required"])
    service_request_request_info(request_id=taken.pk, actor=eng, documents=[deed.code], note="مع الأصل")
    client.force_login(clerk)
    page = client.get(reverse("window:receipt", args=["BNH", taken.receipt_number]))
    form = page.context["resubmit_form"]
    assert form.fields["documents"].choices == [("DEED", "سند الملكية")]
    html = page.content.decode()
    assert 'value="DEED"' in html and f'value="{optional["code"]}"' not in html
    assert "سند الملكية — مع الأصل" in html  # what was asked, as the citizen was told

    # Ticking it marks it received on the request's file (a new row: the service never listed it).
    taken.refresh_from_db()
    url = reverse("window:resubmit", args=["BNH", taken.receipt_number])
    client.post(url, {"version": taken.version, "documents": ["DEED"]})
    taken.refresh_from_db()
    assert taken.state == RequestState.IN_REVIEW
    deed_row = taken.documents.get(code="DEED")
    assert deed_row.received and deed_row.name_ar == "سند الملكية" and deed_row.name_en == "Title deed"
    brought = taken.events.get(action=RequestEvent.Action.RESUBMITTED)
    assert [d["code"] for d in brought.documents] == ["DEED"]


def test_a_document_not_asked_for_cannot_be_recorded_as_brought(service, taken, eng, deed, clerk):
    optional = next(d for d in service.terms()["documents"] if not d["required"])
    service_request_request_info(request_id=taken.pk, actor=eng, documents=[deed.code])
    before = snapshot(taken)
    with pytest.raises(WorkflowError, match=optional["code"]):
        service_request_resubmit(request_id=taken.pk, actor=clerk, documents={optional["code"]})
    assert snapshot(taken) == before
    assert not taken.documents.get(code=optional["code"]).received


def test_the_citizen_reads_the_documents_asked_for_in_their_language(client, taken, eng, deed, settings):
    service_request_request_info(request_id=taken.pk, actor=eng, documents=[deed.code], note="مع الأصل")
    url = reverse("track:status", args=[taken.tracking_token])
    arabic = client.get(url).content.decode()
    assert "سند الملكية — مع الأصل" in arabic
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Title deed — مع الأصل" in english


def test_the_back_office_picks_documents_from_the_service_and_the_catalog(client, service, taken, eng, deed):
    client.force_login(eng)
    file_url = reverse("office:request", args=[taken.receipt_number])
    page = client.get(file_url)
    form = page.context["action_form"]
    own_codes = [d["code"] for d in service.terms()["documents"]]
    assert [code for code, _name in form.fields["documents"].choices] == own_codes
    others = [code for code, _name in form.fields["other_documents"].choices]
    assert "DEED" in others and not set(others) & set(own_codes)
    html = page.content.decode()
    assert 'name="documents"' in html and 'name="other_documents" value="DEED"' in html

    act = reverse("office:act", args=[taken.receipt_number, "request_info"])
    refused = client.post(act, {"version": taken.version, "note": "بدون مستند"}, follow=True)
    assert "اختر المستندات" in refused.content.decode()
    assert ServiceRequest.objects.get(pk=taken.pk).state == RequestState.IN_REVIEW

    client.post(act, {"version": taken.version, "documents": [own_codes[2]], "other_documents": ["DEED"]})
    event = taken.events.get(action=RequestEvent.Action.INFO_REQUESTED)
    assert [d["code"] for d in event.documents] == [own_codes[2], "DEED"]
    assert event.public_note == ""


def test_only_the_current_department_asks_for_documents(org, taken, deed):
    surveyor = staff(Role.BACKOFFICE, department=org.bnh_surv)
    before = snapshot(taken)
    with pytest.raises(PermissionDenied):
        service_request_request_info(request_id=taken.pk, actor=surveyor, documents=[deed.code])
    assert snapshot(taken) == before
