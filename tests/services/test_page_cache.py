"""The catalog and service pages are shared through the page cache; any change to the catalog or the
organisation shows on the next request."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.accounts.factories import staff
from tests.services.factories import ServiceFactory

pytestmark = pytest.mark.django_db

CATALOG = reverse("services:catalog")


@pytest.fixture
def road(org):
    return ServiceFactory(code="OCC-ROAD", name_ar="ترخيص إشغال طريق", name_en="Road occupancy")


def detail(service):
    return reverse("services:detail", args=[service.code])


def test_a_second_anonymous_visit_is_served_without_the_database(client, road, django_assert_num_queries):
    first = client.get(CATALOG)
    with django_assert_num_queries(0):
        again = client.get(CATALOG)
    assert again.content == first.content and again["ETag"] == first["ETag"]
    client.get(detail(road))
    with django_assert_num_queries(0):
        assert client.get(detail(road)).status_code == 200


def test_a_renamed_service_shows_on_the_next_request(client, road):
    assert "ترخيص إشغال طريق" in client.get(CATALOG).content.decode()
    road.name_ar = "ترخيص إشغال الطريق العام"
    road.save()
    assert "ترخيص إشغال الطريق العام" in client.get(CATALOG).content.decode()


def test_a_new_fee_and_a_new_center_show_on_the_service_page(client, road, org):
    from tests.organisation.factories import CenterFactory

    client.get(detail(road))
    fee = road.fee_items.first()
    fee.amount = Decimal("999.25")
    fee.save()
    assert "999.25" in client.get(detail(road)).content.decode()
    road.centers.set([org.hlp])
    html = client.get(detail(road)).content.decode()
    assert org.hlp.name_ar in html and org.bnh.name_ar not in html
    new_center = CenterFactory(local_unit=org.hlp.local_unit, code="HLP2", name_ar="مركز جديد للتجربة")
    road.centers.add(new_center)
    assert "مركز جديد للتجربة" in client.get(detail(road)).content.decode()


def test_a_search_is_rendered_each_time(client, road, django_assert_max_num_queries):
    client.get(CATALOG, {"q": "إشغال"})
    response = client.get(CATALOG, {"q": "إشغال"})
    assert response.status_code == 200 and response.context is not None  # rendered, not from the cache


def test_staff_get_a_page_of_their_own(client, road, org):
    client.get(CATALOG)
    clerk = staff(Role.CLERK, center=org.bnh)
    client.force_login(clerk)
    assert str(clerk) in client.get(CATALOG).content.decode()


def test_each_language_has_its_own_page(client, road):
    assert 'lang="ar"' in client.get(CATALOG).content.decode()
    client.cookies["django_language"] = "en"
    assert "Road occupancy" in client.get(CATALOG).content.decode()
