from decimal import Decimal

import pytest
from django.urls import reverse

from services.models import Service
from tests.organisation.factories import CenterFactory
from tests.services.factories import CategoryFactory, ServiceFactory

pytestmark = pytest.mark.django_db

CATALOG = reverse("services:catalog")


@pytest.fixture
def catalog(org):
    roads = CategoryFactory(code="OCC", name_ar="الإشغالات", name_en="Occupancy", position=2)
    buildings = CategoryFactory(code="BLD", name_ar="التراخيص", name_en="Building permits", position=1)
    return {
        "road": ServiceFactory(
            code="OCC-ROAD", name_ar="ترخيص إشغال طريق", name_en="Road occupancy", category=roads
        ),
        "build": ServiceFactory(
            code="BLD-NEW", name_ar="ترخيص بناء جديد", name_en="New building", category=buildings
        ),
        "free": ServiceFactory(
            code="GEN-FREE",
            name_ar="شهادة مجانية",
            name_en="Free certificate",
            category=buildings,
            terms=False,
        ),
        "hidden": ServiceFactory(code="OLD", name_ar="خدمة ملغاة", category=buildings, is_active=False),
    }


def names(response):
    return [s.code for _, services in response.context["groups"] for s in services]


def test_catalog_lists_active_services_by_category_in_arabic(client, catalog):
    response = client.get(CATALOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert names(response) == ["BLD-NEW", "GEN-FREE", "OCC-ROAD"]
    assert "ترخيص إشغال طريق" in html
    assert '<bdi class="num">500.50</bdi> جنيه' in html  # 150.00 + 350.50, dot as decimal separator
    assert "مجانية" in html
    assert "خدمة ملغاة" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("اشغال", ["OCC-ROAD"]),
        ("إشغال", ["OCC-ROAD"]),
        ("الاشغال", []),
        ("ترخيص", ["BLD-NEW", "OCC-ROAD"]),
        ("ترخيص بناء", ["BLD-NEW"]),
        ("شهاده", ["GEN-FREE"]),
        ("road", ["OCC-ROAD"]),
        ("bld-new", ["BLD-NEW"]),
        ("ملغاه", []),
        ("لا شيء يطابق", []),
    ],
)
def test_search_folds_hamza_and_taa_marbuta(client, catalog, query, expected):
    response = client.get(CATALOG, {"q": query})
    assert response.status_code == 200
    assert names(response) == expected


def test_category_filter(client, catalog):
    assert names(client.get(CATALOG, {"category": "OCC"})) == ["OCC-ROAD"]


def test_unknown_category_gives_a_message_not_an_error(client, catalog):
    response = client.get(CATALOG, {"category": "NOPE"})
    assert response.status_code == 200
    assert "تصنيف غير معروف" in response.content.decode()


def test_empty_search_says_so(client, catalog):
    response = client.get(CATALOG, {"q": "zzzz"})
    assert "لا توجد خدمة تطابق بحثك" in response.content.decode()


def test_catalog_query_count_does_not_grow_with_services(client, catalog, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(CATALOG)
    for _ in range(15):
        ServiceFactory(category=catalog["road"].category)
    with django_assert_max_num_queries(3):
        assert client.get(CATALOG).status_code == 200


def test_service_page_shows_documents_fees_total_deadline_and_where(client, catalog, org):
    service = catalog["road"]
    response = client.get(reverse("services:detail", args=[service.code]))
    assert response.status_code == 200
    html = response.content.decode()
    for document in service.documents.all():
        assert document.document_type.name_ar in html
    assert "رسم فحص" in html and "150.00" in html and "350.50" in html and "500.50" in html
    assert "10 أيام عمل" in html
    assert org.bnh.name_ar in html and org.hlp.name_ar in html and org.van.name_ar in html
    assert "عند الاقتضاء" in html  # the optional document
    assert "يحمل رمز QR" in html


def test_service_offered_at_chosen_centers_only(client, catalog, org):
    service = catalog["build"]
    service.centers.set([org.hlp])
    html = client.get(reverse("services:detail", args=[service.code])).content.decode()
    assert org.hlp.name_ar in html
    assert org.bnh.name_ar not in html


def test_free_service_says_free(client, catalog):
    html = client.get(reverse("services:detail", args=["GEN-FREE"])).content.decode()
    assert "هذه الخدمة بدون رسوم" in html


@pytest.mark.parametrize("code", ["NOPE", "OLD", "bld-new", "%D8%A7"])
def test_unknown_or_inactive_service_is_an_arabic_404(client, catalog, code):
    response = client.get(f"{CATALOG}{code}/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()


def test_service_page_in_english(client, catalog, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("services:detail", args=["OCC-ROAD"])).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Road occupancy" in html
    assert "10 working days" in html


def test_browser_language_alone_does_not_switch_to_english(client, catalog):
    html = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_language_switch_sets_english(client, catalog):
    response = client.post(reverse("set_language"), {"language": "en", "next": CATALOG})
    assert response.status_code == 302
    html = client.get(CATALOG).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Service catalog" in html


def test_service_page_query_count_is_constant(client, catalog, django_assert_max_num_queries):
    for _ in range(5):
        CenterFactory()
    with django_assert_max_num_queries(7):
        client.get(reverse("services:detail", args=["OCC-ROAD"]))


def test_terms_snapshot_is_plain_data_and_does_not_follow_later_edits(catalog):
    service = Service.objects.get(code="OCC-ROAD")
    terms = service.terms()
    assert terms["fees_total"] == "500.50"
    assert [d["required"] for d in terms["documents"]] == [True, True, False]
    assert sum(step["working_days"] for step in terms["route"]) == terms["legal_deadline_days"] == 10
    service.fee_items.update(amount=Decimal("1.00"))
    service.legal_deadline_days = 3
    service.save()
    assert terms["fees_total"] == "500.50" and terms["legal_deadline_days"] == 10
    assert service.history.count() == 2  # created, then edited: catalog changes are audited
