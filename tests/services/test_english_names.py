"""The catalog and the organisation speak English on the English pages: the reference data carries an
English name for every fee, output, document, service, category, center and department, the loaders
keep them, and a request's terms copy them at intake so the receipt and the file can show them."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from organisation.models import Center, DepartmentType, Governorate, LocalUnit
from organisation.services import organisation_load_reference
from services.models import Category, DocumentType, FeeItem, Service
from services.services import catalog_load_reference
from tests.accounts.factories import staff
from tests.requests_app.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    organisation_load_reference()
    catalog_load_reference()


def test_every_reference_name_has_english(reference):
    for model in (Governorate, LocalUnit, Center, DepartmentType, Category, DocumentType, Service):
        assert not model.objects.filter(name_en="").exists(), model
    assert not FeeItem.objects.filter(name_en="").exists()
    assert not Service.objects.filter(output_name_en="").exists()
    road = Service.objects.get(code="BLD-NEW")
    assert [f.name_en for f in road.fee_items.all()] == [
        "Drawings review fee",
        "Permit issuance fee",
        "Road occupancy deposit",
    ]
    assert road.output_name_en == "Building permit"


def test_the_english_service_page_shows_english_fees_output_and_documents(reference, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("services:detail", args=["BLD-NEW"])).content.decode()
    for english in ("New building permit", "Drawings review fee", "Building permit", "Title deed", "Survey"):
        assert english in html
    for arabic in ("رسم فحص الرسومات", "سند الملكية", "ترخيص بناء جديد"):
        assert arabic not in html


def test_the_terms_carry_english_names(reference):
    terms = Service.objects.get(code="BLD-NEW").terms()
    assert terms["name_en"] == "New building permit"
    assert terms["output"]["name_en"] == "Building permit"
    assert {f["name_en"] for f in terms["fees"]} >= {"Drawings review fee"}
    deed = next(d for d in terms["documents"] if d["code"] == "DEED")
    assert (deed["name_ar"], deed["name_en"]) == ("سند الملكية (عقد مسجل أو حكم صحة ونفاذ)", "Title deed")


def test_a_request_keeps_the_english_names_it_was_taken_with(reference):
    center = Center.objects.get(code="BNH")
    request = submit(Service.objects.get(code="BLD-NEW"), center, staff(Role.CLERK, center=center))
    with translation.override("en"):
        assert request.service_name == "New building permit"
        assert request.center.name == "Benha citizen service center"
        assert [f.name for f in request.fees.all()][0] == "Drawings review fee"
        assert "Title deed" in [d.name for d in request.documents.all()]
