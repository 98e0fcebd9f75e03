"""The intake form as a clerk meets it (issue 12, defects 4 and 5): focus on the first empty field,
payment defaulting to cash when there are fees, the attorney block tied to its checkbox, one tick for
every required document, and every mistake reported at once with a summary whose links and
descriptions point at elements that exist."""

import re

import pytest
from django.urls import reverse

from requests_app.models import ServiceRequest
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def intake_url(service):
    return reverse("window:intake", args=["BNH", service.code])


def ids_in(html: str) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_focus_starts_on_the_first_empty_field(client, org, service, clerk):
    client.force_login(clerk)
    fresh = client.get(intake_url(service)).content.decode()
    assert re.search(r'<input[^>]*name="applicant_national_id"[^>]*autofocus', fresh)
    known_id = client.get(intake_url(service), {"national_id": "29001011401234"}).content.decode()
    assert re.search(r'<input[^>]*name="applicant_name_ar"[^>]*autofocus', known_id)
    assert known_id.count("autofocus") == 1


def test_payment_defaults_to_cash_when_the_service_has_fees(client, org, service, clerk):
    client.force_login(clerk)
    html = client.get(intake_url(service)).content.decode()
    assert re.search(r'<option value="cash" selected>', html)
    assert 'value=""' not in html.split('name="payment_method"')[1].split("</select>")[0]


def test_a_free_service_asks_nothing_about_payment(client, org, clerk):
    free = ServiceFactory(code="FREE", terms=False)
    client.force_login(clerk)
    html = client.get(intake_url(free)).content.decode()
    assert 'name="payment_method"' not in html


def test_the_attorney_block_is_tied_to_its_checkbox(client, org, service, clerk):
    client.force_login(clerk)
    html = client.get(intake_url(service)).content.decode()
    assert re.search(
        r'name="on_behalf"[^>]*data-reveals="attorney-details"|data-reveals="attorney-details"[^>]*name="on_behalf"',
        html,
    )
    assert 'id="attorney-details"' in html


def test_one_tick_receives_every_required_document(client, org, service, clerk):
    client.force_login(clerk)
    response = client.post(
        intake_url(service),
        {
            "intake_key": "6f1c1a9e-1b7e-4a53-9d0f-3f3f3f3f3f31",
            "applicant_national_id": "29001011401234",
            "applicant_name_ar": "محمد أحمد علي",
            "applicant_mobile": "01012345678",
            "payment_method": "cash",
            "all_required_documents": "on",
        },
    )
    assert response.status_code == 302
    taken = ServiceRequest.objects.get()
    required = set(service.documents.filter(is_required=True).values_list("document_type__code", flat=True))
    assert set(taken.documents.filter(received=True).values_list("code", flat=True)) == required


def test_every_mistake_is_reported_at_once_with_a_summary(client, org, service, clerk):
    client.force_login(clerk)
    response = client.post(
        intake_url(service),
        {
            "intake_key": "6f1c1a9e-1b7e-4a53-9d0f-3f3f3f3f3f32",
            "applicant_national_id": "123",  # not a national ID
            "applicant_name_ar": "",  # missing
            "applicant_mobile": "01012345678",
            "payment_method": "epayment",  # without its reference
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"applicant_national_id", "applicant_name_ar", "payment_reference"} <= set(form.errors)
    assert form.section_errors["documents"]  # documents missing, in the same answer
    html = response.content.decode()
    summary = html.split("data-error-summary")[1].split("</div>")[0]
    links = re.findall(r'href="#([^"]+)"', summary)
    assert {"id_applicant_national_id", "id_applicant_name_ar", "id_payment_reference", "documents"} <= set(
        links
    )
    ids = ids_in(html)
    assert set(links) <= ids
    described = {i for value in re.findall(r'aria-describedby="([^"]+)"', html) for i in value.split()}
    assert described and described <= ids
    assert not ServiceRequest.objects.exists()


def test_the_english_intake_names_fees_and_documents_in_english(client, org, service, clerk):
    client.force_login(clerk)
    client.cookies["django_language"] = "en"
    html = client.get(intake_url(service)).content.decode()
    assert "Examination fee" in html and "Issuance fee" in html
    assert "رسم فحص" not in html
    for document in service.documents.select_related("document_type"):
        assert document.document_type.name_en in html
        assert document.document_type.name_ar not in html
